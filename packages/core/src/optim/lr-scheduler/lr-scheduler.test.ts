import '@proj/backend-cpu';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Tensor, tensor } from '../../index.js';
import { Adagrad } from '../adagrad.js';
import { Adam } from '../adam.js';
import type { Optimizer } from '../optimizer.js';
import { SGD } from '../sgd.js';
import { ChainedScheduler } from './chained-scheduler.js';
import { ConstantLR } from './constant-lr.js';
import { CosineAnnealingLR } from './cosine-annealing-lr.js';
import { CosineAnnealingWarmRestarts } from './cosine-annealing-warm-restarts.js';
import { CyclicLR, type CyclicLROptions } from './cyclic-lr.js';
import { ExponentialLR } from './exponential-lr.js';
import { LambdaLR } from './lambda-lr.js';
import { LinearLR } from './linear-lr.js';
import type { LRScheduler } from './lr-scheduler.js';
import { MultiStepLR } from './multi-step-lr.js';
import { MultiplicativeLR } from './multiplicative-lr.js';
import { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr.js';
import { PolynomialLR } from './polynomial-lr.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
import { SequentialLR } from './sequential-lr.js';
import { StepLR } from './step-lr.js';

type Spec = Record<string, unknown> & { type: string };

interface SchedCase {
  name: string;
  optimizer: 'SGD' | 'Adam';
  optimizerOptions: Record<string, number>;
  scheduler: Spec;
  groupLrs?: [number, number];
  metrics?: number[];
  /** The argument of each step() (CosineAnnealingWarmRestarts' fractional epochs). */
  stepArgs?: number[];
  lrs: number[][];
  momentum?: number[][];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../../fixtures/optim.json', import.meta.url), 'utf8'),
) as {
  torch: string;
  schedulers: SchedCase[];
};

interface Scheduler {
  step(metric?: any): void;
  getLastLr(): number[];
  stateDict(): Record<string, unknown>;
  loadStateDict(sd: Record<string, unknown>): void;
}
type AnyOpt = Optimizer<{ lr: number }>;

function makeOptimizer(c: SchedCase): { opt: AnyOpt; params: Tensor[] } {
  const params = [tensor([0, 0], { requiresGrad: true }), tensor([0, 0], { requiresGrad: true })];
  const spec = c.groupLrs ? params.map((p, i) => ({ params: [p], lr: c.groupLrs![i] })) : params;
  const opt =
    c.optimizer === 'SGD'
      ? new SGD(spec, c.optimizerOptions as { lr: number })
      : new Adam(spec, c.optimizerOptions);
  return { opt: opt as AnyOpt, params };
}

/** The fixture's Python lambdas, by their source. */
const LAMBDAS: Record<string, (x: number) => number> = {
  '0.95**e': (e) => 0.95 ** e,
  '0.9': () => 0.9,
  '1-0.01*e': (e) => 1 - 0.01 * e,
  '0.5**x': (x) => 0.5 ** x,
};

function lambdaOf(source: unknown): (x: number) => number {
  const f = LAMBDAS[source as string];
  if (f === undefined) throw new Error(`no lambda for ${String(source)}`);
  return f;
}

function makeScheduler(c: SchedCase, opt: AnyOpt): Scheduler {
  return fromSpec(c.scheduler, opt);
}

function fromSpec(spec: Spec, opt: AnyOpt): Scheduler {
  const { type, ...s } = spec;
  const inner = () => (s.schedulers as Spec[]).map((x) => fromSpec(x, opt) as LRScheduler);
  switch (type) {
    case 'StepLR':
      return new StepLR(opt, s.stepSize as number, { gamma: s.gamma as number });
    case 'MultiStepLR':
      return new MultiStepLR(opt, s.milestones as number[], { gamma: s.gamma as number });
    case 'ExponentialLR':
      return new ExponentialLR(opt, s.gamma as number);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(opt, s.TMax as number, { etaMin: s.etaMin as number });
    case 'LambdaLR':
      return new LambdaLR(opt, lambdaOf(s.lambda));
    case 'LinearLR':
      return new LinearLR(opt, s);
    case 'SequentialLR':
      return new SequentialLR(opt, inner(), s.milestones as number[]);
    case 'CosineAnnealingWarmRestarts': {
      const { t0, ...rest } = s;
      return new CosineAnnealingWarmRestarts(opt, t0 as number, rest);
    }
    case 'CyclicLR': {
      const { baseLr, maxLr, scaleFn, ...rest } = s;
      const options = { ...rest, ...(scaleFn ? { scaleFn: lambdaOf(scaleFn) } : {}) } as CyclicLROptions;
      return new CyclicLR(opt, baseLr as number | number[], maxLr as number | number[], options);
    }
    case 'PolynomialLR':
      return new PolynomialLR(opt, s);
    case 'ConstantLR':
      return new ConstantLR(opt, s);
    case 'MultiplicativeLR':
      return new MultiplicativeLR(opt, Array.isArray(s.lambda) ? s.lambda.map(lambdaOf) : lambdaOf(s.lambda));
    case 'ChainedScheduler':
      return new ChainedScheduler(inner());
    case 'ReduceLROnPlateau':
      return new ReduceLROnPlateau(opt, s as ReduceLROnPlateauOptions);
    case 'OneCycleLR':
      return new OneCycleLR(opt, s as unknown as OneCycleLROptions);
    default:
      throw new Error(`unknown scheduler ${type}`);
  }
}

function momentumOf(opt: AnyOpt): number[] {
  return opt.paramGroups.map((g) => (g.betas ? (g.betas as number[])[0] : (g.momentum as number)));
}

function expectClose(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => {
    if (!(Math.abs(a - expected[i]) <= 1e-15 + 1e-12 * Math.abs(expected[i]))) {
      throw new Error(`${what}[${i}]: got ${a}, expected ${expected[i]}`);
    }
  });
}

describe(`learning-rate schedules match PyTorch ${fixture.torch} (fixtures/optim.json)`, () => {
  for (const c of fixture.schedulers) {
    it(`${c.name}: ${JSON.stringify(c.scheduler)}`, () => {
      const { opt, params } = makeOptimizer(c);
      const sched = makeScheduler(c, opt);
      const lrOf = () => opt.paramGroups.map((g) => g.lr);
      c.lrs.forEach((expected, i) => {
        if (i > 0) sched.step(c.metrics?.[i - 1] ?? c.stepArgs?.[i - 1]);
        expectClose(lrOf(), expected, `step ${i} lr`);
        expectClose(sched.getLastLr(), expected, `step ${i} getLastLr`);
        if (c.momentum) expectClose(momentumOf(opt), c.momentum[i], `step ${i} momentum`);
      });
      for (const p of params) p.dispose();
    });
  }

  it('a scheduler restored from its state dict continues the same sequence', () => {
    for (const c of fixture.schedulers.filter((s) => s.scheduler.type !== 'LambdaLR')) {
      const a = makeOptimizer(c);
      const schedA = makeScheduler(c, a.opt);
      for (let i = 0; i < 7; i++) schedA.step(c.metrics?.[i] ?? c.stepArgs?.[i]);
      const optSd = a.opt.stateDict();
      const sd = JSON.parse(JSON.stringify(schedA.stateDict()));
      const b = makeOptimizer(c);
      const schedB = makeScheduler(c, b.opt);
      b.opt.loadStateDict(optSd);
      schedB.loadStateDict(sd);
      for (let i = 7; i < c.lrs.length - 1; i++) {
        schedB.step(c.metrics?.[i] ?? c.stepArgs?.[i]);
        expectClose(schedB.getLastLr(), c.lrs[i + 1], `${c.name} resumed step ${i + 1}`);
        if (c.momentum)
          expectClose(momentumOf(b.opt), c.momentum[i + 1], `${c.name} resumed momentum ${i + 1}`);
      }
      for (const p of [...a.params, ...b.params]) p.dispose();
    }
  });
});

describe('schedulers', () => {
  it('gives clear errors', () => {
    const w = tensor([1], { requiresGrad: true });
    const sgd = new SGD([w], { lr: 0.1 });
    expect(() => new StepLR({} as AnyOpt, 3)).toThrow('StepLR: expected an Optimizer, got Object');
    expect(() => new StepLR(sgd, 0)).toThrow('StepLR: stepSize must be a positive integer (got 0)');
    expect(() => new ReduceLROnPlateau(sgd, { factor: 1 })).toThrow(
      'ReduceLROnPlateau: factor should be < 1.0',
    );
    expect(() => new OneCycleLR(sgd, { maxLr: 1 })).toThrow('OneCycleLR: you must define either totalSteps');
    const adagrad = new Adagrad([tensor([1], { requiresGrad: true })]);
    expect(() => new OneCycleLR(adagrad, { maxLr: 1, totalSteps: 10 })).toThrow(
      'OneCycleLR: optimizer must support momentum',
    );
    const one = new OneCycleLR(new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1, momentum: 0.9 }), {
      maxLr: 1,
      totalSteps: 2,
    });
    one.step();
    one.step();
    expect(() => one.step()).toThrow(
      'OneCycleLR: tried to step 4 times; the specified number of total steps is 2',
    );
    expect(() => new LambdaLR(sgd, [(e) => e, (e) => e])).toThrow(
      'LambdaLR: expected 1 lrLambdas, but got 2',
    );
    const other = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
    expect(() => new SequentialLR(sgd, [new ExponentialLR(other, 0.5)], [])).toThrow(
      'SequentialLR: expects all schedulers to belong to the same optimizer',
    );
    expect(
      () => new StepLR(new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 }), 2, { lastEpoch: 3 }),
    ).toThrow("StepLR: param 'initialLr' is not specified in paramGroups[0] when resuming");
  });

  it('sets initialLr on the groups and keeps it in the optimizer state dict', () => {
    const w = tensor([1], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1 });
    const s = new ExponentialLR(opt, 0.5);
    s.step();
    expect(opt.paramGroups[0].initialLr).toBe(0.1);
    expect(opt.stateDict().paramGroups[0]).toMatchObject({ lr: 0.05, initialLr: 0.1 });
    expect(s.stateDict()).toMatchObject({ lastEpoch: 1, baseLrs: [0.1], gamma: 0.5 });
  });
});

describe('the schedulers of issue 13: arguments and errors', () => {
  const sgd = (lr = 0.1, momentum = 0.9) => new SGD([tensor([1], { requiresGrad: true })], { lr, momentum });

  it("take PyTorch's positional parameters", () => {
    const w = new CosineAnnealingWarmRestarts(sgd(), 4, 2, 0.01);
    expect([w.T0, w.Ti, w.TMult, w.etaMin, w.TCur]).toEqual([4, 4, 2, 0.01, 0]);
    const c = new CyclicLR(sgd(), 0.01, 0.1, 4, null, 'triangular2', 1, null, 'cycle', true, 0.7, 0.95);
    expect([c.totalSize, c.stepRatio, c.mode, c.maxMomentums, c.baseMomentums]).toEqual([
      8,
      0.5,
      'triangular2',
      [0.95],
      [0.7],
    ]);
    expect(c.optimizer.paramGroups[0].momentum).toBe(0.95);
    const p = new PolynomialLR(sgd(), 4, 2);
    expect([p.totalIters, p.power]).toEqual([4, 2]);
    const k = new ConstantLR(sgd(), 0.5, 3);
    expect([k.factor, k.totalIters, k.getLastLr()]).toEqual([0.5, 3, [0.05]]);
    expect(new ConstantLR(sgd()).factor).toBe(1 / 3);
    const m = new MultiplicativeLR(sgd(), () => 0.5);
    m.step();
    expect(m.getLastLr()).toEqual([0.05]);
  });

  it('refuse what PyTorch refuses, with the reason', () => {
    expect(() => new CosineAnnealingWarmRestarts(sgd(), 0)).toThrow(
      'CosineAnnealingWarmRestarts: expected positive integer t0, but got 0',
    );
    expect(() => new CosineAnnealingWarmRestarts(sgd(), 2.5)).toThrow(/t0 must be an integer/);
    expect(() => new CosineAnnealingWarmRestarts(sgd(), 2, 0)).toThrow(
      'CosineAnnealingWarmRestarts: expected integer tMult >= 1, but got 0',
    );
    expect(() => new CosineAnnealingWarmRestarts(sgd(), 2).step(-1)).toThrow(
      'CosineAnnealingWarmRestarts.step: expected non-negative epoch, but got -1',
    );
    const adam = new Adam([tensor([1], { requiresGrad: true })], { lr: 0.1 });
    expect(() => new CyclicLR(adam, 0.01, 0.1)).toThrow(
      'CyclicLR: optimizer must support momentum with the cycleMomentum option enabled (Adam has no momentum option; pass cycleMomentum: false)',
    );
    expect(new CyclicLR(adam, 0.01, 0.1, { cycleMomentum: false }).getLastLr()).toEqual([0.01]);
    expect(() => new CyclicLR(sgd(), 0.01, 0.1, { mode: 'triangle' } as never)).toThrow(
      /mode must be one of/,
    );
    expect(() => new CyclicLR(sgd(), [0.01, 0.02], 0.1)).toThrow(
      'CyclicLR: expected 1 values for baseLr, got 2',
    );
    expect(() => new ConstantLR(sgd(), 1.5)).toThrow(
      'ConstantLR: constant multiplicative factor expected to be between 0 and 1 (got 1.5)',
    );
    expect(() => new MultiplicativeLR(sgd(), [() => 1, () => 1])).toThrow(
      'MultiplicativeLR: expected 1 lrLambdas, but got 2',
    );
    const a = sgd();
    const b = sgd();
    expect(() => new ChainedScheduler([new ExponentialLR(a, 0.9), new ExponentialLR(b, 0.9)])).toThrow(
      'ChainedScheduler: expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and 1 to be different',
    );
    expect(() => new ChainedScheduler([])).toThrow('ChainedScheduler: expects at least one scheduler');
    expect(() => new ChainedScheduler([new ReduceLROnPlateau(a)] as never)).toThrow(
      /schedulers must be an array of LRSchedulers/,
    );
  });

  it('CyclicLR keeps a custom scaleFn out of its state dict; a restored one keeps its own', () => {
    const o = sgd();
    const c = new CyclicLR(o, 0.01, 0.1, { stepSizeUp: 2, scaleFn: (x) => 1 / x });
    for (let i = 0; i < 3; i++) c.step();
    const sd = c.stateDict();
    expect('_scaleFnCustom' in sd).toBe(false);
    const d = new CyclicLR(sgd(), 0.01, 0.1, { stepSizeUp: 2, scaleFn: (x) => 1 / x });
    d.loadStateDict(JSON.parse(JSON.stringify(sd)));
    c.step();
    d.step();
    expect(d.getLastLr()).toEqual(c.getLastLr());
  });

  it('CosineAnnealingWarmRestarts.step(epoch) jumps; step() continues from there', () => {
    const o = sgd(1, 0);
    const w = new CosineAnnealingWarmRestarts(o, 2, 2);
    w.step(5.5); // periods 2, 4: epoch 5.5 is 3.5 into the second period
    expect([w.TCur, w.Ti, w.lastEpoch]).toEqual([3.5, 4, 5]);
    expect(w.getLastLr()[0]).toBeCloseTo((1 + Math.cos((Math.PI * 3.5) / 4)) / 2, 15);
    w.step();
    expect([w.TCur, w.Ti, w.lastEpoch]).toEqual([0.5, 8, 6]);
  });
});
