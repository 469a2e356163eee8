import { record } from '../autograd/node.js';
import { fmtShape, normDim, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './convert.js';
import { checkOnDevice } from './device-check.js';
import { expand, reshape } from './shape.js';
import { checkSameDevice, checkTensor, wrap } from './util.js';

/**
 * An index tensor as the backends take it: int32 as it is, int64 cast to int32 (a value
 * outside int32 is out of range of any dimension, and reported so); other dtypes are errors.
 */
export function intIndex(op: string, index: Tensor): Tensor {
  checkTensor(op, index, 'index');
  if (index.dtype === 'int32') return index;
  if (index.dtype !== 'int64') {
    throw new Error(`${op}: index must be an int64 or int32 tensor, got ${index.dtype} (use .long())`);
  }
  try {
    return cast(index, 'int32');
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const v = /value (\S+)/.exec(e.message)?.[1] ?? '';
    throw new RangeError(
      `${op}: index ${v} is out of range (int64 index values address a dimension through int32 here)`,
    );
  }
}

/** Returns a copy of `target` with `src` added at `index` along `axis` (no recording). */
function scatterAddRaw(target: Tensor, axis: number, index: Tensor, src: Tensor): Tensor {
  return wrap(target, target._backend.scatterAdd(target, axis, index, src), target.shape, target.dtype);
}

/** Zeros of `shape` and `like`'s dtype/device. */
function zerosOf(like: Tensor, shape: readonly number[]): Tensor {
  return wrap(like, like._backend.fill(shape, like.dtype, 0), shape, like.dtype);
}

/**
 * torch.gather: `out[i][j] = x[index[i][j]][j]` for dim 0 (and likewise for other dims).
 * `index` has x's rank and is no larger than x outside `dim`.
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor('gather', x);
  const idx = intIndex('gather', index);
  checkSameDevice('gather', x, idx);
  const d = normDim('gather', dim, x.ndim);
  if (idx.ndim !== x.ndim) {
    throw new Error(
      `gather: index ${fmtShape(idx.shape)} must have the same number of dims as input ${fmtShape(x.shape)}`,
    );
  }
  for (let i = 0; i < x.ndim; i++) {
    if (i !== d && idx.shape[i] > x.shape[i]) {
      throw new Error(
        `gather: index ${fmtShape(idx.shape)} is larger than input ${fmtShape(x.shape)} in dim ${i} (dim ${d} is gathered)`,
      );
    }
  }
  const y = wrap(x, x._backend.gather(x, d, idx), idx.shape, x.dtype);
  return record('GatherBackward', y, [x], (g) => [scatterAdd(zerosOf(g, x.shape), d, idx, g)], [idx]);
}

/**
 * torch.scatter_add: a copy of `x` with `src` added at `index` along `dim` (differentiable
 * in `x` and `src`).
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkTensor('scatterAdd', x);
  checkTensor('scatterAdd', src, 'src');
  const idx = intIndex('scatterAdd', index);
  checkSameDevice('scatterAdd', x, src);
  const d = normDim('scatterAdd', dim, x.ndim);
  if (idx.ndim !== x.ndim || src.ndim !== x.ndim) {
    throw new Error(
      `scatterAdd: index ${fmtShape(idx.shape)}, src ${fmtShape(src.shape)} and input ${fmtShape(x.shape)} must have the same number of dims`,
    );
  }
  if (!shapesEqual(idx.shape, src.shape)) {
    throw new Error(
      `scatterAdd: src ${fmtShape(src.shape)} must have the shape of index ${fmtShape(idx.shape)}`,
    );
  }
  const s = src.dtype === x.dtype ? src : cast(src, x.dtype);
  const y = scatterAddRaw(x, d, idx, s);
  return record(
    'ScatterAddBackward',
    y,
    [x, s],
    (g) => [x._requiresGrad ? g : null, s._requiresGrad ? gather(g, d, idx) : null],
    [idx],
  );
}

/** Selects entries `index` (1-D int) along `dim`. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor('indexSelect', x);
  const idx = intIndex('indexSelect', index);
  const d = normDim('indexSelect', dim, x.ndim);
  if (idx.ndim > 1) throw new Error(`indexSelect: index must be 1-D, got shape ${fmtShape(idx.shape)}`);
  const n = idx.numel();
  const outShape = [...x.shape];
  if (x.ndim > 0) outShape[d] = n;
  const viewShape = x.shape.map((_, i) => (i === d ? n : 1));
  const full = expand(reshape(idx, x.ndim === 0 ? [n] : viewShape), x.ndim === 0 ? [n] : outShape);
  if (x._backend.readsSync === false && n > 0) {
    // an asynchronous backend reports the primitive's error at the next read, naming gather
    const size = x.ndim === 0 ? 1 : x.shape[d];
    checkOnDevice(
      () => idx.ge(0).logicalAnd(idx.lt(size)),
      () =>
        `indexSelect: an index is out of range for dim ${d} of size ${size} (expected 0 <= index < ${size})`,
    );
  }
  try {
    return gather(x.ndim === 0 ? reshape(x, [1]) : x, d, full);
  } catch (e) {
    // Name the op the user called, not the primitive it is built on.
    if (e instanceof Error) e.message = e.message.replace(/^gather:/, 'indexSelect:');
    throw e;
  }
}
