// Whole training runs on 'onnx' against the same runs on 'cpu': losses and weights after 20
// steps agree within 1e-4 relative, steady-state steps build no new ORT session, and a step
// leaks no tensor.
import '@proj/backend-cpu';
import { backendByName, manualSeed, memory, nn, optim, randint, randn, type Tensor } from '@proj/core';
import { describe, expect, it } from 'vitest';
import type { OnnxBackend } from './index.js';
import './index.js';
import { eagerStep, type Model } from './compile/workloads.js';

interface Run {
  losses: number[];
  weights: Float32Array[];
  /** sessionsCreated after step 1 and after the last step (onnx only). */
  sessions: number[];
  leaked: number;
}

const onnx = () => backendByName('onnx') as OnnxBackend;

function train(makeModel: () => Model, xShape: number[], classes: number, device: 'cpu' | 'onnx'): Run {
  manualSeed(7);
  const model = makeModel().to(device);
  const x = randn(xShape).to(device);
  const y = randint(0, classes, [xShape[0]]).to(device);
  const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const lossFn = new nn.CrossEntropyLoss();
  const run: Run = { losses: [], weights: [], sessions: [], leaked: 0 };
  for (let step = 0; step < 20; step++) {
    const before = memory().numTensors;
    const loss = eagerStep(model, lossFn, opt, x, y);
    if (step > 0) run.leaked += memory().numTensors - before;
    run.losses.push(loss);
    if (device === 'onnx' && (step === 1 || step === 19)) run.sessions.push(onnx().stats().sessionsCreated);
  }
  run.weights = model.parameters().map((p) => Float32Array.from(p.dataSync()));
  for (const t of [x, y]) t.dispose();
  return run;
}

function expectRelClose(got: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-4): void {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 1e-3));
  }
  expect(worst).toBeLessThan(rel);
}

function compare(makeModel: () => Model, xShape: number[], classes: number): Run {
  const ref = train(makeModel, xShape, classes, 'cpu');
  const got = train(makeModel, xShape, classes, 'onnx');
  expectRelClose(got.losses, ref.losses);
  expect(got.weights.length).toBe(ref.weights.length);
  for (const [i, w] of got.weights.entries()) expectRelClose(w, ref.weights[i]);
  expect(got.losses[19]).toBeLessThan(got.losses[0]);
  return got;
}

describe('training on onnx matches cpu', () => {
  it('MLP: 20 Adam steps, no sessions after the first step, no leaks', () => {
    const run = compare(
      () => new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 4)) as Model,
      [12, 8],
      4,
    );
    expect(run.sessions[1]).toBe(run.sessions[0]);
    expect(run.leaked).toBe(0);
    const s = onnx().stats();
    expect(s.cacheHits).toBeGreaterThan(s.sessionsCreated);
  });

  it('CNN (conv, max pool, avg pool): 20 Adam steps', () => {
    const run = compare(
      () =>
        new nn.Sequential(
          new nn.Conv2d(1, 4, 3, { padding: 1 }),
          new nn.ReLU(),
          new nn.MaxPool2d(2),
          new nn.Conv2d(4, 6, 3, { stride: 2 }),
          new nn.AvgPool2d(2, { ceilMode: true }),
          new nn.Flatten(),
          new nn.Linear(6, 3),
        ) as Model,
      [4, 1, 10, 10],
      3,
    );
    expect(run.sessions[1]).toBe(run.sessions[0]);
    expect(run.leaked).toBe(0);
  });

  it('LSTM (batch first, last step to a linear head): 20 Adam steps', () => {
    const run = compare(() => new LstmClassifier() as Model, [6, 5, 3], 4);
    expect(run.sessions[1]).toBe(run.sessions[0]);
    expect(run.leaked).toBe(0);
  });
});

/** An LSTM over [batch, time, features] whose last hidden state feeds a linear classifier. */
class LstmClassifier extends nn.Module {
  lstm = new nn.LSTM(3, 8, { batchFirst: true });
  head = new nn.Linear(8, 4);
  override forward(x: Tensor): Tensor {
    const [, [h]] = this.lstm.forward(x) as [Tensor, [Tensor, Tensor]];
    return this.head.forward(h.squeeze(0));
  }
}
