import '@proj/backend-cpu';
import { memory, nn, randn, tidy } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { run, saliency } from './main.js';

describe('saliency maps', () => {
  it('the class-score gradient concentrates on the digit, not the border', async () => {
    const r = await run({ fast: true });
    expect(r.testAccuracy).toBeGreaterThan(0.75);
    expect(r.inkSaliency).toBeGreaterThan(4 * r.borderSaliency);
  });

  it('computes one map per image and leaks no tensors', () => {
    const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 10));
    const x = randn([3, 1, 28, 28]);
    const before = memory().numTensors;
    const map = tidy(() => saliency(model, x));
    expect(map.shape).toEqual([3, 1, 28, 28]);
    expect(tidy(() => map.min().item())).toBeGreaterThanOrEqual(0);
    map.dispose();
    model.zeroGrad();
    expect(memory().numTensors).toBe(before);
  });
});
