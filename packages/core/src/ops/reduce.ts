import { record } from '../autograd/node.js';
import type { ReduceOp } from '../backend/types.js';
import { isFloat } from '../tensor/dtype.js';
import { isHalf } from '../tensor/half.js';
import { fmtShape, normDim, normDims } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, binaryRaw, div, mul, sub, where } from './binary.js';
import { cast, computeWide } from './convert.js';
import { exp, log, sqrt } from './pointwise.js';
import { expand, reshape } from './shape.js';
import { unaryRaw } from './unary.js';
import { checkTensor, scalarLike, wrap } from './util.js';

/** Dims to reduce: a dim, a list of dims, or undefined for all. */
export type Dims = number | readonly number[];

/** PyTorch's `dim` and `keepdim` by name (`x.sum({ dim: 1, keepdim: true })`). */
export interface DimOptions {
  /** Dim or dims to reduce (all when omitted or null). */
  dim?: Dims | null;
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
}

/**
 * Resolves `(dim, keepdim)` given positionally or by name in a trailing options object, as
 * PyTorch's keywords: `sum(1, { keepdim: true })`, `sum({ dim: 1 })`. Anything else is an error
 * naming the op (an object must never pass for a truthy keepdim).
 */
export function dimKeepdim(
  op: string,
  dim: Dims | DimOptions | null | undefined,
  keepdim: boolean | DimOptions | undefined,
): [Dims | undefined, boolean] {
  if (typeof keepdim === 'boolean' || keepdim === undefined) {
    if (dim === null || dim === undefined || typeof dim === 'number' || Array.isArray(dim)) {
      return [dim ?? undefined, keepdim ?? false];
    }
  }
  const fromDim = isDimOptions(dim);
  const o: DimOptions = fromDim ? (dim as DimOptions) : isDimOptions(keepdim) ? (keepdim as DimOptions) : {};
  if (!fromDim && !isDimOptions(keepdim)) {
    throw new TypeError(`${op}: keepdim must be a boolean, got ${typeof keepdim}`);
  }
  for (const k of Object.keys(o)) {
    if (k !== 'dim' && k !== 'keepdim') {
      throw new TypeError(`${op}: unknown option '${k}'; expected dim, keepdim`);
    }
  }
  if (fromDim && keepdim !== undefined) throw new TypeError(`${op}: options must be the last argument`);
  if (o.keepdim !== undefined && typeof o.keepdim !== 'boolean') {
    throw new TypeError(`${op}: keepdim must be a boolean, got ${typeof o.keepdim}`);
  }
  if (!fromDim && o.dim !== undefined)
    throw new TypeError(`${op}: dim given twice (positionally and by name)`);
  return [fromDim ? (o.dim ?? undefined) : (dim as Dims | undefined), o.keepdim ?? false];
}

function isDimOptions(v: unknown): boolean {
  return (
    v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype
  );
}

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function droppedShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

/** Number of elements reduced over `axes`. */
function countOf(shape: readonly number[], axes: readonly number[]): number {
  let n = 1;
  for (const a of axes) n *= shape[a];
  return n;
}

/**
 * Runs a reduction primitive over `axes`, returning the keepdim or dropped shape. As in
 * PyTorch, `sum`/`prod` of bool, uint8 and int32 are int64 (the input is cast to int64 first),
 * and `argmax`/`argmin` give int64 positions (the backend's int32 ones, cast; `argInt32` keeps
 * them int32 for internal use as gather indices).
 */
export function reduceRaw(
  op: ReduceOp,
  x: Tensor,
  axes: readonly number[],
  keepdim: boolean,
  argInt32 = false,
): Tensor {
  const outShape = keepdim ? keptShape(x.shape, axes) : droppedShape(x.shape, axes);
  if ((op === 'sum' || op === 'prod') && !isFloat(x.dtype) && x.dtype !== 'int64') x = cast(x, 'int64');
  if (op === 'argmax' || op === 'argmin') {
    const pos =
      axes.length === 0
        ? wrap(x, x._backend.fill(outShape, 'int32', 0), outShape, 'int32')
        : wrap(x, x._backend.reduce(op, x, axes), outShape, 'int32');
    return argInt32 ? pos : cast(pos, 'int64');
  }
  if (axes.length === 0) return wrap(x, x._backend.cast(x, x.dtype), outShape, x.dtype);
  return wrap(x, x._backend.reduce(op, x, axes), outShape, x.dtype);
}

/** Gradient of a reduction broadcast back over the input's shape. */
function expandBack(g: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return expand(reshape(g, keptShape(x.shape, axes)), x.shape);
}

/** Sum over `dim` (all when omitted). Integer and bool inputs sum to int64, as in PyTorch. */
export function sum(x: Tensor, dimArg?: Dims | DimOptions | null, keepdimArg?: boolean | DimOptions): Tensor {
  checkTensor('sum', x);
  const [dim, keepdim] = dimKeepdim('sum', dimArg, keepdimArg);
  const axes = normDims('sum', dim, x.ndim);
  const y = reduceRaw('sum', x, axes, keepdim);
  return record('SumBackward', y, [x], (g) => [expandBack(g, x, axes)]);
}

/** Mean over `dim` (all when omitted); integer inputs are averaged as float32. */
export function mean(
  x: Tensor,
  dimArg?: Dims | DimOptions | null,
  keepdimArg?: boolean | DimOptions,
): Tensor {
  checkTensor('mean', x);
  const [dim, keepdim] = dimKeepdim('mean', dimArg, keepdimArg);
  if (isHalf(x.dtype)) return computeWide(x, (w) => mean(w, dim, keepdim));
  const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
  const axes = normDims('mean', dim, x.ndim);
  return div(sum(xf, axes, keepdim), countOf(x.shape, axes));
}

/** Product over `dim` (all when omitted). */
export function prod(
  x: Tensor,
  dimArg?: Dims | DimOptions | null,
  keepdimArg?: boolean | DimOptions,
): Tensor {
  checkTensor('prod', x);
  const [dim, keepdim] = dimKeepdim('prod', dimArg, keepdimArg);
  const axes = normDims('prod', dim, x.ndim);
  const y = reduceRaw('prod', x, axes, keepdim);
  return record(
    'ProdBackward',
    y,
    [x],
    (g) => [div(mul(expandBack(g, x, axes), expandBack(y, x, axes)), x)],
    [x, y],
  );
}

function extremum(op: 'max' | 'min', x: Tensor, dim: Dims | undefined, keepdim: boolean): Tensor {
  checkTensor(op, x);
  const axes = normDims(op, dim, x.ndim);
  for (const a of axes) {
    if (x.shape[a] === 0) {
      throw new Error(
        `${op}: cannot reduce over dim ${a} of size 0 (shape ${fmtShape(x.shape)}); the result is undefined`,
      );
    }
  }
  const y = reduceRaw(op, x, axes, keepdim);
  return record(
    op === 'max' ? 'MaxBackward' : 'MinBackward',
    y,
    [x],
    (g) => {
      // The gradient is shared evenly by the elements equal to the extremum.
      const yb = expandBack(y, x, axes);
      const mask = cast(binaryRaw('eq', x, yb), x.dtype);
      const count = expandBack(reduceRaw('sum', mask, axes, true), x, axes);
      return [div(mul(expandBack(g, x, axes), mask), count)];
    },
    [x, y],
  );
}

/**
 * Maximum values over `dim` (one or several dims; all when omitted), PyTorch's `amax`: the
 * gradient is shared evenly by the elements equal to the maximum.
 */
export const amax = (x: Tensor, dim?: Dims | DimOptions | null, keepdim?: boolean | DimOptions): Tensor =>
  extremum('max', x, ...dimKeepdim('amax', dim, keepdim));
/** Minimum values over `dim` (all when omitted), PyTorch's `amin`. */
export const amin = (x: Tensor, dim?: Dims | DimOptions | null, keepdim?: boolean | DimOptions): Tensor =>
  extremum('min', x, ...dimKeepdim('amin', dim, keepdim));

/**
 * @internal argmax/argmin positions: int64 as PyTorch returns them, or, with `int32`, the
 * backend's int32 (for use as gather indices without a round trip through int64).
 */
export function argExtremum(
  op: 'argmax' | 'argmin',
  x: Tensor,
  dim: number | undefined,
  keepdim: boolean,
  int32 = false,
): Tensor {
  checkTensor(op, x);
  const dtype = int32 ? 'int32' : 'int64';
  if (dim === undefined && x.numel() === 0)
    throw new Error(`${op}: cannot take ${op} of an empty tensor (shape ${fmtShape(x.shape)})`);
  if (dim === undefined) {
    const flat = reshape(x, [x.numel()]);
    const r = reduceRaw(op, flat, [0], false, int32);
    return keepdim
      ? reshape(
          r,
          x.shape.map(() => 1),
        )
      : r;
  }
  const d = normDim(op, dim, x.ndim);
  if (x.ndim === 0) return wrap(x, x._backend.fill([], dtype, 0), [], dtype);
  if (x.shape[d] === 0) {
    throw new Error(
      `${op}: expected reduction dim ${d} to have non-zero size (shape ${fmtShape(x.shape)}); the result is undefined`,
    );
  }
  if (x.numel() === 0) {
    // Other dims are empty: an empty result, as PyTorch gives (zeros(0, 3).argmax(1) has shape [0]).
    const shape = keepdim ? keptShape(x.shape, [d]) : droppedShape(x.shape, [d]);
    return wrap(x, x._backend.fill(shape, dtype, 0), shape, dtype);
  }
  return reduceRaw(op, x, [d], keepdim, int32);
}

/** Index of the maximum (int64, as PyTorch; first on ties); over the flattened tensor when `dim` is omitted. */
export function argmax(x: Tensor, dim?: number | DimOptions | null, keepdim?: boolean | DimOptions): Tensor {
  const [d, k] = dimKeepdim('argmax', dim, keepdim);
  if (Array.isArray(d)) throw new TypeError(`argmax: dim must be one integer, got [${d}]`);
  return argExtremum('argmax', x, d as number | undefined, k);
}
/** Index of the minimum (int64, as PyTorch; first on ties). */
export function argmin(x: Tensor, dim?: number | DimOptions | null, keepdim?: boolean | DimOptions): Tensor {
  const [d, k] = dimKeepdim('argmin', dim, keepdim);
  if (Array.isArray(d)) throw new TypeError(`argmin: dim must be one integer, got [${d}]`);
  return argExtremum('argmin', x, d as number | undefined, k);
}

/** Variance over `dim` with Bessel's `correction` (1 = unbiased, PyTorch's default). */
export function variance(x: Tensor, dim?: Dims, keepdim = false, correction = 1): Tensor {
  checkTensor('var', x);
  if (isHalf(x.dtype)) return computeWide(x, (w) => variance(w, dim, keepdim, correction));
  const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
  const axes = normDims('var', dim, x.ndim);
  const d = sub(xf, mean(xf, axes, true));
  return div(sum(mul(d, d), axes, keepdim), Math.max(0, countOf(x.shape, axes) - correction));
}

/** Standard deviation over `dim` with Bessel's `correction`. */
export function std(x: Tensor, dim?: Dims, keepdim = false, correction = 1): Tensor {
  checkTensor('std', x);
  if (isHalf(x.dtype)) return computeWide(x, (w) => std(w, dim, keepdim, correction));
  return sqrt(variance(x, dim, keepdim, correction));
}

/** log(sum(exp(x))) over `dim`, computed stably (max-shifted). */
export function logsumexp(
  x: Tensor,
  dimArg?: Dims | DimOptions | null,
  keepdimArg?: boolean | DimOptions,
): Tensor {
  checkTensor('logsumexp', x);
  const [dim, keepdim] = dimKeepdim('logsumexp', dimArg, keepdimArg);
  if (isHalf(x.dtype)) return computeWide(x, (w) => logsumexp(w, dim, keepdim));
  const axes = normDims('logsumexp', dim, x.ndim);
  const m = reduceRaw('max', x, axes, true);
  // Rows whose max is infinite shift by 0, so all -inf gives -inf rather than NaN.
  const inf = binaryRaw('eq', unaryRaw('abs', m), scalarLike(m, Number.POSITIVE_INFINITY, m.dtype));
  const shift = where(inf, scalarLike(m, 0, m.dtype), m);
  const out = add(log(sum(exp(sub(x, shift)), axes, true)), shift);
  return keepdim ? out : reshape(out, droppedShape(x.shape, axes));
}
