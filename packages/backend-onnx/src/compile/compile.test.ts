import {
  backendByName,
  cat,
  manualSeed,
  memory,
  nn,
  optim,
  rand,
  randint,
  randn,
  setBackend,
  type Tensor,
  tensor,
  tidy,
} from '@proj/core';
import '@proj/backend-cpu';
import '../index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { compile } from './compile.js';

type Model = nn.Module & { forward(...x: Tensor[]): Tensor };
type Loss = { forward(o: Tensor, t: Tensor): Tensor };

interface Case {
  make: () => Model;
  loss: () => nn.Module & Loss;
  opt: (ps: Tensor[]) => optim.Optimizer<any>;
  /** Batches: [inputs..., target] per step. */
  batches: () => Tensor[][];
  /** Loss and parameter tolerance (relative to the largest magnitude). */
  tol?: number;
}

function maxRelDiff(a: Tensor, b: Tensor): number {
  const x = a.dataSync() as Float32Array;
  const y = b.dataSync() as Float32Array;
  let d = 0;
  let m = 1e-6;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs(x[i] - y[i]));
    m = Math.max(m, Math.abs(x[i]));
  }
  return d / m;
}

/** Trains a copy eagerly and a copy compiled from the same seeds; compares everything. */
function compare(c: Case, device: 'cpu' | 'onnx' = 'cpu') {
  setBackend(device);
  const tol = c.tol ?? 2e-5;
  manualSeed(7);
  const batches = c.batches();
  manualSeed(1);
  const eager = c.make();
  manualSeed(1);
  const model = c.make();
  const lossE = c.loss();
  const lossC = c.loss();
  const optE = c.opt(eager.parameters());
  const optC = c.opt(model.parameters());
  manualSeed(3);
  const eagerLosses = batches.map((b) =>
    tidy(() => {
      optE.zeroGrad();
      const l = lossE.forward(eager.forward(...b.slice(0, -1)), b[b.length - 1]);
      l.backward();
      optE.step();
      return l.item();
    }),
  );
  const step = compile(model, { loss: lossC, optimizer: optC, exampleInputs: batches[0] });
  manualSeed(3);
  const losses = batches.map((b) => tidy(() => step.step(b.slice(0, -1), b[b.length - 1]).item()));
  for (let i = 0; i < losses.length; i++) {
    expect(Math.abs(losses[i] - eagerLosses[i])).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(eagerLosses[i])),
    );
  }
  const pe = eager.namedParameters();
  const pc = model.namedParameters();
  pe.forEach(([k, p], i) => {
    expect(pc[i][0]).toBe(k);
    expect(maxRelDiff(p, pc[i][1]), k).toBeLessThanOrEqual(tol * 10);
    if (p.grad)
      expect(maxRelDiff(p.grad, pc[i][1].grad as Tensor), `grad ${k}`).toBeLessThanOrEqual(tol * 50);
    else expect(pc[i][1].grad).toBeNull();
  });
  eager.namedBuffers().forEach(([k, b], i) => {
    expect(maxRelDiff(b.float(), model.namedBuffers()[i][1].float()), k).toBeLessThanOrEqual(tol * 10);
  });
  const se = optE.stateDict().state;
  const sc = optC.stateDict().state;
  expect(Object.keys(sc)).toEqual(Object.keys(se));
  for (const [i, s] of Object.entries(se)) {
    for (const [k, v] of Object.entries(s)) {
      const w = sc[Number(i)][k];
      if (typeof v === 'number') expect(w, `state ${i}.${k}`).toBe(v);
      else expect(maxRelDiff(v, w as Tensor), `state ${i}.${k}`).toBeLessThanOrEqual(tol * 50);
    }
  }
  const stats = step.stats();
  step.dispose();
  return { losses, stats };
}

const classify = (n: number, shape: number[], classes: number) => () =>
  Array.from({ length: n }, () => [randn(shape), randint(0, classes, [shape[0]])]);

afterEach(() => setBackend('cpu'));

describe('compile: a traced training step equals the eager step', () => {
  it('MLP, SGD with momentum, Nesterov and weight decay (first step and steady state)', () => {
    const { stats } = compare({
      make: () => new nn.Sequential(new nn.Linear(6, 8), new nn.ReLU(), new nn.Linear(8, 3)) as Model,
      loss: () => new nn.CrossEntropyLoss(),
      opt: (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }),
      batches: classify(5, [5, 6], 3),
    });
    // the first step creates the momentum buffers: a graph of its own, then the steady one
    expect(stats.traces).toBe(2);
    expect(stats.runs).toBe(5);
  });

  it('CNN with BatchNorm (running stats), dropout and Adam; model on the onnx backend', () => {
    compare(
      {
        make: () =>
          new nn.Sequential(
            // (no conv bias before BatchNorm: its gradient is zero in exact arithmetic, rounding
            // noise that Adam would turn into ±lr steps differing between engines)
            new nn.Conv2d(1, 4, 3, { bias: false }),
            new nn.BatchNorm2d(4),
            new nn.ReLU(),
            new nn.MaxPool2d(2),
            new nn.Flatten(),
            new nn.Dropout(0.3),
            new nn.Linear(36, 5),
          ) as Model,
        loss: () => new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }),
        opt: (ps) => new optim.Adam(ps, { lr: 1e-2, amsgrad: true }),
        batches: classify(4, [3, 1, 8, 8], 5),
      },
      'onnx',
    );
  });

  it('LSTM with a linear head on the last step, RMSprop centered with momentum', () => {
    class Seq extends nn.Module {
      lstm = new nn.LSTM(4, 6, { batchFirst: true, numLayers: 2 });
      head = new nn.Linear(6, 3);
      override forward(x: Tensor): Tensor {
        const [out] = this.lstm.forward(x) as [Tensor, unknown];
        return this.head.forward(out.select(1, -1));
      }
    }
    compare({
      make: () => new Seq() as Model,
      loss: () => new nn.CrossEntropyLoss(),
      opt: (ps) => new optim.RMSprop(ps, { lr: 1e-2, momentum: 0.5, centered: true }),
      batches: classify(3, [2, 5, 4], 3),
    });
  });

  it('Transformer encoder with dropout, a GRU branch and control flow in a custom module', () => {
    class Net extends nn.Module {
      emb = new nn.Embedding(20, 8);
      enc = new nn.TransformerEncoder(
        new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.2, batchFirst: true }),
        2,
      );
      gru = new nn.GRU(8, 8, { batchFirst: true });
      out = new nn.Linear(16, 4);
      override forward(x: Tensor): Tensor {
        const h = this.emb.forward(x);
        const a = this.enc.forward(h).mean(1);
        const [g] = this.gru.forward(h) as [Tensor, Tensor];
        // control flow fixed for the traced shapes
        const b = x.shape[1] > 3 ? g.select(1, -1) : g.mean(1);
        return this.out.forward(cat([a, b], 1));
      }
    }
    compare({
      make: () => new Net() as Model,
      loss: () => new nn.CrossEntropyLoss(),
      // (SGD: Adam turns the rounding noise of gradients that are zero in exact arithmetic, such
      // as the key bias's, into ±lr steps, so two engines' Adam trajectories part there)
      opt: (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9 }),
      batches: () => Array.from({ length: 3 }, () => [randint(0, 20, [3, 5]), randint(0, 4, [3])]),
      tol: 1e-4,
    });
  });

  it('max pool gradients: tiling windows (square, non-square, rows no window reaches) and overlapping ones', () => {
    // conv output [3, 7, 8]: pooled [3, 4] (a row and no column left over), [3, 2] (a row and
    // two columns left over), and overlapping 3×3 windows with stride 2: [3, 3]
    for (const [pool, features] of [
      [() => new nn.MaxPool2d(2), 36],
      [() => new nn.MaxPool2d([2, 3]), 18],
      [() => new nn.MaxPool2d(3, { stride: 2 }), 27],
    ] as const) {
      compare({
        make: () =>
          new nn.Sequential(
            new nn.Conv2d(2, 3, 2),
            new nn.ReLU(),
            pool(),
            new nn.Flatten(),
            new nn.Linear(features, 3),
          ) as Model,
        loss: () => new nn.CrossEntropyLoss(),
        opt: (ps) => new optim.SGD(ps, { lr: 0.1 }),
        batches: classify(3, [4, 2, 8, 9], 3),
      });
    }
  });

  it('convolution filter gradients: stride, padding, dilation, rectangular kernels and groups', () => {
    // input [3, 4, 9, 8]; each conv's output flattened into a linear head
    for (const [conv, features] of [
      [() => new nn.Conv2d(4, 3, 3), 3 * 7 * 6],
      [() => new nn.Conv2d(4, 3, [2, 3], { stride: 2, padding: 1 }), 3 * 5 * 4],
      [() => new nn.Conv2d(4, 2, 3, { dilation: 2, padding: 2 }), 2 * 9 * 8],
      [() => new nn.Conv2d(4, 4, 3, { groups: 2, stride: [1, 2] }), 4 * 7 * 3],
    ] as const) {
      compare({
        make: () =>
          new nn.Sequential(conv(), new nn.Tanh(), new nn.Flatten(), new nn.Linear(features, 3)) as Model,
        loss: () => new nn.CrossEntropyLoss(),
        opt: (ps) => new optim.SGD(ps, { lr: 0.1 }),
        batches: classify(3, [3, 4, 9, 8], 3),
      });
    }
  });

  it('MSE regression with Adagrad (lr decay), and a short last batch on the same graph', () => {
    const { stats } = compare({
      make: () => new nn.Sequential(new nn.Linear(3, 5), new nn.Tanh(), new nn.Linear(5, 2)) as Model,
      loss: () => new nn.MSELoss(),
      opt: (ps) => new optim.Adagrad(ps, { lr: 0.1, lrDecay: 0.01 }),
      batches: () => [4, 4, 4, 2].map((b) => [randn([b, 3]), randn([b, 2])]),
    });
    // the batch dim is symbolic: the mean's 1/B, the shapes, all computed from the input
    expect(stats.traces).toBe(1);
  });

  it('batches of every size on one graph: BatchNorm statistics, dropout masks and the mean follow the size', () => {
    const { stats } = compare({
      make: () =>
        new nn.Sequential(
          new nn.Conv2d(1, 3, 3, { bias: false }),
          new nn.BatchNorm2d(3),
          new nn.ReLU(),
          new nn.Flatten(),
          new nn.Dropout(0.25),
          new nn.Linear(48, 4, { bias: false }),
          new nn.BatchNorm1d(4),
        ) as Model,
      loss: () => new nn.CrossEntropyLoss(),
      opt: (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9 }),
      batches: () => [5, 3, 8, 2, 5, 7].map((b) => [randn([b, 1, 6, 6]), randint(0, 4, [b])]),
    });
    // the first step (momentum buffers made) and the steady one, each for every batch size
    expect(stats.traces).toBe(2);
    expect(stats.graphs).toBe(2);
  });

  it('a step whose graph depends on the batch in a way no graph computes gets one graph per size', () => {
    class Squared extends nn.Module {
      l = new nn.Linear(3, 2);
      override forward(x: Tensor): Tensor {
        return this.l.forward(x).mul(1 / (x.shape[0] * x.shape[0]));
      }
    }
    const { stats } = compare({
      make: () => new Squared() as Model,
      loss: () => new nn.MSELoss(),
      opt: (ps) => new optim.SGD(ps, { lr: 0.1 }),
      batches: () => [4, 4, 2].map((b) => [randn([b, 3]), randn([b, 2])]),
    });
    expect(stats.traces).toBe(2);
  });
});

describe('compile: every optimizer and loss', () => {
  const mlp = () => new nn.Sequential(new nn.Linear(4, 6), new nn.Tanh(), new nn.Linear(6, 3)) as Model;
  const optimizers: [string, (ps: Tensor[]) => optim.Optimizer<any>][] = [
    ['SGD', (ps) => new optim.SGD(ps, { lr: 0.1, momentum: 0.8, dampening: 0.1 })],
    ['Adam', (ps) => new optim.Adam(ps, { lr: 0.01, weightDecay: 0.01 })],
    ['AdamW', (ps) => new optim.AdamW(ps, { lr: 0.01 })],
    ['Adamax', (ps) => new optim.Adamax(ps, { lr: 0.01 })],
    ['NAdam', (ps) => new optim.NAdam(ps, { lr: 0.01 })],
    ['RAdam', (ps) => new optim.RAdam(ps, { lr: 0.01 })],
    ['RMSprop', (ps) => new optim.RMSprop(ps, { lr: 0.01 })],
    ['Adagrad', (ps) => new optim.Adagrad(ps, { lr: 0.1 })],
    ['Adadelta', (ps) => new optim.Adadelta(ps, { lr: 1 })],
    ['ASGD', (ps) => new optim.ASGD(ps, { lr: 0.05, t0: 2 })],
    ['Rprop', (ps) => new optim.Rprop(ps, { lr: 0.01 })],
  ];
  it.each(optimizers)('%s', (_, opt) => {
    compare({ make: mlp, loss: () => new nn.CrossEntropyLoss(), opt, batches: classify(8, [5, 4], 3) });
  });

  const probs = () => [randn([5, 4]), rand([5, 3])];
  const losses: [string, () => nn.Module & Loss, () => Tensor[][]][] = [
    ['MSELoss', () => new nn.MSELoss(), () => [1, 2, 3].map(() => [randn([5, 4]), randn([5, 3])])],
    [
      'L1Loss',
      () => new nn.L1Loss({ reduction: 'sum' }),
      () => [1, 2, 3].map(() => [randn([5, 4]), randn([5, 3])]),
    ],
    [
      'HuberLoss',
      () => new nn.HuberLoss({ delta: 0.5 }),
      () => [1, 2, 3].map(() => [randn([5, 4]), randn([5, 3])]),
    ],
    ['SmoothL1Loss', () => new nn.SmoothL1Loss(), () => [1, 2, 3].map(() => [randn([5, 4]), randn([5, 3])])],
    ['BCEWithLogitsLoss', () => new nn.BCEWithLogitsLoss(), () => [1, 2, 3].map(probs)],
    ['NLLLoss', () => new nn.NLLLoss(), () => [1, 2, 3].map(() => [randn([5, 4]), randint(0, 3, [5])])],
  ];
  it.each(losses)('%s', (_, loss, batches) => {
    const make = () =>
      new nn.Sequential(
        new nn.Linear(4, 3),
        ...(loss() instanceof nn.NLLLoss ? [new nn.LogSoftmax(1)] : []),
      ) as Model;
    compare({ make, loss, opt: (ps) => new optim.SGD(ps, { lr: 0.1 }), batches });
  });

  it('BCELoss and KLDivLoss on probabilities', () => {
    const bce = () => new nn.Sequential(new nn.Linear(4, 3), new nn.Sigmoid()) as Model;
    compare({
      make: bce,
      loss: () => new nn.BCELoss(),
      opt: (ps) => new optim.SGD(ps, { lr: 0.1 }),
      batches: () => [1, 2].map(probs),
    });
    const kl = () => new nn.Sequential(new nn.Linear(4, 3), new nn.LogSoftmax(1)) as Model;
    const batches = () => [1, 2].map(() => [randn([5, 4]), randn([5, 3]).softmax(1)]);
    compare({
      make: kl,
      loss: () => new nn.KLDivLoss({ reduction: 'batchmean' }),
      opt: (ps) => new optim.SGD(ps, { lr: 0.1 }),
      batches,
    });
  });

  it('refuses LBFGS, whose step needs a closure, with a clear error', () => {
    setBackend('cpu');
    const m = mlp();
    const opt = new optim.LBFGS(m.parameters());
    const x = randn([2, 4]);
    expect(() =>
      compile(m, { loss: new nn.CrossEntropyLoss(), optimizer: opt, exampleInputs: [x, randint(0, 3, [2])] }),
    ).toThrow(/LBFGS|closure/);
  });
});

describe('compile: what the step depends on', () => {
  it('follows a learning-rate schedule and the optimizer state (Adam after eager steps)', () => {
    setBackend('cpu');
    manualSeed(1);
    const mk = () => new nn.Sequential(new nn.Linear(4, 4), new nn.ReLU(), new nn.Linear(4, 2));
    const a = mk();
    manualSeed(1);
    const b = mk();
    const [x, y] = [randn([6, 4]), randint(0, 2, [6])];
    const ce = new nn.CrossEntropyLoss();
    const oa = new optim.Adam(a.parameters(), { lr: 0.05 });
    const ob = new optim.Adam(b.parameters(), { lr: 0.05 });
    const sa = new optim.lrScheduler.StepLR(oa, 2, { gamma: 0.5 });
    const sb = new optim.lrScheduler.StepLR(ob, 2, { gamma: 0.5 });
    const eagerStep = () =>
      tidy(() => {
        oa.zeroGrad();
        const l = ce.forward(a.forward(x), y);
        l.backward();
        oa.step();
        sa.step();
        return l.item();
      });
    // two eager steps first on both, then compiled on b: the compiled step takes over the state
    const manual = () =>
      tidy(() => {
        ob.zeroGrad();
        const l = ce.forward(b.forward(x), y);
        l.backward();
        ob.step();
        sb.step();
        return l.item();
      });
    eagerStep();
    eagerStep();
    manual();
    manual();
    const c = compile(b, { loss: ce, optimizer: ob, exampleInputs: [x, y] });
    for (let i = 0; i < 5; i++) {
      const le = eagerStep();
      const lc = tidy(() => c.step(x, y).item());
      sb.step();
      expect(lc).toBeCloseTo(le, 5);
      // and back to eager in the middle: the state is the eager objects'
      if (i === 2) expect(manual()).toBeCloseTo(eagerStep(), 5);
    }
    expect(maxRelDiff(a.parameters()[0], b.parameters()[0])).toBeLessThan(1e-5);
    expect(ob.state.get(b.parameters()[0])?.step).toBe(oa.state.get(a.parameters()[0])?.step);
    c.dispose();
  });

  it('literals that shared an entry (equal when traced) part again when the optimizer changes one', () => {
    setBackend('cpu');
    const run = (compiled: boolean) => {
      manualSeed(4);
      const m = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
      const [x, y] = [randn([5, 3]), randint(0, 2, [5])];
      // momentum 0.5 and 1 - dampening 0.5 are equal: one entry of the literal vector
      const opt = new optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.5, dampening: 0.5 });
      const ce = new nn.CrossEntropyLoss();
      const c = compiled ? compile(m, { loss: ce, optimizer: opt, exampleInputs: [x, y] }) : null;
      const losses: number[] = [];
      for (let i = 0; i < 6; i++) {
        if (i === 3) opt.paramGroups[0].momentum = 0.8;
        losses.push(
          tidy(() => {
            if (c) return c.step(x, y).item();
            opt.zeroGrad();
            const l = ce.forward(m.forward(x), y);
            l.backward();
            opt.step();
            return l.item();
          }),
        );
      }
      const traces = c?.stats().traces;
      c?.dispose();
      return { losses, w: m.parameters()[0].toArray() as number[][], traces };
    };
    const e = run(false);
    const c = run(true);
    for (const [i, l] of c.losses.entries()) expect(l).toBeCloseTo(e.losses[i] as number, 5);
    expect(maxRelDiff(tensor(c.w), tensor(e.w))).toBeLessThan(1e-5);
    // the first step (no momentum buffer yet), the steady step, and the steady step traced
    // again without sharing once the two values parted
    expect(c.traces).toBe(3);
  });

  it('compiles a forward for every batch size at once', () => {
    setBackend('cpu');
    manualSeed(3);
    const m = new nn.Sequential(new nn.Linear(4, 6), new nn.LayerNorm(6), new nn.GELU(), new nn.Linear(6, 2));
    m.eval();
    const f = compile(m, { exampleInputs: [randn([3, 4])] });
    for (const b of [3, 1, 9, 4]) {
      const x = randn([b, 4]);
      const y = f.forward(x) as Tensor;
      expect(y.shape).toEqual([b, 2]);
      expect(maxRelDiff(y, m.forward(x))).toBeLessThan(1e-5);
    }
    expect(f.stats().traces).toBe(1);
    f.dispose();
  });

  it('follows a frozen parameter and a replaced buffer, as eager does', () => {
    setBackend('cpu');
    const run = (compiled: boolean) => {
      manualSeed(6);
      const m = new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4), new nn.Linear(4, 2));
      const [x, y] = [randn([5, 3]), randint(0, 2, [5])];
      const opt = new optim.SGD(m.parameters(), { lr: 0.1 });
      const ce = new nn.CrossEntropyLoss();
      const c = compiled ? compile(m, { loss: ce, optimizer: opt, exampleInputs: [x, y] }) : null;
      const losses: number[] = [];
      for (let i = 0; i < 5; i++) {
        if (i === 2) m.parameters()[0].requiresGrad_(false);
        if (i === 3) {
          const bn = m.get(1) as unknown as { running_mean: Tensor };
          bn.running_mean = tensor([1, 2, 3, 4]);
        }
        losses.push(
          tidy(() => {
            if (c) return c.step(x, y).item();
            opt.zeroGrad();
            const l = ce.forward(m.forward(x), y);
            l.backward();
            opt.step();
            return l.item();
          }),
        );
      }
      c?.dispose();
      return {
        losses,
        w: m.parameters()[0].toArray() as number[][],
        b: m.buffers()[0].toArray() as number[],
      };
    };
    const e = run(false);
    const c = run(true);
    for (const [i, l] of c.losses.entries()) expect(l).toBeCloseTo(e.losses[i] as number, 5);
    expect(maxRelDiff(tensor(c.w), tensor(e.w))).toBeLessThan(1e-5);
    expect(maxRelDiff(tensor(c.b), tensor(e.b))).toBeLessThan(1e-5);
  });

  it('retraces for eval mode and a changed attribute; refuses value reads with a clear error', () => {
    setBackend('cpu');
    manualSeed(2);
    const m = new nn.Sequential(new nn.Linear(3, 3), new nn.Dropout(0.5), new nn.Linear(3, 2));
    const x = randn([4, 3]);
    const f = compile(m, { exampleInputs: [x] });
    m.eval();
    expect(maxRelDiff(f.forward(x) as Tensor, m.forward(x))).toBeLessThan(1e-6);
    (m.get(1) as unknown as { p: number }).p = 0.1;
    m.train();
    manualSeed(5);
    const yc = f.forward(x) as Tensor;
    manualSeed(5);
    expect(maxRelDiff(yc, m.forward(x))).toBeLessThan(1e-6);
    expect(f.stats().traces).toBe(3);
    // a forward replaced on an instance retraces
    const swapped = new nn.Sequential(new nn.Linear(3, 3), new nn.ReLU(), new nn.Linear(3, 2));
    const g = compile(swapped, { exampleInputs: [x] });
    const relu = swapped.children()[1] as unknown as { forward: (t: Tensor) => Tensor };
    relu.forward = (t: Tensor) => t.tanh();
    expect(maxRelDiff(g.forward(x) as Tensor, swapped.forward(x))).toBeLessThan(1e-6);
    expect(g.stats().traces).toBe(2);
    g.dispose();
    f.dispose();
    class Reads extends nn.Module {
      l = new nn.Linear(2, 2);
      override forward(x: Tensor): Tensor {
        const y = this.l.forward(x);
        return y.sum().item() > 0 ? y : y.neg();
      }
    }
    expect(() => compile(new Reads(), { exampleInputs: [randn([1, 2])] })).toThrow(
      /compile: the traced code reads the value of a float32 \[\] tensor/,
    );
  });

  it("a bad target fails the step with core's message and changes nothing", () => {
    setBackend('cpu');
    const m = new nn.Linear(3, 4);
    const opt = new optim.Adam(m.parameters());
    const x = randn([2, 3]);
    const c = compile(m, {
      loss: new nn.CrossEntropyLoss(),
      optimizer: opt,
      exampleInputs: [x, randint(0, 4, [2])],
    });
    c.step(x, randint(0, 4, [2]));
    const before = m.weight.toArray();
    expect(() => c.step(x, randint(4, 9, [2]))).toThrow(/Target \d+ is out of bounds|out of bounds|target/i);
    expect(m.weight.toArray()).toEqual(before);
    expect(opt.state.get(m.weight)?.step).toBe(1);
    c.dispose();
  });

  it('leaks no tensors over steps, and releases its sessions (counted in memory()) on dispose', () => {
    setBackend('cpu');
    const graphs = () => backendByName('onnx').memory?.().compiledGraphs as number;
    const before = graphs();
    const m = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
    const opt = new optim.SGD(m.parameters(), { lr: 0.1 });
    const [x, y] = [rand([5, 3]), randint(0, 2, [5])];
    const c = compile(m, { loss: new nn.CrossEntropyLoss(), optimizer: opt, exampleInputs: [x, y] });
    const step = () =>
      tidy(() => {
        c.step(x, y);
      });
    step();
    const n = memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(memory().numTensors).toBe(n);
    expect(graphs()).toBe(before + 1);
    c.dispose();
    expect(graphs()).toBe(before);
    expect(() => compile(m, { exampleInputs: [x], maxGraphs: 0 })).toThrow(
      'compile: maxGraphs must be a positive integer',
    );
  });
});
