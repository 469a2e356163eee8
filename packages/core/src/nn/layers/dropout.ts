import { notInplace, num, opt, type PosOrOpts, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropout } from '../functional/layers.js';
import { Module } from '../module.js';

/** PyTorch's nn.Dropout(p=0.5, inplace=False); `inplace` is accepted as false only. */
const DROPOUT = signature('Dropout', [opt('p', num), opt('inplace', notInplace)]);

/** Options of {@link Dropout}. */
export interface DropoutLayerOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** Must be false: in-place dropout is not supported. */
  inplace?: false;
}

/**
 * `torch.nn.Dropout`: during training, zeroes each element with probability `p` and scales the
 * others by 1/(1-p); the identity in eval mode. Masks come from the seeded core generator. Input
 * of any shape; output of the same shape. Throws when p is outside [0, 1].
 *
 * ```ts
 * const drop = new nn.Dropout(0.1);
 * drop.train(); // drop.eval() makes it the identity
 * ```
 */
export class Dropout extends Module {
  /** Probability of zeroing an element. */
  readonly p: number;

  constructor(...rest: PosOrOpts<[p: number, inplace: false], DropoutLayerOptions>) {
    super();
    const p = DROPOUT.parse<DropoutLayerOptions>(rest).p ?? 0.5;
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
  }

  override forward(input: Tensor): Tensor {
    return dropout(input, this.p, { training: this.training });
  }

  override extraRepr(): string {
    return `p=${this.p}, inplace=False`;
  }
}
