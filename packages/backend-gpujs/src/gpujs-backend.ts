import {
  type Backend,
  type BackendMemory,
  type BinaryOp,
  COMPARISON_OPS,
  type Conv2dParams,
  checkStridedView,
  conv2dGeometry,
  conv2dOutputShape,
  type DataArray,
  type DType,
  LruMap,
  type Pool2dParams,
  pool2dOutputShape,
  type ReduceOp,
  type Shape,
  sizeOf,
  type TensorInfo,
  type TypedArray,
  type UnaryOp,
} from '@proj/core';
import { type ContextOptions, GpujsContext, type GpujsMode, type KernelSpec } from './context.js';
import {
  checkCastToInt,
  checkCastToUint8,
  checkIntFits,
  checkIntReduce,
  checkIntResult,
  checkReduceRange,
  int64Floats,
} from './int-exact.js';
import { conv2dBackwardFilterSpec, conv2dBackwardInputSpec, conv2dSpec, tapLoops } from './kernels/conv2d.js';
import {
  binarySpec,
  castSpec,
  copySpec,
  fillSpec,
  unarySpec,
  uploadSpec,
  whereSpec,
} from './kernels/elementwise.js';
import { gatherSpec, scatterAddSpec } from './kernels/indexing.js';
import { matmulSpec } from './kernels/matmul.js';
import { CONCAT_MAX, concatSpec, expandSpec, padSpec, permuteSpec, sliceSpec } from './kernels/movement.js';
import { avgPool2dSpec, maxPool2dSpec } from './kernels/pool2d.js';
import { SOFTMAX_FUSED_MAX, softmaxSpec } from './kernels/softmax.js';
import {
  asStridedScatterSpec,
  asStridedSpec,
  inverseMap,
  isWholeBuffer,
  planInverse,
  scatterMapSpec,
} from './kernels/strided.js';
import { INT_EXACT, type Split, textureDims } from './limits.js';
import { type Runner, reduceLong, softmaxLong, sumSplit } from './multipass.js';
import { GpuData } from './storage.js';
import { warmup } from './warmup.js';

const data = (x: TensorInfo): GpuData => x.handle as GpuData;
/** The integer dtypes, all kept as exact integers in float32 textures. */
const isIntType = (d: DType): boolean => d === 'int32' || d === 'int64' || d === 'uint8';

/** int32 binary ops whose result can pass 2^24 in magnitude when the operands do not. */
const INT_GROWS: ReadonlySet<BinaryOp> = new Set<BinaryOp>(['add', 'sub', 'mul', 'pow']);

/**
 * Inverse maps of write-through views kept as textures (one per view geometry whose strides do
 * not separate its elements by division), and the most texture bytes they may hold together.
 */
export const STRIDED_MAP_ENTRIES = 16;
export const STRIDED_MAP_BYTES = 64 * 2 ** 20;

/** Kernel-cache and environment report of {@link GpujsBackend.stats}. */
export interface GpujsStats {
  /** Kernels compiled so far (one per distinct op, shapes, dtypes and attributes). */
  compiles: number;
  /** Kernel lookups served from the cache. */
  cacheHits: number;
  /** Kernels destroyed to keep the cache within `maxKernels` (least recently used first). */
  evictions: number;
  /** Compiled kernels held now. */
  kernels: number;
  /** The most compiled kernels kept (`maxKernels` option, `PROJ_GPUJS_MAX_KERNELS`, or 256). */
  maxKernels: number;
  /** The gpu.js mode actually running. */
  mode: GpujsMode;
  /** GL renderer, version and, in Node, the Mesa driver (e.g. llvmpipe). */
  renderer: string;
}

/**
 * The gpu.js backend: tensors live on the GPU as gpu.js textures (float32, one value per
 * texel) and every primitive, plus fused matmul, concat, softmax/logSoftmax, conv2d (and both
 * backward kernels) and pooling, runs as a gpu.js kernel compiled once per op, shapes, dtypes
 * and attributes. Data crosses to the CPU only in `read`/`readSync`.
 *
 * int32 and bool are stored as floats: exact for |values| up to 2^24. float64 is not
 * supported. In Node it needs headless-gl (`gl`) and an X server (Xvfb); without them gpu.js
 * falls back to its CPU mode, which is announced with a warning, or refused when
 * `PROJ_GPUJS_REQUIRE_GL=1`.
 *
 * @example
 * ```ts
 * import '@proj/backend-gpujs';
 * setBackend('gpujs');
 * ```
 */
export class GpujsBackend implements Backend {
  readonly name = 'gpujs';
  private readonly ctx: GpujsContext;
  private numBuffers = 0;
  private numBytes = 0;
  /** Inverse-map textures of write-through views by geometry (not tensor buffers: counted apart). */
  private readonly maps = new LruMap<{ key: string; data: GpuData }>(STRIDED_MAP_ENTRIES, (e) => {
    this.mapBytes -= e.data.bytes;
    e.data.delete();
  });
  private mapBytes = 0;
  /** The backend as the multi-pass helpers use it. */
  private readonly passes: Runner = {
    run: (spec, n, dtype, args) => this.run(spec, n, dtype, args),
    free: (d) => this.disposeData(d),
  };

  /**
   * Starts gpu.js in the best mode available (or `opts.mode`) with its kernel cache (see
   * {@link ContextOptions}). Without WebGL it falls back to gpu.js's CPU mode with a warning.
   *
   * @throws Error if `maxKernels` (or `PROJ_GPUJS_MAX_KERNELS`) is not an integer >= 1, or if
   * WebGL cannot start while `PROJ_GPUJS_REQUIRE_GL=1` forbids the CPU fallback (the message
   * says why: no `gl` package, no X server, …).
   */
  constructor(opts: ContextOptions = {}) {
    this.ctx = new GpujsContext(opts);
  }

  /** The gpu.js mode running: 'headlessgl', 'webgl2', 'webgl' or the 'cpu' fallback. */
  get mode(): GpujsMode {
    return this.ctx.mode;
  }

  /** The context's MAX_TEXTURE_SIZE; tensors hold at most its square of elements. */
  get maxTextureSize(): number {
    return this.ctx.maxTextureSize;
  }

  /** Most compiled kernels kept (option `maxKernels`, env `PROJ_GPUJS_MAX_KERNELS`, default 256). */
  get maxKernels(): number {
    return this.ctx.maxKernels;
  }

  /**
   * Changes the kernel-cache limit; least recently used kernels beyond it are destroyed now.
   *
   * @throws Error if `n` is not an integer >= 1.
   */
  setMaxKernels(n: number): void {
    this.ctx.setMaxKernels(n);
  }

  /** Compile count, cache hits and evictions, cache size, mode and renderer. */
  stats(): GpujsStats {
    return {
      compiles: this.ctx.compiles,
      cacheHits: this.ctx.cacheHits,
      evictions: this.ctx.evictions,
      kernels: this.ctx.numKernels,
      maxKernels: this.ctx.maxKernels,
      mode: this.ctx.mode,
      renderer: this.ctx.renderer,
    };
  }

  /**
   * Runs one forward and backward pass of `model` on `input` so every kernel of a training
   * step is compiled before timing starts; parameter gradients are cleared afterwards.
   */
  async warmup(model: Parameters<typeof warmup>[0], input: Parameters<typeof warmup>[1]): Promise<void> {
    warmup(model, input);
    await Promise.resolve();
  }

  supportsDtype(dtype: DType): boolean {
    return dtype === 'float32' || isIntType(dtype) || dtype === 'bool';
  }

  // ---- storage ---------------------------------------------------------------------------

  private track(d: GpuData): GpuData {
    this.numBuffers++;
    this.numBytes += d.bytes;
    return d;
  }

  /** Runs `spec` into a new tensor of `n` elements and `dtype`. */
  private run(spec: KernelSpec, n: number, dtype: DType, args: readonly unknown[]): GpuData {
    return this.track(this.compute(spec, n, dtype, args));
  }

  /** {@link run} without counting the result as a tensor buffer (the backend's own textures). */
  private compute(spec: KernelSpec, n: number, dtype: DType, args: readonly unknown[]): GpuData {
    if (n === 0) return new GpuData(null, 0, dtype);
    this.checkSize(n);
    let out = this.ctx.run(spec, n, args) as GpuData['data'];
    // the CPU fallback may hand back its internal buffer: own a copy
    if (out instanceof Float32Array) out = out.slice();
    return new GpuData(out, n, dtype);
  }

  private checkSize(n: number): void {
    const max = this.ctx.maxTextureSize;
    const [w, h] = textureDims(n);
    if (w > max || h > max) {
      throw new Error(
        `gpujs: a tensor of ${n} elements exceeds the largest texture (laid out as ${w}x${h}; MAX_TEXTURE_SIZE ${max}, at most ${max}x${max} = ${max * max} elements)`,
      );
    }
  }

  write(values: DataArray, shape: Shape, dtype: DType): unknown {
    const n = sizeOf(shape);
    if (values.length !== n) {
      throw new Error(
        `gpujs write: got ${values.length} values for shape [${shape.join(',')}] (expected ${n})`,
      );
    }
    if (!this.supportsDtype(dtype))
      throw new Error(`gpujs: dtype '${dtype}' is not supported (float32, int32, int64, uint8, bool)`);
    if (values instanceof BigInt64Array)
      return this.run(uploadSpec, n, dtype, [int64Floats('write', values)]);
    const f = new Float32Array(n);
    if (dtype === 'bool') for (let i = 0; i < n; i++) f[i] = values[i] !== 0 ? 1 : 0;
    else if (isIntType(dtype)) {
      for (let i = 0; i < n; i++) f[i] = Math.trunc(values[i]);
      checkIntFits('write', values, dtype);
    } else f.set(values);
    return this.run(uploadSpec, n, dtype, [f]);
  }

  read(x: TensorInfo): Promise<TypedArray> {
    return Promise.resolve(this.readSync(x));
  }

  /**
   * The values in their dtype's array. Typed as a number array for direct callers (the Backend
   * interface says DataArray): an int64 tensor's come back as a BigInt64Array.
   */
  readSync(x: TensorInfo): TypedArray {
    return data(x).read() as TypedArray;
  }

  disposeData(handle: unknown): void {
    const d = handle as GpuData;
    this.numBuffers--;
    this.numBytes -= d.bytes;
    d.delete();
  }

  fill(shape: Shape, dtype: DType, value: number): unknown {
    if (isIntType(dtype)) checkIntFits('fill', [value], dtype);
    const v = dtype === 'bool' ? (value !== 0 ? 1 : 0) : isIntType(dtype) ? Math.trunc(value) : value;
    return this.run(fillSpec, sizeOf(shape), dtype, [v]);
  }

  cast(x: TensorInfo, dtype: DType): unknown {
    const d = data(x);
    if (dtype === 'bool' && x.dtype !== 'bool') return this.run(castSpec('bool'), d.n, dtype, [d.arg]);
    if (dtype === 'uint8') checkCastToUint8(d);
    if (isIntType(dtype) && x.dtype === 'float32') {
      checkCastToInt(this.passes, d, dtype);
      return this.run(castSpec('int32'), d.n, dtype, [d.arg]);
    }
    // bool→int/float, int→float, int→int (all exact here, uint8 checked above) and same-dtype
    // casts keep the values: share the texture
    return this.track(d.share(dtype));
  }

  // ---- elementwise -----------------------------------------------------------------------

  unary(op: UnaryOp, x: TensorInfo): unknown {
    const dtype = op === 'isnan' || op === 'logicalNot' ? 'bool' : x.dtype;
    const out = this.run(unarySpec(op), data(x).n, dtype, [data(x).arg]);
    // uint8 negation leaves 0..255 for anything but 0 (PyTorch would wrap it around)
    if (dtype === 'uint8' && op === 'neg') this.checked(out, () => checkIntResult(this.passes, op, out));
    return out;
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown {
    const dtype = COMPARISON_OPS.has(op) ? 'bool' : a.dtype;
    const out = this.run(binarySpec(op, a.dtype, a.shape, b.shape, outShape), sizeOf(outShape), dtype, [
      data(a).arg,
      data(b).arg,
    ]);
    // integer results that can grow past what float32 holds exactly (div, max, min cannot)
    if (isIntType(dtype) && INT_GROWS.has(op)) this.checked(out, () => checkIntResult(this.passes, op, out));
    return out;
  }

  /** Runs `check` on a fresh result, freeing the result when it throws. */
  private checked(out: GpuData, check: () => void): GpuData {
    try {
      check();
    } catch (e) {
      this.disposeData(out);
      throw e;
    }
    return out;
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown {
    return this.run(whereSpec(cond.shape, a.shape, b.shape, outShape), sizeOf(outShape), a.dtype, [
      data(cond).arg,
      data(a).arg,
      data(b).arg,
    ]);
  }

  // ---- reductions ------------------------------------------------------------------------

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): unknown {
    const arg = op === 'argmax' || op === 'argmin';
    // int64 sums and products stay int64; bool/uint8/int32 ones are int32, arg-reductions too
    const sumLike = (op === 'sum' || op === 'prod') && x.dtype !== 'float32';
    const dtype: DType = arg || (sumLike && x.dtype !== 'int64') ? 'int32' : x.dtype;
    const outShape = x.shape.filter((_, d) => !axes.includes(d));
    const n = sizeOf(outShape);
    const R = axes.reduce((acc, d) => acc * x.shape[d], 1);
    // No output (an empty kept dim), or nothing to reduce: no kernel to run.
    if (n === 0 || R === 0) {
      const identity = { sum: 0, prod: 1, max: -Infinity, min: Infinity, argmax: 0, argmin: 0 }[op];
      return this.fill(outShape, dtype, identity);
    }
    checkReduceRange(op, x.dtype, R);
    const out = reduceLong(this.passes, op, data(x), x.shape, axes, dtype);
    return this.checked(out, () => checkIntReduce(this.passes, op, data(x), x.shape, axes, out));
  }

  // ---- movement --------------------------------------------------------------------------

  permute(x: TensorInfo, perm: readonly number[]): unknown {
    if (perm.every((p, i) => p === i || x.shape[p] === 1)) return this.track(data(x).share());
    return this.run(permuteSpec(x.shape, perm), data(x).n, x.dtype, [data(x).arg]);
  }

  expand(x: TensorInfo, shape: Shape): unknown {
    if (sizeOf(shape) === data(x).n) return this.track(data(x).share());
    return this.run(expandSpec(x.shape, shape), sizeOf(shape), x.dtype, [data(x).arg]);
  }

  slice(
    x: TensorInfo,
    begin: readonly number[],
    sizes: readonly number[],
    steps: readonly number[],
  ): unknown {
    if (sizeOf(sizes) === data(x).n) return this.track(data(x).share());
    return this.run(sliceSpec(x.shape, begin, sizes, steps), sizeOf(sizes), x.dtype, [data(x).arg]);
  }

  pad(x: TensorInfo, pads: readonly (readonly [number, number])[], value: number): unknown {
    const outShape = x.shape.map((s, d) => s + pads[d][0] + pads[d][1]);
    if (data(x).n === 0) return this.fill(outShape, x.dtype, value);
    return this.run(padSpec(x.shape, pads), sizeOf(outShape), x.dtype, [data(x).arg, value]);
  }

  gather(x: TensorInfo, axis: number, index: TensorInfo): unknown {
    this.checkIndex('gather', index, axis, x.shape.length === 0 ? 1 : x.shape[axis]);
    return this.run(gatherSpec(x.shape, axis, index.shape), data(index).n, x.dtype, [
      data(x).arg,
      data(index).arg,
    ]);
  }

  scatterAdd(target: TensorInfo, axis: number, index: TensorInfo, src: TensorInfo): unknown {
    this.checkIndex('scatterAdd', index, axis, target.shape.length === 0 ? 1 : target.shape[axis]);
    if (data(index).n === 0) return this.track(data(target).share());
    const make = (s?: Split) => scatterAddSpec(target.shape, axis, index.shape, s);
    const out = sumSplit(this.passes, make, index.shape[axis] ?? 1, 1, data(target).n, target.dtype, [
      data(target).arg,
      data(index).arg,
      data(src).arg,
    ]);
    if (!isIntType(target.dtype)) return out;
    return this.checked(out, () => checkIntResult(this.passes, 'scatterAdd', out));
  }

  /** Index values are data, so range errors need a read-back (index tensors are small). */
  private checkIndex(op: string, index: TensorInfo, axis: number, size: number): void {
    for (const k of data(index).read()) {
      if (k < 0 || k >= size) {
        throw new Error(
          `${op}: index ${k} is out of range for axis ${axis} of size ${size} (expected 0 <= index < ${size})`,
        );
      }
    }
  }

  // ---- strided views ---------------------------------------------------------------------

  /**
   * A gather computed from the output index, no loop: the source element is
   * `offset + Σ c_d·strides[d]` over the output coordinates (see kernels/strided.ts). The
   * buffer is read flat, whatever shape its handle was made with.
   */
  asStrided(x: TensorInfo, shape: Shape, strides: readonly number[], offset: number): unknown {
    const d = data(x);
    const n = sizeOf(shape);
    checkStridedView('asStrided', d.n, shape, strides, offset);
    if (n === 0) return this.track(new GpuData(null, 0, x.dtype));
    if (isWholeBuffer(d.n, shape, strides, offset)) return this.track(d.share());
    this.checkViewExact('asStrided', d.n, n);
    return this.run(asStridedSpec(d.n, shape, strides, offset), n, x.dtype, [d.arg]);
  }

  /**
   * Each buffer element decides whether the view covers it: by division when the view's strides
   * separate its elements (transpose, narrow, select, steps), else through an inverse map
   * (position → view element or -1) computed here and kept as a texture per geometry.
   */
  asStridedScatter(
    base: TensorInfo,
    src: TensorInfo,
    shape: Shape,
    strides: readonly number[],
    offset: number,
  ): unknown {
    const b = data(base);
    const s = data(src);
    const n = sizeOf(shape);
    checkStridedView('asStridedScatter', b.n, shape, strides, offset);
    if (n === 0) return this.track(b.share());
    if (isWholeBuffer(b.n, shape, strides, offset)) return this.track(s.share(base.dtype));
    this.checkViewExact('asStridedScatter', b.n, n);
    const plan = planInverse(shape, strides);
    if (plan) return this.run(asStridedScatterSpec(b.n, n, plan, offset), b.n, base.dtype, [b.arg, s.arg]);
    const map = this.inverseMap(b.n, shape, strides, offset);
    return this.run(scatterMapSpec, b.n, base.dtype, [b.arg, s.arg, map.arg]);
  }

  /** Views index their buffer in float32 texels: integers are exact only below 2^24. */
  private checkViewExact(op: string, length: number, n: number): void {
    if (length >= INT_EXACT || n >= INT_EXACT) {
      throw new Error(
        `gpujs ${op}: a view of ${n} elements of a buffer of ${length} elements exceeds the kernels' exact index range (2^24 = ${INT_EXACT}); use the cpu or onnx backend for this size`,
      );
    }
  }

  /** The inverse map of a view as a texture, from the bounded cache or uploaded now. */
  private inverseMap(length: number, shape: Shape, strides: readonly number[], offset: number): GpuData {
    const key = `${length}|${shape.join(',')}|${strides.join(',')}|${offset}`;
    const hit = this.maps.get(key);
    if (hit) return hit.data;
    const map = this.compute(uploadSpec, length, 'float32', [inverseMap(length, shape, strides, offset)]);
    this.maps.set(key, { key, data: map });
    this.mapBytes += map.bytes;
    // past the byte budget: release the least recently used maps, never the one just made
    for (const e of [...this.maps.values()]) {
      if (this.mapBytes <= STRIDED_MAP_BYTES || e.key === key) break;
      this.maps.evict(e.key);
    }
    return map;
  }

  // ---- fused kernels ---------------------------------------------------------------------

  matmul(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean): unknown {
    const as = a.shape;
    const bs = b.shape;
    const M = transA ? as[as.length - 1] : as[as.length - 2];
    const K = transA ? as[as.length - 2] : as[as.length - 1];
    const N = transB ? bs[bs.length - 2] : bs[bs.length - 1];
    const Ba = sizeOf(as.slice(0, -2));
    const Bb = sizeOf(bs.slice(0, -2));
    const n = Math.max(Ba, Bb) * M * N;
    if (K === 0) return this.fill([n], a.dtype, 0);
    this.checkExact('matmul', data(a).n, data(b).n);
    const dims = { Ba, Bb, M, K, N, transA, transB };
    return sumSplit(this.passes, (split) => matmulSpec(dims, split), K, 1, n, a.dtype, [
      data(a).arg,
      data(b).arg,
    ]);
  }

  private checkExact(op: string, ...sizes: number[]): void {
    for (const s of sizes) {
      if (s >= INT_EXACT) {
        throw new Error(
          `gpujs ${op}: operands of ${s} elements exceed the kernel's exact index range (2^24)`,
        );
      }
    }
  }

  concat(xs: readonly TensorInfo[], axis: number): unknown {
    const parts = xs.filter((x) => data(x).n > 0);
    const shape = xs[0].shape.slice();
    shape[axis] = xs.reduce((acc, x) => acc + x.shape[axis], 0);
    if (parts.length === 0) return this.track(new GpuData(null, 0, xs[0].dtype));
    if (parts.length === 1) return this.track(data(parts[0]).share());
    if (parts.length > CONCAT_MAX) {
      // join in groups, then join the groups (concat is associative)
      const groups: TensorInfo[] = [];
      for (let i = 0; i < parts.length; i += CONCAT_MAX) {
        const g = parts.slice(i, i + CONCAT_MAX);
        const gs = g[0].shape.slice();
        gs[axis] = g.reduce((acc, x) => acc + x.shape[axis], 0);
        groups.push({ handle: this.concat(g, axis), shape: gs, dtype: xs[0].dtype });
      }
      const out = this.concat(groups, axis);
      for (const g of groups) this.disposeData(g.handle);
      return out;
    }
    return this.run(
      concatSpec(
        parts.map((x) => x.shape),
        axis,
      ),
      sizeOf(shape),
      xs[0].dtype,
      parts.map((x) => data(x).arg),
    );
  }

  softmax(x: TensorInfo, axis: number): unknown {
    return this.softmaxAny(x, axis, false);
  }

  logSoftmax(x: TensorInfo, axis: number): unknown {
    return this.softmaxAny(x, axis, true);
  }

  private softmaxAny(x: TensorInfo, axis: number, log: boolean): GpuData {
    if (x.shape[axis] > SOFTMAX_FUSED_MAX) return softmaxLong(this.passes, data(x), x.shape, axis, log);
    return this.run(softmaxSpec(x.shape, axis, log), data(x).n, x.dtype, [data(x).arg]);
  }

  conv2d(x: TensorInfo, w: TensorInfo, p: Conv2dParams): unknown {
    const n = sizeOf(conv2dOutputShape(x.shape, w.shape, p));
    this.checkExact('conv2d', data(x).n, data(w).n, n);
    const g = conv2dGeometry(x.shape, w.shape, p);
    return sumSplit(
      this.passes,
      (s) => conv2dSpec(x.shape, w.shape, p, s),
      g.Cg,
      tapLoops(g.kH, g.kW),
      n,
      x.dtype,
      [data(x).arg, data(w).arg],
    );
  }

  conv2dBackwardInput(dy: TensorInfo, w: TensorInfo, xShape: Shape, p: Conv2dParams): unknown {
    this.checkExact('conv2dBackwardInput', data(dy).n, data(w).n, sizeOf(xShape));
    const g = conv2dGeometry(xShape, w.shape, p);
    const make = (s?: Split) => conv2dBackwardInputSpec(xShape, w.shape, p, s);
    return sumSplit(this.passes, make, g.Og, tapLoops(g.kH, g.kW), sizeOf(xShape), dy.dtype, [
      data(dy).arg,
      data(w).arg,
    ]);
  }

  conv2dBackwardFilter(x: TensorInfo, dy: TensorInfo, wShape: Shape, p: Conv2dParams): unknown {
    this.checkExact('conv2dBackwardFilter', data(x).n, data(dy).n, sizeOf(wShape));
    const g = conv2dGeometry(x.shape, wShape, p);
    const make = (s?: Split) => conv2dBackwardFilterSpec(x.shape, wShape, p, s);
    return sumSplit(this.passes, make, g.N, tapLoops(g.oH, g.oW), sizeOf(wShape), x.dtype, [
      data(x).arg,
      data(dy).arg,
    ]);
  }

  maxPool2d(x: TensorInfo, p: Pool2dParams): [unknown, unknown] {
    const n = sizeOf(pool2dOutputShape(x.shape, p));
    this.checkExact('maxPool2d', data(x).n);
    return [
      this.run(maxPool2dSpec(x.shape, p, false), n, x.dtype, [data(x).arg]),
      this.run(maxPool2dSpec(x.shape, p, true), n, 'int32', [data(x).arg]),
    ];
  }

  avgPool2d(x: TensorInfo, p: Pool2dParams): unknown {
    this.checkExact('avgPool2d', data(x).n);
    return this.run(avgPool2dSpec(x.shape, p), sizeOf(pool2dOutputShape(x.shape, p)), x.dtype, [data(x).arg]);
  }

  /** A fresh copy of `x` on its own texture (not shared). */
  copy(x: TensorInfo): unknown {
    return this.run(copySpec, data(x).n, x.dtype, [data(x).arg]);
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /**
   * Live storage handles and their texture bytes (RGBA float32 texels), plus `numTextures`
   * (handles owning a texture), `glTextures` (every GL texture alive in the context, gpu.js's
   * own per-kernel output and upload textures included), the kernel cache
   * (`kernelCacheEntries` = `kernels`, `kernelCacheLimit`, `kernelCompiles`,
   * `kernelEvictions`), the inverse maps of write-through views (`stridedMaps`,
   * `stridedMapBytes` of texture, `stridedMapLimit` entries; not counted in `numBuffers`) and `mode`.
   */
  memory(): BackendMemory {
    return {
      numBuffers: this.numBuffers,
      numBytes: this.numBytes,
      numTextures: this.numBuffers,
      glTextures: this.ctx.glTextures,
      kernels: this.ctx.numKernels,
      kernelCacheEntries: this.ctx.numKernels,
      kernelCacheLimit: this.ctx.maxKernels,
      kernelCompiles: this.ctx.compiles,
      kernelEvictions: this.ctx.evictions,
      stridedMaps: this.maps.size,
      stridedMapBytes: this.mapBytes,
      stridedMapLimit: this.maps.maxSize,
      mode: this.ctx.mode,
    };
  }

  destroy(): void {
    this.maps.evictAll();
    this.mapBytes = 0;
    this.ctx.destroy();
    this.numBuffers = 0;
    this.numBytes = 0;
  }
}
