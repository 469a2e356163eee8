import '@proj/backend-cpu';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gradcheck, memory, rand, randint, type Tensor, tidy } from '../index.js';
import { fixtureTensor } from '../testing/op-table.js';
import { type KerasLossName, kerasLoss } from './keras-losses.js';
import { type KerasOptimizerName, kerasOptimizer } from './keras-optimizers.js';

// Keras 3's losses and optimizers, as its PyTorch backend computes them
// (tools/fixtures/keras_train.py).
interface FixtureTensor {
  shape: number[];
  dtype: 'float32' | 'int64';
  data: number[];
}
interface LossCase {
  name: string;
  loss: KerasLossName;
  pred: FixtureTensor;
  target: FixtureTensor;
  value: number;
  gradPred: FixtureTensor;
}
interface OptimizerCase {
  name: string;
  optimizer: KerasOptimizerName;
  params: FixtureTensor[];
  grads: FixtureTensor[][];
  after: FixtureTensor[][];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/keras-train.json', import.meta.url), 'utf8'),
) as { cases: (LossCase | OptimizerCase)[] };
const lossCases = fixture.cases.filter((c): c is LossCase => 'loss' in c);
const optimizerCases = fixture.cases.filter((c): c is OptimizerCase => 'optimizer' in c);

function expectClose(t: Tensor, f: FixtureTensor, tol: number): void {
  expect(t.shape).toEqual(f.shape);
  const got = Array.from(t.dataSync() as Float32Array);
  for (const [i, v] of got.entries()) {
    expect(Math.abs(v - f.data[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(f.data[i])));
  }
}

describe("Keras's loss names compute Keras 3's numbers (fixtures/keras-train.json)", () => {
  it.each(lossCases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    tidy(() => {
      const pred = fixtureTensor(c.pred).requiresGrad_(true);
      const target = fixtureTensor(c.target);
      const loss = kerasLoss(c.loss)(pred, target);
      expect(loss.shape).toEqual([]);
      expect(loss.item()).toBeCloseTo(c.value, 5);
      loss.backward();
      expectClose(pred.grad!, c.gradPred, 1e-5);
    });
  });
});

describe("Keras's optimizer names follow Keras 3's update rules (fixtures/keras-train.json)", () => {
  it.each(optimizerCases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const params = c.params.map((p) => fixtureTensor(p).requiresGrad_(true));
    const opt = kerasOptimizer(c.optimizer, params);
    c.grads.forEach((step, k) => {
      tidy(() => {
        params.forEach((p, i) => {
          p.grad = fixtureTensor(step[i]);
        });
        opt.step();
        // float32 on both sides; the scalar factors round alike (Keras computes them in float32).
        for (const [i, p] of params.entries()) expectClose(p, c.after[k][i], 2e-6);
      });
    });
    const before = memory().numTensors;
    opt.zeroGrad();
    expect(memory().numTensors).toBeLessThanOrEqual(before);
    opt.disposeState();
    for (const p of params) p.dispose();
  });
});

describe("Keras's losses are differentiable compositions (gradcheck, float64)", () => {
  it.each([
    ['sparse_categorical_crossentropy', () => randint(0, 4, [5])],
    ['categorical_crossentropy', () => rand([5, 4], { dtype: 'float64' })],
    ['binary_crossentropy', () => randint(0, 2, [5, 4]).double()],
    ['mse', () => rand([5, 4], { dtype: 'float64' })],
    ['mae', () => rand([5, 4], { dtype: 'float64' })],
  ] as const)('%s', (name, target) => {
    tidy(() => {
      // Probabilities away from the clip at 1e-7 and 1 - 1e-7 (where the gradient is zero).
      const p = rand([5, 4], { dtype: 'float64' }).mul(0.8).add(0.1).requiresGrad_(true);
      const t = target();
      expect(gradcheck((x) => kerasLoss(name)(x, t), [p])).toBe(true);
    });
  });
});
