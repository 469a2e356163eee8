// randLike, randnLike, randintLike, empty and emptyLike: PyTorch's creation functions shaped like
// a tensor (or, for empty, by sizes), drawn from the default seeded generator (tensor/random.ts).
import {
  any,
  bool,
  int,
  kw,
  oneOf,
  onlyDefault,
  opt,
  optional,
  type ParamSpec,
  req,
  signature as sig,
  str,
  tensor,
  unsupported,
  varargs,
} from '../signature/signature.js';
import { fromArray, full, type TensorOptions } from '../tensor/creation.js';
import { checkFits, DTYPES, isFloat, toDataArray } from '../tensor/dtype.js';
import { hostDraw } from '../tensor/host-draw.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { sizeOf } from '../tensor/shape.js';
import { parseSizeCall } from '../tensor/size-args.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';

const dtype = kw('dtype', optional(oneOf(...DTYPES)));
const device = kw('device', optional(str));
const requiresGrad = kw('requiresGrad', bool);
const layout = unsupported('layout', 'only dense (strided) tensors exist here', true);
const memoryFormat = unsupported(
  'memoryFormat',
  'memory formats are not implemented: tensors are created contiguous',
  true,
);
/** `dtype, layout, device, requiresGrad, memoryFormat`: the options of the `*_like` functions. */
const like: ParamSpec[] = [dtype, layout, device, requiresGrad, memoryFormat];

/** rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=…) */
export const RAND_LIKE = sig('randLike', [req('input', tensor), ...like]);
/** randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=…) */
export const RANDN_LIKE = sig('randnLike', [req('input', tensor), ...like]);
/** randint_like(input, low=0, high, *, dtype=None, layout=…, device=None, requires_grad=False, memory_format=…) */
export const RANDINT_LIKE = sig('randintLike', [
  req('input', tensor),
  opt('low', int),
  req('high', int),
  ...like,
]);
/** empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=…) */
export const EMPTY_LIKE = sig('emptyLike', [req('input', tensor), ...like]);
/** empty(*size, *, out=None, dtype=None, layout=…, device=None, requires_grad=False, pin_memory=False, memory_format=…) */
export const EMPTY = sig('empty', [
  varargs('size', any),
  unsupported(
    'out',
    'writing into an existing tensor is not implemented; use the returned tensor (or x.copy_(result))',
    true,
  ),
  dtype,
  layout,
  device,
  requiresGrad,
  kw('pinMemory', onlyDefault(false, 'pinned host memory is not implemented')),
  memoryFormat,
]);

/** `input`'s dtype and device unless the options give them (null is PyTorch's None: `input`'s). */
function likeOptions(
  input: Tensor,
  a: TensorOptions,
): Required<Pick<TensorOptions, 'dtype' | 'device'>> & TensorOptions {
  return { dtype: a.dtype ?? input.dtype, device: a.device ?? input.device, requiresGrad: a.requiresGrad };
}

function drawLike(op: string, input: Tensor, opts: TensorOptions, draw: (g: Generator) => number): Tensor {
  const o = likeOptions(input, opts);
  const n = sizeOf(input.shape);
  const values = hostDraw(n, (m) => {
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) v[i] = draw(defaultGenerator);
    return v;
  });
  return fromArray(op, toDataArray(op, values, o.dtype), input.shape, o.dtype, o);
}

function floatLike(op: string, input: Tensor, opts: TensorOptions): void {
  const d = opts.dtype ?? input.dtype;
  if (!isFloat(d)) {
    throw new Error(
      `${op}: not implemented for ${d} (the samples are floating point; pass { dtype: 'float32' })`,
    );
  }
}

/**
 * Uniform [0, 1) samples of `input`'s shape, dtype and device (each overridable), PyTorch's
 * `torch.rand_like`; the dtype must be floating point.
 */
export function randLike(input: Tensor, ...rest: [opts?: TensorOptions]): Tensor {
  const a = RAND_LIKE.parse<TensorOptions & { input: Tensor }>([input, ...rest]);
  checkTensor('randLike', a.input);
  floatLike('randLike', a.input, a);
  return drawLike('randLike', a.input, a, (g) => g.random());
}

/** Standard normal samples like `input` (each of shape, dtype, device overridable), PyTorch's `torch.randn_like`. */
export function randnLike(input: Tensor, ...rest: [opts?: TensorOptions]): Tensor {
  const a = RANDN_LIKE.parse<TensorOptions & { input: Tensor }>([input, ...rest]);
  checkTensor('randnLike', a.input);
  floatLike('randnLike', a.input, a);
  return drawLike('randnLike', a.input, a, (g) => g.normal());
}

/**
 * Uniform integers in [low, high) (low defaults to 0) with `input`'s shape, dtype and device:
 * PyTorch's `torch.randint_like(input, low=0, high)`. The dtype is `input`'s, floats included
 * (integer values), unless `dtype` says otherwise; the range must fit it.
 *
 * ```ts
 * randintLike(x, 10);     // [0, 10)
 * randintLike(x, 3, 5);   // [3, 5)
 * ```
 */
export function randintLike(input: Tensor, high: number, opts?: TensorOptions): Tensor;
export function randintLike(input: Tensor, low: number, high: number, opts?: TensorOptions): Tensor;
export function randintLike(input: Tensor, opts: TensorOptions & { low?: number; high: number }): Tensor;
export function randintLike(...args: unknown[]): Tensor {
  // randint_like(input, high): one bound is the high one, as in PyTorch.
  if (typeof args[1] === 'number' && typeof args[2] !== 'number')
    args = [args[0], undefined, ...args.slice(1)];
  const a = RANDINT_LIKE.parse<TensorOptions & { input: Tensor; low?: number; high: number }>(args);
  const op = 'randintLike';
  checkTensor(op, a.input);
  const low = a.low ?? 0;
  const { high } = a;
  if (!(high > low)) throw new Error(`${op}: expects low < high, but got low = ${low} >= high = ${high}`);
  checkFits(op, [low, high - 1], a.dtype ?? a.input.dtype);
  return drawLike(op, a.input, a, (g) => g.int(low, high));
}

/** Options of {@link empty}: PyTorch's keyword arguments of `torch.empty`. */
export interface EmptyOptions extends TensorOptions {
  /** The size by name instead of positionally (`empty({ size: [2, 3] })`). */
  size?: readonly number[];
  /** Must be false (pinned host memory is not implemented). */
  pinMemory?: boolean;
}

/**
 * A tensor of `size` (PyTorch's `torch.empty`). PyTorch leaves it uninitialised; here it holds
 * zeros (no backend hands out uninitialised memory), which any program that writes it before
 * reading it, as PyTorch requires, cannot tell apart.
 */
export function empty(...args: (number | readonly number[] | EmptyOptions | undefined)[]): Tensor {
  const [shape, o] = parseSizeCall<TensorOptions>(EMPTY, args);
  return full(shape, 0, {
    dtype: o.dtype ?? undefined,
    device: o.device ?? undefined,
    requiresGrad: o.requiresGrad,
  });
}

/** A tensor like `input` (zeros here; see {@link empty}), PyTorch's `torch.empty_like`. */
export function emptyLike(input: Tensor, ...rest: [opts?: TensorOptions]): Tensor {
  const a = EMPTY_LIKE.parse<TensorOptions & { input: Tensor }>([input, ...rest]);
  checkTensor('emptyLike', a.input);
  const o = likeOptions(a.input, a);
  return full(a.input.shape, 0, o);
}
