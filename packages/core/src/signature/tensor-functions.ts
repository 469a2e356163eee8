import { DTYPES } from '../tensor/dtype.js';
import { Generator } from '../tensor/random.js';
import {
  any,
  bool,
  type Check,
  int,
  kw,
  lead,
  num,
  oneOf,
  onlyDefault,
  opt,
  optional,
  type ParamSpec,
  req,
  signature,
  str,
  tensor,
  unsupported,
  varargs,
} from './signature.js';

// The creation functions and cat/stack/where, declared as PyTorch 1.13 documents them: the first
// line of each docstring (tools/fixtures/signatures.py; these are C++ builtins that
// inspect.signature cannot read). Every creation option is keyword-only in PyTorch, so here it
// goes in the trailing options object only. Sizes and counts are checked with `any` and then by
// the function itself (size-args.ts), whose messages say which entry is wrong.

const dtype = kw('dtype', optional(oneOf(...DTYPES)));
/** Our device is a backend name (`'cpu'`, `'webgl'`, …); the current backend when omitted. */
const device = kw('device', optional(str));
const requiresGrad = kw('requiresGrad', bool);
const generator: Check = (v) => (v instanceof Generator ? null : 'a Generator');
const out = unsupported(
  'out',
  'writing into an existing tensor is not implemented; use the returned tensor (or x.copy_(result))',
  true,
);
const layout = unsupported('layout', 'only dense (strided) tensors exist here', true);
const pinMemory = kw('pinMemory', onlyDefault(false, 'pinned host memory is not implemented'));
const memoryFormat = unsupported(
  'memoryFormat',
  'memory formats are not implemented: tensors are created contiguous',
  true,
);
/** A fill value: a number (NaN and ±Infinity included) or a boolean. */
const scalar: Check = (v) =>
  typeof v === 'number' || typeof v === 'boolean' ? null : 'a number or a boolean';

/** `out, dtype, layout, device, requiresGrad` — the options of most factories. */
const factory: ParamSpec[] = [out, dtype, layout, device, requiresGrad];
/** `dtype, layout, device, requiresGrad, memoryFormat` — the options of the `*Like` functions. */
const like: ParamSpec[] = [dtype, layout, device, requiresGrad, memoryFormat];

/** tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False) */
export const TENSOR = signature('tensor', [req('data', any), dtype, device, requiresGrad, pinMemory]);
/** zeros(*size, *, out=None, dtype=None, layout=torch.strided, device=None, requires_grad=False) */
export const ZEROS = signature('zeros', [varargs('size', any), ...factory]);
/** ones(*size, *, out=None, dtype=None, layout=torch.strided, device=None, requires_grad=False) */
export const ONES = signature('ones', [varargs('size', any), ...factory]);
/** full(size, fill_value, *, out=None, dtype=None, layout=torch.strided, device=None, requires_grad=False) */
export const FULL = signature('full', [req('size', any), req('fillValue', scalar), ...factory]);
/** zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=…) */
export const ZEROS_LIKE = signature('zerosLike', [req('input', tensor), ...like]);
/** ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=…) */
export const ONES_LIKE = signature('onesLike', [req('input', tensor), ...like]);
/** full_like(input, fill_value, *, dtype=None, layout=…, device=None, requires_grad=False, memory_format=…) */
export const FULL_LIKE = signature('fullLike', [req('input', tensor), req('fillValue', scalar), ...like]);
/** arange(start=0, end, step=1, *, out=None, dtype=None, layout=…, device=None, requires_grad=False) */
export const ARANGE = signature('arange', [
  lead('start', num),
  req('end', num),
  opt('step', num),
  ...factory,
]);
/** linspace(start, end, steps, *, out=None, dtype=None, layout=…, device=None, requires_grad=False) */
export const LINSPACE = signature('linspace', [
  req('start', num),
  req('end', num),
  req('steps', any),
  ...factory,
]);
/** eye(n, m=None, *, out=None, dtype=None, layout=…, device=None, requires_grad=False) */
export const EYE = signature('eye', [req('n', any), opt('m', any), ...factory]);

const randomOptions: ParamSpec[] = [kw('generator', optional(generator)), ...factory];
/** rand(*size, *, generator=None, out=None, dtype=None, layout=…, device=None, requires_grad=False, pin_memory=False) */
export const RAND = signature('rand', [varargs('size', any), ...randomOptions, pinMemory]);
/** randn(*size, *, generator=None, out=None, dtype=None, layout=…, device=None, requires_grad=False, pin_memory=False) */
export const RANDN = signature('randn', [varargs('size', any), ...randomOptions, pinMemory]);
/** randint(low=0, high, size, *, generator=None, out=None, dtype=None, layout=…, device=None, requires_grad=False) */
export const RANDINT = signature('randint', [
  lead('low', int),
  req('high', int),
  req('size', any),
  ...randomOptions,
]);
/** randperm(n, *, generator=None, out=None, dtype=torch.int64, layout=…, device=None, requires_grad=False, pin_memory=False) */
export const RANDPERM = signature('randperm', [req('n', any), ...randomOptions, pinMemory]);

/** cat(tensors, dim=0, *, out=None) */
export const CAT = signature('cat', [req('tensors', any), opt('dim', int), out]);
/** stack(tensors, dim=0, *, out=None) */
export const STACK = signature('stack', [req('tensors', any), opt('dim', int), out]);
/**
 * where(condition, input, other, *, out=None) — PyTorch 1.13's parser names; its docstring's
 * `x, y` are stale. `where(condition)` alone is the other overload (nonzero as a tuple).
 */
export const WHERE = signature('where', [
  req('condition', tensor),
  req('input', any),
  req('other', any),
  out,
]);
