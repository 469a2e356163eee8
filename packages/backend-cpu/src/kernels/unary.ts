import type { TypedArray, UnaryOp } from '@proj/core';
import { erf } from './erf.js';

/** An elementwise loop writing `f(x[i])` into `out[i]` for i < n. */
type UnaryLoop = (x: TypedArray, out: TypedArray, n: number) => void;

/** Rounds half to even, as `torch.round` does (Math.round rounds half up). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// One dedicated loop per op, chosen once per call: no per-element dispatch or closure call.
const LOOPS: Record<UnaryOp, UnaryLoop> = {
  neg: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = -x[i];
  },
  abs: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]);
  },
  sign: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      o[i] = v > 0 ? 1 : v < 0 ? -1 : v; // keeps NaN and ±0
    }
  },
  exp: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]);
  },
  expm1: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.expm1(x[i]);
  },
  log: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.log(x[i]);
  },
  log1p: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.log1p(x[i]);
  },
  sqrt: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]);
  },
  rsqrt: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = 1 / Math.sqrt(x[i]);
  },
  reciprocal: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = 1 / x[i];
  },
  sin: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.sin(x[i]);
  },
  cos: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.cos(x[i]);
  },
  tanh: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i]);
  },
  sigmoid: (x, o, n) => {
    // exp(-v) overflows to Infinity for very negative v, giving the correct limit 0.
    for (let i = 0; i < n; i++) o[i] = 1 / (1 + Math.exp(-x[i]));
  },
  relu: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      // biome-ignore lint/complexity/useMathMinMax: passes NaN (as PyTorch) and -0 through unchanged; Math.max(-0, 0) would give +0
      o[i] = v < 0 ? 0 : v;
    }
  },
  erf: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = erf(x[i]);
  },
  floor: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.floor(x[i]);
  },
  ceil: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Math.ceil(x[i]);
  },
  round: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = roundHalfEven(x[i]);
  },
  isnan: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = Number.isNaN(x[i]) ? 1 : 0;
  },
  logicalNot: (x, o, n) => {
    for (let i = 0; i < n; i++) o[i] = x[i] === 0 ? 1 : 0;
  },
};

/** Whether `op` yields bool regardless of its input dtype. */
export function unaryYieldsBool(op: UnaryOp): boolean {
  return op === 'isnan' || op === 'logicalNot';
}

/** Runs unary `op` over `x` into `out` (same length; `out` is bool for isnan/logicalNot). */
export function unaryInto(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  const loop = LOOPS[op];
  if (loop === undefined) throw new Error(`cpu unary: unknown op '${op as string}'`);
  loop(x, out, x.length);
}
