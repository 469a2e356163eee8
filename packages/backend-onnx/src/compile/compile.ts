// compile: a model's training step (or forward) traced from core's own ops, autograd and
// optimizer into one ONNX graph that onnxruntime-node runs as one session per call.
import { type nn, noGrad, optim, type Tensor, tensorFromHandle, tidy } from '@proj/core';
import { countCompiledGraphs } from '../runtime/compiled-graphs.js';
import { checkLimit, LruMap } from '../runtime/lru.js';
import { loadNative, type OrtTensor } from '../runtime/native-session.js';
import { ReplayBackend } from '../trace/replay-backend.js';
import { symbolicFirstDim, TRACE_SIZES } from '../trace/symbolic-dim.js';
import { sameLiteral, writeLiteral } from '../trace/trace-backend.js';
import { callLoss, type LossFn, traceGraph } from '../trace/trace-graph.js';
import { bindTensor, releaseTraceDevice, runTraced, traceDeviceName } from '../trace/tracing.js';
import { snapshotOptimizer } from './optimizer-snapshot.js';
import { applyOutputs, feedOf, type Program, randomFeed } from './program.js';
import { programOf, traceProgram } from './trace-program.js';

/** Options of {@link compile}. */
export interface CompileOptions {
  /**
   * Example arguments: for a training step `[input, target]` (or `[...inputs, target]` for a
   * model of several inputs); for inference the model's inputs. The first graph is traced for
   * their shapes at once, so errors and the compile time come here.
   */
  exampleInputs: Tensor | readonly Tensor[];
  /** The loss (a module such as `nn.CrossEntropyLoss`, or `(output, target) => Tensor`); with `optimizer`, compiles a training step. */
  loss?: LossFn;
  /** The optimizer over (some of) the model's parameters; with `loss`, compiles a training step. */
  optimizer?: optim.Optimizer<any>;
  /** ORT intra-op threads of the sessions (default 1). */
  intraOpNumThreads?: number;
  /**
   * Traced graphs kept (default 8), one per input shapes and code path: a short last batch,
   * the optimizer's first step (which creates its state), a module switched to eval. The
   * least recently used is released past it.
   */
  maxGraphs?: number;
}

/** Counters of a compiled step or model. */
export interface CompileStats {
  /** Graphs traced so far (each built one session). */
  traces: number;
  /** Sessions created (equal to `traces`). */
  sessionsCreated: number;
  /** Runs of a session (one per call). */
  runs: number;
  /** Optimizer replays whose code path matched a traced graph. */
  replays: number;
  /** Graphs alive now. */
  graphs: number;
  /** Graphs released because more than `maxGraphs` input shapes were seen. */
  evictions: number;
  /** Milliseconds the first graph took: trace plus session creation. */
  compileMs: number;
}

/** A compiled training step (see {@link compile}). */
export interface CompiledStep {
  /**
   * One training step: zero grads, forward, loss, backward, optimizer update; the model's
   * parameters, buffers, gradients and the optimizer's state are updated as an eager step
   * updates them. Returns the loss (a tensor on the model's device).
   */
  step(input: Tensor | readonly Tensor[], target: Tensor): Tensor;
  /** Counters (traces, sessions, runs, compile time). */
  stats(): CompileStats;
  /** Releases the sessions; the model and optimizer stay usable eagerly. */
  dispose(): void;
}

/** A compiled forward (see {@link compile}). */
export interface CompiledModel {
  /** The model's forward on `inputs` (a tensor, or an array for a model returning several). */
  forward(...inputs: Tensor[]): Tensor | Tensor[];
  /** Counters (traces, sessions, runs, compile time). */
  stats(): CompileStats;
  /** Releases the sessions. */
  dispose(): void;
}

/** Releases a program's session (and its count in the backend's memory()). */
function release(p: Program): void {
  p.session.dispose();
  countCompiledGraphs(-1);
}

/** Graphs kept per input shape (code paths of the optimizer, see `remember`). */
const MAX_VARIANTS = 4;

/** Default of {@link CompileOptions.maxGraphs}. */
export const DEFAULT_MAX_GRAPHS = 8;

/**
 * Compiles `model`'s training step (with `loss` and `optimizer`) or its forward (without) into
 * one ONNX graph run by onnxruntime-node. The graph is traced from core itself: the forward,
 * the loss, core's backward and the optimizer's update run once on a tracing backend that
 * records each primitive instead of computing it, so any model built from core's ops compiles
 * (every layer, loss and optimizer, custom modules included) with the gradients core computes.
 *
 * What the trace cannot hold is handled per call: dropout masks and other random draws are
 * drawn again from core's generator (so a compiled step draws what the eager step would);
 * the optimizer's host-side numbers (step counts, bias corrections, a scheduled lr) come from
 * replaying its update on a recording backend, which also advances its JS state; a new input
 * shape, a module switched between train and eval, a changed attribute or a new optimizer code
 * path traces another graph (kept in a bounded cache). A model that reads a tensor's value in
 * its forward (`item()`, data-dependent control flow) cannot be traced: that is an error.
 *
 * Needs onnxruntime-node (Node); browsers run models op by op on the 'onnx' backend.
 *
 * @throws Error naming what the trace refused (a value read, an op the graph cannot express,
 * a random draw outside core's random ops) or what ORT refused.
 *
 * @example
 * ```ts
 * const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 * const c = compile(model, { loss: new nn.CrossEntropyLoss(), optimizer: opt, exampleInputs: [x, y] });
 * const loss = c.step(x, y); // one training step, one ORT run
 * ```
 */
export function compile(
  model: nn.Module,
  opts: CompileOptions & { loss: LossFn; optimizer: optim.Optimizer<any> },
): CompiledStep;
export function compile(model: nn.Module, opts: CompileOptions): CompiledModel;
export function compile(model: nn.Module, opts: CompileOptions): CompiledStep | CompiledModel {
  const compiled = new Compiled(model, opts);
  if (opts.loss !== undefined || opts.optimizer !== undefined) {
    if (opts.loss === undefined || opts.optimizer === undefined) {
      throw new Error(
        'compile: a training step needs both `loss` and `optimizer` (give neither to compile the forward)',
      );
    }
    compiled.warm();
    return {
      step: (input, target) =>
        compiled.call([...(Array.isArray(input) ? input : [input as Tensor]), target])[0],
      stats: () => compiled.stats(),
      dispose: () => compiled.dispose(),
    };
  }
  compiled.warm();
  return {
    forward: (...inputs) => {
      const out = compiled.call(inputs);
      return out.length === 1 ? out[0] : out;
    },
    stats: () => compiled.stats(),
    dispose: () => compiled.dispose(),
  };
}

/** Core's own optimizer classes: their update reads nothing but their groups and state. */
const CORE_OPTIMIZERS: ReadonlySet<unknown> = new Set(
  Object.values(optim).filter((v) => typeof v === 'function' && v.prototype instanceof optim.Optimizer),
);

/** What an optimizer's update reads on the host: its groups' options and its numeric state. */
function optimizerFingerprint(opt: optim.Optimizer<any>): string {
  let s = '';
  for (const g of opt.paramGroups) {
    for (const [k, v] of Object.entries(g)) if (k !== 'params') s += `${k}=${String(v)};`;
    for (const p of g.params) {
      s += '|';
      for (const [k, v] of Object.entries(opt.state.get(p) ?? {}))
        s += typeof v === 'object' ? `${k};` : `${k}=${v};`;
    }
  }
  return s;
}

/** The module attributes a trace depends on: training flags and every number, string or boolean. */
function fingerprint(modules: readonly object[]): string {
  let s = '';
  for (const m of modules) {
    // the class (a ReLU swapped for a Tanh), the mode, and every own number, string, boolean
    // and function (a forward or activation replaced on the instance)
    s += `${m.constructor.name}${functionId(m.constructor)}${(m as nn.Module).training ? 'T' : 'E'}`;
    for (const k in m) {
      const v = (m as Record<string, unknown>)[k];
      const t = typeof v;
      if (t === 'number' || t === 'string' || t === 'boolean') s += `${k}=${String(v)};`;
      else if (t === 'function') s += `${k}=f${functionId(v as object)};`;
    }
    s += '|';
  }
  return s;
}

const functionIds = new WeakMap<object, number>();
let functions = 0;

/** A number per function object (the same function, the same number). */
function functionId(f: object): number {
  let id = functionIds.get(f);
  if (id === undefined) {
    id = ++functions;
    functionIds.set(f, id);
  }
  return id;
}

class Compiled {
  private readonly graphs: LruMap<Program[]>;
  private readonly examples: Tensor[];
  private readonly training: boolean;
  private readonly counters = { traces: 0, runs: 0, replays: 0, compileMs: 0 };
  private disposed = false;
  /** Whether to try one graph for every batch size (off once a model's step needs one per size). */
  private dynamicBatch = true;
  /** Whether equal optimizer literals may share an entry (off once a replay saw shared ones part). */
  private dedupeLiterals = true;
  /** The optimizer's replays run on one backend, registered for each replay only. */
  private replayer: ReplayBackend | null = null;

  constructor(
    private readonly model: nn.Module,
    private readonly opts: CompileOptions,
  ) {
    const limit = checkLimit('compile', opts.maxGraphs ?? DEFAULT_MAX_GRAPHS, 'maxGraphs');
    this.graphs = new LruMap(limit, (programs) => {
      for (const p of programs) release(p);
    });
    const ex = opts.exampleInputs;
    this.examples = Array.isArray(ex) ? [...ex] : [ex as Tensor];
    this.training = opts.optimizer !== undefined;
    if (this.examples.length < (this.training ? 2 : 1)) {
      throw new Error(
        `compile: exampleInputs must hold ${this.training ? 'the input(s) and the target' : 'the model inputs'}`,
      );
    }
    try {
      loadNative();
    } catch (e) {
      throw new Error(
        `compile: runs the traced graph on onnxruntime-node (Node only; in browsers the 'onnx' backend runs op by op): ${(e as Error).message}`,
      );
    }
  }

  /** Traces the examples' graph now (errors and compile time come from here), without running it. */
  warm(): void {
    const t0 = performance.now();
    const program = this.trace(this.examples);
    this.counters.compileMs = performance.now() - t0;
    this.remember(this.examples, program, this.moduleState(this.model.parameters()));
  }

  stats(): CompileStats {
    this.live('stats()');
    const graphs = [...this.graphs.values()].reduce((n, p) => n + p.length, 0);
    return {
      ...this.counters,
      sessionsCreated: this.counters.traces,
      graphs,
      evictions: this.graphs.evictions,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // (clear() does not call the eviction callback: the sessions are released here)
    for (const list of this.graphs.values()) for (const p of list) release(p);
    this.graphs.clear();
    if (this.replayer) releaseTraceDevice(this.replayer.name);
    this.replayer = null;
  }

  private live(method: string): void {
    if (this.disposed) throw new Error(`compile: ${method} called after dispose()`);
  }

  /**
   * The cache key of `args`: their dtypes and shapes (with `dynamic`, all but the first dim,
   * which every argument shares) and what the modules' code reads.
   */
  private key(args: readonly Tensor[], dynamic: boolean, state: string): string {
    const dims = (a: Tensor) => (dynamic ? ['*', ...a.shape.slice(1)] : a.shape);
    const shapes = args.map((a) => `${a.dtype}[${dims(a).join(',')}]`).join(';');
    return `${dynamic ? 'D' : 'S'}${shapes}#${state}`;
  }

  /**
   * What the modules' code reads besides the arguments (see {@link fingerprint}) and which
   * parameters train (a frozen one gets no gradient and no update): computed once per call.
   */
  private moduleState(params: readonly Tensor[]): string {
    const loss = this.opts.loss;
    const mods =
      typeof loss === 'object' ? [...this.model.modules(), ...loss.modules()] : this.model.modules();
    const trains = params.map((p) => (p.requiresGrad ? 1 : 0)).join('');
    return `${trains}#${fingerprint(mods)}`;
  }

  /** Whether `args` can share a graph over their first dim (one batch dim for all). */
  private batched(args: readonly Tensor[]): boolean {
    const d = args[0].shape[0];
    return this.dynamicBatch && args.every((a) => a.ndim > 0 && a.shape[0] === d && d > 0);
  }

  /**
   * Traces a program for `args` (one graph whose first dim is symbolic when the traces at
   * several sizes allow it, else one for their shapes) and builds its session. Leaves the
   * optimizer's JS state and the caller's gradients as they were.
   */
  private trace(args: readonly Tensor[]): Program {
    const program = this.batched(args) ? this.traceDynamic(args) : null;
    return program ?? this.traceAt(args);
  }

  /** One trace at `shapes` under a snapshot of the optimizer and the gradients. */
  private traceOnce<T>(fn: () => T): T {
    const snap = this.opts.optimizer ? snapshotOptimizer(this.opts.optimizer) : null;
    const params = this.model.parameters();
    const grads = params.map((p) => p.grad);
    if (this.training) for (const p of params) p.grad = null;
    try {
      return fn();
    } finally {
      // the trace advanced the optimizer's JS state and made state that only a run fills: undo
      snap?.restore();
      if (this.training) for (const [i, p] of params.entries()) p.grad = grads[i];
    }
  }

  private spec(
    args: readonly { shape: readonly number[]; dtype: Tensor['dtype'] }[],
    dims?: (string | number)[][],
  ) {
    return {
      model: this.model,
      args,
      loss: this.opts.loss,
      optimizer: this.opts.optimizer,
      intraOpNumThreads: this.opts.intraOpNumThreads ?? 1,
      dedupeLiterals: this.dedupeLiterals,
      inputDims: dims,
    };
  }

  private traceAt(args: readonly Tensor[]): Program {
    const program = this.traceOnce(() => traceProgram(this.spec(args)));
    this.counters.traces++;
    return program;
  }

  /**
   * Traces at {@link TRACE_SIZES} of the first dim and builds one graph for every size (see
   * symbolic-dim.ts), or null when the step depends on the size in a way a graph cannot
   * compute (then each size gets its own graph, and this is not tried again).
   */
  private traceDynamic(args: readonly Tensor[]): Program | null {
    try {
      const dims = args.map((a) => ['batch', ...a.shape.slice(1)]);
      const traces = TRACE_SIZES.map((d) =>
        this.traceOnce(() =>
          traceGraph({
            ...this.spec(
              args.map((a) => ({ dtype: a.dtype, shape: [d, ...a.shape.slice(1)] })),
              dims,
            ),
            weights: 'inputs',
          }),
        ),
      );
      const symbolic = symbolicFirstDim(
        traces.map((t) => ({ model: t.graph.toModel(), exact: t.exact })),
        TRACE_SIZES,
        traces[0].graph.inputNames[0],
        'batch',
        'compile',
      );
      const program = programOf(traces[0], symbolic, this.opts.intraOpNumThreads ?? 1);
      this.counters.traces++;
      return program;
    } catch {
      // NotSymbolic, or a model that refuses the trace sizes (a maximum length): one graph per
      // size from now on (a real error comes again from the trace at the actual size)
      this.dynamicBatch = false;
      return null;
    }
  }

  private remember(args: readonly Tensor[], program: Program, state: string): void {
    const k = this.key(args, program.dynamic, state);
    const list = this.graphs.get(k);
    if (!list) this.graphs.set(k, [program]);
    else {
      // code paths of one input shape (the optimizer's first step, then the steady one): the
      // oldest is released past MAX_VARIANTS, so no key holds sessions without bound
      list.push(program);
      const oldest = list.length > MAX_VARIANTS ? list.shift() : undefined;
      if (oldest) release(oldest);
    }
  }

  /** Runs one call: picks (or traces) the program, feeds it, hands the outputs back. */
  call(args: readonly Tensor[]): Tensor[] {
    this.live(this.training ? 'step()' : 'forward()');
    const expected = this.examples.length;
    if (args.length !== expected) {
      throw new Error(`compile: expected ${expected} arguments (as exampleInputs), got ${args.length}`);
    }
    const opt = this.opts.optimizer;
    const snap = opt ? snapshotOptimizer(opt) : null;
    try {
      opt?.zeroGrad();
      const params = this.model.parameters();
      const state = this.moduleState(params);
      const keyed = [
        ...(this.graphs.get(this.key(args, false, state)) ?? []),
        ...(this.batched(args) ? (this.graphs.get(this.key(args, true, state)) ?? []) : []),
      ];
      const tensors = [...params, ...this.model.buffers()];
      const candidates = keyed.filter(
        (p) => p.tensors.length === tensors.length && p.tensors.every((q, i) => q === tensors[i]),
      );
      let program: Program | undefined;
      let literals: Float64Array = new Float64Array(0);
      // one of core's optimizers computes the same literals from the same JS state: when it
      // is unchanged since the last replay (SGD's is, step after step), that replay stands
      const fp = opt && CORE_OPTIMIZERS.has(opt.constructor) ? optimizerFingerprint(opt) : null;
      const same = fp === null ? undefined : candidates.find((p) => p.lastReplay?.fingerprint === fp);
      if (same?.lastReplay) {
        program = same;
        literals = same.lastReplay.literals;
      } else if (candidates.length > 0 && opt) {
        const replay = this.replay(candidates[0].gradParams);
        program = candidates.find(
          (p) =>
            p.optKeys === replay.keys &&
            p.optCount === replay.literals.length &&
            p.optShared.every(([i, j]) => sameLiteral(replay.literals[i], replay.literals[j])),
        );
        // literals that were equal when traced (and share an entry) and now differ: traced
        // again with one entry each
        if (!program && candidates.some((p) => p.optKeys === replay.keys)) this.dedupeLiterals = false;
        if (program) {
          this.counters.replays++;
          literals = new Float64Array(program.optLength);
          for (const [index, off] of program.optSlots) writeLiteral(replay.literals[index], literals, off);
          if (fp !== null) program.lastReplay = { fingerprint: fp, literals };
        } else {
          snap?.restore();
        }
      } else {
        program = candidates[0];
      }
      if (!program) {
        snap?.restore();
        program = this.trace(args);
        this.remember(args, program, state);
        if (opt) {
          // the optimizer's step, for its numbers and its JS state (the trace left both alone)
          const replay = this.replay(program.gradParams);
          if (replay.keys !== program.optKeys || replay.literals.length !== program.optCount) {
            throw new Error(
              "compile: the optimizer's update took another path when replayed than when traced",
            );
          }
          literals = new Float64Array(program.optLength);
          for (const [index, off] of program.optSlots) writeLiteral(replay.literals[index], literals, off);
        }
      }
      const feeds: OrtTensor[] = program.feeds.map((f) => {
        switch (f.kind) {
          case 'arg':
            return feedOf(args[f.index]);
          case 'tensor':
            return feedOf(f.tensor);
          case 'random':
            return randomFeed(f, args[0].shape[0]);
          default:
            return new (loadNative().Tensor)('float64', literals, [literals.length]);
        }
      });
      let outs: OrtTensor[];
      try {
        outs = program.session.run(feeds);
      } catch (e) {
        throw this.diagnose(args, e);
      }
      this.counters.runs++;
      return applyOutputs(program, outs);
    } catch (e) {
      snap?.restore();
      throw e;
    }
  }

  /**
   * The error for a run ORT refused: ORT stops at an op (an index out of range, say) before the
   * graph's own checks are read, so the forward and loss run eagerly once, in eval mode without
   * gradients (nothing changes), to raise core's own error for the same inputs; ORT's is
   * reported when eager finds nothing wrong.
   */
  private diagnose(args: readonly Tensor[], e: unknown): Error {
    const modules = this.model.modules();
    const modes = modules.map((m) => m.training);
    const n = this.training ? args.length - 1 : args.length;
    try {
      this.model.eval();
      tidy(() =>
        noGrad(() => {
          const out = (this.model as nn.Module & { forward(...x: Tensor[]): unknown }).forward(
            ...args.slice(0, n),
          );
          if (this.training) callLoss(this.opts.loss as LossFn, out, args[n]);
        }),
      );
    } catch (eager) {
      return eager as Error;
    } finally {
      for (const [i, m] of modules.entries()) m.training = modes[i];
    }
    const what = this.training ? 'step' : 'forward';
    return new Error(
      `compile: onnxruntime failed running the compiled ${what} (${(e as Error).message}); the same inputs run eagerly without an error`,
    );
  }

  /**
   * Runs the optimizer's update on a recording backend, with placeholders for the parameters
   * the step trains, their gradients and their state: returns the primitives' keys and the
   * literals it made, and leaves the optimizer's JS state advanced by one step.
   */
  private replay(gradParams: readonly Tensor[]) {
    const opt = this.opts.optimizer as optim.Optimizer<any>;
    this.replayer ??= new ReplayBackend(traceDeviceName());
    const replay = this.replayer;
    replay.reset();
    const restores: (() => void)[] = [];
    const made: Tensor[] = [];
    try {
      runTraced(replay, () => {
        for (const p of gradParams) {
          restores.push(bindTensor(replay, p, '').restore);
          for (const v of Object.values(opt.state.get(p) ?? {})) {
            if (typeof v === 'object') restores.push(bindTensor(replay, v, '').restore);
          }
          const g = tensorFromHandle(replay.name, replay.input('', p.dtype, p.shape), p.shape, p.dtype);
          p.grad = g;
          made.push(g);
        }
        opt.step();
      });
    } finally {
      for (const p of gradParams) p.grad = null;
      for (const r of restores) r();
      for (const t of made) t.dispose();
    }
    return { keys: replay.keys.join('\n'), literals: replay.optLiterals };
  }
}
