// x ** e for x >= 0 with PyTorch's norm-backward convention at x == 0: the gradient there is 0
// (PyTorch's norm_backward and cdist backward mask those entries), where the chain rule through
// pow or sqrt would give 0 * inf = NaN. Built as where(x == 0, 0 ** e, pow(where(x == 0, 1, x), e))
// so the masked branch never sees a zero and the result stays differentiable twice.
import type { Tensor } from '../tensor/tensor.js';
import { eq, mul, pow, where } from './binary.js';
import { sqrt } from './pointwise.js';

/** `x ** e` (x >= 0) whose gradient is 0 where x == 0; e = 0.5 is `sqrt`, e = 2 `x * x`. */
export function maskedPow(x: Tensor, e: number): Tensor {
  if (e === 1) return x;
  if (e === 2) return mul(x, x);
  const zero = eq(x, 0);
  const safe = where(zero, 1, x);
  const inner = e === 0.5 ? sqrt(safe) : pow(safe, e);
  return where(zero, 0 ** e, inner);
}
