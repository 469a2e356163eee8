// Graphs of the elementwise primitives: unary, binary (NumPy broadcasting), where, cast.
import { type BinaryOp, COMPARISON_OPS, type DType, type UnaryOp } from '@proj/core';
import { GraphBuilder, ONNX_DATA_TYPE, type OnnxDType } from '../../proto/index.js';
import { symbolic } from './dims.js';

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
export function unaryGraph(op: UnaryOp, dtype: DType, wide = false): GraphBuilder {
  // int32 neg/abs of -2^31 wrap in ORT: the backend refuses that input on the host first, or,
  // when the input is not on the host yet (web), asks for `wide`: computed in float64, returned
  // as float64 for the range check when the result is read
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  let x = g.input('x', t, ['n']);
  if (wide) x = g.op('Cast', [x], { to: ONNX_DATA_TYPE.float64 });
  let y: string;
  const simple = SIMPLE_UNARY[op];
  if (simple) y = g.op(simple, [x]);
  else if (op === 'rsqrt') y = g.op('Reciprocal', [g.op('Sqrt', [x])]);
  else if (op === 'expm1' || op === 'log1p') y = accurateNearZero(g, x, t, op);
  else if (op === 'erf') y = dtype === 'float64' ? erfFloat64(g, x) : g.op('Erf', [x]);
  else throw new Error(`onnx unary: unsupported op '${op}'`);
  g.output(y, unaryYieldsBool(op) ? 'bool' : wide ? 'float64' : t);
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

/**
 * Expands `y` to the shape fed as the int64 input `shape` (declared when `expandRank` is not
 * null): for an output shape that broadcasting the operands alone does not reach.
 */
function expandToInput(g: GraphBuilder, y: string, expandRank: number | null): string {
  if (expandRank === null) return y;
  return g.op('Expand', [y, g.input('shape', 'int64', [expandRank])]);
}

/** How a binary model is built (see {@link binaryGraph}). */
export interface BinaryForm {
  /** Both operands flattened to one shared length (same-shape operands). */
  flat?: boolean;
  /** Expand the result to the shape fed as a third input, of this rank. */
  expandRank?: number | null;
  /**
   * int32 arithmetic computed in float64 and returned as float64, for the host to narrow
   * with a range check (exact for sums, differences and quotients of int32 values; a product
   * or power that rounds there is far out of int32 range anyway): ORT's int32 kernels wrap.
   */
  wide?: boolean;
}

/**
 * A model of `op` on operands of ranks `aRank` and `bRank` with symbolic sizes: ONNX's
 * arithmetic and comparisons broadcast at run time (NumPy rules), so one session serves every
 * size.
 */
export function binaryGraph(
  op: BinaryOp,
  dtype: DType,
  aRank: number,
  bRank: number,
  form: BinaryForm = {},
): GraphBuilder {
  const { flat = false, expandRank = null, wide = false } = form;
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  let a = g.input('a', t, flat ? ['n'] : symbolic('a', aRank));
  let b = g.input('b', t, flat ? ['n'] : symbolic('b', bRank));
  // ONNX's ordering comparisons and arithmetic have no bool kernels: compute on int32
  let ct = t;
  if (wide) {
    a = g.op('Cast', [a], { to: ONNX_DATA_TYPE.float64 });
    b = g.op('Cast', [b], { to: ONNX_DATA_TYPE.float64 });
    ct = 'float64';
  } else if (t === 'bool' && !['eq', 'ne', 'logicalAnd', 'logicalOr'].includes(op)) {
    a = g.op('Cast', [a], { to: 6 });
    b = g.op('Cast', [b], { to: 6 });
    ct = 'int32';
  }
  // (the backend asks for int32 add/sub/mul/div/pow wide: ORT's int32 kernels wrap, Div traps on x/0)
  let y = g.op(SIMPLE_BINARY[op], [a, b]);
  if (wide && op === 'pow') {
    // PyTorch's integer pow for a negative exponent: 1 ** b = 1, (-1) ** b = ±1 (float64 pow
    // gives both exactly), anything else 0 (0 ** -n included, which float64 makes Infinity)
    const neg = g.op('Less', [b, g.scalar(0, 'c', 'float64')]);
    const unit = g.op('Equal', [g.op('Abs', [a]), g.scalar(1, 'c1', 'float64')]);
    const zero = g.op('And', [neg, g.op('Not', [unit])]);
    y = g.op('Where', [zero, g.scalar(0, 'c0', 'float64'), y]);
  }
  if (op === 'ne') y = g.op('Not', [y]);
  let outType: OnnxDType = COMPARISON_OPS.has(op) ? 'bool' : t;
  if (wide && !COMPARISON_OPS.has(op)) outType = 'float64';
  else if (ct !== t && !COMPARISON_OPS.has(op)) y = g.op('Cast', [y], { to: 9 });
  g.output(expandToInput(g, y, flat ? null : expandRank), outType);
  return g;
}

/** `cond ? a : b` on operands of the given ranks (bool operands go through int32). */
export function whereGraph(
  dtype: DType,
  cRank: number,
  aRank: number,
  bRank: number,
  expandRank: number | null,
): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  const c = g.input('c', 'bool', symbolic('c', cRank));
  let a = g.input('a', t, symbolic('a', aRank));
  let b = g.input('b', t, symbolic('b', bRank));
  if (t === 'bool') {
    a = g.op('Cast', [a], { to: 6 });
    b = g.op('Cast', [b], { to: 6 });
  }
  let y = g.op('Where', [c, a, b]);
  if (t === 'bool') y = g.op('Cast', [y], { to: 9 });
  g.output(expandToInput(g, y, expandRank), t);
  return g;
}

/** Cast of a flat tensor of any length (float→int truncates toward zero, →bool is x != 0). */
export function castGraph(from: DType, to: DType): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const x = g.input('x', from as OnnxDType, ['n']);
  g.output(g.op('Cast', [x], { to: ONNX_DATA_TYPE[to as OnnxDType] }), to as OnnxDType);
  return g;
}
