import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, zeros } from '../index.js';

const { init } = nn;

describe('nn.init structured and truncated initialisers', () => {
  it('truncNormal_ stays in [a, b] with the truncated normal mean and variance', () => {
    manualSeed(1);
    const t = zeros([200000], { dtype: 'float64' });
    init.truncNormal_(t, 1, 2, -1, 4);
    const v = t.dataSync();
    let mn = Infinity;
    let mx = -Infinity;
    let s = 0;
    let s2 = 0;
    for (const x of v) {
      mn = Math.min(mn, x);
      mx = Math.max(mx, x);
      s += x;
      s2 += x * x;
    }
    const mean = s / v.length;
    const variance = s2 / v.length - mean * mean;
    expect(mn).toBeGreaterThanOrEqual(-1);
    expect(mx).toBeLessThanOrEqual(4);
    // The truncated normal's moments (standardised bounds α=−1, β=1.5): mean 1.29037, var 1.66274.
    expect(mean).toBeCloseTo(1.2904, 2);
    expect(variance).toBeCloseTo(1.6627, 1);
  });

  it('eye_ and dirac_ as PyTorch', () => {
    const e = init.eye_(zeros([2, 3]));
    expect(Array.from(e.dataSync())).toEqual([1, 0, 0, 0, 1, 0]);
    // torch.nn.init.dirac_(torch.zeros(4, 2, 3), groups=2): [g*2+d, d, 1] = 1
    const d = init.dirac_(zeros([4, 2, 3]), 2);
    const ones = Array.from(d.dataSync()).flatMap((x, i) => (x === 1 ? [i] : []));
    expect(ones).toEqual([0 * 6 + 0 * 3 + 1, 1 * 6 + 1 * 3 + 1, 2 * 6 + 0 * 3 + 1, 3 * 6 + 1 * 3 + 1]);
    expect(() => init.dirac_(zeros([3, 2, 3]), 2)).toThrow(/divisible by groups/);
    expect(() => init.eye_(zeros([2, 2, 2]))).toThrow(/only 2-D/);
  });

  it('sparse_ zeroes ceil(sparsity·rows) entries per column', () => {
    manualSeed(3);
    const t = init.sparse_(zeros([10, 4]), 0.25, 1);
    const v = t.dataSync();
    for (let c = 0; c < 4; c++) {
      let z = 0;
      for (let r = 0; r < 10; r++) if (v[r * 4 + c] === 0) z++;
      expect(z).toBe(3);
    }
  });
});
