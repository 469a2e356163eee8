import {
  allocArray,
  type Backend,
  type BackendMemory,
  type BinaryOp,
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
import { binaryOp, whereOp } from './kernels/binary.js';
import { conv2dBackwardFilterOp, conv2dBackwardInputOp, conv2dOp } from './kernels/conv2d.js';
import { gatherOp, scatterAddOp } from './kernels/gather.js';
import { intBinary, intReduce, intUnary } from './kernels/int-checked.js';
import { matmul } from './kernels/matmul.js';
import { wasmHeapBytes } from './kernels/matmul-wasm.js';
import { concatOp, expandOp, padOp, permuteOp, sliceOp } from './kernels/movement.js';
import { avgPool2dOp, maxPool2dOp } from './kernels/pool2d.js';
import { reduceDtype, reduceOp } from './kernels/reduce.js';
import { reluBackwardOp } from './kernels/relu-backward.js';
import { softmaxOp } from './kernels/softmax.js';
import { unaryInto, unaryYieldsBool } from './kernels/unary.js';
import { convert, type FloatArray } from './storage.js';

// The storage handle is the TypedArray itself, so these casts are the whole "download".
const arr = (x: TensorInfo): TypedArray => x.handle as TypedArray;
const farr = (x: TensorInfo): FloatArray => x.handle as FloatArray;

/**
 * The embedded CPU backend: dense row-major TypedArrays (Float32Array, Float64Array,
 * Int32Array, Uint8Array for bool) are the storage handles, and every primitive plus the
 * fused matmul, concat, softmax, conv2d (and its backward kernels), pooling and ReLU-gradient kernels run
 * on them synchronously.
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
  private track<T extends TypedArray>(a: T): T {
    this.numBuffers++;
    this.numBytes += a.byteLength;
    return a;
  }

  supportsDtype(dtype: DType): boolean {
    return dtype === 'float32' || dtype === 'float64' || dtype === 'int32' || dtype === 'bool';
  }

  // ---- storage ---------------------------------------------------------------------------

  write(values: TypedArray, shape: Shape, dtype: DType): unknown {
    const n = sizeOf(shape);
    if (values.length !== n) {
      throw new Error(
        `cpu write: got ${values.length} values for shape [${shape.join(',')}] (expected ${n})`,
      );
    }
    // Always a copy: core may keep using the array it passed.
    return this.track(convert(values, dtype));
  }

  read(x: TensorInfo): Promise<TypedArray> {
    return Promise.resolve(arr(x).slice());
  }

  readSync(x: TensorInfo): TypedArray {
    return arr(x).slice();
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
    const out = allocArray(dtype, sizeOf(shape));
    const v = dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
    if (v !== 0 || Object.is(v, -0)) out.fill(v); // a fresh array holds +0; -0 must keep its sign
    return this.track(out);
  }

  cast(x: TensorInfo, dtype: DType): unknown {
    return this.track(convert(arr(x), dtype));
  }

  // ---- elementwise -----------------------------------------------------------------------

  unary(op: UnaryOp, x: TensorInfo): unknown {
    const src = arr(x);
    const out = allocArray(unaryYieldsBool(op) ? 'bool' : x.dtype, src.length);
    if (x.dtype === 'int32') intUnary(op, src, out);
    else unaryInto(op, src, out);
    return this.track(out);
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown {
    if (a.dtype === 'int32') return this.track(intBinary(op, arr(a), a.shape, arr(b), b.shape, outShape));
    return this.track(binaryOp(op, arr(a), a.shape, arr(b), b.shape, outShape, a.dtype));
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown {
    return this.track(whereOp(arr(cond), cond.shape, arr(a), a.shape, arr(b), b.shape, outShape, a.dtype));
  }

  // ---- reductions ------------------------------------------------------------------------

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): unknown {
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
    return this.track(padOp(arr(x), x.shape, pads, value));
  }

  gather(x: TensorInfo, axis: number, index: TensorInfo): unknown {
    return this.track(gatherOp(arr(x), x.shape, axis, index.handle as Int32Array, index.shape));
  }

  scatterAdd(target: TensorInfo, axis: number, index: TensorInfo, src: TensorInfo): unknown {
    return this.track(
      scatterAddOp(arr(target), target.shape, axis, index.handle as Int32Array, index.shape, arr(src)),
    );
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
    const out = allocArray(a.dtype, batch * M * N) as FloatArray;
    // matmul itself handles the empty cases (no work; zeros when K is 0).
    matmul(farr(a), farr(b), out, batch, M, K, N, Ba === 1 ? 0 : M * K, Bb === 1 ? 0 : K * N, transA, transB);
    return this.track(out);
  }

  concat(xs: readonly TensorInfo[], axis: number): unknown {
    const shape = xs[0].shape.slice();
    shape[axis] = 0;
    for (const x of xs) shape[axis] += x.shape[axis];
    const out = allocArray(xs[0].dtype, sizeOf(shape));
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

  // ---- lifecycle -------------------------------------------------------------------------

  memory(): BackendMemory {
    // The matmul kernel's scratch memory is not a tensor buffer, but it is memory we hold.
    return { numBuffers: this.numBuffers, numBytes: this.numBytes, wasmHeapBytes: wasmHeapBytes() };
  }

  destroy(): void {
    this.numBuffers = 0;
    this.numBytes = 0;
  }
}
