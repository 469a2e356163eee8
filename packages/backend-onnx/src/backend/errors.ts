// Errors of the onnx backend: what failed is named in core's terms (the op, the shapes and
// dtypes, what was expected) rather than passed on as ORT's or V8's own text.
import {
  type DataArray,
  type DType,
  INT64_EXACT,
  ITEM_SIZE,
  int64ExactError,
  intRangeError,
  type Shape,
  sizeOf,
} from '@proj/core';

const fmtShape = (s: Shape) => `[${s.join(',')}]`;

/** A byte count as "4e12" (or plain below a million). */
export function fmtBytes(n: number): string {
  return n < 1e6 ? String(n) : n.toExponential().replace('e+', 'e');
}

/** Whether `e` says memory could not be allocated (ORT's arena, C++ new, V8's typed arrays). */
export function isAllocError(e: unknown): boolean {
  const m = (e as Error)?.message ?? '';
  return /failed to allocate|bad_alloc|allocation failed|invalid typed array length|invalid array buffer length|out of memory/i.test(
    m,
  );
}

/**
 * `op: cannot allocate [shape] dtype (bytes) on onnx: cause`, the cause cut down to ORT's own
 * words when it has them (its message starts with a source path and a C++ signature).
 */
export function allocError(op: string, shape: Shape, dtype: DType, cause: unknown): Error {
  const bytes = sizeOf(shape) * ITEM_SIZE[dtype];
  const msg = (cause as Error).message;
  const ort = /Failed to allocate memory for requested buffer of size \d+/.exec(msg);
  return new RangeError(
    `${op}: cannot allocate ${fmtShape(shape)} ${dtype} (${fmtBytes(bytes)} bytes) on onnx: ${ort ? `onnxruntime: ${ort[0]}` : msg}`,
  );
}

/** The host allocation `make()` of a `shape` × `dtype` buffer, its failure named as `op`'s. */
export function hostAlloc<T>(op: string, shape: Shape, dtype: DType, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (isAllocError(e) || e instanceof RangeError) throw allocError(op, shape, dtype, e);
    throw e;
  }
}

/** What an op was asked to compute, for its error messages. */
export interface OpCall {
  readonly op: string;
  /** Shapes and dtypes of the tensor operands. */
  readonly inputs: readonly { readonly shape: Shape; readonly dtype: DType }[];
  /** The result it would have produced (when known: allocation failures report it). */
  readonly out?: { readonly shape: Shape; readonly dtype: DType };
}

/** An ORT failure while running `call`, named in core's terms. */
export function runError(call: OpCall, e: unknown): Error {
  if (isAllocError(e) && call.out) return allocError(call.op, call.out.shape, call.out.dtype, e);
  const ins = call.inputs.map((i) => `${fmtShape(i.shape)} ${i.dtype}`).join(', ');
  return new Error(`${call.op}: onnxruntime failed on ${ins} (onnx backend): ${(e as Error).message}`);
}

/**
 * Index bounds are checked on the host (the data is in CPU memory anyway): ORT would fail
 * with an obscure message, or wrap negative indices silently.
 */
export function checkIndices(op: string, data: DataArray | undefined, size: number, axis: number): void {
  if (!data) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < 0 || v >= size) {
      throw new Error(`${op}: index ${v} is out of bounds for dim ${axis} with size ${size}`);
    }
  }
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * A float → int32 cast must not wrap: ORT's Cast (C++ float-to-int conversion) turns 1e10,
 * -1e10 and NaN all into -2147483648. Values are truncated toward zero, so anything in
 * (INT32_MIN - 1, INT32_MAX + 1) fits; the test is written so that NaN fails too.
 */
export function checkCastFits(data: DataArray | undefined, from: DType, to: DType, shape: Shape): void {
  if (!data || to !== 'int32' || (from !== 'float32' && from !== 'float64')) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v > INT32_MIN - 1 && v < INT32_MAX + 1)) {
      throw new RangeError(
        `cast: value ${v} (at flat index ${i} of a ${fmtShape(shape)} ${from} tensor) does not fit int32 ` +
          `(range [${INT32_MIN}, ${INT32_MAX}]); integers never wrap around here — keep a float dtype for such values`,
      );
    }
  }
}

/** int32 `neg`/`abs` of -2^31 is 2^31, which int32 cannot hold (ORT gives -2^31 back). */
export function checkNegatable(op: string, data: DataArray | undefined): void {
  if (!data) return;
  for (let i = 0; i < data.length; i++)
    if (data[i] === INT32_MIN) throw intRangeError(op, 2147483648, 'int32');
}

/**
 * int64 operands of ops computed through float64 (arithmetic, comparisons, reductions): values
 * beyond ±(2^53 - 1) would round there, so they are refused (core's int64ExactError) instead.
 * (Movement ops, max/min reductions and casts handle every int64 value natively.)
 */
export function checkInt64Exact(op: string, data: DataArray | undefined): void {
  if (!(data instanceof BigInt64Array)) return;
  const max = BigInt(INT64_EXACT);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v > max || v < -max) throw int64ExactError(op, v);
  }
}

/**
 * An int64 sum computed in float64 is exact when the magnitudes of everything summed stay
 * within 2^53 - 1 (then every partial sum does); otherwise a partial sum could round, and the
 * op is refused.
 */
export function checkInt64SumBound(op: string, ...parts: (DataArray | undefined)[]): void {
  let total = 0;
  for (const p of parts) {
    if (!(p instanceof BigInt64Array)) continue;
    for (let i = 0; i < p.length; i++) total += Math.abs(Number(p[i]));
  }
  if (total > INT64_EXACT) {
    throw new RangeError(
      `${op}: the magnitudes of these int64 values add up to ${total}, beyond ±(2^53 - 1), the range in which int64 is computed exactly here (through doubles): a partial sum could round, so the op is refused`,
    );
  }
}
