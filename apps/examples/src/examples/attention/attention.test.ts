import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('attention weights of a small transformer', () => {
  it('learns to reverse sequences and attends to the mirror position', async () => {
    const r = await run({ fast: true });
    expect(r.accuracy).toBeGreaterThan(0.9);
    // Uniform attention would put 1/6 on the mirror position.
    expect(r.mirrorAttention).toBeGreaterThan(0.4);
    const n = r.example.tokens.length;
    for (const [i, row] of r.example.weights.entries()) {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(row[n - 1 - i]).toBeGreaterThan(0.2);
    }
  });
});
