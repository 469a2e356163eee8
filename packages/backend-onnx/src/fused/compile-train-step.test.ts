// compileTrainStep against eager training on the CPU backend: the BENCH.md W2 MLP and W3 CNN,
// 20 steps of SGD and of Adam, give the same losses and weights within 1e-4 relative, and the
// step builds its one session at compile time only.
import '@proj/backend-cpu';
import { manualSeed, memory, nn, optim, randint, randn } from '@proj/core';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { compileTrainStep } from './compile-train-step.js';
import { cnnW3, eagerStep, type Model, mlpW2 } from './workloads.js';

type MakeOpt = (m: nn.Module) => optim.Optimizer<any>;

const mlp = mlpW2;
const cnn = cnnW3;

const sgd: MakeOpt = (m) => new optim.SGD(m.parameters(), { lr: 0.01 });
const adam: MakeOpt = (m) => new optim.Adam(m.parameters(), { lr: 1e-3, eps: 1e-3 });

interface Run {
  losses: number[];
  weights: Float32Array[];
  sessions: number[];
}

function train(make: () => Model, makeOpt: MakeOpt, xShape: number[], fused: boolean, steps = 20): Run {
  manualSeed(11);
  const model = make();
  const x = randn(xShape);
  const y = randint(0, 10, [xShape[0]]);
  const opt = makeOpt(model);
  const lossFn = new nn.CrossEntropyLoss();
  const run: Run = { losses: [], weights: [], sessions: [] };
  if (fused) {
    const step = compileTrainStep(model, { loss: lossFn, optimizer: opt, exampleInputs: [x, y] });
    run.sessions.push(step.stats().sessionsCreated);
    for (let i = 0; i < steps; i++) run.losses.push(step.step(x, y));
    run.sessions.push(step.stats().sessionsCreated);
    step.dispose();
  } else {
    for (let i = 0; i < steps; i++) {
      run.losses.push(eagerStep(model, lossFn, opt, x, y));
    }
    opt.zeroGrad();
  }
  run.weights = model.parameters().map((p) => Float32Array.from(p.dataSync()));
  return run;
}

function worstRel(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 1e-3));
  }
  return worst;
}

function compare(make: () => Model, makeOpt: MakeOpt, xShape: number[]): void {
  const before = memory().numTensors;
  const ref = train(make, makeOpt, xShape, false);
  const got = train(make, makeOpt, xShape, true);
  expect(worstRel(got.losses, ref.losses)).toBeLessThan(1e-4);
  expect(got.weights.length).toBe(ref.weights.length);
  for (const [i, w] of got.weights.entries()) expect(worstRel(w, ref.weights[i])).toBeLessThan(1e-4);
  expect(got.losses[19]).toBeLessThan(got.losses[0]);
  // one session, built by compileTrainStep itself
  expect(got.sessions).toEqual([1, 1]);
  // the models and optimizers of both runs are garbage; what is left are their parameters
  expect(memory().numTensors).toBeGreaterThanOrEqual(before);
}

describe('compileTrainStep matches eager CPU training (20 steps)', () => {
  it('W2 MLP 784-256-128-10, batch 64, SGD', () => compare(mlp, sgd, [64, 784]));
  it('W2 MLP, Adam', () => compare(mlp, adam, [64, 784]));
  it('W3 CNN, batch 32, SGD', () => compare(cnn, sgd, [32, 1, 28, 28]));
  it('W3 CNN, Adam', () => compare(cnn, adam, [32, 1, 28, 28]));
});
