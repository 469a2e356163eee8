// scatter / scatter_: writes src (or a value) at the positions an index tensor gives along a dim.
import type { DataArray } from '../backend/types.js';
import { fmtShape, normDim, sizeOf, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { IndexError } from './index-parse.js';
import { inplace } from './inplace.js';
import { putPositions } from './put-positions.js';
import { scatterReduceAt } from './scatter-reduce.js';
import { slice as block, expand } from './shape.js';
import { checkSameDevice, checkTensor, scalarLike } from './util.js';

/** Where scatter-family ops write: one row-major position in `x` per element of `index`. */
export interface ScatterTargets {
  readonly dim: number;
  readonly positions: Int32Array;
}

/**
 * The row-major positions in `x` that `index` (x's rank; no larger than x outside `dim`, nor
 * than `src` anywhere) addresses along `dim`: element `(i, j, …)` of `index` goes to `x` at
 * `(i, j, …)` with the `dim` coordinate replaced by its value.
 */
export function scatterTargets(
  op: string,
  x: Tensor,
  dim: number,
  index: Tensor,
  srcShape: readonly number[] | null,
): ScatterTargets {
  checkTensor(op, index, 'index');
  checkSameDevice(op, x, index);
  if (index.dtype !== 'int32' && index.dtype !== 'int64') {
    throw new TypeError(`${op}: expected dtype int32/int64 for index but got ${index.dtype}`);
  }
  const nd = Math.max(x.ndim, 1);
  const d = normDim(op, dim, nd);
  const xs = x.ndim === 0 ? [1] : x.shape;
  const is = index.ndim === 0 ? [1] : index.shape;
  const ss = srcShape === null ? null : srcShape.length === 0 ? [1] : srcShape;
  if (is.length !== nd || (ss !== null && ss.length !== nd)) {
    throw new Error(
      `${op}: index ${fmtShape(index.shape)}${ss ? `, src ${fmtShape(srcShape!)}` : ''} and self ${fmtShape(x.shape)} must have the same number of dimensions`,
    );
  }
  const fits = is.every((s, k) => (k === d || s <= xs[k]) && (ss === null || s <= ss[k]));
  if (!fits && sizeOf(is) > 0) {
    throw new Error(
      `${op}: expected index ${fmtShape(index.shape)} to be smaller than self ${fmtShape(x.shape)} apart from dimension ${d}` +
        (ss ? ` and to be smaller size than src ${fmtShape(srcShape!)}` : ''),
    );
  }
  const raw = index.dataSync<DataArray>();
  const n = raw.length;
  const xStrides = stridesOf(xs);
  const positions = new Int32Array(n);
  const coord = new Array<number>(nd).fill(0);
  const size = xs[d];
  for (let i = 0; i < n; i++) {
    const v = Number(raw[i]);
    if (v < 0 || v >= size) {
      throw new IndexError(`${op}: index ${v} is out of bounds for dimension ${d} with size ${size}`);
    }
    let p = 0;
    for (let k = 0; k < nd; k++) p += (k === d ? v : coord[k]) * xStrides[k];
    positions[i] = p;
    for (let k = nd - 1; k >= 0; k--) {
      if (++coord[k] < is[k]) break;
      coord[k] = 0;
    }
  }
  return { dim: d, positions };
}

/** `src`'s leading block of `index`'s shape (what scatter reads), or the value repeated. */
export function scatterValues(op: string, x: Tensor, index: Tensor, src: Tensor | number | boolean): Tensor {
  if (src instanceof Tensor) {
    checkTensor(op, src, 'src');
    checkSameDevice(op, x, src);
    if (src.dtype !== x.dtype) {
      throw new TypeError(
        `${op}: expected self.dtype to be equal to src.dtype, got ${x.dtype} and ${src.dtype}`,
      );
    }
    if (src.ndim === 0 || index.shape.every((s, k) => s === src.shape[k])) return src;
    return block(
      src,
      index.shape.map(() => 0),
      index.shape,
    );
  }
  if (typeof src !== 'number' && typeof src !== 'boolean') {
    throw new TypeError(`${op}: src must be a Tensor or a number, got ${src === null ? 'null' : typeof src}`);
  }
  const v = Number(src);
  return expand(scalarLike(x, x.dtype === 'bool' ? (v !== 0 ? 1 : 0) : v, x.dtype), index.shape);
}

/** The reductions {@link scatter} takes (PyTorch's `reduce=`). */
export type ScatterReduceMode = 'add' | 'multiply';

/** `reduce` given positionally or as `{ reduce }`. */
export type ScatterReduceArg =
  | ScatterReduceMode
  | {
      /** Combine with the existing values by `'add'` or `'multiply'` instead of replacing them. */
      reduce?: ScatterReduceMode;
    };

function reduceOf(a: ScatterReduceArg | undefined): ScatterReduceMode | undefined {
  if (a === undefined) return undefined;
  let r: unknown = a;
  if (typeof a === 'object' && a !== null) {
    const unknown = Object.keys(a).filter((k) => k !== 'reduce');
    if (unknown.length > 0) throw new Error(`scatter: unknown option '${unknown[0]}'; accepted: reduce`);
    r = a.reduce;
    if (r === undefined) return undefined;
  }
  if (r !== 'add' && r !== 'multiply') {
    throw new Error(`scatter: reduce argument must be either 'add' or 'multiply', got ${JSON.stringify(r)}`);
  }
  return r;
}

/**
 * A copy of `x` with `src` written at the positions `index` gives along `dim` (PyTorch's
 * `scatter`): for dim 0, `out[index[i][j]][j] = src[i][j]`. `src` is a tensor (at least as
 * large as `index`, same dtype as `x`) or a number. With `reduce: 'add'` or `'multiply'`
 * (positional or `{ reduce }`) values combine with `x`'s (and with each other when indices
 * repeat); without it a position written twice keeps the last value (PyTorch: undefined).
 * Differentiable in `x` and `src` (also with `reduce`, where PyTorch has no gradient).
 */
export function scatter(
  x: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor | number | boolean,
  reduce?: ScatterReduceArg,
): Tensor {
  checkTensor('scatter', x);
  const r = reduceOf(reduce);
  const srcShape = src instanceof Tensor ? src.shape : null;
  const { positions } = scatterTargets('scatter', x, dim, index, srcShape);
  const v = scatterValues('scatter', x, index, src);
  if (r === 'multiply') return scatterReduceAt('scatter', x, positions, v, 'prod', true);
  return putPositions('scatter', x, positions, v, r === 'add');
}

/** In-place {@link scatter}. Returns `x`. */
export function scatter_(
  x: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor | number | boolean,
  reduce?: ScatterReduceArg,
): Tensor {
  checkTensor('scatter_', x);
  return inplace('scatter_', x, (self) => scatter(self, dim, index, src, reduce));
}
