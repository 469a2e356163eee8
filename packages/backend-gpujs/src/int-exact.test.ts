// int32 lives in float32 textures on gpujs, exact to ±2^24: values beyond are refused with an
// error instead of being rounded (issue 11: "corrupted above 2^24 without a word").
import '@proj/backend-cpu';
import { backendByName, full, setBackend, tensor, tidy } from '@proj/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import './index.js';
import type { GpujsBackend } from './index.js';

const E = 2 ** 24;

beforeAll(() => setBackend('gpujs'));
afterAll(() => setBackend('cpu'));

describe('gpujs int32 exactness', () => {
  it('write and fill keep ±2^24 and refuse 2^24 + 1 with the reason', () => {
    tidy(() => {
      expect(Array.from(tensor([E, -E, 7], { dtype: 'int32' }).dataSync())).toEqual([E, -E, 7]);
      expect(() => tensor([1, E + 1], { dtype: 'int32' })).toThrow(
        /gpujs write: int32 value 16777217 cannot be stored exactly \(gpu\.js keeps int32 and int64 in float32 textures, exact to ±2\^24.*use the cpu or onnx backend/,
      );
      expect(() => tensor([-E - 3], { dtype: 'int32' })).toThrow(/int32 value -16777219/);
      expect(() => full([2], E + 1, { dtype: 'int32' })).toThrow(/gpujs fill: int32 value 16777217/);
      expect(full([2], -E, { dtype: 'int32' }).dataSync()[1]).toBe(-E);
    });
  });

  it('the backend primitives refuse too (not only through core)', () => {
    const be = backendByName('gpujs') as GpujsBackend;
    expect(() => be.write(new Int32Array([2147483647]), [1], 'int32')).toThrow(/2147483647 cannot be stored/);
    expect(() => be.fill([3], 'int32', -(2 ** 31))).toThrow(/-2147483648 cannot be stored/);
  });

  it('cast float32 → int32 truncates exact values and refuses NaN, ±Infinity and |v| > 2^24', () => {
    tidy(() => {
      expect(Array.from(tensor([2.9, -2.9, E, -E]).int().dataSync())).toEqual([2, -2, E, -E]);
      expect(() => tensor([1, Number.NaN]).int()).toThrow(/cast: value NaN does not fit int32/);
      expect(() => tensor([Number.POSITIVE_INFINITY]).int()).toThrow(/value Infinity does not fit int32/);
      expect(() => tensor([3e9]).int()).toThrow(/value 3000000000 does not fit int32/);
      expect(() => tensor([0, E + 2]).int()).toThrow(
        /gpujs cast: int32 value 16777218 cannot be stored exactly.*exact to ±2\^24/,
      );
      // a long tensor with one bad value far in: the check covers every element
      const v = new Float32Array(70000).fill(1);
      v[69999] = -1e8;
      expect(() => tensor(v).int()).toThrow(/-100000000/);
    });
  });

  it('int32 arithmetic whose result passes 2^24 is refused, not rounded', () => {
    tidy(() => {
      const a = tensor([E - 1, 5], { dtype: 'int32' });
      expect(Array.from(a.add(tensor([0, 1], { dtype: 'int32' })).dataSync())).toEqual([E - 1, 6]);
      expect(() => a.add(tensor([2, 0], { dtype: 'int32' }))).toThrow(
        /gpujs add: an int32 result reaches 16777216 in magnitude.*exact to ±2\^24/,
      );
      expect(() => tensor([4097], { dtype: 'int32' }).mul(tensor([4097], { dtype: 'int32' }))).toThrow(
        /gpujs mul: an int32 result reaches 16785408/,
      );
      expect(() => tensor([-E + 1], { dtype: 'int32' }).sub(tensor([3], { dtype: 'int32' }))).toThrow(
        /gpujs sub/,
      );
      expect(() => tensor([2], { dtype: 'int32' }).pow(tensor([25], { dtype: 'int32' }))).toThrow(
        /gpujs pow/,
      );
      // max/min cannot grow: no check, no error
      expect(Array.from(a.maximum(tensor([2, 9], { dtype: 'int32' })).dataSync())).toEqual([E - 1, 9]);
    });
  });

  it('int32 sums and products (int64, as PyTorch sums integers) that could pass 2^24 are refused', () => {
    tidy(() => {
      const big = tensor([E / 2, E / 2 - 1, 1], { dtype: 'int32' });
      expect(() => big.sum()).toThrow(/gpujs sum: an int64 sum of magnitudes reaches 16777216/);
      // cancelling terms still pass through 2^24 + 1 in float32 on the way
      expect(() => tensor([E, 1, -E], { dtype: 'int32' }).sum()).toThrow(/sum of magnitudes/);
      expect(
        tensor([E / 2, E / 4], { dtype: 'int32' })
          .sum()
          .item(),
      ).toBe((3 * E) / 4);
      expect(() => tensor([4096, 4096], { dtype: 'int32' }).prod()).toThrow(
        /gpujs prod: an int64 product reaches 16777216/,
      );
      expect(tensor([4096, -2048], { dtype: 'int32' }).prod().item()).toBe(-(2 ** 23));
      // per output element
      expect(
        tensor(
          [
            [3, 4],
            [E / 2, 5],
          ],
          { dtype: 'int32' },
        )
          .sum(1)
          .toArray(),
      ).toEqual([7, E / 2 + 5]);
    });
  });

  it('int64 is held like int32 (exact to ±2^24, refused beyond); uint8 results stay in 0..255', () => {
    tidy(() => {
      const x = tensor([BigInt(E), -5n]);
      expect(x.dataSync<BigInt64Array>()).toEqual(BigInt64Array.of(BigInt(E), -5n));
      expect(() => tensor([BigInt(E + 1)])).toThrow(
        /gpujs write: int64 value 16777217 cannot be stored exactly/,
      );
      expect(() => tensor([2n ** 62n])).toThrow(/int64 value 4611686018427387904 cannot be stored exactly/);
      expect(() => x.add(1)).toThrow(/gpujs add: an int64 result reaches 1677721\d in magnitude/);
      expect(() => tensor([3e7]).long()).toThrow(/gpujs cast: int64 value 30000000 cannot be stored exactly/);
      expect(tensor([2.9, -2.9]).long().toArray()).toEqual([2, -2]);
      const u = tensor(new Uint8Array([250, 3]));
      expect(u.add(5).toArray()).toEqual([255, 8]);
      expect(() => u.add(6)).toThrow(/add: value 256 does not fit uint8/);
      expect(() => u.neg()).toThrow(/neg: value -250 does not fit uint8/);
      expect(() => tensor([1, 300]).byte()).toThrow(/value 300 does not fit uint8/);
    });
  });
});
