import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe("PyTorch's regression example, ported", () => {
  it('fits the random degree-4 polynomial until the loss is below 1e-3', async () => {
    const r = await run({ fast: true });
    expect(r.loss).toBeLessThan(1e-3);
    expect(r.batches).toBeGreaterThan(10);
    expect(r.learned).toHaveLength(5);
    for (let i = 0; i < 5; i++) expect(Math.abs(r.learned[i] - r.actual[i])).toBeLessThan(0.15);
  });
});
