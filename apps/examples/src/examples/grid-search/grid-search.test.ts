import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('grid search over learning rate and hidden size', () => {
  it('scores every cell on validation data and picks a good learning rate', async () => {
    const r = await run({ fast: true });
    expect(r.cells).toHaveLength(6);
    for (const c of r.cells) expect(r.best.valAccuracy).toBeGreaterThanOrEqual(c.valAccuracy);
    // Too small a learning rate cannot get there in the same number of epochs.
    expect(r.best.lr).toBeGreaterThan(1e-4);
    for (const c of r.cells.filter((c) => c.lr === 1e-4))
      expect(c.valAccuracy).toBeLessThan(r.best.valAccuracy - 0.2);
    expect(r.best.valAccuracy).toBeGreaterThan(0.75);
    expect(r.testAccuracy).toBeGreaterThan(0.7);
  });
});
