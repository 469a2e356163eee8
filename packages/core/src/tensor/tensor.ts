import type { Backend } from '../backend/backend.js';
import type { DType, Shape, TensorInfo, TypedArray } from '../backend/types.js';
import { ITEM_SIZE, isFloat } from './dtype.js';
import { formatTensor } from './format.js';
import { checkGradAssignment } from './grad-assign.js';
import { setTensorClass, trackTensor } from './scope.js';
import { fmtShape, normDim, sizeOf } from './shape.js';
import { Storage } from './storage.js';

/** What the autograd layer stores in {@link Tensor.gradFn}. */
export interface GradFn {
  readonly name: string;
}

/** Nested JS arrays, as {@link Tensor.toArray} returns them. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array on a device, with optional gradient tracking. Operations are
 * methods (`a.add(b).relu()`) and free functions; they run at once on the tensor's backend.
 * Storage is dense and row-major; reshape-like views share it, other ops allocate.
 */
export class Tensor implements TensorInfo {
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** @internal */
  _storage: Storage;
  /** @internal The node that produced this tensor when autograd recorded it. */
  gradFn: GradFn | null = null;
  private _grad: Tensor | null = null;

  /** Accumulated gradient after `backward()` (leaves that require grad, or after `retainGrad()`). */
  get grad(): Tensor | null {
    return this._grad;
  }

  /** Assigning checks shape, dtype and device as PyTorch does (see grad-assign.ts). */
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
  private _disposed = false;

  /** @internal Use the creation functions (`tensor`, `zeros`, ...) instead. */
  constructor(storage: Storage, shape: readonly number[], dtype: DType) {
    this._storage = storage;
    this.shape = shape;
    this.dtype = dtype;
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

  /** @internal A tensor sharing this one's storage with another shape (same numel). */
  _view(shape: readonly number[]): Tensor {
    return new Tensor(this._storage, shape, this.dtype);
  }

  /** @internal Wraps a kernel result on this tensor's device (default: same shape and dtype). */
  _fromKernel(handle: unknown, shape: readonly number[] = this.shape, dtype: DType = this.dtype): Tensor {
    return Tensor._fromHandle(this._storage.backend, this._storage.device, handle, shape, dtype);
  }

  /** The backend handle (for backends and advanced users). */
  get handle(): unknown {
    return this._storage.handle;
  }

  /** @internal */
  get _backend(): Backend {
    return this._storage.backend;
  }

  /** Name of the backend holding the data, e.g. `'cpu'`. */
  get device(): string {
    return this._storage.device;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
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

  /** Whether operations on this tensor are recorded for differentiation. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(b: boolean) {
    this.requiresGrad_(b);
  }

  /** Sets {@link requiresGrad} in place (leaves only, floating point only); returns this. */
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
    if (b && this.gradFn === null) this._storage.gradLeaf = this;
    else if (!b && this._storage.gradLeaf === this) this._storage.gradLeaf = null;
    return this;
  }

  /** True for tensors not produced by a recorded op (user-created tensors and parameters). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** @internal Throws if the tensor was disposed. */
  _check(op: string): void {
    if (this._disposed) throw new Error(`${op}: tensor ${fmtShape(this.shape)} ${this.dtype} was disposed`);
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Frees the storage now (views keep it alive until they are disposed too). Idempotent. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.gradFn = null;
    // The gradient belongs to the tensor (a leaf's .grad is never shared).
    if (this.grad !== null) {
      this.grad.dispose();
      this.grad = null;
    }
    this._storage.release();
  }

  /** The values as a fresh TypedArray (Uint8Array 0/1 for bool). Synchronous. */
  dataSync(): TypedArray {
    this._check('dataSync');
    return this._backend.readSync(this);
  }

  /** The values as a fresh TypedArray, read asynchronously (works on every backend). */
  async data(): Promise<TypedArray> {
    this._check('data');
    return this._backend.read(this);
  }

  /**
   * The value of a one-element tensor: a JS number, or a boolean for bool tensors (as
   * PyTorch's `item()`; write `t.item<boolean>()` for the type).
   */
  item<T extends number | boolean = number>(): T {
    this._check('item');
    if (this.numel() !== 1) {
      throw new Error(
        `item: only a tensor with one element can be converted to a number (shape ${fmtShape(this.shape)})`,
      );
    }
    const v = this.dataSync()[0];
    return (this.dtype === 'bool' ? v !== 0 : v) as T;
  }

  /** The values as nested JS arrays (booleans for bool; a number for a scalar). */
  toArray(): NestedArray {
    return nest(this.dataSync(), this.shape, this.dtype);
  }

  /** {@link toArray}, read asynchronously. */
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

setTensorClass(Tensor);

function nest(data: TypedArray, shape: Shape, dtype: DType): NestedArray {
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
