import type { HookList } from '../autograd/hooks.js';
import type { Backend } from '../backend/backend.js';
import { roundHalfResult } from '../backend/half-storage.js';
import type { DataArray, DType, Shape, TensorInfo, TypedArray } from '../backend/types.js';
import { ITEM_SIZE, isFloat } from './dtype.js';
import { formatTensor } from './format.js';
import { checkGradAssignment } from './grad-assign.js';
import { setTensorClass, trackTensor } from './scope.js';
import { fmtShape, normDim, sizeOf, stridesOf } from './shape.js';
import { Storage } from './storage.js';
import { readStrided } from './strided-io.js';
import { isContiguousGeometry } from './strides.js';

/** What the autograd layer stores in {@link Tensor.gradFn}. */
export interface GradFn {
  /** PyTorch's class name of the node, e.g. `'MulBackward'`. */
  readonly name: string;
}

/** Nested JS arrays, as {@link Tensor.toArray} returns them. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array on a device, with optional gradient tracking. Operations are
 * methods (`a.add(b).relu()`) and free functions; they run at once on the tensor's backend.
 *
 * As in PyTorch, a tensor is a geometry (shape, strides, storage offset) over a storage that
 * views share: `transpose`, `narrow`, `expand`, `select`, basic indexing … return views, and
 * an in-place op on a view writes through to its base. Backends compute on dense buffers: a
 * view that is not its whole storage in row-major order reaches them as a dense copy made by
 * the backend's `asStrided` (see {@link handle}).
 */
export class Tensor implements TensorInfo {
  /** Dimensions, outermost first (PyTorch's `shape`; `size()` returns a copy). */
  readonly shape: readonly number[];
  /** Element type: `'float32'` (the default), `'float64'`, `'int64'`, `'bool'`, … (PyTorch's `dtype`). */
  readonly dtype: DType;
  /** @internal */
  _storage: Storage;
  /** Strides when given; null for a dense tensor until asked (most tensors never are). */
  private _st: readonly number[] | null;

  /** @internal Element strides into the storage (PyTorch's `stride()`). */
  get _strides(): readonly number[] {
    if (this._st === null) this._st = stridesOf(this.shape);
    return this._st;
  }

  /** @internal */
  set _strides(s: readonly number[]) {
    this._st = s;
  }

  /** @internal Offset of element 0 in the storage, in elements (PyTorch's `storage_offset()`). */
  _offset: number;
  /**
   * @internal True when this tensor is its whole storage in row-major order: the storage's
   * buffer is then its dense layout and backends read it directly.
   */
  _dense: boolean;
  /**
   * @internal The tensor this one is a view of (PyTorch's `_base`: the root, never a view),
   * for autograd of in-place ops on views. Null for tensors that own their storage.
   */
  _base: Tensor | null = null;
  /**
   * @internal The op (`split`, `chunk`, `unbind`) when this view is one of several outputs of
   * one op: PyTorch refuses in-place writes to those while recording.
   */
  _multiView: string | null = null;
  /** @internal Storage version at which this view's gradFn was last valid (see ops/inplace.ts). */
  _viewVersion = 0;
  /** @internal Dense copy of a non-dense view, valid while the storage is at `_matVersion`. */
  _mat: Storage | null = null;
  private _matVersion = -1;
  /**
   * The autograd node that produced this tensor (PyTorch's `grad_fn`, e.g. `{ name: 'MulBackward' }`),
   * or null for a leaf or a tensor made without recording.
   */
  gradFn: GradFn | null = null;
  private _grad: Tensor | null = null;

  /** Accumulated gradient after `backward()` (leaves that require grad, or after `retainGrad()`). */
  get grad(): Tensor | null {
    return this._grad;
  }

  /**
   * Assigning checks shape, dtype and device as PyTorch does (see grad-assign.ts); null clears it.
   *
   * @throws Error when the gradient's shape, dtype or device does not match this tensor's.
   */
  set grad(g: Tensor | null) {
    if (g !== null) checkGradAssignment(this, g, g instanceof Tensor);
    this._grad = g;
  }
  /** @internal */
  _requiresGrad = false;
  /** @internal Exempt from tidy() disposal. */
  _kept = false;
  /** @internal Non-leaf that keeps its grad (retainGrad). */
  _retainsGrad = false;
  /** @internal Gradient hooks of a leaf (`registerHook`); a non-leaf keeps them on its node. */
  _gradHooks: HookList | null = null;
  private _disposed = false;

  /** @internal Use the creation functions (`tensor`, `zeros`, ...) instead. */
  constructor(
    storage: Storage,
    shape: readonly number[],
    dtype: DType,
    strides?: readonly number[],
    offset = 0,
  ) {
    this._storage = storage;
    this.shape = shape;
    this.dtype = dtype;
    if (strides === undefined) {
      this._st = null;
      this._offset = 0;
      this._dense = sizeOf(shape) * ITEM_SIZE[dtype] === storage.bytes;
    } else {
      this._st = strides;
      this._offset = offset;
      this._dense =
        offset === 0 &&
        sizeOf(shape) * ITEM_SIZE[dtype] === storage.bytes &&
        isContiguousGeometry(shape, strides);
    }
    storage.retain();
    trackTensor(this);
  }

  /** @internal Wraps a fresh backend handle. */
  static _fromHandle(
    backend: Backend,
    device: string,
    handle: unknown,
    shape: readonly number[],
    dtype: DType,
  ): Tensor {
    return new Tensor(new Storage(backend, device, handle, sizeOf(shape) * ITEM_SIZE[dtype]), shape, dtype);
  }

  /**
   * @internal The same elements in row-major order with another shape (same numel): shares the
   * storage when this tensor is dense, else a dense copy. Not a view in PyTorch's sense (no
   * `_base`): for kernels' plumbing; the public `view`/`reshape` are in ops/shape.ts.
   */
  _view(shape: readonly number[]): Tensor {
    if (this._dense) return new Tensor(this._storage, shape, this.dtype);
    return this._fromKernel(this._materialize(), shape);
  }

  /** @internal Wraps a kernel result on this tensor's device (default: same shape and dtype). */
  _fromKernel(handle: unknown, shape: readonly number[] = this.shape, dtype: DType = this.dtype): Tensor {
    const b = this._storage.backend;
    // a float16/bfloat16 result is rounded once, as in wrap (ops/util.ts)
    const h = roundHalfResult(b, handle, shape, dtype);
    return Tensor._fromHandle(b, this._storage.device, h, shape, dtype);
  }

  /**
   * The backend handle of this tensor's dense row-major values (what backends receive). For a
   * view that is not its whole storage in row-major order, a dense copy made by the backend's
   * `asStrided`, kept until the storage changes or this tensor is disposed.
   */
  get handle(): unknown {
    if (this._dense) return this._storage.handle;
    const st = this._storage;
    if (this._mat === null || this._matVersion !== st.version) {
      this._mat?.free();
      this._mat = null;
      const h = this._materialize();
      this._mat = new Storage(st.backend, st.device, h, sizeOf(this.shape) * ITEM_SIZE[this.dtype]);
      this._matVersion = st.version;
    }
    return this._mat.handle;
  }

  /** @internal A fresh dense copy of this view's elements (a backend handle the caller owns). */
  _materialize(): unknown {
    const st = this._storage;
    return readStrided(st.backend, st.handle, this._storageNumel(), this.dtype, {
      shape: this.shape,
      strides: this._strides,
      offset: this._offset,
    });
  }

  /** @internal Elements in the storage this tensor views. */
  _storageNumel(): number {
    return this._storage.bytes / ITEM_SIZE[this.dtype];
  }

  /** Strides in elements (PyTorch's `stride()`), or the stride of `dim`. */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number | number[] {
    if (dim === undefined) return [...this._strides];
    return this._strides[normDim('stride', dim, this.ndim)];
  }

  /** Offset of the first element in the storage, in elements (PyTorch's `storage_offset()`). */
  storageOffset(): number {
    return this._offset;
  }

  /** Whether the elements are laid out in row-major order (PyTorch's `is_contiguous()`). */
  isContiguous(): boolean {
    return isContiguousGeometry(this.shape, this._strides);
  }

  /** @internal */
  get _backend(): Backend {
    return this._storage.backend;
  }

  /** Name of the backend holding the data, e.g. `'cpu'`, `'gpujs'`, `'onnx'` (PyTorch's `device`). */
  get device(): string {
    return this._storage.device;
  }

  /** Number of dimensions (PyTorch's `ndim`/`dim()`); 0 for a scalar tensor. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements: the product of the shape (PyTorch's `numel()`). */
  numel(): number {
    return sizeOf(this.shape);
  }

  /** The shape, or the size of dimension `dim` (negative counts from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return [...this.shape];
    return this.shape[normDim('size', dim, this.ndim)];
  }

  /**
   * Whether operations on this tensor are recorded for differentiation (PyTorch's
   * `requires_grad`). Assigning is {@link requiresGrad_}.
   */
  get requiresGrad(): boolean {
    this._freshen();
    return this._requiresGrad;
  }

  /** Same as {@link requiresGrad_}`(b)`. */
  set requiresGrad(b: boolean) {
    this.requiresGrad_(b);
  }

  /**
   * Sets {@link requiresGrad} in place (PyTorch's `requires_grad_`); returns this.
   *
   * @param b - Whether to record operations (default true).
   * @throws Error when turning it off on a non-leaf (use `detach()`), or turning it on for a
   *   non-float dtype.
   *
   * @example
   * ```ts
   * const w = randn(3, 2).requiresGrad_();
   * ```
   */
  requiresGrad_(b = true): this {
    if (!b && this.gradFn !== null) {
      throw new Error(
        'requiresGrad_: you can only change requiresGrad of leaf tensors; use detach() to get a non-requiring tensor',
      );
    }
    if (b && !isFloat(this.dtype)) {
      throw new Error(`requiresGrad_: only floating point tensors can require gradients (got ${this.dtype})`);
    }
    this._requiresGrad = b;
    return this;
  }

  /** True for tensors not produced by a recorded op (user-created tensors and parameters). */
  get isLeaf(): boolean {
    this._freshen();
    return this.gradFn === null;
  }

  /**
   * @internal A view whose base was written in place since its history was made takes the
   * base's new history (as PyTorch regenerates a view's grad_fn when it is asked for).
   */
  _freshen(): void {
    if (this._base !== null && this._viewVersion !== this._storage.version) viewRefresh?.(this);
  }

  /** @internal Throws if the tensor was disposed. */
  _check(op: string): void {
    if (this._disposed) throw new Error(`${op}: tensor ${fmtShape(this.shape)} ${this.dtype} was disposed`);
  }

  /** Whether {@link dispose} was called (reading a disposed tensor throws, naming the op). */
  get isDisposed(): boolean {
    return this._disposed;
  }

  /**
   * Frees the storage now (views keep it alive until they are disposed too), and this tensor's
   * `.grad`. Idempotent. Tensors are also freed when garbage-collected, but GPU textures and
   * ONNX Runtime buffers are invisible to the GC: dispose them, or use `tidy`.
   */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.gradFn = null;
    // The gradient belongs to the tensor (a leaf's .grad is never shared).
    if (this.grad !== null) {
      this.grad.dispose();
      this.grad = null;
    }
    this._mat?.free();
    this._mat = null;
    this._storage.release();
  }

  /**
   * The values as a fresh TypedArray (Uint8Array 0/1 for bool, Uint8Array for uint8, a
   * BigInt64Array for int64). Synchronous. Typed as a number array unless told otherwise, as
   * TF.js does: write `t.dataSync<BigInt64Array>()` (or `<DataArray>`) for an int64 tensor.
   * A view's values come in its own row-major order.
   *
   * @throws Error on a backend that only reads asynchronously (onnx-web): use {@link data};
   *   or when the tensor was disposed.
   *
   * @example
   * ```ts
   * const v = tensor([[1, 2], [3, 4]]).dataSync(); // Float32Array [1, 2, 3, 4]
   * ```
   */
  dataSync(): TypedArray;
  dataSync<A extends DataArray>(): A;
  dataSync(): DataArray {
    this._check('dataSync');
    return this._backend.readSync(this);
  }

  /**
   * The values as a fresh TypedArray, read asynchronously (works on every backend, and the only
   * way to read on onnx-web); see {@link dataSync}. Not PyTorch's `x.data`: that is
   * {@link detach}.
   *
   * @example
   * ```ts
   * const probs = await model.forward(x).softmax(1).data();
   * ```
   */
  data(): Promise<TypedArray>;
  data<A extends DataArray>(): Promise<A>;
  async data(): Promise<DataArray> {
    this._check('data');
    return this._backend.read(this);
  }

  /**
   * The value of a one-element tensor: a JS number, or a boolean for bool tensors (as
   * PyTorch's `item()`; write `t.item<boolean>()` for the type). An int64 value is a number when
   * a double holds it exactly (always within ±2^53), else an error (read `dataSync()` instead).
   *
   * @throws Error when the tensor has more than one element, or on a backend that only reads
   *   asynchronously (read `(await t.data())[0]`).
   *
   * @example
   * ```ts
   * const value = loss.item();
   * ```
   */
  item<T extends number | boolean = number>(): T {
    this._check('item');
    if (this.numel() !== 1) {
      throw new Error(
        `item: only a tensor with one element can be converted to a number (shape ${fmtShape(this.shape)})`,
      );
    }
    const v = this.dataSync<DataArray>()[0];
    if (typeof v === 'bigint') return exactNumber('item', v) as T;
    return (this.dtype === 'bool' ? v !== 0 : v) as T;
  }

  /**
   * The values as nested JS arrays (booleans for bool; a number for a scalar). int64 values are
   * numbers, which must be exact (see {@link item}).
   */
  toArray(): NestedArray {
    return nest(this.dataSync(), this.shape, this.dtype);
  }

  /** {@link toArray}, read asynchronously (works on every backend). */
  async toArrayAsync(): Promise<NestedArray> {
    return nest(await this.data(), this.shape, this.dtype);
  }

  /** `console.log(t)` and `util.inspect(t)` in Node print PyTorch's repr too. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** Prints like PyTorch: `tensor([[1., 2.], [3., 4.]], requires_grad=True)`. */
  toString(): string {
    if (this._disposed) return `tensor(<disposed> ${fmtShape(this.shape)} ${this.dtype})`;
    return formatTensor(this.dataSync(), this.shape, this.dtype, {
      device: this.device,
      requiresGrad: this._requiresGrad,
      gradFn: this.gradFn?.name,
    });
  }
}

let viewRefresh: ((t: Tensor) => void) | undefined;

/** @internal Plugged in by the ops layer (ops/inplace.ts), which owns views' history. */
export function setTensorViewRefresh(fn: (t: Tensor) => void): void {
  viewRefresh = fn;
}

setTensorClass(Tensor);

/** An int64 value as a number, refusing one a double would round. */
function exactNumber(op: string, v: bigint): number {
  const n = Number(v);
  if (BigInt(n) !== v) {
    throw new RangeError(
      `${op}: int64 value ${v} has no exact JS number (beyond ±2^53); read it with dataSync(), a BigInt64Array`,
    );
  }
  return n;
}

function nest(raw: DataArray, shape: Shape, dtype: DType): NestedArray {
  const data: ArrayLike<number> =
    raw instanceof BigInt64Array ? Array.from(raw, (v) => exactNumber('toArray', v)) : raw;
  const conv = dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
  if (shape.length === 0) return conv(data[0]);
  let pos = 0;
  const build = (d: number): NestedArray[] => {
    const n = shape[d];
    const out = new Array<NestedArray>(n);
    if (d === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = conv(data[pos++]);
    } else {
      for (let i = 0; i < n; i++) out[i] = build(d + 1);
    }
    return out;
  };
  return build(0);
}
