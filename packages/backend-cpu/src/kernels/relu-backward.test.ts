import { describe, expect, it } from 'vitest';
import { reluBackwardOp } from './relu-backward.js';

describe('reluBackwardOp', () => {
  const y = [0, 2, -0, Number.NaN, 1e-30, Number.POSITIVE_INFINITY, 3, -1];
  const g = [5, -6, 7, 8, Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  // y > 0 ? g : +0, exactly (NaN and infinite gradients included).
  const want = [0, -6, 0, 0, Number.NaN, -0, Number.POSITIVE_INFINITY, 0];

  it('passes g where y > 0 and +0 elsewhere, in float32 and float64', () => {
    for (const A of [Float32Array, Float64Array]) {
      const out = reluBackwardOp(A.from(g), A.from(y));
      expect(out).toBeInstanceOf(A);
      const got = Array.from(out);
      for (let i = 0; i < want.length; i++) expect(Object.is(got[i], want[i]), `${A.name}[${i}]`).toBe(true);
    }
  });

  it('reads subarray views at their offset', () => {
    const gAll = new Float32Array([9, 9, 1, 2, 3]);
    const out = reluBackwardOp(gAll.subarray(2), new Float32Array([1, 0, 1]));
    expect(Array.from(out)).toEqual([1, 0, 3]);
  });
});
