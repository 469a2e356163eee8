// Every layer, loss and optimizer option of compileTrainStep against eager CPU training on small
// models, parameters living on 'onnx', batch-size changes, state hand-over, and the errors.
import '@proj/backend-cpu';
import { backendByName, manualSeed, nn, noGrad, optim, randint, randn, type Tensor, tidy } from '@proj/core';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { compileTrainStep } from './compile-train-step.js';
import { eagerStep, type Model } from './workloads.js';

type MakeOpt = (m: nn.Module) => optim.Optimizer<any>;

interface Case {
  make: () => Model;
  opt: MakeOpt;
  x: number[];
  loss: 'ce' | 'mse';
  device?: 'cpu' | 'onnx';
}

function data(c: Case, outShape: number[]): [Tensor, Tensor] {
  const x = randn(c.x);
  const y = c.loss === 'ce' ? randint(0, outShape[1], [c.x[0]]) : randn(outShape);
  return [x, y];
}

function run(c: Case, fused: boolean, steps = 6): { losses: number[]; weights: Float32Array[] } {
  manualSeed(3);
  const model = c.make();
  const out = tidy(() => model.forward(randn(c.x)).shape);
  let [x, y] = data(c, [...out]);
  if (c.device === 'onnx') {
    model.to('onnx');
    [x, y] = [x.to('onnx'), y.to('onnx')];
  }
  const opt = c.opt(model);
  const lossFn = c.loss === 'ce' ? new nn.CrossEntropyLoss() : new nn.MSELoss();
  const losses: number[] = [];
  if (fused) {
    const s = compileTrainStep(model, { loss: lossFn, optimizer: opt, exampleInputs: [x, y] });
    for (let i = 0; i < steps; i++) losses.push(s.step(x, y));
    s.dispose();
  } else {
    for (let i = 0; i < steps; i++) {
      losses.push(eagerStep(model, lossFn, opt, x, y));
    }
  }
  return { losses, weights: model.parameters().map((p) => Float32Array.from(p.dataSync())) };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rel = 1e-4): void {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 1e-3));
  }
  expect(worst).toBeLessThan(rel);
}

function compare(c: Case): void {
  const ref = run({ ...c, device: 'cpu' }, false);
  const got = run(c, true);
  expectClose(got.losses, ref.losses);
  for (const [i, w] of got.weights.entries()) expectClose(w, ref.weights[i]);
}

const sgdMomentum: MakeOpt = (m) =>
  new optim.SGD(m.parameters(), { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 1e-2 });
const nesterov: MakeOpt = (m) =>
  new optim.SGD(m.parameters(), { lr: 0.05, momentum: 0.9, nesterov: true, maximize: false });
const amsgrad: MakeOpt = (m) =>
  new optim.Adam(m.parameters(), { lr: 1e-3, eps: 1e-3, amsgrad: true, weightDecay: 1e-2 });
const adamw: MakeOpt = (m) => new optim.AdamW(m.parameters(), { lr: 1e-3, eps: 1e-3 });

describe('compileTrainStep layers, losses and optimizers', () => {
  it('activations, Dropout(p=0), MSELoss, SGD with momentum, dampening and weight decay', () => {
    compare({
      make: () =>
        new nn.Sequential(
          new nn.Linear(6, 12),
          new nn.Sigmoid(),
          new nn.Linear(12, 12),
          new nn.Tanh(),
          new nn.Dropout(0),
          new nn.Linear(12, 12),
          new nn.LeakyReLU(0.1),
          new nn.Linear(12, 8),
          new nn.GELU(),
          new nn.Linear(8, 8),
          new nn.GELU({ approximate: 'tanh' }),
          new nn.Linear(8, 3),
        ) as Model,
      opt: sgdMomentum,
      x: [10, 6],
      loss: 'mse',
    });
  });

  it('strided and padded convolutions, overlapping max pool, ceil-mode avg pool; Nesterov SGD', () => {
    compare({
      make: () =>
        new nn.Sequential(
          new nn.Conv2d(2, 4, 3, { padding: 1 }),
          new nn.ReLU(),
          new nn.MaxPool2d(3, { stride: 2, padding: 1 }),
          new nn.Conv2d(4, 6, 3, { stride: 2, padding: 'valid' }),
          new nn.Tanh(),
          new nn.AvgPool2d(2, { ceilMode: true, padding: 1, countIncludePad: false }),
          new nn.Flatten(),
          new nn.Linear(24, 5),
        ) as Model,
      opt: nesterov,
      x: [3, 2, 11, 11],
      loss: 'ce',
    });
  });

  it('Adam with AMSGrad and weight decay, and AdamW, on parameters living on onnx', () => {
    const make = () =>
      new nn.Sequential(
        new nn.Conv2d(1, 3, 3, { padding: 'same' }),
        new nn.ReLU(),
        new nn.Flatten(),
        new nn.Linear(48, 4),
      ) as Model;
    compare({ make, opt: amsgrad, x: [5, 1, 4, 4], loss: 'ce', device: 'onnx' });
    compare({ make, opt: adamw, x: [5, 1, 4, 4], loss: 'mse' });
  });

  it('builds one session per batch shape, reads parameters changed outside, and hands its state over', () => {
    manualSeed(5);
    const model = new nn.Sequential(new nn.Linear(4, 3)) as Model;
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.5 });
    const lossFn = new nn.CrossEntropyLoss();
    const s = compileTrainStep(model, {
      loss: lossFn,
      optimizer: opt,
      exampleInputs: [randn([8, 4]), randint(0, 3, [8])],
    });
    const [xa, ya, xb, yb] = [randn([8, 4]), randint(0, 3, [8]), randn([5, 4]), randint(0, 3, [5])];
    s.step(xa, ya);
    s.step(xb, yb);
    s.step(xa, ya);
    expect(s.stats()).toMatchObject({ sessionsCreated: 2, runs: 3 });
    // a weight changed eagerly is what the next step starts from
    const w = model.parameters()[0];
    noGrad(() => w.fill_(0));
    s.syncOptimizerState();
    const buf = opt.state.get(w)!.momentumBuffer as Tensor;
    const eager = tidy(() => lossFn.forward(model.forward(xa), ya).item());
    expect(s.step(xa, ya)).toBeCloseTo(eager, 6);
    expect(w.dataSync().some((v) => v !== 0)).toBe(true);
    expect(buf.shape).toEqual([3, 4]);
    expect(buf.dataSync().some((v) => v !== 0)).toBe(true);
    s.dispose();
  });

  it("on 'onnx' takes the step's outputs as the parameters' storage: views follow, memory stays flat", () => {
    manualSeed(6);
    const model = new nn.Sequential(new nn.Linear(4, 3)).to('onnx') as Model;
    const [x, y] = [randn([8, 4]).to('onnx'), randint(0, 3, [8]).to('onnx')];
    const w = model.parameters()[0];
    const flat = w.reshape([12]); // shares w's storage
    const s = compileTrainStep(model, {
      loss: new nn.CrossEntropyLoss(),
      optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }),
      exampleInputs: [x, y],
    });
    const backend = backendByName('onnx');
    s.step(x, y);
    const [mem, version] = [backend.memory?.(), w._storage.version];
    for (let i = 0; i < 3; i++) s.step(x, y);
    expect(backend.memory?.()).toEqual(mem);
    expect(w._storage.version).toBe(version + 3);
    expect(Array.from(flat.dataSync())).toEqual(Array.from(w.dataSync()));
    // the handle is what the next step is fed, and a value changed outside is still read again
    noGrad(() => w.fill_(0));
    s.step(x, y);
    expect(w.dataSync().every((v) => Math.abs(v) < 0.1)).toBe(true);
    flat.dispose();
    s.dispose();
  });

  it('refuses what it cannot differentiate, naming it', () => {
    const x = randn([4, 3]);
    const y = randint(0, 2, [4]);
    const opts = (m: nn.Module) => ({
      loss: new nn.CrossEntropyLoss(),
      optimizer: new optim.SGD(m.parameters(), { lr: 0.1 }),
      exampleInputs: [x, y] as [Tensor, Tensor],
    });
    const bn = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm1d(2));
    expect(() => compileTrainStep(bn, opts(bn))).toThrow(/cannot compile module BatchNorm1d at '1'/);
    const drop = new nn.Sequential(new nn.Linear(3, 2), new nn.Dropout(0.5));
    expect(() => compileTrainStep(drop, opts(drop))).toThrow(/Dropout at '1' has p=0.5 in training mode/);
    drop.eval();
    expect(() => compileTrainStep(drop, opts(drop))).not.toThrow();
    const lin = new nn.Linear(3, 2);
    expect(() => compileTrainStep(lin, { ...opts(lin), loss: new nn.L1Loss() })).toThrow(
      /loss L1Loss is not supported/,
    );
    expect(() =>
      compileTrainStep(lin, { ...opts(lin), optimizer: new optim.RMSprop(lin.parameters(), { lr: 0.1 }) }),
    ).toThrow(/optimizer RMSprop is not supported/);
    const s = compileTrainStep(lin, opts(lin));
    expect(() => s.step(x, randint(2, 3, [4]))).toThrow(/label 2 at 0 is out of range \[0, 2\)/);
    expect(() => s.step(x, randn([4]))).toThrow(/needs a target of dtype int64 or int32, got float32/);
    s.dispose();
  });
});
