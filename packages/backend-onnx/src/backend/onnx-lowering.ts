import {
  allocArray,
  type Backend,
  type BackendMemory,
  type BinaryOp,
  broadcastShapes,
  COMPARISON_OPS,
  type Conv2dParams,
  checkStridedView,
  conv2dOutputShape,
  type DataArray,
  type DType,
  flatPositions,
  type IntDType,
  isContiguousGeometry,
  LruMap,
  narrowInt,
  type Pool2dParams,
  pool2dOutputShape,
  type ReduceOp,
  type Shape,
  sizeOf,
  type TensorInfo,
  type TypedArray,
  type UnaryOp,
} from '@proj/core';
import type { GraphBuilder } from '../proto/index.js';
import {
  checkCastFits,
  checkIndices,
  checkInt64Exact,
  checkInt64SumBound,
  checkNegatable,
  hostAlloc,
  type OpCall,
} from './errors.js';
import { binaryGraph, castGraph, unaryGraph, unaryYieldsBool, whereGraph } from './kernels/elementwise.js';
import {
  concatGraph,
  expandGraph,
  gatherGraph,
  padGraph,
  permuteGraph,
  scatterAddGraph,
  sliceEnds,
  sliceGraph,
} from './kernels/movement.js';
import {
  avgPool2dGraph,
  conv2dBackwardFilterGraph,
  conv2dBackwardInputGraph,
  conv2dGraph,
  matmulGraph,
  maxPool2dGraph,
  softmaxGraph,
} from './kernels/nn.js';
import { reduceGraph, reduceIdentity, reduceOutDType } from './kernels/reduce.js';
import {
  contiguousScatterGraph,
  gridInputShape,
  gridInputs,
  gridPlanKey,
  planGrid,
  reshapesGrid,
  stridedGatherGraph,
  stridedGridGraph,
  stridedScatterGraph,
} from './kernels/strided.js';
import { bytesOf, convert, dataOf, type Handle } from './storage.js';

const key = (...parts: unknown[]) =>
  parts.map((p) => (Array.isArray(p) ? `[${p.join(',')}]` : String(p))).join('|');

const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * float32 softmax rows longer than this are computed in float64. Measured on ORT's float32
 * kernel: ~5e-7 relative on ordinary rows of any length, but with one dominant logit the many
 * tiny terms are partly lost; worst absolute error of the dominant probability's log over
 * logits 10..22: 4e-7 at 256 entries, 1.8e-6 at 1024, 7e-6 at 4096, 2.2e-4 at 2^17.
 * (logSoftmax always runs in float64, see softmaxLike.)
 */
const WIDE_SOFTMAX = 1024;

/**
 * Index tensors of strided views kept (flat positions, int32, one per view geometry): reused
 * by every read and write through the same view, e.g. each step of a training loop.
 */
export const STRIDED_INDEX_ENTRIES = 64;
/** Most bytes the strided-view index tensors may hold together (larger ones are not kept). */
export const STRIDED_INDEX_BYTES = 64 * 2 ** 20;

/** A cached index tensor of a strided view. */
interface IndexEntry {
  readonly key: string;
  readonly handle: Handle;
  readonly bytes: number;
}

/** int32 arithmetic that can leave the int32 range: computed wide, narrowed with a check. */
const WIDE_INT_BINARY: ReadonlySet<BinaryOp> = new Set<BinaryOp>(['add', 'sub', 'mul', 'div', 'pow']);

/**
 * int64 and uint8 compute through float64 ("wide") in every elementwise op and in sums,
 * products, arg-reductions and scatterAdd: ORT's integer kernels wrap around (and several have
 * no int64 or uint8 kernel at all), while float64 is exact for uint8 and for int64 within
 * ±(2^53 - 1), which the host checks for int64 operands. Results are narrowed to the dtype with
 * a range check. Storage, movement, where, max/min reductions and casts are native (exact for
 * every int64 value).
 */
const isWideInt = (d: DType): boolean => d === 'int64' || d === 'uint8';

/**
 * How each primitive of core's Backend contract becomes a small ONNX model (one or a few
 * standard opset-17 operators with symbolic sizes) and which host-side checks and dtype rules
 * come with it: everything of the 'onnx' backend but running the models. {@link OnnxBackend}
 * runs each on onnxruntime-node, OnnxWebBackend records them for onnxruntime-web, and the
 * tracer of compile/exportOnnx inlines them into one graph. Runtime-free.
 */
export abstract class OnnxLowering implements Backend {
  readonly name: string = 'onnx';
  /**
   * Storage handles are ORT tensors over JS TypedArrays (onnxruntime-node copies results out
   * of its native buffers), so the garbage collector frees them with their tensors.
   */
  readonly gcManaged: boolean = true;
  /**
   * @internal Same-shape elementwise ops run flattened to one dim, so that one session serves
   * every shape of a rank; a tracer, which builds one graph, keeps the shapes instead.
   */
  protected readonly flatElementwise: boolean = true;
  /**
   * @internal float32 sums of more terms than this accumulate in float64 (all of them here:
   * ORT's float32 ReduceSum drifts, 1e-5 relative over 1024 equal terms); a compiled graph,
   * where each extra cast is a pass over the data, keeps short sums in float32.
   */
  protected readonly wideSumAbove: number = 0;
  private numBuffers = 0;
  private numBytes = 0;
  /** Flat-position index tensors of strided views, by geometry (bounded in entries and bytes). */
  private readonly indexCache = new LruMap<IndexEntry>(STRIDED_INDEX_ENTRIES, (e) => {
    this.indexBytes -= e.bytes;
  });
  private indexBytes = 0;

  supportsDtype(dtype: DType): boolean {
    return (
      dtype === 'float32' ||
      dtype === 'float64' ||
      dtype === 'int32' ||
      dtype === 'int64' ||
      dtype === 'uint8' ||
      dtype === 'bool'
    );
  }

  // ---- plumbing ------------------------------------------------------------------------
  // The protected members are the hooks OnnxWebBackend overrides, and `adopt` serves
  // compile: @internal, so the API pages show only the Backend contract.

  /** @internal Counts `h` as a live buffer (memory()) and returns it. */
  protected track(h: Handle): Handle {
    this.numBuffers++;
    this.numBytes += bytesOf(h);
    return h;
  }

  /** @internal Wraps host data as a handle (not copied). */
  protected abstract tensor(data: DataArray, shape: Shape, dtype: DType): Handle;

  /** An int64 vector input (sizes, offsets, pads) of a primitive model; not a tracked buffer. */
  private int64s(values: readonly number[]): Handle {
    return this.tensor(
      BigInt64Array.from(values, (v) => BigInt(v)),
      [values.length],
      'int64',
    );
  }

  /** @internal `h` seen with `shape` (same data). */
  protected abstract view(h: Handle, shape: Shape, dtype: DType): Handle;

  /** The tensor's ORT handle, seen with its core shape. */
  private in(x: TensorInfo, shape: Shape = x.shape): Handle {
    return this.view(x.handle as Handle, shape, x.dtype);
  }

  /**
   * @internal Runs (or records) the model cached under `k` on `inputs` and tracks its outputs
   * as new buffers. `dims`: the ONNX shapes the model gives its outputs where they differ from
   * `call.out.shape` (a flattened elementwise op's `[n]`, matmul's 3-d result).
   */
  protected abstract exec(
    k: string,
    build: () => GraphBuilder,
    inputs: readonly Handle[],
    call: OpCall,
    dims?: readonly Shape[],
  ): Handle[];

  /**
   * @internal Like {@link exec} for a model whose one output is the float64 value of an integer
   * result (int32, int64 or uint8: the dtype `call.out` names), narrowed to that dtype with a
   * range check.
   */
  protected abstract execNarrowed(
    k: string,
    build: () => GraphBuilder,
    inputs: readonly Handle[],
    call: OpCall,
    dims?: readonly Shape[],
  ): Handle;

  /** @internal The handle's values when on the host now (always, in Node; BigInt64Array for int64). */
  protected hostData(h: Handle): DataArray | undefined {
    return dataOf(h);
  }

  private exec1(
    k: string,
    build: () => GraphBuilder,
    inputs: readonly Handle[],
    call: OpCall,
    dims?: readonly Shape[],
  ): Handle {
    return this.exec(k, build, inputs, call, dims)[0];
  }

  /**
   * A new empty-or-constant result of `op` made on the host (no session needed): empty
   * results, and reductions over empty axes.
   */
  private host(op: string, shape: Shape, dtype: DType, value = 0): Handle {
    const data = hostAlloc(op, shape, dtype, () => allocArray(dtype, sizeOf(shape)));
    if (value !== 0) fillWith(data, dtype, value);
    return this.track(this.tensor(data, shape, dtype));
  }

  // ---- storage -------------------------------------------------------------------------

  write(values: DataArray, shape: Shape, dtype: DType): unknown {
    const n = sizeOf(shape);
    if (values.length !== n) {
      throw new Error(
        `onnx write: got ${values.length} values for shape [${shape.join(',')}] (expected ${n})`,
      );
    }
    return this.track(this.tensor(convert(values, dtype), shape, dtype));
  }

  read(x: TensorInfo): Promise<TypedArray> {
    return Promise.resolve(this.readSync(x));
  }

  /**
   * The values in their dtype's array. Typed as a number array for direct callers (the Backend
   * interface says DataArray): an int64 tensor's come back as a BigInt64Array.
   */
  readSync(x: TensorInfo): TypedArray {
    return dataOf(x.handle as Handle).slice();
  }

  disposeData(handle: unknown): void {
    this.numBuffers--;
    this.numBytes -= bytesOf(handle as Handle);
  }

  forgetData(bytes: number): void {
    this.numBuffers--;
    this.numBytes -= bytes;
  }

  /**
   * Filled buffers are made on the host: the storage is CPU memory, so a typed-array fill
   * is what ORT's ConstantOfShape would do, minus a session. (An allocation failure here is
   * named by core's creation function, which knows the op; `write` likewise.)
   */
  fill(shape: Shape, dtype: DType, value: number): unknown {
    const data = allocArray(dtype, sizeOf(shape));
    const v = dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
    if (v !== 0 || Object.is(v, -0)) fillWith(data, dtype, v); // a fresh array holds +0; -0 keeps its sign
    return this.track(this.tensor(data, shape, dtype));
  }

  cast(x: TensorInfo, dtype: DType): unknown {
    const n = sizeOf(x.shape);
    const [flat, dims] = this.flatElementwise ? [[n], [[n]]] : [x.shape, undefined];
    if (n === 0) return this.host('cast', x.shape, dtype);
    // a same-dtype cast is a copy: storage is immutable, so the copy shares the data
    if (x.dtype === dtype) return this.track(this.view(x.handle as Handle, x.shape, dtype));
    const call = { op: 'cast', inputs: [x], out: { shape: x.shape, dtype } };
    const data = this.hostData(x.handle as Handle);
    if (data && (isWideInt(dtype) || isWideInt(x.dtype))) {
      // on the host: core's exact, checked conversion (ORT's Cast wraps int64 → int32, 1e19 → int64)
      return this.track(this.tensor(convert(data, dtype), x.shape, dtype));
    }
    if (isWideInt(x.dtype) && (dtype === 'int32' || isWideInt(dtype))) {
      // values not on the host yet (web): through float64, narrowed with the check when read
      const build = () => castGraph(x.dtype, 'float64');
      return this.execNarrowed(key('cast', x.dtype, 'float64'), build, [this.in(x, flat)], call, dims);
    }
    if (
      (dtype === 'int32' || isWideInt(dtype)) &&
      (x.dtype === 'float32' || x.dtype === 'float64') &&
      !data
    ) {
      // values not on the host yet (web): cast to float64, narrowed with the check when read
      const build = () => castGraph(x.dtype, 'float64');
      return this.execNarrowed(key('cast', x.dtype, 'float64'), build, [this.in(x, flat)], call, dims);
    }
    checkCastFits(data, x.dtype, dtype, x.shape);
    const k = key('cast', x.dtype, dtype);
    const out = this.exec1(k, () => castGraph(x.dtype, dtype), [this.in(x, flat)], call, dims);
    return this.view(out, x.shape, dtype);
  }

  // ---- elementwise ---------------------------------------------------------------------

  unary(op: UnaryOp, x: TensorInfo): unknown {
    const n = sizeOf(x.shape);
    const outType = unaryYieldsBool(op) ? 'bool' : x.dtype;
    if (n === 0) return this.host(op, x.shape, outType);
    const call = { op, inputs: [x], out: { shape: x.shape, dtype: outType } };
    const [flat, dims] = this.flatElementwise ? [[n], [[n]]] : [x.shape, undefined];
    if (isWideInt(x.dtype)) {
      checkInt64Exact(op, this.hostData(x.handle as Handle));
      const build = () => unaryGraph(op, x.dtype, true);
      const k = key('unary-wide', op, x.dtype);
      if (outType === 'bool')
        return this.view(this.exec1(k, build, [this.in(x, flat)], call, dims), x.shape, outType);
      return this.execNarrowed(k, build, [this.in(x, flat)], call, dims);
    }
    if (x.dtype === 'int32' && (op === 'neg' || op === 'abs')) {
      const data = this.hostData(x.handle as Handle);
      if (!data) {
        const build = () => unaryGraph(op, 'int32', true);
        return this.execNarrowed(key('unary-wide', op), build, [this.in(x, flat)], call, dims);
      }
      checkNegatable(op, data);
    }
    const k = key('unary', op, x.dtype);
    const out = this.exec1(k, () => unaryGraph(op, x.dtype), [this.in(x, flat)], call, dims);
    return this.view(out, x.shape, outType);
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown {
    const outType = COMPARISON_OPS.has(op) ? 'bool' : a.dtype;
    const n = sizeOf(outShape);
    if (n === 0) return this.host(op, outShape, outType);
    const call = { op, inputs: [a, b], out: { shape: outShape, dtype: outType } };
    // int32 arithmetic that can overflow runs in float64 and is narrowed with a range check;
    // int64 and uint8 compute in float64 whatever the op (int64 operands checked exact first)
    const wideInt = isWideInt(a.dtype);
    if (wideInt) {
      checkInt64Exact(op, this.hostData(a.handle as Handle));
      checkInt64Exact(op, this.hostData(b.handle as Handle));
    }
    const wide = (a.dtype === 'int32' && WIDE_INT_BINARY.has(op)) || wideInt;
    // flat: one session per (op, dtype) for the common same-shape case, whatever the rank
    const flat = this.flatElementwise && sameShape(a.shape, outShape) && sameShape(b.shape, outShape);
    const [ra, rb] = flat ? [1, 1] : [a.shape.length, b.shape.length];
    const inputs = flat ? [this.in(a, [n]), this.in(b, [n])] : [this.in(a), this.in(b)];
    // ONNX broadcasts at run time; an output shape broadcasting does not reach is expanded to
    const reached = flat || sameShape(broadcastShapes(op, a.shape, b.shape), outShape);
    const expandRank = reached ? null : outShape.length;
    if (!reached) inputs.push(this.int64s(outShape));
    const form = { flat, expandRank, wide };
    const k = key('binary', op, a.dtype, ra, rb, flat, expandRank, wide);
    const build = () => binaryGraph(op, a.dtype, ra, rb, form);
    const dims = flat ? [[n]] : undefined;
    if (wide && outType !== 'bool') return this.execNarrowed(k, build, inputs, call, dims);
    const out = this.exec1(k, build, inputs, call, dims);
    return flat ? this.view(out, outShape, outType) : out;
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown {
    if (sizeOf(outShape) === 0) return this.host('where', outShape, a.dtype);
    const ab = broadcastShapes('where', a.shape, b.shape);
    const reached = sameShape(broadcastShapes('where', cond.shape, ab), outShape);
    const expandRank = reached ? null : outShape.length;
    const [rc, ra, rb] = [cond.shape.length, a.shape.length, b.shape.length];
    const inputs = [this.in(cond), this.in(a), this.in(b)];
    if (!reached) inputs.push(this.int64s(outShape));
    const call = { op: 'where', inputs: [cond, a, b], out: { shape: outShape, dtype: a.dtype } };
    const k = key('where', a.dtype, rc, ra, rb, expandRank);
    return this.exec1(k, () => whereGraph(a.dtype, rc, ra, rb, expandRank), inputs, call);
  }

  // ---- reductions ----------------------------------------------------------------------

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): unknown {
    const outShape = x.shape.filter((_, i) => !axes.includes(i));
    const outType = reduceOutDType(op, x.dtype);
    if (sizeOf(outShape) === 0) return this.host(op, outShape, outType);
    if (sizeOf(x.shape) === 0) return this.host(op, outShape, outType, reduceIdentity(op));
    const r = x.shape.length;
    const call = { op, inputs: [x], out: { shape: outShape, dtype: outType } };
    // float32 sums accumulate in float64 (ORT's float32 ReduceSum drifts: 1e-5 relative over
    // 1024 equal terms, 2e-4 over 2^17); int32 sums and products are narrowed with a check;
    // int64/uint8 sums, products and arg-reductions run in float64 (max/min are native, exact)
    const sumLike = op === 'sum' || op === 'prod';
    const wideInt = isWideInt(x.dtype) && op !== 'max' && op !== 'min';
    if (wideInt) {
      const data = this.hostData(x.handle as Handle);
      checkInt64Exact(op, data);
      if (op === 'sum') checkInt64SumBound(op, data);
    }
    const intWide = (x.dtype === 'int32' && sumLike) || (wideInt && sumLike);
    const terms = sizeOf(x.shape) / sizeOf(outShape);
    const wide = intWide || wideInt || (x.dtype === 'float32' && op === 'sum' && terms > this.wideSumAbove);
    const k = key('reduce', op, x.dtype, r, axes, wide);
    const build = () => reduceGraph(op, x.dtype, r, axes, wide);
    if (intWide) return this.execNarrowed(k, build, [this.in(x)], call);
    return this.exec1(k, build, [this.in(x)], call);
  }

  // ---- movement ------------------------------------------------------------------------

  permute(x: TensorInfo, perm: readonly number[]): unknown {
    const outShape = perm.map((p) => x.shape[p]);
    if (sizeOf(outShape) === 0) return this.host('permute', outShape, x.dtype);
    const call = { op: 'permute', inputs: [x], out: { shape: outShape, dtype: x.dtype } };
    const k = key('permute', x.dtype, perm);
    return this.exec1(k, () => permuteGraph(x.dtype, perm), [this.in(x)], call);
  }

  expand(x: TensorInfo, shape: Shape): unknown {
    if (sizeOf(shape) === 0) return this.host('expand', shape, x.dtype);
    const [r, outR] = [x.shape.length, shape.length];
    const call = { op: 'expand', inputs: [x], out: { shape, dtype: x.dtype } };
    const k = key('expand', x.dtype, r, outR);
    return this.exec1(k, () => expandGraph(x.dtype, r, outR), [this.in(x), this.int64s(shape)], call);
  }

  slice(
    x: TensorInfo,
    begin: readonly number[],
    sizes: readonly number[],
    steps: readonly number[],
  ): unknown {
    if (sizeOf(sizes) === 0) return this.host('slice', sizes, x.dtype);
    // ONNX cannot slice a 0-d tensor; the only slice of a scalar is the scalar itself.
    if (x.shape.length === 0) return this.track(this.view(x.handle as Handle, x.shape, x.dtype));
    // the whole tensor: storage is immutable, so the result shares it
    if (sameShape(sizes, x.shape) && begin.every((b) => b === 0) && steps.every((s) => s === 1))
      return this.track(this.view(x.handle as Handle, x.shape, x.dtype));
    const r = x.shape.length;
    const ends = sliceEnds(begin, sizes, steps);
    const inputs = [this.in(x), this.int64s(begin), this.int64s(ends), this.int64s(steps)];
    const call = { op: 'slice', inputs: [x], out: { shape: sizes, dtype: x.dtype } };
    return this.exec1(key('slice', x.dtype, r), () => sliceGraph(x.dtype, r), inputs, call);
  }

  pad(x: TensorInfo, pads: readonly (readonly [number, number])[], value: number): unknown {
    const outShape = x.shape.map((d, i) => d + pads[i][0] + pads[i][1]);
    if (sizeOf(outShape) === 0) return this.host('pad', outShape, x.dtype);
    if (sizeOf(x.shape) === 0) return this.host('pad', outShape, x.dtype, value);
    if (x.shape.length === 0) return this.track(this.view(x.handle as Handle, x.shape, x.dtype));
    const r = x.shape.length;
    const v = this.tensor(convert(Float64Array.of(value), x.dtype), [], x.dtype);
    const onnxPads = this.int64s([...pads.map((p) => p[0]), ...pads.map((p) => p[1])]);
    const call = { op: 'pad', inputs: [x], out: { shape: outShape, dtype: x.dtype } };
    return this.exec1(key('pad', x.dtype, r), () => padGraph(x.dtype, r), [this.in(x), onnxPads, v], call);
  }

  gather(x: TensorInfo, axis: number, index: TensorInfo): unknown {
    checkIndices('gather', this.hostData(index.handle as Handle), x.shape[axis], axis);
    if (sizeOf(index.shape) === 0) return this.host('gather', index.shape, x.dtype);
    const r = x.shape.length;
    // torch lets the index be smaller than x along the other dims: x is cut down to it first
    const ends = x.shape.map((d, i) => (i === axis ? d : index.shape[i]));
    const sliced = !sameShape(ends, x.shape);
    const inputs = [this.in(x), this.in(index)];
    if (sliced) inputs.push(this.int64s(ends));
    const call = { op: 'gather', inputs: [x, index], out: { shape: index.shape, dtype: x.dtype } };
    const k = key('gather', x.dtype, r, axis, sliced);
    return this.exec1(k, () => gatherGraph(x.dtype, r, axis, sliced), inputs, call);
  }

  scatterAdd(target: TensorInfo, axis: number, index: TensorInfo, src: TensorInfo): unknown {
    checkIndices('scatterAdd', this.hostData(index.handle as Handle), target.shape[axis], axis);
    if (sizeOf(index.shape) === 0 || sizeOf(target.shape) === 0) {
      return this.track(this.view(target.handle as Handle, target.shape, target.dtype));
    }
    const [r, dtype] = [target.shape.length, target.dtype];
    const inputs = [this.in(target), this.in(index), this.in(src, index.shape)];
    const call = { op: 'scatterAdd', inputs: [target, index, src], out: { shape: target.shape, dtype } };
    // int32 sums narrowed with a range check; int64 and uint8 sum in float64 too
    const wide = dtype === 'int32' || isWideInt(dtype);
    if (dtype === 'int64') {
      const [t, s] = [this.hostData(target.handle as Handle), this.hostData(src.handle as Handle)];
      checkInt64Exact('scatterAdd', t);
      checkInt64Exact('scatterAdd', s);
      checkInt64SumBound('scatterAdd', t, s);
    }
    const k = key('scatterAdd', dtype, r, axis, wide);
    const build = () => scatterAddGraph(dtype, r, axis, wide);
    return wide ? this.execNarrowed(k, build, inputs, call) : this.exec1(k, build, inputs, call);
  }

  // ---- strided views -------------------------------------------------------------------

  /**
   * A view that is a permuted, stepped block of the buffer runs as Slice/Reshape/Transpose/
   * Expand (sizes fed as inputs, see kernels/strided.ts); any other as a Gather of its flat
   * positions. The buffer is read flat, whatever shape its handle was made with.
   */
  asStrided(x: TensorInfo, shape: Shape, strides: readonly number[], offset: number): unknown {
    const L = sizeOf(x.shape);
    checkStridedView('asStrided', L, shape, strides, offset);
    if (sizeOf(shape) === 0) return this.host('asStrided', shape, x.dtype);
    const dtype = x.dtype;
    const call = { op: 'asStrided', inputs: [x], out: { shape, dtype } };
    const plan = planGrid(L, shape, strides, offset);
    if (plan) {
      // the whole buffer in order: storage is immutable, so the result shares it
      if (!plan.flatSlice && !reshapesGrid(plan) && !plan.expand)
        return this.track(this.view(x.handle as Handle, shape, dtype));
      const grid = this.in(x, gridInputShape(plan, L));
      const inputs = [grid, ...gridInputs(plan, shape).map((v) => this.int64s(v))];
      const k = key('asStrided', dtype, gridPlanKey(plan));
      return this.exec1(k, () => stridedGridGraph(dtype, plan), inputs, call);
    }
    const index = this.view(this.viewIndex(shape, strides, offset), shape, 'int32');
    const k = key('asStrided-gather', dtype, shape.length);
    return this.exec1(k, () => stridedGatherGraph(dtype, shape.length), [this.in(x, [L]), index], call);
  }

  /**
   * ScatterElements of `src` at the view's flat positions; a contiguous run is a Concat of the
   * buffer's head, `src` and its tail instead (no index tensor).
   */
  asStridedScatter(
    base: TensorInfo,
    src: TensorInfo,
    shape: Shape,
    strides: readonly number[],
    offset: number,
  ): unknown {
    const L = sizeOf(base.shape);
    checkStridedView('asStridedScatter', L, shape, strides, offset);
    const n = sizeOf(shape);
    const dtype = base.dtype;
    // nothing written: the copy of base shares its (immutable) storage
    if (n === 0) return this.track(this.view(base.handle as Handle, base.shape, dtype));
    const contiguous = isContiguousGeometry(shape, strides);
    // everything written: the result is src's values
    if (n === L && contiguous) return this.track(this.view(src.handle as Handle, base.shape, dtype));
    const call = { op: 'asStridedScatter', inputs: [base, src], out: { shape: base.shape, dtype } };
    const flat = this.in(base, [L]);
    const values = this.in(src, [n]);
    let out: Handle;
    if (contiguous) {
      const inputs = [flat, values, this.int64s([offset]), this.int64s([offset + n])];
      const k = key('asStridedScatter-run', dtype);
      out = this.exec1(k, () => contiguousScatterGraph(dtype), inputs, call, [[L]]);
    } else {
      const index = this.view(this.viewIndex(shape, strides, offset), [n], 'int32');
      const inputs = [flat, index, values];
      const k = key('asStridedScatter', dtype);
      out = this.exec1(k, () => stridedScatterGraph(dtype), inputs, call, [[L]]);
    }
    return this.view(out, base.shape, dtype);
  }

  /** The view's flat positions as an int32 handle, from the bounded cache or computed now. */
  private viewIndex(shape: Shape, strides: readonly number[], offset: number): Handle {
    const k = `${shape.join(',')}|${strides.join(',')}|${offset}`;
    const hit = this.indexCache.get(k);
    if (hit) return hit.handle;
    const positions = hostAlloc('asStrided', shape, 'int32', () => flatPositions({ shape, strides, offset }));
    const handle = this.tensor(positions, [positions.length], 'int32');
    const bytes = positions.byteLength;
    if (bytes <= STRIDED_INDEX_BYTES) {
      this.indexCache.set(k, { key: k, handle, bytes });
      this.indexBytes += bytes;
      // past the byte budget: release the least recently used ones (the newest stays)
      for (const e of [...this.indexCache.values()]) {
        if (this.indexBytes <= STRIDED_INDEX_BYTES) break;
        this.indexCache.evict(e.key);
      }
    }
    return handle;
  }

  // ---- fused kernels -------------------------------------------------------------------

  matmul(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean): unknown {
    const as3 = to3d(a.shape);
    const bs3 = to3d(b.shape);
    const M = transA ? as3[2] : as3[1];
    const N = transB ? bs3[1] : bs3[2];
    const K = transA ? as3[1] : as3[2];
    const outShape = [Math.max(as3[0], bs3[0]), M, N];
    if (sizeOf(outShape) === 0 || K === 0) return this.host('matmul', outShape, a.dtype);
    // the result as core sees it (batch dims broadcast, not flattened), for error messages
    const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
    const call = { op: 'matmul', inputs: [a, b], out: { shape: [...batch, M, N], dtype: a.dtype } };
    const k = key('matmul', a.dtype, transA, transB);
    const inputs = [this.in(a, as3), this.in(b, bs3)];
    return this.exec1(k, () => matmulGraph(a.dtype, transA, transB), inputs, call, [outShape]);
  }

  concat(xs: readonly TensorInfo[], axis: number): unknown {
    const outShape = xs[0].shape.slice();
    outShape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
    const parts = xs.filter((x) => sizeOf(x.shape) > 0);
    if (sizeOf(outShape) === 0 || parts.length === 0) return this.host('concat', outShape, xs[0].dtype);
    const [dtype, r, count] = [xs[0].dtype, outShape.length, parts.length];
    const call = { op: 'concat', inputs: parts, out: { shape: outShape, dtype } };
    const k = key('concat', dtype, axis, count, r);
    const inputs = parts.map((x) => this.in(x));
    return this.exec1(k, () => concatGraph(dtype, count, r, axis), inputs, call);
  }

  softmax(x: TensorInfo, axis: number): unknown {
    return this.softmaxLike(x, axis, false);
  }

  logSoftmax(x: TensorInfo, axis: number): unknown {
    return this.softmaxLike(x, axis, true);
  }

  private softmaxLike(x: TensorInfo, axis: number, log: boolean): unknown {
    if (sizeOf(x.shape) === 0) return this.host(log ? 'logSoftmax' : 'softmax', x.shape, x.dtype);
    const op = log ? 'logSoftmax' : 'softmax';
    const r = x.shape.length;
    const call = { op, inputs: [x], out: { shape: x.shape, dtype: x.dtype } };
    // float32 logSoftmax runs in float64: ORT computes log(s) of the float32 sum s, and for a
    // confident row s = 1 + 1e-4 carries 1e-3 relative error into its log (the loss of a
    // well-classified sample); softmax only for rows longer than WIDE_SOFTMAX, whose sums drift
    // (float64 is 2.4x slower on [256, 1000])
    const wide = x.dtype === 'float32' && (log || x.shape[axis] > WIDE_SOFTMAX);
    const build = () => softmaxGraph(x.dtype, r, axis, log, wide);
    return this.exec1(key(op, x.dtype, r, axis, wide), build, [this.in(x)], call);
  }

  // Convolutions and pooling: the batch (and for conv2d the image size) is symbolic, so the
  // keys leave it out; the backward kernels' padding depends on the image size, which stays.

  conv2d(x: TensorInfo, w: TensorInfo, p: Conv2dParams): unknown {
    requireFloat32('conv2d', x.dtype);
    const out = { shape: conv2dOutputShape(x.shape, w.shape, p), dtype: x.dtype };
    const k = key('conv2d', w.shape, convKey(p));
    const inputs = [this.in(x), this.in(w)];
    return this.exec1(k, () => conv2dGraph(w.shape, p), inputs, { op: 'conv2d', inputs: [x, w], out });
  }

  conv2dBackwardInput(dy: TensorInfo, w: TensorInfo, xShape: Shape, p: Conv2dParams): unknown {
    const op = 'conv2dBackwardInput';
    requireFloat32(op, dy.dtype);
    const k = key(op, dy.shape.slice(1), w.shape, xShape.slice(1), convKey(p));
    const call = { op, inputs: [dy, w], out: { shape: xShape, dtype: dy.dtype } };
    const inputs = [this.in(dy), this.in(w)];
    return this.exec1(k, () => conv2dBackwardInputGraph(dy.shape, w.shape, xShape, p), inputs, call);
  }

  conv2dBackwardFilter(x: TensorInfo, dy: TensorInfo, wShape: Shape, p: Conv2dParams): unknown {
    const op = 'conv2dBackwardFilter';
    requireFloat32(op, x.dtype);
    const k = key(op, x.shape.slice(1), dy.shape.slice(1), wShape, convKey(p));
    const call = { op, inputs: [x, dy], out: { shape: wShape, dtype: x.dtype } };
    const inputs = [this.in(x), this.in(dy)];
    return this.exec1(k, () => conv2dBackwardFilterGraph(x.shape, dy.shape, wShape, p), inputs, call);
  }

  maxPool2d(x: TensorInfo, p: Pool2dParams): [unknown, unknown] {
    const k = key('maxPool2d', x.dtype, x.shape.slice(2), poolKey(p));
    const call = {
      op: 'maxPool2d',
      inputs: [x],
      out: { shape: pool2dOutputShape(x.shape, p), dtype: x.dtype },
    };
    const [values, indices] = this.exec(k, () => maxPool2dGraph(x.dtype, x.shape, p), [this.in(x)], call);
    return [values, indices];
  }

  avgPool2d(x: TensorInfo, p: Pool2dParams): unknown {
    requireFloat32('avgPool2d', x.dtype);
    const k = key('avgPool2d', x.shape.slice(2), poolKey(p));
    const call = {
      op: 'avgPool2d',
      inputs: [x],
      out: { shape: pool2dOutputShape(x.shape, p), dtype: x.dtype },
    };
    return this.exec1(k, () => avgPool2dGraph(x.shape, p), [this.in(x)], call);
  }

  // ---- lifecycle -----------------------------------------------------------------------

  /**
   * Live buffers and bytes, plus the session cache: `sessions` live, `sessionLimit`,
   * `sessionsCreated` so far and `sessionEvictions` (released past the limit); and the
   * strided-view index cache: `stridedIndexEntries`, `stridedIndexBytes`, `stridedIndexLimit`
   * (entries) and `stridedIndexByteLimit`.
   */
  memory(): BackendMemory {
    return {
      numBuffers: this.numBuffers,
      numBytes: this.numBytes,
      ...this.sessionMemory(),
      stridedIndexEntries: this.indexCache.size,
      stridedIndexBytes: this.indexBytes,
      stridedIndexLimit: this.indexCache.maxSize,
      stridedIndexByteLimit: STRIDED_INDEX_BYTES,
    };
  }

  /** @internal The session-cache part of {@link memory}. */
  protected abstract sessionMemory(): Record<string, number>;

  destroy(): void {
    this.indexCache.clear();
    this.indexBytes = 0;
    this.numBuffers = 0;
    this.numBytes = 0;
  }
}

/** Views a rank >= 2 shape as [batch, rows, cols] (rank 2 gets batch 1). */
function to3d(s: Shape): [number, number, number] {
  const r = s.length;
  return [sizeOf(s.slice(0, r - 2)), s[r - 2], s[r - 1]];
}

const convKey = (p: Conv2dParams) => key(p.stride, p.padding, p.dilation, p.groups);
const poolKey = (p: Pool2dParams) =>
  key(p.kernel, p.stride, p.padding, p.dilation, p.ceilMode, p.countIncludePad);

/** ORT's Conv, ConvTranspose and AveragePool CPU kernels are float32-only. */
function requireFloat32(op: string, dtype: DType): void {
  if (dtype !== 'float32') {
    throw new Error(
      `${op}: the onnx backend runs it in float32 only (ORT's CPU kernel has no ${dtype}); got ${dtype}`,
    );
  }
}

/** Fills a fresh host array with `value` (int64 arrays take it as a bigint). */
function fillWith(data: DataArray, dtype: DType, value: number): void {
  if (data instanceof BigInt64Array) data.fill(BigInt(Math.trunc(value)));
  else data.fill(dtype === 'bool' ? (value !== 0 ? 1 : 0) : value);
}
