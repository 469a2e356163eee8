// Local response normalisation across channels (AlexNet), as PyTorch's functional composite:
// the squared input averaged over a zero-padded window of `size` channels.
import { checkFloat, checkTensor } from '../../ops/util.js';
import { any, int, num, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from './conv-args.js';
import { pad } from './pad.js';

// torch.nn.functional.local_response_norm(input, size, alpha=0.0001, beta=0.75, k=1.0).
const LOCAL_RESPONSE_NORM = signature('F.localResponseNorm', [
  req('input', any),
  req('size', int),
  opt('alpha', num),
  opt('beta', num),
  opt('k', num),
]);

/** Options of {@link localResponseNorm}. */
export interface LocalResponseNormOptions {
  /** Number of neighbouring channels summed over; required, by position or by name. */
  size?: number;
  /** Multiplicative factor α (default 1e-4). */
  alpha?: number;
  /** Exponent β (default 0.75). */
  beta?: number;
  /** Additive constant k (default 1). */
  k?: number;
}

/**
 * y = x / (k + α/n · Σ x²)^β, the sum over the `size` channels around each one (zero-padded:
 * size/2 before, (size−1)/2 after), for x [N, C, *] with at least 3 dims.
 *
 * ```ts
 * const y = F.localResponseNorm(x, 5, 1e-4, 0.75, 2);
 * ```
 */
export function localResponseNorm(
  input: Tensor,
  size: number,
  ...rest: PosOrOpts<[alpha: number, beta: number, k: number], LocalResponseNormOptions>
): Tensor {
  const a = LOCAL_RESPONSE_NORM.parse<LocalResponseNormOptions & { input: Tensor; size: number }>([
    input,
    size,
    ...rest,
  ]);
  const op = 'localResponseNorm';
  const x = checkTensor(op, a.input);
  checkFloat(op, x);
  const n = a.size;
  if (x.ndim < 3)
    throw new Error(
      `${op}: expected 3D or higher dimensionality input [N, C, *] (got ${x.ndim} dimensions: ${fmt(x.shape)})`,
    );
  if (!(n >= 1)) throw new Error(`${op}: size must be a positive integer, got ${n}`);
  if (x.numel() === 0) return x;
  const C = x.shape[1];
  // Pad the channel dim (pads are listed last dim first, so dim 1 is the last pair).
  const pads = [...new Array<number>(2 * (x.ndim - 2)).fill(0), Math.floor(n / 2), Math.floor((n - 1) / 2)];
  const sq = pad(x.mul(x), pads);
  // The window sum in PyTorch's order (avg_pool adds the window front to back, then divides).
  let sum = sq.narrow(1, 0, C);
  for (let j = 1; j < n; j++) sum = sum.add(sq.narrow(1, j, C));
  const div = sum
    .div(n)
    .mul(a.alpha ?? 1e-4)
    .add(a.k ?? 1)
    .pow(a.beta ?? 0.75);
  return x.div(div);
}
