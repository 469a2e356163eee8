import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('convolutional autoencoder on MNIST', () => {
  it('reconstructs held-out digits and removes noise', async () => {
    const r = await run({ fast: true });
    expect(r.reconstructionMse).toBeLessThan(0.35 * r.baselineMse);
    expect(r.denoisedMse).toBeLessThan(0.4 * r.noisyMse);
  });
});
