import type { KernelSpec } from '../context.js';
import { type Helper, helper } from '../lang.js';
import { log1pf } from './math.js';

/** Longest axis the fused kernel takes (2A loop iterations per fragment); longer ones use passes. */
export const SOFTMAX_FUSED_MAX = 1024;

/** src(i, a): element a of output i's row, for a softmax along an axis of `A` with `inner` after it. */
function rowHelper(A: number, inner: number): Helper {
  return helper(
    'src',
    [
      ['i', 'int'],
      ['a', 'int'],
    ],
    (L) => [
      L.let('o', L.div('i', A * inner)),
      L.let('k', `i - ${L.div('i', inner)} * ${inner}`),
      `return o * ${A * inner} + a * ${inner} + k;`,
    ],
  );
}

function inner(shape: readonly number[], axis: number): number {
  let n = 1;
  for (let d = axis + 1; d < shape.length; d++) n *= shape[d];
  return n;
}

/**
 * Softmax / log-softmax along `axis` (at most {@link SOFTMAX_FUSED_MAX} long),
 * max-subtracted: each output element recomputes its row's max and sum (A reads each), which
 * beats two extra passes for the usual small A.
 */
export function softmaxSpec(shape: readonly number[], axis: number, log: boolean): KernelSpec {
  const A = shape[axis];
  return {
    sized: true,
    key: `softmax:${log}:[${shape}]:${axis}`,
    source: `function (x) {
  var m = x[src(this.thread.x, 0)];
  for (var a = 1; a < ${A}; a++) { m = Math.max(m, x[src(this.thread.x, a)]); }
  if (m < -3.0e38) { m = 0.0; }
  var c = 0.0;
  var r = 0.0;
  for (var b = 0; b < ${A}; b++) {
    var d = x[src(this.thread.x, b)] - m;
    if (d === 0.0) { c += Math.exp(d); } else { r += Math.exp(d); }
  }
  return ${OUT[log ? 1 : 0]};
}`,
    helpers: [rowHelper(A, inner(shape, axis)), log1pf],
    loops: 2 * A,
  };
}

/**
 * The result from x, the row max m, and the parts of Σ exp(x - m): c at the max (1 per tie)
 * and r elsewhere. log Σ = log(c) + log1p(r / c) keeps r's digits when r is tiny.
 */
const OUT = [
  'Math.exp(x[this.thread.x] - m) / (c + r)',
  'x[this.thread.x] - m - (Math.log(c) + log1pf(r / c))',
];

/**
 * The last pass of a long softmax: x, its row max, and the row sums of exp(x - max) at the
 * max and elsewhere (all laid out over the dims other than `axis`) → softmax or log-softmax.
 * Rows whose max is -Infinity shift by 0, as in the fused kernel.
 */
export function softmaxOutSpec(shape: readonly number[], axis: number, log: boolean): KernelSpec {
  const A = shape[axis];
  const inn = inner(shape, axis);
  const row = helper('row', [['i', 'int']], (L) => [
    L.let('o', L.div('i', A * inn)),
    `return o * ${inn} + i - ${L.div('i', inn)} * ${inn};`,
  ]);
  return {
    sized: true,
    key: `softmaxOut:${log}:[${shape}]:${axis}`,
    source: `function (x, mx, ct, rs) {
  var m = mx[row(this.thread.x)];
  if (m < -3.0e38) { m = 0.0; }
  var c = ct[row(this.thread.x)];
  var r = rs[row(this.thread.x)];
  return ${OUT[log ? 1 : 0]};
}`,
    helpers: [row, log1pf],
  };
}
