import { record } from '../autograd/node.js';
import { fmtShape, normDim, shapeArg, sizeOf } from '../tensor/shape.js';
import { viewStrides } from '../tensor/strides.js';
import type { Tensor } from '../tensor/tensor.js';
import { clone } from './convert.js';
import { unbroadcast } from './unbroadcast.js';
import { checkTensor, wrap } from './util.js';
import { makeView } from './view.js';

/** A shape given as varargs or one array: `reshape(2, 3)` / `reshape([2, 3])`. */
export type ShapeLike = (number | readonly number[])[];

/** Resolves one -1 in a target shape and checks the element count. */
export function inferShape(op: string, x: Tensor, target: readonly number[]): number[] {
  const shape = [...target];
  let infer = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === -1) {
      if (infer >= 0)
        throw new Error(`${op}: only one dimension can be inferred (-1) in ${fmtShape(target)}`);
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new Error(`${op}: invalid size ${d} in shape ${fmtShape(target)}`);
    } else known *= d;
  }
  const n = x.numel();
  if (infer >= 0) {
    if (known === 0 || n % known !== 0) {
      throw new Error(
        `${op}: shape ${fmtShape(target)} is invalid for input of size ${n} (shape ${fmtShape(x.shape)})`,
      );
    }
    shape[infer] = n / known;
  } else if (known !== n) {
    throw new Error(
      `${op}: shape ${fmtShape(target)} is invalid for input of size ${n} (shape ${fmtShape(x.shape)})`,
    );
  }
  return shape;
}

/**
 * Same elements, new shape (one dim may be -1): a view sharing storage when the strides allow
 * it (always for a contiguous tensor), otherwise a copy, as PyTorch's `reshape`.
 */
export function reshape(x: Tensor, ...shape: ShapeLike): Tensor {
  checkTensor('reshape', x);
  const s = inferShape('reshape', x, shapeArg(shape));
  const strides = viewStrides(x.shape, x._strides, s);
  return reshapeTo('ViewBackward', x, s, strides ?? null);
}

/**
 * Same elements, new shape, always sharing storage (PyTorch's `view`): throws when the strides
 * do not allow it (e.g. after a transpose), naming `reshape` as the copying alternative.
 */
export function view(x: Tensor, ...shape: ShapeLike): Tensor {
  checkTensor('view', x);
  const s = inferShape('view', x, shapeArg(shape));
  const strides = viewStrides(x.shape, x._strides, s);
  if (strides === null) {
    throw new Error(
      `view: view size is not compatible with input tensor's size and stride (at least one dimension spans ` +
        `across two contiguous subspaces): shape ${fmtShape(x.shape)} with strides ${fmtShape(x._strides)} ` +
        `to ${fmtShape(s)}. Use .reshape(...) instead.`,
    );
  }
  return reshapeTo('ViewBackward', x, s, strides);
}

function reshapeTo(name: string, x: Tensor, s: number[], strides: number[] | null): Tensor {
  const y =
    strides !== null
      ? makeView(x, { shape: s, strides, offset: x._offset })
      : wrap(x, x._materialize(), s, x.dtype);
  const from = x.shape;
  return record(strides !== null ? name : 'ReshapeAliasBackward', y, [x], (g) => [reshape(g, from)]);
}

/** Flattens dims `startDim..endDim` (inclusive) into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensor('flatten', x);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim('flatten', startDim, x.ndim);
  const e = normDim('flatten', endDim, x.ndim);
  if (s > e) throw new Error(`flatten: startDim ${startDim} cannot come after endDim ${endDim}`);
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

/** Removes size-1 dims (all, or only `dim` when it has size 1). */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  checkTensor('squeeze', x);
  if (dim === undefined)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const dims = (typeof dim === 'number' ? [dim] : dim).map((d) => normDim('squeeze', d, x.ndim));
  return reshape(
    x,
    x.shape.filter((d, i) => !(dims.includes(i) && d === 1)),
  );
}

/** Inserts a size-1 dim at `dim` (-1 appends). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  checkTensor('unsqueeze', x);
  const d = normDim('unsqueeze', dim, x.ndim + 1);
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return reshape(x, shape);
}

/** Reorders dims: output dim i is input dim `dims[i]`. */
export function permute(x: Tensor, ...dims: ShapeLike): Tensor {
  checkTensor('permute', x);
  const perm = shapeArg(dims).map((d) => normDim('permute', d, x.ndim));
  if (perm.length !== x.ndim || new Set(perm).size !== perm.length) {
    throw new Error(`permute: dims ${fmtShape(shapeArg(dims))} are not a permutation of ${x.ndim} dims`);
  }
  const shape = perm.map((p) => x.shape[p]);
  const y = makeView(x, { shape, strides: perm.map((p) => x._strides[p]), offset: x._offset });
  const inv = new Array<number>(perm.length);
  for (let i = 0; i < perm.length; i++) inv[perm[i]] = i;
  return record('PermuteBackward', y, [x], (g) => [permute(g, inv)]);
}

/** Swaps two dims. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  checkTensor('transpose', x);
  const a = normDim('transpose', dim0, x.ndim);
  const b = normDim('transpose', dim1, x.ndim);
  const perm = Array.from({ length: x.ndim }, (_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** Transpose of a matrix (a 0-D or 1-D tensor is returned as is), like torch's `.t()`. */
export function t(x: Tensor): Tensor {
  checkTensor('t', x);
  if (x.ndim > 2)
    throw new Error(`t: expects a tensor with <= 2 dims, got ${x.ndim} (use transpose or permute)`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

/** Broadcasts to a larger shape (-1 keeps a dim); new dims are prepended. */
export function expand(x: Tensor, ...sizes: ShapeLike): Tensor {
  checkTensor('expand', x);
  const target = shapeArg(sizes);
  if (target.length < x.ndim) {
    throw new Error(
      `expand: the target shape ${fmtShape(target)} has fewer dims than the tensor ${fmtShape(x.shape)}`,
    );
  }
  const lead = target.length - x.ndim;
  const shape = target.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead] : d));
  for (let i = 0; i < shape.length; i++) {
    const src = i < lead ? 1 : x.shape[i - lead];
    if (shape[i] < 0 || (src !== 1 && src !== shape[i])) {
      throw new Error(
        `expand: the size of dim ${i} must match the existing size ${src} or be 1 to expand ${fmtShape(x.shape)} to ${fmtShape(target)}`,
      );
    }
  }
  const strides = shape.map((d, i) =>
    i < lead || (x.shape[i - lead] === 1 && d !== 1) ? 0 : x._strides[i - lead],
  );
  const y = makeView(x, { shape, strides, offset: x._offset });
  const from = x.shape;
  return record('ExpandBackward', y, [x], (g) => [unbroadcast(g, from)]);
}

/** Like {@link expand} to `other`'s shape. */
export function expandAs(x: Tensor, other: Tensor): Tensor {
  return expand(x, other.shape);
}

/**
 * `x` itself when its elements are in row-major order, otherwise a contiguous copy
 * (differentiable), as PyTorch's `contiguous()`.
 */
export function contiguous(x: Tensor): Tensor {
  checkTensor('contiguous', x);
  return x.isContiguous() ? x : clone(x);
}

/** The block of `sizes` starting at `begin` (a view; its gradient is padded back into place). */
export function slice(x: Tensor, begin: readonly number[], sizes: readonly number[]): Tensor {
  let offset = x._offset;
  for (let i = 0; i < begin.length; i++) offset += begin[i] * x._strides[i];
  const y = makeView(x, { shape: [...sizes], strides: x._strides, offset });
  return record('SliceBackward', y, [x], (g) => [
    padConstant(
      g,
      x.shape.map((d, i) => [begin[i], d - begin[i] - sizes[i]] as [number, number]),
      0,
    ),
  ]);
}

/** Constant padding of each dim by `[before, after]` (no recording). */
export function padRaw(x: Tensor, pads: readonly (readonly [number, number])[], value: number): Tensor {
  const shape = x.shape.map((d, i) => d + pads[i][0] + pads[i][1]);
  return wrap(x, x._backend.pad(x, pads, value), shape, x.dtype);
}

/** Constant padding of each dim by `[before, after]` (differentiable). */
export function padConstant(x: Tensor, pads: readonly (readonly [number, number])[], value = 0): Tensor {
  checkTensor('pad', x);
  if (pads.length !== x.ndim)
    throw new Error(`pad: expected ${x.ndim} [before, after] pairs, got ${pads.length}`);
  for (const [b, a] of pads) {
    if (!Number.isInteger(b) || !Number.isInteger(a) || b < 0 || a < 0) {
      throw new Error(`pad: paddings must be non-negative integers, got ${JSON.stringify(pads)}`);
    }
  }
  const y = padRaw(x, pads, value);
  return record('ConstantPadBackward', y, [x], (g) => [
    slice(
      g,
      pads.map((p) => p[0]),
      x.shape,
    ),
  ]);
}

/** `length` elements of `dim` starting at `start` (negative start counts from the end). */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  checkTensor('narrow', x);
  const d = normDim('narrow', dim, x.ndim);
  const size = x.shape[d];
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
    throw new Error(
      `narrow: start ${start} + length ${length} exceeds dim ${dim} of size ${size} (shape ${fmtShape(x.shape)})`,
    );
  }
  const begin = x.shape.map(() => 0);
  begin[d] = s;
  const sizes = [...x.shape];
  sizes[d] = length;
  return slice(x, begin, sizes);
}

export { chunk, split } from './split.js';
