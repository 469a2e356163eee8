import type { KernelSpec } from '../context.js';
import { helper } from '../lang.js';

/**
 * Softmax / log-softmax along `axis`, max-subtracted: each output element recomputes its
 * row's max and sum (A reads each), which beats two extra passes for the usual small A.
 */
export function softmaxSpec(shape: readonly number[], axis: number, log: boolean): KernelSpec {
  const A = shape[axis];
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  // src(i, a): element a of output i's row
  const src = helper(
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
  const out = log ? 'x[this.thread.x] - m - Math.log(s)' : 'Math.exp(x[this.thread.x] - m) / s';
  return {
    sized: true,
    key: `softmax:${log}:[${shape}]:${axis}`,
    source: `function (x) {
  var m = x[src(this.thread.x, 0)];
  for (var a = 1; a < ${A}; a++) { m = Math.max(m, x[src(this.thread.x, a)]); }
  if (m < -3.0e38) { m = 0.0; }
  var s = 0.0;
  for (var b = 0; b < ${A}; b++) { s += Math.exp(x[src(this.thread.x, b)] - m); }
  return ${out};
}`,
    helpers: [src],
  };
}
