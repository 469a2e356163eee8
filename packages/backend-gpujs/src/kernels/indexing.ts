import { stridesOf } from '@proj/core';
import type { KernelSpec } from '../context.js';
import { decompose, helper } from '../lang.js';

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
 * share q's other coordinates and whose index equals q's coordinate on `axis`.
 */
export function scatterAddSpec(
  tShape: readonly number[],
  axis: number,
  iShape: readonly number[],
): KernelSpec {
  const is = stridesOf(iShape);
  const L = iShape[axis];
  // valid(q): q's other coordinates lie inside the index shape
  const valid = helper('valid', [['q', 'int']], (Lg) => {
    const lines = decompose(Lg, 'q', tShape, 'c');
    tShape.forEach((_, d) => {
      if (d !== axis) lines.push(`if (c${d} >= ${iShape[d]}) return 0;`);
    });
    lines.push('return 1;');
    return lines;
  });
  const coord = helper('coord', [['q', 'int']], (Lg) => [
    ...decompose(Lg, 'q', tShape, 'c'),
    `return c${axis};`,
  ]);
  const pos = helper(
    'pos',
    [
      ['q', 'int'],
      ['j', 'int'],
    ],
    (Lg) => {
      const terms = tShape.map((_, d) => `${d === axis ? 'j' : `c${d}`} * ${is[d]}`);
      return [...decompose(Lg, 'q', tShape, 'c'), `return ${terms.join(' + ')};`];
    },
  );
  return {
    key: `scatterAdd:[${tShape}]:${axis}:[${iShape}]`,
    source: `function (t, idx, s) {
  var acc = t[this.thread.x];
  if (valid(this.thread.x) === 1) {
    var tc = coord(this.thread.x);
    for (var j = 0; j < ${L}; j++) {
      var k = idx[pos(this.thread.x, j)];
      if (k === tc) { acc += s[pos(this.thread.x, j)]; }
    }
  }
  return acc;
}`,
    helpers: [valid, coord, pos],
  };
}
