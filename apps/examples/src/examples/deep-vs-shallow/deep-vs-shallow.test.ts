import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('deep-vs-shallow', () => {
  it('needs hidden layers for curved boundaries; the deep net fits both data sets', async () => {
    const r = await run({ fast: true });
    expect(r.circles.linear).toBeLessThan(0.7);
    expect(r.circles.deep).toBeGreaterThan(0.95);
    expect(r.moons.deep).toBeGreaterThan(0.95);
    expect(r.moons.deep).toBeGreaterThan(r.moons.linear);
  });
});
