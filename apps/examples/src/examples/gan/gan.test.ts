import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('GAN on a 2-D circle', () => {
  it('moves the generated points onto the unit circle, all around it', async () => {
    const r = await run({ fast: true });
    expect(r.radiusBefore).toBeLessThan(0.5);
    expect(Math.abs(r.radiusAfter - 1)).toBeLessThan(0.1);
    expect(r.radiusStdAfter).toBeLessThan(0.3);
    expect(r.coverage).toBeGreaterThanOrEqual(7 / 8);
  });
});
