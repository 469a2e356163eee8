import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('RNN next-number prediction', () => {
  it('predicts the next number of unseen arithmetic sequences and continues one', async () => {
    const r = await run({ fast: true });
    expect(r.accuracy).toBeGreaterThan(0.85);
    expect(r.mae).toBeLessThan(0.4);
    // 2, 5, 8, 11, 14 continues with 17, 20, …
    expect(r.continuation.slice(0, 2)).toEqual([17, 20]);
  });
});
