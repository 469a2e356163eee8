import { record } from '../autograd/node.js';
import { fmtShape, normDim, sizeOf, stridesOf } from '../tensor/shape.js';
import { writeStrided } from '../tensor/strided-io.js';
import { flatPositions, type Geometry, storageExtent } from '../tensor/strides.js';
import { Tensor } from '../tensor/tensor.js';
import { clone } from './convert.js';
import { checkTensor, wrap } from './util.js';

/**
 * A view of `x` with geometry `g` over `x`'s storage (not recorded): shares the storage, and
 * remembers the root it views (PyTorch's `_base`) for autograd of in-place ops on it.
 */
export function makeView(x: Tensor, g: Geometry): Tensor {
  const y = new Tensor(x._storage, g.shape, x.dtype, g.strides, g.offset);
  y._base = x._base ?? x;
  y._viewVersion = x._storage.version;
  return y;
}

/** Maps a geometry of `x` to the geometry of the view (same rule for `x`'s real and dense layout). */
type GeometryMap = (shape: readonly number[], strides: readonly number[], offset: number) => Geometry;

/**
 * A differentiable view made by `map`: the forward shares storage; the gradient puts the
 * view's gradient where the view's elements sit in a zero tensor of `x`'s shape (adding where
 * elements repeat, when `overlaps`).
 */
export function viewOp(name: string, x: Tensor, map: GeometryMap, overlaps = false): Tensor {
  const y = makeView(x, map(x.shape, x._strides, x._offset));
  const xShape = x.shape;
  return record(name, y, [x], (g) => [placeInZeros(g, xShape, map(xShape, stridesOf(xShape), 0), overlaps)]);
}

/**
 * A dense tensor of `shape` that is zero except at the view `g` (a geometry over a dense
 * layout of `shape`), which holds `v`'s values — or their sums where the view repeats
 * elements (`accumulate`). Recorded: its gradient reads the view back ({@link readView}), so
 * the backward of every view op is itself differentiable.
 */
export function placeInZeros(v: Tensor, shape: readonly number[], g: Geometry, accumulate: boolean): Tensor {
  const n = sizeOf(shape);
  const b = v._backend;
  const zeros = b.fill([n], v.dtype, 0);
  let out: unknown;
  try {
    if (!accumulate) out = writeStrided(b, zeros, n, v.dtype, g, v);
    else {
      const pos = flatPositions(g);
      const idx = b.write(pos, [pos.length], 'int32');
      try {
        out = b.scatterAdd(
          { handle: zeros, shape: [n], dtype: v.dtype },
          0,
          { handle: idx, shape: [pos.length], dtype: 'int32' },
          { handle: v.handle, shape: [pos.length], dtype: v.dtype },
        );
      } finally {
        b.disposeData(idx);
      }
    }
  } finally {
    b.disposeData(zeros);
  }
  const y = wrap(v, out, shape, v.dtype);
  return record('AsStridedScatterBackward', y, [v], (gy) => [readView(gy, g, accumulate)]);
}

/**
 * The view `g` (a geometry over a dense layout of `x`'s shape) of `x`, recorded: the adjoint
 * of {@link placeInZeros}, whose gradient puts it back (adding over repeats when `overlaps`).
 */
export function readView(x: Tensor, g: Geometry, overlaps: boolean): Tensor {
  const d = x._dense ? x : clone(x);
  const shape = x.shape;
  return record('AsStridedBackward', makeView(d, g), [x], (gy) => [placeInZeros(gy, shape, g, overlaps)]);
}

/** The slice `index` of `dim`, without that dim (a view; PyTorch's `select`, `x[i]` on `dim`). */
export function select(x: Tensor, dim: number, index: number): Tensor {
  checkTensor('select', x);
  if (x.ndim === 0) throw new Error('select: cannot be applied to a 0-dim tensor');
  const d = normDim('select', dim, x.ndim);
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new Error(
      `select: index ${index} is out of bounds for dim ${dim} with size ${size} (shape ${fmtShape(x.shape)})`,
    );
  }
  const i = index < 0 ? index + size : index;
  return viewOp('SelectBackward', x, (shape, strides, offset) => ({
    shape: shape.filter((_, k) => k !== d),
    strides: strides.filter((_, k) => k !== d),
    offset: offset + i * strides[d],
  }));
}

/**
 * Elements `start, start + step, …` below `end` of `dim` (a view; Python's `x[start:end:step]`
 * on `dim`, bounds already clamped by the caller: 0 ≤ start ≤ end ≤ size, step ≥ 1).
 */
export function sliceDim(x: Tensor, dim: number, start: number, end: number, step = 1): Tensor {
  checkTensor('slice', x);
  const d = normDim('slice', dim, x.ndim);
  const size = x.shape[d];
  if (!Number.isInteger(step) || step < 1)
    throw new Error(`slice: step must be a positive integer, got ${step}`);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > size || start > end) {
    throw new Error(`slice: bounds ${start}:${end} are invalid for dim ${dim} of size ${size}`);
  }
  const len = Math.ceil((end - start) / step);
  if (start === 0 && len === size) return x;
  return viewOp('SliceBackward', x, (shape, strides, offset) => ({
    shape: shape.map((s, k) => (k === d ? len : s)),
    strides: strides.map((s, k) => (k === d ? s * step : s)),
    offset: offset + start * strides[d],
  }));
}

/** The slices of `dim`, each without that dim (views). */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  checkTensor('unbind', x);
  const d = normDim('unbind', dim, x.ndim);
  return Array.from({ length: x.shape[d] }, (_, i) => {
    const part = select(x, d, i);
    part._multiView = 'unbind';
    return part;
  });
}

/**
 * The diagonal of the matrices formed by `dim1` and `dim2` (a view): those dims are removed
 * and the diagonal is appended as the last dim. `offset` > 0 is above the main diagonal.
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  checkTensor('diagonal', x);
  const a = normDim('diagonal', dim1, x.ndim);
  const b = normDim('diagonal', dim2, x.ndim);
  if (a === b) throw new Error(`diagonal: dim1 and dim2 cannot be the same dim (${dim1})`);
  const len =
    offset >= 0
      ? Math.max(0, Math.min(x.shape[a], x.shape[b] - offset))
      : Math.max(0, Math.min(x.shape[a] + offset, x.shape[b]));
  return viewOp('DiagonalBackward', x, (shape, strides, off) => {
    const start = len === 0 ? off : off + (offset >= 0 ? offset * strides[b] : -offset * strides[a]);
    const keep = shape.map((_, k) => k).filter((k) => k !== a && k !== b);
    return {
      shape: [...keep.map((k) => shape[k]), len],
      strides: [...keep.map((k) => strides[k]), strides[a] + strides[b]],
      offset: start,
    };
  });
}

/**
 * All windows of `size` elements along `dim`, `step` apart, as a new last dim (a view;
 * PyTorch's `Tensor.unfold`). Windows overlap when `step < size`.
 */
export function unfold(x: Tensor, dim: number, size: number, step: number): Tensor {
  checkTensor('unfold', x);
  const d = x.ndim === 0 ? 0 : normDim('unfold', dim, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(size) || size < 0 || size > n) {
    throw new Error(
      `unfold: size ${size} must be at most the size ${n} of dim ${dim} (shape ${fmtShape(x.shape)})`,
    );
  }
  if (!Number.isInteger(step) || step < 1)
    throw new Error(`unfold: step must be a positive integer, got ${step}`);
  const count = Math.floor((n - size) / step) + 1;
  if (x.ndim === 0)
    return viewOp('UnfoldBackward', x, (_s, _st, off) => ({ shape: [size], strides: [1], offset: off }));
  return viewOp(
    'UnfoldBackward',
    x,
    (shape, strides, off) => ({
      shape: [...shape.map((s, k) => (k === d ? count : s)), size],
      strides: [...strides.map((s, k) => (k === d ? s * step : s)), strides[d]],
      offset: off,
    }),
    step < size,
  );
}

/**
 * A view with explicit geometry over `x`'s storage (PyTorch's `as_strided`; sizes and strides
 * in elements, `storageOffset` defaults to `x`'s). Elements may repeat (stride 0); the
 * gradient adds over repeats. Everything addressed must lie in the storage.
 */
export function asStrided(
  x: Tensor,
  size: readonly number[],
  stride: readonly number[],
  storageOffset?: number,
): Tensor {
  checkTensor('asStrided', x);
  const offset = storageOffset ?? x._offset;
  if (size.length !== stride.length) {
    throw new Error(
      `asStrided: size ${fmtShape(size)} and stride ${fmtShape(stride)} must have the same length`,
    );
  }
  for (let i = 0; i < size.length; i++) {
    if (!Number.isInteger(size[i]) || size[i] < 0 || !Number.isInteger(stride[i]) || stride[i] < 0) {
      throw new Error(
        `asStrided: sizes and strides must be non-negative integers, got size ${fmtShape(size)} stride ${fmtShape(stride)}`,
      );
    }
  }
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`asStrided: invalid storage offset ${offset}`);
  const g: Geometry = { shape: [...size], strides: [...stride], offset };
  const numel = x._storageNumel();
  const extent = storageExtent(g);
  if (extent > numel) {
    throw new Error(
      `asStrided: setStorage: sizes ${fmtShape(size)}, strides ${fmtShape(stride)}, storage offset ${offset} ` +
        `require a storage of ${extent} elements, but the storage holds ${numel}`,
    );
  }
  const y = makeView(x, g);
  const xg: Geometry = { shape: x.shape, strides: x._strides, offset: x._offset };
  return record('AsStridedBackward', y, [x], (grad) => {
    // Gradient per storage position, then read back at x's own geometry.
    const perStorage = placeInZeros(grad, [numel], g, true);
    return [readView(perStorage, xg, true)];
  });
}
