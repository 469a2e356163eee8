import { type ImplementationKnobs, optimizerArgs, optimizerSignature } from '../signature/optim-signature.js';
import { num, nums, opt, type PosOrOpts } from '../signature/signature.js';
import { zerosLike } from '../tensor/creation.js';
import { keep } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { check, checkBetas, Optimizer, type ParamGroup, type Params } from './optimizer.js';

/**
 * torch.optim.RAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None):
 * PyTorch 1.13's RAdam has no `maximize`.
 */
const RADAM_SIG = optimizerSignature(
  'RAdam',
  [opt('lr', num), opt('betas', nums), opt('eps', num), opt('weightDecay', num)],
  ['foreach'],
  [],
);

/** Options of {@link RAdam}. */
export interface RAdamOptions extends Omit<ImplementationKnobs, 'capturable' | 'fused'> {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
}

/** The resolved options of an {@link RAdam} param group. */
export type RAdamDefaults = Required<Omit<RAdamOptions, keyof ImplementationKnobs>>;

/**
 * RAdam (Liu et al.): Adam whose adaptive step is rectified by the variance of the second
 * moment estimate, and plain momentum SGD while that variance is intractable (ρ_t ≤ 5, the
 * first steps); the update is PyTorch 1.13's single-tensor `radam`.
 *
 * @throws Error naming the optimizer for an out-of-range option (`RAdam: invalid learning rate -1`,
 *   as PyTorch's checks), an empty parameter list, a parameter that is not a leaf or sits in
 *   two groups; TypeError for an unknown option name or a mistyped value.
 *
 * @example
 * ```ts
 * const opt = new optim.RAdam(model.parameters(), { lr: 1e-3 });
 * ```
 */
export class RAdam extends Optimizer<RAdamDefaults> {
  constructor(
    params: Params<RAdamDefaults>,
    ...rest: PosOrOpts<[lr: number, betas: [number, number], eps: number, weightDecay: number], RAdamOptions>
  ) {
    const [ps, options] = optimizerArgs<RAdamOptions>(RADAM_SIG, [params, ...rest]);
    super(
      'RAdam',
      ps,
      {
        lr: options?.lr ?? 1e-3,
        betas: options?.betas ? [options.betas[0], options.betas[1]] : [0.9, 0.999],
        eps: options?.eps ?? 1e-8,
        weightDecay: options?.weightDecay ?? 0,
      },
      options,
    );
  }

  protected override validateGroup(g: ParamGroup<RAdamDefaults>): void {
    check(typeof g.lr === 'number' && g.lr >= 0, this.name, 'learning rate', g.lr);
    check(g.eps >= 0, this.name, 'epsilon value', g.eps);
    checkBetas(this.name, g.betas);
    check(g.weightDecay >= 0, this.name, 'weight_decay value', g.weightDecay);
  }

  protected updateGroup(g: ParamGroup<RAdamDefaults>): void {
    const [beta1, beta2] = g.betas;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.expAvg = keep(zerosLike(p));
        state.expAvgSq = keep(zerosLike(p));
      }
      let grad: Tensor = p.grad;
      const step = (state.step as number) + 1;
      state.step = step;
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2 = 1 - beta2 ** step;
      if (g.weightDecay !== 0) grad = grad.add(p, g.weightDecay);
      const expAvg = state.expAvg as Tensor;
      const expAvgSq = state.expAvgSq as Tensor;
      expAvg.mul_(beta1).add_(grad, 1 - beta1);
      expAvgSq.mul_(beta2).add_(grad.mul(1 - beta2).mul(grad));
      const biasCorrectedExpAvg = expAvg.div(biasCorrection1);
      // The maximum length of the approximated simple moving average, and its value at this step.
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
      if (rhoT > 5) {
        const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
        // PyTorch: sqrt(bc2) / tensor, which Python evaluates as tensor.reciprocal() * sqrt(bc2).
        const adaptiveLr = expAvgSq.sqrt().add(g.eps).reciprocal().mul(Math.sqrt(biasCorrection2));
        p.add_(biasCorrectedExpAvg.mul(g.lr).mul(adaptiveLr).mul(rect), -1);
      } else {
        p.add_(biasCorrectedExpAvg.mul(g.lr), -1);
      }
    }
  }
}
