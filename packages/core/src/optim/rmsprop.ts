import { type ImplementationKnobs, optimizerArgs, optimizerSignature } from '../signature/optim-signature.js';
import { bool, num, opt, type PosOrOpts } from '../signature/signature.js';
import { zerosLike } from '../tensor/creation.js';
import { keep } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { check, Optimizer, type ParamGroup, type Params } from './optimizer.js';

/** torch.optim.RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False, foreach, maximize, differentiable). */
const RMSPROP_SIG = optimizerSignature(
  'RMSprop',
  [
    opt('lr', num),
    opt('alpha', num),
    opt('eps', num),
    opt('weightDecay', num),
    opt('momentum', num),
    opt('centered', bool),
  ],
  ['foreach', 'maximize', 'differentiable'],
  [],
);

/** Options of {@link RMSprop}. */
export interface RMSpropOptions extends ImplementationKnobs {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment (default false). */
  centered?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** The resolved options of an {@link RMSprop} param group. */
export type RMSpropDefaults = Required<Omit<RMSpropOptions, keyof ImplementationKnobs>>;

/**
 * RMSprop (Hinton) with optional momentum and centering; the update is PyTorch 1.13's
 * single-tensor `rmsprop` (eps added outside the square root).
 *
 * @throws Error naming the optimizer for an out-of-range option (`RMSprop: invalid learning rate -1`,
 *   as PyTorch's checks), an empty parameter list, a parameter that is not a leaf or sits in
 *   two groups; TypeError for an unknown option name or a mistyped value.
 *
 * @example
 * ```ts
 * const opt = new optim.RMSprop(model.parameters(), { lr: 1e-3, momentum: 0.9 });
 * ```
 */
export class RMSprop extends Optimizer<RMSpropDefaults> {
  constructor(
    params: Params<RMSpropDefaults>,
    ...rest: PosOrOpts<
      [lr: number, alpha: number, eps: number, weightDecay: number, momentum: number, centered: boolean],
      RMSpropOptions
    >
  ) {
    const [ps, options] = optimizerArgs<RMSpropOptions>(RMSPROP_SIG, [params, ...rest]);
    super(
      'RMSprop',
      ps,
      {
        lr: options?.lr ?? 1e-2,
        alpha: options?.alpha ?? 0.99,
        eps: options?.eps ?? 1e-8,
        weightDecay: options?.weightDecay ?? 0,
        momentum: options?.momentum ?? 0,
        centered: options?.centered ?? false,
        maximize: options?.maximize ?? false,
      },
      options,
    );
  }

  protected override validateGroup(g: ParamGroup<RMSpropDefaults>): void {
    check(typeof g.lr === 'number' && g.lr >= 0, this.name, 'learning rate', g.lr);
    check(g.eps >= 0, this.name, 'epsilon value', g.eps);
    check(g.momentum >= 0, this.name, 'momentum value', g.momentum);
    check(g.weightDecay >= 0, this.name, 'weight_decay value', g.weightDecay);
    check(g.alpha >= 0, this.name, 'alpha value', g.alpha);
  }

  protected updateGroup(g: ParamGroup<RMSpropDefaults>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.squareAvg = keep(zerosLike(p));
        if (g.momentum > 0) state.momentumBuffer = keep(zerosLike(p));
        if (g.centered) state.gradAvg = keep(zerosLike(p));
      }
      state.step = (state.step as number) + 1;
      let grad: Tensor = g.maximize ? p.grad.neg() : p.grad;
      if (g.weightDecay !== 0) grad = grad.add(p, g.weightDecay);
      const squareAvg = state.squareAvg as Tensor;
      squareAvg.mul_(g.alpha).add_(grad.mul(1 - g.alpha).mul(grad));
      let avg: Tensor;
      if (g.centered) {
        const gradAvg = this.stateBuffer(p, 'gradAvg');
        gradAvg.mul_(g.alpha).add_(grad, 1 - g.alpha);
        avg = squareAvg.add(gradAvg.neg().mul(gradAvg)).sqrt();
      } else {
        avg = squareAvg.sqrt();
      }
      avg = avg.add(g.eps);
      if (g.momentum > 0) {
        const buf = this.stateBuffer(p, 'momentumBuffer');
        buf.mul_(g.momentum).add_(grad.div(avg));
        p.add_(buf, -g.lr);
      } else {
        p.add_(grad.mul(-g.lr).div(avg));
      }
    }
  }
}
