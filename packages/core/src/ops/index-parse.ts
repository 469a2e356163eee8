// Parsing of Python-style index entries (`x[0, 1:3, ..., None, idx, mask]`): the basic entries
// (integers, slices, '...', null) become views of the tensor, the advanced ones (integer and
// bool tensors, JS arrays) become host-side integer index arrays on the view's dims.
import { DTYPES } from '../tensor/dtype.js';
import { broadcastShapes, fmtShape, sizeOf, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { unsqueeze } from './shape.js';
import { select, sliceDim } from './view.js';

/** Python's `slice(start, stop, step)`: each part optional (null/undefined = Python's None). */
export class Slice {
  constructor(
    /** First index (negative counts from the end); null: from the start. */
    readonly start: number | null = null,
    /** Index to stop before (negative counts from the end); null: to the end. */
    readonly stop: number | null = null,
    /** Step, positive; null: 1. */
    readonly step: number | null = null,
  ) {
    for (const [name, v] of [
      ['start', start],
      ['stop', stop],
      ['step', step],
    ] as const) {
      if (v !== null && !Number.isInteger(v)) {
        throw new TypeError(`slice: ${name} must be an integer or null, got ${String(v)}`);
      }
    }
    if (step === 0) throw new RangeError('slice: slice step cannot be zero');
  }

  /** `start:stop:step` as Python prints the parts given. */
  toString(): string {
    const p = (v: number | null) => (v === null ? '' : String(v));
    return `${p(this.start)}:${p(this.stop)}${this.step === null ? '' : `:${this.step}`}`;
  }
}

/**
 * Python's `slice(...)` for {@link Tensor.index} and {@link Tensor.indexPut_} (exported from
 * `@proj/core` as `slice`): `slice(stop)`, `slice(start, stop)`, `slice(start, stop, step)`;
 * null or undefined leaves a part at Python's default. `x.index(slice(1, null, 2))` is
 * `x[1::2]`, the same as `x.index('1::2')`.
 */
export function makeSlice(startOrStop?: number | null, stop?: number | null, step?: number | null): Slice {
  if (stop === undefined && step === undefined) return new Slice(null, startOrStop ?? null, null);
  return new Slice(startOrStop ?? null, stop ?? null, step ?? null);
}

/** Nested JS arrays of integers (advanced index) or of booleans (mask). */
export type NestedIndex = readonly (number | boolean | NestedIndex)[];

/**
 * One entry of an index, as in Python's `x[...]`: an integer (negative counts from the end),
 * a slice (`'1:3'`, `'::2'`, `slice(1, 3)`), `'...'`, `null` (a new axis), an integer tensor or
 * nested `number[]` (advanced indexing), a bool tensor or nested `boolean[]` (a mask over as
 * many dims as it has), or `true`/`false` (a 0-d mask).
 */
export type IndexEntry = number | string | Slice | null | boolean | Tensor | NestedIndex;

/** An index error (PyTorch's IndexError): an index out of range or of the wrong kind. */
export class IndexError extends RangeError {
  /** `'IndexError'`, as Python's. */
  override name = 'IndexError';
}

/** An advanced index on one dim of the basic view: non-negative values and their shape. */
export interface AdvancedIndex {
  readonly dim: number;
  readonly values: Int32Array;
  readonly shape: readonly number[];
}

/** `x` after its basic entries (a view), and the advanced indices left to apply to it. */
export interface ParsedIndex {
  readonly view: Tensor;
  readonly adv: readonly AdvancedIndex[];
}

type Item =
  | { kind: 'int'; value: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number }
  | { kind: 'ellipsis' }
  | { kind: 'newaxis' }
  | { kind: 'ints'; values: Float64Array; shape: number[] }
  | { kind: 'mask'; values: Uint8Array; shape: number[] }
  | { kind: 'bool'; value: boolean };

/** The dims of the indexed tensor an item consumes. */
function consumed(it: Item): number {
  switch (it.kind) {
    case 'int':
    case 'slice':
    case 'ints':
      return 1;
    case 'mask':
      return it.shape.length;
    default:
      return 0;
  }
}

/** Parses `'start:stop:step'` (parts optional, step > 0). */
function parseSliceString(op: string, s: string): Item {
  const parts = s.split(':');
  if (parts.length < 2 || parts.length > 3) {
    throw new IndexError(
      `${op}: invalid index string '${s}' (expected a slice 'start:stop:step' with optional parts, or '...')`,
    );
  }
  const nums = parts.map((p) => {
    const t = p.trim();
    if (t === '') return null;
    if (!/^[+-]?\d+$/.test(t)) {
      throw new IndexError(`${op}: invalid slice '${s}': '${t}' is not an integer`);
    }
    return Number(t);
  });
  return sliceItem(op, nums[0], nums[1], nums[2] ?? null);
}

function sliceItem(op: string, start: number | null, stop: number | null, step: number | null): Item {
  if (step === 0) throw new RangeError(`${op}: slice step cannot be zero`);
  if (step !== null && step < 0) {
    throw new RangeError(
      `${op}: step must be greater than zero (negative slice steps are not supported, use flip())`,
    );
  }
  return { kind: 'slice', start, stop, step: step ?? 1 };
}

/** Shape and flat values of nested arrays; kind of the leaves (all numbers or all booleans). */
function flattenNested(op: string, data: NestedIndex): { shape: number[]; flat: (number | boolean)[] } {
  const shape: number[] = [];
  let cur: unknown = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  const flat: (number | boolean)[] = [];
  const walk = (v: unknown, d: number): void => {
    if (d === shape.length) {
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new IndexError(`${op}: index arrays must hold integers or booleans, got ${typeof v}`);
      }
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[d]) {
      throw new IndexError(
        `${op}: index array is ragged (expected a nested array of shape ${fmtShape(shape)})`,
      );
    }
    for (const e of v) walk(e, d + 1);
  };
  walk(data, 0);
  return { shape, flat };
}

/** Host values of an index tensor as doubles (int64 values are exact within ±2^53). */
function hostNumbers(t: Tensor): Float64Array {
  const raw = t.dataSync<import('../backend/types.js').DataArray>();
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = Number(raw[i]);
  return out;
}

/** Normalises one entry (reading index tensors to the host). */
function toItem(op: string, e: IndexEntry, x: Tensor): Item {
  if (e === null) return { kind: 'newaxis' };
  if (typeof e === 'number') {
    if (!Number.isInteger(e)) throw new IndexError(`${op}: index ${e} is not an integer`);
    return { kind: 'int', value: e };
  }
  if (typeof e === 'boolean') return { kind: 'bool', value: e };
  if (typeof e === 'string') {
    if (e.trim() === '...') return { kind: 'ellipsis' };
    return parseSliceString(op, e);
  }
  if (e instanceof Slice) return sliceItem(op, e.start, e.stop, e.step);
  if (e instanceof Tensor) {
    e._check(op);
    if (e.device !== x.device) {
      throw new Error(`${op}: indices are on ${e.device} but the tensor is on ${x.device} (use .to())`);
    }
    if (e.dtype === 'bool' || e.dtype === 'uint8') {
      const v = e.dataSync() as Uint8Array;
      if (e.ndim === 0) return { kind: 'bool', value: v[0] !== 0 };
      return { kind: 'mask', values: v, shape: [...e.shape] };
    }
    if (e.dtype !== 'int32' && e.dtype !== 'int64') {
      throw new IndexError(
        `${op}: tensors used as indices must be integer (int32, int64) or bool tensors, got ${e.dtype}`,
      );
    }
    const values = hostNumbers(e);
    // A 0-d integer tensor indexes like an integer (a view), as in PyTorch.
    if (e.ndim === 0) return { kind: 'int', value: values[0] };
    return { kind: 'ints', values, shape: [...e.shape] };
  }
  if (Array.isArray(e)) {
    const { shape, flat } = flattenNested(op, e as NestedIndex);
    if (flat.length > 0 && typeof flat[0] === 'boolean') {
      if (!flat.every((v) => typeof v === 'boolean')) {
        throw new IndexError(`${op}: an index array mixes booleans and numbers`);
      }
      return { kind: 'mask', values: Uint8Array.from(flat, (v) => (v ? 1 : 0)), shape };
    }
    if (!flat.every((v) => typeof v === 'number' && Number.isInteger(v))) {
      throw new IndexError(`${op}: index arrays must hold integers (or only booleans, for a mask)`);
    }
    return { kind: 'ints', values: Float64Array.from(flat as number[]), shape };
  }
  throw new IndexError(
    `${op}: unsupported index entry ${describe(e)} (expected an integer, a slice string or slice(), '...', null, an integer or bool tensor, or an array)`,
  );
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'object' && v !== null) return `a ${(v as object).constructor?.name ?? 'object'}`;
  return `${String(v)} (${typeof v})`;
}

/** Python's slice clamping for step > 0: bounds in `[0, size]`, `stop >= start`. */
export function clampSlice(start: number | null, stop: number | null, size: number): [number, number] {
  const norm = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    const w = v < 0 ? v + size : v;
    return Math.min(Math.max(w, 0), size);
  };
  const s = norm(start, 0);
  const e = norm(stop, size);
  return [s, Math.max(s, e)];
}

/** Normalises negative indices and checks bounds (naming the dim of the indexed tensor). */
function normalized(op: string, values: Float64Array, size: number, dim: number): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < -size || v >= size) {
      throw new IndexError(`${op}: index ${v} is out of bounds for dimension ${dim} with size ${size}`);
    }
    out[i] = v < 0 ? v + size : v;
  }
  return out;
}

/**
 * Applies the basic entries of `entries` to `x` as views (select, slice, unsqueeze) and
 * returns the advanced indices left, each on a dim of that view (in increasing order).
 */
export function parseIndex(op: string, x: Tensor, entries: readonly IndexEntry[]): ParsedIndex {
  const items = entries.map((e) => toItem(op, e, x));
  const ellipses = items.filter((it) => it.kind === 'ellipsis').length;
  if (ellipses > 1) throw new IndexError(`${op}: an index can only have a single ellipsis ('...')`);
  const used = items.reduce((n, it) => n + consumed(it), 0);
  if (used > x.ndim) {
    throw new IndexError(`${op}: too many indices for tensor of dimension ${x.ndim} (got ${used})`);
  }
  let y = x;
  let d = 0; // current dim of y
  let src = 0; // dim of x the next entry indexes (for messages)
  const adv: AdvancedIndex[] = [];
  for (const it of items) {
    switch (it.kind) {
      case 'int': {
        const size = y.shape[d];
        if (it.value < -size || it.value >= size) {
          throw new IndexError(
            `${op}: index ${it.value} is out of bounds for dimension ${src} with size ${size}`,
          );
        }
        y = select(y, d, it.value);
        src++;
        break;
      }
      case 'slice': {
        const [s, e] = clampSlice(it.start, it.stop, y.shape[d]);
        y = sliceDim(y, d, s, e, it.step);
        d++;
        src++;
        break;
      }
      case 'newaxis':
        y = unsqueeze(y, d);
        d++;
        break;
      case 'ellipsis':
        d += x.ndim - used;
        src += x.ndim - used;
        break;
      case 'bool':
        // NumPy's 0-d mask: a new axis indexed by [0] (true) or [] (false).
        y = unsqueeze(y, d);
        adv.push({
          dim: d,
          values: it.value ? Int32Array.of(0) : new Int32Array(0),
          shape: [it.value ? 1 : 0],
        });
        d++;
        break;
      case 'ints':
        adv.push({ dim: d, values: normalized(op, it.values, y.shape[d], src), shape: it.shape });
        d++;
        src++;
        break;
      case 'mask': {
        const k = it.shape.length;
        const dims = y.shape.slice(d, d + k);
        for (let j = 0; j < k; j++) {
          if (it.shape[j] !== dims[j]) {
            throw new IndexError(
              `${op}: the shape of the mask ${fmtShape(it.shape)} at index ${j} does not match the shape of the indexed tensor ${fmtShape(y.shape)} at index ${d + j}`,
            );
          }
        }
        for (const [j, values] of maskCoords(it.values, it.shape).entries()) {
          adv.push({ dim: d + j, values, shape: [values.length] });
        }
        d += k;
        src += k;
        break;
      }
    }
  }
  return { view: y, adv };
}

/** The coordinates of the true elements of a mask, one array per dim (row-major order). */
export function maskCoords(mask: Uint8Array, shape: readonly number[]): Int32Array[] {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  const k = shape.length;
  const out = Array.from({ length: k }, () => new Int32Array(n));
  const strides = stridesOf(shape);
  let at = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    let r = i;
    for (let j = 0; j < k; j++) {
      out[j][at] = Math.floor(r / strides[j]);
      r -= out[j][at] * strides[j];
    }
    at++;
  }
  return out;
}

/** Whether every entry is basic (integers, slices, '...', null): the result is then a view. */
export function isBasicIndex(entries: readonly IndexEntry[]): boolean {
  return entries.every(
    (e) =>
      e === null ||
      typeof e === 'number' ||
      typeof e === 'string' ||
      e instanceof Slice ||
      (e instanceof Tensor && e.ndim === 0 && (e.dtype === 'int32' || e.dtype === 'int64')),
  );
}

/**
 * Where every element of the broadcast index shape points, as `Σ_k index_k · weights[k]` (the
 * weights being the strides of the indexed dims), and that shape.
 */
export function advancedPositions(
  op: string,
  adv: readonly AdvancedIndex[],
  weights: readonly number[],
): { positions: Float64Array; shape: number[] } {
  let shape: number[] = [];
  for (const a of adv) shape = broadcastIndexShapes(op, shape, a.shape, adv);
  const n = sizeOf(shape);
  const positions = new Float64Array(n);
  const nd = shape.length;
  for (let k = 0; k < adv.length; k++) {
    const a = adv[k];
    // Strides of a's values broadcast to `shape` (0 on broadcast dims).
    const own = stridesOf(a.shape);
    const lead = nd - a.shape.length;
    const bs = shape.map((_, i) => (i < lead || a.shape[i - lead] === 1 ? 0 : own[i - lead]));
    const idx = new Array<number>(nd).fill(0);
    let src = 0;
    const w = weights[k];
    for (let i = 0; i < n; i++) {
      positions[i] += a.values[src] * w;
      for (let dd = nd - 1; dd >= 0; dd--) {
        if (++idx[dd] < shape[dd]) {
          src += bs[dd];
          break;
        }
        src -= (shape[dd] - 1) * bs[dd];
        idx[dd] = 0;
      }
    }
  }
  return { positions, shape };
}

function broadcastIndexShapes(
  op: string,
  a: readonly number[],
  b: readonly number[],
  adv: readonly AdvancedIndex[],
): number[] {
  try {
    return broadcastShapes(op, a, b);
  } catch {
    throw new IndexError(
      `${op}: shape mismatch: indexing tensors could not be broadcast together with shapes ${adv.map((x) => fmtShape(x.shape)).join(', ')}`,
    );
  }
}

/** PyTorch's index dtype on `x`'s backend: int64 where the backend has it, else int32. */
export function indexDtype(x: Tensor): 'int64' | 'int32' {
  return DTYPES.includes('int64') && x._backend.supportsDtype('int64') ? 'int64' : 'int32';
}
