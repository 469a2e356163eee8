// transforms.Normalize.
import type { Tensor } from '@proj/core';
import { normalize } from './functional/normalize.js';
import { type Transform, withRepr } from './transform.js';

/**
 * `transforms.Normalize(mean, std)`: `(x[c] - mean[c]) / std[c]` for each channel of a float
 * tensor image [..., C, H, W] (after ToTensor). One value serves every channel.
 *
 * @throws Error if `mean` or `std` is not a non-empty array of finite numbers; the transform
 * throws as {@link normalize} does (not a float tensor image, a channel count mismatch, a zero std).
 *
 * ```ts
 * transforms.Normalize([0.4914, 0.4822, 0.4465], [0.247, 0.243, 0.261]); // CIFAR-10
 * ```
 */
export function Normalize(mean: readonly number[], std: readonly number[]): Transform<Tensor, Tensor> {
  for (const [name, v] of [
    ['mean', mean],
    ['std', std],
  ] as const) {
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      throw new Error(
        `Normalize: ${name} must be a non-empty array of finite numbers, got ${JSON.stringify(v)}`,
      );
    }
  }
  const m = [...mean];
  const s = [...std];
  return withRepr(
    (x: Tensor) => normalize(x, m, s),
    `Normalize(mean=[${m.join(', ')}], std=[${s.join(', ')}])`,
  );
}
