import { type Check, int, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { normDim } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';

// PyTorch's nn.Flatten(start_dim=1, end_dim=-1) and nn.Unflatten(dim, unflattened_size)
// (named dims — a string dim with (name, size) pairs — are not supported: `dim` is an int).
const FLATTEN = signature('Flatten', [opt('startDim', int), opt('endDim', int)]);
const ints: Check = (v) =>
  Array.isArray(v) && v.every((x) => Number.isInteger(x)) ? null : 'an array of integers';
const UNFLATTEN = signature('Unflatten', [req('dim', int), req('unflattenedSize', ints)]);

/** Options of {@link Flatten}. */
export interface FlattenOptions {
  /** Default 1 (keeps the batch dim). */
  startDim?: number;
  /** Default -1. */
  endDim?: number;
}

/**
 * `torch.nn.Flatten`: flattens dims `startDim..endDim` into one (default: everything but the
 * batch dim), e.g. `(N, C, H, W)` → `(N, C·H·W)`.
 *
 * ```ts
 * new nn.Flatten().forward(x); // [N, 1, 28, 28] -> [N, 784]
 * ```
 */
export class Flatten extends Module {
  /** First dim flattened. */
  readonly startDim: number;
  /** Last dim flattened (inclusive; negative counts from the end). */
  readonly endDim: number;

  constructor(...rest: PosOrOpts<[startDim: number, endDim: number], FlattenOptions>) {
    super();
    const opts = FLATTEN.parse<FlattenOptions>(rest);
    this.startDim = opts.startDim ?? 1;
    this.endDim = opts.endDim ?? -1;
  }

  override forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Options of {@link Unflatten} (its parameters by name). */
export interface UnflattenOptions {
  /** The dim to expand (required). */
  dim?: number;
  /** The sizes it expands into; their product must be the dim's size (required). */
  unflattenedSize?: readonly number[];
}

/**
 * `torch.nn.Unflatten`: expands dim `dim` into `unflattenedSize` (e.g. `[N, 784]` →
 * `[N, 1, 28, 28]`). Throws in forward when the sizes do not multiply to the dim's size.
 */
export class Unflatten extends Module {
  /** The dim expanded. */
  readonly dim: number;
  /** The sizes it expands into. */
  readonly unflattenedSize: readonly number[];

  constructor(dim: number, unflattenedSize: readonly number[], ...rest: PosOrOpts<[], UnflattenOptions>) {
    super();
    const opts = UNFLATTEN.parse<{ dim: number; unflattenedSize: readonly number[] }>([
      dim,
      unflattenedSize,
      ...rest,
    ]);
    this.dim = opts.dim;
    this.unflattenedSize = [...opts.unflattenedSize];
  }

  override forward(input: Tensor): Tensor {
    const d = normDim('Unflatten', this.dim, input.ndim);
    return input.reshape([...input.shape.slice(0, d), ...this.unflattenedSize, ...input.shape.slice(d + 1)]);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=(${this.unflattenedSize.join(', ')})`;
  }
}
