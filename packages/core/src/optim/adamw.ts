import { ADAMW_SIG, Adam } from './adam.js';

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, `p *= 1 - lr * weightDecay`
 * before the moment update (default weightDecay 1e-2); PyTorch 1.13's single-tensor `adamw`.
 *
 * @throws Error naming the optimizer for an out-of-range option (`AdamW: invalid learning rate -1`,
 *   as PyTorch's checks), an empty parameter list, a parameter that is not a leaf or sits in
 *   two groups; TypeError for an unknown option name or a mistyped value.
 *
 * @example
 * ```ts
 * const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 * ```
 */
export class AdamW extends Adam {
  protected static override readonly optimizerName: string = 'AdamW';
  protected static override readonly defaultWeightDecay: number = 1e-2;
  protected static override readonly decoupled: boolean = true;

  /** @internal AdamW's parameter list (PyTorch's, with its own weightDecay default). */
  protected static override readonly signature = ADAMW_SIG;
}
