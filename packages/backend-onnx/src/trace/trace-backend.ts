// The tracing backend: it runs nothing. Every primitive core asks of it is lowered exactly as
// the 'onnx' backend lowers it (the same kernels, the same dtype rules), but instead of running
// the one-op model it inlines it into one graph; its results are symbolic values of that graph.
// Host data met on the way (scalars, shapes, masks) becomes constants, per-run inputs (random
// draws) or a vector of literals fed per run (what the optimizer computes in JS each step).
import {
  broadcastShapes,
  type Conv2dParams,
  type DataArray,
  type DType,
  type IntDType,
  type Pool2dParams,
  type ReduceOp,
  type Shape,
  sizeOf,
  stridesOf,
  type TensorInfo,
  type TypedArray,
} from '@proj/core';
import type { OpCall } from '../backend/errors.js';
import { OnnxLowering } from '../backend/onnx-lowering.js';
import { dataOf, type Handle } from '../backend/storage.js';
import { arrayOf, dtypeOfOnnx } from '../proto/dtypes.js';
import { GraphBuilder, ONNX_DATA_TYPE, type OnnxDType, tensorAttr } from '../proto/index.js';
import { SUBGRAPHS } from './kernel-models.js';

/** A value of the traced graph (the handle a traced tensor holds). */
export class Sym {
  readonly data = undefined;
  constructor(
    readonly name: string,
    readonly type: DType,
    readonly dims: readonly number[],
  ) {}
}

/**
 * Where a literal's values come from when the graph runs: `const`, embedded; `random`, a graph
 * input drawn again before each run; `opt`, an entry of the literal vector, recomputed each run
 * by replaying the optimizer.
 */
export type LitRole = 'const' | 'random' | 'opt';

/** Host data met while tracing (see {@link LitRole}). */
export class Lit {
  role: LitRole;
  /** The value when made by `fill` (built with ConstantOfShape rather than embedded). */
  fill?: number;
  /** A random literal's draw, run again before each run. */
  redraw?: (n: number) => ArrayLike<number>;
  /** Float64 values as core computed them, before the dtype rounded them (to fit constants). */
  exact?: Float64Array;
  constructor(
    readonly type: DType,
    readonly data: DataArray,
    readonly dims: readonly number[],
    role: LitRole,
    /** The literal this one is a reshaped view of (same data). */
    readonly base: Lit | null = null,
  ) {
    this.role = role;
  }
}

/** A value check core asked for (`deferCheck`): a bool scalar of the graph and its message. */
export interface TraceCheck {
  readonly name: string;
  readonly message: () => string;
}

/** Raised when the traced program needs a value the trace does not have. */
export class TraceReadError extends Error {}

const asHandle = (h: Sym | Lit): Handle => h as unknown as Handle;

/** Small constants are Constant nodes (shared when equal); larger ones initialisers. */
const INLINE_CONSTANT = 64;

/**
 * Records primitives into one ONNX graph (see the file comment). Created per trace; `graph`
 * holds the result. Compile and export declare the inputs with {@link input}, run core's code
 * with this backend as the device of every tensor involved, then declare the outputs.
 */
export class TraceBackend extends OnnxLowering {
  override readonly name: string;
  protected override readonly flatElementwise = false;
  /** Sums of up to 256 float32 terms stay float32 (relative error ~1e-6, as PyTorch's float32 sums). */
  protected override readonly wideSumAbove = 256;
  /** Values are not known while tracing: core's value checks become checks of the graph. */
  readonly readsSync = false;
  /** The graph being recorded. */
  /** The graph being recorded (a fresh one after {@link reset}). */
  graph: GraphBuilder;
  /** `'opt'` while the optimizer's update is traced: host data made then is fed per run. */
  segment: 'model' | 'opt' = 'model';
  /** The optimizer literals, in the order they were made (the replay makes them in this order too). */
  readonly optLiterals: Lit[] = [];
  /** Offsets into the literal vector of the optimizer literals the graph uses, by their index in {@link optLiterals}. */
  readonly optSlots = new Map<number, number>();
  /** Length of the literal vector. */
  optLength = 0;
  /** The random draws, in draw order (a graph input each). */
  readonly randoms: { readonly lit: Lit; readonly input: string }[] = [];
  /** The value checks to run on every result. */
  readonly checks: TraceCheck[] = [];
  private pendingDraw: ((n: number) => ArrayLike<number>) | null = null;
  private filling = false;
  private constants = 0;
  private readonly names = new Map<Lit, string>();
  private readonly expandedFrom = new WeakMap<object, { handle: Handle; shape: Shape; dtype: DType }>();
  private readonly poolTiles = new WeakMap<object, { kernel: readonly number[]; xShape: Shape }>();
  private readonly optIndex = new Map<Lit, number>();
  private readonly reshapes = new Map<string, string>();
  private optVector: string | null = null;
  private readonly optVectors = new Map<OnnxDType, string>();
  private readonly optByValue = new Map<string, { index: number; name: string }>();
  /** Literals given another's entry because their values were equal: [literal, the one it shares]. */
  readonly optShared: [number, number][] = [];
  /** Whether equal optimizer literals share an entry (off after a replay found them differ). */
  dedupeLiterals = true;
  /** core's float64 values of the float constants the graph holds, by value name (to fit them to a size). */
  readonly constantExact = new Map<string, Float64Array>();
  /** Keys of the primitives in order: two traces of the same code path give the same list. */
  readonly keys: string[] = [];

  /** A tracer registered under `name` (the device its tensors report). */
  constructor(name: string, graphName = 'traced') {
    super();
    this.name = name;
    this.graph = new GraphBuilder(graphName);
  }

  /** @internal A tracer has no sessions. */
  protected override sessionMemory(): Record<string, number> {
    return {};
  }

  /** Forgets what was recorded (a replay backend is reused for every step). */
  reset(): void {
    this.graph = new GraphBuilder(this.graph.name);
    this.keys.length = 0;
    this.optLiterals.length = 0;
    this.optIndex.clear();
    this.optSlots.clear();
    this.optLength = 0;
    this.optVector = null;
    this.optVectors.clear();
    this.optByValue.clear();
    this.optShared.length = 0;
    this.randoms.length = 0;
    this.checks.length = 0;
    this.names.clear();
    this.reshapes.clear();
    this.constantExact.clear();
    this.constants = 0;
    this.pendingDraw = null;
    this.segment = 'model';
  }

  /** Declares a graph input and returns the symbolic value to bind a tensor to. */
  input(name: string, dtype: DType, dims: readonly number[], onnxDims?: readonly (number | string)[]): Sym {
    this.graph.input(name, dtype as OnnxDType, onnxDims ?? dims);
    return new Sym(name, dtype, [...dims]);
  }

  /** The graph name of a handle, materialising a literal on first use. */
  nameOf(h: unknown): string {
    if (h instanceof Sym) return h.name;
    if (!(h instanceof Lit)) throw new Error('trace: a tensor of another device reached the tracer');
    let name = this.names.get(h);
    if (name === undefined) {
      name = this.materialize(h);
      this.names.set(h, name);
    }
    return name;
  }

  /** The graph name of a tensor's values with the tensor's own shape (core's views share handles). */
  nameOfTensor(t: TensorInfo): string {
    return this.nameOf(this.view(t.handle as Handle, t.shape, t.dtype));
  }

  /** Called by core's draw watcher: the next write uploads these draws. */
  noteDraw(redraw: (n: number) => ArrayLike<number>): void {
    if (this.segment === 'opt') {
      throw new TraceReadError(
        'compile: the optimizer draws random numbers, which a compiled step cannot replay',
      );
    }
    if (this.pendingDraw) throw new TraceReadError('compile: a random draw was not uploaded as drawn');
    this.pendingDraw = redraw;
  }

  private materialize(h: Lit): string {
    const g = this.graph;
    const t = h.type as OnnxDType;
    if (h.base !== null && h.base.role !== 'const') return this.reshape(this.nameOf(h.base), h.dims);
    if (h.role === 'random') {
      const name = g.input(`random_${this.randoms.length}`, t, h.dims);
      this.randoms.push({ lit: h, input: name });
      return name;
    }
    if (h.role === 'opt') {
      // its entries of the literal vector (a fill's one value), in the literal's dtype and dims;
      // equal literals share one entry and one value (Adam's betas, once per parameter), which
      // every replay verifies (see `optShared`)
      const index = this.optIndex.get(h) as number;
      const n = literalLength(h);
      const same = this.dedupeLiterals
        ? `${t}|${h.fill !== undefined}|${h.dims.join(',')}|${literalKey(h)}`
        : null;
      const known = same === null ? undefined : this.optByValue.get(same);
      if (known) {
        this.optShared.push([index, known.index]);
        return known.name;
      }
      const off = this.optLength;
      this.optSlots.set(index, off);
      this.optLength += n;
      const name = this.literalValue(h, off, n);
      if (same !== null) this.optByValue.set(same, { index, name });
      return name;
    }
    if (h.fill === undefined && h.data.length > INLINE_CONSTANT && allEqual(h.data))
      h.fill = Number(h.data[0]);
    if (h.fill !== undefined && h.data.length > 1) {
      const value = tensorAttr(arrayOf(t, [h.fill]), [1], t);
      return g.op('ConstantOfShape', [g.int64s(h.dims)], { value });
    }
    const data = h.data as TypedArray | BigInt64Array;
    if (h.data.length <= INLINE_CONSTANT) {
      const name = g.constant('const', data, h.dims, t);
      if ((t === 'float32' || t === 'float64') && !this.constantExact.has(name)) {
        this.constantExact.set(name, h.exact ?? Float64Array.from(data as Float32Array));
      }
      return name;
    }
    return g.initializer(`__constant_${this.constants++}`, data, h.dims, t);
  }

  /** The graph value of an optimizer literal at `off` of the literal vector (`n` entries). */
  private literalValue(h: Lit, off: number, n: number): string {
    const g = this.graph;
    const t = h.type as OnnxDType;
    this.optVector ??= g.input('literals', 'float64', ['literals']);
    // the vector in each dtype once; a scalar is one Gather from it
    let vec = this.optVectors.get(t);
    if (vec === undefined) {
      vec = t === 'float64' ? this.optVector : g.op('Cast', [this.optVector], { to: ONNX_DATA_TYPE[t] });
      this.optVectors.set(t, vec);
    }
    if (n === 1) {
      const v = g.op('Gather', [vec, g.constant('at', BigInt64Array.of(BigInt(off)), [], 'int64')], {
        axis: 0,
      });
      if (h.fill !== undefined) return h.dims.length === 0 ? v : g.op('Expand', [v, g.int64s(h.dims)]);
      return h.dims.length === 0 ? v : g.op('Reshape', [v, g.int64s(h.dims)]);
    }
    const v = g.op('Slice', [vec, g.int64s([off]), g.int64s([off + n]), g.int64s([0])]);
    return g.op('Reshape', [v, g.int64s(h.dims)]);
  }

  /** `name` reshaped to `dims` (one Reshape per value and shape). */
  protected reshape(name: string, dims: readonly number[]): string {
    const k = `${name}|${dims.join(',')}`;
    let s = this.reshapes.get(k);
    if (s === undefined) {
      const g = this.graph;
      s = g.op('Reshape', [name, g.int64s(dims)]);
      this.reshapes.set(k, s);
    }
    return s;
  }

  // ---- the hooks of OnnxBackend ----------------------------------------------------------

  /** @internal Host data made while tracing: a literal of the current segment. */
  protected override tensor(data: DataArray, shape: Shape, dtype: DType): Handle {
    this.requireNoPendingDraw();
    const lit = new Lit(dtype, data, [...shape], this.segment === 'opt' ? 'opt' : 'const');
    if (lit.role === 'opt') {
      this.keys.push(`literal|${dtype}|${shape.join(',')}|${this.filling ? 'fill' : 'data'}`);
      this.optIndex.set(lit, this.optLiterals.length);
      this.optLiterals.push(lit);
    }
    return asHandle(lit);
  }

  /** @internal `h` seen with `shape`: a Reshape of a graph value, or a view of a literal. */
  protected override view(h: Handle, shape: Shape, dtype: DType): Handle {
    const x = h as unknown as Sym | Lit;
    if (x.dims.length === shape.length && x.dims.every((d, i) => d === shape[i])) return h;
    if (x instanceof Lit) return asHandle(new Lit(dtype, x.data, [...shape], x.role, x.base ?? x));
    const name = this.reshape(x.name, shape);
    return asHandle(new Sym(name, dtype, [...shape]));
  }

  /** @internal Inlines the op's model into the graph; its outputs are symbolic values. */
  protected override exec(
    key: string,
    build: () => GraphBuilder,
    inputs: readonly Handle[],
    call: OpCall,
    dims?: readonly Shape[],
  ): Handle[] {
    this.requireNoPendingDraw();
    let sub = SUBGRAPHS.get(key);
    if (sub === undefined) {
      sub = build();
      SUBGRAPHS.set(key, sub);
    }
    this.keys.push(key);
    const outs = this.graph.inline(
      sub,
      inputs.map((h) => this.nameOf(h)),
    );
    const types = sub.toModel().graph?.output ?? [];
    return outs.map((name, i) => {
      const shape = dims?.[i] ?? call.out?.shape;
      if (!shape) throw new Error(`trace: ${call.op} gave no output shape`);
      const code = types[i]?.type?.tensorType?.elemType as number;
      const type = i === 0 && !dims && call.out ? call.out.dtype : (dtypeOfOnnx(code) as DType);
      return this.track(asHandle(new Sym(name, type, [...shape])));
    });
  }

  /**
   * @internal An integer result computed in float64: truncated and cast, with a check that
   * every value fits the dtype (run on every result, as the backends' range check).
   */
  protected override execNarrowed(
    key: string,
    build: () => GraphBuilder,
    inputs: readonly Handle[],
    call: OpCall,
    dims?: readonly Shape[],
  ): Handle {
    const [wide] = this.exec(key, build, inputs, call, dims) as unknown as Sym[];
    const dtype = (call.out?.dtype ?? 'int32') as IntDType;
    const g = this.graph;
    const [lo, hi] = INT_RANGE[dtype];
    const c = (v: number) => g.scalar(v, 'c', 'float64');
    const t = g.op('Mul', [g.op('Sign', [wide.name]), g.op('Floor', [g.op('Abs', [wide.name])])]);
    const ok = g.op('And', [g.op('GreaterOrEqual', [t, c(lo)]), g.op('LessOrEqual', [t, c(hi)])]);
    const bad = g.op('ReduceSum', [g.op('Cast', [g.op('Not', [ok])], { to: ONNX_DATA_TYPE.float32 })], {
      keepdims: 0,
    });
    const cond = g.op('Equal', [bad, g.scalar(0, 'c', 'float32')]);
    this.checks.push({
      name: cond,
      message: () =>
        `${call.op}: a ${dtype} result is out of range (or an integer division by zero) in the traced program`,
    });
    const out = g.op('Cast', [t], { to: ONNX_DATA_TYPE[dtype as OnnxDType] });
    return this.track(asHandle(new Sym(out, dtype, wide.dims)));
  }

  /** @internal Literals' values are known (random draws aside); graph values are not. */
  protected override hostData(h: Handle): DataArray | undefined {
    const x = h as unknown as Sym | Lit;
    if (x instanceof Lit && x.role !== 'random' && (x.base ?? x).role !== 'random') return x.data;
    return undefined;
  }

  override write(values: DataArray, shape: Shape, dtype: DType): unknown {
    const draw = this.pendingDraw;
    this.pendingDraw = null;
    const h = super.write(values, shape, dtype) as Lit;
    if ((dtype === 'float32' || dtype === 'float64') && !(values instanceof Float32Array)) {
      h.exact = Float64Array.from(values as ArrayLike<number>);
    }
    if (draw) {
      h.role = 'random';
      h.redraw = draw;
    }
    return h;
  }

  override fill(shape: Shape, dtype: DType, value: number): unknown {
    this.filling = true;
    let h: Lit;
    try {
      h = super.fill(shape, dtype, value) as Lit;
    } finally {
      this.filling = false;
    }
    h.fill = dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
    h.exact = Float64Array.of(h.fill);
    return h;
  }

  override readSync(x: TensorInfo): TypedArray {
    const v = this.hostData(x.handle as Handle);
    if (v === undefined) {
      throw new TraceReadError(
        `compile: the traced code reads the value of a ${x.dtype} [${x.shape.join(', ')}] tensor ` +
          '(item(), dataSync(), toArray() or a check on values): a traced graph cannot depend on values; ' +
          'keep such reads out of the model, loss and optimizer, or run them eagerly',
      );
    }
    return dataOf(x.handle as Handle).slice();
  }

  override read(x: TensorInfo): Promise<TypedArray> {
    return Promise.resolve(this.readSync(x));
  }

  /** A check on a graph value is run on every result; on a literal, now. */
  deferCheck(cond: TensorInfo, message: () => string): void {
    const h = cond.handle as unknown as Sym | Lit;
    if (h instanceof Lit && h.role === 'const') {
      if (!h.data[0]) throw new Error(message());
      return;
    }
    this.checks.push({ name: this.nameOf(h), message });
  }

  /**
   * A long float32 sum in float32 stages of at most 64 terms (a pairwise-like order: error
   * ~1e-7 relative per stage) instead of a float64 detour, which costs two casts over the data
   * in a graph; reduced axes must be adjacent and their length split into factors ≤ 64,
   * anything else sums as the 'onnx' backend does.
   */
  override reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): unknown {
    const sorted = [...axes].sort((a, b) => a - b);
    const adjacent = sorted.every((a, i) => i === 0 || a === sorted[i - 1] + 1);
    const terms = sorted.reduce((n, a) => n * x.shape[a], 1);
    const outShape = x.shape.filter((_, i) => !axes.includes(i));
    const factors =
      op === 'sum' && x.dtype === 'float32' && adjacent && terms > this.wideSumAbove ? stages(terms) : null;
    if (!factors || sizeOf(outShape) === 0) return super.reduce(op, x, axes);
    this.requireNoPendingDraw();
    this.keys.push(`sum-staged|${factors.join(',')}`);
    const g = this.graph;
    const pre = x.shape.slice(0, sorted[0]);
    const post = x.shape.slice(sorted[sorted.length - 1] + 1);
    let y = this.nameOf(this.view(x.handle as Handle, [...pre, ...factors, ...post], x.dtype));
    for (let i = factors.length - 1; i >= 0; i--) {
      y = g.op('ReduceSum', [y, g.int64s([pre.length + i])], { keepdims: 0 });
    }
    return this.track(asHandle(new Sym(y, 'float32', outShape)));
  }

  /** Remembers what an expand broadcast (gather/scatterAdd of an embedding-style index use it). */
  override expand(x: TensorInfo, shape: Shape): unknown {
    const h = super.expand(x, shape);
    if (h instanceof Sym)
      this.expandedFrom.set(h, { handle: x.handle as Handle, shape: x.shape, dtype: x.dtype });
    return h;
  }

  /** A broadcasting view (stride 0 on some dims, the buffer in order on the others) is an expand too. */
  override asStrided(x: TensorInfo, shape: Shape, strides: readonly number[], offset: number): unknown {
    const h = super.asStrided(x, shape, strides, offset);
    if (h instanceof Sym && offset === 0) {
      const srcShape = shape.map((d, i) => (strides[i] === 0 ? 1 : d));
      const dense = stridesOf(srcShape);
      const inOrder = strides.every((st, i) => st === 0 || st === dense[i] || srcShape[i] === 1);
      if (inOrder && sizeOf(srcShape) === sizeOf(x.shape)) {
        this.expandedFrom.set(h, { handle: x.handle as Handle, shape: srcShape, dtype: x.dtype });
      }
    }
    return h;
  }

  /**
   * The index of `index` along `axis` when it is a column broadcast over the other dims that
   * spans `shape` there (indexSelect's and embedding's index): one index per slice.
   */
  private sliceIndex(index: TensorInfo, axis: number, shape: Shape): string | null {
    const src = this.expandedFrom.get(index.handle as object);
    if (!src || index.shape.length !== shape.length) return null;
    const column = src.shape.every((d, i) => (i === axis ? d === index.shape[axis] : d === 1));
    const spans = shape.every((d, i) => i === axis || d === index.shape[i]);
    if (!column || !spans || src.shape.length !== shape.length) return null;
    const g = this.graph;
    return g.op('Reshape', [this.nameOf(src.handle), g.int64s([index.shape[axis]])]);
  }

  /** A gather by an embedding-style index is ONNX Gather of whole slices (not element by element). */
  override gather(x: TensorInfo, axis: number, index: TensorInfo): unknown {
    const idx = sizeOf(index.shape) > 0 ? this.sliceIndex(index, axis, x.shape) : null;
    if (idx === null) return super.gather(x, axis, index);
    this.keys.push(`gather-slices|${axis}`);
    const y = this.graph.op('Gather', [this.nameOfTensor(x), idx], { axis });
    return this.track(asHandle(new Sym(y, x.dtype, [...index.shape])));
  }

  /**
   * scatterAdd by an embedding-style index along axis 0 (the embedding's gradient) is ONNX
   * ScatterND adding whole rows, not ScatterElements adding element by element (7 ms of W6).
   */
  override scatterAdd(target: TensorInfo, axis: number, index: TensorInfo, src: TensorInfo): unknown {
    const pooled = this.poolGradient(target, axis, index, src);
    if (pooled !== null) {
      this.keys.push('pool-gradient');
      return this.track(asHandle(new Sym(pooled, target.dtype, [...target.shape])));
    }
    const float = target.dtype === 'float32' || target.dtype === 'float64';
    const idx =
      axis === 0 && float && sizeOf(index.shape) > 0 ? this.sliceIndex(index, 0, target.shape) : null;
    if (idx === null) return super.scatterAdd(target, axis, index, src);
    this.keys.push('scatter-rows');
    const g = this.graph;
    const rows = g.op('Unsqueeze', [g.op('Cast', [idx], { to: ONNX_DATA_TYPE.int64 }), g.int64s([1])]);
    const updates = this.nameOf(this.view(src.handle as Handle, index.shape, src.dtype));
    const y = g.op('ScatterND', [this.nameOfTensor(target), rows, updates], { reduction: 'add' });
    return this.track(asHandle(new Sym(y, target.dtype, [...target.shape])));
  }

  /** Remembers the indices of a max pool whose windows do not overlap (see {@link scatterAdd}). */
  override maxPool2d(x: TensorInfo, p: Pool2dParams): [unknown, unknown] {
    const [v, i] = super.maxPool2d(x, p);
    const tiles =
      p.stride[0] === p.kernel[0] &&
      p.stride[1] === p.kernel[1] &&
      p.padding.every((q) => q === 0) &&
      p.dilation.every((d) => d === 1) &&
      !p.ceilMode;
    if (tiles && i instanceof Sym) this.poolTiles.set(i, { kernel: p.kernel, xShape: x.shape });
    return [v, i];
  }

  /**
   * The max pool's gradient (core scatters it onto the argmax positions) for windows that tile
   * the input: each input position is in one window, so the scatter is dense elementwise work,
   * the gradient broadcast over its window where the position is the window's argmax (ORT's
   * ScatterElements is 1.7 ms of W3's 5.4).
   */
  private poolGradient(target: TensorInfo, axis: number, index: TensorInfo, src: TensorInfo): string | null {
    const tiles = this.poolTiles.get(index.handle as object);
    const zeros = target.handle instanceof Lit && target.handle.fill === 0;
    if (!tiles || !zeros || axis !== 2 || target.shape.length !== 3 || index.shape.length !== 3) return null;
    const [N, C, H, W] = tiles.xShape;
    const [kh, kw] = tiles.kernel;
    const [oh, ow] = [Math.floor(H / kh), Math.floor(W / kw)];
    if (target.shape[2] !== H * W || index.shape[2] !== oh * ow) return null;
    const g = this.graph;
    // per window offset (a, b): the gradient where the argmax sits there, at pooled resolution;
    // the k·k planes then go to their places with DepthToSpace (CRD: channel c·k·k + a·kw + b)
    const offset = g.op('Sub', [
      g.op('Reshape', [this.nameOfTensor(index), g.int64s([N, C, oh, ow])]),
      g.constant(
        'window',
        Int32Array.from({ length: oh * ow }, (_, q) => Math.floor(q / ow) * kh * W + (q % ow) * kw),
        [oh, ow],
        'int32',
      ),
    ]);
    const grad = g.op('Reshape', [
      this.nameOf(this.view(src.handle as Handle, index.shape, src.dtype)),
      g.int64s([N, C, oh, ow]),
    ]);
    const zero = g.scalar(0, 'c', target.dtype as OnnxDType);
    const planes: string[] = [];
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const here = g.op('Equal', [offset, g.constant('at', Int32Array.of(a * W + b), [], 'int32')]);
        planes.push(g.op('Unsqueeze', [g.op('Where', [here, grad, zero]), g.int64s([2])]));
      }
    }
    const stacked = g.op('Reshape', [
      g.op('Concat', planes, { axis: 2 }),
      g.int64s([N, C * kh * kw, oh, ow]),
    ]);
    let dx =
      kh === kw
        ? g.op('DepthToSpace', [stacked], { blocksize: kh, mode: 'CRD' })
        : g.op('Reshape', [
            g.op('Transpose', [g.op('Reshape', [stacked, g.int64s([N, C, kh, kw, oh, ow])])], {
              perm: [0, 1, 4, 2, 5, 3],
            }),
            g.int64s([N, C, oh * kh, ow * kw]),
          ]);
    // the rows and columns no window reaches (floor mode) get no gradient
    if (oh * kh < H || ow * kw < W) {
      dx = g.op('Pad', [dx, g.int64s([0, 0, 0, 0, 0, 0, H - oh * kh, W - ow * kw])]);
    }
    return g.op('Reshape', [dx, g.int64s([N, C, H * W])]);
  }

  /**
   * The filter gradient as one MatMul of the output gradient with the input's patches (groups
   * of 1): dW[o, i, a, b] = Σ dy[n, o, y, x] · x[n, i, y·s + a·d, x·s + b·d]. ORT runs the
   * backend's form (a Conv with batch and channels swapped, whose kernel is the whole output
   * plane) at a few GFLOP/s: 1 ms of W3's 3.4.
   */
  override conv2dBackwardFilter(x: TensorInfo, dy: TensorInfo, wShape: Shape, p: Conv2dParams): unknown {
    if (p.groups !== 1 || x.dtype !== 'float32' || sizeOf(dy.shape) === 0) {
      return super.conv2dBackwardFilter(x, dy, wShape, p);
    }
    this.requireNoPendingDraw();
    this.keys.push(`conv-filter-grad|${wShape.join(',')}`);
    const g = this.graph;
    const [N, Ci] = x.shape;
    const [Co, , kh, kw] = wShape;
    const [oh, ow] = [dy.shape[2], dy.shape[3]];
    const [sh, sw] = p.stride;
    const [dh, dw] = p.dilation;
    const [ph, pw] = p.padding;
    let xs = this.nameOfTensor(x);
    if (ph > 0 || pw > 0) xs = g.op('Pad', [xs, g.int64s([0, 0, ph, pw, 0, 0, ph, pw])]);
    const patches: string[] = [];
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const start = [a * dh, b * dw];
        const end = [a * dh + (oh - 1) * sh + 1, b * dw + (ow - 1) * sw + 1];
        const patch = g.op('Slice', [
          xs,
          g.int64s(start),
          g.int64s(end),
          g.int64s([2, 3]),
          g.int64s([sh, sw]),
        ]);
        patches.push(g.op('Unsqueeze', [patch, g.int64s([2])]));
      }
    }
    // [N, Ci, K, oh, ow] → [N·oh·ow, Ci·K]; dy [N, Co, oh, ow] → [Co, N·oh·ow]
    const stacked = patches.length === 1 ? patches[0] : g.op('Concat', patches, { axis: 2 });
    const cols = g.op('Reshape', [
      g.op('Transpose', [stacked], { perm: [0, 3, 4, 1, 2] }),
      g.int64s([N * oh * ow, Ci * kh * kw]),
    ]);
    const rows = g.op('Reshape', [
      g.op('Transpose', [this.nameOfTensor(dy)], { perm: [1, 0, 2, 3] }),
      g.int64s([Co, N * oh * ow]),
    ]);
    const dW = g.op('Reshape', [g.op('MatMul', [rows, cols]), g.int64s([...wShape])]);
    return this.track(asHandle(new Sym(dW, 'float32', [...wShape])));
  }

  /** matmul straight on the operands' shapes (ONNX MatMul broadcasts batch dims as torch does). */
  override matmul(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean): unknown {
    const ra = a.shape.length;
    const rb = b.shape.length;
    const M = transA ? a.shape[ra - 1] : a.shape[ra - 2];
    const K = transA ? a.shape[ra - 2] : a.shape[ra - 1];
    const N = transB ? b.shape[rb - 2] : b.shape[rb - 1];
    const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
    const outShape = [...batch, M, N];
    if (sizeOf(outShape) === 0 || K === 0) return super.matmul(a, b, transA, transB);
    this.requireNoPendingDraw();
    const g = this.graph;
    const t = (x: TensorInfo, trans: boolean) => {
      const name = this.nameOf(this.view(x.handle as Handle, x.shape, x.dtype));
      if (!trans) return name;
      const r = x.shape.length;
      const perm = Array.from({ length: r }, (_, i) => (i < r - 2 ? i : 2 * r - 3 - i));
      return g.op('Transpose', [name], { perm });
    };
    this.keys.push(`matmul|${transA}|${transB}`);
    const y = g.op('MatMul', [t(a, transA), t(b, transB)]);
    return this.track(asHandle(new Sym(y, a.dtype, outShape)));
  }

  private requireNoPendingDraw(): void {
    if (this.pendingDraw) {
      this.pendingDraw = null;
      throw new TraceReadError(
        'compile: random numbers were drawn but not uploaded as drawn, so a compiled step could not draw them again',
      );
    }
  }
}

/** The range of each integer dtype (int64 within the doubles' exact range, as core computes it). */
const INT_RANGE: Record<IntDType, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint8: [0, 255],
};

/** Entries a literal takes in the literal vector: its elements, or a fill's one value. */
export function literalLength(h: Lit): number {
  return h.fill !== undefined ? 1 : h.data.length;
}

/** Writes a literal's entries into the literal vector at `off`. */
export function writeLiteral(h: Lit, vector: Float64Array, off: number): void {
  if (h.fill !== undefined) {
    vector[off] = h.fill;
    return;
  }
  const d = h.data as ArrayLike<number | bigint>;
  for (let i = 0; i < d.length; i++) vector[off + i] = Number(d[i]);
}

/** Whether every element is the same (a constant that ConstantOfShape builds). */
function allEqual(d: DataArray): boolean {
  const a = d as ArrayLike<number | bigint>;
  const v = a[0];
  for (let i = 1; i < a.length; i++) if (a[i] !== v && !(Number.isNaN(a[i]) && Number.isNaN(v))) return false;
  return true;
}

/** `n` as factors of at most 64 (largest primes first), or null when a prime factor exceeds 64. */
function stages(n: number): number[] | null {
  const primes: number[] = [];
  let m = n;
  for (let p = 2; p * p <= m; p++) {
    while (m % p === 0) {
      primes.push(p);
      m /= p;
    }
  }
  if (m > 1) primes.push(m);
  if (primes.some((p) => p > 64)) return null;
  const out: number[] = [];
  for (const p of primes.sort((a, b) => b - a)) {
    const i = out.findIndex((f) => f * p <= 64);
    if (i >= 0) out[i] *= p;
    else out.push(p);
  }
  return out;
}

/** A literal's values as a string (for sharing equal ones). */
function literalKey(h: Lit): string {
  const str = (v: number | bigint) => (Object.is(v, -0) ? '-0' : String(v));
  return h.fill !== undefined ? str(h.fill) : Array.from(h.data as ArrayLike<number | bigint>, str).join(',');
}

/** Whether two literals hold the same values (a replay's check that a shared entry still holds). */
export function sameLiteral(a: Lit, b: Lit): boolean {
  return a.type === b.type && literalKey(a) === literalKey(b);
}
