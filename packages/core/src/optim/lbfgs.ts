import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { cat, stack } from '../ops/join.js';
import { optimizerArgs, optimizerSignature } from '../signature/optim-signature.js';
import { int, num, oneOf, opt, optional, type PosOrOpts } from '../signature/signature.js';
import { zeros } from '../tensor/creation.js';
import { watchStepGrowth } from '../tensor/growth-watch.js';
import { keep, tidy } from '../tensor/scope.js';
import { fmtShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptimizerStateDict } from './load-state.js';
import {
  check,
  Optimizer,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupSpec,
  type ParamState,
  type Params,
} from './optimizer.js';
import { describeValue } from './params.js';
import { dot, pyMin, strongWolfe } from './strong-wolfe.js';

/**
 * torch.optim.LBFGS(params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
 * tolerance_change=1e-9, history_size=100, line_search_fn=None).
 */
const LBFGS_SIG = optimizerSignature(
  'LBFGS',
  [
    opt('lr', num),
    opt('maxIter', int),
    opt('maxEval', optional(int)),
    opt('toleranceGrad', num),
    opt('toleranceChange', num),
    opt('historySize', int),
    opt('lineSearchFn', oneOf(null, 'strong_wolfe')),
  ],
  [],
  [],
);

/** Options of {@link LBFGS}. */
export interface LBFGSOptions {
  /** Learning rate: the step along the search direction without line search (default 1). */
  lr?: number;
  /** Maximal number of iterations per `step()` (default 20). */
  maxIter?: number;
  /** Maximal number of function evaluations per `step()` (default null: `floor(maxIter * 5 / 4)`). */
  maxEval?: number | null;
  /** Termination tolerance on first-order optimality, max |gradient| (default 1e-7). */
  toleranceGrad?: number;
  /** Termination tolerance on function value / parameter changes (default 1e-9). */
  toleranceChange?: number;
  /** Number of curvature pairs kept (default 100). */
  historySize?: number;
  /** `'strong_wolfe'` for a line search satisfying the strong Wolfe conditions, or null (default). */
  lineSearchFn?: 'strong_wolfe' | null;
}

/** The resolved options of the {@link LBFGS} param group. */
export interface LBFGSDefaults {
  /** Learning rate (default 1). */
  lr: number;
  /** Maximal iterations per `step()` (default 20). */
  maxIter: number;
  /** Maximal function evaluations per `step()` (default `floor(maxIter * 5 / 4)`). */
  maxEval: number;
  /** Termination tolerance on max |gradient| (default 1e-7). */
  toleranceGrad: number;
  /** Termination tolerance on function value / parameter changes (default 1e-9). */
  toleranceChange: number;
  /** Curvature pairs kept (default 100). */
  historySize: number;
  /** `'strong_wolfe'` or null (default). */
  lineSearchFn: 'strong_wolfe' | null;
}

/** State keys that hold flat vectors (one value per element of all parameters together). */
const FLAT_KEYS = ['d', 'prevFlatGrad'];
/** State keys of the stacked curvature pairs in a state dict: [pairs, numel]. */
const HISTORY_KEYS = ['oldDirs', 'oldStps'];

/**
 * L-BFGS (after minFunc), PyTorch 1.13's `torch.optim.LBFGS` line for line: up to `maxIter`
 * iterations per `step(closure)`, each a two-loop recursion over the last `historySize`
 * curvature pairs, with a fixed step `lr` or a strong-Wolfe line search. `step` needs a closure
 * that zeroes the gradients, re-evaluates the loss, calls `backward()` and returns the loss.
 *
 * As in PyTorch there is one param group, and the state (`funcEvals`, `nIter`, the direction
 * `d`, the step `t`, `hDiag`, `prevFlatGrad`, `prevLoss`) lives on the first parameter; the
 * curvature pairs are kept apart and saved by {@link stateDict} as two `[pairs, numel]` tensors
 * `oldDirs` and `oldStps` (`ro` is recomputed from them when loading). Scalars (step lengths,
 * dot products) are float64 numbers; for float64 parameters this is PyTorch's arithmetic, for
 * float32 parameters PyTorch keeps them as float32 tensors, so the trajectories agree to
 * float32 rounding rather than bit for bit. Like PyTorch (`.item()`, `if ys > 1e-10`), every
 * iteration reads those scalars back from the device, synchronously: on a backend that can
 * only read asynchronously, LBFGS throws that backend's error.
 *
 * @throws Error naming the optimizer for an out-of-range option (`LBFGS: invalid learning rate -1`,
 *   as PyTorch's checks), an empty parameter list, a parameter that is not a leaf or sits in
 *   two groups; TypeError for an unknown option name or a mistyped value.
 *
 * @example
 * ```ts
 * const opt = new optim.LBFGS(model.parameters(), { lineSearchFn: 'strong_wolfe' });
 * opt.step(() => {
 *   opt.zeroGrad();
 *   const loss = lossFn.forward(model.forward(x), y);
 *   loss.backward();
 *   return loss;
 * });
 * ```
 */
export class LBFGS extends Optimizer<LBFGSDefaults> {
  /** @internal The curvature pairs (y, s) and their 1 / (y·s), oldest first. */
  private oldDirs: Tensor[] = [];
  private oldStps: Tensor[] = [];
  private ro: number[] = [];

  constructor(
    params: Params<LBFGSDefaults>,
    ...rest: PosOrOpts<
      [
        lr: number,
        maxIter: number,
        maxEval: number | null,
        toleranceGrad: number,
        toleranceChange: number,
        historySize: number,
        lineSearchFn: 'strong_wolfe' | null,
      ],
      LBFGSOptions
    >
  ) {
    const [ps, options] = optimizerArgs<LBFGSOptions>(LBFGS_SIG, [params, ...rest]);
    const maxIter = options?.maxIter ?? 20;
    const given: Record<string, unknown> = { ...options };
    // maxEval: null is PyTorch's None (computed from maxIter), not a number to check.
    if (given.maxEval === null) delete given.maxEval;
    super(
      'LBFGS',
      ps,
      {
        lr: options?.lr ?? 1,
        maxIter,
        maxEval: options?.maxEval ?? Math.floor((maxIter * 5) / 4),
        toleranceGrad: options?.toleranceGrad ?? 1e-7,
        toleranceChange: options?.toleranceChange ?? 1e-9,
        historySize: options?.historySize ?? 100,
        lineSearchFn: options?.lineSearchFn ?? null,
      },
      given,
    );
  }

  /** LBFGS takes one param group (PyTorch: "doesn't support per-parameter options"). */
  override addParamGroup(spec: ParamGroupSpec<LBFGSDefaults>): void {
    if (this.paramGroups.length > 0)
      throw new Error("LBFGS doesn't support per-parameter options (parameter groups)");
    super.addParamGroup(spec);
  }

  protected override validateGroup(g: ParamGroup<LBFGSDefaults>): void {
    check(typeof g.lr === 'number' && g.lr >= 0, this.name, 'learning rate', g.lr);
    check(Number.isInteger(g.maxIter) && g.maxIter >= 0, this.name, 'max_iter', g.maxIter);
    check(Number.isInteger(g.maxEval) && g.maxEval >= 0, this.name, 'max_eval', g.maxEval);
    check(Number.isInteger(g.historySize) && g.historySize >= 1, this.name, 'history_size', g.historySize);
    check(typeof g.toleranceGrad === 'number', this.name, 'tolerance_grad', g.toleranceGrad);
    check(typeof g.toleranceChange === 'number', this.name, 'tolerance_change', g.toleranceChange);
    if (g.lineSearchFn !== null && g.lineSearchFn !== 'strong_wolfe') {
      throw new Error(
        `LBFGS: only 'strong_wolfe' is supported as lineSearchFn (got ${describeValue(g.lineSearchFn)})`,
      );
    }
  }

  protected updateGroup(): void {
    // Never called: step() is LBFGS's own (it needs the closure).
  }

  /**
   * Performs one optimization step: up to `maxIter` L-BFGS iterations, calling `closure` to
   * re-evaluate the loss and gradients (once at the start, then once per iteration or per
   * line-search trial). Returns the loss of the first evaluation, as PyTorch does.
   */
  override step<L>(closure?: () => L): L {
    if (typeof closure !== 'function') {
      throw new TypeError(
        'LBFGS.step: a closure is required: a function that zeroes the gradients, re-evaluates the model, calls backward() and returns the loss',
      );
    }
    const group = this.paramGroups[0];
    const params = group.params;
    const state = this.stateOf(params[0]);
    state.funcEvals ??= 0;
    state.nIter ??= 0;

    // Evaluate the initial f(x) and df/dx. Its tensors are the caller's (the loss is returned).
    const origLoss = enableGrad(closure);
    const loss = lossValue(origLoss);
    noGrad(() => this.iterate(group, state, closure, loss));
    watchStepGrowth();
    return origLoss;
  }

  /** The iterations of one step (under noGrad); PyTorch's `step` after the first evaluation. */
  private iterate(
    group: ParamGroup<LBFGSDefaults>,
    state: ParamState,
    closure: () => unknown,
    loss0: number,
  ): void {
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn } = group;
    const params = group.params;
    let loss = loss0;
    let currentEvals = 1;
    state.funcEvals = (state.funcEvals as number) + 1;

    // Tensors that live from one iteration to the next are kept, and freed once unused.
    const owned = new Set<Tensor>();
    const hold = (t: Tensor): Tensor => {
      owned.add(keep(t));
      return t;
    };
    let flatGrad = hold(tidy(() => this.gatherFlatGrad()));
    let optCond = absMax(flatGrad) <= toleranceGrad;
    // The optimality condition holds already.
    if (optCond) {
      flatGrad.dispose();
      return;
    }

    // The state cached from the previous step.
    let d = state.d as Tensor | undefined;
    let t = state.t as number | undefined;
    let hDiag = state.hDiag as number | undefined;
    let prevFlatGrad = state.prevFlatGrad as Tensor | undefined;
    let prevLoss = state.prevLoss as number | undefined;
    for (const x of [d, prevFlatGrad]) if (x) owned.add(x);

    const evaluate = (): number => tidy(() => lossValue(enableGrad(closure)));

    let nIter = 0;
    // Optimize for a maximum of maxIter iterations.
    while (nIter < maxIter) {
      nIter += 1;
      state.nIter = (state.nIter as number) + 1;
      const stop = tidy(() => {
        // ---- the descent direction
        if (state.nIter === 1) {
          d = hold(flatGrad.neg());
          this.clearHistory();
          hDiag = 1;
        } else {
          // The L-BFGS update of the memory.
          const y = flatGrad.sub(prevFlatGrad!);
          const s = d!.mul(t!);
          const ys = dot(y, s);
          if (ys > 1e-10) {
            if (this.oldDirs.length === historySize) {
              // Shift the history by one (limited memory).
              this.oldDirs.shift()!.dispose();
              this.oldStps.shift()!.dispose();
              this.ro.shift();
            }
            // Store the new direction and step.
            this.oldDirs.push(keep(y));
            this.oldStps.push(keep(s));
            this.ro.push(1 / ys);
            // Update the scale of the initial Hessian approximation.
            hDiag = ys / dot(y, y);
          }
          // The approximate inverse Hessian times the gradient (the two-loop recursion).
          const numOld = this.oldDirs.length;
          const al: number[] = new Array(historySize);
          const q = flatGrad.neg();
          for (let i = numOld - 1; i >= 0; i--) {
            al[i] = dot(this.oldStps[i], q) * this.ro[i];
            q.add_(this.oldDirs[i], -al[i]);
          }
          // Multiply by the initial Hessian; r (d) is the final direction.
          const r = hold(q.mul(hDiag!));
          d = r;
          for (let i = 0; i < numOld; i++) {
            const beI = dot(this.oldDirs[i], r) * this.ro[i];
            r.add_(this.oldStps[i], al[i] - beI);
          }
        }
        prevFlatGrad = hold(flatGrad.clone());
        prevLoss = loss;

        // ---- the step length
        // Reset the initial guess for the step size.
        if (state.nIter === 1) t = pyMin(1, 1 / (flatGrad.abs().sum().item() as number)) * lr;
        else t = lr;
        // The directional derivative.
        const gtd = dot(flatGrad, d!);
        // The directional derivative is below tolerance.
        if (gtd > -toleranceChange) return true;

        let lsFuncEvals = 0;
        if (lineSearchFn !== null) {
          // A line search satisfying the strong Wolfe conditions.
          const xInit = params.map((p) => p.clone());
          const [lsLoss, lsGrad, lsT, evals] = strongWolfe(
            (x, step, dir) => this.directionalEvaluate(evaluate, x, step, dir),
            xInit,
            t,
            d!,
            loss,
            flatGrad,
            gtd,
          );
          loss = lsLoss;
          flatGrad = hold(lsGrad);
          t = lsT;
          lsFuncEvals = evals;
          this.addGrad(t, d!);
          optCond = absMax(flatGrad) <= toleranceGrad;
        } else {
          // No line search: move with a fixed step.
          this.addGrad(t, d!);
          if (nIter !== maxIter) {
            // Re-evaluate the function only if not in the last iteration (in a stochastic
            // setting there is no use re-evaluating it here).
            loss = evaluate();
            flatGrad = hold(this.gatherFlatGrad());
            optCond = absMax(flatGrad) <= toleranceGrad;
            lsFuncEvals = 1;
          }
        }
        // Update the function evaluations.
        currentEvals += lsFuncEvals;
        state.funcEvals = (state.funcEvals as number) + lsFuncEvals;

        // ---- the stopping conditions
        if (nIter === maxIter) return true;
        if (currentEvals >= maxEval) return true;
        // The optimality condition.
        if (optCond) return true;
        // Lack of progress.
        if (absMax(d!.mul(t)) <= toleranceChange) return true;
        if (Math.abs(loss - prevLoss!) < toleranceChange) return true;
        return false;
      });
      // The state after each iteration (PyTorch writes it at the end of the step; the same
      // unless the closure throws, when ours still holds live tensors).
      if (d !== undefined) state.d = d;
      if (t !== undefined) state.t = t;
      if (hDiag !== undefined) state.hDiag = hDiag;
      if (prevFlatGrad !== undefined) state.prevFlatGrad = prevFlatGrad;
      if (prevLoss !== undefined) state.prevLoss = prevLoss;
      // Free what the iteration replaced (the history's tensors are freed when shifted out).
      for (const x of owned) {
        if (x !== flatGrad && x !== d && x !== prevFlatGrad) {
          x.dispose();
          owned.delete(x);
        }
      }
      if (stop) break;
    }
    if (flatGrad !== d && flatGrad !== prevFlatGrad) flatGrad.dispose();
  }

  /** The gradients of all parameters, flattened and concatenated (zeros for a missing one). */
  private gatherFlatGrad(): Tensor {
    const views = this.paramGroups[0].params.map((p) =>
      p.grad === null ? zeros([p.numel()], { dtype: p.dtype, device: p.device }) : p.grad.reshape(-1),
    );
    return cat(views, 0);
  }

  /** p += stepSize · (p's slice of the flat `update`), for every parameter. */
  private addGrad(stepSize: number, update: Tensor): void {
    let offset = 0;
    for (const p of this.paramGroups[0].params) {
      const numel = p.numel();
      p.add_(update.narrow(0, offset, numel).reshape(p.shape), stepSize);
      offset += numel;
    }
  }

  private directionalEvaluate(evaluate: () => number, x: Tensor[], t: number, d: Tensor): [number, Tensor] {
    this.addGrad(t, d);
    const loss = evaluate();
    const flatGrad = this.gatherFlatGrad();
    this.paramGroups[0].params.forEach((p, i) => {
      p.copy_(x[i]);
    });
    return [loss, flatGrad];
  }

  private clearHistory(): void {
    for (const t of [...this.oldDirs, ...this.oldStps]) t.dispose();
    this.oldDirs = [];
    this.oldStps = [];
    this.ro = [];
  }

  /**
   * The state as for every optimizer, plus the curvature pairs on the first parameter as two
   * `[pairs, numel]` tensors `oldDirs` and `oldStps` (when there are any).
   */
  override stateDict(): OptimizerStateDict {
    const sd = super.stateDict();
    if (this.oldDirs.length > 0 && sd.state[0] !== undefined) {
      sd.state[0].oldDirs = stack(this.oldDirs);
      sd.state[0].oldStps = stack(this.oldStps);
    }
    return sd;
  }

  /** Restores a {@link stateDict}: the options, the state and the curvature pairs. */
  override loadStateDict(sd: OptimizerStateDict): void {
    const op = 'LBFGS.loadStateDict';
    const first = this.paramGroups[0].params[0];
    const { state } = checkOptimizerStateDict(op, sd, this.paramGroups, (k, v, p) =>
      this.checkStateTensor(k, v, p),
    );
    for (const [p, entry] of state) {
      if (p !== first && Object.keys(entry).length > 0)
        throw new Error(`${op}: LBFGS keeps its state on the first parameter; got state for another one`);
      const dirs = entry.oldDirs;
      const stps = entry.oldStps;
      if ((dirs === undefined) !== (stps === undefined))
        throw new Error(`${op}: state 'oldDirs' and 'oldStps' must be given together`);
      if (dirs instanceof Tensor && stps instanceof Tensor && dirs.shape[0] !== stps.shape[0]) {
        throw new Error(
          `${op}: state 'oldDirs' (${fmtShape(dirs.shape)}) and 'oldStps' (${fmtShape(stps.shape)}) must hold as many pairs`,
        );
      }
      if (dirs !== undefined && !(dirs instanceof Tensor && stps instanceof Tensor))
        throw new TypeError(`${op}: state 'oldDirs' and 'oldStps' must be tensors`);
    }
    super.loadStateDict(sd);
    this.clearHistory();
    const s = this.state.get(first);
    if (s === undefined) return;
    const dirs = s.oldDirs as Tensor | undefined;
    const stps = s.oldStps as Tensor | undefined;
    delete s.oldDirs;
    delete s.oldStps;
    if (dirs === undefined || stps === undefined) return;
    tidy(() =>
      noGrad(() => {
        for (let i = 0; i < dirs.shape[0]; i++) {
          const y = keep(dirs.narrow(0, i, 1).reshape(-1).clone());
          const st = keep(stps.narrow(0, i, 1).reshape(-1).clone());
          this.oldDirs.push(y);
          this.oldStps.push(st);
          // The same dot product as when the pair was stored, so the same bits.
          this.ro.push(1 / dot(y, st));
        }
      }),
    );
    dirs.dispose();
    stps.dispose();
  }

  /** Flat state vectors are [numel of all parameters]; the pairs [pairs, numel]. */
  protected override checkStateTensor(key: string, v: Tensor, _p: Tensor): string | null {
    const numel = this.paramGroups[0].params.reduce((n, p) => n + p.numel(), 0);
    if (FLAT_KEYS.includes(key)) return v.ndim === 1 && v.shape[0] === numel ? null : `expected [${numel}]`;
    if (HISTORY_KEYS.includes(key))
      return v.ndim === 2 && v.shape[1] === numel && v.shape[0] >= 1 ? null : `expected [pairs, ${numel}]`;
    return `LBFGS has no tensor state '${key}' (expected ${[...FLAT_KEYS, ...HISTORY_KEYS].join(', ')})`;
  }

  override disposeState(): void {
    super.disposeState();
    this.clearHistory();
  }
}

/** PyTorch's `float(closure())`: a one-element tensor or a number. */
function lossValue(v: unknown): number {
  if (v instanceof Tensor) {
    if (v.numel() !== 1) {
      throw new Error(
        `LBFGS.step: the closure must return the loss as a one-element tensor or a number, got a tensor of shape ${fmtShape(v.shape)}`,
      );
    }
    return v.item() as number;
  }
  if (typeof v === 'number') return v;
  throw new TypeError(
    `LBFGS.step: the closure must return the loss (a one-element tensor or a number), got ${describeValue(v)}`,
  );
}

/** max |x| as a number. */
function absMax(x: Tensor): number {
  return x.abs().max().item() as number;
}
