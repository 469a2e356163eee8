// AdaptiveAvgPool1d, AdaptiveMaxPool1d and AdaptiveMaxPool2d: PyTorch's arguments, repr and
// forward (values, or [values, indices] with returnIndices). AdaptiveAvgPool2d is in pool.ts.

import { any, bool, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { MaxPoolResult } from '../functional/pool.js';
import {
  type AdaptiveSize,
  adaptiveAvgPool1d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
} from '../functional/pool-adaptive.js';
import { Module } from '../module.js';
import { pyValue } from './conv-repr.js';

// inspect.signature of torch.nn.AdaptiveAvgPool1d / AdaptiveMaxPool1d / AdaptiveMaxPool2d.
const ADAPTIVE_AVG_POOL1D = signature('AdaptiveAvgPool1d', [req('outputSize', any)]);
const maxParams = [req('outputSize', any), opt('returnIndices', bool)];
const ADAPTIVE_MAX_POOL1D = signature('AdaptiveMaxPool1d', maxParams);
const ADAPTIVE_MAX_POOL2D = signature('AdaptiveMaxPool2d', maxParams);

const sizeRepr = (o: AdaptiveSize): string => (typeof o === 'number' ? String(o) : pyValue([...o]));

/**
 * `torch.nn.AdaptiveAvgPool1d`: 1-D average pooling to a fixed length, PyTorch's windows. Input
 * `(N, C, L_in)` or `(C, L_in)`; output `(N, C, L_out)`, L_out = outputSize.
 *
 * ```ts
 * const pool = new nn.AdaptiveAvgPool1d(1); // global average over L
 * ```
 */
export class AdaptiveAvgPool1d extends Module {
  /** The output length L_out (an int or a 1-tuple). */
  readonly outputSize: number | readonly number[];

  constructor(
    ...args: PosOrOpts<[outputSize: number | readonly number[]], { outputSize?: number | readonly number[] }>
  ) {
    super();
    this.outputSize = ADAPTIVE_AVG_POOL1D.parse<{ outputSize: number | readonly number[] }>(args).outputSize;
  }

  override forward(input: Tensor): Tensor {
    return adaptiveAvgPool1d(input, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${sizeRepr(this.outputSize)}`;
  }
}

/** PyTorch's `_AdaptiveMaxPoolNd`: outputSize, returnIndices and the repr. */
abstract class AdaptiveMaxPoolNd<R extends boolean, S extends AdaptiveSize> extends Module {
  /** The output size (per spatial dim; null keeps that input dim). */
  readonly outputSize: S;
  /** Whether forward also returns the indices of the maxima. */
  readonly returnIndices: R;

  protected constructor(o: { outputSize: S; returnIndices?: R }) {
    super();
    this.outputSize = o.outputSize;
    this.returnIndices = o.returnIndices ?? (false as R);
  }

  override extraRepr(): string {
    return `output_size=${sizeRepr(this.outputSize)}`;
  }
}

type MaxArgs<R extends boolean, S> = PosOrOpts<
  [outputSize: S, returnIndices: R],
  { outputSize?: S; returnIndices?: R }
>;

/**
 * `torch.nn.AdaptiveMaxPool1d`: 1-D max pooling to a fixed length. Input `(N, C, L_in)` or
 * `(C, L_in)`; output `(N, C, L_out)`, L_out = outputSize. With `returnIndices: true` forward
 * returns `[values, indices]`.
 *
 * ```ts
 * const pool = new nn.AdaptiveMaxPool1d(4);
 * ```
 */
export class AdaptiveMaxPool1d<R extends boolean = false> extends AdaptiveMaxPoolNd<
  R,
  number | readonly number[]
> {
  constructor(...args: MaxArgs<R, number | readonly number[]>) {
    super(ADAPTIVE_MAX_POOL1D.parse<{ outputSize: number | readonly number[]; returnIndices?: R }>(args));
  }

  override forward(input: Tensor): MaxPoolResult<R> {
    return adaptiveMaxPool1d<R>(input, this.outputSize, this.returnIndices);
  }
}

/**
 * `torch.nn.AdaptiveMaxPool2d`: 2-D max pooling to a fixed size (`null` keeps that input dim).
 * Input `(N, C, H_in, W_in)` or `(C, H_in, W_in)`; output `(N, C, H_out, W_out)` = outputSize.
 * With `returnIndices: true` forward returns `[values, indices]`.
 *
 * ```ts
 * const pool = new nn.AdaptiveMaxPool2d([7, 7]);
 * ```
 */
export class AdaptiveMaxPool2d<R extends boolean = false> extends AdaptiveMaxPoolNd<R, AdaptiveSize> {
  constructor(...args: MaxArgs<R, AdaptiveSize>) {
    super(ADAPTIVE_MAX_POOL2D.parse<{ outputSize: AdaptiveSize; returnIndices?: R }>(args));
  }

  override forward(input: Tensor): MaxPoolResult<R> {
    return adaptiveMaxPool2d<R>(input, this.outputSize, this.returnIndices);
  }
}
