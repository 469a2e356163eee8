import { type BinaryOp, COMPARISON_OPS, type DType, sizeOf, type UnaryOp } from '@proj/core';
import type { KernelSpec } from '../context.js';
import { broadcastStrides, type Helper, stridedHelper } from '../lang.js';
import { erff, idivf, ipowf, isnanf, powf, roundEven, tanhf } from './math.js';

/** Unary ops as expressions of `v`, with the helpers they call. */
const UNARY: Record<UnaryOp, [string, Helper[]]> = {
  neg: ['-v', []],
  abs: ['Math.abs(v)', []],
  sign: ['(v > 0.0 ? 1.0 : (v < 0.0 ? -1.0 : v))', []],
  exp: ['Math.exp(v)', []],
  expm1: ['(Math.abs(v) < 0.01 ? v + v * v / 2.0 + v * v * v / 6.0 : Math.exp(v) - 1.0)', []],
  log: ['Math.log(v)', []],
  log1p: [
    '(Math.abs(v) < 0.01 ? v - v * v / 2.0 + v * v * v / 3.0 - v * v * v * v / 4.0 : Math.log(1.0 + v))',
    [],
  ],
  sqrt: ['Math.sqrt(v)', []],
  rsqrt: ['1.0 / Math.sqrt(v)', []],
  reciprocal: ['1.0 / v', []],
  sin: ['Math.sin(v)', []],
  cos: ['Math.cos(v)', []],
  tanh: ['tanhf(v)', [tanhf]],
  sigmoid: ['1.0 / (1.0 + Math.exp(-v))', []],
  // the NaN guard stops the compiler turning this into max(v, 0), which drops NaN
  relu: ['(isnanf(v) > 0.0 ? v : (v < 0.0 ? 0.0 : v))', [isnanf]],
  erf: ['erff(v)', [erff]],
  floor: ['Math.floor(v)', []],
  ceil: ['Math.ceil(v)', []],
  round: ['roundEven(v)', [roundEven]],
  isnan: ['isnanf(v)', [isnanf]],
  logicalNot: ['(v === 0.0 ? 1.0 : 0.0)', []],
};

/** Elementwise unary op; its source does not depend on the size. */
export function unarySpec(op: UnaryOp): KernelSpec {
  const [expr, helpers] = UNARY[op];
  return {
    key: `unary:${op}`,
    source: `function (a) { var v = a[this.thread.x]; return ${expr}; }`,
    helpers,
  };
}

/** Binary ops on `x`, `y`, per dtype class. */
function binaryExpr(op: BinaryOp, dtype: DType): [string, Helper[]] {
  const int = dtype === 'int32' || dtype === 'int64' || dtype === 'uint8';
  switch (op) {
    case 'add':
      return ['x + y', []];
    case 'sub':
      return ['x - y', []];
    case 'mul':
      return ['x * y', []];
    case 'div':
      return int ? ['idivf(x, y)', [idivf]] : ['x / y', []];
    case 'pow':
      return int ? ['ipowf(x, y)', [ipowf]] : ['powf(x, y)', [powf]];
    case 'maximum':
      return ['(isnanf(x) + isnanf(y) > 0.0 ? x + y : Math.max(x, y))', [isnanf]];
    case 'minimum':
      return ['(isnanf(x) + isnanf(y) > 0.0 ? x + y : Math.min(x, y))', [isnanf]];
    case 'eq':
      return ['(x === y ? 1.0 : 0.0)', []];
    case 'ne':
      return ['(x !== y ? 1.0 : 0.0)', []];
    case 'lt':
      return ['(x < y ? 1.0 : 0.0)', []];
    case 'le':
      return ['(x <= y ? 1.0 : 0.0)', []];
    case 'gt':
      return ['(x > y ? 1.0 : 0.0)', []];
    case 'ge':
      return ['(x >= y ? 1.0 : 0.0)', []];
    case 'logicalAnd':
      return ['(x !== 0.0 && y !== 0.0 ? 1.0 : 0.0)', []];
    case 'logicalOr':
      return ['(x !== 0.0 || y !== 0.0 ? 1.0 : 0.0)', []];
    default:
      throw new Error(`gpujs binary: unknown op '${op as string}'`);
  }
}

/**
 * How a kernel reads operand `name` of `shape` at output `outShape`: directly by the flat
 * index (same size), at 0 (one element), or through a generated broadcast helper.
 */
export function operandRead(
  name: string,
  shape: readonly number[],
  outShape: readonly number[],
  helpers: Helper[],
): { expr: string; key: string } {
  const n = sizeOf(shape);
  if (n === sizeOf(outShape)) return { expr: `${name}[this.thread.x]`, key: 'same' };
  if (n === 1) return { expr: `${name}[0]`, key: 'scalar' };
  const fn = `idx_${name}`;
  const h = stridedHelper(fn, outShape, broadcastStrides(shape, outShape));
  helpers.push(h);
  // keyed by the index code, not the shapes: a row broadcast over any number of rows is one kernel
  return { expr: `${name}[${fn}(this.thread.x)]`, key: h.glsl };
}

/** Elementwise binary op with NumPy broadcasting. */
export function binarySpec(
  op: BinaryOp,
  dtype: DType,
  aShape: readonly number[],
  bShape: readonly number[],
  outShape: readonly number[],
): KernelSpec {
  const helpers: Helper[] = [];
  const a = operandRead('a', aShape, outShape, helpers);
  const b = operandRead('b', bShape, outShape, helpers);
  const [expr, fns] = binaryExpr(op, dtype);
  // bool arithmetic stays 0/1, as PyTorch's bool tensors do
  const result = dtype === 'bool' && !COMPARISON_OPS.has(op) ? `(r !== 0.0 ? 1.0 : 0.0)` : 'r';
  return {
    key: `binary:${op}:${dtype}:${a.key}:${b.key}`,
    source: `function (a, b) { var x = ${a.expr}; var y = ${b.expr}; var r = ${expr}; return ${result}; }`,
    helpers: [...helpers, ...fns],
  };
}

/** `cond ? a : b` with broadcasting. */
export function whereSpec(
  cShape: readonly number[],
  aShape: readonly number[],
  bShape: readonly number[],
  outShape: readonly number[],
): KernelSpec {
  const helpers: Helper[] = [];
  const c = operandRead('c', cShape, outShape, helpers);
  const a = operandRead('a', aShape, outShape, helpers);
  const b = operandRead('b', bShape, outShape, helpers);
  return {
    key: `where:${c.key}:${a.key}:${b.key}`,
    source: `function (c, a, b) { return ${c.expr} !== 0.0 ? ${a.expr} : ${b.expr}; }`,
    helpers,
  };
}

/** float→int32 (truncate, NaN→0) and anything→bool (x != 0). Other casts share the texture. */
export function castSpec(to: 'int32' | 'bool'): KernelSpec {
  const expr =
    to === 'bool'
      ? '(v !== 0.0 ? 1.0 : 0.0)'
      : '(isnanf(v) > 0.0 ? 0.0 : (v < 0.0 ? Math.ceil(v) : Math.floor(v)))';
  return {
    key: `cast:${to}`,
    source: `function (a) { var v = a[this.thread.x]; return ${expr}; }`,
    helpers: to === 'bool' ? [] : [isnanf],
  };
}

/** A constant passed as a uniform: one kernel for every size and value. */
export const fillSpec: KernelSpec = { key: 'fill', source: 'function (v) { return v; }' };

/** Uploads a Float32Array. */
export const uploadSpec: KernelSpec = { key: 'upload', source: 'function (v) { return v[this.thread.x]; }' };

/** A copy (used where a fresh texture is needed rather than a shared one). */
export const copySpec: KernelSpec = { key: 'copy', source: 'function (a) { return a[this.thread.x]; }' };
