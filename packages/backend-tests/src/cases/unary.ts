import { type Tensor, tensor, UNARY_OPS } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { ConformanceError } from '../checks.js';
import { f32 } from './data.js';

/** Calls the Tensor method `name` with no arguments, failing clearly when it does not exist. */
export function callMethod(x: Tensor, name: string): Tensor {
  const fn = (x as unknown as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new ConformanceError(`Tensor has no method '${name}'`);
  return (fn as () => Tensor).call(x);
}

const erf: Record<number, number> = {
  [-1]: -0.8427007929497149,
  0: 0,
  0.5: 0.5204998778130465,
  1: 0.8427007929497149,
  2: 0.9953222650189527,
};

/** Round half to even, as torch.round does (Math.round rounds half up). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

interface FloatUnary {
  op: string;
  inputs: number[];
  ref: (v: number) => number;
}

// Inputs are exact in float32, so the float64 reference differs from a correct float32
// result only by the final rounding.
const FLOAT_UNARY: FloatUnary[] = [
  { op: 'neg', inputs: [-2, 0, 1.5], ref: (v) => -v },
  { op: 'abs', inputs: [-2, -0.5, 0, 3], ref: Math.abs },
  { op: 'sign', inputs: [-2, -0.25, 0, 3.5], ref: Math.sign },
  { op: 'exp', inputs: [-1, 0, 0.5, 2, -100], ref: Math.exp },
  { op: 'expm1', inputs: [-1, 0, 2 ** -20, 1], ref: Math.expm1 },
  { op: 'log', inputs: [0.5, 1, 2, 10, 0, -1], ref: Math.log },
  { op: 'log1p', inputs: [0, 1, -0.5, 2 ** -20, -1], ref: Math.log1p },
  { op: 'sqrt', inputs: [0, 1, 2, 9, -1], ref: Math.sqrt },
  { op: 'rsqrt', inputs: [0.25, 1, 4, 0], ref: (v) => 1 / Math.sqrt(v) },
  { op: 'reciprocal', inputs: [2, -4, 0.5, 0], ref: (v) => 1 / v },
  { op: 'sin', inputs: [0, 0.5, -1, 3], ref: Math.sin },
  { op: 'cos', inputs: [0, 0.5, -1, 3], ref: Math.cos },
  { op: 'tanh', inputs: [-20, -1, 0, 0.5, 20], ref: Math.tanh },
  { op: 'sigmoid', inputs: [-100, -20, -1, 0, 1, 20, 100], ref: (v) => 1 / (1 + Math.exp(-v)) },
  { op: 'relu', inputs: [-2, -0.5, 0, 3], ref: (v) => Math.max(v, 0) },
  { op: 'erf', inputs: [-1, 0, 0.5, 1, 2], ref: (v) => erf[v] },
  { op: 'floor', inputs: [-1.5, -0.5, 0.5, 2, 2.75], ref: Math.floor },
  { op: 'ceil', inputs: [-1.5, -0.5, 0.5, 2, 2.25], ref: Math.ceil },
  { op: 'round', inputs: [-2.5, -1.5, -0.5, 0.4, 0.5, 1.5, 2.5, 2.6], ref: roundHalfEven },
];

// Ops whose result for NaN is NaN: every float unary op except sign, and relu (its own case
// below names the usual kernel bug).
const NAN_OPS = UNARY_OPS.filter((op) => !['sign', 'relu', 'isnan', 'logicalNot'].includes(op));

/** Every UnaryOp through its Tensor method, plus clamp. */
export const unaryCases: ConformanceCase[] = [
  ...FLOAT_UNARY.map(({ op, inputs, ref }) =>
    tcase(`unary/${op}/values`, (t) => {
      const y = callMethod(f32(inputs), op);
      t.dtype(y, 'float32');
      t.close(y, inputs.map(ref), `${op}(${inputs.join(', ')})`);
    }),
  ),
  tcase('unary/exp/2d', (t) => {
    const y = f32([
      [0, 1],
      [-1, 2],
    ]).exp();
    t.close(y, [
      [1, Math.E],
      [Math.exp(-1), Math.exp(2)],
    ]);
  }),
  tcase('unary/nan/propagates', (t) => {
    for (const op of NAN_OPS) t.equal(callMethod(f32([Number.NaN]), op), [Number.NaN], `${op}(NaN)`);
  }),
  tcase('unary/relu/nan-propagates', (t) => {
    // torch.relu(nan) is nan: a `x > 0 ? x : 0` kernel silently turns NaN into 0
    t.equal(f32([Number.NaN, -1]).relu(), [Number.NaN, 0]);
  }),
  tcase('unary/infinity/limits', (t) => {
    const x = f32([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
    t.equal(x.exp(), [0, Number.POSITIVE_INFINITY], 'exp(±inf)');
    t.equal(x.tanh(), [-1, 1], 'tanh(±inf)');
    t.equal(x.sigmoid(), [0, 1], 'sigmoid(±inf)');
    t.equal(x.relu(), [0, Number.POSITIVE_INFINITY], 'relu(±inf)');
  }),
  tcase('unary/isnan/values', (t) => {
    const y = f32([Number.NaN, 0, Number.POSITIVE_INFINITY, -1]).isnan();
    t.dtype(y, 'bool');
    t.equal(y, [true, false, false, false]);
  }),
  tcase('unary/logicalNot/bool', (t) => {
    const y = tensor([true, false]).logicalNot();
    t.dtype(y, 'bool');
    t.equal(y, [false, true]);
  }),
  tcase('unary/abs/int32', (t) => {
    const x = f32([-3, 0, 2], { dtype: 'int32' });
    t.dtype(x.abs(), 'int32');
    t.equal(x.abs(), [3, 0, 2]);
    t.equal(x.neg(), [3, 0, -2]);
    t.dtype(x.neg(), 'int32');
  }),
  tcase('unary/empty/shape', (t) => {
    t.equal(f32([]).exp(), []);
    t.equal(f32([[], []]).neg(), [[], []]);
  }),
  tcase('unary/clamp/both-bounds', (t) => {
    t.equal(f32([-2, -0.5, 0.5, 3]).clamp(-1, 1), [-1, -0.5, 0.5, 1]);
  }),
  tcase('unary/clamp/min-only', (t) => {
    t.equal(f32([-2, 0.5, 3]).clamp(0), [0, 0.5, 3]);
  }),
];
