// Installs the indexing ops (index, indexPut_, masked_*, index_*, scatter*, take*, nonzero)
// and the view ops of ops/view.ts (select, unbind, diagonal, unfold, asStrided) as Tensor
// methods, and makes tensors iterable over dim 0. Types are merged into the class below.
import { Tensor } from '../tensor/tensor.js';
import { indexAdd, indexAdd_, indexCopy, indexCopy_, indexFill, indexFill_ } from './index-dim.js';
import { index } from './index-get.js';
import type { IndexEntry } from './index-parse.js';
import { type AccumulateArg, indexPut, indexPut_ } from './index-put.js';
import { maskedFill, maskedFill_, maskedScatter, maskedScatter_, maskedSelect } from './masked.js';
import { type NonzeroOptions, nonzero } from './nonzero.js';
import { type ScatterReduceArg, scatter, scatter_ } from './scatter.js';
import {
  type ScatterReduceOptions,
  type ScatterReduction,
  scatterReduce,
  scatterReduce_,
} from './scatter-reduce.js';
import { take, takeAlongDim } from './take.js';
import { asStrided, diagonal, select, unbind, unfold } from './view.js';

declare module '../tensor/tensor.js' {
  interface Tensor {
    /** `x[idx]` (Python indexing): see {@link index}. Basic indices give a view, advanced a copy. */
    index(...idx: IndexEntry[]): Tensor;
    /** `x[indices] = values` in place: see {@link indexPut_}. Returns this. */
    indexPut_(
      indices: readonly IndexEntry[],
      values: Tensor | number | boolean,
      accumulate?: AccumulateArg,
    ): Tensor;
    /** Out-of-place {@link indexPut_}. */
    indexPut(
      indices: readonly IndexEntry[],
      values: Tensor | number | boolean,
      accumulate?: AccumulateArg,
    ): Tensor;
    /** `value` where `mask` is true (PyTorch's `masked_fill`). */
    maskedFill(mask: Tensor, value: Tensor | number | boolean): Tensor;
    maskedFill_(mask: Tensor, value: Tensor | number | boolean): Tensor;
    /** The elements where `mask` is true, 1-D (PyTorch's `masked_select`). */
    maskedSelect(mask: Tensor): Tensor;
    /** `source`'s first elements where `mask` is true (PyTorch's `masked_scatter`). */
    maskedScatter(mask: Tensor, source: Tensor): Tensor;
    maskedScatter_(mask: Tensor, source: Tensor): Tensor;
    /** Indices of the non-zero elements: `[n, ndim]`, or one 1-D tensor per dim with `asTuple`. */
    nonzero(opts: { asTuple: true }): Tensor[];
    nonzero(opts?: { asTuple?: false }): Tensor;
    nonzero(opts?: NonzeroOptions): Tensor | Tensor[];
    /** Adds `alpha * source` into the slices `index` of `dim` (PyTorch's `index_add`). */
    indexAdd(dim: number, index: Tensor, source: Tensor, alpha?: number | { alpha?: number }): Tensor;
    indexAdd_(dim: number, index: Tensor, source: Tensor, alpha?: number | { alpha?: number }): Tensor;
    /** Replaces the slices `index` of `dim` by `source`'s (PyTorch's `index_copy`). */
    indexCopy(dim: number, index: Tensor, source: Tensor): Tensor;
    indexCopy_(dim: number, index: Tensor, source: Tensor): Tensor;
    /** Fills the slices `index` of `dim` with `value` (PyTorch's `index_fill`). */
    indexFill(dim: number, index: Tensor, value: Tensor | number | boolean): Tensor;
    indexFill_(dim: number, index: Tensor, value: Tensor | number | boolean): Tensor;
    /** Writes `src` at `index` along `dim` (PyTorch's `scatter`, optional `reduce`). */
    scatter(dim: number, index: Tensor, src: Tensor | number | boolean, reduce?: ScatterReduceArg): Tensor;
    scatter_(dim: number, index: Tensor, src: Tensor | number | boolean, reduce?: ScatterReduceArg): Tensor;
    /** Reduces `src` into `index` along `dim` (PyTorch's `scatter_reduce`). */
    scatterReduce(
      dim: number,
      index: Tensor,
      src: Tensor,
      reduce: ScatterReduction,
      opts?: ScatterReduceOptions | boolean,
    ): Tensor;
    scatterReduce_(
      dim: number,
      index: Tensor,
      src: Tensor,
      reduce: ScatterReduction,
      opts?: ScatterReduceOptions | boolean,
    ): Tensor;
    /** The elements at flat positions `index` (PyTorch's `take`). */
    take(index: Tensor): Tensor;
    /** Gathers along `dim` with broadcasting (PyTorch's `take_along_dim`). */
    takeAlongDim(indices: Tensor, dim?: number | null): Tensor;
    /** The slice `index` of `dim`, without that dim (a view). */
    select(dim: number, index: number): Tensor;
    /** The slices of `dim` (views). */
    unbind(dim?: number): Tensor[];
    /** The diagonal of dims `dim1`, `dim2` as a last dim (a view). */
    diagonal(offset?: number, dim1?: number, dim2?: number): Tensor;
    /** Windows of `size` every `step` along `dim`, as a new last dim (a view). */
    unfold(dimension: number, size: number, step: number): Tensor;
    /** A view with explicit sizes, strides and storage offset (PyTorch's `as_strided`). */
    asStrided(size: readonly number[], stride: readonly number[], storageOffset?: number): Tensor;
    /** Iterates over dim 0, yielding views `x.select(0, i)` (a 0-d tensor is a TypeError). */
    [Symbol.iterator](): Iterator<Tensor>;
  }
}

/** `x.name(...args)` as the op `(x, ...args)` the method declared above stands for. */
type AsOp<M> = M extends (...args: infer A) => infer R ? (x: Tensor, ...args: A) => R : never;

/** The ops installed as methods: `x.name(...args)` is `op(x, ...args)`, typed against the declarations. */
const METHODS = {
  index,
  indexPut_,
  indexPut,
  maskedFill,
  maskedFill_,
  maskedSelect,
  maskedScatter,
  maskedScatter_,
  nonzero,
  indexAdd,
  indexAdd_,
  indexCopy,
  indexCopy_,
  indexFill,
  indexFill_,
  scatter,
  scatter_,
  scatterReduce,
  scatterReduce_,
  take,
  takeAlongDim,
  select,
  unbind,
  diagonal,
  unfold,
  asStrided,
} satisfies { [K in keyof Tensor]?: AsOp<Tensor[K]> };

const P = Tensor.prototype as unknown as Record<string, (this: Tensor, ...args: unknown[]) => unknown>;
for (const [name, op] of Object.entries(METHODS) as [string, (x: Tensor, ...args: unknown[]) => unknown][]) {
  P[name] = function (...args) {
    return op(this, ...args);
  };
}
Tensor.prototype[Symbol.iterator] = function (this: Tensor): Iterator<Tensor> {
  if (this.ndim === 0) throw new TypeError('iteration over a 0-d tensor');
  const x = this;
  const n = x.shape[0];
  return (function* () {
    for (let i = 0; i < n; i++) yield select(x, 0, i);
  })();
};
