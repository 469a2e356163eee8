import { stridesOf } from '@proj/core';
import type { KernelSpec } from '../context.js';
import { decompose, helper, type Lang } from '../lang.js';
import type { Split } from '../limits.js';

/** torch.gather: out[p] = x[p with coordinate `axis` replaced by index[p]]. */
export function gatherSpec(xShape: readonly number[], axis: number, iShape: readonly number[]): KernelSpec {
  const xs = stridesOf(xShape);
  const src = helper(
    'src',
    [
      ['p', 'int'],
      ['k', 'float'],
    ],
    (L) => {
      const terms = iShape.map((_, d) => (d === axis ? `${L.toInt('k')} * ${xs[d]}` : `c${d} * ${xs[d]}`));
      return [...decompose(L, 'p', iShape, 'c'), `return ${terms.length ? terms.join(' + ') : '0'};`];
    },
  );
  return {
    sized: true,
    key: `gather:[${xShape}]:${axis}:[${iShape}]`,
    source: 'function (x, idx) { var k = idx[this.thread.x]; return x[src(this.thread.x, k)]; }',
    helpers: [src],
  };
}

/**
 * torch.scatter_add as a gather: output q sums src[p] over the positions p along `axis` that
 * share q's other coordinates and whose index equals q's coordinate on `axis`. With `split`
 * the positions are cut into chunks: output u holds target element u / parts' partial sum over
 * chunk u % parts (the first chunk adds the target's own value), summed by a further pass.
 */
export function scatterAddSpec(
  tShape: readonly number[],
  axis: number,
  iShape: readonly number[],
  split?: Split,
): KernelSpec {
  const is = stridesOf(iShape);
  const L = iShape[axis];
  const P = split?.parts ?? 1;
  const C = split?.len ?? L;
  // u → target element q (and chunk c)
  const qOf = (Lg: Lang) => [Lg.let('q', P === 1 ? 'u' : Lg.div('u', P))];
  const chunk = (Lg: Lang, name = 'c') => [Lg.let(name, P === 1 ? '0' : `u - ${Lg.div('u', P)} * ${P}`)];
  // valid(u): q's other coordinates lie inside the index shape (dims equal to the target's always do)
  const valid = helper('valid', [['u', 'int']], (Lg) => {
    const lines = [...qOf(Lg), ...decompose(Lg, 'q', tShape, 'c')];
    tShape.forEach((s, d) => {
      if (d !== axis && iShape[d] !== s) lines.push(`if (c${d} >= ${iShape[d]}) return 0;`);
    });
    lines.push('return 1;');
    return lines;
  });
  const coord = helper('coord', [['u', 'int']], (Lg) => [
    ...qOf(Lg),
    ...decompose(Lg, 'q', tShape, 'c'),
    `return c${axis};`,
  ]);
  const pos = helper(
    'pos',
    [
      ['u', 'int'],
      ['j', 'int'],
    ],
    (Lg) => {
      const terms = tShape.map((_, d) => `${d === axis ? `(k * ${C} + j)` : `c${d}`} * ${is[d]}`);
      return [
        ...qOf(Lg),
        ...chunk(Lg, 'k'),
        ...decompose(Lg, 'q', tShape, 'c'),
        `return ${terms.join(' + ')};`,
      ];
    },
  );
  const tgt = helper('tgt', [['u', 'int']], (Lg) => [...qOf(Lg), 'return q;']);
  const clen = helper('clen', [['u', 'int']], (Lg) => [
    ...chunk(Lg),
    `return ${L} - c * ${C} < ${C} ? ${L} - c * ${C} : ${C};`,
  ]);
  const first = helper('first', [['u', 'int']], (Lg) => [...chunk(Lg), 'return c == 0 ? 1 : 0;']);
  return {
    sized: true,
    key: `scatterAdd:[${tShape}]:${axis}:[${iShape}]:${P}x${C}`,
    source: `function (t, idx, s) {
  var acc = 0.0;
  if (first(this.thread.x) === 1) { acc = t[tgt(this.thread.x)]; }
  if (valid(this.thread.x) === 1) {
    var tc = coord(this.thread.x);
    var len = clen(this.thread.x);
    for (var j = 0; j < ${C}; j++) {
      if (j >= len) { break; }
      var k = idx[pos(this.thread.x, j)];
      if (k === tc) { acc += s[pos(this.thread.x, j)]; }
    }
  }
  return acc;
}`,
    helpers: [valid, coord, pos, tgt, clen, first],
    loops: C,
  };
}
