import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('linear-regression', () => {
  it('recovers the slope of y = 2x from noisy data', async () => {
    const r = await run({ fast: true });
    expect(r.slope).toBeGreaterThan(1.95);
    expect(r.slope).toBeLessThan(2.05);
    expect(Math.abs(r.intercept)).toBeLessThan(0.05);
    expect(r.loss).toBeLessThan(0.015);
    expect(r.losses[0]).toBeGreaterThan(10 * r.loss);
  });
});
