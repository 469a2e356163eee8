import '@proj/backend-cpu';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memory, type Tensor, tensor, tidy } from '../index.js';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint.js';
import { LBFGS, type LBFGSOptions } from './lbfgs.js';
import type { OptimizerStateDict } from './optimizer.js';
import { cubicInterpolate } from './strong-wolfe.js';

interface RosenbrockCase {
  name: string;
  options: LBFGSOptions;
  steps: number[][];
  losses: number[];
  /** [funcEvals, nIter] after each step. */
  evals: [number, number][];
  /** PyTorch's state of the parameter after the last step. */
  state: Record<string, number | number[] | number[][]>;
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/optim.json', import.meta.url), 'utf8')) as {
  torch: string;
  optimizers: { rosenbrock: { x0: number[]; cases: RosenbrockCase[] } };
};
const { x0, cases } = fixture.optimizers.rosenbrock;

/** The extended Rosenbrock function of the fixture: Σ 100 (x[i+1] − x[i]²)² + (1 − x[i])². */
function rosenbrock(v: Tensor): Tensor {
  const n = v.shape[0];
  const head = v.narrow(0, 0, n - 1);
  const tail = v.narrow(0, 1, n - 1);
  return tail.sub(head.pow(2)).pow(2).mul(100).add(head.neg().add(1).pow(2)).sum();
}

function closureFor(opt: LBFGS, v: Tensor): () => Tensor {
  return () => {
    opt.zeroGrad();
    const loss = rosenbrock(v);
    loss.backward();
    return loss;
  };
}

/**
 * Within 1e-9 absolute and relative. The dot products and sums differ from PyTorch's (BLAS)
 * in the last bit, and 50 line-search iterations along Rosenbrock's curved valley grow that
 * to ~4e-10 in x (the iteration and evaluation counts stay the same, the end point too).
 */
function expectClose(actual: ArrayLike<number>, expected: number[], what: string, rtol = 1e-9): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-9 + rtol * Math.abs(expected[i]);
    if (!(Math.abs(actual[i] - expected[i]) <= tol))
      throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`);
  }
}

describe(`LBFGS on the Rosenbrock function matches PyTorch ${fixture.torch}`, () => {
  for (const c of cases) {
    it(`${c.name}: ${JSON.stringify(c.options)}`, () => {
      const v = tensor(x0, { dtype: 'float64', requiresGrad: true });
      const opt = new LBFGS([v], c.options);
      c.steps.forEach((expected, i) => {
        const loss = tidy(() => opt.step(closureFor(opt, v)).item() as number);
        expectClose([loss], [c.losses[i]], `step ${i + 1} loss`);
        expectClose(v.dataSync() as Float64Array, expected, `step ${i + 1} x`);
        const s = opt.state.get(v)!;
        expect([s.funcEvals, s.nIter], `step ${i + 1} evaluations`).toEqual(c.evals[i]);
      });
      // The state at the end sits at the optimum, where it is rounding noise: the step t of a
      // line search on an almost flat function, gradient differences y of ~1e-3 (cancellation).
      tidy(() => {
        const sd = opt.stateDict().state[0];
        const { ro: _ro, ...want } = c.state;
        expect(Object.keys(sd).sort()).toEqual(Object.keys(want).sort());
        for (const [k, e] of Object.entries(want)) {
          const got = sd[k];
          if (typeof e === 'number') expectClose([got as number], [e], k, 1e-5);
          else
            expectClose(
              (got as Tensor).dataSync() as Float64Array,
              (e as number[] | number[][]).flat(),
              k,
              1e-5,
            );
        }
      });
      opt.disposeState();
      opt.zeroGrad();
      v.dispose();
    });
  }
});

describe('LBFGS', () => {
  it('needs a closure, one param group, and a closure that returns the loss', () => {
    const v = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const w = tensor([3], { dtype: 'float64', requiresGrad: true });
    const opt = new LBFGS([v]);
    expect(() => opt.step()).toThrow('LBFGS.step: a closure is required');
    expect(() => new LBFGS([{ params: [v] }, { params: [w] }])).toThrow(
      "LBFGS doesn't support per-parameter options (parameter groups)",
    );
    expect(() => opt.addParamGroup({ params: [w] })).toThrow("LBFGS doesn't support per-parameter options");
    expect(() => new LBFGS([v], { lineSearchFn: 'backtracking' } as never)).toThrow(/lineSearchFn must be/);
    expect(() =>
      tidy(() =>
        opt.step(() => {
          opt.zeroGrad();
          const l = v.mul(v);
          l.sum().backward();
          return l;
        }),
      ),
    ).toThrow(
      'LBFGS.step: the closure must return the loss as a one-element tensor or a number, got a tensor of shape [2]',
    );
    expect(() => tidy(() => opt.step(() => 'loss' as never))).toThrow(
      "LBFGS.step: the closure must return the loss (a one-element tensor or a number), got a string ('loss')",
    );
    opt.disposeState();
    opt.zeroGrad();
    for (const t of [v, w]) t.dispose();
  });

  it("takes PyTorch's positional parameters; maxEval defaults to floor(maxIter * 5 / 4)", () => {
    const v = tensor([1, 2], { requiresGrad: true });
    const a = new LBFGS([v], 0.5, 7, null, 1e-5, 1e-8, 10, 'strong_wolfe');
    expect(a.paramGroups[0]).toMatchObject({
      lr: 0.5,
      maxIter: 7,
      maxEval: 8,
      toleranceGrad: 1e-5,
      toleranceChange: 1e-8,
      historySize: 10,
      lineSearchFn: 'strong_wolfe',
    });
    expect(new LBFGS([v]).paramGroups[0]).toMatchObject({
      lr: 1,
      maxIter: 20,
      maxEval: 25,
      lineSearchFn: null,
    });
    expect(new LBFGS([v], { maxIter: 3, maxEval: null }).paramGroups[0].maxEval).toBe(3);
    v.dispose();
  });

  it('a closure returning a number works; a step at the optimum returns at once', () => {
    const v = tensor([1, 1, 1, 1], { dtype: 'float64', requiresGrad: true });
    const opt = new LBFGS([v], { lineSearchFn: 'strong_wolfe' });
    const loss = tidy(() =>
      opt.step(() => {
        opt.zeroGrad();
        const l = rosenbrock(v);
        l.backward();
        return l.item() as number;
      }),
    );
    expect(loss).toBe(0);
    expect(opt.state.get(v)).toEqual({ funcEvals: 1, nIter: 0 });
    opt.zeroGrad();
    v.dispose();
  });

  it('leaks nothing: intermediates of every evaluation are freed, the state is kept', () => {
    const v = tensor(x0, { dtype: 'float64', requiresGrad: true });
    const opt = new LBFGS([v], { lineSearchFn: 'strong_wolfe', historySize: 3 });
    tidy(() => {
      opt.step(closureFor(opt, v));
    });
    const before = memory().numTensors;
    for (let i = 0; i < 3; i++)
      tidy(() => {
        opt.step(closureFor(opt, v));
      });
    expect(memory().numTensors).toBe(before);
    opt.disposeState();
    opt.zeroGrad();
    expect(memory().numTensors).toBe(before - 2 - 2 * 3 - 1); // d, prevFlatGrad, 3 pairs, the grad
    v.dispose();
  });

  it('saves its curvature pairs through a checkpoint file and resumes bit for bit', () => {
    const c = cases[1]!;
    const run = (v: Tensor, opt: LBFGS, n: number) => {
      for (let i = 0; i < n; i++)
        tidy(() => {
          opt.step(closureFor(opt, v));
        });
    };
    const full = tensor(x0, { dtype: 'float64', requiresGrad: true });
    const optFull = new LBFGS([full], c.options);
    run(full, optFull, 4);

    const a = tensor(x0, { dtype: 'float64', requiresGrad: true });
    const optA = new LBFGS([a], c.options);
    run(a, optA, 2);
    const sd = optA.stateDict();
    expect((sd.state[0].oldDirs as Tensor).shape).toEqual([5, 4]);
    const bytes = encodeCheckpoint({ optimizer: sd, x: a });
    for (const t of Object.values(sd.state[0])) if (typeof t !== 'number') t.dispose();
    const back = decodeCheckpoint<{ optimizer: OptimizerStateDict; x: Tensor }>(bytes);

    const b = back.x.detach().clone().requiresGrad_(true);
    const optB = new LBFGS([b], { ...c.options, lr: 123 });
    optB.loadStateDict(back.optimizer);
    for (const t of Object.values(back.optimizer.state[0])) if (typeof t !== 'number') t.dispose();
    back.x.dispose();
    expect(optB.paramGroups[0].lr).toBe(1);
    run(b, optB, 2);
    expect(Array.from(b.dataSync())).toEqual(Array.from(full.dataSync()));
    expect(optB.state.get(b)!.funcEvals).toBe(optFull.state.get(full)!.funcEvals);
    for (const [o, t] of [
      [optFull, full],
      [optA, a],
      [optB, b],
    ] as const) {
      o.disposeState();
      o.zeroGrad();
      t.dispose();
    }
  });

  it('refuses state whose vectors do not fit the parameters', () => {
    const v = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const opt = new LBFGS([v]);
    const group = { ...opt.stateDict().paramGroups[0] };
    const d = tensor([1, 2], { dtype: 'float64' });
    const pairs = tensor([[1, 2, 3]], { dtype: 'float64' });
    const load = (state: Record<string, unknown>) => () =>
      opt.loadStateDict({ state: { 0: state }, paramGroups: [group] } as unknown as OptimizerStateDict);
    expect(load({ d })).toThrow(
      "LBFGS.loadStateDict: state 'd' of parameter 0 has shape [2] but expected [3]",
    );
    expect(load({ expAvg: pairs })).toThrow("LBFGS has no tensor state 'expAvg'");
    expect(load({ oldDirs: pairs })).toThrow("state 'oldDirs' and 'oldStps' must be given together");
    expect(load({ oldDirs: pairs, oldStps: d })).toThrow("state 'oldStps' of parameter 0 has shape [2]");
    expect(opt.state.size).toBe(0);
    for (const t of [v, d, pairs]) t.dispose();
  });
});

describe('cubicInterpolate (PyTorch _cubic_interpolate)', () => {
  it('finds the minimiser of a cubic through two points and clamps it to the bounds', () => {
    // f(x) = (x - 1)^2 from (0, 1, -2) and (3, 4, 4): the minimiser is 1.
    expect(cubicInterpolate(0, 1, -2, 3, 4, 4)).toBeCloseTo(1, 12);
    expect(cubicInterpolate(3, 4, 4, 0, 1, -2)).toBeCloseTo(1, 12);
    expect(cubicInterpolate(0, 1, -2, 3, 4, 4, [2, 5])).toBe(2);
    // No real minimiser (d2² < 0): the middle of the bounds.
    expect(cubicInterpolate(0, 0, 1, 1, 2 / 3, 1)).toBe(0.5);
  });
});
