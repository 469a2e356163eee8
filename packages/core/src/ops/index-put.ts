import { fmtShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add } from './binary.js';
import { cast } from './convert.js';
import { index } from './index-get.js';
import { type IndexEntry, IndexError, isBasicIndex } from './index-parse.js';
import { indexPositions } from './index-positions.js';
import { inplace } from './inplace.js';
import { putPositions } from './put-positions.js';
import { expand, reshape } from './shape.js';
import { checkSameDevice, checkTensor, scalarLike } from './util.js';

/** `accumulate` given positionally or as `{ accumulate }` (PyTorch's keyword). */
export type AccumulateArg =
  | boolean
  | {
      /** Add the values into the indexed elements instead of assigning them (default false). */
      accumulate?: boolean;
    };

function accumulateOf(op: string, a: AccumulateArg | undefined): boolean {
  if (a === undefined) return false;
  if (typeof a === 'boolean') return a;
  if (a !== null && typeof a === 'object') {
    const unknown = Object.keys(a).filter((k) => k !== 'accumulate');
    if (unknown.length > 0) throw new Error(`${op}: unknown option '${unknown[0]}'; accepted: accumulate`);
    if (a.accumulate !== undefined && typeof a.accumulate !== 'boolean') {
      throw new TypeError(`${op}: accumulate must be a boolean`);
    }
    return a.accumulate ?? false;
  }
  throw new TypeError(`${op}: accumulate must be a boolean or { accumulate }`);
}

function checkIndices(op: string, indices: unknown): readonly IndexEntry[] {
  if (!Array.isArray(indices)) {
    throw new TypeError(
      `${op}: indices must be an array of index entries (e.g. [mask] or ['1:3', 0]), got ${indices instanceof Tensor ? 'a Tensor (wrap it: [t])' : typeof indices}`,
    );
  }
  return indices as IndexEntry[];
}

/**
 * `values` (tensor or number) as a tensor of `x`'s dtype broadcast to `shape`, PyTorch's rules
 * for `x[idx] = values` (leading size-1 dims of `values` beyond `shape`'s rank are dropped).
 */
export function valuesFor(
  op: string,
  x: Tensor,
  values: Tensor | number | boolean,
  shape: readonly number[],
): Tensor {
  let v: Tensor;
  if (values instanceof Tensor) {
    checkTensor(op, values, 'values');
    checkSameDevice(op, x, values);
    v = values.dtype === x.dtype ? values : cast(values, x.dtype);
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    const n = Number(values);
    v = scalarLike(x, x.dtype === 'bool' ? (n !== 0 ? 1 : 0) : n, x.dtype);
  } else {
    throw new TypeError(
      `${op}: values must be a Tensor or a number, got ${values === null ? 'null' : typeof values}`,
    );
  }
  let lead = 0;
  while (v.ndim - lead > shape.length && v.shape[lead] === 1) lead++;
  if (lead > 0) v = reshape(v, v.shape.slice(lead));
  const ok =
    v.ndim <= shape.length && v.shape.every((d, i) => d === 1 || d === shape[shape.length - v.ndim + i]);
  if (!ok) {
    throw new IndexError(
      `${op}: shape mismatch: value tensor of shape ${fmtShape(values instanceof Tensor ? values.shape : [])} cannot be broadcast to indexing result of shape ${fmtShape(shape)}`,
    );
  }
  return expand(v, shape);
}

/**
 * Out-of-place {@link indexPut_}: a copy of `x` with `x[indices] = values` (or `+=` with
 * `accumulate`). Differentiable in `x` and `values`.
 */
export function indexPut(
  x: Tensor,
  indices: readonly IndexEntry[],
  values: Tensor | number | boolean,
  accumulate?: AccumulateArg,
): Tensor {
  checkTensor('indexPut', x);
  const acc = accumulateOf('indexPut', accumulate);
  const { positions, shape } = indexPositions('indexPut', x, checkIndices('indexPut', indices));
  return putPositions('indexPut', x, positions, valuesFor('indexPut', x, values, shape), acc);
}

/**
 * `x[indices] = values` in place (PyTorch's `index_put_` and `__setitem__`): `indices` is an
 * ARRAY of index entries of any kind {@link index} takes (`x.indexPut_([mask], 0)`,
 * `x.indexPut_(['1:3', 0], v)`); `values` (a tensor or number) broadcasts to the indexed shape.
 * With `accumulate` (positional or `{ accumulate: true }`) values are added, duplicates summing
 * up. Without it a position indexed twice keeps the last value given for it (PyTorch leaves
 * this undefined). Works on views (writes through to the base) with PyTorch's autograd:
 * gradients flow to `values` and to `x`'s previous values outside the written elements.
 * Returns `x`.
 */
export function indexPut_(
  x: Tensor,
  indices: readonly IndexEntry[],
  values: Tensor | number | boolean,
  accumulate?: AccumulateArg,
): Tensor {
  checkTensor('indexPut_', x);
  const list = checkIndices('indexPut_', indices);
  const acc = accumulateOf('indexPut_', accumulate);
  if (isBasicIndex(list)) {
    // A view of the indexed elements, written through (the in-place-on-view machinery does autograd).
    const view = index(x, ...list);
    const v = valuesFor('indexPut_', x, values, view.shape);
    inplace('indexPut_', view, (self) => (acc ? add(self, v) : v));
    return x;
  }
  return inplace('indexPut_', x, (self) => indexPut(self, list, values, acc));
}
