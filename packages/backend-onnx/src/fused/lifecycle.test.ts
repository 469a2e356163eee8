// Issue 11 for compileTrainStep: a disposed step refuses every call (it used to rebuild a
// session and keep training), and sessions per batch size are bounded (an LRU of maxSessions).
import '@proj/backend-cpu';
import { manualSeed, nn, optim, randint, randn, type Tensor, tidy } from '@proj/core';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { compileTrainStep } from './compile-train-step.js';

function setup(maxSessions?: number) {
  manualSeed(5);
  const model = new nn.Sequential(new nn.Linear(6, 8), new nn.ReLU(), new nn.Linear(8, 3));
  const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
  const batch = (b: number): [Tensor, Tensor] => [randn([b, 6]), randint(0, 3, [b], { dtype: 'int32' })];
  const step = compileTrainStep(model, {
    loss: new nn.CrossEntropyLoss(),
    optimizer: opt,
    exampleInputs: batch(4),
    maxSessions,
  });
  return { model, opt, batch, step };
}

describe('compileTrainStep after dispose()', () => {
  it('every method throws a clear error, and disposing twice is harmless', () => {
    const { model, batch, step } = setup();
    const [x, y] = batch(4);
    expect(Number.isFinite(step.step(x, y))).toBe(true);
    step.dispose();
    const before = model.parameters().map((p) => Array.from(p.dataSync()));
    expect(() => step.step(x, y)).toThrow('compileTrainStep: step() called after dispose()');
    expect(() => step.syncOptimizerState()).toThrow(
      'compileTrainStep: syncOptimizerState() called after dispose()',
    );
    expect(() => step.stats()).toThrow('compileTrainStep: stats() called after dispose()');
    expect(() => step.stepCount).toThrow('compileTrainStep: stepCount called after dispose()');
    expect(() => step.sessionCount).toThrow('compileTrainStep: sessionCount called after dispose()');
    expect(() => step.dispose()).not.toThrow();
    expect(step.isDisposed).toBe(true);
    // nothing trained after dispose
    expect(model.parameters().map((p) => Array.from(p.dataSync()))).toEqual(before);
  });
});

describe('compileTrainStep sessions per batch size', () => {
  it('keeps at most maxSessions (LRU), and a re-built session computes what the first did', () => {
    const bounded = setup(2);
    const unbounded = setup(Number.POSITIVE_INFINITY);
    // the same data and the same start: the two must train identically
    const sizes = [4, 5, 6, 7, 4, 5, 9, 4];
    for (const b of sizes) {
      manualSeed(100 + b);
      const [x, y] = bounded.batch(b);
      manualSeed(100 + b);
      const [x2, y2] = unbounded.batch(b);
      expect(bounded.step.step(x, y)).toBe(unbounded.step.step(x2, y2));
      expect(bounded.step.sessionCount).toBeLessThanOrEqual(2);
    }
    // 4 at compile time; then 5, 6, 7, 4, 5, 9, 4 each miss the two most recent sizes
    expect(bounded.step.stats()).toMatchObject({ sessionsCreated: 8, evictions: 6 });
    expect(unbounded.step.stats()).toMatchObject({ sessionsCreated: 5, evictions: 0 });
    for (const [i, p] of bounded.model.parameters().entries()) {
      expect(Array.from(p.dataSync())).toEqual(Array.from(unbounded.model.parameters()[i].dataSync()));
    }
    bounded.step.dispose();
    unbounded.step.dispose();
  });

  it('defaults to 8 sessions and refuses a bad budget', () => {
    const { batch, step } = setup();
    for (let b = 1; b <= 12; b++) tidy(() => step.step(...batch(b)));
    expect(step.sessionCount).toBe(8);
    expect(step.stats()).toMatchObject({ sessionsCreated: 12, evictions: 4 }); // sizes 1..12 (4 at compile time)
    step.dispose();
    expect(() => setup(0)).toThrow(/compileTrainStep: maxSessions must be a positive integer/);
  });
});
