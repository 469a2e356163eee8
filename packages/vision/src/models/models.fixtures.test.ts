// The models against the equivalent PyTorch modules (tools/fixtures/vision.py): the same
// state-dict keys and shapes in the same order, the same parameter count, and the same
// outputs for the same weights and input.
import '@proj/backend-cpu';
import { type nn, noGrad, tidy } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { shaped } from '../shaped.js';
import { cases, expectTensorClose } from '../test-support/fixtures.js';
import * as models from './index.js';

const FACTORIES: Record<string, (args: any) => nn.Module> = {
  lenet5: models.lenet5,
  resnet8: models.resnet8,
  resnet20: models.resnet20,
  vgg: models.vgg,
  mnistCnn: () => models.mnistCnn(),
};

/** The fixture's weights: entry k, element j: ((7919 j + 104729 (k + 1)) mod 1000) / 1000 - 0.5, over √fan-in. */
function detWeights(m: nn.Module): void {
  const sd = m.stateDict();
  tidy(() => {
    const filled: Record<string, ReturnType<typeof shaped>> = {};
    Object.entries(sd).forEach(([key, t], k) => {
      if (t.dtype !== 'float32') {
        filled[key] = t;
        return;
      }
      const n = t.numel();
      const fan = t.ndim >= 2 ? Math.sqrt(n / t.shape[0]) : 1;
      const v = Float64Array.from({ length: n }, (_, j) => {
        let x = (((7919 * j + 104729 * (k + 1)) % 1000) / 1000 - 0.5) / fan;
        if (key.endsWith('running_var')) x += 1;
        return x;
      });
      filled[key] = shaped(v, t.shape, { dtype: 'float32' });
    });
    m.loadStateDict(filled);
  });
}

describe('models match their PyTorch modules', () => {
  for (const c of cases('model')) {
    it(c.name, () => {
      const m = FACTORIES[c.model](c.args);
      const sd = m.stateDict();
      expect(Object.entries(sd).map(([k, t]) => [k, t.shape])).toEqual(c.keys);
      expect(m.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(c.params);
      detWeights(m);
      m.eval();
      const n = c.inputShape.reduce((a: number, b: number) => a * b, 1);
      const x = shaped(
        Float32Array.from({ length: n }, (_, i) => ((37 * i) % 101) / 101 - 0.5),
        c.inputShape,
      );
      const y = noGrad(() => m.forward(x));
      expectTensorClose(y, c.output, 1e-4, 1e-4);
      y.dispose();
      x.dispose();
    });
  }
});
