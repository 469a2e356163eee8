import type { KernelSpec } from '../context.js';
import { helper, type Lang } from '../lang.js';
import { bucket, type Split } from '../limits.js';

/** Products summed into one block before the block joins the running sum. */
const BLOCK = 64;

/** Geometry of a batched product [Ba, M, K] @ [Bb, K, N] (optionally transposed operands). */
export interface MatmulDims {
  Ba: number;
  Bb: number;
  M: number;
  K: number;
  N: number;
  transA: boolean;
  transB: boolean;
}

/**
 * Batched matmul, one output element per fragment. The start of each operand's row/column is
 * computed once in integer helpers; the K loop then steps by a fixed stride (float index math,
 * exact below 2^24 elements per operand, which the backend checks).
 *
 * With `split` the inner dimension is cut into `parts` chunks of `len`: output t is the partial
 * product over chunk t % parts of element t / parts, summed by a further pass (a single loop
 * may not run past the GL's limit). Sizes that only count fragments (M with unbatched
 * operands, the batch) stay out of the source, and the general variant reads K as a uniform,
 * so varying batch sizes share kernels.
 */
export function matmulSpec(d: MatmulDims, split?: Split): KernelSpec {
  const { Ba, Bb, M, K, N, transA, transB } = d;
  const P = split?.parts ?? 1;
  const C = split?.len ?? K;
  const MN = M * N;
  const aStep = transA ? M : 1;
  const bStep = transB ? 1 : N;
  const batched = Ba > 1 || Bb > 1;
  // element index i and chunk p of output t
  const ip = (L: Lang) => (P === 1 ? [L.let('i', 't')] : [L.let('i', L.div('t', P))]);
  const chunk = (step: number) => (P === 1 ? '' : ` + (t - i * ${P}) * ${C * step}`);
  const aBase = helper('abase', [['t', 'int']], (L) => [
    ...ip(L),
    L.let('r', batched ? `${L.div('i', N)} - ${L.div('i', MN)} * ${M}` : L.div('i', N)),
    `return ${Ba > 1 ? `${L.div('i', MN)} * ${M * K} + ` : ''}r${transA ? '' : ` * ${K}`}${chunk(aStep)};`,
  ]);
  const bBase = helper('bbase', [['t', 'int']], (L) => [
    ...ip(L),
    L.let('c', `i - ${L.div('i', N)} * ${N}`),
    `return ${Bb > 1 ? `${L.div('i', MN)} * ${K * N} + ` : ''}c${transB ? ` * ${K}` : ''}${chunk(bStep)};`,
  ]);
  const helpers = [aBase, bBase];
  if (P > 1) {
    helpers.push(
      helper('clen', [['t', 'int']], (L) => [
        L.let('p', `t - ${L.div('t', P)} * ${P}`),
        `return ${K} - p * ${C} < ${C} ? ${K} - p * ${C} : ${C};`,
      ]),
    );
  }
  // the inner product in blocks of BLOCK terms: float32 rounding grows with BLOCK + K / BLOCK
  // additions instead of K
  const loop = (bound: number, len: string) => {
    const step = `ia += ${aStep}; ib += ${bStep};`;
    if (bound <= BLOCK) {
      const stop = len === String(bound) ? '' : `if (k >= ${len}) { break; } `;
      return {
        code: `for (var k = 0; k < ${bound}; k++) { ${stop}s += a[ia] * b[ib]; ${step} }`,
        loops: bound,
      };
    }
    const nb = Math.ceil(bound / BLOCK);
    const stop = len === String(nb * BLOCK) ? '' : `if (kb * ${BLOCK} + kk >= ${len}) { break; } `;
    const code = `for (var kb = 0; kb < ${nb}; kb++) {
    var blk = 0.0;
    for (var kk = 0; kk < ${BLOCK}; kk++) { ${stop}blk += a[ia] * b[ib]; ${step} }
    s += blk;
  }`;
    return { code, loops: nb * (BLOCK + 1) };
  };
  const source = (l: { code: string }, lenParam: boolean) => `function (a, b${lenParam ? ', len' : ''}) {
  var ia = abase(this.thread.x);
  var ib = bbase(this.thread.x);
  ${P > 1 ? 'var len = clen(this.thread.x);' : ''}
  var s = 0.0;
  ${l.code}
  return s;
}`;
  const main = loop(C, P > 1 ? 'len' : String(K));
  const spec = {
    sized: true,
    key: `matmul:${Ba}:${Bb}:${M}:${K}:${N}:${transA}:${transB}:${P}x${C}`,
    source: source(main, false),
    helpers,
    loops: main.loops,
  };
  if (P > 1) return spec;
  const g = loop(bucket(K), 'len');
  return { ...spec, general: { source: source(g, true), helpers, loops: g.loops, args: [K] } };
}
