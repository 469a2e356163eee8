// index_add, index_copy, index_fill: writes into whole slices of `dim` picked by a 1-D index.
import type { DataArray } from '../backend/types.js';
import { int, num, opt, optional, req, signature, tensor } from '../signature/signature.js';
import { fmtShape, normDim, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { mul } from './binary.js';
import { cast } from './convert.js';
import { IndexError } from './index-parse.js';
import { inplace } from './inplace.js';
import { putPositions } from './put-positions.js';
import { expand } from './shape.js';
import { checkSameDevice, checkTensor, scalarLike } from './util.js';

/** Host values of a 1-D (or 0-d) integer index tensor, checked against `size`. */
export function hostIndex(
  op: string,
  index: Tensor,
  size: number,
  dim: number,
  allowNegative: boolean,
): Int32Array {
  checkTensor(op, index, 'index');
  if (index.dtype !== 'int32' && index.dtype !== 'int64') {
    throw new TypeError(`${op}: expected dtype int32/int64 for index but got ${index.dtype}`);
  }
  if (index.ndim > 1)
    throw new Error(`${op}: index should have 1 dimension, got shape ${fmtShape(index.shape)}`);
  const raw = index.dataSync<DataArray>();
  const out = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = Number(raw[i]);
    if (v >= size || v < (allowNegative ? -size : 0)) {
      throw new IndexError(`${op}: index ${v} is out of bounds for dimension ${dim} with size ${size}`);
    }
    out[i] = v < 0 ? v + size : v;
  }
  return out;
}

/** Row-major positions in a tensor of `shape` of the slices `idx` of `dim`, in row-major order of the slices. */
export function slicePositions(shape: readonly number[], dim: number, idx: Int32Array): Int32Array {
  const outer = sizeOf(shape.slice(0, dim));
  const inner = sizeOf(shape.slice(dim + 1));
  const size = shape.length === 0 ? 1 : shape[dim];
  const out = new Int32Array(outer * idx.length * inner);
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < idx.length; i++) {
      const base = (o * size + idx[i]) * inner;
      for (let r = 0; r < inner; r++) out[at++] = base + r;
    }
  }
  return out;
}

/** Checks `source` has `x`'s shape with `idx.length` at `dim`. */
function checkSource(op: string, x: Tensor, d: number, n: number, source: Tensor): void {
  checkTensor(op, source, 'source');
  checkSameDevice(op, x, source);
  const want = x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? n : s));
  const got = source.shape;
  const ok = got.length === want.length && got.every((s, i) => s === want[i]);
  if (!ok && !(x.ndim === 0 && source.numel() === 1 && n === 1)) {
    throw new Error(
      `${op}: source ${fmtShape(got)} must have the shape of self ${fmtShape(x.shape)} with ${n} (the number of indices) at dim ${d}`,
    );
  }
}

function resolve(op: string, x: Tensor, dim: number, index: Tensor, allowNegative: boolean) {
  checkTensor(op, x);
  checkSameDevice(op, x, index);
  const d = x.ndim === 0 ? 0 : normDim(op, dim, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[d];
  const idx = hostIndex(op, index, size, d, allowNegative);
  return { d, idx, positions: slicePositions(x.shape, d, idx) };
}

/**
 * index_add(input, dim, index, source, *, alpha=1). `alpha` may also come positionally (it always
 * could here), or in the trailing options object.
 */
const INDEX_ADD = signature('indexAdd', [
  req('input', tensor),
  req('dim', int),
  req('index', tensor),
  req('source', tensor),
  opt('alpha', optional(num)),
]);

/**
 * A copy of `x` with `alpha * source` added to the slices `index` of `dim` (PyTorch's
 * `index_add`; repeated indices add up). `source` has `x`'s shape with `index.numel()` at `dim`.
 * Differentiable in `x` and `source`.
 */
export function indexAdd(
  x: Tensor,
  dim: number,
  index: Tensor,
  source: Tensor,
  alpha?: number | { alpha?: number },
): Tensor {
  const a =
    INDEX_ADD.parse<{ alpha?: number }>(
      alpha === undefined ? [x, dim, index, source] : [x, dim, index, source, alpha],
    ).alpha ?? 1;
  const { d, idx, positions } = resolve('indexAdd', x, dim, index, false);
  checkSource('indexAdd', x, d, idx.length, source);
  const s = source.dtype === x.dtype ? source : cast(source, x.dtype);
  return putPositions('indexAdd', x, positions, a === 1 ? s : mul(s, a), true);
}

/** In-place {@link indexAdd}. Returns `x`. */
export function indexAdd_(
  x: Tensor,
  dim: number,
  index: Tensor,
  source: Tensor,
  alpha?: number | { alpha?: number },
): Tensor {
  checkTensor('indexAdd_', x);
  return inplace('indexAdd_', x, (self) => indexAdd(self, dim, index, source, alpha));
}

/**
 * A copy of `x` whose slices `index` of `dim` are replaced by those of `source` (PyTorch's
 * `index_copy`; with a repeated index the last slice wins, PyTorch leaves it undefined).
 * Differentiable in `x` and `source`.
 */
export function indexCopy(x: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  const { d, idx, positions } = resolve('indexCopy', x, dim, index, false);
  checkSource('indexCopy', x, d, idx.length, source);
  if (source.dtype !== x.dtype) {
    throw new TypeError(
      `indexCopy: self and source must have the same dtype, got ${x.dtype} and ${source.dtype}`,
    );
  }
  return putPositions('indexCopy', x, positions, source, false);
}

/** In-place {@link indexCopy}. Returns `x`. */
export function indexCopy_(x: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  checkTensor('indexCopy_', x);
  return inplace('indexCopy_', x, (self) => indexCopy(self, dim, index, source));
}

/**
 * A copy of `x` with `value` (a number or a 0-d tensor, differentiable) in the slices `index`
 * of `dim` (PyTorch's `index_fill`; negative indices count from the end). Differentiable in `x`.
 */
export function indexFill(x: Tensor, dim: number, index: Tensor, value: Tensor | number | boolean): Tensor {
  checkTensor('indexFill', x);
  checkSameDevice('indexFill', x, index);
  const d = x.ndim === 0 ? 0 : normDim('indexFill', dim, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[d];
  // Each slice once (PyTorch's gradient for a tensor value sums over unique indices).
  const idx = Int32Array.from(new Set(hostIndex('indexFill', index, size, d, true)));
  const positions = slicePositions(x.shape, d, idx);
  let v: Tensor;
  if (value instanceof Tensor) {
    checkTensor('indexFill', value, 'value');
    if (value.ndim !== 0) {
      throw new Error(
        `indexFill: only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s)`,
      );
    }
    v = value.dtype === x.dtype ? value : cast(value, x.dtype);
  } else v = scalarLike(x, x.dtype === 'bool' ? (value ? 1 : 0) : Number(value), x.dtype);
  return putPositions('indexFill', x, positions, expand(v, [positions.length]), false);
}

/** In-place {@link indexFill}. Returns `x`. */
export function indexFill_(x: Tensor, dim: number, index: Tensor, value: Tensor | number | boolean): Tensor {
  checkTensor('indexFill_', x);
  return inplace('indexFill_', x, (self) => indexFill(self, dim, index, value));
}
