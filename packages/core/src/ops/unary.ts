import { noGrad } from '../autograd/grad-mode.js';
import { record } from '../autograd/node.js';
import type { UnaryOp } from '../backend/types.js';
import { isFloat } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, neg as negT, sub, where } from './binary.js';
import { cast } from './convert.js';
import { checkTensor, scalarLike, wrap } from './util.js';

/**
 * Ops exact on integers, which keep the input dtype; the other ops compute in floating point and
 * promote integer inputs to float32 (as PyTorch does). isnan and logicalNot are handled first.
 */
const INTEGER_OPS = new Set<UnaryOp>(['neg', 'abs', 'sign', 'relu', 'floor', 'ceil', 'round']);

/** Runs a unary primitive without recording. */
export function unaryRaw(op: UnaryOp, x: Tensor): Tensor {
  checkTensor(op, x);
  if (op === 'logicalNot') {
    const b = x.dtype === 'bool' ? x : cast(x, 'bool');
    return wrap(x, x._backend.unary(op, b), x.shape, 'bool');
  }
  if (op === 'isnan') return wrap(x, x._backend.unary(op, x), x.shape, 'bool');
  if (x.dtype === 'bool' && op !== 'abs') {
    throw new Error(`${op}: not supported for bool tensors (convert with .int() or .float())`);
  }
  const src = !INTEGER_OPS.has(op) && !isFloat(x.dtype) ? cast(x, 'float32') : x;
  return wrap(src, src._backend.unary(op, src), src.shape, src.dtype);
}

type Grad = (g: Tensor, x: Tensor, y: Tensor) => Tensor;

const zeroGrad: Grad = (g) => mul(g, 0);

/** Gradient of each differentiable unary op given upstream g, input x and output y. */
const GRADS: Partial<Record<UnaryOp, Grad>> = {
  neg: (g) => negT(g),
  abs: (g, x) => mul(g, unaryRaw('sign', x)),
  sign: zeroGrad,
  exp: (g, _x, y) => mul(g, y),
  expm1: (g, _x, y) => mul(g, add(y, 1)),
  log: (g, x) => div(g, x),
  log1p: (g, x) => div(g, add(x, 1)),
  sqrt: (g, _x, y) => div(g, mul(y, 2)),
  rsqrt: (g, _x, y) => mul(g, mul(mul(y, mul(y, y)), -0.5)),
  reciprocal: (g, _x, y) => negT(mul(g, mul(y, y))),
  sin: (g, x) => mul(g, unary('cos', x)),
  cos: (g, x) => negT(mul(g, unary('sin', x))),
  // 1 - v in one pass (sub with a scalar left operand); equal to -v + 1 bit for bit.
  tanh: (g, _x, y) => mul(g, sub(1, mul(y, y))),
  sigmoid: (g, _x, y) => mul(g, mul(y, sub(1, y))),
  relu: (g, _x, y) => reluBackward(g, y),
  erf: (g, x) => mul(g, mul(unary('exp', negT(mul(x, x))), 2 / Math.sqrt(Math.PI))),
  floor: zeroGrad,
  ceil: zeroGrad,
  round: zeroGrad,
};

/**
 * `y > 0 ? g : 0`: the backend's one-pass kernel when it has one, else a mask and a where.
 * Recorded as PyTorch's ThresholdBackward: linear in `g` with the same mask, and a zero
 * gradient for `y` (so under createGraph the inputs get zeros where PyTorch gives zeros, not
 * no gradient: an optimizer steps on zeros but skips a missing gradient).
 */
export function reluBackward(g: Tensor, y: Tensor): Tensor {
  const b = g._backend;
  const out =
    b.reluBackward && g.dtype === y.dtype && shapesEqual(g.shape, y.shape)
      ? wrap(g, b.reluBackward(g, y), g.shape, g.dtype)
      : noGrad(() => where(gtZero(y), g, scalarLike(g, 0, g.dtype)));
  return record('ThresholdBackwardBackward', out, [g, y], (gg) => [reluBackward(gg, y), zerosOf(y)], [y]);
}

function zerosOf(t: Tensor): Tensor {
  return wrap(t, t._backend.fill(t.shape, t.dtype, 0), t.shape, t.dtype);
}

function gtZero(y: Tensor): Tensor {
  return wrap(y, y._backend.binary('gt', y, scalarLike(y, 0, y.dtype), y.shape), y.shape, 'bool');
}

/** Names used in grad_fn reprs, PyTorch style. */
function nodeName(op: UnaryOp): string {
  return `${op[0].toUpperCase()}${op.slice(1)}Backward`;
}

/** A differentiable unary op. */
export function unary(op: UnaryOp, x: Tensor): Tensor {
  const y = unaryRaw(op, x);
  const grad = GRADS[op];
  if (!grad || !isFloat(y.dtype)) return y;
  const src = x.dtype === y.dtype ? x : y; // int input promoted: no grad can flow anyway
  return record(nodeName(op), y, [x], (g) => [grad(g, src, y)], [x, y]);
}

// The public unary functions live in ops/pointwise.ts (entries of the op table, ops/table.ts);
// re-exported here for modules that import them from this file.
export {
  abs,
  ceil,
  cos,
  erf,
  exp,
  expm1,
  floor,
  isnan,
  log,
  log1p,
  logicalNot,
  reciprocal,
  relu,
  round,
  rsqrt,
  sigmoid,
  sign,
  sin,
  sqrt,
  tanh,
} from './pointwise.js';
