import { where } from '../ops/binary.js';
import { type ImplementationKnobs, optimizerArgs, optimizerSignature } from '../signature/optim-signature.js';
import { num, nums, opt, type PosOrOpts } from '../signature/signature.js';
import { fullLike, zerosLike } from '../tensor/creation.js';
import { keep } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { check, Optimizer, type ParamGroup, type Params } from './optimizer.js';

/** torch.optim.Rprop(params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), foreach=None, maximize=False). */
const RPROP_SIG = optimizerSignature(
  'Rprop',
  [opt('lr', num), opt('etas', nums), opt('stepSizes', nums)],
  ['foreach', 'maximize'],
  [],
);

/** Options of {@link Rprop}. */
export interface RpropOptions extends Omit<ImplementationKnobs, 'capturable' | 'fused'> {
  /** The initial step size of every element (default 1e-2). */
  lr?: number;
  /** `[etaminus, etaplus]`: step-size factors after a sign change and after no change (default 0.5, 1.2). */
  etas?: [number, number];
  /** [min, max] step sizes (default [1e-6, 50]). */
  stepSizes?: [number, number];
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** The resolved options of an {@link Rprop} param group. */
export type RpropDefaults = Required<Omit<RpropOptions, keyof ImplementationKnobs>>;

/**
 * Rprop (resilient backpropagation): each element moves by its own step size in the direction
 * of minus the gradient's sign; the step size grows by `etaplus` while the sign holds and
 * shrinks by `etaminus` when it flips (and that element skips the step). The update is
 * PyTorch 1.13's single-tensor `rprop`. As in PyTorch, `lr` only sets the initial step sizes.
 *
 * @throws Error naming the optimizer for an out-of-range option (`Rprop: invalid learning rate -1`,
 *   as PyTorch's checks), an empty parameter list, a parameter that is not a leaf or sits in
 *   two groups; TypeError for an unknown option name or a mistyped value.
 *
 * @example
 * ```ts
 * const opt = new optim.Rprop(model.parameters(), { lr: 0.01, etas: [0.5, 1.2] });
 * ```
 */
export class Rprop extends Optimizer<RpropDefaults> {
  constructor(
    params: Params<RpropDefaults>,
    ...rest: PosOrOpts<
      [
        lr: number,
        etas: [number, number],
        stepSizes: [number, number],
        foreach: boolean | null,
        maximize: boolean,
      ],
      RpropOptions
    >
  ) {
    const [ps, options] = optimizerArgs<RpropOptions>(RPROP_SIG, [params, ...rest]);
    super(
      'Rprop',
      ps,
      {
        lr: options?.lr ?? 1e-2,
        etas: options?.etas ? [options.etas[0], options.etas[1]] : [0.5, 1.2],
        stepSizes: options?.stepSizes ? [options.stepSizes[0], options.stepSizes[1]] : [1e-6, 50],
        maximize: options?.maximize ?? false,
      },
      options,
    );
  }

  protected override validateGroup(g: ParamGroup<RpropDefaults>): void {
    check(typeof g.lr === 'number' && g.lr >= 0, this.name, 'learning rate', g.lr);
    const [etaminus, etaplus] = g.etas;
    check(0 < etaminus && etaminus < 1 && 1 < etaplus, this.name, 'eta values', g.etas);
  }

  protected updateGroup(g: ParamGroup<RpropDefaults>): void {
    const [etaminus, etaplus] = g.etas;
    const [stepSizeMin, stepSizeMax] = g.stepSizes;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.prev = keep(zerosLike(p));
        state.stepSize = keep(fullLike(p.grad, g.lr));
      }
      state.step = (state.step as number) + 1;
      let grad: Tensor = g.maximize ? p.grad.neg() : p.grad;
      const prev = state.prev as Tensor;
      const stepSize = state.stepSize as Tensor;
      // PyTorch maps sign(grad * prev) in place: > 0 → etaplus, < 0 → etaminus, 0 → 1 (NaN stays
      // NaN); an element whose sign flipped is where the product was negative.
      const sign = grad.mul(prev).sign();
      const flipped = sign.lt(0);
      const factor = where(sign.gt(0), etaplus, where(flipped, etaminus, where(sign.eq(0), 1, sign)));
      stepSize.mul_(factor).clamp_(stepSizeMin, stepSizeMax);
      // A flipped element does not move now, and counts as "no sign" at the next step.
      grad = where(flipped, 0, grad);
      // addcmul(sign(grad), stepSize, value=-1): (-1 * sign) * stepSize.
      p.add_(grad.sign().neg().mul(stepSize));
      prev.copy_(grad);
    }
  }
}
