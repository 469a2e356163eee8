// compileTrainStep: a whole training step (forward, loss, backward, optimizer update) as ONE
// ONNX graph run by one ORT session per input shape. Parameters and optimizer state are graph
// inputs, their new values graph outputs; between steps they stay on the host as ORT tensors,
// and the new parameter values become the model's parameter tensors (on 'onnx' the ORT outputs
// are taken over as their storage; on other backends they are written, one copy).
import { keep, nn, noGrad, type optim, type Tensor, tensor, tidy, zeros } from '@proj/core';
import { OnnxBackend } from '../backend/onnx-backend.js';
import { OnnxWebBackend } from '../backend/onnx-web-backend.js';
import type { OnnxDType } from '../proto/dtypes.js';
import { GraphBuilder } from '../proto/graph-builder.js';
import { checkLimit, LruMap } from '../runtime/lru.js';
import { loadNative, NativeSession, type OrtTensor } from '../runtime/native-session.js';
import type { SessionStats } from '../runtime/session-cache.js';
import { TrainContext, type Value } from './context.js';
import { type Emitted, LAYERS } from './layers.js';
import { emitLoss, type LossPlan, planLoss } from './losses.js';
import { type GroupView, type OptimizerPlan, planOptimizer } from './optimizers.js';

/** Options of {@link compileTrainStep}. */
export interface TrainStepOptions {
  /** The loss: `nn.CrossEntropyLoss` (int32 class labels) or `nn.MSELoss`, reduction 'mean' or 'sum'. */
  loss: nn.Module;
  /** The optimizer over (some of) the model's parameters: `optim.SGD`, `optim.Adam` or `optim.AdamW`. */
  optimizer: optim.Optimizer<any>;
  /** An example batch `[x, target]`: the graph for its shapes is built at once. */
  exampleInputs: readonly [Tensor, Tensor];
  /** ORT intra-op threads of the step's session (default 1). */
  intraOpNumThreads?: number;
  /**
   * Sessions kept, one per input shape (default 8): a batch of a new size builds another, and
   * past this budget the least recently used one is released (a whole training graph holds
   * ~0.4 MB of native memory for a small MLP, more for bigger models).
   */
  maxSessions?: number;
}

/** Default of {@link TrainStepOptions.maxSessions}: the full batch, a short last one, and room. */
export const DEFAULT_TRAIN_STEP_SESSIONS = 8;

interface Leaf {
  readonly at: string;
  readonly module: nn.Module;
}

interface TrainedParam {
  readonly index: number; // in `params`
  readonly group: number;
  readonly slots: string[];
  state: OrtTensor[];
}

interface Compiled {
  readonly session: NativeSession;
  readonly trained: readonly number[]; // indices into `params` of the updated parameters, in output order
  readonly classes: number; // width of the model's output (label range of CrossEntropyLoss)
}

/** Flattens nested Sequentials into their leaf layers; refuses anything the step cannot differentiate. */
function leavesOf(model: nn.Module): Leaf[] {
  const out: Leaf[] = [];
  const visit = (m: nn.Module, at: string) => {
    const children = (m as nn.Sequential)._items;
    if (m.constructor === nn.Sequential && children instanceof Map) {
      for (const [name, child] of children) visit(child, at ? `${at}.${name}` : name);
      return;
    }
    if (!LAYERS.has(m.constructor as abstract new (...a: any[]) => nn.Module)) {
      const known = ['Sequential', ...[...LAYERS.keys()].map((c) => c.name)].join(', ');
      throw new Error(
        `compileTrainStep: cannot compile module ${m.constructor.name}${at ? ` at '${at}'` : ''}: ` +
          `a fused step supports Sequential models of ${known}`,
      );
    }
    out.push({ at, module: m });
  };
  visit(model, '');
  return out;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * A compiled training step (see {@link compileTrainStep}): `step(x, target)` runs forward,
 * loss, backward and the optimizer update as one ORT session run and returns the loss.
 */
export class CompiledTrainStep {
  private readonly leaves: Leaf[];
  private readonly lossPlan: LossPlan;
  private readonly optPlan: OptimizerPlan;
  private readonly params: [string, Tensor][];
  /** The host value of each parameter as last fed/produced, and the storage handle it was written to. */
  private readonly hostParams: (OrtTensor | null)[];
  private readonly written: unknown[];
  private readonly trainedOf = new Map<number, TrainedParam>();
  private readonly sessions: LruMap<Compiled>;
  private readonly counters = { sessionsCreated: 0, cacheHits: 0, runs: 0 };
  private readonly scalarTensors: OrtTensor[][];
  private steps: number;
  private disposed = false;

  /**
   * Compiles the step for `opts.exampleInputs`' shapes; the same as
   * {@link compileTrainStep}`(model, opts)`, whose documentation says what it accepts and throws.
   */
  constructor(
    private readonly model: nn.Module,
    private readonly opts: TrainStepOptions,
  ) {
    const limit = checkLimit('compileTrainStep', opts.maxSessions ?? DEFAULT_TRAIN_STEP_SESSIONS);
    this.sessions = new LruMap(limit, (c) => c.session.dispose());
    this.leaves = leavesOf(model);
    this.lossPlan = planLoss(opts.loss);
    this.optPlan = planOptimizer(opts.optimizer);
    this.params = model.namedParameters();
    for (const [k, p] of this.params) {
      if (p.dtype !== 'float32') {
        throw new Error(`compileTrainStep: parameter '${k}' is ${p.dtype}; a fused step trains float32 only`);
      }
    }
    this.hostParams = this.params.map(() => null);
    this.written = this.params.map(() => undefined);
    const { Tensor } = loadNative();
    const groups = opts.optimizer.paramGroups;
    this.scalarTensors = groups.map(() =>
      this.optPlan.scalars.map(() => new Tensor('float32', new Float32Array(1), [])),
    );
    // Which parameters the optimizer trains, and their state (taken over from the optimizer if it has stepped).
    let steps: number | undefined;
    for (const [i, [, p]] of this.params.entries()) {
      const group = groups.findIndex((g) => g.params.includes(p));
      if (group < 0 || !p.requiresGrad) continue;
      const slots = this.optPlan.stateSlots(groups[group]);
      const saved = opts.optimizer.state.get(p);
      const state = slots.map((slot) => {
        const t = saved?.[slot];
        const data =
          t && typeof t === 'object' ? Float32Array.from(t.dataSync()) : new Float32Array(p.numel());
        return new Tensor('float32', data, [...p.shape]);
      });
      const s = typeof saved?.step === 'number' ? saved.step : saved?.momentumBuffer ? 1 : 0;
      if (steps !== undefined && s !== steps) {
        throw new Error('compileTrainStep: the optimizer has stepped some parameters and not others');
      }
      steps = s;
      this.trainedOf.set(i, { index: i, group, slots, state });
    }
    if (this.trainedOf.size === 0) {
      throw new Error("compileTrainStep: the optimizer trains none of the model's parameters");
    }
    this.steps = steps ?? 0;
    const [x, y] = opts.exampleInputs;
    this.compiled(x.shape, y.shape);
  }

  /**
   * A released step must not run: its sessions are gone, and building new ones behind the
   * caller's back would undo the release (and keep training a model the caller let go of).
   */
  private live(method: string): void {
    if (this.disposed) throw new Error(`compileTrainStep: ${method} called after dispose()`);
  }

  /** Session counters: sessions built (one per input shape), cache hits, runs and evictions. */
  stats(): SessionStats {
    this.live('stats()');
    return { ...this.counters, evictions: this.sessions.evictions };
  }

  /** Live sessions (at most {@link TrainStepOptions.maxSessions}). */
  get sessionCount(): number {
    this.live('sessionCount');
    return this.sessions.size;
  }

  /** Steps taken so far (including the optimizer's own steps before compiling). */
  get stepCount(): number {
    this.live('stepCount');
    return this.steps;
  }

  private structureKey(): string {
    return this.opts.optimizer.paramGroups.map((g) => this.optPlan.structure(g as GroupView)).join('|');
  }

  private compiled(xShape: readonly number[], yShape: readonly number[]): Compiled {
    const key = `${xShape.join('x')}|${yShape.join('x')}|${this.structureKey()}`;
    let c = this.sessions.get(key);
    if (c) {
      this.counters.cacheHits++;
      return c;
    }
    const { bytes, trained, classes } = this.buildGraph(xShape, yShape);
    let session: NativeSession;
    try {
      session = new NativeSession(bytes, { intraOpNumThreads: this.opts.intraOpNumThreads ?? 1 });
    } catch (e) {
      throw new Error(`compileTrainStep: onnxruntime refused the training graph: ${(e as Error).message}`);
    }
    c = { session, trained, classes };
    this.sessions.set(key, c);
    this.counters.sessionsCreated++;
    return c;
  }

  /** The output shape of every leaf for an input of `xShape` (an eager forward in eval mode). */
  private shapesFor(xShape: readonly number[]): number[][] {
    const device = this.params[0]?.[1].device;
    const modes = this.model.modules().map((m) => [m, m.training] as const);
    this.model.eval();
    try {
      return tidy(() =>
        noGrad(() => {
          let cur = zeros([...xShape], { device });
          return this.leaves.map(({ module }) => {
            cur = (module as nn.Module & { forward(t: Tensor): Tensor }).forward(cur);
            return [...cur.shape];
          });
        }),
      );
    } finally {
      for (const [m, training] of modes) m.training = training;
    }
  }

  private buildGraph(
    xShape: readonly number[],
    yShape: readonly number[],
  ): { bytes: Uint8Array; trained: number[]; classes: number } {
    const shapes = this.shapesFor(xShape);
    const outShape = shapes[shapes.length - 1] ?? [...xShape];
    const target = this.lossPlan.target(outShape);
    if (!sameShape(target.shape, yShape)) {
      throw new Error(
        `compileTrainStep: ${this.opts.loss.constructor.name} needs a target of shape [${target.shape.join(', ')}] ` +
          `for model outputs [${outShape.join(', ')}], got [${yShape.join(', ')}]`,
      );
    }
    const g = new GraphBuilder('train_step');
    const x = g.input('x', 'float32', xShape);
    const t = g.input('target', target.dtype as OnnxDType, target.shape);
    const groups = this.opts.optimizer.paramGroups as unknown as GroupView[];
    const scalarInputs = groups.map((_, gi) =>
      Object.fromEntries(this.optPlan.scalars.map((s) => [s, g.input(`group${gi}.${s}`, 'float32', [])])),
    );
    const paramInputs = new Map<Tensor, string>();
    for (const [k, p] of this.params) paramInputs.set(p, g.input(k, 'float32', p.shape));
    const trained = [...this.trainedOf.values()];
    for (const tp of trained) {
      const slots = this.optPlan.stateSlots(groups[tp.group]);
      if (slots.join() !== tp.slots.join()) {
        throw new Error(
          `compileTrainStep: the optimizer's state changed shape since compiling (now ${slots.join(', ') || 'none'}, ` +
            `was ${tp.slots.join(', ') || 'none'}: momentum or amsgrad switched); compile the step again`,
        );
      }
    }
    const stateInputs = trained.map((tp) =>
      tp.slots.map((slot) =>
        g.input(`${this.params[tp.index][0]}.${slot}`, 'float32', this.params[tp.index][1].shape),
      ),
    );
    const cx = new TrainContext(g, paramInputs);

    // forward
    const emitted: Emitted[] = [];
    let cur: Value = { name: x, shape: xShape };
    for (const [i, { at, module }] of this.leaves.entries()) {
      const e = LAYERS.get(module.constructor as abstract new (...a: any[]) => nn.Module)!(
        cx,
        module,
        at,
        cur,
        shapes[i],
      );
      emitted.push(e);
      cur = { name: e.y, shape: shapes[i] };
    }
    const { loss, dz } = emitLoss(cx, this.lossPlan, cur, t);

    // backward, down to the first layer that holds a trained parameter
    const trainedSet = new Set(trained.map((tp) => this.params[tp.index][1]));
    const owns = (m: nn.Module) => m.parameters().some((p) => trainedSet.has(p as Tensor));
    const first = this.leaves.findIndex((l) => owns(l.module));
    let dy = dz;
    for (let i = this.leaves.length - 1; i >= first; i--) {
      const dx = emitted[i].backward(dy, i > first);
      if (i > first) dy = dx as string;
    }

    // updates
    g.output(g.op('Identity', [loss]), 'float32', []);
    const outputs: number[] = [];
    for (const [j, tp] of trained.entries()) {
      const [k, p] = this.params[tp.index];
      const grad = cx.grad(p);
      if (!grad) throw new Error(`compileTrainStep: internal: no gradient for '${k}'`);
      const upd = this.optPlan.emitUpdate(
        cx,
        groups[tp.group],
        paramInputs.get(p)!,
        grad,
        scalarInputs[tp.group],
        stateInputs[j],
      );
      g.output(g.node('Identity', [upd.param], [`${k}.next`])[0], 'float32', p.shape);
      for (const [si, s] of upd.state.entries()) {
        g.output(g.node('Identity', [s], [`${k}.${tp.slots[si]}.next`])[0], 'float32', p.shape);
      }
      outputs.push(tp.index);
    }
    return {
      bytes: g.toBytes({ opset: 17, producer: '@proj/backend-onnx compileTrainStep' }),
      trained: outputs,
      classes: outShape[1] ?? 0,
    };
  }

  /** The host value of parameter `i`: ours if the model still holds what we wrote, else read anew. */
  private paramFeed(i: number): OrtTensor {
    const p = this.params[i][1];
    const known = this.hostParams[i];
    if (known && p._storage.handle === this.written[i]) return known;
    const { Tensor } = loadNative();
    const fresh = new Tensor('float32', Float32Array.from(p.dataSync()), [...p.shape]);
    this.hostParams[i] = fresh;
    this.written[i] = p._storage.handle;
    return fresh;
  }

  /**
   * One training step on the batch `x` with targets `target` (int64 or int32 labels for
   * CrossEntropyLoss, float32 of the output's shape for MSELoss). Returns the loss; the model's
   * parameters hold the updated values afterwards. A batch of a new shape compiles (and caches)
   * another session first.
   *
   * @throws Error if `x` is not float32, the target's dtype or shape does not fit the loss, a
   * class label is outside [0, classes), the optimizer gained param groups since compiling,
   * onnxruntime fails, or the step was disposed.
   */
  step(x: Tensor, target: Tensor): number {
    this.live('step()');
    if (x.dtype !== 'float32') throw new Error(`compileTrainStep: step: x must be float32, got ${x.dtype}`);
    const wantT = this.lossPlan.kind === 'crossEntropy' ? 'int32' : 'float32';
    // class labels may be int64 (PyTorch's) or int32; the graph takes them as int32
    const labels64 = wantT === 'int32' && target.dtype === 'int64';
    if (target.dtype !== wantT && !labels64) {
      const want = wantT === 'int32' ? 'int64 or int32' : wantT;
      throw new Error(
        `compileTrainStep: step: ${this.opts.loss.constructor.name} needs a target of dtype ${want}, got ${target.dtype}`,
      );
    }
    const c = this.compiled(x.shape, target.shape);
    const { Tensor } = loadNative();
    const tData = labels64 ? labelsAsInt32(target.dataSync<BigInt64Array>(), c.classes) : hostData(target);
    if (this.lossPlan.kind === 'crossEntropy') checkLabels(tData as Int32Array, c.classes);
    const stepNo = this.steps + 1;
    const feeds: OrtTensor[] = [
      new Tensor('float32', hostData(x), [...x.shape]),
      new Tensor(wantT, tData, [...target.shape]),
    ];
    const groups = this.opts.optimizer.paramGroups as unknown as GroupView[];
    if (groups.length !== this.scalarTensors.length) {
      throw new Error(
        'compileTrainStep: step: the optimizer gained param groups since compiling; compile again',
      );
    }
    for (const [gi, grp] of groups.entries()) {
      const values = this.optPlan.scalarValues(grp, stepNo);
      for (const [si, v] of values.entries()) {
        const s = this.scalarTensors[gi][si];
        (s.data as Float32Array)[0] = v;
        feeds.push(s);
      }
    }
    for (let i = 0; i < this.params.length; i++) feeds.push(this.paramFeed(i));
    for (const tp of this.trainedOf.values()) feeds.push(...tp.state);
    let out: OrtTensor[];
    try {
      out = c.session.run(feeds);
    } catch (e) {
      throw new Error(
        `compileTrainStep: step on x [${x.shape.join(',')}] and target [${target.shape.join(',')}]: onnxruntime failed: ${(e as Error).message}`,
      );
    }
    this.counters.runs++;
    this.steps = stepNo;
    let o = 1;
    for (const i of c.trained) {
      const newP = out[o++];
      const tp = this.trainedOf.get(i)!;
      tp.state = tp.state.map(() => out[o++]);
      this.hostParams[i] = newP;
      const p = this.params[i][1];
      p._storage.replace(adoptOrWrite(p, newP));
      this.written[i] = p._storage.handle;
    }
    return (out[0].data as Float32Array)[0];
  }

  /**
   * Writes the step's optimizer state (momentum buffers, Adam moments and step count) into
   * the optimizer's `state`, so that eager `optimizer.step()` or `stateDict()` continue from it.
   */
  syncOptimizerState(): void {
    this.live('syncOptimizerState()');
    const opt = this.opts.optimizer;
    const device = this.params[0][1].device;
    for (const tp of this.trainedOf.values()) {
      const p = this.params[tp.index][1];
      let s = opt.state.get(p);
      if (!s) {
        s = {};
        opt.state.set(p, s);
      }
      for (const [si, slot] of tp.slots.entries()) {
        const old = s[slot];
        if (old && typeof old === 'object') old.dispose();
        s[slot] = keepTensor(tp.state[si].data as Float32Array, p.shape, device);
      }
      if (this.optPlan.kind !== 'sgd') s.step = this.steps;
    }
  }

  /**
   * Releases the ORT sessions; the step cannot be used afterwards (every method throws).
   * Disposing twice is harmless.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.sessions.values()) c.session.dispose();
    this.sessions.clear();
  }

  /** Whether {@link dispose} was called. */
  get isDisposed(): boolean {
    return this.disposed;
  }
}

/**
 * The new storage handle of parameter `p` holding `value` (an ORT output). On the native 'onnx'
 * backend (not the web one) a handle IS an ORT tensor and storage is immutable, so the output
 * itself becomes the handle through `OnnxBackend.adopt` (counted by `memory()`; `Storage.replace`
 * frees the old one), which saves copying every parameter each step. Other backends get the
 * values written (one copy).
 */
function adoptOrWrite(p: Tensor, value: OrtTensor): unknown {
  const b = p._backend;
  if (b instanceof OnnxBackend && !(b instanceof OnnxWebBackend)) {
    return b.adopt(value);
  }
  return b.write(value.data as Float32Array, p.shape, 'float32');
}

function keepTensor(data: Float32Array, shape: readonly number[], device: string): Tensor {
  return keep(tensor(Float32Array.from(data), { device }).reshape([...shape]));
}

/** A tensor's values on the host without a copy when its backend keeps them there. */
function hostData(t: Tensor): Float32Array | Int32Array {
  const n = t.numel();
  const h = t.handle as { data?: unknown } | undefined;
  const ok = (a: unknown): a is Float32Array | Int32Array =>
    (a instanceof Float32Array || a instanceof Int32Array) && a.length === n;
  if (t.device === 'cpu' && ok(h)) return h;
  if (t.device === 'onnx' && h && ok(h.data)) return h.data;
  return t.dataSync() as Float32Array | Int32Array;
}

/** int64 labels as int32 (any label outside [0, classes) is reported by {@link checkLabels}). */
function labelsAsInt32(labels: BigInt64Array, classes: number): Int32Array {
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v < 0n || v >= BigInt(classes)) checkLabels(Int32Array.of(v < 0n ? -1 : classes), classes, i, v);
    out[i] = Number(v);
  }
  return out;
}

function checkLabels(labels: Int32Array, classes: number, at?: number, value?: bigint): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v < 0 || v >= classes) {
      throw new Error(
        `compileTrainStep: step: CrossEntropyLoss label ${value ?? v} at ${at ?? i} is out of range [0, ${classes}) ` +
          '(ignoreIndex is not supported by the fused step)',
      );
    }
  }
}

/**
 * Compiles `model`'s training step — forward, loss, backward and optimizer update — into one
 * ONNX graph run as one onnxruntime-node session per input shape. Supports Sequential models of
 * Linear, ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Flatten, Identity, Dropout (identity in eval or
 * with p=0), Conv2d, MaxPool2d and AvgPool2d; CrossEntropyLoss and MSELoss; SGD, Adam and AdamW.
 * Anything else throws an error naming the module. Parameters may live on any backend: their
 * new values are written back after every step (on 'onnx' without a copy: the step's outputs
 * become their storage), and the step reads them again only if something else replaced them.
 *
 * @throws Error naming what is unsupported: a module other than those above, a loss with
 * reduction 'none', class weights or label smoothing, another optimizer, a parameter that is
 * not float32, an optimizer that trains none of the model's parameters (or has stepped some and
 * not others), a target whose shape does not fit the loss, `maxSessions` not a positive integer
 * or Infinity; and when onnxruntime-node is not installed (the error names the package).
 *
 * ```ts
 * const train = compileTrainStep(model, { loss: new nn.CrossEntropyLoss(), optimizer: opt, exampleInputs: [x, y] });
 * for (let i = 0; i < 100; i++) console.log(train.step(x, y));
 * ```
 */
export function compileTrainStep(model: nn.Module, opts: TrainStepOptions): CompiledTrainStep {
  return new CompiledTrainStep(model, opts);
}
