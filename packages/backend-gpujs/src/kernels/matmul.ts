import type { KernelSpec } from '../context.js';
import { helper } from '../lang.js';

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
 */
export function matmulSpec(d: MatmulDims): KernelSpec {
  const { Ba, Bb, M, K, N, transA, transB } = d;
  const MN = M * N;
  const aBase = helper('abase', [['i', 'int']], (L) => [
    L.let('b', Ba === 1 ? '0' : L.div('i', MN)),
    L.let('r', `${L.div('i', N)} - ${L.div('i', MN)} * ${M}`),
    `return b * ${M * K} + r * ${transA ? 1 : K};`,
  ]);
  const bBase = helper('bbase', [['i', 'int']], (L) => [
    L.let('b', Bb === 1 ? '0' : L.div('i', MN)),
    L.let('c', `i - ${L.div('i', N)} * ${N}`),
    `return b * ${K * N} + c * ${transB ? K : 1};`,
  ]);
  const aStep = transA ? M : 1;
  const bStep = transB ? 1 : N;
  return {
    sized: true,
    key: `matmul:${Ba}:${Bb}:${M}:${K}:${N}:${transA}:${transB}`,
    source: `function (a, b) {
  var ia = abase(this.thread.x);
  var ib = bbase(this.thread.x);
  var s = 0.0;
  for (var k = 0; k < ${K}; k++) { s += a[ia] * b[ib]; ia += ${aStep}; ib += ${bStep}; }
  return s;
}`,
    helpers: [aBase, bBase],
  };
}
