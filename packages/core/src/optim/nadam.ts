import { type ImplementationKnobs, optimizerArgs, optimizerSignature } from '../signature/optim-signature.js';
import { num, nums, opt, type PosOrOpts } from '../signature/signature.js';
import { zerosLike } from '../tensor/creation.js';
import { keep } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { check, checkBetas, Optimizer, type ParamGroup, type Params } from './optimizer.js';

/**
 * torch.optim.NAdam(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
 * momentum_decay=4e-3, foreach=None): PyTorch 1.13's NAdam has no `maximize`.
 */
const NADAM_SIG = optimizerSignature(
  'NAdam',
  [opt('lr', num), opt('betas', nums), opt('eps', num), opt('weightDecay', num), opt('momentumDecay', num)],
  ['foreach'],
  [],
);

/** Options of {@link NAdam}. */
export interface NAdamOptions extends Omit<ImplementationKnobs, 'capturable' | 'fused'> {
  /** Learning rate (default 2e-3). */
  lr?: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum decay ψ of the schedule μ_t = β1 (1 − ½ · 0.96^(t ψ)) (default 4e-3). */
  momentumDecay?: number;
}

/** The resolved options of an {@link NAdam} param group. */
export type NAdamDefaults = Required<Omit<NAdamOptions, keyof ImplementationKnobs>>;

/**
 * NAdam (Dozat): Adam with Nesterov momentum and a momentum schedule; the update is PyTorch
 * 1.13's single-tensor `nadam`. The product of the momentum schedule (`muProduct`) is a
 * float32 scalar in PyTorch 1.13 whatever the parameters' dtype, and so it is here (rounded to
 * float32 after each product), so that float64 trajectories match PyTorch's to the last bits.
 *
 * @throws Error naming the optimizer for an out-of-range option (`NAdam: invalid learning rate -1`,
 *   as PyTorch's checks), an empty parameter list, a parameter that is not a leaf or sits in
 *   two groups; TypeError for an unknown option name or a mistyped value.
 *
 * @example
 * ```ts
 * const opt = new optim.NAdam(model.parameters(), { lr: 2e-3 });
 * ```
 */
export class NAdam extends Optimizer<NAdamDefaults> {
  constructor(
    params: Params<NAdamDefaults>,
    ...rest: PosOrOpts<
      [lr: number, betas: [number, number], eps: number, weightDecay: number, momentumDecay: number],
      NAdamOptions
    >
  ) {
    const [ps, options] = optimizerArgs<NAdamOptions>(NADAM_SIG, [params, ...rest]);
    super(
      'NAdam',
      ps,
      {
        lr: options?.lr ?? 2e-3,
        betas: options?.betas ? [options.betas[0], options.betas[1]] : [0.9, 0.999],
        eps: options?.eps ?? 1e-8,
        weightDecay: options?.weightDecay ?? 0,
        momentumDecay: options?.momentumDecay ?? 4e-3,
      },
      options,
    );
  }

  protected override validateGroup(g: ParamGroup<NAdamDefaults>): void {
    check(typeof g.lr === 'number' && g.lr >= 0, this.name, 'learning rate', g.lr);
    check(g.eps >= 0, this.name, 'epsilon value', g.eps);
    checkBetas(this.name, g.betas);
    check(g.weightDecay >= 0, this.name, 'weight_decay value', g.weightDecay);
    check(g.momentumDecay >= 0, this.name, 'momentum_decay value', g.momentumDecay);
  }

  protected updateGroup(g: ParamGroup<NAdamDefaults>): void {
    const [beta1, beta2] = g.betas;
    const f32 = Math.fround;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.muProduct = 1;
        state.expAvg = keep(zerosLike(p));
        state.expAvgSq = keep(zerosLike(p));
      }
      let grad: Tensor = p.grad;
      const step = (state.step as number) + 1;
      state.step = step;
      const biasCorrection2 = 1 - beta2 ** step;
      if (g.weightDecay !== 0) grad = grad.add(p, g.weightDecay);
      const mu = beta1 * (1 - 0.5 * 0.96 ** (step * g.momentumDecay));
      const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * g.momentumDecay));
      // float32 scalar tensor arithmetic, as PyTorch's `mu_product *= mu` on torch.tensor(1.).
      const muProduct = f32((state.muProduct as number) * f32(mu));
      state.muProduct = muProduct;
      const muProductNext = f32(f32(muProduct * f32(mu)) * f32(muNext));
      const expAvg = state.expAvg as Tensor;
      const expAvgSq = state.expAvgSq as Tensor;
      expAvg.mul_(beta1).add_(grad, 1 - beta1);
      expAvgSq.mul_(beta2).add_(grad.mul(1 - beta2).mul(grad));
      const denom = expAvgSq.div(biasCorrection2).sqrt().add(g.eps);
      p.add_(grad.mul((-g.lr * (1 - mu)) / (1 - muProduct)).div(denom));
      p.add_(expAvg.mul((-g.lr * muNext) / (1 - muProductNext)).div(denom));
    }
  }
}
