// Optimizer cases from PyTorch's optim.json: loss = mean((x·w + b − y)²), several steps of
// each optimizer configuration; PyTorch's trajectory is float64, ours float32 on each backend.
// Cases marked `closure` step with opt.step(closure) (LBFGS needs it).
import { optim, type Tensor, tensor, tidy } from '@proj/core';
import { joinValues, loadFixture, releaseOptimizer, values } from '../fixtures.js';
import type { Case, Outputs, Values } from '../types.js';

interface OptimCase {
  name: string;
  optimizer: string;
  options: Record<string, unknown>;
  groups?: Record<string, unknown>[];
  closure?: boolean;
  steps: [number[], number[]][];
}
interface OptimFixture {
  optimizers: { problem: { x: number[]; y: number[]; w: number[]; b: number[] }; cases: OptimCase[] };
}

type OptimizerCtor = new (params: unknown, options?: unknown) => optim.Optimizer<{ lr: number }>;

/**
 * Steps compared per case. LBFGS reaches the optimum of this problem within its second step,
 * and there float32 rounding decides its stopping test (|Δloss| < 1e-9 holds once two float32
 * losses are equal): one backend may stop an iteration earlier than another, ~7e-5 from the
 * optimum (PyTorch's own float32 run differs from its float64 one the same way). Its first step
 * is well inside the descent and holds to the training tolerance on every backend.
 */
function comparedSteps(c: OptimCase): number {
  return c.optimizer === 'LBFGS' ? 1 : c.steps.length;
}

function optimCase(problem: OptimFixture['optimizers']['problem'], c: OptimCase): Case {
  const n = comparedSteps(c);
  const steps = c.steps.slice(0, n);
  const expected: Outputs = {
    w: { shape: [n, 3, 4], data: steps.flatMap((s) => s[0]) },
    b: { shape: [n, 4], data: steps.flatMap((s) => s[1]) },
  };
  return {
    id: `optim/${c.name}`,
    family: 'optim',
    tolerance: 'training',
    expected,
    run() {
      const x = tensor(problem.x, { dtype: 'float32' }).reshape([5, 3]);
      const y = tensor(problem.y, { dtype: 'float32' }).reshape([5, 4]);
      const w = tensor(problem.w, { dtype: 'float32' }).reshape([3, 4]).detach().requiresGrad_(true);
      const b = tensor(problem.b, { dtype: 'float32' }).detach().requiresGrad_(true);
      const params = c.groups
        ? [
            { params: [w], ...c.groups[0] },
            { params: [b], ...c.groups[1] },
          ]
        : [w, b];
      const Ctor = (optim as unknown as Record<string, OptimizerCtor>)[c.optimizer]!;
      const opt = new Ctor(params, c.options);
      const ws: Values[] = [];
      const bs: Values[] = [];
      for (let s = 0; s < n; s++) {
        tidy(() => {
          const closure = () => {
            opt.zeroGrad();
            const loss = x.matmul(w).add(b).sub(y).pow(2).mean() as Tensor;
            loss.backward();
            return loss;
          };
          if (c.closure) opt.step(closure);
          else {
            closure();
            opt.step();
          }
        });
        ws.push(values(w));
        bs.push(values(b));
      }
      releaseOptimizer(opt);
      return { w: joinValues(ws, [n, 3, 4]), b: joinValues(bs, [n, 4]) };
    },
  };
}

/** All optimizer cases. */
export function optimCases(): Case[] {
  const fx = loadFixture<OptimFixture>('optim.json');
  return fx.optimizers.cases.map((c) => optimCase(fx.optimizers.problem, c));
}
