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
    /**
     * `x[idx]` (Python indexing): see {@link index}. Basic indices give a view, advanced a copy.
     *
     * @param idx - Per dim: an integer (negative counts from the end), a slice `'start:stop:step'`
     *   or `slice(…)`, `'...'`, `null` (new axis), an integer tensor or `number[]`, a bool mask.
     * @throws IndexError for an index out of range or too many indices.
     *
     * @example
     * ```ts
     * x.index(0);              // x[0]
     * x.index('...', '1:3');   // x[..., 1:3]
     * x.index(null, 0, [2, 0]); // x[None, 0, [2, 0]]
     * x.index(x.gt(0));        // x[x > 0], 1-D
     * ```
     */
    index(...idx: IndexEntry[]): Tensor;
    /**
     * `x[indices] = values` in place (PyTorch's `index_put_`, or `x[idx] += values` with
     * `accumulate`): see {@link indexPut_}. Returns this.
     *
     * @param indices - The index entries, as for {@link index}, in one array.
     * @param values - Broadcast to the indexed shape.
     * @param accumulate - Add instead of assigning (repeated positions then sum).
     *
     * @example
     * ```ts
     * x.indexPut_([x.lt(0)], 0);   // x[x < 0] = 0
     * x.indexPut_(['1:3', 0], v);  // x[1:3, 0] = v
     * ```
     */
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
    /**
     * A copy with `value` where `mask` (bool, broadcast to this shape) is true (PyTorch's
     * `masked_fill`).
     *
     * @example
     * ```ts
     * scores.maskedFill(padMask, -Infinity);
     * ```
     */
    maskedFill(mask: Tensor, value: Tensor | number | boolean): Tensor;
    /** In-place {@link maskedFill}; returns this. */
    maskedFill_(mask: Tensor, value: Tensor | number | boolean): Tensor;
    /** The elements where `mask` is true, 1-D (PyTorch's `masked_select`). */
    maskedSelect(mask: Tensor): Tensor;
    /** `source`'s first elements where `mask` is true (PyTorch's `masked_scatter`). */
    maskedScatter(mask: Tensor, source: Tensor): Tensor;
    /** In-place {@link maskedScatter}; returns this. */
    maskedScatter_(mask: Tensor, source: Tensor): Tensor;
    /**
     * Indices of the non-zero elements, one 1-D int64 tensor per dim (int32 on a backend
     * without int64), PyTorch's `nonzero(as_tuple=True)`. Reads the values back to the host, so
     * it throws on backends that only read asynchronously.
     */
    nonzero(opts: { asTuple: true }): Tensor[];
    /** Indices of the non-zero elements as an int64 `[n, ndim]` tensor (PyTorch's `nonzero()`). */
    nonzero(opts?: { asTuple?: false }): Tensor;
    /** Indices of the non-zero elements: `[n, ndim]`, or one 1-D tensor per dim with `asTuple`. */
    nonzero(opts?: NonzeroOptions): Tensor | Tensor[];
    /** Adds `alpha * source` into the slices `index` of `dim` (PyTorch's `index_add`). */
    indexAdd(dim: number, index: Tensor, source: Tensor, alpha?: number | { alpha?: number }): Tensor;
    /** In-place {@link indexAdd}; returns this. */
    indexAdd_(dim: number, index: Tensor, source: Tensor, alpha?: number | { alpha?: number }): Tensor;
    /** Replaces the slices `index` of `dim` by `source`'s (PyTorch's `index_copy`). */
    indexCopy(dim: number, index: Tensor, source: Tensor): Tensor;
    /** In-place {@link indexCopy}; returns this. */
    indexCopy_(dim: number, index: Tensor, source: Tensor): Tensor;
    /** Fills the slices `index` of `dim` with `value` (PyTorch's `index_fill`). */
    indexFill(dim: number, index: Tensor, value: Tensor | number | boolean): Tensor;
    /** In-place {@link indexFill}; returns this. */
    indexFill_(dim: number, index: Tensor, value: Tensor | number | boolean): Tensor;
    /** Writes `src` at `index` along `dim` (PyTorch's `scatter`, optional `reduce`). */
    scatter(dim: number, index: Tensor, src: Tensor | number | boolean, reduce?: ScatterReduceArg): Tensor;
    /** In-place {@link scatter}; returns this. */
    scatter_(dim: number, index: Tensor, src: Tensor | number | boolean, reduce?: ScatterReduceArg): Tensor;
    /** Reduces `src` into `index` along `dim` (PyTorch's `scatter_reduce`). */
    scatterReduce(
      dim: number,
      index: Tensor,
      src: Tensor,
      reduce: ScatterReduction,
      opts?: ScatterReduceOptions | boolean,
    ): Tensor;
    /** In-place {@link scatterReduce}; returns this. */
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
