// torchvision.transforms.functional.normalize.
import { Tensor, tensor, tidy } from '@proj/core';
import { describeInput } from '../transform.js';
import { isFloatDtype } from './convert.js';

/**
 * torchvision's `normalize`: `(x[c] - mean[c]) / std[c]` for each channel of a float tensor
 * image [..., C, H, W], computed in the tensor's dtype. `mean` and `std` have one value per
 * channel, or one for all. Returns a new tensor (torchvision's `inplace=False`).
 *
 * @throws Error if `x` is not a float tensor image of rank >= 3, `mean` or `std` has neither 1
 * nor C values, or a `std` is zero in `x`'s dtype.
 *
 * ```ts
 * normalize(x, [0.1307], [0.3081]); // MNIST's statistics
 * ```
 */
export function normalize(x: Tensor, mean: readonly number[], std: readonly number[]): Tensor {
  const op = 'normalize';
  if (!(x instanceof Tensor)) {
    throw new Error(
      `${op}: expected a float tensor image [..., C, H, W], got ${describeInput(x)} (apply ToTensor first)`,
    );
  }
  if (!isFloatDtype(x.dtype))
    throw new Error(`${op}: input tensor should be a float tensor, got ${describeInput(x)}`);
  if (x.ndim < 3) {
    throw new Error(`${op}: expected a tensor image of size [..., C, H, W], got ${describeInput(x)}`);
  }
  const c = x.shape[x.ndim - 3];
  for (const [name, v] of [
    ['mean', mean],
    ['std', std],
  ] as const) {
    if (!Array.isArray(v) || (v.length !== 1 && v.length !== c)) {
      throw new Error(
        `${op}: ${name} needs 1 or ${c} values (one per channel of ${describeInput(x)}), got ${JSON.stringify(v)}`,
      );
    }
  }
  return tidy(() => {
    const m = tensor([...mean], { dtype: x.dtype }).view(-1, 1, 1);
    const s = tensor([...std], { dtype: x.dtype }).view(-1, 1, 1);
    if (s.eq(0).any().item()) {
      throw new Error(
        `${op}: std evaluated to zero after conversion to ${x.dtype}, leading to division by zero (std ${JSON.stringify(std)})`,
      );
    }
    return x.sub(m).div(s);
  });
}
