// Power-average pooling, composed exactly as PyTorch's lp_pool1d/lp_pool2d: average pooling of
// x^p, times the window size, to the power 1/p (through sign·relu(|·|), as PyTorch), so the
// values — including its quirks with ceilMode's partial windows — and gradients match.

import { mul, pow } from '../../ops/binary.js';
import { abs, relu, sign } from '../../ops/unary.js';
import {
  any,
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
import { ntuple } from './conv-args.js';
import { avgPool2d } from './pool.js';
import { avgPool1d } from './pool-nd.js';
import type { IntOrTuple } from './pool-windows.js';

// torch.nn.functional.lp_pool1d / lp_pool2d (Python functions).
const params = [
  req('input', any),
  req('normType', num),
  req('kernelSize', intOrTuple),
  opt('stride', optional(intOrTuple)),
  opt('ceilMode', bool),
];
const LP_POOL1D = signature('F.lpPool1d', params);
const LP_POOL2D = signature('F.lpPool2d', params);

/** Options of {@link lpPool1d} and {@link lpPool2d}. */
export interface LPPoolOptions {
  /** Step of the window (default: the kernel size). */
  stride?: IntOrTuple | null;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
}

type Rest = PosOrOpts<[stride: IntOrTuple | null, ceilMode: boolean], LPPoolOptions>;
type Parsed = { input: Tensor; normType: number; kernelSize: IntOrTuple } & LPPoolOptions;

function finish(out: Tensor, windowSize: number, p: number): Tensor {
  return pow(mul(mul(sign(out), relu(abs(out))), windowSize), 1 / p);
}

/**
 * 1-D power-average pooling of x [N, C, L]: (Σ_window x^p)^(1/p).
 *
 * ```ts
 * const y = F.lpPool1d(x, 2, 3);              // L2 pooling over windows of 3
 * ```
 */
export function lpPool1d(input: Tensor, normType: number, kernelSize: IntOrTuple, ...rest: Rest): Tensor {
  const a = LP_POOL1D.parse<Parsed>([input, normType, kernelSize, ...rest]);
  const [k] = ntuple('lpPool1d', 'kernelSize', a.kernelSize, 1, 1);
  const out = avgPool1d(pow(a.input, a.normType), a.kernelSize, a.stride ?? null, 0, a.ceilMode ?? false);
  return finish(out, k, a.normType);
}

/**
 * 2-D power-average pooling of x [N, C, H, W]: (Σ_window x^p)^(1/p); p = 1 is sum pooling,
 * p → ∞ max pooling.
 *
 * ```ts
 * const y = F.lpPool2d(x, 2, 3, { stride: 2 });
 * ```
 */
export function lpPool2d(input: Tensor, normType: number, kernelSize: IntOrTuple, ...rest: Rest): Tensor {
  const a = LP_POOL2D.parse<Parsed>([input, normType, kernelSize, ...rest]);
  const [kh, kw] = ntuple('lpPool2d', 'kernelSize', a.kernelSize, 2, 1);
  const out = avgPool2d(pow(a.input, a.normType), a.kernelSize, a.stride ?? null, 0, a.ceilMode ?? false);
  return finish(out, kh * kw, a.normType);
}
