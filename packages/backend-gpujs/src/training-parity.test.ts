// MLP and CNN training on gpujs must follow the CPU backend step for step.
import '@proj/backend-cpu';
import { manualSeed, memory, nn, optim, randint, randn, type Tensor, tidy } from '@proj/core';
import { describe, expect, it } from 'vitest';
import './index.js';

type Opt = 'sgd' | 'adam';

function makeOpt(params: Iterable<nn.Parameter>, kind: Opt): optim.Optimizer {
  return kind === 'sgd'
    ? new optim.SGD([...params], { lr: 0.05, momentum: 0.9 })
    : new optim.Adam([...params], { lr: 0.01 });
}

const mlp = () => new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 4));
const cnn = () =>
  new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(4 * 4 * 4, 3),
  );

/** Trains `steps` steps on `device` from seed 0; returns the losses and final weights. */
function train(device: string, build: () => nn.Module, xShape: number[], classes: number, kind: Opt) {
  manualSeed(0);
  const model = build().to(device);
  const x = randn(xShape).to(device);
  const y = randint(0, classes, [xShape[0]]).to(device);
  const opt = makeOpt(model.parameters() as Iterable<nn.Parameter>, kind);
  const lossFn = new nn.CrossEntropyLoss();
  const losses: number[] = [];
  for (let s = 0; s < 20; s++) {
    const loss = tidy(() => {
      opt.zeroGrad();
      const l = lossFn.forward(model.forward(x) as Tensor, y);
      l.backward();
      opt.step();
      return l.item() as number;
    });
    losses.push(loss);
  }
  const weights = [...model.parameters()].map((p) => Array.from(p.dataSync() as Float32Array));
  return { losses, weights };
}

function expectClose(got: number[], want: number[], what: string): void {
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-4 * Math.max(Math.abs(want[i]), 1e-3);
    if (!(Math.abs(got[i] - want[i]) <= tol)) {
      throw new Error(`${what}[${i}]: gpujs ${got[i]} vs cpu ${want[i]} (tolerance ${tol})`);
    }
  }
}

describe('training on gpujs equals the CPU backend (20 steps, 1e-4 relative)', () => {
  const cases: [string, () => nn.Module, number[], number][] = [
    ['MLP', mlp, [16, 8], 4],
    ['CNN', cnn, [4, 1, 8, 8], 3],
  ];
  for (const [name, build, xShape, classes] of cases) {
    for (const kind of ['sgd', 'adam'] as const) {
      it(`${name} with ${kind}`, () => {
        // parameters, grads and optimizer state outlive tidy: a run on gpujs must keep exactly
        // as many tensors alive as the same run on cpu
        const n0 = memory().numTensors;
        const cpu = tidy(() => train('cpu', build, xShape, classes, kind));
        const n1 = memory().numTensors;
        const gpu = tidy(() => train('gpujs', build, xShape, classes, kind));
        expect(cpu.losses[19]).toBeLessThan(cpu.losses[0]);
        expectClose(gpu.losses, cpu.losses, 'loss');
        cpu.weights.forEach((w, i) => {
          expectClose(gpu.weights[i], w, `param ${i}`);
        });
        expect(memory().numTensors - n1).toBe(n1 - n0);
      });
    }
  }
});
