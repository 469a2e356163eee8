import { describe, expect, it } from 'vitest';
import { fitPlan, lossNote, seededFloat32, summarize, timeIterations, withNote } from './harness.js';

describe('summarize', () => {
  it('gives the median and interpolated 10th/90th percentiles', () => {
    const s = summarize([5, 1, 4, 2, 3, 6, 7, 8, 9, 10, 11], 5);
    expect(s).toEqual({ median: 6, p10: 2, p90: 10, iterations: 11, warmup: 5 });
    expect(summarize([1, 2], 0).median).toBe(1.5);
  });
});

describe('fitPlan', () => {
  it('keeps a plan that fits its budget and lowers one that does not', () => {
    expect(fitPlan({ warmup: 5, iterations: 20 }, 100)).toEqual({ warmup: 5, iterations: 20 });
    expect(fitPlan({ warmup: 5, iterations: 20, budgetS: 30 }, 0.1)).toEqual({ warmup: 5, iterations: 20 });
    expect(fitPlan({ warmup: 5, iterations: 20, budgetS: 30 }, 2)).toEqual({ warmup: 1, iterations: 14 });
    expect(fitPlan({ warmup: 5, iterations: 20, budgetS: 30, minIterations: 5 }, 10)).toEqual({
      warmup: 1,
      iterations: 5,
    });
  });
});

describe('timeIterations', () => {
  it('runs warm-ups plus timed iterations', async () => {
    let calls = 0;
    const { samples, reduced } = await timeIterations(() => void calls++, { warmup: 2, iterations: 3 });
    expect(calls).toBe(5);
    expect(samples).toHaveLength(3);
    expect(reduced).toBe(false);
  });
});

describe('seededFloat32', () => {
  it('is reproducible per seed, differs across seeds, and stays in [-1, 1)', () => {
    const a = seededFloat32(1000, 1);
    expect(seededFloat32(1000, 1)).toEqual(a);
    expect(seededFloat32(1000, 2)).not.toEqual(a);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...a)).toBeLessThan(1);
    expect(Math.abs(a.reduce((s, x) => s + x, 0) / a.length)).toBeLessThan(0.1);
  });
});

describe('lossNote / withNote', () => {
  it('flags a loss that did not fall and appends notes', () => {
    expect(lossNote({ first: 2.3, last: 2.1 })).toBeUndefined();
    expect(lossNote({ first: 2.3, last: 2.3 })).toMatch(/did not fall/);
    expect(lossNote({ first: Number.NaN, last: 1 })).toMatch(/did not fall/);
    const r = { ok: true as const, samples: [1], summary: summarize([1], 0), reduced: false };
    expect(withNote(withNote(r, 'a'), 'b').note).toBe('a; b');
  });
});
