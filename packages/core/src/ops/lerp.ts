// Linear interpolation and the fused multiply-add ops: lerp, addcmul, addcdiv (table entries,
// ops/table.ts). Composites of differentiable ops in PyTorch's own evaluation order, so float32
// results round as PyTorch's kernels do and no backward is needed.
import {
  kw,
  num,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
  unsupported,
} from '../signature/signature.js';
import { isFloat } from '../tensor/dtype.js';
import { fmtShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, lt, mul, operands, sub, where } from './binary.js';
import { abs } from './pointwise.js';
import { c, defineOps, type TableMethods, t } from './table.js';
import { checkTensor, type TensorLike } from './util.js';

const out = unsupported(
  'out',
  'writing into an existing tensor is not implemented; use the returned tensor',
  true,
);

const describe = (x: Tensor): string => `${x.dtype} ${fmtShape(x.shape)}`;

/**
 * `input + weight * (end - input)`, elementwise with broadcasting; `weight` is a number or a
 * tensor. Computed as PyTorch's kernel does: from `input` when |weight| < 0.5, else as
 * `end - (end - input) * (1 - weight)`, so `weight = 1` gives `end` exactly. Floating point
 * tensors of one dtype, as in PyTorch.
 *
 * ```ts
 * lerp(tensor([0, 10]), tensor([10, 20]), 0.25); // tensor([ 2.5000, 12.5000])
 * ```
 */
export function lerp(input: Tensor, end: Tensor, weight: TensorLike): Tensor {
  checkTensor('lerp', input);
  checkTensor('lerp', end, 'end');
  if (!isFloat(input.dtype)) {
    throw new Error(`lerp: not implemented for ${describe(input)} (floating point only, as in PyTorch)`);
  }
  for (const [name, x] of [['end', end] as const, ['weight', weight] as const]) {
    if (x instanceof Tensor && x.dtype !== input.dtype) {
      throw new Error(
        `lerp: expected dtype ${input.dtype} for \`${name}\` but got dtype ${x.dtype} (as PyTorch)`,
      );
    }
  }
  const d = sub(end, input);
  if (!(weight instanceof Tensor)) {
    if (typeof weight !== 'number')
      throw new Error(`lerp: weight must be a number or a Tensor, got ${typeof weight}`);
    if (Math.abs(weight) < 0.5) return add(input, mul(d, weight));
    // PyTorch takes the weight in the tensors' dtype first, then computes 1 - weight in it
    const w = input.dtype === 'float64' ? weight : Math.fround(weight);
    return sub(end, mul(d, input.dtype === 'float64' ? 1 - w : Math.fround(1 - w)));
  }
  return where(lt(abs(weight), 0.5), add(input, mul(weight, d)), sub(end, mul(d, sub(1, weight))));
}

/** addcmul(input, tensor1, tensor2, *, value=1, out=None) */
const ADDCMUL = sig('addcmul', [
  req('input', tensor),
  req('tensor1', tensor),
  req('tensor2', tensor),
  kw('value', num),
  out,
]);
/** addcdiv(input, tensor1, tensor2, *, value=1, out=None) */
const ADDCDIV = sig('addcdiv', [
  req('input', tensor),
  req('tensor1', tensor),
  req('tensor2', tensor),
  kw('value', num),
  out,
]);

interface AddcArgs {
  input: Tensor;
  tensor1: Tensor;
  tensor2: Tensor;
  value?: number;
}

/** The value as the result dtype takes it: PyTorch converts it to an integer for integer results. */
function scaleFor(op: string, a: AddcArgs): number {
  const [p] = operands(op, a.tensor1, a.tensor2, false);
  const [r] = operands(op, a.input, p, false);
  if (r.dtype === 'bool') {
    throw new Error(`${op}: not implemented for bool tensors (as in PyTorch); cast first, e.g. .int()`);
  }
  const value = a.value ?? 1;
  return isFloat(r.dtype) ? value : Math.trunc(value);
}

/** Options of {@link addcmul} and {@link addcdiv}. */
export interface AddcOptions {
  /** Multiplier of the product or quotient (default 1). */
  value?: number;
}

/**
 * `input + value * tensor1 * tensor2`, elementwise with broadcasting and PyTorch's type
 * promotion (`value` is keyword-only in PyTorch: `{ value }` here; an integer result takes it
 * truncated to an integer, as PyTorch does).
 *
 * ```ts
 * addcmul(x, a, b, { value: 0.5 }); // x + 0.5 * a * b
 * ```
 */
export function addcmul(
  input: Tensor,
  tensor1: Tensor,
  tensor2: Tensor,
  ...rest: PosOrOpts<[], AddcOptions>
): Tensor {
  const a = ADDCMUL.parse<AddcArgs>([input, tensor1, tensor2, ...rest]);
  const value = scaleFor('addcmul', a);
  // PyTorch's order: self + ((value * t1) * t2)
  return add(a.input, mul(value === 1 ? a.tensor1 : mul(a.tensor1, value), a.tensor2));
}

/**
 * `input + value * tensor1 / tensor2`, elementwise with broadcasting and PyTorch's type
 * promotion. Two integer tensors are refused, as PyTorch refuses integer division here.
 *
 * ```ts
 * addcdiv(x, a, b, { value: -0.1 }); // x - 0.1 * a / b
 * ```
 */
export function addcdiv(
  input: Tensor,
  tensor1: Tensor,
  tensor2: Tensor,
  ...rest: PosOrOpts<[], AddcOptions>
): Tensor {
  const a = ADDCDIV.parse<AddcArgs>([input, tensor1, tensor2, ...rest]);
  if (!isFloat(a.tensor1.dtype) && !isFloat(a.tensor2.dtype)) {
    throw new Error(
      `addcdiv: integer division of ${describe(a.tensor1)} by ${describe(a.tensor2)} is not supported (as in PyTorch); use .float() on one of them`,
    );
  }
  const value = scaleFor('addcdiv', a);
  // PyTorch's order: self + ((value * t1) / t2)
  return add(a.input, div(value === 1 ? a.tensor1 : mul(a.tensor1, value), a.tensor2));
}

const OPS = defineOps({
  lerp: {
    fn: lerp,
    cases: [
      c('number_small', [t([3, 4]), t([3, 4])], [0.3]),
      c('number_large', [t([3, 4]), t([3, 4])], [0.8]),
      c('number_one', [t([5]), t([5])], [1]),
      c('tensor_weight', [t([3, 4]), t([3, 4]), t([3, 4], 'normal')]),
      c('broadcast', [t([2, 3]), t([3]), t([2, 1], 'prob')]),
      c('noncontiguous', [t([3, 4], 'normal', { transposed: true }), t([3, 4]), t([4], 'prob')]),
      c('float64', [t([4], 'normal', { dtype: 'float64' }), t([4], 'normal', { dtype: 'float64' })], [0.6]),
      c(
        'int',
        [t([3], 'smallint', { dtype: 'int64' }), t([3], 'smallint', { dtype: 'int64' })],
        [0.5],
        undefined,
        { throws: true },
      ),
      c('mixed_dtypes', [t([3]), t([3], 'normal', { dtype: 'float64' })], [0.5], undefined, { throws: true }),
    ],
  },
  addcmul: {
    fn: addcmul,
    cases: [
      c('default_value', [t([3, 4]), t([3, 4]), t([3, 4])]),
      c('value', [t([3, 4]), t([3, 4]), t([3, 4])], [], { value: -0.5 }),
      c('broadcast', [t([2, 3]), t([3]), t([2, 1])], [], { value: 2 }),
      c('promote', [t([3], 'smallint', { dtype: 'int64' }), t([3]), t([3], 'normal', { dtype: 'float64' })]),
      c('int_value_truncated', [v3('int64'), v3('int64'), v3('int64')], [], { value: 2.5 }),
      c('bool', [t([3], 'bool'), t([3], 'bool'), t([3], 'bool')], [], undefined, { throws: true }),
    ],
  },
  addcdiv: {
    fn: addcdiv,
    cases: [
      c('default_value', [t([3, 4]), t([3, 4]), t([3, 4], 'nonzero')]),
      c('value', [t([3, 4]), t([3, 4]), t([3, 4], 'nonzero')], [], { value: 0.25 }),
      c('broadcast', [t([2, 3]), t([3]), t([2, 1], 'nonzero')], [], { value: -3 }),
      c('int_input', [t([3], 'smallint', { dtype: 'int64' }), t([3]), t([3], 'nonzero')]),
      c('int_division', [t([3]), v3('int64'), v3('int64')], [], undefined, { throws: true }),
    ],
  },
});

/** An int tensor input of three small non-zero integers. */
function v3(dtype: 'int64' | 'int32') {
  return { shape: [3], data: [2, -3, 5], dtype } as const;
}

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./lerp.js'), typeof OPS> {}
}
