// Vitest setup shared by every package (see `setupFiles` in vitest.shared.ts): tensors compare
// by value in `toEqual`/`toStrictEqual` (and in the hint of a failed `toBe`). Tensors are
// iterable over dim 0 as in PyTorch, and iterating a 0-d tensor is a TypeError, so vitest's
// generic iterable comparison must not reach them.
import { Tensor } from '@proj/core';
import { expect } from 'vitest';

function sameValues(a: Tensor, b: Tensor): boolean {
  if (a.isDisposed || b.isDisposed) return false;
  if (a.dtype !== b.dtype || a.device !== b.device || a.shape.length !== b.shape.length) return false;
  if (a.shape.some((d, i) => d !== b.shape[i])) return false;
  try {
    const x = a.dataSync<ArrayLike<number | bigint>>();
    const y = b.dataSync<ArrayLike<number | bigint>>();
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i]) && x[i] !== y[i]) return false;
    return true;
  } catch {
    return false;
  }
}

expect.addEqualityTesters([
  function tensorEquality(a: unknown, b: unknown): boolean | undefined {
    const ta = a instanceof Tensor;
    const tb = b instanceof Tensor;
    if (!ta && !tb) return undefined;
    if (ta !== tb) return false;
    return a === b || sameValues(a as Tensor, b as Tensor);
  },
]);
