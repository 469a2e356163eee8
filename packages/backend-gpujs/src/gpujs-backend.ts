import {
  type Backend,
  type BackendMemory,
  type BinaryOp,
  COMPARISON_OPS,
  type Conv2dParams,
  conv2dGeometry,
  conv2dOutputShape,
  type DType,
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
  checkIntFits,
  checkIntReduce,
  checkIntResult,
  checkReduceRange,
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
import { INT_EXACT, type Split, textureDims } from './limits.js';
import { type Runner, reduceLong, softmaxLong, sumSplit } from './multipass.js';
import { GpuData } from './storage.js';
import { warmup } from './warmup.js';

const data = (x: TensorInfo): GpuData => x.handle as GpuData;

/** int32 binary ops whose result can pass 2^24 in magnitude when the operands do not. */
const INT_GROWS: ReadonlySet<BinaryOp> = new Set<BinaryOp>(['add', 'sub', 'mul', 'pow']);

/** Kernel-cache and environment report of {@link GpujsBackend.stats}. */
export interface GpujsStats {
  /** Kernels compiled so far (one per distinct op, shapes, dtypes and attributes). */
  compiles: number;
  /** Kernel lookups served from the cache. */
  cacheHits: number;
  /** Kernels destroyed to keep the cache within `maxKernels` (least recently used first). */
  evictions: number;
  /** Compiled kernels held now, and the most kept. */
  kernels: number;
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
  /** The backend as the multi-pass helpers use it. */
  private readonly passes: Runner = {
    run: (spec, n, dtype, args) => this.run(spec, n, dtype, args),
    free: (d) => this.disposeData(d),
  };

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

  /** Changes the kernel-cache limit; least recently used kernels beyond it are destroyed now. */
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
    return dtype === 'float32' || dtype === 'int32' || dtype === 'bool';
  }

  // ---- storage ---------------------------------------------------------------------------

  private track(d: GpuData): GpuData {
    this.numBuffers++;
    this.numBytes += d.bytes;
    return d;
  }

  /** Runs `spec` into a new tensor of `n` elements and `dtype`. */
  private run(spec: KernelSpec, n: number, dtype: DType, args: readonly unknown[]): GpuData {
    if (n === 0) return this.track(new GpuData(null, 0, dtype));
    this.checkSize(n);
    let out = this.ctx.run(spec, n, args) as GpuData['data'];
    // the CPU fallback may hand back its internal buffer: own a copy
    if (out instanceof Float32Array) out = out.slice();
    return this.track(new GpuData(out, n, dtype));
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

  write(values: TypedArray, shape: Shape, dtype: DType): unknown {
    const n = sizeOf(shape);
    if (values.length !== n) {
      throw new Error(
        `gpujs write: got ${values.length} values for shape [${shape.join(',')}] (expected ${n})`,
      );
    }
    if (!this.supportsDtype(dtype))
      throw new Error(`gpujs: dtype '${dtype}' is not supported (float32, int32, bool)`);
    const f = new Float32Array(n);
    if (dtype === 'bool') for (let i = 0; i < n; i++) f[i] = values[i] !== 0 ? 1 : 0;
    else if (dtype === 'int32') {
      for (let i = 0; i < n; i++) f[i] = Math.trunc(values[i]);
      checkIntFits('write', values);
    } else f.set(values);
    return this.run(uploadSpec, n, dtype, [f]);
  }

  read(x: TensorInfo): Promise<TypedArray> {
    return Promise.resolve(this.readSync(x));
  }

  readSync(x: TensorInfo): TypedArray {
    return data(x).read();
  }

  disposeData(handle: unknown): void {
    const d = handle as GpuData;
    this.numBuffers--;
    this.numBytes -= d.bytes;
    d.delete();
  }

  fill(shape: Shape, dtype: DType, value: number): unknown {
    if (dtype === 'int32') checkIntFits('fill', [value]);
    const v = dtype === 'bool' ? (value !== 0 ? 1 : 0) : dtype === 'int32' ? Math.trunc(value) : value;
    return this.run(fillSpec, sizeOf(shape), dtype, [v]);
  }

  cast(x: TensorInfo, dtype: DType): unknown {
    const d = data(x);
    if (dtype === 'bool' && x.dtype !== 'bool') return this.run(castSpec('bool'), d.n, dtype, [d.arg]);
    if (dtype === 'int32' && x.dtype === 'float32') {
      checkCastToInt(this.passes, d);
      return this.run(castSpec('int32'), d.n, dtype, [d.arg]);
    }
    // bool→int/float, int→float and same-dtype casts keep the values: share the texture
    return this.track(d.share(dtype));
  }

  // ---- elementwise -----------------------------------------------------------------------

  unary(op: UnaryOp, x: TensorInfo): unknown {
    const dtype = op === 'isnan' || op === 'logicalNot' ? 'bool' : x.dtype;
    return this.run(unarySpec(op), data(x).n, dtype, [data(x).arg]);
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown {
    const dtype = COMPARISON_OPS.has(op) ? 'bool' : a.dtype;
    const out = this.run(binarySpec(op, a.dtype, a.shape, b.shape, outShape), sizeOf(outShape), dtype, [
      data(a).arg,
      data(b).arg,
    ]);
    // integer results that can grow past what float32 holds exactly (div, max, min cannot)
    if (dtype === 'int32' && INT_GROWS.has(op)) this.checked(out, () => checkIntResult(this.passes, op, out));
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
    const dtype: DType =
      arg || ((op === 'sum' || op === 'prod') && x.dtype !== 'float32') ? 'int32' : x.dtype;
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
    if (target.dtype !== 'int32') return out;
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
   * `kernelEvictions`) and `mode`.
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
      mode: this.ctx.mode,
    };
  }

  destroy(): void {
    this.ctx.destroy();
    this.numBuffers = 0;
    this.numBytes = 0;
  }
}
