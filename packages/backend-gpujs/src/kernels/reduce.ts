import { type ReduceOp, stridesOf } from '@proj/core';
import type { KernelSpec } from '../context.js';
import { collapse, decompose, helper, linear } from '../lang.js';
import { isnanf } from './math.js';

/** Loop bodies per op: `v` is the element, `m`/`s` the running value, `best` the running index. */
const STEP: Record<ReduceOp, string> = {
  sum: 's += v;',
  prod: 's *= v;',
  max: 'if (v > s || isnanf(v) > 0.0) { s = v; }',
  min: 'if (v < s || isnanf(v) > 0.0) { s = v; }',
  argmax: 'if (isnanf(s) < 0.5 && (v > s || isnanf(v) > 0.0)) { s = v; best = r; }',
  argmin: 'if (isnanf(s) < 0.5 && (v < s || isnanf(v) > 0.0)) { s = v; best = r; }',
};

/**
 * Reduces `axes` of `shape` away (R = product of reduced dims >= 1). Each output element
 * loops over its R inputs; `src(i, r)` maps (output index, reduced index) to the input.
 */
export function reduceSpec(op: ReduceOp, shape: readonly number[], axes: readonly number[]): KernelSpec {
  const st = stridesOf(shape);
  const keep = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const kept = collapse(
    keep.map((d) => shape[d]),
    [keep.map((d) => st[d])],
  );
  const red = collapse(
    axes.map((d) => shape[d]),
    [axes.map((d) => st[d])],
  );
  const R = axes.reduce((a, d) => a * shape[d], 1);
  const src = helper(
    'src',
    [
      ['i', 'int'],
      ['r', 'int'],
    ],
    (L) => [
      ...decompose(L, 'i', kept.dims, 'k'),
      ...decompose(L, 'r', red.dims, 'j'),
      `return ${linear('k', kept.strides[0])} + ${linear('j', red.strides[0])};`,
    ],
  );
  const init = op === 'sum' ? '0.0' : op === 'prod' ? '1.0' : 'a[src(this.thread.x, 0)]';
  const from = op === 'sum' || op === 'prod' ? 0 : 1;
  const ret = op === 'argmax' || op === 'argmin' ? 'best' : 's';
  return {
    sized: true,
    key: `reduce:${op}:[${shape}]:[${axes}]`,
    source: `function (a) {
  var s = ${init};
  var best = 0.0;
  for (var r = ${from}; r < ${R}; r++) { var v = a[src(this.thread.x, r)]; ${STEP[op]} }
  return ${ret};
}`,
    helpers: [src, isnanf],
  };
}
