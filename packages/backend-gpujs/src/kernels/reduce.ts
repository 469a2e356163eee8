import { type ReduceOp, stridesOf } from '@proj/core';
import type { KernelSpec } from '../context.js';
import { collapse, decompose, type Helper, helper, type Lang, linear } from '../lang.js';
import { bucket, type Split } from '../limits.js';
import { erest, etie, isnanf } from './math.js';

/** Loop bodies per op: `v` is the element, `s` the running value, `best` the running index, `IDX` its index. */
const STEP: Record<ReduceOp, string> = {
  sum: 's += v;',
  prod: 's *= v;',
  max: 'if (v > s || isnanf(v) > 0.0) { s = v; }',
  min: 'if (v < s || isnanf(v) > 0.0) { s = v; }',
  argmax: 'if (isnanf(s) < 0.5 && (v > s || isnanf(v) > 0.0)) { s = v; best = IDX; }',
  argmin: 'if (isnanf(s) < 0.5 && (v < s || isnanf(v) > 0.0)) { s = v; best = IDX; }',
};

/** Terms summed into one block before the block joins the running sum. */
const BLOCK = 64;

/** Options of {@link reduceSpec}. */
export interface ReduceOpts {
  /**
   * The reduced range cut into `parts` chunks of `len`: the output holds `parts` partial
   * results per kept element (chunk index fastest), to be reduced by a further pass.
   */
  readonly split?: Split;
  /** argmax/argmin: 'index' (the default) yields the global position of the pick, 'value' the value picked. */
  readonly out?: 'value' | 'index';
  /**
   * Reduce exp(x - m[i]) instead of x, only at the max ('tie') or only elsewhere ('rest'):
   * the parts of softmax's denominator (see `etie`); adds the argument `m`, the max.
   */
  readonly expShift?: 'tie' | 'rest';
}

/**
 * Reduces `axes` of `shape` away (R = product of reduced dims >= 1), in one pass when
 * `opts.split` is absent (R must then fit the loop budget) or as the first pass of a tree
 * reduction. Output element t is kept element i = t / P, chunk p = t % P; it loops over
 * j < len of its chunk, reduced index r = p·len + j. Index arithmetic stays in int helpers:
 * gpu.js types every `var` of the body as float, exact only to 2^24.
 */
export function reduceSpec(
  op: ReduceOp,
  shape: readonly number[],
  axes: readonly number[],
  opts: ReduceOpts = {},
): KernelSpec {
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
  const P = opts.split?.parts ?? 1;
  const C = opts.split?.len ?? R;
  // (t, j) → kept index i and reduced index r
  const split = (L: Lang) =>
    P === 1
      ? [L.let('i', 't'), L.let('r', 'j')]
      : [L.let('i', L.div('t', P)), L.let('r', `(t - i * ${P}) * ${C} + j`)];
  const tj: [string, 'int'][] = [
    ['t', 'int'],
    ['j', 'int'],
  ];
  const helpers: Helper[] = [
    helper('src', tj, (L) => [
      ...split(L),
      ...decompose(L, 'i', kept.dims, 'k'),
      ...decompose(L, 'r', red.dims, 'q'),
      `return ${linear('k', kept.strides[0])} + ${linear('q', red.strides[0])};`,
    ]),
    isnanf,
  ];
  if (opts.expShift) helpers.push(opts.expShift === 'tie' ? etie : erest);
  if (P > 1) {
    // the last chunk is shorter; the global index of j (argmax/argmin pass 1)
    helpers.push(
      helper('clen', [['t', 'int']], (L) => [
        L.let('p', `t - ${L.div('t', P)} * ${P}`),
        `return ${R} - p * ${C} < ${C} ? ${R} - p * ${C} : ${C};`,
      ]),
      helper('gidx', tj, (L) => [L.let('p', `t - ${L.div('t', P)} * ${P}`), `return p * ${C} + j;`]),
    );
  }
  if (opts.expShift)
    helpers.push(helper('row', [['t', 'int']], (L) => [`return ${P === 1 ? 't' : L.div('t', P)};`]));
  const arg = op === 'argmax' || op === 'argmin';
  const extreme = op !== 'sum' && op !== 'prod';
  const fn = opts.expShift === 'tie' ? 'etie' : 'erest';
  const read = (j: string) =>
    opts.expShift ? `${fn}(a[src(this.thread.x, ${j})] - mm)` : `a[src(this.thread.x, ${j})]`;
  const idx = (j: string) => (P === 1 ? j : `gidx(this.thread.x, ${j})`);
  const init = op === 'sum' ? '0.0' : op === 'prod' ? '1.0' : read('0');
  const ret = arg && opts.out !== 'value' ? 'best' : 's';
  const params = opts.expShift ? 'a, m' : 'a';
  const pre = [
    opts.expShift ? 'var mm = m[row(this.thread.x)]; if (mm < -3.0e38) { mm = 0.0; }' : '',
    `var s = ${init};`,
    `var best = 0.0;${arg ? ` best = ${idx('0')};` : ''}`,
  ].join('\n  ');
  const from = extreme ? 1 : 0;
  const kind = `${op}${opts.out === 'value' ? ':value' : ''}${opts.expShift ? `:exp-${opts.expShift}` : ''}`;
  // the loop over j < bound, stopping at `len` (a variable or literal) when the bound passes it
  const loop = (bound: number, len: string): { code: string; loops: number } => {
    // no test when the loop runs exactly `len` times
    const stop = (j: string, runs: number) => (len === String(runs) ? '' : `if (${j} >= ${len}) { break; } `);
    if (extreme || bound <= BLOCK) {
      const body = `var v = ${read('j')}; ${STEP[op].replace('IDX', idx('j'))}`;
      return {
        code: `for (var j = ${from}; j < ${bound}; j++) { ${stop('j', bound)}${body} }`,
        loops: bound,
      };
    }
    // sums and products in blocks: float32 rounding then grows with BLOCK + bound / BLOCK
    // additions instead of `bound` (a long sequential float32 sum drifts by ~1e-5)
    const nb = Math.ceil(bound / BLOCK);
    const j = `b * ${BLOCK} + jj`;
    const code = `for (var b = 0; b < ${nb}; b++) {
    var blk = ${init};
    for (var jj = 0; jj < ${BLOCK}; jj++) { ${stop(j, nb * BLOCK)}var v = ${read(j)}; blk ${op === 'sum' ? '+' : '*'}= v; }
    s ${op === 'sum' ? '+' : '*'}= blk;
  }`;
    return { code, loops: nb * (BLOCK + 1) };
  };
  const source = (
    l: { code: string },
    guard: string,
    extraParam: string,
  ): string => `function (${params}${extraParam}) {
  ${pre}
  ${guard}
  ${l.code}
  return ${ret};
}`;
  const main = P > 1 ? loop(C, 'len') : loop(R, String(R));
  const spec = {
    sized: true,
    key: `reduce:${kind}:[${shape}]:[${axes}]:${P}x${C}`,
    source: source(main, P > 1 ? 'var len = clen(this.thread.x);' : '', ''),
    helpers,
    loops: main.loops,
  };
  if (P > 1) return spec;
  // size-independent variant: the loop runs to a power-of-two bound, the length is a uniform
  const g = loop(bucket(R), 'len');
  return { ...spec, general: { source: source(g, '', ', len'), helpers, loops: g.loops, args: [R] } };
}
