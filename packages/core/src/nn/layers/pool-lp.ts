// LPPool1d and LPPool2d: power-average pooling layers (PyTorch's arguments and repr).

import {
  bool,
  intOrTuple,
  num,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { lpPool1d, lpPool2d } from '../functional/pool-lp.js';
import type { IntOrTuple } from '../functional/pool-windows.js';
import { Module } from '../module.js';
import { pyBool, pyValue } from './conv-repr.js';

// inspect.signature of torch.nn.LPPool1d / LPPool2d.
const params = [
  req('normType', num),
  req('kernelSize', intOrTuple),
  opt('stride', optional(intOrTuple)),
  opt('ceilMode', bool),
];
const LP_POOL1D = signature('LPPool1d', params);
const LP_POOL2D = signature('LPPool2d', params);

/** Options of the LP pooling layers. */
export interface LPPoolLayerOptions {
  /** Default: the kernel size. */
  stride?: IntOrTuple | null;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
}

type Rest = PosOrOpts<[stride: IntOrTuple | null, ceilMode: boolean], LPPoolLayerOptions>;
type Parsed = { normType: number; kernelSize: IntOrTuple } & LPPoolLayerOptions;

/** PyTorch's `_LPPoolNd`. */
abstract class LPPoolNd extends Module {
  /** The power p. */
  readonly normType: number;
  /** Size of the window. */
  readonly kernelSize: IntOrTuple;
  /** Step of the window; null: the kernel size. */
  readonly stride: IntOrTuple | null;
  /** Whether the output size rounds up instead of down. */
  readonly ceilMode: boolean;

  protected constructor(o: Parsed) {
    super();
    this.normType = o.normType;
    this.kernelSize = o.kernelSize;
    this.stride = o.stride ?? null;
    this.ceilMode = o.ceilMode ?? false;
  }

  override extraRepr(): string {
    const r = (v: IntOrTuple | null) => pyValue(v === null || typeof v === 'number' ? v : [...v]);
    return `norm_type=${this.normType}, kernel_size=${r(this.kernelSize)}, stride=${r(this.stride)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

/**
 * `torch.nn.LPPool1d`: 1-D power-average pooling, (Σ_window x^p)^(1/p), p = normType. Input
 * `(N, C, L_in)` or `(C, L_in)`; output `(N, C, L_out)`, L_out = ⌊(L_in − k)/stride + 1⌋.
 *
 * ```ts
 * const pool = new nn.LPPool1d(2, 3, { stride: 2 });
 * ```
 */
export class LPPool1d extends LPPoolNd {
  constructor(normType: number, kernelSize: IntOrTuple, ...rest: Rest) {
    super(LP_POOL1D.parse<Parsed>([normType, kernelSize, ...rest]));
  }

  override forward(input: Tensor): Tensor {
    return lpPool1d(input, this.normType, this.kernelSize, this.stride, this.ceilMode);
  }
}

/**
 * `torch.nn.LPPool2d`: 2-D power-average pooling, (Σ_window x^p)^(1/p), p = normType. Input
 * `(N, C, H_in, W_in)` or `(C, H_in, W_in)`; H_out = ⌊(H_in − kH)/stride + 1⌋ (W likewise).
 *
 * ```ts
 * const pool = new nn.LPPool2d(2, 3, { stride: 2 });
 * ```
 */
export class LPPool2d extends LPPoolNd {
  constructor(normType: number, kernelSize: IntOrTuple, ...rest: Rest) {
    super(LP_POOL2D.parse<Parsed>([normType, kernelSize, ...rest]));
  }

  override forward(input: Tensor): Tensor {
    return lpPool2d(input, this.normType, this.kernelSize, this.stride, this.ceilMode);
  }
}
