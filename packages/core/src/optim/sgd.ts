import { clone } from '../ops/convert.js';
import { type ImplementationKnobs, optimizerArgs, optimizerSignature } from '../signature/optim-signature.js';
import { bool, num, opt, type PosOrOpts } from '../signature/signature.js';
import { keep } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { check, Optimizer, type ParamGroup, type Params } from './optimizer.js';

/** torch.optim.SGD(params, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False, foreach=None, differentiable=False). */
const SGD_SIG = optimizerSignature(
  'SGD',
  [
    opt('lr', num),
    opt('momentum', num),
    opt('dampening', num),
    opt('weightDecay', num),
    opt('nesterov', bool),
  ],
  [],
  ['maximize', 'foreach', 'differentiable'],
);

/** Options of {@link SGD} (PyTorch's names in camelCase). */
export interface SGDOptions extends ImplementationKnobs {
  /** Learning rate (required). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Dampening for momentum (default 0). */
  dampening?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0; default false). */
  nesterov?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** The resolved options of an {@link SGD} param group. */
export type SGDDefaults = Required<Omit<SGDOptions, keyof ImplementationKnobs>>;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and
 * weight decay; the update is PyTorch 1.13's single-tensor `sgd` step for step.
 *
 * @throws Error naming the optimizer for an out-of-range option (`SGD: invalid learning rate -1`,
 *   as PyTorch's checks), an empty parameter list, a parameter that is not a leaf or sits in
 *   two groups; TypeError for an unknown option name or a mistyped value.
 *
 * @example
 * ```ts
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * ```
 */
export class SGD extends Optimizer<SGDDefaults> {
  constructor(
    params: Params<SGDDefaults>,
    ...rest: PosOrOpts<
      [lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean],
      SGDOptions
    >
  ) {
    const [ps, options] = optimizerArgs<SGDOptions>(SGD_SIG, [params, ...rest]);
    super(
      'SGD',
      ps,
      {
        lr: options?.lr,
        momentum: options?.momentum ?? 0,
        dampening: options?.dampening ?? 0,
        weightDecay: options?.weightDecay ?? 0,
        nesterov: options?.nesterov ?? false,
        maximize: options?.maximize ?? false,
      },
      options,
    );
  }

  protected override validateGroup(g: ParamGroup<SGDDefaults>): void {
    check(typeof g.lr === 'number' && g.lr >= 0, this.name, 'learning rate', g.lr);
    check(g.momentum >= 0, this.name, 'momentum value', g.momentum);
    check(g.weightDecay >= 0, this.name, 'weight_decay value', g.weightDecay);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new Error(
        `SGD: Nesterov momentum requires a momentum and zero dampening (got momentum ${g.momentum}, dampening ${g.dampening})`,
      );
    }
  }

  protected updateGroup(g: ParamGroup<SGDDefaults>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      let dP: Tensor = g.maximize ? p.grad.neg() : p.grad;
      if (g.weightDecay !== 0) dP = dP.add(p, g.weightDecay);
      if (g.momentum !== 0) {
        const state = this.stateOf(p);
        let buf = state.momentumBuffer as Tensor | undefined;
        if (buf === undefined) {
          buf = keep(clone(dP));
          state.momentumBuffer = buf;
        } else {
          buf.mul_(g.momentum).add_(dP, 1 - g.dampening);
        }
        dP = g.nesterov ? dP.add(buf, g.momentum) : buf;
      }
      p.add_(dP, -g.lr);
    }
  }
}
