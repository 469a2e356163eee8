import { type BinaryOp, type DType, type Shape, sizeOf, type TypedArray } from '@proj/core';
import { alloc } from '../storage.js';
import { broadcastStrides, collapseDims } from './broadcast.js';
import { type BinaryLoops, broadcastRows } from './broadcast-rows.js';
import { binaryWasm, wasmBinaryApplies } from './elementwise-wasm.js';

/**
 * C's pow, which PyTorch computes: pow(1, y) and pow(-1, ±inf) are 1, where JS's `**` gives NaN
 * (pow(x, 0) = 1 for every x in both).
 */
function powC(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Number.POSITIVE_INFINITY || y === Number.NEGATIVE_INFINITY))) return 1;
  return x ** y;
}

// biome-ignore format: one row-loop triple per op reads best as a table
const FLOAT: Record<BinaryOp, BinaryLoops> = {
  add: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i]; },
    vs: (a, ao, s, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] + s; },
    sv: (s, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = s + b[bo + i]; },
  },
  sub: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i]; },
    vs: (a, ao, s, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] - s; },
    sv: (s, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = s - b[bo + i]; },
  },
  mul: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i]; },
    vs: (a, ao, s, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] * s; },
    sv: (s, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = s * b[bo + i]; },
  },
  div: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i]; },
    vs: (a, ao, s, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] / s; },
    sv: (s, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = s / b[bo + i]; },
  },
  pow: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = powC(a[ao + i], b[bo + i]); },
    vs: (a, ao, s, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = powC(a[ao + i], s); },
    sv: (s, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = powC(s, b[bo + i]); },
  },
  // Math.max/min propagate NaN like torch.maximum/minimum.
  maximum: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]); },
    vs: (a, ao, s, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], s); },
    sv: (s, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = Math.max(s, b[bo + i]); },
  },
  minimum: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]); },
    vs: (a, ao, s, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], s); },
    sv: (s, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = Math.min(s, b[bo + i]); },
  },
  eq: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] === b[bo + i] ? 1 : 0; },
    vs: (a, ao, s, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] === s ? 1 : 0; },
    sv: (s, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = s === b[bo + i] ? 1 : 0; },
  },
  ne: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] !== b[bo + i] ? 1 : 0; },
    vs: (a, ao, s, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] !== s ? 1 : 0; },
    sv: (s, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = s !== b[bo + i] ? 1 : 0; },
  },
  lt: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] < b[bo + i] ? 1 : 0; },
    vs: (a, ao, s, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] < s ? 1 : 0; },
    sv: (s, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = s < b[bo + i] ? 1 : 0; },
  },
  le: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] <= b[bo + i] ? 1 : 0; },
    vs: (a, ao, s, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] <= s ? 1 : 0; },
    sv: (s, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = s <= b[bo + i] ? 1 : 0; },
  },
  gt: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] > b[bo + i] ? 1 : 0; },
    vs: (a, ao, s, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] > s ? 1 : 0; },
    sv: (s, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = s > b[bo + i] ? 1 : 0; },
  },
  ge: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] >= b[bo + i] ? 1 : 0; },
    vs: (a, ao, s, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] >= s ? 1 : 0; },
    sv: (s, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = s >= b[bo + i] ? 1 : 0; },
  },
  logicalAnd: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] !== 0 && b[bo + i] !== 0 ? 1 : 0; },
    vs: (a, ao, s, o, oo, n) => { const t = s !== 0; for (let i = 0; i < n; i++) o[oo + i] = t && a[ao + i] !== 0 ? 1 : 0; },
    sv: (s, b, bo, o, oo, n) => { const t = s !== 0; for (let i = 0; i < n; i++) o[oo + i] = t && b[bo + i] !== 0 ? 1 : 0; },
  },
  logicalOr: {
    vv: (a, ao, b, bo, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] !== 0 || b[bo + i] !== 0 ? 1 : 0; },
    vs: (a, ao, s, o, oo, n) => { const t = s !== 0; for (let i = 0; i < n; i++) o[oo + i] = t || a[ao + i] !== 0 ? 1 : 0; },
    sv: (s, b, bo, o, oo, n) => { const t = s !== 0; for (let i = 0; i < n; i++) o[oo + i] = t || b[bo + i] !== 0 ? 1 : 0; },
  },
};

const BOOL_RESULT: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'logicalAnd',
  'logicalOr',
]);

/** Output dtype of binary `op` on inputs of `dtype`. */
export function binaryDtype(op: BinaryOp, dtype: DType): DType {
  return BOOL_RESULT.has(op) ? 'bool' : dtype;
}

/**
 * `op(a, b)` broadcast to `outShape`. Same-size operands and a size-1 operand on either side
 * run one flat loop; every other pattern (row broadcasts like [N,C]+[C] included) walks the
 * collapsed loop nest row by row with the row loop picked once per call.
 */
export function binaryOp(
  op: BinaryOp,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  outShape: Shape,
  dtype: DType,
): TypedArray {
  const outDtype = binaryDtype(op, dtype);
  // int32 arithmetic that can overflow or divide by zero goes through int-checked.ts; what
  // reaches here with int32 (comparisons, maximum/minimum) is exact on JS numbers.
  const loops = FLOAT[op];
  if (loops === undefined) throw new Error(`cpu binary: unknown op '${op as string}'`);
  const size = sizeOf(outShape);
  // never int64 here: int64 operands arrive as doubles with dtype float64 (int-checked.ts)
  // every element is written below
  const out = alloc(outDtype, size);
  if (size === 0) return out;
  if (
    outDtype === 'float32' &&
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    wasmBinaryApplies(op, size) &&
    binaryWasm(op, a, aShape, b, bShape, outShape, out as Float32Array)
  ) {
    return out;
  }
  if (a.length === size && b.length === size) loops.vv(a, 0, b, 0, out, 0, size);
  else if (b.length === 1 && a.length === size) loops.vs(a, 0, b[0], out, 0, size);
  else if (a.length === 1 && b.length === size) loops.sv(a[0], b, 0, out, 0, size);
  else broadcastRows(loops, a, aShape, b, bShape, outShape, out);
  // bool arithmetic (add, mul, ...) must stay 0/1, as PyTorch's bool tensors do.
  if (outDtype === 'bool' && !BOOL_RESULT.has(op)) {
    for (let i = 0; i < size; i++) out[i] = out[i] !== 0 ? 1 : 0;
  }
  return out;
}

/** `cond ? a : b` broadcast to `outShape` (cond is 0/1 bytes). */
export function whereOp(
  cond: TypedArray,
  cShape: Shape,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  outShape: Shape,
  dtype: DType,
): TypedArray {
  const size = sizeOf(outShape);
  // int64: a, b and out are BigInt64Arrays, whose elements this loop copies as they are
  // every element is written below
  const out = alloc(dtype, size);
  if (size === 0) return out;
  if (cond.length === size && a.length === size && b.length === size) {
    for (let i = 0; i < size; i++) out[i] = cond[i] !== 0 ? a[i] : b[i];
    return out;
  }
  const c = collapseDims(outShape, [
    broadcastStrides(cShape, outShape),
    broadcastStrides(aShape, outShape),
    broadcastStrides(bShape, outShape),
  ]);
  const shape = c.shape;
  const [sc, sa, sb] = c.strides;
  const r = shape.length;
  const n = shape[r - 1];
  const ic = sc[r - 1];
  const ia = sa[r - 1];
  const ib = sb[r - 1];
  const idx = new Array<number>(r).fill(0);
  let co = 0;
  let ao = 0;
  let bo = 0;
  for (let oo = 0; oo < size; oo += n) {
    for (let i = 0; i < n; i++) out[oo + i] = cond[co + i * ic] !== 0 ? a[ao + i * ia] : b[bo + i * ib];
    for (let d = r - 2; d >= 0; d--) {
      co += sc[d];
      ao += sa[d];
      bo += sb[d];
      if (++idx[d] < shape[d]) break;
      co -= sc[d] * shape[d];
      ao -= sa[d] * shape[d];
      bo -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}
