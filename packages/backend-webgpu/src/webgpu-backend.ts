// The WebGPU backend: tensors are storage buffers, primitives are WGSL compute kernels recorded
// into one command batch, results come back with `await data()`.
import type {
  Backend,
  BackendMemory,
  BinaryOp,
  Conv2dParams,
  DataArray,
  DType,
  Pool2dParams,
  ReduceOp,
  Shape,
  TensorInfo,
  UnaryOp,
} from '@proj/core';
import type { AdapterReport } from './adapter-report.js';
import { GpuContext } from './context.js';
import { conv2d, conv2dBackwardFilter, conv2dBackwardInput } from './kernels/conv.js';
import { binary, reluBackward, unary, where } from './kernels/elementwise.js';
import { cast, fill } from './kernels/fill-cast.js';
import { matmul } from './kernels/matmul.js';
import {
  asStrided,
  asStridedScatter,
  concat,
  expand,
  gather,
  pad,
  permute,
  scatterAdd,
  slice,
} from './kernels/movement.js';
import { avgPool2d, maxPool2d } from './kernels/pool.js';
import { reduce } from './kernels/reduce.js';
import { softmax } from './kernels/softmax.js';
import { type Handle, numelOf, STORED_DTYPES } from './storage.js';

/** Options of {@link WebGPUBackend}. */
export interface WebGPUBackendOptions {
  /** Compute pipelines kept (least recently used dropped past it; default 512). */
  maxPipelines?: number;
  /** Bytes of released buffers kept for reuse (oldest freed past it; default 256 MiB). */
  poolBytes?: number;
}

const INT32_MAX = 2147483647;

/** The 4-byte words a tensor's values are stored as (int64 narrowed to int32, refused beyond). */
function toWords(values: DataArray, dtype: DType): ArrayBufferView {
  if (values instanceof Float32Array || values instanceof Int32Array) return values;
  if (values instanceof BigInt64Array) {
    const out = new Int32Array(values.length);
    for (let k = 0; k < values.length; k++) {
      const v = values[k]!;
      if (v > BigInt(INT32_MAX) || v < -BigInt(INT32_MAX) - 1n) {
        throw new RangeError(
          `webgpu: int64 value ${v} cannot be stored exactly here: it is beyond the int32 range [-2147483648, 2147483647], in which the webgpu backend stores int64 (WGSL has no 64-bit integers); keep such tensors on 'cpu'`,
        );
      }
      out[k] = Number(v);
    }
    return out;
  }
  if (values instanceof Uint8Array) return Uint32Array.from(values);
  if (values instanceof Float64Array) return Float32Array.from(values);
  throw new Error(`webgpu: cannot store ${dtype} from a ${(values as object).constructor.name}`);
}

/** A read-back buffer in its dtype's array. */
function fromWords(bytes: ArrayBuffer, dtype: DType): DataArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(bytes);
    case 'int32':
      return new Int32Array(bytes);
    case 'int64':
      return BigInt64Array.from(new Int32Array(bytes), (v) => BigInt(v));
    default:
      return Uint8Array.from(new Uint32Array(bytes));
  }
}

/**
 * The WebGPU backend. Create it with {@link initWebGPU}, which finds the adapter (a browser's
 * `navigator.gpu`, or Dawn through the `webgpu` package in Node) and registers it as `'webgpu'`.
 * Reads are asynchronous only: `await t.data()` / `await t.toArrayAsync()`; the synchronous
 * readers throw naming them.
 */
export class WebGPUBackend implements Backend {
  readonly name = 'webgpu';
  readonly readsSync = false;
  readonly gcManaged = false;
  private readonly ctx: GpuContext;

  /**
   * `device`: an open `GPUDevice`; `adapter`: its report (see {@link initWebGPU}, which opens both).
   * Typed loosely so that the published types do not require `@webgpu/types`.
   */
  constructor(device: object, adapter: AdapterReport, options: WebGPUBackendOptions = {}) {
    this.ctx = new GpuContext(device as GPUDevice, adapter, options);
  }

  /** The adapter this backend runs on. */
  get adapter(): AdapterReport {
    return this.ctx.adapter;
  }

  supportsDtype(dtype: DType): boolean {
    return STORED_DTYPES.has(dtype);
  }

  write(values: DataArray, shape: Shape, dtype: DType): unknown {
    return this.ctx.upload(toWords(values, dtype), numelOf(shape), dtype);
  }

  async read(x: TensorInfo): Promise<DataArray> {
    const h = x.handle as Handle;
    return fromWords(await this.ctx.read(h.buffer, h.numel * 4), x.dtype);
  }

  readSync(x: TensorInfo): DataArray {
    throw new Error(
      `webgpu: tensors of shape [${x.shape.join(', ')}] on 'webgpu' can only be read asynchronously (WebGPU maps buffers asynchronously): use \`await t.data()\` or \`await t.toArrayAsync()\` instead of dataSync()/toArray()/item()`,
    );
  }

  disposeData(handle: unknown): void {
    this.ctx.release(handle as Handle);
  }

  deferCheck(cond: TensorInfo, message: () => string): void {
    this.ctx.deferCheck((cond.handle as Handle).buffer, message);
  }

  fill(shape: Shape, dtype: DType, value: number): unknown {
    return fill(this.ctx, shape, dtype, value);
  }

  cast(x: TensorInfo, dtype: DType): unknown {
    return cast(this.ctx, x, dtype);
  }

  unary(op: UnaryOp, x: TensorInfo): unknown {
    return unary(this.ctx, op, x);
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown {
    return binary(this.ctx, op, a, b, outShape);
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown {
    return where(this.ctx, cond, a, b, outShape);
  }

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): unknown {
    return reduce(this.ctx, op, x, axes);
  }

  permute(x: TensorInfo, perm: readonly number[]): unknown {
    return permute(this.ctx, x, perm);
  }

  expand(x: TensorInfo, shape: Shape): unknown {
    return expand(this.ctx, x, shape);
  }

  slice(
    x: TensorInfo,
    begin: readonly number[],
    sizes: readonly number[],
    steps: readonly number[],
  ): unknown {
    return slice(this.ctx, x, begin, sizes, steps);
  }

  pad(x: TensorInfo, pads: readonly (readonly [number, number])[], value: number): unknown {
    return pad(this.ctx, x, pads, value);
  }

  gather(x: TensorInfo, axis: number, index: TensorInfo): unknown {
    return gather(this.ctx, x, axis, index);
  }

  scatterAdd(target: TensorInfo, axis: number, index: TensorInfo, src: TensorInfo): unknown {
    return scatterAdd(this.ctx, target, axis, index, src);
  }

  asStrided(x: TensorInfo, shape: Shape, strides: readonly number[], offset: number): unknown {
    return asStrided(this.ctx, x, shape, strides, offset);
  }

  asStridedScatter(
    base: TensorInfo,
    src: TensorInfo,
    shape: Shape,
    strides: readonly number[],
    offset: number,
  ): unknown {
    return asStridedScatter(this.ctx, base, src, shape, strides, offset);
  }

  matmul(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean): unknown {
    return matmul(this.ctx, a, b, transA, transB);
  }

  concat(xs: readonly TensorInfo[], axis: number): unknown {
    return concat(this.ctx, xs, axis);
  }

  softmax(x: TensorInfo, axis: number): unknown {
    return softmax(this.ctx, x, axis, false);
  }

  logSoftmax(x: TensorInfo, axis: number): unknown {
    return softmax(this.ctx, x, axis, true);
  }

  conv2d(x: TensorInfo, w: TensorInfo, p: Conv2dParams): unknown {
    return conv2d(this.ctx, x, w, p);
  }

  conv2dBackwardInput(dy: TensorInfo, w: TensorInfo, xShape: Shape, p: Conv2dParams): unknown {
    return conv2dBackwardInput(this.ctx, dy, w, xShape, p);
  }

  conv2dBackwardFilter(x: TensorInfo, dy: TensorInfo, wShape: Shape, p: Conv2dParams): unknown {
    return conv2dBackwardFilter(this.ctx, x, dy, wShape, p);
  }

  maxPool2d(x: TensorInfo, p: Pool2dParams): [unknown, unknown] {
    return maxPool2d(this.ctx, x, p);
  }

  avgPool2d(x: TensorInfo, p: Pool2dParams): unknown {
    return avgPool2d(this.ctx, x, p);
  }

  reluBackward(g: TensorInfo, y: TensorInfo): unknown {
    return reluBackward(this.ctx, g, y);
  }

  /** Submits the recorded kernels now (they are also submitted by every read and every 256 launches). */
  flush(): void {
    this.ctx.flush();
  }

  memory(): BackendMemory {
    return { ...this.ctx.stats(), adapter: this.ctx.adapter.summary };
  }

  destroy(): void {
    this.ctx.destroy();
  }
}
