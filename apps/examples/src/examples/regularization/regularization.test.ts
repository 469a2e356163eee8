import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('regularization', () => {
  it('L1 zeroes the useless weights; L2 shrinks the norm', async () => {
    const r = await run({ fast: true });
    const none = r.none;
    const l1 = r['L1 (λ=0.3)'];
    const l2 = r['L2 (λ=0.1)'];
    expect(l1.nearZero).toBeGreaterThan(none.nearZero + 5);
    expect(l1.noiseWeightError).toBeLessThan(none.noiseWeightError / 2);
    expect(l2.norm).toBeLessThan(none.norm);
    // the real weights survive L1
    for (let i = 0; i < 4; i++) expect(Math.abs(l1.weights[i])).toBeGreaterThan(0.5);
  });
});
