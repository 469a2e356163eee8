// Sorting and order statistics: sort, argsort, topk, kthvalue, median, mode, cummax, cummin.
//
// No backend has a sort primitive, so the ORDER is decided on the host: the input is read back
// once (readSync), each row's permutation (or selected position) is computed in JS and
// uploaded as int32 positions. The VALUES are then gathered on the device from the input with
// those positions, so they are exactly the input's elements (any dtype, NaN included) and
// their gradient is gather's: scattered back to the selected indices, as PyTorch's
// value_selecting_reduction_backward / cummaxmin_backward. Backends that can only read
// asynchronously fail with a clear error (see hostRows).
import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import type { DataArray } from '../backend/types.js';
import {
  bool,
  type Check,
  int,
  kw,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
  unsupported,
} from '../signature/signature.js';
import { fromArray, full } from '../tensor/creation.js';
import { isFloat } from '../tensor/dtype.js';
import { fmtShape, normDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, eq, mul } from './binary.js';
import { cast } from './convert.js';
import { ValuesIndices } from './extremum.js';
import { indexDtype } from './index-parse.js';
import { gather } from './indexing.js';
import { isnan } from './pointwise.js';
import { sum } from './reduce.js';
import { reshape, squeeze } from './shape.js';
import { checkTensor } from './util.js';

// ---- signatures (PyTorch 1.13's, from the docstrings and the native parser) ----------------

const out = unsupported(
  'out',
  'writing into an existing tensor is not implemented; use the returned tensors',
  true,
);
const optInt: Check = optional(int);

/** sort(input, dim=-1, descending=False, *, stable=False, out=None) */
export const SORT = sig('sort', [
  req('input', tensor),
  opt('dim', int),
  opt('descending', bool),
  kw('stable', optional(bool)),
  out,
]);
/** argsort(input, dim=-1, descending=False, *, stable=False) */
export const ARGSORT = sig('argsort', [
  req('input', tensor),
  opt('dim', int),
  opt('descending', bool),
  kw('stable', bool),
]);
/** topk(input, k, dim=None, largest=True, sorted=True, *, out=None) */
export const TOPK = sig('topk', [
  req('input', tensor),
  req('k', int),
  opt('dim', optInt),
  opt('largest', bool),
  opt('sorted', bool),
  out,
]);
/** kthvalue(input, k, dim=None, keepdim=False, *, out=None) */
export const KTHVALUE = sig('kthvalue', [
  req('input', tensor),
  req('k', int),
  opt('dim', optInt),
  opt('keepdim', bool),
  out,
]);
/** median(input) / median(input, dim=-1, keepdim=False, *, out=None) */
export const MEDIAN = sig('median', [req('input', tensor), opt('dim', int), opt('keepdim', bool), out]);
/** mode(input, dim=-1, keepdim=False, *, out=None) */
export const MODE = sig('mode', [req('input', tensor), opt('dim', int), opt('keepdim', bool), out]);
/** cummax(input, dim, *, out=None) */
export const CUMMAX = sig('cummax', [req('input', tensor), req('dim', int), out]);
/** cummin(input, dim, *, out=None) */
export const CUMMIN = sig('cummin', [req('input', tensor), req('dim', int), out]);

/** Options of {@link sort}. */
export interface SortOptions {
  /** The dim to sort along (default -1). */
  dim?: number;
  /** Largest first (default false). NaN counts as the largest value. */
  descending?: boolean;
  /** Keep equal elements in their input order. Ours is always stable, as PyTorch's CPU sort. */
  stable?: boolean | null;
}
/** Options of {@link topk}. */
export interface TopkOptions {
  /** How many elements to return. */
  k?: number;
  /** The dim to select along (default -1). */
  dim?: number | null;
  /** The largest elements (default true) or the smallest. */
  largest?: boolean;
  /** Return them in order (here always sorted; false is accepted). */
  sorted?: boolean;
}
/** Options of {@link kthvalue}. */
export interface KthvalueOptions {
  /** Which smallest element, counting from 1. */
  k?: number;
  /** The dim to select along (default -1). */
  dim?: number | null;
  /** Keep the reduced dim with size 1 (default false). */
  keepdim?: boolean;
}
/** Options of {@link median} with a dim and of {@link mode}. */
export interface DimKeepdimOptions {
  /** The dim to reduce. */
  dim?: number;
  /** Keep the reduced dim with size 1 (default false). */
  keepdim?: boolean;
}

// ---- host side ------------------------------------------------------------------------------

type Scalar = number | bigint;

/** `x` read back, with its geometry along `d`: `outer` rows before, `n` along, `inner` after. */
interface Rows {
  data: DataArray;
  outer: number;
  n: number;
  inner: number;
}

function hostRows(op: string, x: Tensor, d: number): Rows {
  let data: DataArray;
  try {
    data = x.dataSync<DataArray>();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(
      `${op}: computes its order on the host and needs a synchronous read, which the '${x.device}' backend refused (${why})`,
    );
  }
  const shape = x.ndim === 0 ? [1] : x.shape;
  const n = shape[d];
  const outer = shape.slice(0, d).reduce((a, b) => a * b, 1);
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  return { data, outer, n, inner };
}

/** Calls `fn(row, r)` for every row along the dim: `row[j]` is element j; r is the row number. */
function eachRow(rows: Rows, fn: (row: Scalar[], o: number, i: number) => void): void {
  const { data, outer, n, inner } = rows;
  const row: Scalar[] = new Array(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      for (let j = 0; j < n; j++) row[j] = data[base + j * inner] as Scalar;
      fn(row, o, i);
    }
  }
}

// biome-ignore lint/suspicious/noSelfCompare: NaN test that also accepts bigints
const nan = (v: Scalar): boolean => v !== v;

/** Ascending order with NaN largest (PyTorch's), 0 for ties (Array#sort keeps them stable). */
function ascending(a: Scalar, b: Scalar): number {
  const an = nan(a);
  const bn = nan(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** PyTorch's `gt_or_nan` of its quickselect: NaN above everything. */
const gtOrNan = (a: Scalar, b: Scalar): boolean => (nan(a) && !nan(b)) || a > b;

/** The positions 0..n-1 of `row` in stable order (ascending or descending, NaN largest). */
function stablePerm(row: readonly Scalar[], descending: boolean): number[] {
  const perm = Array.from({ length: row.length }, (_, j) => j);
  perm.sort(descending ? (a, b) => ascending(row[b], row[a]) : (a, b) => ascending(row[a], row[b]));
  return perm;
}

/**
 * PyTorch 1.13's CPU kthvalue selection (aten/src/ATen/native/Sorting.cpp,
 * quick_select_template: Sedgewick's partition, median of three), ported step for step so that
 * the index picked among equal values is PyTorch's.
 */
function quickSelect(vals: Scalar[], idx: number[], k: number): void {
  const swap = (i: number, j: number): void => {
    const v = vals[i];
    vals[i] = vals[j];
    vals[j] = v;
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  };
  let L = 0;
  let R = vals.length - 1;
  for (;;) {
    if (R <= L) return;
    if (R === L + 1) {
      if (gtOrNan(vals[L], vals[R])) swap(L, R);
      return;
    }
    const P = (L + R) >> 1;
    swap(P, L + 1);
    if (gtOrNan(vals[L + 1], vals[R])) swap(L + 1, R);
    if (gtOrNan(vals[L], vals[R])) swap(L, R);
    if (gtOrNan(vals[L + 1], vals[L])) swap(L + 1, L);
    let i = L + 1;
    let j = R;
    const piv = vals[L];
    for (;;) {
      do i++;
      while (gtOrNan(piv, vals[i]));
      do j--;
      while (gtOrNan(vals[j], piv));
      if (j < i) break;
      swap(i, j);
    }
    swap(L, j);
    if (j <= k) L = i;
    if (j >= k) R = j - 1;
  }
}

// ---- device side ----------------------------------------------------------------------------

/**
 * Uploads per-row positions (`m` per row, laid out as `x` with dim `d` of size m) and returns
 * the values gathered from `x` at them (differentiable) and the positions as PyTorch's index
 * dtype (int64 where the backend stores it).
 */
function selectAt(
  op: string,
  x: Tensor,
  d: number,
  pos: Int32Array,
  m: number,
  keepdim: boolean,
): ValuesIndices {
  const base = x.ndim === 0 ? reshape(x, [1]) : x;
  const shape = [...base.shape];
  shape[d] = m;
  const p = fromArray(op, pos, shape, 'int32', { device: x.device });
  let values = gather(base, d, p);
  let indices = cast(p, indexDtype(x));
  if (x.ndim === 0) {
    values = reshape(values, []);
    indices = reshape(indices, []);
  } else if (!keepdim) {
    values = squeeze(values, d);
    indices = squeeze(indices, d);
  }
  return new ValuesIndices(values, indices);
}

/** Per-row positions: `pick(row)` returns the `m` chosen positions of one row. */
function positions(rows: Rows, m: number, pick: (row: Scalar[]) => ArrayLike<number>): Int32Array {
  const pos = new Int32Array(rows.outer * m * rows.inner);
  eachRow(rows, (row, o, i) => {
    const chosen = pick(row);
    for (let j = 0; j < m; j++) pos[(o * m + j) * rows.inner + i] = chosen[j];
  });
  return pos;
}

function dimOf(op: string, x: Tensor, dim: number | null | undefined): number {
  return normDim(op, dim ?? -1, x.ndim);
}

function refuseBool(op: string, x: Tensor): void {
  if (x.dtype === 'bool') {
    throw new Error(`${op}: not implemented for bool tensors (as in PyTorch); cast first, e.g. x.int()`);
  }
}

function checkNonEmptyDim(op: string, x: Tensor, d: number): void {
  if (x.ndim > 0 && x.shape[d] === 0) {
    throw new Error(`${op}: expected reduction dim ${d} to have non-zero size (shape ${fmtShape(x.shape)})`);
  }
}

// ---- the ops --------------------------------------------------------------------------------

/**
 * Sorts `x` along `dim` (default the last): PyTorch's `sort(input, dim=-1, descending=False, *,
 * stable=False)`, returning `{ values, indices }` (iterable as `[values, indices]`; indices
 * int64). NaN sorts as the largest value; equal elements keep their input order (always
 * stable, as PyTorch's CPU sort). The gradient of `values` goes back to the sorted positions.
 *
 * Host round trip: the order is computed in JS after reading `x` back synchronously (the values
 * themselves are gathered on the device); throws on backends that only read asynchronously.
 *
 * ```ts
 * const { values, indices } = sort(tensor([3, 1, 2]));            // [1, 2, 3], [1, 2, 0]
 * const [desc] = x.sort(0, true);                                  // or x.sort({ dim: 0, descending: true })
 * ```
 */
export function sort(
  x: Tensor,
  ...rest: PosOrOpts<[dim: number, descending: boolean], SortOptions>
): ValuesIndices {
  const a = SORT.parse<{ input: Tensor; dim?: number; descending?: boolean }>([x, ...rest]);
  return sortImpl('sort', a.input, a.dim, a.descending ?? false);
}

function sortImpl(op: string, x: Tensor, dim: number | undefined, descending: boolean): ValuesIndices {
  checkTensor(op, x);
  const d = dimOf(op, x, dim);
  const rows = hostRows(op, x, d);
  const pos = positions(rows, rows.n, (row) => stablePerm(row, descending));
  return selectAt(op, x, d, pos, rows.n, true);
}

/**
 * The indices that sort `x` along `dim` (int64): PyTorch's `argsort(input, dim=-1,
 * descending=False, *, stable=False)`, i.e. `sort(...).indices` (stable; NaN largest). Host
 * round trip, as {@link sort}.
 *
 * ```ts
 * argsort(tensor([3, 1, 2])); // tensor([1, 2, 0])
 * ```
 */
export function argsort(
  x: Tensor,
  ...rest: PosOrOpts<[dim: number, descending: boolean], SortOptions>
): Tensor {
  const a = ARGSORT.parse<{ input: Tensor; dim?: number; descending?: boolean }>([x, ...rest]);
  return noGrad(() => sortImpl('argsort', a.input, a.dim, a.descending ?? false).indices);
}

/**
 * The `k` largest (or, with `largest = false`, smallest) elements along `dim` (default the
 * last): PyTorch's `topk(input, k, dim=None, largest=True, sorted=True)` → `{ values, indices }`.
 * NaN counts as the largest value. Results are always sorted (PyTorch leaves the order
 * unspecified when `sorted = false`); among equal values the lower index comes first (PyTorch
 * leaves that unspecified too). Host round trip, as {@link sort}.
 *
 * ```ts
 * const [values, indices] = logits.topk(5);          // the 5 largest along the last dim
 * const { values: lo } = topk(x, 2, 0, false);        // the 2 smallest along dim 0
 * ```
 */
export function topk(
  x: Tensor,
  k: number,
  ...rest: PosOrOpts<[dim: number | null, largest: boolean, sorted: boolean], TopkOptions>
): ValuesIndices;
export function topk(x: Tensor, options: TopkOptions & { k: number }): ValuesIndices;
export function topk(x: Tensor, ...rest: unknown[]): ValuesIndices {
  const a = TOPK.parse<{ input: Tensor; k: number; dim?: number | null; largest?: boolean }>([x, ...rest]);
  x = a.input;
  checkTensor('topk', x);
  refuseBool('topk', x);
  const d = dimOf('topk', x, a.dim);
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (a.k < 0 || a.k > n) {
    throw new RangeError(
      `topk: k = ${a.k} is out of range for dim ${d} of size ${n} (shape ${fmtShape(x.shape)})`,
    );
  }
  const descending = a.largest ?? true;
  // PyTorch returns a 0-d input unchanged for k = 0 or 1.
  const k = x.ndim === 0 ? 1 : a.k;
  const rows = hostRows('topk', x, d);
  const pos = positions(rows, k, (row) => stablePerm(row, descending));
  return selectAt('topk', x, d, pos, k, true);
}

/**
 * The `k`-th smallest element (1-based) along `dim` (default the last) and its index:
 * PyTorch's `kthvalue(input, k, dim=None, keepdim=False)`. NaN counts as the largest value.
 * Among equal values the index is the one PyTorch's CPU kernel picks (its quickselect, ported).
 * Host round trip, as {@link sort}.
 *
 * ```ts
 * const { values, indices } = kthvalue(tensor([4, 1, 3, 2]), 2); // 2, 3
 * ```
 */
export function kthvalue(
  x: Tensor,
  k: number,
  ...rest: PosOrOpts<[dim: number | null, keepdim: boolean], KthvalueOptions>
): ValuesIndices;
export function kthvalue(x: Tensor, options: KthvalueOptions & { k: number }): ValuesIndices;
export function kthvalue(x: Tensor, ...rest: unknown[]): ValuesIndices {
  const a = KTHVALUE.parse<{ input: Tensor; k: number; dim?: number | null; keepdim?: boolean }>([
    x,
    ...rest,
  ]);
  x = a.input;
  checkTensor('kthvalue', x);
  refuseBool('kthvalue', x);
  const d = dimOf('kthvalue', x, a.dim);
  checkNonEmptyDim('kthvalue', x, d);
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (a.k < 1 || a.k > n) {
    throw new RangeError(`kthvalue: k = ${a.k} is out of range for dim ${d} of size ${n} (expected 1..${n})`);
  }
  const rows = hostRows('kthvalue', x, d);
  const pos = positions(rows, 1, (row) => {
    const vals = row.slice();
    const idx = Array.from({ length: vals.length }, (_, j) => j);
    quickSelect(vals, idx, a.k - 1);
    return [idx[a.k - 1]];
  });
  return selectAt('kthvalue', x, d, pos, 1, a.keepdim ?? false);
}

/**
 * PyTorch's `median`. `median(x)`: the lower median of all elements (the `(n-1)/2`-th
 * smallest, no averaging), NaN when any element is NaN (NaN for an empty float tensor); its
 * gradient is shared evenly by the elements equal to it, as PyTorch's. `median(x, dim,
 * keepdim?)`: `{ values, indices }` along `dim`; a row holding NaN gives its first NaN; among
 * equal values the index is PyTorch's (the lowest index at that rank). Host round trip, as
 * {@link sort}.
 *
 * ```ts
 * median(tensor([1, 4, 2, 3]));                 // tensor(2.)
 * const [m, i] = x.median(1, true);             // per row, keeping the dim
 * ```
 */
export function median(x: Tensor): Tensor;
export function median(
  x: Tensor,
  dim: number,
  ...rest: PosOrOpts<[keepdim: boolean], { keepdim?: boolean }>
): ValuesIndices;
export function median(x: Tensor, options: DimKeepdimOptions & { dim: number }): ValuesIndices;
export function median(x: Tensor, ...rest: unknown[]): Tensor | ValuesIndices {
  const a = MEDIAN.parse<{ input: Tensor; dim?: number; keepdim?: boolean }>([x, ...rest]);
  x = a.input;
  checkTensor('median', x);
  refuseBool('median', x);
  if (a.dim === undefined) {
    if (a.keepdim !== undefined)
      throw new TypeError('median: keepdim needs a dim (median(input, dim, keepdim))');
    return medianAll(x);
  }
  const d = dimOf('median', x, a.dim);
  checkNonEmptyDim('median', x, d);
  const rows = hostRows('median', x, d);
  const pos = positions(rows, 1, (row) => [medianPos(row)]);
  return selectAt('median', x, d, pos, 1, a.keepdim ?? false);
}

/** The first NaN, else the element of stable rank (n-1)/2 (PyTorch's nth_element on (value, index)). */
function medianPos(row: readonly Scalar[]): number {
  const firstNan = row.findIndex(nan);
  if (firstNan >= 0) return firstNan;
  return stablePerm(row, false)[(row.length - 1) >> 1];
}

function medianAll(x: Tensor): Tensor {
  const n = x.numel();
  if (n === 0) {
    if (!isFloat(x.dtype)) throw new Error(`median: cannot take the median of an empty ${x.dtype} tensor`);
    const y = full([], Number.NaN, { dtype: x.dtype, device: x.device });
    return record('MedianBackward', y, [x], () => [full(x.shape, 0, { dtype: x.dtype, device: x.device })]);
  }
  const flat = reshape(x, [n]);
  const rows = hostRows('median', flat, 0);
  const p = medianPos(Array.from(rows.data as ArrayLike<Scalar>));
  const pos = fromArray('median', Int32Array.of(p), [1], 'int32', { device: x.device });
  const isNan = nan(rows.data[p] as Scalar);
  const y = noGrad(() => reshape(gather(flat, 0, pos), []));
  // PyTorch's evenly_distribute_backward: the gradient is shared by the elements equal to the
  // median (the NaNs when it is NaN).
  return record(
    'MedianBackward',
    y,
    [x],
    (g) => {
      const mask = cast(isNan ? isnan(x) : eq(x, y), g.dtype);
      return [div(mul(g, mask), sum(mask))];
    },
    [y],
  );
}

/**
 * The most frequent value along `dim` (default the last) and an index of it: PyTorch's
 * `mode(input, dim=-1, keepdim=False)`. Among equally frequent values the smallest wins; the
 * index is the value's last occurrence (PyTorch's CPU kernel gives that for rows of up to 16
 * elements; on longer rows its unstable sort may report another occurrence). Each NaN counts
 * as a value of its own (NaN != NaN). Host round trip, as {@link sort}.
 *
 * ```ts
 * const { values, indices } = mode(tensor([2, 1, 2, 1, 3])); // 1, 3
 * ```
 */
export function mode(
  x: Tensor,
  ...rest: PosOrOpts<[dim: number, keepdim: boolean], DimKeepdimOptions>
): ValuesIndices {
  const a = MODE.parse<{ input: Tensor; dim?: number; keepdim?: boolean }>([x, ...rest]);
  x = a.input;
  checkTensor('mode', x);
  const d = dimOf('mode', x, a.dim);
  checkNonEmptyDim('mode', x, d);
  const rows = hostRows('mode', x, d);
  const pos = positions(rows, 1, (row) => {
    const perm = stablePerm(row, false);
    let best = perm[0];
    let bestFreq = 0;
    let freq = 0;
    for (let j = 0; j < perm.length; j++) {
      freq++;
      const v = row[perm[j]];
      // Runs of equal values; NaN != NaN, so each NaN is a run of one (as PyTorch's scan).
      if (j === perm.length - 1 || v !== row[perm[j + 1]]) {
        if (freq > bestFreq) {
          best = perm[j];
          bestFreq = freq;
        }
        freq = 0;
      }
    }
    return [best];
  });
  return selectAt('mode', x, d, pos, 1, a.keepdim ?? false);
}

function cumExtremum(op: 'cummax' | 'cummin', x: Tensor, dim: number): ValuesIndices {
  checkTensor(op, x);
  const d = dimOf(op, x, dim);
  const rows = hostRows(op, x, d);
  const better = op === 'cummax' ? (v: Scalar, o: Scalar) => v >= o : (v: Scalar, o: Scalar) => v <= o;
  const pos = positions(rows, rows.n, (row) => {
    const idx = new Int32Array(row.length);
    let best = row[0];
    let at = 0;
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      // PyTorch's cummax_cummin_helper: a NaN takes over (and each later NaN); ties move to the later index.
      if (nan(v) || (!nan(best) && better(v, best))) {
        best = v;
        at = j;
      }
      idx[j] = at;
    }
    return idx;
  });
  return selectAt(op, x, d, pos, rows.n, true);
}

/**
 * The running maximum along `dim` and where it was reached: PyTorch's `cummax(input, dim)` →
 * `{ values, indices }`. On ties the later index is reported; once a NaN is met the values stay
 * NaN (indices follow each later NaN), as PyTorch's. The gradient of `values` is scattered back
 * to the indices. Host round trip (a sequential scan in JS after a synchronous read), as
 * {@link sort}.
 *
 * ```ts
 * const [values, indices] = cummax(tensor([1, 3, 2, 5]), 0); // [1, 3, 3, 5], [0, 1, 1, 3]
 * ```
 */
export function cummax(x: Tensor, ...rest: [dim: number] | [options: { dim: number }]): ValuesIndices {
  const a = CUMMAX.parse<{ input: Tensor; dim: number }>([x, ...rest]);
  return cumExtremum('cummax', a.input, a.dim);
}

/** The running minimum along `dim` and where it was reached: PyTorch's `cummin`, as {@link cummax}. */
export function cummin(x: Tensor, ...rest: [dim: number] | [options: { dim: number }]): ValuesIndices {
  const a = CUMMIN.parse<{ input: Tensor; dim: number }>([x, ...rest]);
  return cumExtremum('cummin', a.input, a.dim);
}
