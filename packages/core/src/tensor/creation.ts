import type { Backend } from '../backend/backend.js';
import { backendByName, currentBackendName } from '../backend/registry.js';
import type { DType, TypedArray } from '../backend/types.js';
import {
  allocArray,
  assertDType,
  checkFits,
  fitsDtype,
  INT_RANGE,
  inferDType,
  intRangeError,
} from './dtype.js';
import { defaultGenerator, type Generator } from './random.js';
import { fmtShape, sizeOf } from './shape.js';
import { checkSize, parseSizeArgs } from './size-args.js';
import { type NestedArray, Tensor } from './tensor.js';

/** Options of the creation functions. */
export interface TensorOptions {
  /** Element type; when omitted: float32 for numbers, bool for booleans, or the TypedArray's own. */
  dtype?: DType;
  /** Backend name; the current backend ({@link setBackend}) when omitted. */
  device?: string;
  requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

/** Data accepted by {@link tensor}. */
export type TensorData =
  | number
  | boolean
  | NestedArray
  | readonly NestedArray[]
  | TypedArray
  | readonly number[];

/** Resolves the backend a creation call targets, checking dtype support. */
export function resolveDevice(op: string, device: string | undefined, dtype: DType): [Backend, string] {
  const name = device ?? currentBackendName();
  const backend = backendByName(name);
  if (!backend.supportsDtype(dtype)) {
    throw new Error(`${op}: backend '${name}' does not support dtype ${dtype}`);
  }
  return [backend, name];
}

/** Runs a backend allocation, naming the op, shape, dtype and device when it fails. */
function allocating<T>(op: string, shape: readonly number[], dtype: DType, device: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new RangeError(
      `${op}: cannot allocate ${fmtShape(shape)} ${dtype} on ${device}: ${(e as Error).message}`,
    );
  }
}

/** @internal Uploads a filled TypedArray as a tensor. */
export function fromArray(
  op: string,
  values: TypedArray,
  shape: readonly number[],
  dtype: DType,
  opts: TensorOptions = {},
): Tensor {
  const [backend, device] = resolveDevice(op, opts.device, dtype);
  const t = Tensor._fromHandle(
    backend,
    device,
    allocating(op, shape, dtype, device, () => backend.write(values, shape, dtype)),
    shape,
    dtype,
  );
  if (opts.requiresGrad) t.requiresGrad_(true);
  return t;
}

/**
 * Creates a tensor from (nested) JS arrays, a number/boolean, or a TypedArray (1-D).
 *
 * ```ts
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true }); // float32 (numbers are float32 unless `dtype` says otherwise)
 * ```
 */
export function tensor(data: TensorData, opts: TensorOptions = {}): Tensor {
  if (data instanceof Tensor) throw new Error('tensor: got a Tensor; use t.clone() or t.detach() instead');
  let shape: number[];
  let flat: ArrayLike<number | boolean>;
  if (ArrayBuffer.isView(data)) {
    shape = [(data as TypedArray).length];
    flat = data as TypedArray;
  } else {
    shape = [];
    const out: (number | boolean)[] = [];
    inferShape(data as NestedArray, 0, shape);
    flatten(data as NestedArray, 0, shape, out);
    flat = out;
  }
  let dtype: DType;
  if (opts.dtype) dtype = assertDType('tensor', opts.dtype);
  else if (data instanceof Float64Array) dtype = 'float64';
  else if (data instanceof Int32Array) dtype = 'int32';
  else if (data instanceof Uint8Array) dtype = 'bool';
  else if (data instanceof Float32Array) dtype = 'float32';
  else {
    dtype = inferDType(flat);
    if (opts.requiresGrad && dtype !== 'float64') dtype = 'float32';
  }
  const values = allocArray(dtype, flat.length);
  const checked = INT_RANGE[dtype] !== undefined;
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    const n = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
    // An Int32Array would wrap 1e10 to 1410065408 and store NaN as 0.
    if (checked && !fitsDtype(n, dtype)) throw intRangeError('tensor', n, dtype);
    values[i] = dtype === 'bool' ? (n !== 0 ? 1 : 0) : n;
  }
  return fromArray('tensor', values, shape, dtype, opts);
}

function inferShape(data: NestedArray, depth: number, shape: number[]): void {
  if (Array.isArray(data)) {
    shape.push(data.length);
    if (data.length > 0) inferShape(data[0], depth + 1, shape);
  } else if (typeof data !== 'number' && typeof data !== 'boolean') {
    throw new Error(
      `tensor: unsupported element ${JSON.stringify(data)} at depth ${depth} (expected numbers or booleans)`,
    );
  }
}

function flatten(data: NestedArray, depth: number, shape: number[], out: (number | boolean)[]): void {
  if (depth === shape.length) {
    if (Array.isArray(data)) {
      throw new Error(`tensor: ragged nested array: expected a number at depth ${depth}, got an array`);
    }
    if (typeof data !== 'number' && typeof data !== 'boolean') {
      throw new Error(`tensor: unsupported element ${JSON.stringify(data)} (expected numbers or booleans)`);
    }
    out.push(data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    const got = Array.isArray(data) ? `length ${data.length}` : 'a number';
    throw new Error(
      `tensor: ragged nested array at depth ${depth}: expected length ${shape[depth]}, got ${got}`,
    );
  }
  for (const x of data) flatten(x, depth + 1, shape, out);
}

type ShapeArgs = (number | readonly number[] | TensorOptions | undefined)[];

/** Parses `f(2, 3, opts?)` and `f([2, 3], opts?)`, checking every size (see size-args.ts). */
function parseShape<O>(op: string, args: ShapeArgs): [number[], O] {
  return parseSizeArgs<O>(op, args);
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: readonly number[], value: number | boolean, opts: TensorOptions = {}): Tensor {
  checkSize('full', shape);
  const v = typeof value === 'boolean' ? Number(value) : value;
  const dtype = opts.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  if (!fitsDtype(v, dtype)) throw intRangeError('full', v, dtype);
  const [backend, device] = resolveDevice('full', opts.device, dtype);
  const t = Tensor._fromHandle(
    backend,
    device,
    allocating('full', shape, dtype, device, () => backend.fill(shape, dtype, v)),
    [...shape],
    dtype,
  );
  if (opts.requiresGrad) t.requiresGrad_(true);
  return t;
}

/** Zeros: `zeros(2, 3)` or `zeros([2, 3], { dtype: 'int32' })`. */
export function zeros(...args: ShapeArgs): Tensor {
  const [shape, opts] = parseShape<TensorOptions>('zeros', args);
  return full(shape, 0, opts);
}

/** Ones: `ones(2, 3)` or `ones([2, 3], opts)`. */
export function ones(...args: ShapeArgs): Tensor {
  const [shape, opts] = parseShape<TensorOptions>('ones', args);
  return full(shape, 1, opts);
}

/** Zeros with `t`'s shape, dtype and device (each overridable). */
export function zerosLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, device: t.device, ...opts });
}

/** Ones with `t`'s shape, dtype and device (each overridable). */
export function onesLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, device: t.device, ...opts });
}

/** `value` with `t`'s shape, dtype and device. */
export function fullLike(t: Tensor, value: number, opts: TensorOptions = {}): Tensor {
  return full(t.shape, value, { dtype: t.dtype, device: t.device, ...opts });
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) by `step`: `arange(5)`, `arange(1, 4)`,
 * `arange(0, 1, 0.25)`. int32 when all arguments are integers, else float32.
 */
export function arange(start: number, end?: number, step = 1, opts: TensorOptions = {}): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step))
    throw new Error(`arange: step must be a non-zero finite number (got ${step})`);
  if ((end - start) / step < 0) {
    throw new Error(
      `arange: upper bound and lower bound inconsistent with step sign (start ${start}, end ${end}, step ${step})`,
    );
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = opts.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  if (n > 0) checkFits('arange', [start, start + (n - 1) * step], dtype);
  const values = allocArray(dtype, n);
  for (let i = 0; i < n; i++) values[i] = start + i * step;
  return fromArray('arange', values, [n], dtype, opts);
}

/** `steps` evenly spaced values from `start` to `end` inclusive. */
export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new Error(`linspace: steps must be a non-negative integer (got ${steps})`);
  const dtype = opts.dtype ?? 'float32';
  const values = allocArray(dtype, steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  // PyTorch fills the second half from the end so the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) values[i] = i < half ? start + i * delta : end - (steps - 1 - i) * delta;
  if (steps === 1) values[0] = start;
  return fromArray('linspace', values, [steps], dtype, opts);
}

/** Identity matrix `n`×`m` (m defaults to n). */
export function eye(n: number, m: number = n, opts: TensorOptions = {}): Tensor {
  checkSize('eye', [n, m]);
  const dtype = opts.dtype ?? 'float32';
  const values = allocArray(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return fromArray('eye', values, [n, m], dtype, opts);
}

function randomFill(
  op: string,
  args: ShapeArgs,
  draw: (g: Generator) => number,
  defaultDType: DType,
): Tensor {
  const [shape, opts] = parseShape<RandomOptions>(op, args);
  const dtype = opts.dtype ?? defaultDType;
  const g = opts.generator ?? defaultGenerator;
  const n = sizeOf(shape);
  const values = allocating(op, shape, dtype, opts.device ?? currentBackendName(), () =>
    allocArray(dtype, n),
  );
  for (let i = 0; i < n; i++) values[i] = draw(g);
  return fromArray(op, values, shape, dtype, opts);
}

/** Uniform [0, 1) from the seeded generator: `rand(2, 3)` or `rand([2, 3], opts)`. */
export function rand(...args: (number | readonly number[] | RandomOptions | undefined)[]): Tensor {
  return randomFill('rand', args, (g) => g.random(), 'float32');
}

/** Standard normal from the seeded generator: `randn(2, 3)` or `randn([2, 3], opts)`. */
export function randn(...args: (number | readonly number[] | RandomOptions | undefined)[]): Tensor {
  return randomFill('randn', args, (g) => g.normal(), 'float32');
}

/** Uniform integers in [low, high) (int32): `randint(0, 10, [4])`. */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  opts: RandomOptions = {},
): Tensor {
  if (!(high > low)) throw new Error(`randint: high (${high}) must be greater than low (${low})`);
  checkFits('randint', [low, high - 1], opts.dtype ?? 'int32');
  return randomFill('randint', [shape, opts], (g) => g.int(low, high), 'int32');
}

/** A random permutation of 0..n-1 (int32). */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  checkSize('randperm', [n]);
  const g = opts.generator ?? defaultGenerator;
  return fromArray('randperm', g.permutation(n), [n], 'int32', opts);
}
