import { ADAMW_SIG, Adam } from './adam.js';

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, `p *= 1 - lr * weightDecay`
 * before the moment update (default weightDecay 1e-2); PyTorch 1.13's single-tensor `adamw`.
 *
 * ```ts
 * const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 * ```
 */
export class AdamW extends Adam {
  protected static override readonly optimizerName: string = 'AdamW';
  protected static override readonly defaultWeightDecay: number = 1e-2;
  protected static override readonly decoupled: boolean = true;

  protected static override readonly signature = ADAMW_SIG;
}
