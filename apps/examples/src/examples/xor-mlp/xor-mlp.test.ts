import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('xor-mlp', () => {
  it('solves XOR with one hidden layer', async () => {
    const r = await run({ fast: true });
    expect(r.accuracy).toBe(1);
    expect(r.loss).toBeLessThan(0.05);
  });
});
