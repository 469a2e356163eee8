// randLike, randnLike, randintLike, empty, emptyLike: shapes, dtypes and devices as PyTorch's,
// the distributions (fixed seeds), determinism under manualSeed, and PyTorch's refusals.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  empty,
  emptyLike,
  manualSeed,
  ones,
  randintLike,
  randLike,
  randnLike,
  type Tensor,
  tidy,
  zeros,
} from '../index.js';

const flat = (t: Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number | bigint>, Number);
const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

describe('randLike / randnLike', () => {
  it("take the input's shape, dtype and device, each overridable", () => {
    tidy(() => {
      const x = zeros(2, 3, { dtype: 'float64' });
      const r = randLike(x);
      expect([r.shape, r.dtype, r.device, r.requiresGrad]).toEqual([[2, 3], 'float64', 'cpu', false]);
      expect(randnLike(x, { dtype: 'float32', requiresGrad: true }).dtype).toBe('float32');
      expect(randLike(x, { requiresGrad: true }).requiresGrad).toBe(true);
      expect(randLike(zeros(0, 4)).shape).toEqual([0, 4]);
    });
  });

  it('draw U[0, 1) and N(0, 1) (20000 draws), deterministic under manualSeed', () => {
    tidy(() => {
      manualSeed(12);
      const u = flat(randLike(zeros(20000)));
      expect(u.every((v) => v >= 0 && v < 1)).toBe(true);
      expect(Math.abs(mean(u) - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / 20000));
      const n = flat(randnLike(zeros(20000)));
      expect(Math.abs(mean(n))).toBeLessThan(4 / Math.sqrt(20000));
      expect(Math.abs(mean(n.map((v) => v * v)) - 1)).toBeLessThan(0.05);
      manualSeed(12);
      expect(flat(randLike(zeros(20000)))).toEqual(u);
    });
  });

  it('refuse integer dtypes, as PyTorch', () => {
    tidy(() => {
      expect(() => randLike(ones(2, { dtype: 'int64' }))).toThrow(/randLike: not implemented for int64/);
      expect(() => randnLike(ones(2), { dtype: 'int32' })).toThrow(/randnLike: not implemented for int32/);
      expect(() => randLike(ones(2), { memoryFormat: 'x' } as never)).toThrow(
        /'memoryFormat' is not supported/,
      );
    });
  });
});

describe('randintLike', () => {
  it('draws integers in [low, high) in the input dtype (floats too), high alone meaning low = 0', () => {
    tidy(() => {
      manualSeed(2);
      const f = randintLike(zeros(20000), 5);
      expect(f.dtype).toBe('float32');
      const v = flat(f);
      expect(v.every((x) => Number.isInteger(x) && x >= 0 && x < 5)).toBe(true);
      expect(new Set(v)).toEqual(new Set([0, 1, 2, 3, 4]));
      expect(Math.abs(mean(v) - 2)).toBeLessThan(4 * Math.sqrt(2 / 20000));
      const i = randintLike(zeros(100, { dtype: 'int32' }), 3, 5);
      expect(i.dtype).toBe('int32');
      expect(flat(i).every((x) => x === 3 || x === 4)).toBe(true);
      expect(randintLike(ones(3, { dtype: 'bool' }), 2).dtype).toBe('bool');
      expect(randintLike(ones(3), { low: 1, high: 2 }).toArray()).toEqual([1, 1, 1]);
      expect(randintLike(ones(3), 10, { dtype: 'int64' }).dtype).toBe('int64');
    });
  });

  it('refuses an empty range or one the dtype cannot hold', () => {
    tidy(() => {
      expect(() => randintLike(ones(2), 5, 5)).toThrow(
        /randintLike: expects low < high, but got low = 5 >= high = 5/,
      );
      expect(() => randintLike(ones(2, { dtype: 'uint8' }), 300)).toThrow(/randintLike/);
    });
  });
});

describe('empty / emptyLike', () => {
  it("have PyTorch's shapes, dtypes and devices (filled with zeros here; PyTorch leaves them uninitialised)", () => {
    tidy(() => {
      const e = empty(2, 3);
      expect([e.shape, e.dtype, e.device]).toEqual([[2, 3], 'float32', 'cpu']);
      expect(empty([4], { dtype: 'int64' }).dtype).toBe('int64');
      expect(empty({ size: [1, 2] }).shape).toEqual([1, 2]);
      expect(empty(2, { requiresGrad: true, pinMemory: false }).requiresGrad).toBe(true);
      const l = emptyLike(ones(3, 1, { dtype: 'int32' }));
      expect([l.shape, l.dtype]).toEqual([[3, 1], 'int32']);
      expect(emptyLike(ones(2), { dtype: 'float64' }).dtype).toBe('float64');
      expect(() => empty(2, { pinMemory: true })).toThrow(/empty: pinMemory must be false/);
      expect(() => empty(-1)).toThrow(/empty: size must be non-negative integers/);
    });
  });
});
