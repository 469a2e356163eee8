import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('perceptron', () => {
  it('learns AND but cannot learn XOR', async () => {
    const r = await run({ fast: true });
    expect(r.AND.accuracy).toBe(1);
    expect(r.AND.loss).toBeLessThan(0.1);
    expect(r.XOR.accuracy).toBeLessThanOrEqual(0.75);
    // the best a linear model can do on XOR is predict 0.5 everywhere: loss ln 2
    expect(r.XOR.loss).toBeGreaterThan(0.69);
  });
});
