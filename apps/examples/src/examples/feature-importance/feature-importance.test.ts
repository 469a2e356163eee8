import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('permutation feature importance', () => {
  it('ranks the three informative features first, far above the noise features', async () => {
    const r = await run({ fast: true });
    expect(r.testAccuracy).toBeGreaterThan(0.8);
    expect([...r.ranking.slice(0, 3)].sort()).toEqual([0, 1, 2]);
    expect(Math.min(...r.importance.slice(0, 3))).toBeGreaterThan(0.2);
    expect(Math.max(...r.importance.slice(3))).toBeLessThan(0.05);
  });
});
