// Optimizer updates inside a fused training graph: PyTorch 1.13's SGD (momentum, dampening,
// Nesterov, weight decay, maximize) and Adam/AdamW (bias correction from the step count,
// AMSGrad), written with the same operations in the same order as core's optim/sgd.ts and
// optim/adam.ts. Hyperparameters are scalar graph inputs read from the param group at every
// step (so learning-rate schedulers keep working); only switches that change the graph's
// structure (momentum on/off, nesterov, …) are part of the session key.
import { optim } from '@proj/core';
import type { TrainContext } from './context.js';

/** The optimizer kinds a fused step can run. */
export type OptimizerKind = 'sgd' | 'adam' | 'adamw';

/** One parameter group as the fused step sees it. */
export interface GroupView {
  readonly [option: string]: unknown;
  readonly lr: number;
}

/** How one optimizer kind is turned into graph inputs, state and update nodes. */
export interface OptimizerPlan {
  readonly kind: OptimizerKind;
  /** Names of the per-group scalar inputs, in feed order. */
  readonly scalars: readonly string[];
  /** The scalar values of a group at the step numbered `step` (1-based). */
  scalarValues(g: GroupView, step: number): number[];
  /** Names of the per-parameter state tensors of a group (core's state keys). */
  stateSlots(g: GroupView): string[];
  /** What in a group changes the graph's structure. */
  structure(g: GroupView): string;
  /** Emits the update of parameter `p` with gradient `grad`; returns the new param and state. */
  emitUpdate(
    cx: TrainContext,
    g: GroupView,
    p: string,
    grad: string,
    scalars: Readonly<Record<string, string>>,
    state: readonly string[],
  ): { param: string; state: string[] };
}

const sgd: OptimizerPlan = {
  kind: 'sgd',
  // bufDecay/gradScale make the first step's buffer a copy of the gradient (core's clone).
  scalars: ['lr', 'weightDecay', 'momentum', 'bufDecay', 'gradScale'],
  scalarValues(g, step) {
    const m = g.momentum as number;
    const first = step === 1;
    return [g.lr, g.weightDecay as number, m, first ? 0 : m, first ? 1 : 1 - (g.dampening as number)];
  },
  stateSlots: (g) => ((g.momentum as number) !== 0 ? ['momentumBuffer'] : []),
  structure: (g) => `sgd:${g.momentum !== 0}:${g.nesterov}:${g.maximize}:${g.weightDecay !== 0}`,
  emitUpdate(cx, g, p, grad, s, state) {
    let d = g.maximize ? cx.op('Neg', [grad]) : grad;
    if (g.weightDecay !== 0) d = cx.op('Add', [d, cx.op('Mul', [p, s.weightDecay])]);
    const next: string[] = [];
    if (g.momentum !== 0) {
      const buf = cx.op('Add', [cx.op('Mul', [state[0], s.bufDecay]), cx.op('Mul', [d, s.gradScale])]);
      next.push(buf);
      d = g.nesterov ? cx.op('Add', [d, cx.op('Mul', [buf, s.momentum])]) : buf;
    }
    return { param: cx.op('Sub', [p, cx.op('Mul', [d, s.lr])]), state: next };
  },
};

function adam(decoupled: boolean): OptimizerPlan {
  return {
    kind: decoupled ? 'adamw' : 'adam',
    scalars: ['lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'step'],
    scalarValues(g, step) {
      const [b1, b2] = g.betas as [number, number];
      return [g.lr, b1, b2, g.eps as number, g.weightDecay as number, step];
    },
    stateSlots: (g) => (g.amsgrad ? ['expAvg', 'expAvgSq', 'maxExpAvgSq'] : ['expAvg', 'expAvgSq']),
    structure: (g) => `adam:${decoupled}:${g.amsgrad}:${g.maximize}:${g.weightDecay !== 0}`,
    emitUpdate(cx, g, p0, grad, s, state) {
      const one = cx.scalar(1);
      let p = p0;
      let d = g.maximize ? cx.op('Neg', [grad]) : grad;
      if (decoupled) p = cx.op('Mul', [p, cx.op('Sub', [one, cx.op('Mul', [s.lr, s.weightDecay])])]);
      else if (g.weightDecay !== 0) d = cx.op('Add', [d, cx.op('Mul', [p, s.weightDecay])]);
      const m = cx.op('Add', [
        cx.op('Mul', [state[0], s.beta1]),
        cx.op('Mul', [d, cx.op('Sub', [one, s.beta1])]),
      ]);
      const v = cx.op('Add', [
        cx.op('Mul', [state[1], s.beta2]),
        cx.op('Mul', [cx.op('Mul', [d, cx.op('Sub', [one, s.beta2])]), d]),
      ]);
      const bc1 = cx.op('Sub', [one, cx.op('Pow', [s.beta1, s.step])]);
      const bc2 = cx.op('Sub', [one, cx.op('Pow', [s.beta2, s.step])]);
      const stepSize = cx.op('Div', [s.lr, bc1]);
      const next = [m, v];
      let second = v;
      if (g.amsgrad) {
        second = cx.op('Max', [state[2], v]);
        next.push(second);
      }
      const denom = cx.op('Add', [cx.op('Div', [cx.op('Sqrt', [second]), cx.op('Sqrt', [bc2])]), s.eps]);
      const upd = cx.op('Div', [cx.op('Mul', [m, cx.op('Neg', [stepSize])]), denom]);
      return { param: cx.op('Add', [p, upd]), state: next };
    },
  };
}

/** The plan of a core optimizer instance; throws naming its class when it is not supported. */
export function planOptimizer(opt: optim.Optimizer<any>): OptimizerPlan {
  if (opt instanceof optim.AdamW) return adam(true);
  if (opt instanceof optim.Adam) return adam(false);
  if (opt instanceof optim.SGD) return sgd;
  const cls = (opt as object)?.constructor?.name ?? String(opt);
  throw new Error(`compileTrainStep: optimizer ${cls} is not supported (supported: SGD, Adam, AdamW)`);
}
