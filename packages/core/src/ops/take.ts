// take / take_along_dim: gathers by flat indices, or by indices along one dim.
import type { DataArray } from '../backend/types.js';
import { fmtShape, normDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { IndexError } from './index-parse.js';
import { gather } from './indexing.js';
import { takePositions } from './put-positions.js';
import { expand, reshape } from './shape.js';
import { checkSameDevice, checkTensor } from './util.js';

function checkIndexTensor(op: string, x: Tensor, index: Tensor): void {
  checkTensor(op, index, 'indices');
  checkSameDevice(op, x, index);
  if (index.dtype !== 'int32' && index.dtype !== 'int64') {
    throw new TypeError(`${op}: expected an integer (int32/int64) index tensor, got ${index.dtype}`);
  }
}

/**
 * The elements of `x` at the flat (row-major) positions `index` (PyTorch's `take`): the result
 * has `index`'s shape; negative indices count from the end. Differentiable in `x` (repeated
 * indices add up in the gradient).
 */
export function take(x: Tensor, index: Tensor): Tensor {
  checkTensor('take', x);
  checkIndexTensor('take', x, index);
  const n = x.numel();
  const raw = index.dataSync<DataArray>();
  const pos = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = Number(raw[i]);
    if (v < -n || v >= n) {
      throw new IndexError(`take: out of range: tried to access index ${v} on a tensor of ${n} elements`);
    }
    pos[i] = v < 0 ? v + n : v;
  }
  return takePositions('take', x, pos, index.shape);
}

/**
 * `x` gathered along `dim` at `indices` (PyTorch's `take_along_dim`): `x` and `indices`
 * broadcast together except along `dim`, then `out[i][j] = x[indices[i][j]][j]` for dim 0. With
 * no `dim`, both are flattened (`x.flatten()` at `indices.flatten()`). Differentiable in `x`.
 */
export function takeAlongDim(x: Tensor, indices: Tensor, dim?: number | null): Tensor {
  checkTensor('takeAlongDim', x);
  checkIndexTensor('takeAlongDim', x, indices);
  if (dim === undefined || dim === null) {
    return gather(reshape(x, [x.numel()]), 0, reshape(indices, [indices.numel()]));
  }
  if (x.ndim !== indices.ndim) {
    throw new Error(
      `takeAlongDim: input ${fmtShape(x.shape)} and indices ${fmtShape(indices.shape)} should have the same number of dimensions`,
    );
  }
  const d = normDim('takeAlongDim', dim, x.ndim);
  const xs = [...x.shape];
  const is = [...indices.shape];
  for (let k = 0; k < x.ndim; k++) {
    if (k === d) continue;
    const a = xs[k];
    const b = is[k];
    if (a !== b && a !== 1 && b !== 1) {
      throw new Error(
        `takeAlongDim: input ${fmtShape(x.shape)} and indices ${fmtShape(indices.shape)} cannot be broadcast together outside dim ${d}`,
      );
    }
    const m = a === 1 ? b : a;
    xs[k] = m;
    is[k] = m;
  }
  const xb = xs.every((s, k) => s === x.shape[k]) ? x : expand(x, xs);
  const ib = is.every((s, k) => s === indices.shape[k]) ? indices : expand(indices, is);
  return gather(xb, d, ib);
}
