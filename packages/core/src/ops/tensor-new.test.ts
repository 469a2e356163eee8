import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { tensor } from '../index.js';

describe('new_* and view_as', () => {
  it('take the dtype and device of the tensor unless given', () => {
    const x = tensor([1, 2], { dtype: 'float64' });
    const z = x.newZeros([2, 3]);
    expect([z.shape, z.dtype, z.device]).toEqual([[2, 3], 'float64', x.device]);
    expect(Array.from(x.newOnes([2], { dtype: 'int32' }).dataSync())).toEqual([1, 1]);
    expect(Array.from(x.newFull([3], 7).dataSync())).toEqual([7, 7, 7]);
    expect(x.newEmpty([1, 2]).shape).toEqual([1, 2]);
    expect(x.newZeros([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('viewAs shares storage with the shape of the other tensor; cpu() moves to cpu', () => {
    const x = tensor([1, 2, 3, 4, 5, 6]);
    const v = x.viewAs(
      tensor([
        [0, 0, 0],
        [0, 0, 0],
      ]),
    );
    expect(v.shape).toEqual([2, 3]);
    v.add_(1);
    expect(Array.from(x.dataSync())).toEqual([2, 3, 4, 5, 6, 7]);
    expect(x.cpu().device).toBe('cpu');
  });
});

describe('table methods of one tensor', () => {
  it('refuse extra arguments instead of ignoring them', () => {
    const x = tensor([1, 2]);
    expect(() => (x.exp as (...a: unknown[]) => unknown)({ out: x })).toThrow(
      /exp: takes no arguments after the tensor/,
    );
    expect(() => (x.isinf as (...a: unknown[]) => unknown)(1)).toThrow(/isinf: takes no arguments/);
    expect(x.exp().shape).toEqual([2]);
  });
});
