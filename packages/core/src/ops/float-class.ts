// Classifying and replacing non-finite values: isinf, isfinite, isposinf, isneginf, nanToNum
// (table entries, ops/table.ts). Integer and bool tensors hold no infinities or NaN.
import type { DType } from '../backend/types.js';
import {
  num,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
  unsupported,
} from '../signature/signature.js';
import { full } from '../tensor/creation.js';
import { isFloat } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { eq, sub, where } from './binary.js';
import { clone } from './convert.js';
import { abs, isnan } from './pointwise.js';
import { c, defineOps, type TableMethods, t } from './table.js';
import { checkTensor } from './util.js';

/** A bool tensor of `x`'s shape filled with `value` (for integer inputs). */
function filled(x: Tensor, value: boolean): Tensor {
  return full(x.shape, value, { dtype: 'bool', device: x.device });
}

/** True where `x` is +inf or -inf (bool). */
export function isinf(x: Tensor): Tensor {
  checkTensor('isinf', x);
  return isFloat(x.dtype) ? eq(abs(x), Number.POSITIVE_INFINITY) : filled(x, false);
}

/** True where `x` is +inf (bool). */
export function isposinf(x: Tensor): Tensor {
  checkTensor('isposinf', x);
  return isFloat(x.dtype) ? eq(x, Number.POSITIVE_INFINITY) : filled(x, false);
}

/** True where `x` is -inf (bool). */
export function isneginf(x: Tensor): Tensor {
  checkTensor('isneginf', x);
  return isFloat(x.dtype) ? eq(x, Number.NEGATIVE_INFINITY) : filled(x, false);
}

/** True where `x` is neither infinite nor NaN (bool; always true for integers and bool). */
export function isfinite(x: Tensor): Tensor {
  checkTensor('isfinite', x);
  // x - x is 0 for finite x and NaN for ±inf and NaN
  return isFloat(x.dtype) ? eq(sub(x, x), 0) : filled(x, true);
}

/** nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None) */
const NAN_TO_NUM = sig('nanToNum', [
  req('input', tensor),
  opt('nan', optional(num)),
  opt('posinf', optional(num)),
  opt('neginf', optional(num)),
  unsupported('out', 'writing into an existing tensor is not implemented; use the returned tensor', true),
]);

/** The largest finite value of each float dtype (PyTorch's `torch.finfo(dtype).max`). */
const FLOAT_MAX: Partial<Record<DType, number>> = {
  float32: 3.4028234663852886e38,
  float64: Number.MAX_VALUE,
  float16: 65504,
  bfloat16: 3.3895313892515355e38,
};

/** Options of {@link nanToNum}. */
export interface NanToNumOptions {
  /** Replacement of NaN (default 0). */
  nan?: number | null;
  /** Replacement of +Infinity (default: the dtype's largest finite value). */
  posinf?: number | null;
  /** Replacement of -Infinity (default: the dtype's lowest finite value). */
  neginf?: number | null;
}

/**
 * Replaces NaN by `nan` (default 0), +inf by `posinf` and -inf by `neginf` (default: the
 * dtype's largest and lowest finite values), as PyTorch's `nan_to_num`. Integer and bool tensors
 * are returned as a copy. The gradient is zero where a value was replaced.
 *
 * ```ts
 * nanToNum(tensor([NaN, Infinity, -1]));            // tensor([ 0.0000e+00,  3.4028e+38, -1.0000e+00])
 * x.nanToNum(0, 1e4, -1e4);                          // or x.nanToNum({ posinf: 1e4, neginf: -1e4 })
 * ```
 */
export function nanToNum(
  x: Tensor,
  ...rest: PosOrOpts<[nan: number | null, posinf: number | null, neginf: number | null], NanToNumOptions>
): Tensor {
  const a = NAN_TO_NUM.parse<{
    input: Tensor;
    nan?: number | null;
    posinf?: number | null;
    neginf?: number | null;
  }>([x, ...rest]);
  x = a.input;
  checkTensor('nanToNum', x);
  if (!isFloat(x.dtype)) return clone(x);
  const max = FLOAT_MAX[x.dtype]!;
  let y = where(isnan(x), a.nan ?? 0, x);
  y = where(eq(x, Number.POSITIVE_INFINITY), a.posinf ?? max, y);
  return where(eq(x, Number.NEGATIVE_INFINITY), a.neginf ?? -max, y);
}

const CLASSIFY_CASES = [
  c('special', [t([11], 'special')]),
  c('2d', [t([3, 4], 'normal')]),
  c('int', [t([5], 'smallint', { dtype: 'int64' })]),
  c('bool', [t([3], 'bool')]),
];

const OPS = defineOps({
  isinf: { fn: isinf, grad: false, cases: CLASSIFY_CASES },
  isposinf: { fn: isposinf, grad: false, cases: CLASSIFY_CASES },
  isneginf: { fn: isneginf, grad: false, cases: CLASSIFY_CASES },
  isfinite: { fn: isfinite, grad: false, cases: CLASSIFY_CASES },
  nanToNum: {
    fn: nanToNum,
    cases: [
      c('defaults', [t([11], 'special')]),
      c('positional', [t([2, 11], 'special')], [1.5, 100, -100]),
      c('kwargs', [t([11], 'special')], [], { posinf: 7, neginf: -7 }),
      c('nan_only', [t([11], 'special')], [], { nan: -1 }),
      c('float64', [t([11], 'special', { dtype: 'float64' })]),
      c('finite', [t([3, 4], 'normal')]),
      c('int', [t([5], 'smallint', { dtype: 'int64' })], [1.5]),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./float-class.js'), typeof OPS> {}
}
