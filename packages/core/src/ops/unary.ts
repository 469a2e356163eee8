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
  sin: (g, x) => mul(g, unaryRaw('cos', x)),
  cos: (g, x) => negT(mul(g, unaryRaw('sin', x))),
  // 1 - v in one pass (sub with a scalar left operand); equal to -v + 1 bit for bit.
  tanh: (g, _x, y) => mul(g, sub(1, mul(y, y))),
  sigmoid: (g, _x, y) => mul(g, mul(y, sub(1, y))),
  relu: (g, _x, y) => reluBackward(g, y),
  erf: (g, x) => mul(g, mul(unaryRaw('exp', negT(mul(x, x))), 2 / Math.sqrt(Math.PI))),
  floor: zeroGrad,
  ceil: zeroGrad,
  round: zeroGrad,
};

/** `y > 0 ? g : 0`: the backend's one-pass kernel when it has one, else a mask and a where. */
function reluBackward(g: Tensor, y: Tensor): Tensor {
  const b = g._backend;
  if (b.reluBackward && g.dtype === y.dtype && shapesEqual(g.shape, y.shape))
    return wrap(g, b.reluBackward(g, y), g.shape, g.dtype);
  return where(gtZero(y), g, scalarLike(g, 0, g.dtype));
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

export const abs = (x: Tensor): Tensor => unary('abs', x);
export const sign = (x: Tensor): Tensor => unary('sign', x);
export const exp = (x: Tensor): Tensor => unary('exp', x);
export const expm1 = (x: Tensor): Tensor => unary('expm1', x);
export const log = (x: Tensor): Tensor => unary('log', x);
export const log1p = (x: Tensor): Tensor => unary('log1p', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x);
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);
export const sin = (x: Tensor): Tensor => unary('sin', x);
export const cos = (x: Tensor): Tensor => unary('cos', x);
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
export const relu = (x: Tensor): Tensor => unary('relu', x);
export const erf = (x: Tensor): Tensor => unary('erf', x);
export const floor = (x: Tensor): Tensor => unary('floor', x);
export const ceil = (x: Tensor): Tensor => unary('ceil', x);
export const round = (x: Tensor): Tensor => unary('round', x);
export const isnan = (x: Tensor): Tensor => unaryRaw('isnan', x);
export const logicalNot = (x: Tensor): Tensor => unaryRaw('logicalNot', x);
