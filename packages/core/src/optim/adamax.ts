import { type ImplementationKnobs, optimizerArgs, optimizerSignature } from '../signature/optim-signature.js';
import { num, nums, opt, type PosOrOpts } from '../signature/signature.js';
import { zerosLike } from '../tensor/creation.js';
import { keep } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { check, checkBetas, Optimizer, type ParamGroup, type Params } from './optimizer.js';

/** torch.optim.Adamax(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *, maximize=False). */
const ADAMAX_SIG = optimizerSignature(
  'Adamax',
  [opt('lr', num), opt('betas', nums), opt('eps', num), opt('weightDecay', num)],
  ['foreach'],
  ['maximize'],
);

/** Options of {@link Adamax}. */
export interface AdamaxOptions extends ImplementationKnobs {
  /** Learning rate (default 2e-3). */
  lr?: number;
  /** Decay rates of the first moment and of the infinity norm (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the infinity norm's candidate |g| for numerical stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** The resolved options of an {@link Adamax} param group. */
export type AdamaxDefaults = Required<Omit<AdamaxOptions, keyof ImplementationKnobs>>;

/**
 * Adamax (Kingma & Ba): Adam with the infinity norm in place of the second moment; the update
 * is PyTorch 1.13's single-tensor `adamax`.
 *
 * @throws Error naming the optimizer for an out-of-range option (`Adamax: invalid learning rate -1`,
 *   as PyTorch's checks), an empty parameter list, a parameter that is not a leaf or sits in
 *   two groups; TypeError for an unknown option name or a mistyped value.
 *
 * @example
 * ```ts
 * const opt = new optim.Adamax(model.parameters(), { lr: 2e-3 });
 * ```
 */
export class Adamax extends Optimizer<AdamaxDefaults> {
  constructor(
    params: Params<AdamaxDefaults>,
    ...rest: PosOrOpts<[lr: number, betas: [number, number], eps: number, weightDecay: number], AdamaxOptions>
  ) {
    const [ps, options] = optimizerArgs<AdamaxOptions>(ADAMAX_SIG, [params, ...rest]);
    super(
      'Adamax',
      ps,
      {
        lr: options?.lr ?? 2e-3,
        betas: options?.betas ? [options.betas[0], options.betas[1]] : [0.9, 0.999],
        eps: options?.eps ?? 1e-8,
        weightDecay: options?.weightDecay ?? 0,
        maximize: options?.maximize ?? false,
      },
      options,
    );
  }

  protected override validateGroup(g: ParamGroup<AdamaxDefaults>): void {
    check(typeof g.lr === 'number' && g.lr >= 0, this.name, 'learning rate', g.lr);
    check(g.eps >= 0, this.name, 'epsilon value', g.eps);
    checkBetas(this.name, g.betas);
    check(g.weightDecay >= 0, this.name, 'weight_decay value', g.weightDecay);
  }

  protected updateGroup(g: ParamGroup<AdamaxDefaults>): void {
    const [beta1, beta2] = g.betas;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.expAvg = keep(zerosLike(p));
        state.expInf = keep(zerosLike(p));
      }
      let grad: Tensor = g.maximize ? p.grad.neg() : p.grad;
      const step = (state.step as number) + 1;
      state.step = step;
      if (g.weightDecay !== 0) grad = grad.add(p, g.weightDecay);
      const expAvg = state.expAvg as Tensor;
      const expInf = state.expInf as Tensor;
      expAvg.mul_(beta1).add_(grad, 1 - beta1);
      // PyTorch: amax(cat([expInf * beta2, |g| + eps])) over the new axis, written into expInf.
      expInf.copy_(expInf.mul(beta2).maximum(grad.abs().add(g.eps)));
      const clr = g.lr / (1 - beta1 ** step);
      // addcdiv(expAvg, expInf, value=-clr): (value * expAvg) / expInf.
      p.add_(expAvg.mul(-clr).div(expInf));
    }
  }
}
