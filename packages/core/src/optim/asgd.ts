import { type ImplementationKnobs, optimizerArgs, optimizerSignature } from '../signature/optim-signature.js';
import { num, opt, type PosOrOpts } from '../signature/signature.js';
import { zerosLike } from '../tensor/creation.js';
import { keep } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { check, Optimizer, type ParamGroup, type Params } from './optimizer.js';

/** torch.optim.ASGD(params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None, maximize=False). */
const ASGD_SIG = optimizerSignature(
  'ASGD',
  [opt('lr', num), opt('lambd', num), opt('alpha', num), opt('t0', num), opt('weightDecay', num)],
  ['foreach', 'maximize'],
  [],
);

/** Options of {@link ASGD}. */
export interface ASGDOptions extends Omit<ImplementationKnobs, 'capturable' | 'fused'> {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Decay term (default 1e-4). */
  lambd?: number;
  /** Power of the learning-rate decay eta_t = lr / (1 + lambd · lr · t)^alpha (default 0.75). */
  alpha?: number;
  /** The step after which averaging starts (default 1e6). */
  t0?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** The resolved options of an {@link ASGD} param group. */
export type ASGDDefaults = Required<Omit<ASGDOptions, keyof ImplementationKnobs>>;

/**
 * Averaged SGD (Polyak & Juditsky): SGD with a decaying rate whose iterates are averaged from
 * step `t0` on; the average is the state `ax` of each parameter
 * (`opt.state.get(p).ax`). The update is PyTorch 1.13's single-tensor `asgd`, whose `eta` and
 * `mu` are float32 scalars whatever the parameters' dtype: they are rounded to float32 here too.
 *
 * @throws Error naming the optimizer for an out-of-range option (`ASGD: invalid learning rate -1`,
 *   as PyTorch's checks), an empty parameter list, a parameter that is not a leaf or sits in
 *   two groups; TypeError for an unknown option name or a mistyped value.
 *
 * @example
 * ```ts
 * const opt = new optim.ASGD(model.parameters(), { lr: 0.01, t0: 100 });
 * ```
 */
export class ASGD extends Optimizer<ASGDDefaults> {
  constructor(
    params: Params<ASGDDefaults>,
    ...rest: PosOrOpts<
      [
        lr: number,
        lambd: number,
        alpha: number,
        t0: number,
        weightDecay: number,
        foreach: boolean | null,
        maximize: boolean,
      ],
      ASGDOptions
    >
  ) {
    const [ps, options] = optimizerArgs<ASGDOptions>(ASGD_SIG, [params, ...rest]);
    super(
      'ASGD',
      ps,
      {
        lr: options?.lr ?? 1e-2,
        lambd: options?.lambd ?? 1e-4,
        alpha: options?.alpha ?? 0.75,
        t0: options?.t0 ?? 1e6,
        weightDecay: options?.weightDecay ?? 0,
        maximize: options?.maximize ?? false,
      },
      options,
    );
  }

  protected override validateGroup(g: ParamGroup<ASGDDefaults>): void {
    check(typeof g.lr === 'number' && g.lr >= 0, this.name, 'learning rate', g.lr);
    check(g.weightDecay >= 0, this.name, 'weight_decay value', g.weightDecay);
  }

  protected updateGroup(g: ParamGroup<ASGDDefaults>): void {
    const f32 = Math.fround;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.eta = f32(g.lr);
        state.mu = 1;
        state.ax = keep(zerosLike(p));
      }
      let grad: Tensor = g.maximize ? p.grad.neg() : p.grad;
      const step = (state.step as number) + 1;
      state.step = step;
      if (g.weightDecay !== 0) grad = grad.add(p, g.weightDecay);
      const eta = state.eta as number;
      const mu = state.mu as number;
      const ax = state.ax as Tensor;
      p.mul_(1 - g.lambd * eta);
      p.add_(grad, -eta);
      if (mu !== 1) ax.add_(p.sub(ax).mul(mu));
      else ax.copy_(p);
      state.eta = f32(g.lr / (1 + g.lambd * g.lr * step) ** g.alpha);
      state.mu = f32(1 / Math.max(1, step - g.t0));
    }
  }
}
