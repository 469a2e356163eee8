import type { Backend } from '../backend/backend.js';
import { backendByName, currentBackendName } from '../backend/registry.js';
import type { DataArray, DType, TypedArray } from '../backend/types.js';
import type { Signature } from '../signature/signature.js';
import {
  ARANGE,
  EYE,
  FULL,
  FULL_LIKE,
  LINSPACE,
  ONES,
  ONES_LIKE,
  RAND,
  RANDINT,
  RANDN,
  RANDPERM,
  TENSOR,
  ZEROS,
  ZEROS_LIKE,
} from '../signature/tensor-functions.js';
import {
  allocArray,
  assertDType,
  checkFits,
  fitsDtype,
  INT_RANGE,
  inferDType,
  intRangeError,
  toDataArray,
} from './dtype.js';
import { hostDraw } from './host-draw.js';
import { defaultGenerator, type Generator } from './random.js';
import { fmtShape, sizeOf } from './shape.js';
import { checkSize, parseSizeCall } from './size-args.js';
import { type NestedArray, Tensor } from './tensor.js';

/** Options of the creation functions. */
export interface TensorOptions {
  /** Element type; when omitted: float32 for numbers, bool for booleans, or the TypedArray's own. */
  dtype?: DType;
  /** Backend name; the current backend ({@link setBackend}) when omitted. */
  device?: string;
  /** Record operations on the new tensor for autograd (default false; floating point dtypes only). */
  requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomOptions extends TensorOptions {
  /** The generator to draw from (default: the global one, seeded by `manualSeed`). */
  generator?: Generator;
}

/** Nested JS arrays of numbers, booleans or bigints (bigints make int64), as {@link tensor} takes them. */
export type NestedData = number | boolean | bigint | readonly NestedData[];

/** Data accepted by {@link tensor}. */
export type TensorData =
  | number
  | boolean
  | bigint
  | NestedArray
  | readonly NestedArray[]
  | NestedData
  | DataArray
  | readonly number[]
  | readonly bigint[];

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

/**
 * @internal Uploads a filled array as a tensor. Numbers for an int64 tensor (and bigints for any
 * other) are converted as a cast would, refusing values that do not fit.
 */
export function fromArray(
  op: string,
  values: DataArray,
  shape: readonly number[],
  dtype: DType,
  opts: TensorOptions = {},
): Tensor {
  const [backend, device] = resolveDevice(op, opts.device, dtype);
  if ((dtype === 'int64') !== values instanceof BigInt64Array) values = toDataArray(op, values, dtype);
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
 *
 * PyTorch's `tensor(data, *, dtype, device, requires_grad, pin_memory)`: the options by name
 * only; `pinMemory` must be false. An unknown or mistyped option is an error listing the accepted ones.
 */
export function tensor(data: TensorData, ...rest: [opts?: TensorOptions]): Tensor {
  const a = TENSOR.parse<TensorOptions & { data: TensorData }>([data, ...rest]);
  data = a.data;
  const opts: TensorOptions = a;
  if (data instanceof Tensor) throw new Error('tensor: got a Tensor; use t.clone() or t.detach() instead');
  let shape: number[];
  let flat: ArrayLike<number | boolean | bigint>;
  if (ArrayBuffer.isView(data)) {
    shape = [(data as DataArray).length];
    flat = data as DataArray;
  } else {
    shape = [];
    const out: (number | boolean | bigint)[] = [];
    inferShape(data as NestedData, 0, shape);
    flatten(data as NestedData, 0, shape, out);
    flat = out;
  }
  let dtype: DType;
  if (opts.dtype) dtype = assertDType('tensor', opts.dtype);
  else if (data instanceof Float64Array) dtype = 'float64';
  else if (data instanceof Int32Array) dtype = 'int32';
  else if (data instanceof BigInt64Array) dtype = 'int64';
  // A Uint8Array is uint8 (as torch.from_numpy of a uint8 array); booleans make bool.
  else if (data instanceof Uint8Array) dtype = 'uint8';
  else if (data instanceof Float32Array) dtype = 'float32';
  // bigints (with booleans) are int64; bigints mixed with numbers are float32, as ints with floats
  else if (bigIntData(flat)) dtype = 'int64';
  else {
    dtype = inferDType(flat as ArrayLike<number | boolean>);
    if (opts.requiresGrad && dtype !== 'float64') dtype = 'float32';
  }
  if (flat instanceof BigInt64Array)
    return fromArray('tensor', toDataArray('tensor', flat, dtype), shape, dtype, opts);
  if (dtype === 'int64') return fromArray('tensor', toInt64('tensor', flat), shape, dtype, opts);
  const values = allocArray(dtype, flat.length);
  const checked = INT_RANGE[dtype] !== undefined;
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v === 'bigint' && checked && !fitsBigInt(v, dtype)) throw intRangeError('tensor', v, dtype);
    const n = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
    // An Int32Array would wrap 1e10 to 1410065408 and store NaN as 0.
    if (checked && !fitsDtype(n, dtype)) throw intRangeError('tensor', n, dtype);
    values[i] = dtype === 'bool' ? (n !== 0 ? 1 : 0) : n;
  }
  return fromArray('tensor', values, shape, dtype, opts);
}

/** Whether the leaves are bigints (and booleans), at least one a bigint, no number among them. */
function bigIntData(flat: ArrayLike<unknown>): boolean {
  let big = false;
  for (let i = 0; i < flat.length; i++) {
    const t = typeof flat[i];
    if (t === 'number') return false;
    if (t === 'bigint') big = true;
  }
  return big;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Whether a bigint lies in an integer dtype's range. */
function fitsBigInt(v: bigint, dtype: DType): boolean {
  if (dtype === 'int64') return v >= INT64_MIN && v <= INT64_MAX;
  const r = INT_RANGE[dtype];
  return r === undefined || (v >= BigInt(r[0]) && v <= BigInt(r[1]));
}

/** Leaves (numbers, booleans, bigints) as int64: numbers truncate as a cast does; all must fit. */
function toInt64(op: string, flat: ArrayLike<number | boolean | bigint>): BigInt64Array {
  const out = new BigInt64Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v === 'bigint') {
      if (!fitsBigInt(v, 'int64')) throw intRangeError(op, v, 'int64');
      out[i] = v;
    } else if (typeof v === 'boolean') out[i] = v ? 1n : 0n;
    else {
      if (!fitsDtype(v, 'int64')) throw intRangeError(op, v, 'int64');
      out[i] = BigInt(Math.trunc(v));
    }
  }
  return out;
}

/** A number array to fill for `dtype`: int64 is staged as float64 and converted by {@link fromArray}. */
function numberArray(dtype: DType, n: number): TypedArray {
  return dtype === 'int64' ? new Float64Array(n) : allocArray(dtype, n);
}

function isLeaf(v: unknown): v is number | boolean | bigint {
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint';
}

function inferShape(data: NestedData, depth: number, shape: number[]): void {
  if (Array.isArray(data)) {
    shape.push(data.length);
    if (data.length > 0) inferShape(data[0], depth + 1, shape);
  } else if (!isLeaf(data)) {
    throw new Error(
      `tensor: unsupported element ${describe(data)} at depth ${depth} (expected numbers, booleans or bigints)`,
    );
  }
}

/** JSON.stringify, which throws for bigints (they are leaves, never reported here anyway). */
function describe(v: unknown): string {
  return typeof v === 'bigint' ? `${v}n` : JSON.stringify(v);
}

function flatten(data: NestedData, depth: number, shape: number[], out: (number | boolean | bigint)[]): void {
  if (depth === shape.length) {
    if (Array.isArray(data)) {
      throw new Error(`tensor: ragged nested array: expected a number at depth ${depth}, got an array`);
    }
    if (!isLeaf(data)) {
      throw new Error(
        `tensor: unsupported element ${describe(data)} (expected numbers, booleans or bigints)`,
      );
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

/** A shape as varargs or one array, then optionally the options: `zeros(2, 3)`, `zeros([2, 3], { dtype })`. */
export type ShapeArgs = (number | readonly number[] | TensorOptions | undefined)[];

/**
 * Parses `f(2, 3, opts?)`, `f([2, 3], opts?)` and `f({ size: [2, 3], ...opts })`, checking every
 * size (see size-args.ts) and every option against `sig`.
 */
function parseShape<O>(sig: Signature, args: ShapeArgs): [number[], O] {
  return parseSizeCall<O>(sig, args);
}

/**
 * A tensor of `size` filled with `fillValue`: float32 for a number, bool for a boolean, unless
 * `dtype` says otherwise. PyTorch's `full(size, fill_value, *, out, dtype, layout, device,
 * requires_grad)`: the options by name only (`out` and `layout` are refused).
 */
export function full(
  size: readonly number[],
  fillValue: number | boolean,
  ...rest: [opts?: TensorOptions]
): Tensor {
  const a = FULL.parse<TensorOptions & { size: readonly number[]; fillValue: number | boolean }>([
    size,
    fillValue,
    ...rest,
  ]);
  return filled('full', checkSize('full', a.size), a.fillValue, a);
}

/** A tensor of `shape` filled with `value` (`op` names the caller in errors). */
function filled(op: string, shape: readonly number[], value: number | boolean, opts: TensorOptions): Tensor {
  const v = typeof value === 'boolean' ? Number(value) : value;
  const dtype = opts.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  if (!fitsDtype(v, dtype)) throw intRangeError(op, v, dtype);
  const [backend, device] = resolveDevice(op, opts.device, dtype);
  const t = Tensor._fromHandle(
    backend,
    device,
    allocating(op, shape, dtype, device, () => backend.fill(shape, dtype, v)),
    [...shape],
    dtype,
  );
  if (opts.requiresGrad) t.requiresGrad_(true);
  return t;
}

/**
 * Zeros: `zeros(2, 3)`, `zeros([2, 3], { dtype: 'int32' })` or `zeros({ size: [2, 3] })`.
 * PyTorch's `zeros(*size, *, out, dtype, layout, device, requires_grad)`: the options by name
 * only (`out` and `layout` are refused); an unknown option (`{ dtyp: … }`) is an error listing
 * the accepted ones.
 */
export function zeros(...args: ShapeArgs): Tensor {
  const [shape, opts] = parseShape<TensorOptions>(ZEROS, args);
  return filled('zeros', shape, 0, opts);
}

/** Ones: `ones(2, 3)` or `ones([2, 3], opts)`; the options as {@link zeros}'. */
export function ones(...args: ShapeArgs): Tensor {
  const [shape, opts] = parseShape<TensorOptions>(ONES, args);
  return filled('ones', shape, 1, opts);
}

/** `t`'s dtype and device unless the parsed options give them (null is PyTorch's None: `t`'s). */
function likeOptions(t: Tensor, a: TensorOptions): TensorOptions {
  return { dtype: a.dtype ?? t.dtype, device: a.device ?? t.device, requiresGrad: a.requiresGrad };
}

/**
 * Zeros with `input`'s shape, dtype and device (each overridable). PyTorch's
 * `zeros_like(input, *, dtype, layout, device, requires_grad, memory_format)`: the options by
 * name only (`layout` and `memoryFormat` are refused).
 */
export function zerosLike(input: Tensor, ...rest: [opts?: TensorOptions]): Tensor {
  const a = ZEROS_LIKE.parse<TensorOptions & { input: Tensor }>([input, ...rest]);
  return filled('zerosLike', a.input.shape, 0, likeOptions(a.input, a));
}

/** Ones with `input`'s shape, dtype and device (each overridable); the options as {@link zerosLike}'. */
export function onesLike(input: Tensor, ...rest: [opts?: TensorOptions]): Tensor {
  const a = ONES_LIKE.parse<TensorOptions & { input: Tensor }>([input, ...rest]);
  return filled('onesLike', a.input.shape, 1, likeOptions(a.input, a));
}

/**
 * `fillValue` with `input`'s shape, dtype and device (each overridable). PyTorch's
 * `full_like(input, fill_value, *, dtype, layout, device, requires_grad, memory_format)`.
 */
export function fullLike(input: Tensor, fillValue: number, ...rest: [opts?: TensorOptions]): Tensor {
  const a = FULL_LIKE.parse<TensorOptions & { input: Tensor; fillValue: number }>([
    input,
    fillValue,
    ...rest,
  ]);
  return filled('fullLike', a.input.shape, a.fillValue, likeOptions(a.input, a));
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) by `step`: `arange(5)`, `arange(1, 4)`,
 * `arange(0, 1, 0.25)`, `arange(0, 10, 2, { dtype })`. int64 when all arguments are integers (as
 * PyTorch), else float32. PyTorch's `arange(start=0, end, step=1, *, out, dtype, layout, device,
 * requires_grad)`: a single positional is `end`; the options by name only.
 */
export function arange(end: number, opts?: TensorOptions): Tensor;
export function arange(start: number, end: number | undefined, step?: number, opts?: TensorOptions): Tensor;
export function arange(start: number, end: number, opts?: TensorOptions): Tensor;
export function arange(...args: unknown[]): Tensor {
  // `arange(10, undefined, 1, opts)`: a start with no end is the end (as `arange(10)`).
  if (args.length > 2 && args[1] === undefined && typeof args[0] === 'number') {
    args = [undefined, args[0], ...args.slice(2)];
  }
  const a = ARANGE.parse<TensorOptions & { start?: number; end: number; step?: number }>(args);
  const { end } = a;
  const start = a.start ?? 0;
  const step = a.step ?? 1;
  const opts: TensorOptions = a;
  if (step === 0 || !Number.isFinite(step))
    throw new Error(`arange: step must be a non-zero finite number (got ${step})`);
  if ((end - start) / step < 0) {
    throw new Error(
      `arange: upper bound and lower bound inconsistent with step sign (start ${start}, end ${end}, step ${step})`,
    );
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = opts.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int64' : 'float32');
  if (n > 0) checkFits('arange', [start, start + (n - 1) * step], dtype);
  const values = numberArray(dtype, n);
  for (let i = 0; i < n; i++) values[i] = start + i * step;
  return fromArray('arange', values, [n], dtype, opts);
}

/**
 * `steps` evenly spaced values from `start` to `end` inclusive. PyTorch's `linspace(start, end,
 * steps, *, out, dtype, layout, device, requires_grad)`: the options by name only.
 */
export function linspace(start: number, end: number, steps: number, ...rest: [opts?: TensorOptions]): Tensor {
  const a = LINSPACE.parse<TensorOptions & { start: number; end: number; steps: number }>([
    start,
    end,
    steps,
    ...rest,
  ]);
  ({ start, end, steps } = a);
  const opts: TensorOptions = a;
  if (!Number.isInteger(steps) || steps < 0)
    throw new Error(`linspace: steps must be a non-negative integer (got ${steps})`);
  const dtype = opts.dtype ?? 'float32';
  const values = numberArray(dtype, steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  // PyTorch fills the second half from the end so the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) values[i] = i < half ? start + i * delta : end - (steps - 1 - i) * delta;
  if (steps === 1) values[0] = start;
  return fromArray('linspace', values, [steps], dtype, opts);
}

/**
 * Identity matrix `n`×`m` (m defaults to n). PyTorch's `eye(n, m=None, *, out, dtype, layout,
 * device, requires_grad)`: `eye(3, { dtype })` or `eye(3, 4, { dtype })`.
 */
export function eye(n: number, m?: number | null, opts?: TensorOptions): Tensor;
export function eye(n: number, opts?: TensorOptions): Tensor;
export function eye(...args: unknown[]): Tensor {
  const a = EYE.parse<TensorOptions & { n: number; m?: number | null }>(args);
  const n = a.n;
  const m = a.m ?? n;
  const opts: TensorOptions = a;
  checkSize('eye', [n, m]);
  const dtype = opts.dtype ?? 'float32';
  const values = numberArray(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return fromArray('eye', values, [n, m], dtype, opts);
}

function randomFill(
  op: string,
  shape: number[],
  opts: RandomOptions,
  draw: (g: Generator) => number,
  defaultDType: DType,
): Tensor {
  const dtype = opts.dtype ?? defaultDType;
  const g = opts.generator ?? defaultGenerator;
  const n = sizeOf(shape);
  const device = opts.device ?? currentBackendName();
  const drawn = hostDraw(n, (m) => {
    const values = allocating(op, m === n ? shape : [m], dtype, device, () => numberArray(dtype, m));
    for (let i = 0; i < m; i++) values[i] = draw(g);
    return values;
  });
  return fromArray(op, drawn, shape, dtype, opts);
}

/**
 * Uniform [0, 1) from the seeded generator: `rand(2, 3)` or `rand([2, 3], opts)`. PyTorch's
 * `rand(*size, *, generator, out, dtype, layout, device, requires_grad, pin_memory)`: the
 * options by name only (`out` and `layout` are refused, `pinMemory` must be false).
 */
export function rand(...args: (number | readonly number[] | RandomOptions | undefined)[]): Tensor {
  const [shape, opts] = parseShape<RandomOptions>(RAND, args);
  return randomFill('rand', shape, opts, (g) => g.random(), 'float32');
}

/** Standard normal from the seeded generator: `randn(2, 3)` or `randn([2, 3], opts)`; the options as {@link rand}'. */
export function randn(...args: (number | readonly number[] | RandomOptions | undefined)[]): Tensor {
  const [shape, opts] = parseShape<RandomOptions>(RANDN, args);
  return randomFill('randn', shape, opts, (g) => g.normal(), 'float32');
}

/**
 * Uniform integers in [low, high) (int64, as PyTorch): `randint(0, 10, [4])`, or
 * `randint(10, [4])` with low 0. PyTorch's `randint(low=0, high, size, *, generator, out,
 * dtype, layout, device, requires_grad)`: the options by name only.
 */
export function randint(low: number, high: number, size: readonly number[], opts?: RandomOptions): Tensor;
export function randint(high: number, size: readonly number[], opts?: RandomOptions): Tensor;
export function randint(...args: unknown[]): Tensor {
  const a = RANDINT.parse<RandomOptions & { low?: number; high: number; size: readonly number[] }>(args);
  const { high } = a;
  const low = a.low ?? 0;
  const shape = checkSize('randint', a.size);
  if (!(high > low)) throw new Error(`randint: high (${high}) must be greater than low (${low})`);
  checkFits('randint', [low, high - 1], a.dtype ?? 'int64');
  return randomFill('randint', shape, a, (g) => g.int(low, high), 'int64');
}

/**
 * A random permutation of 0..n-1 from the seeded generator (int64 unless `dtype` says
 * otherwise, as PyTorch). PyTorch's `randperm(n, *, generator, out, dtype, layout, device,
 * requires_grad, pin_memory)`: the options by name only.
 */
export function randperm(n: number, ...rest: [opts?: RandomOptions]): Tensor {
  const a = RANDPERM.parse<RandomOptions & { n: number }>([n, ...rest]);
  n = a.n;
  const opts: RandomOptions = a;
  checkSize('randperm', [n]);
  const g = opts.generator ?? defaultGenerator;
  const dtype = opts.dtype ?? 'int64';
  if (n > 0) checkFits('randperm', [n - 1], dtype);
  return fromArray(
    'randperm',
    hostDraw(n, (m) => g.permutation(m)),
    [n],
    dtype,
    opts,
  );
}
