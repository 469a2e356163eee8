import '@proj/backend-cpu';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Tensor, tensor } from '../../index.js';
import { Adagrad } from '../adagrad.js';
import { Adam } from '../adam.js';
import type { Optimizer } from '../optimizer.js';
import { SGD } from '../sgd.js';
import { CosineAnnealingLR } from './cosine-annealing-lr.js';
import { ExponentialLR } from './exponential-lr.js';
import { LambdaLR } from './lambda-lr.js';
import { LinearLR } from './linear-lr.js';
import { MultiStepLR } from './multi-step-lr.js';
import { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
import { SequentialLR } from './sequential-lr.js';
import { StepLR } from './step-lr.js';

interface SchedCase {
  name: string;
  optimizer: 'SGD' | 'Adam';
  optimizerOptions: Record<string, number>;
  scheduler: Record<string, unknown> & { type: string };
  groupLrs?: [number, number];
  metrics?: number[];
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

function makeScheduler(c: SchedCase, opt: AnyOpt): Scheduler {
  const { type, ...s } = c.scheduler;
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
      return new LambdaLR(opt, (e) => 0.95 ** e);
    case 'LinearLR':
      return new LinearLR(opt, s);
    case 'SequentialLR':
      return new SequentialLR(
        opt,
        [
          new LinearLR(opt, { startFactor: 0.1, endFactor: 1, totalIters: 5 }),
          new CosineAnnealingLR(opt, 15, { etaMin: 0 }),
        ],
        s.milestones as number[],
      );
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
        if (i > 0) sched.step(c.metrics?.[i - 1]);
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
      for (let i = 0; i < 7; i++) schedA.step(c.metrics?.[i]);
      const optSd = a.opt.stateDict();
      const sd = JSON.parse(JSON.stringify(schedA.stateDict()));
      const b = makeOptimizer(c);
      const schedB = makeScheduler(c, b.opt);
      b.opt.loadStateDict(optSd);
      schedB.loadStateDict(sd);
      for (let i = 7; i < c.lrs.length - 1; i++) {
        schedB.step(c.metrics?.[i]);
        expectClose(schedB.getLastLr(), c.lrs[i + 1], `${c.name} resumed step ${i + 1}`);
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
