import { type ImplementationKnobs, optimizerArgs, optimizerSignature } from '../signature/optim-signature.js';
import { num, opt, type PosOrOpts } from '../signature/signature.js';
import { fullLike } from '../tensor/creation.js';
import { keep } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { check, Optimizer, type ParamGroup, type Params } from './optimizer.js';

/** torch.optim.Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, foreach=None, *, maximize=False). */
const ADAGRAD_SIG = optimizerSignature(
  'Adagrad',
  [
    opt('lr', num),
    opt('lrDecay', num),
    opt('weightDecay', num),
    opt('initialAccumulatorValue', num),
    opt('eps', num),
  ],
  ['foreach'],
  ['maximize'],
);

/** Options of {@link Adagrad}. */
export interface AdagradOptions extends ImplementationKnobs {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Learning-rate decay: step k uses `lr / (1 + (k - 1) * lrDecay)` (default 0). */
  lrDecay?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Starting value of the squared-gradient sums (default 0). */
  initialAccumulatorValue?: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps?: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** The resolved options of an {@link Adagrad} param group. */
export type AdagradDefaults = Required<Omit<AdagradOptions, keyof ImplementationKnobs>>;

/**
 * Adagrad (Duchi et al.); the update is PyTorch 1.13's single-tensor `adagrad`. As in
 * PyTorch, the state (`step`, `sum`) of every parameter is created by the constructor.
 *
 * @throws Error naming the optimizer for an out-of-range option (`Adagrad: invalid learning rate -1`,
 *   as PyTorch's checks), an empty parameter list, a parameter that is not a leaf or sits in
 *   two groups; TypeError for an unknown option name or a mistyped value.
 *
 * @example
 * ```ts
 * const opt = new optim.Adagrad(model.parameters(), { lr: 0.1 });
 * ```
 */
export class Adagrad extends Optimizer<AdagradDefaults> {
  constructor(
    params: Params<AdagradDefaults>,
    ...rest: PosOrOpts<
      [lr: number, lrDecay: number, weightDecay: number, initialAccumulatorValue: number, eps: number],
      AdagradOptions
    >
  ) {
    const [ps, options] = optimizerArgs<AdagradOptions>(ADAGRAD_SIG, [params, ...rest]);
    super(
      'Adagrad',
      ps,
      {
        lr: options?.lr ?? 1e-2,
        lrDecay: options?.lrDecay ?? 0,
        weightDecay: options?.weightDecay ?? 0,
        initialAccumulatorValue: options?.initialAccumulatorValue ?? 0,
        eps: options?.eps ?? 1e-10,
        maximize: options?.maximize ?? false,
      },
      options,
    );
  }

  protected override validateGroup(g: ParamGroup<AdagradDefaults>): void {
    check(typeof g.lr === 'number' && g.lr >= 0, this.name, 'learning rate', g.lr);
    check(g.lrDecay >= 0, this.name, 'lr_decay value', g.lrDecay);
    check(g.weightDecay >= 0, this.name, 'weight_decay value', g.weightDecay);
    check(
      g.initialAccumulatorValue >= 0,
      this.name,
      'initial_accumulator_value value',
      g.initialAccumulatorValue,
    );
    check(g.eps >= 0, this.name, 'epsilon value', g.eps);
  }

  protected override initGroupState(g: ParamGroup<AdagradDefaults>): void {
    for (const p of g.params) {
      const state = this.stateOf(p);
      state.step = 0;
      state.sum = keep(fullLike(p, g.initialAccumulatorValue));
    }
  }

  protected updateGroup(g: ParamGroup<AdagradDefaults>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      const step = (state.step as number) + 1;
      state.step = step;
      let grad: Tensor = g.maximize ? p.grad.neg() : p.grad;
      if (g.weightDecay !== 0) grad = grad.add(p, g.weightDecay);
      const clr = g.lr / (1 + (step - 1) * g.lrDecay);
      const sum = state.sum as Tensor;
      sum.add_(grad.mul(grad));
      const std = sum.sqrt().add(g.eps);
      p.add_(grad.mul(-clr).div(std));
    }
  }
}
