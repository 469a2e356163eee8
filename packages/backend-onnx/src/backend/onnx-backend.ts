import {
  allocArray,
  type Backend,
  type BackendMemory,
  type BinaryOp,
  COMPARISON_OPS,
  type Conv2dParams,
  type DType,
  type Pool2dParams,
  type ReduceOp,
  type Shape,
  sizeOf,
  type TensorInfo,
  type TypedArray,
  type UnaryOp,
} from '@proj/core';
import type { GraphBuilder } from '../proto/index.js';
import type { NativeSessionOptions } from '../runtime/native-session.js';
import { SessionCache, type SessionStats } from '../runtime/session-cache.js';
import { binaryGraph, castGraph, unaryGraph, unaryYieldsBool, whereGraph } from './kernels/elementwise.js';
import {
  concatGraph,
  expandGraph,
  gatherGraph,
  padGraph,
  permuteGraph,
  scatterAddGraph,
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
import { bytesOf, convert, dataOf, type Handle, ortTensor, view } from './storage.js';

/** Options of the ONNX Runtime backend. */
export interface OnnxBackendOptions {
  /** ORT intra-op threads per session (default 1: predictable, comparable timings). */
  intraOpNumThreads?: number;
}

const key = (...parts: unknown[]) =>
  parts.map((p) => (Array.isArray(p) ? `[${p.join(',')}]` : String(p))).join('|');

/**
 * The ONNX Runtime backend: each storage handle is an ORT tensor in CPU memory, and every
 * primitive runs as a tiny ONNX model (one or a few standard opset-17 operators) executed
 * synchronously by onnxruntime-node's native binding. Sessions are built once per
 * (op, dtypes, shapes, attributes) key and cached for the backend's lifetime.
 *
 * @example
 * ```ts
 * import '@proj/backend-onnx'; // registers 'onnx'
 * setBackend('onnx');
 * const y = randn([2, 3]).relu(); // runs ORT's Relu
 * ```
 */
export class OnnxBackend implements Backend {
  readonly name = 'onnx';
  private readonly cache: SessionCache;
  private numBuffers = 0;
  private numBytes = 0;

  constructor(options: OnnxBackendOptions = {}) {
    const sessionOptions: NativeSessionOptions = { intraOpNumThreads: options.intraOpNumThreads ?? 1 };
    this.cache = new SessionCache(sessionOptions);
  }

  /** Session cache counters: sessions built, cache hits, runs. */
  stats(): SessionStats {
    return this.cache.stats();
  }

  supportsDtype(dtype: DType): boolean {
    return dtype === 'float32' || dtype === 'float64' || dtype === 'int32' || dtype === 'bool';
  }

  // ---- plumbing ------------------------------------------------------------------------

  protected track(h: Handle): Handle {
    this.numBuffers++;
    this.numBytes += bytesOf(h);
    return h;
  }

  /**
   * Takes ownership of an ORT tensor produced outside the backend (a fused session's output)
   * as a storage handle, without copying; it is freed by `disposeData` like any other buffer.
   * The caller must not modify the tensor afterwards.
   */
  adopt(t: Handle): Handle {
    return this.track(t);
  }

  /** Wraps host data as a handle (an ORT tensor; not copied). */
  protected tensor(data: TypedArray, shape: Shape, dtype: DType): Handle {
    return ortTensor(data, shape, dtype);
  }

  /** `h` seen with `shape` (same data). */
  protected view(h: Handle, shape: Shape, dtype: DType): Handle {
    return view(h, shape, dtype);
  }

  /** The tensor's ORT handle, seen with its core shape. */
  private in(x: TensorInfo, shape: Shape = x.shape): Handle {
    return this.view(x.handle as Handle, shape, x.dtype);
  }

  /** Runs the model cached under `k` and tracks its outputs as new buffers. */
  protected exec(k: string, build: () => GraphBuilder, inputs: readonly Handle[]): Handle[] {
    return this.cache.run(k, build, inputs).map((h) => this.track(h));
  }

  /** The handle's values when they are on the host now (always, in Node). */
  protected hostData(h: Handle): TypedArray | undefined {
    return dataOf(h);
  }

  private exec1(k: string, build: () => GraphBuilder, inputs: readonly Handle[]): Handle {
    return this.exec(k, build, inputs)[0];
  }

  /** A new empty-or-constant buffer made on the host (no session needed). */
  private host(shape: Shape, dtype: DType, value = 0): Handle {
    const data = allocArray(dtype, sizeOf(shape));
    if (value !== 0) data.fill(dtype === 'bool' ? 1 : value);
    return this.track(this.tensor(data, shape, dtype));
  }

  // ---- storage -------------------------------------------------------------------------

  write(values: TypedArray, shape: Shape, dtype: DType): unknown {
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

  readSync(x: TensorInfo): TypedArray {
    return dataOf(x.handle as Handle).slice();
  }

  disposeData(handle: unknown): void {
    this.numBuffers--;
    this.numBytes -= bytesOf(handle as Handle);
  }

  /**
   * Filled buffers are made on the host: the storage is CPU memory, so a typed-array fill
   * is what ORT's ConstantOfShape would do, minus a session per shape.
   */
  fill(shape: Shape, dtype: DType, value: number): unknown {
    const data = allocArray(dtype, sizeOf(shape));
    const v = dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
    if (v !== 0) data.fill(v);
    return this.track(this.tensor(data, shape, dtype));
  }

  cast(x: TensorInfo, dtype: DType): unknown {
    const n = sizeOf(x.shape);
    if (n === 0) return this.host(x.shape, dtype);
    // a same-dtype cast is a copy: storage is immutable, so the copy shares the data
    if (x.dtype === dtype) return this.track(this.view(x.handle as Handle, x.shape, dtype));
    const out = this.exec1(key('cast', x.dtype, dtype), () => castGraph(x.dtype, dtype), [this.in(x, [n])]);
    return this.view(out, x.shape, dtype);
  }

  // ---- elementwise ---------------------------------------------------------------------

  unary(op: UnaryOp, x: TensorInfo): unknown {
    const n = sizeOf(x.shape);
    const outType = unaryYieldsBool(op) ? 'bool' : x.dtype;
    if (n === 0) return this.host(x.shape, outType);
    const out = this.exec1(key('unary', op, x.dtype), () => unaryGraph(op, x.dtype), [this.in(x, [n])]);
    return this.view(out, x.shape, outType);
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown {
    const outType = COMPARISON_OPS.has(op) ? 'bool' : a.dtype;
    const n = sizeOf(outShape);
    if (n === 0) return this.host(outShape, outType);
    const same = (s: Shape) => s.length === outShape.length && s.every((d, i) => d === outShape[i]);
    if (same(a.shape) && same(b.shape)) {
      // one shape-agnostic session per (op, dtype) for the common same-shape case
      const k = key('binary-flat', op, a.dtype);
      const out = this.exec1(k, () => binaryGraph(op, a.dtype, [n], [n], [n], true), [
        this.in(a, [n]),
        this.in(b, [n]),
      ]);
      return this.view(out, outShape, outType);
    }
    const k = key('binary', op, a.dtype, a.shape, b.shape, outShape);
    return this.exec1(k, () => binaryGraph(op, a.dtype, a.shape, b.shape, outShape, false), [
      this.in(a),
      this.in(b),
    ]);
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown {
    if (sizeOf(outShape) === 0) return this.host(outShape, a.dtype);
    const k = key('where', a.dtype, cond.shape, a.shape, b.shape, outShape);
    return this.exec1(k, () => whereGraph(a.dtype, cond.shape, a.shape, b.shape, outShape), [
      this.in(cond),
      this.in(a),
      this.in(b),
    ]);
  }

  // ---- reductions ----------------------------------------------------------------------

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): unknown {
    const outShape = x.shape.filter((_, i) => !axes.includes(i));
    const outType = reduceOutDType(op, x.dtype);
    if (sizeOf(outShape) === 0) return this.host(outShape, outType);
    if (sizeOf(x.shape) === 0) return this.host(outShape, outType, reduceIdentity(op));
    const k = key('reduce', op, x.dtype, x.shape, axes);
    return this.exec1(k, () => reduceGraph(op, x.dtype, x.shape, axes), [this.in(x)]);
  }

  // ---- movement ------------------------------------------------------------------------

  permute(x: TensorInfo, perm: readonly number[]): unknown {
    const outShape = perm.map((p) => x.shape[p]);
    if (sizeOf(outShape) === 0) return this.host(outShape, x.dtype);
    return this.exec1(key('permute', x.dtype, x.shape, perm), () => permuteGraph(x.dtype, x.shape, perm), [
      this.in(x),
    ]);
  }

  expand(x: TensorInfo, shape: Shape): unknown {
    if (sizeOf(shape) === 0) return this.host(shape, x.dtype);
    return this.exec1(key('expand', x.dtype, x.shape, shape), () => expandGraph(x.dtype, x.shape, shape), [
      this.in(x),
    ]);
  }

  slice(
    x: TensorInfo,
    begin: readonly number[],
    sizes: readonly number[],
    steps: readonly number[],
  ): unknown {
    if (sizeOf(sizes) === 0) return this.host(sizes, x.dtype);
    // ONNX cannot slice a 0-d tensor; the only slice of a scalar is the scalar itself.
    if (x.shape.length === 0) return this.track(this.view(x.handle as Handle, x.shape, x.dtype));
    const k = key('slice', x.dtype, x.shape, begin, sizes, steps);
    return this.exec1(k, () => sliceGraph(x.dtype, x.shape, begin, sizes, steps), [this.in(x)]);
  }

  pad(x: TensorInfo, pads: readonly (readonly [number, number])[], value: number): unknown {
    const outShape = x.shape.map((d, i) => d + pads[i][0] + pads[i][1]);
    if (sizeOf(outShape) === 0) return this.host(outShape, x.dtype);
    if (sizeOf(x.shape) === 0) return this.host(outShape, x.dtype, value);
    if (x.shape.length === 0) return this.track(this.view(x.handle as Handle, x.shape, x.dtype));
    const k = key('pad', x.dtype, x.shape, pads.flat());
    const v = this.tensor(convert(Float64Array.of(value), x.dtype), [], x.dtype);
    return this.exec1(k, () => padGraph(x.dtype, x.shape, pads), [this.in(x), v]);
  }

  gather(x: TensorInfo, axis: number, index: TensorInfo): unknown {
    checkIndices('gather', this.hostData(index.handle as Handle), x.shape[axis], axis);
    if (sizeOf(index.shape) === 0) return this.host(index.shape, x.dtype);
    const k = key('gather', x.dtype, x.shape, axis, index.shape);
    return this.exec1(k, () => gatherGraph(x.dtype, x.shape, axis, index.shape), [
      this.in(x),
      this.in(index),
    ]);
  }

  scatterAdd(target: TensorInfo, axis: number, index: TensorInfo, src: TensorInfo): unknown {
    checkIndices('scatterAdd', this.hostData(index.handle as Handle), target.shape[axis], axis);
    if (sizeOf(index.shape) === 0 || sizeOf(target.shape) === 0) {
      return this.track(this.view(target.handle as Handle, target.shape, target.dtype));
    }
    const k = key('scatterAdd', target.dtype, target.shape, axis, index.shape);
    return this.exec1(k, () => scatterAddGraph(target.dtype, target.shape, axis, index.shape), [
      this.in(target),
      this.in(index),
      this.in(src, index.shape),
    ]);
  }

  // ---- fused kernels -------------------------------------------------------------------

  matmul(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean): unknown {
    const as3 = to3d(a.shape);
    const bs3 = to3d(b.shape);
    const M = transA ? as3[2] : as3[1];
    const N = transB ? bs3[1] : bs3[2];
    const K = transA ? as3[1] : as3[2];
    const outShape = [Math.max(as3[0], bs3[0]), M, N];
    if (sizeOf(outShape) === 0 || K === 0) return this.host(outShape, a.dtype);
    const k = key('matmul', a.dtype, as3, bs3, transA, transB);
    return this.exec1(k, () => matmulGraph(a.dtype, as3, bs3, transA, transB), [
      this.in(a, as3),
      this.in(b, bs3),
    ]);
  }

  concat(xs: readonly TensorInfo[], axis: number): unknown {
    const outShape = xs[0].shape.slice();
    outShape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
    const parts = xs.filter((x) => sizeOf(x.shape) > 0);
    if (sizeOf(outShape) === 0 || parts.length === 0) return this.host(outShape, xs[0].dtype);
    const shapes = parts.map((x) => x.shape);
    const k = key(
      'concat',
      xs[0].dtype,
      axis,
      shapes.map((s) => s.join('x')),
    );
    return this.exec1(
      k,
      () => concatGraph(xs[0].dtype, shapes, axis),
      parts.map((x) => this.in(x)),
    );
  }

  softmax(x: TensorInfo, axis: number): unknown {
    return this.softmaxLike(x, axis, false);
  }

  logSoftmax(x: TensorInfo, axis: number): unknown {
    return this.softmaxLike(x, axis, true);
  }

  private softmaxLike(x: TensorInfo, axis: number, log: boolean): unknown {
    if (sizeOf(x.shape) === 0) return this.host(x.shape, x.dtype);
    const k = key(log ? 'logSoftmax' : 'softmax', x.dtype, x.shape, axis);
    return this.exec1(k, () => softmaxGraph(x.dtype, x.shape, axis, log), [this.in(x)]);
  }

  conv2d(x: TensorInfo, w: TensorInfo, p: Conv2dParams): unknown {
    requireFloat32('conv2d', x.dtype);
    const k = key('conv2d', x.shape, w.shape, convKey(p));
    return this.exec1(k, () => conv2dGraph(x.shape, w.shape, p), [this.in(x), this.in(w)]);
  }

  conv2dBackwardInput(dy: TensorInfo, w: TensorInfo, xShape: Shape, p: Conv2dParams): unknown {
    requireFloat32('conv2dBackwardInput', dy.dtype);
    const k = key('conv2dBackwardInput', dy.shape, w.shape, xShape, convKey(p));
    return this.exec1(k, () => conv2dBackwardInputGraph(dy.shape, w.shape, xShape, p), [
      this.in(dy),
      this.in(w),
    ]);
  }

  conv2dBackwardFilter(x: TensorInfo, dy: TensorInfo, wShape: Shape, p: Conv2dParams): unknown {
    requireFloat32('conv2dBackwardFilter', x.dtype);
    const k = key('conv2dBackwardFilter', x.shape, dy.shape, wShape, convKey(p));
    return this.exec1(k, () => conv2dBackwardFilterGraph(x.shape, dy.shape, wShape, p), [
      this.in(x),
      this.in(dy),
    ]);
  }

  maxPool2d(x: TensorInfo, p: Pool2dParams): [unknown, unknown] {
    const k = key('maxPool2d', x.dtype, x.shape, poolKey(p));
    const [values, indices] = this.exec(k, () => maxPool2dGraph(x.dtype, x.shape, p), [this.in(x)]);
    return [values, indices];
  }

  avgPool2d(x: TensorInfo, p: Pool2dParams): unknown {
    requireFloat32('avgPool2d', x.dtype);
    const k = key('avgPool2d', x.shape, poolKey(p));
    return this.exec1(k, () => avgPool2dGraph(x.shape, p), [this.in(x)]);
  }

  // ---- lifecycle -----------------------------------------------------------------------

  memory(): BackendMemory {
    return { numBuffers: this.numBuffers, numBytes: this.numBytes, sessions: this.cache.size };
  }

  destroy(): void {
    this.cache.dispose();
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

/**
 * Index bounds are checked on the host (the data is in CPU memory anyway): ORT would fail
 * with an obscure message, or wrap negative indices silently.
 */
function checkIndices(op: string, data: TypedArray | undefined, size: number, axis: number): void {
  if (!data) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < 0 || v >= size) {
      throw new Error(`${op}: index ${v} is out of bounds for dim ${axis} with size ${size}`);
    }
  }
}
