import { describe, expect, it } from 'vitest';
import {
  fitPlan,
  lossNote,
  measureJs,
  seededFloat32,
  summarize,
  timeIterations,
  withNote,
} from './harness.js';
import type { Apis, Job } from './types.js';
import { trainingWorkload } from './workloads/training.js';

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

/** A clock that moves only when a fake workload says it took time. */
function fakeClock(): { clock: () => number; spend: (ms: number) => void } {
  let t = 0;
  return { clock: () => t, spend: (ms) => void (t += ms / 1000) };
}

describe('timeIterations with a budget', () => {
  it('fits the plan by the faster of the first two warm-ups when the first alone would lower it', async () => {
    // A slow first call (compiling kernels) then fast ones: the plan keeps its 20 iterations.
    let calls = 0;
    const { clock, spend } = fakeClock();
    const slowFirst = () => spend(calls++ === 0 ? 120 : 1);
    const r = await timeIterations(
      slowFirst,
      { warmup: 5, iterations: 20, budgetS: 0.1, minIterations: 2 },
      clock,
    );
    expect(r.samples).toHaveLength(20);
    expect(r.warmup).toBe(5);
    expect(r.reduced).toBe(false);
    expect(calls).toBe(25);
  });

  it('still lowers a plan whose iterations are all slow, counting both timed warm-ups', async () => {
    let calls = 0;
    const { clock, spend } = fakeClock();
    const slow = () => {
      calls++;
      spend(30);
    };
    const r = await timeIterations(
      slow,
      { warmup: 5, iterations: 20, budgetS: 0.1, minIterations: 2 },
      clock,
    );
    expect(r.reduced).toBe(true);
    expect(r.samples).toHaveLength(2);
    expect(r.warmup).toBe(2);
    expect(calls).toBe(4);
  });

  it('marks a plan whose warm-ups alone were lowered as reduced', async () => {
    const { clock, spend } = fakeClock();
    // 0.21 s fits the 20 iterations (0.2 s) but never all 5 warm-ups besides.
    const r = await timeIterations(
      () => spend(10),
      { warmup: 5, iterations: 20, budgetS: 0.21, minIterations: 2 },
      clock,
    );
    expect(r.samples.length).toBeGreaterThanOrEqual(15);
    expect(r.warmup).toBeLessThan(5);
    expect(r.reduced).toBe(true);
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

describe('measureJs', () => {
  it("gives a workload's reason for an API it cannot be written against, else the generic note", async () => {
    const workload = trainingWorkload('W9', 'Toy', 4, {}, { tfjs: 'cannot: tfjs has no toy layer' });
    const job: Job = { workload, case: workload.cases({ quick: true })[0] };
    const tf = {} as Apis['tfjs'];
    expect(await measureJs('tfjs', tf, job)).toEqual({ ok: false, note: 'cannot: tfjs has no toy layer' });
    expect(await measureJs('ours', {} as Apis['ours'], job)).toEqual({
      ok: false,
      note: "W9 has no 'ours' implementation",
    });
  });
});
