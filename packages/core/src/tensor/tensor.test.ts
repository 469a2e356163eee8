import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  arange,
  eye,
  full,
  linspace,
  manualSeed,
  memory,
  ones,
  rand,
  randn,
  tensor,
  tidy,
  zeros,
} from '../index.js';

describe('Tensor basics', () => {
  it('creates from nested arrays with inferred dtype and shape', () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe('float32'); // numbers are float32 (contract v2), never a data-dependent int32
    expect(a.ndim).toBe(2);
    expect(a.numel()).toBe(6);
    expect(a.size(-1)).toBe(3);
    expect(a.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(tensor([1.5, 2]).dtype).toBe('float32');
    expect(tensor([true, false]).toArray()).toEqual([true, false]);
    expect(tensor(3).shape).toEqual([]);
    expect(tensor(3.5).item()).toBe(3.5);
  });

  it('refuses ragged arrays and non-scalar item()', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => tensor([1, 2]).item()).toThrow(/only a tensor with one element/);
  });

  it('creation functions', () => {
    expect(zeros(2, 2).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(ones([3], { dtype: 'int32' }).toArray()).toEqual([1, 1, 1]);
    expect(full([2], 7).toArray()).toEqual([7, 7]);
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('seeded random numbers repeat', () => {
    manualSeed(42);
    const a = randn(5).toArray();
    manualSeed(42);
    expect(randn(5).toArray()).toEqual(a);
    const u = rand(1000).dataSync();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
  });

  it('prints like PyTorch', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ])
        .float()
        .toString(),
    ).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(tensor([1.5, 2.25], { requiresGrad: true }).toString()).toBe(
      'tensor([1.5000, 2.2500], requires_grad=True)',
    );
    // PyTorch names every dtype but its defaults (float32, int64, bool)
    expect(tensor([1, 2], { dtype: 'int64' }).toString()).toBe('tensor([1, 2])');
    expect(tensor([1, 2], { dtype: 'int32' }).toString()).toBe('tensor([1, 2], dtype=torch.int32)');
    expect(tensor([1, 255], { dtype: 'uint8' }).toString()).toBe('tensor([  1, 255], dtype=torch.uint8)');
    expect(tensor([2n ** 62n, -3n]).toString()).toBe('tensor([4611686018427387904,                  -3])');
  });

  it('tidy frees intermediates and keeps the result', () => {
    const before = memory().numTensors;
    const y = tidy(() => {
      const a = ones(3);
      return a.add(1).mul(2);
    });
    expect(memory().numTensors).toBe(before + 1);
    expect(y.toArray()).toEqual([4, 4, 4]);
    y.dispose();
    expect(memory().numTensors).toBe(before);
    expect(() => y.add(1)).toThrow(/disposed/);
  });
  it('prints like PyTorch through console.log / util.inspect; .T and .mT (issue 12)', async () => {
    const { inspect } = await import('node:util');
    tidy(() => {
      expect(inspect(tensor([1.5, 2]))).toBe('tensor([1.5000, 2.0000])');
      expect(tensor([1, 2], { dtype: 'float64' }).toString()).toBe('tensor([1., 2.], dtype=torch.float64)');
      const m = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(m.T.toArray()).toEqual([
        [1, 4],
        [2, 5],
        [3, 6],
      ]);
      expect(zeros(2, 3, 4).T.shape).toEqual([4, 3, 2]);
      expect(zeros(5, 2, 3).mT.shape).toEqual([5, 3, 2]);
      expect(() => zeros(3).mT).toThrow(/mT: .*Got 1-D tensor/);
    });
  });
});
