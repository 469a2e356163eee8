import {
  type Backend,
  type BackendMemory,
  type BinaryOp,
  type Conv2dParams,
  type DataArray,
  type DType,
  INT64_EXACT,
  type IntDType,
  int64ToNumbers,
  narrowInt,
  type Pool2dParams,
  type ReduceOp,
  type Shape,
  sizeOf,
  type TensorInfo,
  type TypedArray,
  type UnaryOp,
} from '@proj/core';
import { binaryOp, whereOp } from './kernels/binary.js';
import { conv2dBackwardFilterOp, conv2dBackwardInputOp, conv2dOp } from './kernels/conv2d.js';
import { unaryWasm, wasmUnaryApplies } from './kernels/elementwise-wasm.js';
import { gatherOp, scatterAddOp } from './kernels/gather.js';
import { int64Reduce, intBinary, intReduce, intUnaryOf } from './kernels/int-checked.js';
import { lstmCellBackwardOp, lstmCellOp } from './kernels/lstm-cell.js';
import { matmul } from './kernels/matmul.js';
import { concatOp, expandOp, padOp, permuteOp, sliceOp } from './kernels/movement.js';
import { avgPool2dOp, maxPool2dOp } from './kernels/pool2d.js';
import { reduceDtype, reduceOp } from './kernels/reduce.js';
import { reluBackwardOp } from './kernels/relu-backward.js';
import { softmaxOp } from './kernels/softmax.js';
import { asStridedOp, asStridedScatterOp } from './kernels/strided.js';
import { unaryInto, unaryYieldsBool } from './kernels/unary.js';
import { alloc, convert, copyOf, type FloatArray } from './storage.js';
import { wasmHeapBytes } from './wasm/module.js';
import { getNumThreads, stopThreads } from './wasm/thread-pool.js';

// The storage handle is the TypedArray itself, so these casts are the whole "download". An
// int64 handle is a BigInt64Array: `arr` hands it to the kernels that only move elements (they
// copy bigints as they are); `nums` converts it for the ones that compute.
const arr = (x: TensorInfo): TypedArray => x.handle as TypedArray;
const farr = (x: TensorInfo): FloatArray => x.handle as FloatArray;
const f32 = (x: TensorInfo): Float32Array => x.handle as Float32Array;
const isInt = (d: DType): d is IntDType => d === 'int32' || d === 'int64' || d === 'uint8';

/**
 * The values to compute with: an int64 tensor's as doubles (exact within ±(2^53 - 1); `op`
 * refuses larger magnitudes instead of rounding them), any other's as they are.
 */
function nums(op: string, x: TensorInfo): TypedArray {
  const h = x.handle as DataArray;
  return h instanceof BigInt64Array ? int64ToNumbers(op, h) : h;
}

/**
 * The embedded CPU backend: dense row-major TypedArrays (Float32Array, Float64Array,
 * Int32Array, Uint8Array for bool) are the storage handles, and every primitive plus the
 * fused matmul, concat, softmax, conv2d (and its backward kernels), pooling, ReLU-gradient and LSTM-cell kernels run
 * on them synchronously, as do the strided-view reads and writes (asStrided, asStridedScatter).
 *
 * @example
 * ```ts
 * const cpu = new CpuBackend();
 * const a = cpu.write(new Float32Array([1, 2]), [2], 'float32');
 * const s = cpu.binary('add', { handle: a, shape: [2], dtype: 'float32' }, { handle: a, shape: [2], dtype: 'float32' }, [2]);
 * cpu.readSync({ handle: s, shape: [2], dtype: 'float32' }); // Float32Array [2, 4]
 * ```
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  /** Buffers are TypedArrays: the garbage collector frees them with their tensors. */
  readonly gcManaged = true;
  private numBuffers = 0;
  private numBytes = 0;

  /** Counts a new result buffer as live. */
  private track<T extends DataArray>(a: T): T {
    this.numBuffers++;
    this.numBytes += a.byteLength;
    return a;
  }

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

  // ---- storage ---------------------------------------------------------------------------

  write(values: DataArray, shape: Shape, dtype: DType): unknown {
    const n = sizeOf(shape);
    if (values.length !== n) {
      throw new Error(
        `cpu write: got ${values.length} values for shape [${shape.join(',')}] (expected ${n})`,
      );
    }
    // Always a copy: core may keep using the array it passed.
    return this.track(convert(values, dtype));
  }

  read(x: TensorInfo): Promise<DataArray> {
    return Promise.resolve(this.readSync(x));
  }

  /** A copy of the values in their dtype's array (a BigInt64Array for int64). */
  readSync(x: TensorInfo): DataArray {
    return copyOf(x.handle as DataArray);
  }

  forgetData(bytes: number): void {
    this.numBuffers--;
    this.numBytes -= bytes;
  }

  disposeData(handle: unknown): void {
    this.numBuffers--;
    this.numBytes -= (handle as TypedArray).byteLength;
  }

  fill(shape: Shape, dtype: DType, value: number): unknown {
    if (dtype === 'int64') {
      // core checked that the value fits int64: every such double is a whole bigint once truncated
      const big = alloc(dtype, sizeOf(shape)) as unknown as BigInt64Array;
      if (value !== 0) big.fill(BigInt(Math.trunc(value)));
      return this.track(big);
    }
    const v = dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
    const out = alloc(dtype, sizeOf(shape));
    if (v !== 0 || Object.is(v, -0)) out.fill(v); // a new array holds +0; -0 must keep its sign
    return this.track(out);
  }

  cast(x: TensorInfo, dtype: DType): unknown {
    return this.track(convert(arr(x), dtype));
  }

  // ---- elementwise -----------------------------------------------------------------------

  unary(op: UnaryOp, x: TensorInfo): unknown {
    if (isInt(x.dtype)) return this.track(intUnaryOf(op, nums(op, x), x.dtype));
    const src = arr(x);
    const out = alloc(unaryYieldsBool(op) ? 'bool' : x.dtype, src.length);
    const wasm =
      src instanceof Float32Array &&
      wasmUnaryApplies(op, src.length) &&
      unaryWasm(op, src, out as Float32Array);
    if (!wasm) unaryInto(op, src, out);
    return this.track(out);
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown {
    if (isInt(a.dtype)) {
      return this.track(intBinary(op, nums(op, a), a.shape, nums(op, b), b.shape, outShape, a.dtype));
    }
    return this.track(binaryOp(op, arr(a), a.shape, arr(b), b.shape, outShape, a.dtype));
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown {
    return this.track(whereOp(arr(cond), cond.shape, arr(a), a.shape, arr(b), b.shape, outShape, a.dtype));
  }

  // ---- reductions ------------------------------------------------------------------------

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): unknown {
    if (x.dtype === 'int64') return this.track(int64Reduce(op, nums(op, x) as Float64Array, x.shape, axes));
    if (reduceDtype(op, x.dtype) === 'int32')
      return this.track(intReduce(op, arr(x), x.shape, axes, x.dtype));
    return this.track(reduceOp(op, arr(x), x.shape, axes, x.dtype));
  }

  // ---- movement --------------------------------------------------------------------------

  permute(x: TensorInfo, perm: readonly number[]): unknown {
    return this.track(permuteOp(arr(x), x.shape, perm));
  }

  expand(x: TensorInfo, shape: Shape): unknown {
    return this.track(expandOp(arr(x), x.shape, shape));
  }

  slice(
    x: TensorInfo,
    begin: readonly number[],
    sizes: readonly number[],
    steps: readonly number[],
  ): unknown {
    return this.track(sliceOp(arr(x), x.shape, begin, sizes, steps));
  }

  pad(x: TensorInfo, pads: readonly (readonly [number, number])[], value: number): unknown {
    if (x.dtype === 'int64' && value !== 0) {
      // padOp fills with a number; an int64 buffer takes the value as a bigint
      const out = padOp(arr(x), x.shape, pads, 0) as unknown as BigInt64Array;
      const mask = padOp(new Uint8Array(arr(x).length), x.shape, pads, 1);
      const v = BigInt(Math.trunc(value));
      for (let i = 0; i < out.length; i++) if (mask[i] !== 0) out[i] = v;
      return this.track(out);
    }
    return this.track(padOp(arr(x), x.shape, pads, value));
  }

  gather(x: TensorInfo, axis: number, index: TensorInfo): unknown {
    return this.track(gatherOp(arr(x), x.shape, axis, index.handle as Int32Array, index.shape));
  }

  scatterAdd(target: TensorInfo, axis: number, index: TensorInfo, src: TensorInfo): unknown {
    const dtype = target.dtype;
    if (dtype === 'int64' || dtype === 'uint8') {
      // summed in float64 (int64 within ±(2^53 - 1), the whole of the sums bounded there so no
      // partial sum rounds) and narrowed with a range check
      const t = nums('scatterAdd', target);
      const s = nums('scatterAdd', src);
      if (dtype === 'int64') checkSumBound('scatterAdd', t, s);
      const wide = scatterAddOp(
        Float64Array.from(t),
        target.shape,
        axis,
        index.handle as Int32Array,
        index.shape,
        s,
      );
      return this.track(narrowInt('scatterAdd', wide as Float64Array, dtype));
    }
    if (dtype === 'bool') {
      // torch adds bools as a logical or: summed wide (a byte would wrap at 256), then any → true
      const wide = scatterAddOp(
        Float64Array.from(arr(target)),
        target.shape,
        axis,
        index.handle as Int32Array,
        index.shape,
        Float64Array.from(arr(src)),
      );
      return this.track(Uint8Array.from(wide as Float64Array, (v) => (v !== 0 ? 1 : 0)));
    }
    return this.track(
      scatterAddOp(arr(target), target.shape, axis, index.handle as Int32Array, index.shape, arr(src)),
    );
  }

  // ---- strided views ---------------------------------------------------------------------

  /**
   * The buffer is read as flat whatever shape it was made with; the kernels move elements of any
   * array type, int64's BigInt64Array included (see kernels/strided.ts).
   */
  asStrided(x: TensorInfo, shape: Shape, strides: readonly number[], offset: number): unknown {
    return this.track(asStridedOp(x.handle as DataArray, shape, strides, offset));
  }

  asStridedScatter(
    base: TensorInfo,
    src: TensorInfo,
    shape: Shape,
    strides: readonly number[],
    offset: number,
  ): unknown {
    const [b, s] = [base.handle as DataArray, src.handle as DataArray];
    return this.track(asStridedScatterOp(b, s, shape, strides, offset));
  }

  // ---- fused kernels ---------------------------------------------------------------------

  matmul(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean): unknown {
    const as = a.shape;
    const bs = b.shape;
    const ra = as.length;
    const rb = bs.length;
    const M = transA ? as[ra - 1] : as[ra - 2];
    const K = transA ? as[ra - 2] : as[ra - 1];
    const N = transB ? bs[rb - 2] : bs[rb - 1];
    const Ba = ra > 2 ? sizeOf(as.slice(0, ra - 2)) : 1;
    const Bb = rb > 2 ? sizeOf(bs.slice(0, rb - 2)) : 1;
    const batch = Math.max(Ba, Bb);
    const out = alloc(a.dtype, batch * M * N) as FloatArray;
    // matmul itself handles the empty cases (no work; zeros when K is 0).
    matmul(farr(a), farr(b), out, batch, M, K, N, Ba === 1 ? 0 : M * K, Bb === 1 ? 0 : K * N, transA, transB);
    return this.track(out);
  }

  concat(xs: readonly TensorInfo[], axis: number): unknown {
    const shape = xs[0].shape.slice();
    shape[axis] = 0;
    for (const x of xs) shape[axis] += x.shape[axis];
    // int64: BigInt64Arrays, whose elements concatOp copies as they are
    const out = alloc(xs[0].dtype, sizeOf(shape));
    concatOp(
      xs.map(arr),
      xs.map((x) => x.shape),
      axis,
      out,
    );
    return this.track(out);
  }

  softmax(x: TensorInfo, axis: number): unknown {
    return this.track(softmaxOp(arr(x), x.shape, axis, false));
  }

  logSoftmax(x: TensorInfo, axis: number): unknown {
    return this.track(softmaxOp(arr(x), x.shape, axis, true));
  }

  conv2d(x: TensorInfo, w: TensorInfo, p: Conv2dParams): unknown {
    return this.track(conv2dOp(farr(x), x.shape, farr(w), w.shape, p));
  }

  conv2dBackwardInput(dy: TensorInfo, w: TensorInfo, xShape: Shape, p: Conv2dParams): unknown {
    return this.track(conv2dBackwardInputOp(farr(dy), farr(w), w.shape, xShape, p));
  }

  conv2dBackwardFilter(x: TensorInfo, dy: TensorInfo, wShape: Shape, p: Conv2dParams): unknown {
    return this.track(conv2dBackwardFilterOp(farr(x), x.shape, farr(dy), wShape, p));
  }

  maxPool2d(x: TensorInfo, p: Pool2dParams): [unknown, unknown] {
    const [values, indices] = maxPool2dOp(farr(x), x.shape, p);
    return [this.track(values), this.track(indices)];
  }

  avgPool2d(x: TensorInfo, p: Pool2dParams): unknown {
    return this.track(avgPool2dOp(farr(x), x.shape, p));
  }

  reluBackward(g: TensorInfo, y: TensorInfo): unknown {
    return this.track(reluBackwardOp(farr(g), farr(y)));
  }

  lstmCell(gates: TensorInfo, c: TensorInfo): [unknown, unknown, unknown] {
    const [h2, c2, ws] = lstmCellOp(f32(gates), f32(c), c.shape[0], c.shape[1]);
    return [this.track(h2), this.track(c2), this.track(ws)];
  }

  lstmCellBackward(
    workspace: TensorInfo,
    c: TensorInfo,
    dh: TensorInfo | null,
    dc: TensorInfo | null,
  ): [unknown, unknown] {
    const [dg, dcPrev] = lstmCellBackwardOp(
      f32(workspace),
      f32(c),
      dh === null ? null : f32(dh),
      dc === null ? null : f32(dc),
      c.shape[0],
      c.shape[1],
    );
    return [this.track(dg), this.track(dcPrev)];
  }

  // ---- lifecycle -------------------------------------------------------------------------

  memory(): BackendMemory {
    // The matmul kernel's scratch memory is not a tensor buffer, but it is memory we hold.
    return {
      numBuffers: this.numBuffers,
      numBytes: this.numBytes,
      wasmHeapBytes: wasmHeapBytes(),
      threads: getNumThreads(),
    };
  }

  destroy(): void {
    stopThreads();
    this.numBuffers = 0;
    this.numBytes = 0;
  }
}

/** Refuses an int64 scatterAdd whose magnitudes add up past 2^53 - 1 (a partial sum could round). */
function checkSumBound(op: string, ...parts: TypedArray[]): void {
  let total = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) total += Math.abs(p[i]);
  if (total > INT64_EXACT) {
    throw new RangeError(
      `${op}: the magnitudes of these int64 values add up to ${total}, beyond ±(2^53 - 1), the range in which int64 is computed exactly here (through doubles): a partial sum could round, so the op is refused`,
    );
  }
}
