import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, type Tensor, tensor, tidy } from '../index.js';
import { l1Penalty, l2Penalty } from './regularization.js';
import { SGD } from './sgd.js';

describe('l1Penalty / l2Penalty', () => {
  it('compute lambda * sum|w| and lambda * sum w^2 with their gradients', () => {
    const w = tensor([1, -2, 3], { dtype: 'float64', requiresGrad: true });
    const b = tensor([-0.5], { dtype: 'float64', requiresGrad: true });
    const before = memory().numTensors;
    tidy(() => {
      const l1 = l1Penalty([w, b], 0.1);
      expect(l1.item()).toBeCloseTo(0.65, 14);
      l1.backward();
    });
    expect(Array.from(w.grad!.dataSync())).toEqual([0.1, -0.1, 0.1]);
    w.grad!.dispose();
    w.grad = null;
    b.grad!.dispose();
    b.grad = null;
    tidy(() => {
      const l2 = l2Penalty([w, b]);
      expect(l2.item()).toBeCloseTo(0.01 * 14.25, 14);
      l2.backward();
    });
    expect(Array.from(w.grad!.dataSync())).toEqual([0.02, -0.04, 0.06]);
    for (const t of [w.grad!, b.grad!]) t.dispose();
    expect(memory().numTensors).toBe(before);
    for (const t of [w, b]) t.dispose();
  });

  it('l2Penalty(lambda) trains like SGD weightDecay = 2 * lambda', () => {
    const x = tensor([0.5, -1, 2], { dtype: 'float64' });
    const run = (withPenalty: boolean): number[] => {
      const w = tensor([1, 2, -1], { dtype: 'float64', requiresGrad: true });
      const opt = new SGD([w], { lr: 0.1, momentum: 0.9, weightDecay: withPenalty ? 0 : 2 * 0.05 });
      for (let i = 0; i < 5; i++) {
        tidy(() => {
          opt.zeroGrad();
          let loss: Tensor = w.mul(x).sum().sub(1).pow(2);
          if (withPenalty) loss = loss.add(l2Penalty([w], 0.05));
          loss.backward();
          opt.step();
        });
      }
      const out = Array.from(w.dataSync());
      opt.disposeState();
      opt.zeroGrad();
      w.dispose();
      return out;
    };
    const a = run(true);
    const b = run(false);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 12);
  });

  it('refuse an empty parameter list and a bad lambda', () => {
    expect(() => l2Penalty([])).toThrow('l2Penalty: got an empty parameter list');
    const w = tensor([1], { requiresGrad: true });
    expect(() => l1Penalty([w], -1)).toThrow('l1Penalty: lambda must be a finite number >= 0 (got -1)');
    w.dispose();
  });
});
