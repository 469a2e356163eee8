import { type ImplementationKnobs, optimizerArgs, optimizerSignature } from '../signature/optim-signature.js';
import { num, opt, type PosOrOpts } from '../signature/signature.js';
import { zerosLike } from '../tensor/creation.js';
import { keep } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { check, Optimizer, type ParamGroup, type Params } from './optimizer.js';

/** torch.optim.Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, maximize=False). */
const ADADELTA_SIG = optimizerSignature(
  'Adadelta',
  [opt('lr', num), opt('rho', num), opt('eps', num), opt('weightDecay', num)],
  ['foreach'],
  ['maximize'],
);

/** Options of {@link Adadelta}. */
export interface AdadeltaOptions extends ImplementationKnobs {
  /** Coefficient that scales the delta before it is applied to the parameters (default 1.0). */
  lr?: number;
  /** Decay of the running averages of squared gradients and squared updates (default 0.9). */
  rho?: number;
  /** Added inside both square roots for numerical stability (default 1e-6). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** The resolved options of an {@link Adadelta} param group. */
export type AdadeltaDefaults = Required<Omit<AdadeltaOptions, keyof ImplementationKnobs>>;

/**
 * Adadelta (Zeiler): per-element step sizes from running averages of squared gradients and
 * squared updates; the update is PyTorch 1.13's single-tensor `adadelta`.
 *
 * @throws Error naming the optimizer for an out-of-range option (`Adadelta: invalid learning rate -1`,
 *   as PyTorch's checks), an empty parameter list, a parameter that is not a leaf or sits in
 *   two groups; TypeError for an unknown option name or a mistyped value.
 *
 * @example
 * ```ts
 * const opt = new optim.Adadelta(model.parameters()); // lr 1.0, rho 0.9
 * ```
 */
export class Adadelta extends Optimizer<AdadeltaDefaults> {
  constructor(
    params: Params<AdadeltaDefaults>,
    ...rest: PosOrOpts<[lr: number, rho: number, eps: number, weightDecay: number], AdadeltaOptions>
  ) {
    const [ps, options] = optimizerArgs<AdadeltaOptions>(ADADELTA_SIG, [params, ...rest]);
    super(
      'Adadelta',
      ps,
      {
        lr: options?.lr ?? 1.0,
        rho: options?.rho ?? 0.9,
        eps: options?.eps ?? 1e-6,
        weightDecay: options?.weightDecay ?? 0,
        maximize: options?.maximize ?? false,
      },
      options,
    );
  }

  protected override validateGroup(g: ParamGroup<AdadeltaDefaults>): void {
    check(typeof g.lr === 'number' && g.lr >= 0, this.name, 'learning rate', g.lr);
    check(g.rho >= 0 && g.rho <= 1, this.name, 'rho value', g.rho);
    check(g.eps >= 0, this.name, 'epsilon value', g.eps);
    check(g.weightDecay >= 0, this.name, 'weight_decay value', g.weightDecay);
  }

  protected updateGroup(g: ParamGroup<AdadeltaDefaults>): void {
    const { lr, rho, eps } = g;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.squareAvg = keep(zerosLike(p));
        state.accDelta = keep(zerosLike(p));
      }
      state.step = (state.step as number) + 1;
      let grad: Tensor = g.maximize ? p.grad.neg() : p.grad;
      if (g.weightDecay !== 0) grad = grad.add(p, g.weightDecay);
      const squareAvg = state.squareAvg as Tensor;
      const accDelta = state.accDelta as Tensor;
      // addcmul(grad, grad, value=1 - rho): (value * grad) * grad, as PyTorch's kernel.
      squareAvg.mul_(rho).add_(grad.mul(1 - rho).mul(grad));
      const std = squareAvg.add(eps).sqrt();
      const delta = accDelta.add(eps).sqrt().div(std).mul(grad);
      accDelta.mul_(rho).add_(delta.mul(1 - rho).mul(delta));
      p.add_(delta, -lr);
    }
  }
}
