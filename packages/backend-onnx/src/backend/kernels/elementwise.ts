// Graphs of the elementwise primitives: unary, binary (NumPy broadcasting), where, cast.
import {
  type BinaryOp,
  broadcastShapes,
  COMPARISON_OPS,
  type DType,
  type Shape,
  type UnaryOp,
} from '@proj/core';
import { GraphBuilder, ONNX_DATA_TYPE, type OnnxDType } from '../../proto/index.js';

/** Unary ops that map to one ONNX operator of the same name. */
const SIMPLE_UNARY: Partial<Record<UnaryOp, string>> = {
  neg: 'Neg',
  abs: 'Abs',
  sign: 'Sign',
  exp: 'Exp',
  log: 'Log',
  sqrt: 'Sqrt',
  reciprocal: 'Reciprocal',
  sin: 'Sin',
  cos: 'Cos',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  relu: 'Relu',
  floor: 'Floor',
  ceil: 'Ceil',
  round: 'Round',
  isnan: 'IsNaN',
  logicalNot: 'Not',
};

/** Whether `op` yields bool whatever its input dtype. */
export function unaryYieldsBool(op: UnaryOp): boolean {
  return op === 'isnan' || op === 'logicalNot';
}

/**
 * expm1 and log1p as Kahan's accurate formulas (ONNX has neither): for |x| <= 0.5,
 * expm1(x) = (u - 1) * x / log(u) with u = exp(x), and log1p(x) = log(u) * x / (u - 1) with
 * u = 1 + x; both return x itself where u rounds to 1. Larger |x| need no correction.
 */
function accurateNearZero(g: GraphBuilder, x: string, t: OnnxDType, op: 'expm1' | 'log1p'): string {
  const one = g.scalar(1, 'c', t);
  const half = g.scalar(0.5, 'c', t);
  const u = op === 'expm1' ? g.op('Exp', [x]) : g.op('Add', [x, one]);
  const um1 = g.op('Sub', [u, one]);
  const logu = g.op('Log', [u]);
  const ratio =
    op === 'expm1' ? g.op('Div', [g.op('Mul', [um1, x]), logu]) : g.op('Div', [g.op('Mul', [logu, x]), um1]);
  const small = g.op('Where', [g.op('Equal', [u, one]), x, ratio]);
  const plain = op === 'expm1' ? um1 : logu;
  return g.op('Where', [g.op('Greater', [g.op('Abs', [x]), half]), plain, small]);
}

// erf in float64: ORT's CPU Erf is float32-only, and gradcheck needs double accuracy, so
// this evaluates the same formulas as the CPU backend's erf: for |x| < 3 the all-positive
// series erf(x) = 2/√π e^(−x²) Σ 2ⁿ x^(2n+1) / (2n+1)!! (Horner in x²), above it erfc by its
// continued fraction, and ±1 beyond 6.
const SERIES_TERMS = 90;
const CF_TERMS = 60;

function erfFloat64(g: GraphBuilder, x: string): string {
  const c = (v: number) => g.scalar(v, 'c', 'float64');
  const ax = g.op('Abs', [x]);
  const x2 = g.op('Mul', [x, x]);
  // coefficients 2ⁿ / (2n+1)!!
  const coef: number[] = [1];
  for (let n = 1; n < SERIES_TERMS; n++) coef.push((coef[n - 1] * 2) / (2 * n + 1));
  const xs = g.op('Min', [x2, c(9)]); // the series branch is only used below |x| = 3
  let acc = c(coef[SERIES_TERMS - 1]);
  for (let n = SERIES_TERMS - 2; n >= 0; n--) acc = g.op('Add', [g.op('Mul', [acc, xs]), c(coef[n])]);
  const series = g.op('Mul', [
    g.op('Mul', [c(1.1283791670955126), g.op('Exp', [g.op('Neg', [x2])])]),
    g.op('Mul', [x, acc]),
  ]);
  // continued fraction, on |x| clamped to [3, 6] so the unused lanes stay finite
  const axc = g.op('Max', [g.op('Min', [ax, c(6)]), c(3)]);
  let f = axc;
  for (let k = CF_TERMS; k >= 1; k--) f = g.op('Add', [axc, g.op('Div', [c(k / 2), f])]);
  const erfc = g.op('Div', [
    g.op('Mul', [c(0.5641895835477563), g.op('Exp', [g.op('Neg', [g.op('Mul', [axc, axc])])])]),
    f,
  ]);
  const tail = g.op('Mul', [g.op('Sign', [x]), g.op('Sub', [c(1), erfc])]);
  const big = g.op('Where', [g.op('GreaterOrEqual', [ax, c(6)]), g.op('Sign', [x]), tail]);
  return g.op('Where', [g.op('Less', [ax, c(3)]), series, big]);
}

/** A model of one unary op over a flat tensor of any length. */
export function unaryGraph(op: UnaryOp, dtype: DType): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  const x = g.input('x', t, ['n']);
  let y: string;
  const simple = SIMPLE_UNARY[op];
  if (simple) y = g.op(simple, [x]);
  else if (op === 'rsqrt') y = g.op('Reciprocal', [g.op('Sqrt', [x])]);
  else if (op === 'expm1' || op === 'log1p') y = accurateNearZero(g, x, t, op);
  else if (op === 'erf') y = dtype === 'float64' ? erfFloat64(g, x) : g.op('Erf', [x]);
  else throw new Error(`onnx unary: unsupported op '${op}'`);
  g.output(y, unaryYieldsBool(op) ? 'bool' : t);
  return g;
}

const SIMPLE_BINARY: Record<BinaryOp, string> = {
  add: 'Add',
  sub: 'Sub',
  mul: 'Mul',
  div: 'Div',
  pow: 'Pow',
  maximum: 'Max',
  minimum: 'Min',
  eq: 'Equal',
  ne: 'Equal',
  lt: 'Less',
  le: 'LessOrEqual',
  gt: 'Greater',
  ge: 'GreaterOrEqual',
  logicalAnd: 'And',
  logicalOr: 'Or',
};

const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Expands `y` (of `shape`) to `outShape` when broadcasting alone did not reach it. */
function expandTo(g: GraphBuilder, y: string, shape: Shape, outShape: Shape): string {
  return sameShape(shape, outShape) ? y : g.op('Expand', [y, g.int64s(outShape)]);
}

/** Integer division truncating toward zero, with x/0 = 0 and x/-1 = -x (no hardware trap). */
function intDiv(g: GraphBuilder, a: string, b: string): string {
  const zero = g.scalar(0, 'c', 'int32');
  const one = g.scalar(1, 'c', 'int32');
  const minusOne = g.scalar(-1, 'c', 'int32');
  const isZero = g.op('Equal', [b, zero]);
  const isMinusOne = g.op('Equal', [b, minusOne]);
  const safe = g.op('Where', [g.op('Or', [isZero, isMinusOne]), one, b]);
  const q = g.op('Div', [a, safe]);
  const qq = g.op('Where', [isMinusOne, g.op('Neg', [a]), q]);
  return g.op('Where', [isZero, zero, qq]);
}

/**
 * A model of `op` on inputs of the given shapes. `flat` models take both inputs flattened to
 * one symbolic length (same-shape operands), so one session serves every size.
 */
export function binaryGraph(
  op: BinaryOp,
  dtype: DType,
  aShape: Shape,
  bShape: Shape,
  outShape: Shape,
  flat: boolean,
): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  let a = g.input('a', t, flat ? ['n'] : aShape);
  let b = g.input('b', t, flat ? ['n'] : bShape);
  // ONNX's ordering comparisons and arithmetic have no bool kernels: compute on int32
  let ct = t;
  if (t === 'bool' && !['eq', 'ne', 'logicalAnd', 'logicalOr'].includes(op)) {
    a = g.op('Cast', [a], { to: 6 });
    b = g.op('Cast', [b], { to: 6 });
    ct = 'int32';
  }
  let y: string;
  if (op === 'div' && ct === 'int32') y = intDiv(g, a, b);
  else y = g.op(SIMPLE_BINARY[op], [a, b]);
  if (op === 'ne') y = g.op('Not', [y]);
  const outType: OnnxDType = COMPARISON_OPS.has(op) ? 'bool' : t;
  if (ct !== t && !COMPARISON_OPS.has(op)) y = g.op('Cast', [y], { to: 9 });
  if (!flat) y = expandTo(g, y, broadcastShapes('binary', aShape, bShape), outShape);
  g.output(y, outType);
  return g;
}

/** `cond ? a : b` broadcast to `outShape` (bool operands go through uint8). */
export function whereGraph(
  dtype: DType,
  cShape: Shape,
  aShape: Shape,
  bShape: Shape,
  outShape: Shape,
): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  const c = g.input('c', 'bool', cShape);
  let a = g.input('a', t, aShape);
  let b = g.input('b', t, bShape);
  if (t === 'bool') {
    a = g.op('Cast', [a], { to: 6 });
    b = g.op('Cast', [b], { to: 6 });
  }
  let y = g.op('Where', [c, a, b]);
  if (t === 'bool') y = g.op('Cast', [y], { to: 9 });
  y = expandTo(g, y, broadcastShapes('where', cShape, broadcastShapes('where', aShape, bShape)), outShape);
  g.output(y, t);
  return g;
}

/** Cast of a flat tensor of any length (float→int truncates toward zero, →bool is x != 0). */
export function castGraph(from: DType, to: DType): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const x = g.input('x', from as OnnxDType, ['n']);
  g.output(g.op('Cast', [x], { to: ONNX_DATA_TYPE[to] }), to as OnnxDType);
  return g;
}
