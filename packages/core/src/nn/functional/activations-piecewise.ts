// The piecewise-linear activations (hardtanh, relu6, hardswish, hardsigmoid, threshold,
// softshrink, hardshrink) as composites of where/clamp, so autograd derives their gradients and
// double backward works. PyTorch's backward kernels decide what happens exactly at a kink, and
// they do not agree with each other: hardtanh, relu6 and hardsigmoid pass no gradient at their
// bounds (strict inequalities), hardswish passes the inner slope at ±3, the shrinks none at ±λ.
// Each composite below picks the branch that reproduces that, noted per function.
import { where } from '../../ops/binary.js';
import { checkFloat, checkTensor } from '../../ops/util.js';
import { any, num, onlyDefault, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { piecewiseLinear } from './piecewise-linear.js';

// torch.nn.functional 1.13: inspect.signature where it works; softshrink and hardshrink are C++
// builtins (documented softshrink(input, lambd=0.5), hardshrink(input, lambd=0.5)).
const input = req('input', any);
const inplace = opt(
  'inplace',
  onlyDefault(false, 'in-place activations are not supported; use the returned tensor'),
);
const HARDTANH = signature('F.hardtanh', [input, opt('minVal', num), opt('maxVal', num), inplace]);
const RELU6 = signature('F.relu6', [input, inplace]);
const HARDSWISH = signature('F.hardswish', [input, inplace]);
const HARDSIGMOID = signature('F.hardsigmoid', [input, inplace]);
const THRESHOLD = signature('F.threshold', [input, req('threshold', num), req('value', num), inplace]);
const SOFTSHRINK = signature('F.softshrink', [input, opt('lambd', num)]);
const HARDSHRINK = signature('F.hardshrink', [input, opt('lambd', num)]);

type Inplace = PosOrOpts<[inplace: false], { inplace?: false }>;

/**
 * The input of an op PyTorch also runs on integer tensors, keeping their dtype (hardtanh,
 * relu6, threshold): bool is refused as PyTorch does, and integer inputs need integer scalars
 * (a fractional bound on an int tensor has no one answer to copy).
 */
function intOrFloat(op: string, x: Tensor, scalars: Record<string, number>): Tensor {
  checkTensor(op, x);
  if (x.dtype === 'bool')
    throw new Error(`${op}: bool input ${fmtShape(x.shape)} is not supported (as in PyTorch)`);
  if (x.dtype === 'int32' || x.dtype === 'int64' || x.dtype === 'uint8') {
    for (const [k, v] of Object.entries(scalars)) {
      if (!Number.isInteger(v))
        throw new Error(
          `${op}: ${k}=${v} is not an integer, for ${x.dtype} input ${fmtShape(x.shape)} (use .float())`,
        );
    }
  }
  return x;
}

/**
 * clamp(x, minVal, maxVal), with PyTorch's gradient: 1 strictly inside (minVal, maxVal), 0 at
 * and beyond the bounds. (`clamp` itself passes the gradient at the bounds.)
 *
 * ```ts
 * F.hardtanh(x, -2, 2);
 * ```
 */
export function hardtanh(
  x: Tensor,
  ...rest: PosOrOpts<
    [minVal: number, maxVal: number, inplace: false],
    { minVal?: number; maxVal?: number; inplace?: false }
  >
): Tensor {
  const a = HARDTANH.parse<{ input: Tensor; minVal?: number; maxVal?: number }>([x, ...rest]);
  return hardtanhImpl('hardtanh', a.input, a.minVal ?? -1, a.maxVal ?? 1);
}

function hardtanhImpl(op: string, x: Tensor, minVal: number, maxVal: number): Tensor {
  const t = intOrFloat(op, x, { minVal, maxVal });
  if (t.dtype === 'uint8' && (minVal < 0 || maxVal < 0))
    throw new Error(
      `${op}: cannot do hardtanh on an unsigned type (uint8) with negative limits [${minVal}, ${maxVal}]`,
    );
  // Values are clamp's (min > max gives max, NaN stays NaN); the gradient flows only where x is
  // strictly inside, through the where's first branch.
  const inside = (v: Tensor) => v.gt(minVal).logicalAnd(v.lt(maxVal));
  return piecewiseLinear(
    'Hardtanh',
    t,
    (v) => where(inside(v), v, v.clamp(minVal, maxVal)),
    (g, v) => where(inside(v), g, 0),
  );
}

/** min(max(0, x), 6); gradient 0 at 0 and 6 (PyTorch's hardtanh(0, 6)). */
export function relu6(x: Tensor, ...rest: Inplace): Tensor {
  x = RELU6.parse<{ input: Tensor }>([x, ...rest]).input;
  return hardtanhImpl('relu6', x, 0, 6);
}

/**
 * x·relu6(x + 3)/6; gradient 0 below −3, x/3 + 1/2 on [−3, 3), 1 from 3 on.
 *
 * At exactly x = 3 PyTorch 1.13 is not consistent with itself: its vectorized CPU kernel (the
 * bulk of any tensor) gives 1, its scalar tail and CUDA give 3/2. This follows the vectorized
 * kernel, which is also where the documentation puts x = 3 (the `x` piece).
 */
export function hardswish(x: Tensor, ...rest: Inplace): Tensor {
  x = HARDSWISH.parse<{ input: Tensor }>([x, ...rest]).input;
  checkTensor('hardswish', x);
  checkFloat('hardswish', x);
  // Values as PyTorch computes them, x·clamp(x + 3, 0, 6)/6 (x·6/6 from 3 on); clamp passes the
  // gradient at its bounds, which gives PyTorch's −1/2 at −3.
  return where(x.ge(3), x.mul(6).div(6), x.mul(x.add(3).clamp(0, 6)).div(6));
}

/** relu6(x + 3)/6; gradient 1/6 strictly inside (-3, 3), 0 at the bounds (as PyTorch). */
export function hardsigmoid(x: Tensor, ...rest: Inplace): Tensor {
  x = HARDSIGMOID.parse<{ input: Tensor }>([x, ...rest]).input;
  checkTensor('hardsigmoid', x);
  checkFloat('hardsigmoid', x);
  const inside = (v: Tensor) => v.gt(-3).logicalAnd(v.lt(3));
  return piecewiseLinear(
    'Hardsigmoid',
    x,
    (v) => where(inside(v), v.add(3).div(6), v.add(3).clamp(0, 6).div(6)),
    (g, v) => where(inside(v), g.div(6), 0),
  );
}

/** x where x > threshold, else `value`; gradient 0 where x <= threshold. */
export function threshold(
  x: Tensor,
  ...rest: PosOrOpts<
    [threshold: number, value: number, inplace: false],
    { threshold?: number; value?: number; inplace?: false }
  >
): Tensor {
  const a = THRESHOLD.parse<{ input: Tensor; threshold: number; value: number }>([x, ...rest]);
  const t = intOrFloat('threshold', a.input, { threshold: a.threshold, value: a.value });
  // x <= threshold picks the value, so NaN (never <=) stays NaN, as PyTorch's kernel.
  return piecewiseLinear(
    'Threshold',
    t,
    (v) => where(v.le(a.threshold), a.value, v),
    (g, v) => where(v.le(a.threshold), 0, g),
  );
}

function checkLambd(op: string, lambd: number): void {
  if (!(lambd >= 0)) throw new Error(`${op}: lambda must be greater or equal to 0, but found to be ${lambd}`);
}

/** x − λ above λ, x + λ below −λ, 0 in between; gradient 0 on [−λ, λ]. λ >= 0. */
export function softshrink(x: Tensor, ...rest: PosOrOpts<[lambd: number], { lambd?: number }>): Tensor {
  const a = SOFTSHRINK.parse<{ input: Tensor; lambd?: number }>([x, ...rest]);
  const t = a.input;
  const l = a.lambd ?? 0.5;
  checkTensor('softshrink', t);
  checkFloat('softshrink', t);
  checkLambd('softshrink', l);
  return piecewiseLinear(
    'Softshrink',
    t,
    (v) => where(v.gt(l), v.sub(l), where(v.lt(-l), v.add(l), 0)),
    (g, v) => where(v.gt(l).logicalOr(v.lt(-l)), g, 0),
  );
}

/** x outside [−λ, λ], 0 inside (bounds included); gradient likewise. */
export function hardshrink(x: Tensor, ...rest: PosOrOpts<[lambd: number], { lambd?: number }>): Tensor {
  const a = HARDSHRINK.parse<{ input: Tensor; lambd?: number }>([x, ...rest]);
  const t = a.input;
  const l = a.lambd ?? 0.5;
  checkTensor('hardshrink', t);
  checkFloat('hardshrink', t);
  // PyTorch takes a negative λ (the band is then empty: the identity).
  const band = (v: Tensor) => v.ge(-l).logicalAnd(v.le(l));
  return piecewiseLinear(
    'Hardshrink',
    t,
    (v) => where(band(v), 0, v),
    (g, v) => where(band(v), 0, g),
  );
}
