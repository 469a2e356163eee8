// Installs sort, argsort, topk, kthvalue, median, mode, cummax and cummin (ops/sorting.ts) as
// Tensor methods. Types are merged into the class below.
import type { PosOrOpts } from '../signature/signature.js';
import { Tensor } from '../tensor/tensor.js';
import type { ValuesIndices } from './extremum.js';
import * as S from './sorting.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    /**
     * `{ values, indices }` sorted along `dim` (default -1), ascending unless `descending`
     * (PyTorch's `sort(dim=-1, descending=False, *, stable=False)`; always stable here, NaN
     * largest): see {@link S.sort}. The order is computed on the host, so it throws on backends
     * that only read asynchronously.
     *
     * @example
     * ```ts
     * const [sorted, order] = x.sort(0, true);
     * const { values } = x.sort({ descending: true });
     * ```
     */
    sort(...rest: PosOrOpts<[dim: number, descending: boolean], S.SortOptions>): ValuesIndices;
    /** The indices that sort along `dim` (int64): see {@link S.argsort}. */
    argsort(...rest: PosOrOpts<[dim: number, descending: boolean], S.SortOptions>): Tensor;
    /** The `k` largest (or smallest) along `dim` with their indices: see {@link S.topk}. */
    topk(
      k: number,
      ...rest: PosOrOpts<[dim: number | null, largest: boolean, sorted: boolean], S.TopkOptions>
    ): ValuesIndices;
    /** {@link topk} with every argument by name: `x.topk({ k: 3, dim: 0 })`. */
    topk(options: S.TopkOptions & { k: number }): ValuesIndices;
    /** The `k`-th smallest along `dim` with its index: see {@link S.kthvalue}. */
    kthvalue(
      k: number,
      ...rest: PosOrOpts<[dim: number | null, keepdim: boolean], S.KthvalueOptions>
    ): ValuesIndices;
    /** {@link kthvalue} with every argument by name: `x.kthvalue({ k: 2, dim: 0 })`. */
    kthvalue(options: S.KthvalueOptions & { k: number }): ValuesIndices;
    /** The lower median of all elements; `{ values, indices }` along `dim`: see {@link S.median}. */
    median(): Tensor;
    /**
     * The lower median along `dim` with its index: `{ values, indices }` (PyTorch's
     * `median(dim, keepdim=False)`).
     */
    median(dim: number, ...rest: PosOrOpts<[keepdim: boolean], { keepdim?: boolean }>): ValuesIndices;
    /** The median along `dim`, arguments by name: `x.median({ dim: 1, keepdim: true })`. */
    median(options: S.DimKeepdimOptions & { dim: number }): ValuesIndices;
    /** The most frequent value along `dim` with an index of it: see {@link S.mode}. */
    mode(...rest: PosOrOpts<[dim: number, keepdim: boolean], S.DimKeepdimOptions>): ValuesIndices;
    /** The running maximum along `dim` with its indices: see {@link S.cummax}. */
    cummax(dim: number): ValuesIndices;
    /** {@link cummax} with `dim` by name. */
    cummax(options: { dim: number }): ValuesIndices;
    /** The running minimum along `dim` with its indices: see {@link S.cummin}. */
    cummin(dim: number): ValuesIndices;
    /** {@link cummin} with `dim` by name. */
    cummin(options: { dim: number }): ValuesIndices;
  }
}

const P = Tensor.prototype;
// The functions parse their arguments (positionals and the options object) themselves.
type Fn = (x: Tensor, ...rest: unknown[]) => unknown;
const call = (f: unknown, self: Tensor, rest: unknown[]): never => (f as Fn)(self, ...rest) as never;

P.sort = function (...rest: unknown[]) {
  return call(S.sort, this, rest);
};
P.argsort = function (...rest: unknown[]) {
  return call(S.argsort, this, rest);
};
P.topk = function (...rest: unknown[]) {
  return call(S.topk, this, rest);
};
P.kthvalue = function (...rest: unknown[]) {
  return call(S.kthvalue, this, rest);
};
P.median = function (...rest: unknown[]) {
  return call(S.median, this, rest);
};
P.mode = function (...rest: unknown[]) {
  return call(S.mode, this, rest);
};
P.cummax = function (...rest: unknown[]) {
  return call(S.cummax, this, rest);
};
P.cummin = function (...rest: unknown[]) {
  return call(S.cummin, this, rest);
};
