import { type ImplementationKnobs, optimizerArgs, optimizerSignature } from '../signature/optim-signature.js';
import { bool, num, nums, opt, type PosOrOpts } from '../signature/signature.js';
import { zerosLike } from '../tensor/creation.js';
import { keep } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { check, Optimizer, type ParamGroup, type Params } from './optimizer.js';

const ADAM_OWN = [
  opt('lr', num),
  opt('betas', nums),
  opt('eps', num),
  opt('weightDecay', num),
  opt('amsgrad', bool),
];
/** torch.optim.Adam(params, lr=1e-3, betas, eps, weight_decay=0, amsgrad=False, *, foreach, maximize, capturable, differentiable, fused). */
const ADAM_SIG = optimizerSignature(
  'Adam',
  ADAM_OWN,
  [],
  ['foreach', 'maximize', 'capturable', 'differentiable', 'fused'],
);
/** torch.optim.AdamW(params, lr=1e-3, betas, eps, weight_decay=1e-2, amsgrad=False, *, maximize, foreach, capturable). */
export const ADAMW_SIG = optimizerSignature('AdamW', ADAM_OWN, [], ['maximize', 'foreach', 'capturable']);

/** Options of {@link Adam} and {@link AdamW}. */
export interface AdamOptions extends ImplementationKnobs {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0); AdamW: decoupled decay (default 1e-2). */
  weightDecay?: number;
  /** Use the AMSGrad variant (default false). */
  amsgrad?: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize?: boolean;
}

/** The resolved options of an Adam / AdamW param group. */
export type AdamDefaults = Required<Omit<AdamOptions, keyof ImplementationKnobs>>;

function adamDefaults(o: AdamOptions | undefined, weightDecay: number): AdamDefaults {
  return {
    lr: o?.lr ?? 1e-3,
    betas: o?.betas ? [o.betas[0], o.betas[1]] : [0.9, 0.999],
    eps: o?.eps ?? 1e-8,
    weightDecay: o?.weightDecay ?? weightDecay,
    amsgrad: o?.amsgrad ?? false,
    maximize: o?.maximize ?? false,
  };
}

/**
 * Adam (Kingma & Ba) with optional AMSGrad and L2 weight decay added to the gradient; the
 * update is PyTorch 1.13's single-tensor `adam` step, with the same bias correction.
 *
 * @throws Error naming the optimizer for an out-of-range option (`Adam: invalid learning rate -1`,
 *   as PyTorch's checks), an empty parameter list, a parameter that is not a leaf or sits in
 *   two groups; TypeError for an unknown option name or a mistyped value.
 *
 * @example
 * ```ts
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 * ```
 */
export class Adam extends Optimizer<AdamDefaults> {
  /** The name in error messages. */
  protected static readonly optimizerName: string = 'Adam';
  /** The default weight decay of the class. */
  protected static readonly defaultWeightDecay: number = 0;
  /** Whether weight decay is decoupled from the gradient (AdamW) rather than added to it. */
  protected static readonly decoupled: boolean = false;
  /** @internal PyTorch's parameter list of the class (the argument parser AdamW replaces). */
  protected static readonly signature = ADAM_SIG;

  constructor(
    params: Params<AdamDefaults>,
    ...rest: PosOrOpts<
      [lr: number, betas: [number, number], eps: number, weightDecay: number, amsgrad: boolean],
      AdamOptions
    >
  ) {
    const cls = new.target as typeof Adam;
    const [ps, options] = optimizerArgs<AdamOptions>(cls.signature, [params, ...rest]);
    super(cls.optimizerName, ps, adamDefaults(options, cls.defaultWeightDecay), options);
  }

  protected override validateGroup(g: ParamGroup<AdamDefaults>): void {
    check(typeof g.lr === 'number' && g.lr >= 0, this.name, 'learning rate', g.lr);
    check(g.eps >= 0, this.name, 'epsilon value', g.eps);
    check(Array.isArray(g.betas) && g.betas.length === 2, this.name, 'betas', g.betas);
    check(g.betas[0] >= 0 && g.betas[0] < 1, this.name, 'beta parameter at index 0:', g.betas[0]);
    check(g.betas[1] >= 0 && g.betas[1] < 1, this.name, 'beta parameter at index 1:', g.betas[1]);
    check(g.weightDecay >= 0, this.name, 'weight_decay value', g.weightDecay);
  }

  protected updateGroup(g: ParamGroup<AdamDefaults>): void {
    const [beta1, beta2] = g.betas;
    const decoupled = (this.constructor as typeof Adam).decoupled;
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.expAvg = keep(zerosLike(p));
        state.expAvgSq = keep(zerosLike(p));
        if (g.amsgrad) state.maxExpAvgSq = keep(zerosLike(p));
      }
      const expAvg = state.expAvg as Tensor;
      const expAvgSq = state.expAvgSq as Tensor;
      let grad: Tensor = g.maximize ? p.grad.neg() : p.grad;
      const step = (state.step as number) + 1;
      state.step = step;
      if (decoupled) p.mul_(1 - g.lr * g.weightDecay);
      else if (g.weightDecay !== 0) grad = grad.add(p, g.weightDecay);
      // Decay the first and second moment running averages (addcmul: v * g * g, left to right).
      expAvg.mul_(beta1).add_(grad, 1 - beta1);
      expAvgSq.mul_(beta2).add_(grad.mul(1 - beta2).mul(grad));
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2 = 1 - beta2 ** step;
      const stepSize = g.lr / biasCorrection1;
      const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
      let second = expAvgSq;
      if (g.amsgrad) {
        const maxSq = this.stateBuffer(p, 'maxExpAvgSq');
        maxSq.copy_(maxSq.maximum(expAvgSq));
        second = maxSq;
      }
      const denom = second.sqrt().div(biasCorrection2Sqrt).add(g.eps);
      // addcdiv: p + (value * expAvg) / denom
      p.add_(expAvg.mul(-stepSize).div(denom));
    }
  }
}
