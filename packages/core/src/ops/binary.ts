import { record } from '../autograd/node.js';
import { type BinaryOp, COMPARISON_OPS, type DType } from '../backend/types.js';
import {
  any,
  isOptionsObject,
  kw,
  oneOf,
  optional,
  req,
  signature as sig,
  unsupported,
} from '../signature/signature.js';
import { WHERE } from '../signature/tensor-functions.js';
import { isFloat, promoteTypes, promoteWithScalar } from '../tensor/dtype.js';
import { broadcastShapes, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { cast } from './convert.js';
import { whereIndices } from './nonzero.js';
import { unary, unaryRaw } from './unary.js';
import { unbroadcast } from './unbroadcast.js';
import { checkSameDevice, checkTensor, scalarLike, type TensorLike, wrap } from './util.js';

/** Converts two operands (at least one a tensor) to tensors of one dtype on one device. */
export function operands(op: string, a: TensorLike, b: TensorLike, floatOnly: boolean): [Tensor, Tensor] {
  // Hot path (every binary op): no per-call arrays or closures.
  const aT = a instanceof Tensor;
  const bT = b instanceof Tensor;
  if (!aT && !bT) {
    throw new Error(`${op}: expected at least one Tensor operand, got ${typeof a} and ${typeof b}`);
  }
  if (aT) a._check(op);
  else checkScalar(op, a);
  if (bT) b._check(op);
  else checkScalar(op, b);
  let dtype: DType;
  if (aT && bT) {
    checkSameDevice(op, a, b);
    dtype = tensorResultType(a, b);
  } else if (aT) dtype = promoteWithScalar(a.dtype, b as number | boolean);
  else dtype = promoteWithScalar((b as Tensor).dtype, a);
  if (floatOnly && !isFloat(dtype)) dtype = 'float32';
  const like = (aT ? a : b) as Tensor;
  return [asOperand(a, like, dtype), asOperand(b, like, dtype)];
}

/**
 * PyTorch's result type of two tensors: a 0-d tensor only decides the dtype when its category
 * (bool < integer < float) is higher than the other operand's (`int32[3] + float64 0-d` is
 * float64, `float32[3] + float64 0-d` stays float32); otherwise the wider dtype wins.
 */
function tensorResultType(a: Tensor, b: Tensor): DType {
  const a0 = a.shape.length === 0;
  if (a0 === (b.shape.length === 0)) return promoteTypes(a.dtype, b.dtype);
  const [dimmed, zeroDim] = a0 ? [b, a] : [a, b];
  return category(zeroDim.dtype) > category(dimmed.dtype) ? zeroDim.dtype : dimmed.dtype;
}

function category(d: DType): number {
  return d === 'bool' ? 0 : isFloat(d) ? 2 : 1;
}

/** `v` as a tensor of `dtype` on `like`'s device (a cast or a 0-d scalar when needed). */
function asOperand(v: TensorLike, like: Tensor, dtype: DType): Tensor {
  if (v instanceof Tensor) return v.dtype === dtype ? v : cast(v, dtype);
  return scalarLike(like, Number(v), dtype);
}

function checkScalar(op: string, v: unknown): void {
  if (typeof v !== 'number' && typeof v !== 'boolean') {
    throw new Error(`${op}: expected a Tensor or a number, got ${v === null ? 'null' : typeof v}`);
  }
}

/** Runs a binary primitive (with broadcasting) without recording. */
export function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = shapesEqual(a.shape, b.shape) ? a.shape : broadcastShapes(op, a.shape, b.shape);
  const dtype = COMPARISON_OPS.has(op) ? 'bool' : a.dtype;
  return wrap(a, a._backend.binary(op, a, b, shape), shape, dtype);
}

/**
 * Arithmetic with PyTorch's bool rules: bool + bool is logical or, bool * bool logical and
 * (computed as int32 and cast back), maximum/minimum stay bool; bool - bool and bool ** bool
 * are errors, as in PyTorch.
 */
function arith(op: BinaryOp, a: TensorLike, b: TensorLike, floatOnly = false): [Tensor, Tensor, Tensor] {
  const [ta, tb] = operands(op, a, b, floatOnly);
  if (ta.dtype !== 'bool') return [ta, tb, binaryRaw(op, ta, tb)];
  if (op === 'sub') {
    throw new Error(
      'sub: subtraction with two bool tensors is not supported; use logicalXor() or cast with .int()',
    );
  }
  if (op === 'pow') throw new Error('pow: not implemented for bool tensors (cast with .int() or .float())');
  const y = binaryRaw(op, cast(ta, 'int32'), cast(tb, 'int32'));
  return [ta, tb, cast(y, 'bool')];
}

/** `a + b` with broadcasting (alpha scales b, as torch.add). */
export function add(a: TensorLike, b: TensorLike, alpha?: number): Tensor {
  if (alpha !== undefined && alpha !== 1) b = mul(b, alpha);
  const [ta, tb, y] = arith('add', a, b);
  if (!isFloat(y.dtype)) return y;
  return record('AddBackward', y, [ta, tb], (g) => [
    ta._requiresGrad ? unbroadcast(g, ta.shape) : null,
    tb._requiresGrad ? unbroadcast(g, tb.shape) : null,
  ]);
}

/** `a - b` with broadcasting. */
export function sub(a: TensorLike, b: TensorLike, alpha?: number): Tensor {
  if (alpha !== undefined && alpha !== 1) b = mul(b, alpha);
  const [ta, tb, y] = arith('sub', a, b);
  if (!isFloat(y.dtype)) return y;
  return record('SubBackward', y, [ta, tb], (g) => [
    ta._requiresGrad ? unbroadcast(g, ta.shape) : null,
    tb._requiresGrad ? unbroadcast(neg(g), tb.shape) : null,
  ]);
}

/** `a * b` with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb, y] = arith('mul', a, b);
  if (!isFloat(y.dtype)) return y;
  return record(
    'MulBackward',
    y,
    [ta, tb],
    (g) => [
      ta._requiresGrad ? unbroadcast(mul(g, tb), ta.shape) : null,
      tb._requiresGrad ? unbroadcast(mul(g, ta), tb.shape) : null,
    ],
    [ta, tb],
  );
}

/** Options of {@link div}: PyTorch's keyword-only `rounding_mode`. */
export interface DivOptions {
  /** `'trunc'` rounds the quotient toward zero, `'floor'` toward -∞; null or absent: true division. */
  roundingMode?: 'trunc' | 'floor' | null;
}

/** div(input, other, *, rounding_mode=None, out=None) */
const DIV = sig('div', [
  req('input', any),
  req('other', any),
  kw('roundingMode', optional(oneOf('trunc', 'floor'))),
  unsupported('out', 'writing into an existing tensor is not implemented; use the returned tensor', true),
]);

type RoundingDiv = (a: TensorLike, b: TensorLike, mode: 'trunc' | 'floor') => Tensor;
let roundingDiv: RoundingDiv | null = null;

/** @internal ops/rounding.ts plugs in div's rounding modes (it builds on this file). */
export function setRoundingDiv(fn: RoundingDiv): void {
  roundingDiv = fn;
}

/**
 * True division `a / b` (integers are promoted to float32, as PyTorch does), or with
 * `{ roundingMode: 'trunc' | 'floor' }` the quotient rounded toward zero or -∞ (integers then
 * stay integers and the gradient is zero), as `torch.div(a, b, rounding_mode=...)`.
 *
 * ```ts
 * div(tensor([-7, 7]), 2, { roundingMode: 'floor' }); // tensor([-4,  3])
 * ```
 */
export function div(a: TensorLike, b: TensorLike, options?: DivOptions): Tensor {
  if (options !== undefined) {
    const mode = DIV.parse<DivOptions>([a, b, options]).roundingMode ?? null;
    if (mode !== null) return roundingDiv!(a, b, mode);
  }
  const [ta, tb, y] = arith('div', a, b, true);
  return record(
    'DivBackward',
    y,
    [ta, tb],
    (g) => [
      ta._requiresGrad ? unbroadcast(div(g, tb), ta.shape) : null,
      tb._requiresGrad ? unbroadcast(neg(div(mul(g, ta), mul(tb, tb))), tb.shape) : null,
    ],
    [ta, tb],
  );
}

/** Integer division rounding toward zero (torch.div(..., rounding_mode='trunc')) for int tensors. */
export function truncDiv(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('truncDiv', a, b, false);
  if (isFloat(ta.dtype))
    return unaryRaw('sign', ta).mul(unaryRaw('floor', unaryRaw('abs', binaryRaw('div', ta, tb))));
  return binaryRaw('div', ta, tb);
}

/** `a ** b` elementwise. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === 'number' && b < 0 && Number.isInteger(b) && a instanceof Tensor && !isFloat(a.dtype)) {
    // PyTorch: a negative Python int exponent of an integer tensor is an error (a tensor of
    // negative exponents follows C's integer pow instead: 1, ±1 for -1, else 0).
    throw new Error(
      `pow: integers to negative integer powers are not allowed (${a.dtype} ** ${b}); use .float()`,
    );
  }
  const [ta, tb, y] = arith('pow', a, b);
  if (!isFloat(y.dtype)) return y;
  return record(
    'PowBackward',
    y,
    [ta, tb],
    (g) => {
      let ga: Tensor | null = null;
      let gb: Tensor | null = null;
      if (ta._requiresGrad) ga = unbroadcast(mul(g, mul(tb, pow(ta, sub(tb, 1)))), ta.shape);
      if (tb._requiresGrad) {
        const raw = mul(g, mul(y, unary('log', ta)));
        // PyTorch: d/db a^b is 0 where a == 0 and b >= 0 (instead of 0 * -inf).
        const zero = binaryRaw(
          'logicalAnd',
          binaryRaw('eq', ta, scalarLike(ta, 0, ta.dtype)),
          binaryRaw('ge', tb, scalarLike(tb, 0, tb.dtype)),
        );
        gb = unbroadcast(where(zero, scalarLike(raw, 0, raw.dtype), raw), tb.shape);
      }
      return [ga, gb];
    },
    [ta, tb, y],
  );
}

function extremum(op: 'maximum' | 'minimum', a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb, y] = arith(op, a, b);
  if (!isFloat(y.dtype)) return y;
  return record(
    op === 'maximum' ? 'MaximumBackward' : 'MinimumBackward',
    y,
    [ta, tb],
    (g) => {
      // Ties split the gradient evenly, as PyTorch does.
      const win = binaryRaw(op === 'maximum' ? 'gt' : 'lt', ta, tb);
      const tie = binaryRaw('eq', ta, tb);
      const half = mul(g, 0.5);
      const zero = scalarLike(g, 0, g.dtype);
      const ga = where(win, g, where(tie, half, zero));
      const gb = where(win, zero, where(tie, half, g));
      return [
        ta._requiresGrad ? unbroadcast(ga, ta.shape) : null,
        tb._requiresGrad ? unbroadcast(gb, tb.shape) : null,
      ];
    },
    [ta, tb],
  );
}

/** Elementwise maximum (gradient split evenly at ties). */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => extremum('maximum', a, b);
/** Elementwise minimum (gradient split evenly at ties). */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => extremum('minimum', a, b);

/** `-x`. */
export function neg(x: Tensor): Tensor {
  checkTensor('neg', x);
  if (x.dtype === 'bool') throw new Error('neg: not supported for bool tensors (use logicalNot)');
  const y = unaryRaw('neg', x);
  return record('NegBackward', y, [x], (g) => [neg(g)]);
}

function compare(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(op, a, b, false);
  return binaryRaw(op, ta, tb);
}

/** `a == b` elementwise with broadcasting, as a bool tensor (PyTorch's `eq`). */
export const eq = (a: TensorLike, b: TensorLike): Tensor => compare('eq', a, b);
/** `a != b` elementwise with broadcasting, as a bool tensor (PyTorch's `ne`). */
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare('ne', a, b);
/** `a < b` elementwise with broadcasting, as a bool tensor (PyTorch's `lt`). */
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare('lt', a, b);
/** `a <= b` elementwise with broadcasting, as a bool tensor (PyTorch's `le`). */
export const le = (a: TensorLike, b: TensorLike): Tensor => compare('le', a, b);
/** `a > b` elementwise with broadcasting, as a bool tensor (PyTorch's `gt`). */
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare('gt', a, b);
/** `a >= b` elementwise with broadcasting, as a bool tensor (PyTorch's `ge`). */
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare('ge', a, b);

function logical(op: 'logicalAnd' | 'logicalOr', a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(op, a, b, false);
  return binaryRaw(
    op,
    ta.dtype === 'bool' ? ta : cast(ta, 'bool'),
    tb.dtype === 'bool' ? tb : cast(tb, 'bool'),
  );
}

/** Elementwise logical AND with broadcasting (non-zero is true), as a bool tensor (PyTorch's `logical_and`). */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => logical('logicalAnd', a, b);
/** Elementwise logical OR with broadcasting (non-zero is true), as a bool tensor (PyTorch's `logical_or`). */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => logical('logicalOr', a, b);

/**
 * `cond ? a : b` elementwise with broadcasting; `cond` is a bool tensor (others are
 * compared with 0). Differentiable in `a` and `b`. With `cond` alone, PyTorch's
 * `where(condition)`: the indices of its non-zero elements, one 1-D tensor per dim
 * (`nonzero(cond, { asTuple: true })`). PyTorch's `where(condition, input, other, *, out=None)`:
 * `input` and `other` may also be given by name (`where(c, { input: a, other: b })`); `out` is refused.
 */
export function where(cond: Tensor): Tensor[];
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor;
export function where(cond: Tensor, options: { input: TensorLike; other: TensorLike }): Tensor;
export function where(cond: Tensor, ...rest: unknown[]): Tensor | Tensor[] {
  if (rest.every((r) => r === undefined) && !isOptionsObject(cond)) return whereIndices(cond);
  if (rest.length < 2 && !isOptionsObject(rest[rest.length - 1]) && !isOptionsObject(cond))
    throw new Error('where: expected where(condition) or where(condition, input, other)');
  const p = WHERE.parse<{ condition: Tensor; input: TensorLike; other: TensorLike }>([cond, ...rest]);
  return whereImpl(p.condition, p.input, p.other);
}

function whereImpl(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkTensor('where', cond, 'condition');
  const c = cond.dtype === 'bool' ? cond : cast(cond, 'bool');
  let ta: Tensor;
  let tb: Tensor;
  if (a instanceof Tensor || b instanceof Tensor) [ta, tb] = operands('where', a, b, false);
  else {
    checkScalar('where', a);
    checkScalar('where', b);
    // Python ints are int64 in PyTorch; a float or bool-and-number pair is float32 here
    const dtype = Number.isInteger(a) && Number.isInteger(b) ? 'int64' : 'float32';
    ta = scalarLike(c, Number(a), dtype);
    tb = scalarLike(c, Number(b), dtype);
  }
  checkSameDevice('where', c, ta);
  const shape = broadcastShapes('where', broadcastShapes('where', c.shape, ta.shape), tb.shape);
  const y = wrap(ta, ta._backend.where(c, ta, tb, shape), shape, ta.dtype);
  if (!isFloat(y.dtype)) return y;
  return record(
    'WhereBackward',
    y,
    [ta, tb],
    (g) => {
      const zero = scalarLike(g, 0, g.dtype);
      return [
        ta._requiresGrad ? unbroadcast(whereImpl(c, g, zero), ta.shape) : null,
        tb._requiresGrad ? unbroadcast(whereImpl(c, zero, g), tb.shape) : null,
      ];
    },
    [c],
  );
}

/** Clamps into [min, max] (either bound optional). Gradient flows where min <= x <= max, as PyTorch. */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  checkTensor('clamp', x);
  const hasMin = min !== undefined && min !== null;
  const hasMax = max !== undefined && max !== null;
  if (!hasMin && !hasMax) throw new Error('clamp: at least one of min and max must be given');
  let y = x;
  let inside: Tensor | null = null;
  if (hasMin) {
    const [tx, tm] = operands('clamp', y, min, false);
    y = binaryRaw('maximum', tx, tm);
    inside = binaryRaw('ge', tx, tm);
  }
  if (hasMax) {
    const [tx, tm] = operands('clamp', y, max, false);
    y = binaryRaw('minimum', tx, tm);
    // tx is x clamped below: where x >= min it equals x, elsewhere `inside` is already false.
    const le = binaryRaw('le', tx, tm);
    inside = inside ? binaryRaw('logicalAnd', inside, le) : le;
  }
  if (!isFloat(y.dtype)) return y;
  const mask = inside!;
  const minT = hasMin && min instanceof Tensor ? min : null;
  const maxT = hasMax && max instanceof Tensor ? max : null;
  if (minT === null && maxT === null) {
    return record('ClampBackward', y, [x], (g) => [where(mask, g, scalarLike(g, 0, g.dtype))], [mask]);
  }
  // Tensor bounds get gradients too (PyTorch's clamp_backward_min_max): min where x < min
  // (and min < max), max where x > max (or max < min); x where min <= x <= max.
  const lo = hasMin ? (min as TensorLike) : null;
  const hi = hasMax ? (max as TensorLike) : null;
  return record(
    'ClampBackward',
    y,
    [x, ...(minT ? [minT] : []), ...(maxT ? [maxT] : [])],
    (g) => {
      const zero = scalarLike(g, 0, g.dtype);
      const grads: (Tensor | null)[] = [x._requiresGrad ? unbroadcast(where(mask, g, zero), x.shape) : null];
      if (minT) {
        let pred = lt(x, minT);
        if (hi !== null) pred = logicalAnd(pred, lt(minT, hi));
        grads.push(minT._requiresGrad ? unbroadcast(where(pred, g, zero), minT.shape) : null);
      }
      if (maxT) {
        let pred = gt(x, maxT);
        if (lo !== null) pred = logicalOr(pred, lt(maxT, lo));
        grads.push(maxT._requiresGrad ? unbroadcast(where(pred, g, zero), maxT.shape) : null);
      }
      return grads;
    },
    [mask, ...(minT ? [minT] : []), ...(maxT ? [maxT] : []), x],
  );
}
