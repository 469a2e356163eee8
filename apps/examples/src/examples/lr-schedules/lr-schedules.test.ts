import { describe, expect, it } from 'vitest';
import { run, STEPS } from './main.js';

describe('lr-schedules', () => {
  it('produces the textbook shapes', async () => {
    const r = await run({ fast: true });
    const step = r['StepLR (x0.1 every 30)'];
    expect(step[29]).toBeCloseTo(0.1, 10);
    expect(step[30]).toBeCloseTo(0.01, 10);
    expect(step[60]).toBeCloseTo(0.001, 10);
    expect(r['ExponentialLR (x0.95)'][10]).toBeCloseTo(0.1 * 0.95 ** 10, 8);
    const cos = r.CosineAnnealingLR;
    expect(cos[STEPS / 2]).toBeCloseTo(0.05, 6);
    expect(cos[STEPS - 1]).toBeLessThan(1e-3);
    const one = r.OneCycleLR;
    const peak = one.indexOf(Math.max(...one));
    expect(peak).toBeGreaterThanOrEqual(28);
    expect(peak).toBeLessThanOrEqual(30);
    expect(one[peak]).toBeCloseTo(0.1, 6);
    expect(one[0]).toBeCloseTo(0.1 / 25, 6);
    const warm = r['LinearLR warm-up (10 steps)'];
    expect(warm[0]).toBeCloseTo(0.01, 8);
    expect(warm[5]).toBeCloseTo(0.055, 8);
    expect(warm[10]).toBeCloseTo(0.1, 8);
    const seq = r['warm-up then cosine'];
    expect(seq[10]).toBeCloseTo(0.1, 8);
    expect(seq[STEPS - 1]).toBeLessThan(seq[10] / 100);
  });
});
