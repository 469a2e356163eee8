// Logarithms and exponentials of other bases, and logit: composites of log, pow and div
// (table entries, ops/table.ts). Composites with a rounding of their own (a constant factor)
// run through opmath, so float32 results are rounded once, as PyTorch's kernels are.
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
import type { Tensor } from '../tensor/tensor.js';
import { clamp, div, mul, pow, sub } from './binary.js';
import { cast } from './convert.js';
import { floatDtype, opmath } from './opmath.js';
import { log } from './pointwise.js';
import { c, defineOps, type TableMethods, t, unaryCases } from './table.js';
import { checkTensor } from './util.js';

/**
 * The base-2 logarithm, elementwise (integers and bool are promoted to float32).
 *
 * ```ts
 * log2(tensor([1, 8, 0.5])); // tensor([ 0.,  3., -1.])
 * ```
 */
export function log2(x: Tensor): Tensor {
  checkTensor('log2', x);
  return opmath(floatDtype(x), [x], (w) => mul(log(w), Math.LOG2E));
}

/** The base-10 logarithm, elementwise (integers and bool are promoted to float32). */
export function log10(x: Tensor): Tensor {
  checkTensor('log10', x);
  return opmath(floatDtype(x), [x], (w) => mul(log(w), Math.LOG10E));
}

/**
 * `2^x`, elementwise (integers and bool are promoted to float32); exact for integer `x`.
 *
 * ```ts
 * exp2(tensor([0, 3, -1])); // tensor([1.0000, 8.0000, 0.5000])
 * ```
 */
export function exp2(x: Tensor): Tensor {
  checkTensor('exp2', x);
  return pow(2, cast(x, floatDtype(x)));
}

/** logit(input, eps=None, *, out=None) */
const LOGIT = sig('logit', [
  req('input', tensor),
  opt('eps', optional(num)),
  unsupported('out', 'writing into an existing tensor is not implemented; use the returned tensor', true),
]);

/**
 * The log-odds `log(p / (1 - p))`, elementwise. With `eps`, `p` is first clamped to
 * `[eps, 1 - eps]` (and the gradient is 0 outside that range), as PyTorch's `logit(input, eps)`;
 * a negative `eps` counts as none. Integers are promoted to float32.
 *
 * ```ts
 * logit(tensor([0.25, 0.5]));          // tensor([-1.0986,  0.0000])
 * x.logit(1e-6);                        // or x.logit({ eps: 1e-6 })
 * ```
 */
export function logit(x: Tensor, ...rest: PosOrOpts<[eps: number | null], { eps?: number | null }>): Tensor {
  const a = LOGIT.parse<{ input: Tensor; eps?: number | null }>([x, ...rest]);
  const p = cast(a.input, floatDtype(a.input));
  const eps = a.eps ?? -1;
  const q = eps < 0 ? p : clamp(p, eps, 1 - eps);
  // PyTorch's kernel: log(x / (1 - x)), one rounding per step in the input's dtype.
  return log(div(q, sub(1, q)));
}

const OPS = defineOps({
  log2: { fn: log2, cases: unaryCases('positive', { int: true, special: true }) },
  log10: { fn: log10, cases: unaryCases('positive', { int: true, special: true }) },
  exp2: {
    fn: exp2,
    cases: [...unaryCases('normal', { int: true, special: true }), c('bool', [t([4], 'bool')])],
  },
  logit: {
    fn: logit,
    cases: [
      ...unaryCases('prob', { special: true }),
      c('eps', [t([3, 4], 'normal')], [0.25]),
      c('eps_kw', [t([2, 5], 'prob')], [], { eps: 0.1 }),
      c('int', [t([5], 'smallint', { dtype: 'int64' })]),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./exp-log.js'), typeof OPS> {}
}
