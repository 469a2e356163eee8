import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { tidy } from '../index.js';
import type { Tensor } from '../tensor/tensor.js';
import { makeBlobs, makeCircles, makeClassification, makeMoons, makeRegression } from './index.js';

const rows = (t: Tensor): number[][] => t.toArray() as number[][];
const labels = (t: Tensor): number[] => t.toArray() as number[];
const count = (y: number[], c: number): number => y.filter((v) => v === c).length;

describe('synthetic data', () => {
  it('makeMoons: two interleaving half circles, labels split evenly', () => {
    tidy(() => {
      const [x, y] = makeMoons(101, { seed: 0 });
      expect(x.shape).toEqual([101, 2]);
      expect([x.dtype, y.dtype]).toEqual(['float32', 'int32']);
      const ys = labels(y);
      expect([count(ys, 0), count(ys, 1)]).toEqual([50, 51]);
      rows(x).forEach(([a, b], i) => {
        // Outer moon: unit circle around (0, 0), upper half; inner: around (1, 0.5), lower half.
        const [cx, cy, up] = ys[i] === 0 ? [0, 0, 1] : [1, 0.5, -1];
        expect(Math.hypot(a - cx, b - cy)).toBeCloseTo(1, 5);
        expect(up * (b - cy)).toBeGreaterThanOrEqual(-1e-6);
      });
      expect(ys.slice(0, 10)).not.toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(rows(makeMoons(101, { seed: 0 })[0])).toEqual(rows(x));
      const [noisy] = makeMoons(101, { seed: 0, noise: 0.1 });
      expect(rows(noisy)).not.toEqual(rows(x));
    });
  });

  it('makeCircles: radius 1 outside, factor inside', () => {
    tidy(() => {
      const [x, y] = makeCircles(40, { factor: 0.5, seed: 1 });
      const ys = labels(y);
      expect([count(ys, 0), count(ys, 1)]).toEqual([20, 20]);
      for (const [i, [a, b]] of rows(x).entries())
        expect(Math.hypot(a, b)).toBeCloseTo(ys[i] === 0 ? 1 : 0.5, 5);
      expect(() => makeCircles(10, { factor: 1 })).toThrow('makeCircles: factor has to be between 0 and 1');
    });
  });

  it('makeBlobs: clusters around their centers', () => {
    tidy(() => {
      const centers = [
        [0, 0],
        [50, 50],
        [-50, 50],
      ];
      const [x, y] = makeBlobs(31, { centers, clusterStd: 0.5, seed: 2 });
      expect(x.shape).toEqual([31, 2]);
      const ys = labels(y);
      expect([count(ys, 0), count(ys, 1), count(ys, 2)]).toEqual([11, 10, 10]);
      for (const [i, [a, b]] of rows(x).entries()) {
        expect(Math.hypot(a - centers[ys[i]][0], b - centers[ys[i]][1])).toBeLessThan(4);
      }
      const [x3, y3] = makeBlobs(10, { nFeatures: 3, centers: 4, seed: 2 });
      expect(x3.shape).toEqual([10, 3]);
      expect(Math.max(...labels(y3))).toBe(3);
    });
  });

  it('makeRegression: y is a linear function of X plus bias', () => {
    tidy(() => {
      const [x, y] = makeRegression(30, { nFeatures: 4, nInformative: 4, bias: 2, seed: 3 });
      expect([x.shape, y.shape, y.dtype]).toEqual([[30, 4], [30], 'float32']);
      // Solve for the coefficients from 5 rows (4 + bias) and check all rows fit exactly.
      const X = rows(x).map((r) => [...r, 1]);
      const Y = labels(y);
      const coef = solve(X.slice(0, 5), Y.slice(0, 5));
      expect(coef[4]).toBeCloseTo(2, 2);
      for (const [i, r] of X.entries())
        expect(r.reduce((s, v, j) => s + v * coef[j], 0)).toBeCloseTo(Y[i], 1);
      expect(makeRegression(5, { nFeatures: 2, nTargets: 3, seed: 0 })[1].shape).toEqual([5, 3]);
    });
  });

  it('makeClassification: shapes, classes and separable informative features', () => {
    tidy(() => {
      const [x, y] = makeClassification(200, { nFeatures: 5, nClasses: 3, nInformative: 3, seed: 4 });
      expect([x.shape, y.shape, y.dtype]).toEqual([[200, 5], [200], 'int32']);
      const ys = labels(y);
      for (const c of [0, 1, 2]) expect(count(ys, c)).toBeGreaterThan(55);
      expect(
        rows(makeClassification(200, { nFeatures: 5, nClasses: 3, nInformative: 3, seed: 4 })[0]),
      ).toEqual(rows(x));
      expect(() => makeClassification(10, { nClasses: 5, nInformative: 2, nClustersPerClass: 1 })).toThrow(
        'nClasses (5) * nClustersPerClass (1) must be at most 2**nInformative (4)',
      );
    });
  });
});

/** Gaussian elimination for a small square system. */
function solve(a: number[][], b: number[]): number[] {
  const m = a.map((r, i) => [...r, b[i]]);
  const n = b.length;
  for (let c = 0; c < n; c++) {
    const p = m.reduce((best, r, i) => (i >= c && Math.abs(r[c]) > Math.abs(m[best][c]) ? i : best), c);
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((r, i) => r[n] / r[i]);
}
