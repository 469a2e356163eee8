// MaxUnpool1d/2d/3d: PyTorch's arguments (sizes kept as tuples, as its repr shows) and
// forward(input, indices, outputSize?) over the functional forms.

import { intOrTuple, opt, optional, type PosOrOpts, req, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ntuple } from '../functional/conv-args.js';
import { maxUnpool1d, maxUnpool2d, maxUnpool3d } from '../functional/pool-unpool.js';
import type { IntOrTuple } from '../functional/pool-windows.js';
import { Module } from '../module.js';
import { pyTuple } from './conv-repr.js';

// inspect.signature of torch.nn.MaxUnpool1d/2d/3d.
const params = [
  req('kernelSize', intOrTuple),
  opt('stride', optional(intOrTuple)),
  opt('padding', intOrTuple),
];
const SIGS = [1, 2, 3].map((n) => signature(`MaxUnpool${n}d`, params));
const FNS = [maxUnpool1d, maxUnpool2d, maxUnpool3d];

/** Options of the max unpooling layers. */
export interface MaxUnpoolLayerOptions {
  /** Default: the kernel size. */
  stride?: IntOrTuple | null;
  /** The padding of the max pooling being inverted (default 0). */
  padding?: IntOrTuple;
}

type Rest = PosOrOpts<[stride: IntOrTuple | null, padding: IntOrTuple], MaxUnpoolLayerOptions>;

/** PyTorch's `_MaxUnpoolNd`. */
abstract class MaxUnpoolNd extends Module {
  /** Size of the pooling window, one entry per spatial dim. */
  readonly kernelSize: number[];
  /** Step of the pooling window (the kernel size unless given), one entry per spatial dim. */
  readonly stride: number[];
  /** Padding of the pooling, one entry per spatial dim. */
  readonly padding: number[];
  private readonly n: number;

  protected constructor(n: number, args: unknown[]) {
    super();
    const op = `MaxUnpool${n}d`;
    const o = SIGS[n - 1].parse<MaxUnpoolLayerOptions & { kernelSize: IntOrTuple }>(args);
    this.n = n;
    this.kernelSize = ntuple(op, 'kernelSize', o.kernelSize, n, 1);
    this.stride =
      o.stride === null || o.stride === undefined ? this.kernelSize : ntuple(op, 'stride', o.stride, n, 1);
    this.padding = ntuple(op, 'padding', o.padding ?? 0, n, 0);
  }

  /** `indices` from the matching max pooling (`returnIndices: true`); `outputSize` picks among the sizes it maps from. */
  override forward(input: Tensor, indices: Tensor, outputSize?: readonly number[] | null): Tensor {
    return FNS[this.n - 1](input, indices, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      outputSize: outputSize ?? null,
    });
  }

  override extraRepr(): string {
    return `kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}, padding=${pyTuple(this.padding)}`;
  }
}

/**
 * `torch.nn.MaxUnpool1d`: the partial inverse of {@link MaxPool1d}, each value at its index,
 * zeros elsewhere. Input and indices `(N, C, L_in)` or `(C, L_in)`; output `(N, C, L_out)` with
 * L_out = (L_in − 1)·stride − 2·padding + kernelSize, or `outputSize`.
 *
 * ```ts
 * const unpool = new nn.MaxUnpool1d(2);
 * ```
 */
export class MaxUnpool1d extends MaxUnpoolNd {
  constructor(kernelSize: IntOrTuple, ...rest: Rest) {
    super(1, [kernelSize, ...rest]);
  }
}

/**
 * `torch.nn.MaxUnpool2d`: the partial inverse of {@link MaxPool2d}, each value at its index,
 * zeros elsewhere. Input and indices `(N, C, H_in, W_in)` or `(C, H_in, W_in)`; output
 * H_out = (H_in − 1)·stride − 2·padding + kH (W likewise), or `outputSize`.
 *
 * ```ts
 * const pool = new nn.MaxPool2d(2, { returnIndices: true });
 * const unpool = new nn.MaxUnpool2d(2);
 * const [y, idx] = pool.forward(x);
 * const back = unpool.forward(y, idx);
 * ```
 */
export class MaxUnpool2d extends MaxUnpoolNd {
  constructor(kernelSize: IntOrTuple, ...rest: Rest) {
    super(2, [kernelSize, ...rest]);
  }
}

/**
 * `torch.nn.MaxUnpool3d`: the partial inverse of {@link MaxPool3d}; input and indices
 * `(N, C, D, H, W)` or `(C, D, H, W)`, each output size as {@link MaxUnpool2d}'s H_out.
 */
export class MaxUnpool3d extends MaxUnpoolNd {
  constructor(kernelSize: IntOrTuple, ...rest: Rest) {
    super(3, [kernelSize, ...rest]);
  }
}
