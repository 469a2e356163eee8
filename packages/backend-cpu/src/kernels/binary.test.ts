import type { BinaryOp, DType, Shape } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { be, expectClose, numel, randArray, ravel, read, rng, t, unravel } from '../../test/helpers.js';

const REF: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: Math.max,
  minimum: Math.min,
  eq: (a, b) => +(a === b),
  ne: (a, b) => +(a !== b),
  lt: (a, b) => +(a < b),
  le: (a, b) => +(a <= b),
  gt: (a, b) => +(a > b),
  ge: (a, b) => +(a >= b),
  logicalAnd: (a, b) => +(a !== 0 && b !== 0),
  logicalOr: (a, b) => +(a !== 0 || b !== 0),
};
const BOOL_OUT = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr']);

function broadcastShape(a: Shape, b: Shape): number[] {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Element of `v` (shape `s`) seen at output multi-index `idx` under broadcasting. */
function at(v: number[], s: Shape, idx: number[]): number {
  const off = idx.length - s.length;
  return v[
    ravel(
      s.map((n, d) => (n === 1 ? 0 : idx[d + off])),
      s,
    )
  ];
}

function naive(op: BinaryOp, a: number[], as: Shape, b: number[], bs: Shape, dtype: DType): number[] {
  const os = broadcastShape(as, bs);
  return Array.from({ length: numel(os) }, (_, i) => {
    const idx = unravel(i, os);
    const r = REF[op](at(a, as, idx), at(b, bs, idx));
    return dtype === 'float32' && !BOOL_OUT.has(op) ? Math.fround(r) : r;
  });
}

// Same shape, scalar either side, row and column broadcasts, outer product, middle stretch,
// rank mismatch, a 0-d operand and an empty one.
const PATTERNS: [Shape, Shape][] = [
  [
    [3, 4],
    [3, 4],
  ],
  [[3, 4], [1]],
  [[], [2, 3]],
  [[5, 3], [3]],
  [
    [5, 3],
    [5, 1],
  ],
  [
    [4, 1],
    [1, 6],
  ],
  [
    [2, 1, 3],
    [2, 4, 3],
  ],
  [
    [2, 3, 4, 5],
    [3, 1, 5],
  ],
  [
    [1, 3, 1],
    [2, 1, 4],
  ],
  [[0, 3], [3]],
];

describe('binary', () => {
  const rand = rng(1);
  for (const op of Object.keys(REF) as BinaryOp[]) {
    it(`${op} float32 over broadcasting patterns`, () => {
      for (const [as, bs] of PATTERNS) {
        // Small integers make comparisons and equality meaningful; pow gets a positive base.
        const a = randArray(rand, numel(as), op === 'pow' ? 0.5 : -3, 3).map((v) => Math.round(v * 2) / 2);
        const b = randArray(rand, numel(bs), -3, 3).map((v) => Math.round(v * 2) / 2);
        const os = broadcastShape(as, bs);
        const outDtype = BOOL_OUT.has(op) ? 'bool' : 'float32';
        const got = read(be.binary(op, t(a, as), t(b, bs), os), os, outDtype);
        const fa = a.map(Math.fround);
        const fb = b.map(Math.fround);
        expectClose(got, naive(op, fa, as, fb, bs, 'float32'), 1e-6);
      }
    });
  }

  it('float64 keeps double precision', () => {
    const got = read(
      be.binary('add', t([0.1], [1], 'float64'), t([0.2], [1], 'float64'), [1]),
      [1],
      'float64',
    );
    expect(got).toEqual([0.1 + 0.2]);
  });

  it('integer div truncates toward zero; division by zero is an error', () => {
    const a = t([7, -7, 7, -7, 5], [5], 'int32');
    const b = t([2, 2, -2, -2, 5], [5], 'int32');
    expect(read(be.binary('div', a, b, [5]), [5], 'int32')).toEqual([3, -3, -3, 3, 1]);
    expect(() => be.binary('div', a, t([0], [1], 'int32'), [5])).toThrow(/div: integer division by zero/);
  });

  it('int32 overflow is an error, never a wrap-around (issue 11)', () => {
    const big = t([65537], [1], 'int32');
    expect(() => be.binary('mul', big, big, [1])).toThrow(/mul: value 4295098369 does not fit int32/);
    const max = t([2147483647], [1], 'int32');
    expect(() => be.binary('add', max, t([1], [1], 'int32'), [1])).toThrow(
      /add: value 2147483648 does not fit int32/,
    );
    expect(() => be.binary('sub', t([-2147483648], [1], 'int32'), t([1], [1], 'int32'), [1])).toThrow(
      /sub: /,
    );
    expect(() => be.binary('pow', t([2], [1], 'int32'), t([31], [1], 'int32'), [1])).toThrow(/pow: /);
    // PyTorch's integer pow for negative exponents: 1 → 1, -1 → ±1, anything else (0 too) → 0
    expect(
      read(
        be.binary('pow', t([2, 1, -1, -1, 0], [5], 'int32'), t([-1, -5, -3, -2, -1], [5], 'int32'), [5]),
        [5],
        'int32',
      ),
    ).toEqual([0, 1, -1, 1, 0]);
    expect(read(be.binary('add', max, t([-1], [1], 'int32'), [1]), [1], 'int32')).toEqual([2147483646]);
    expect(
      read(be.binary('mul', t([46340], [1], 'int32'), t([46340], [1], 'int32'), [1]), [1], 'int32'),
    ).toEqual([46340 * 46340]);
  });

  it('broadcasts operands that are both smaller than the output along its last dim', () => {
    // Both inner strides are 0: every output row is one value repeated (was NaN past element 0).
    expect(read(be.binary('add', t([1], [1]), t([2], [1]), [2, 2]), [2, 2])).toEqual([3, 3, 3, 3]);
    expect(read(be.binary('mul', t([1, 2], [2, 1]), t([3], [1, 1]), [2, 3]), [2, 3])).toEqual([
      3, 3, 3, 6, 6, 6,
    ]);
  });

  it('int32 pow gives int32', () => {
    const out = be.binary('pow', t([2, 3, -2], [3], 'int32'), t([3], [1], 'int32'), [3]);
    expect(out).toBeInstanceOf(Int32Array);
    expect(read(out, [3], 'int32')).toEqual([8, 27, -8]);
  });

  it('maximum and minimum propagate NaN', () => {
    const a = t([Number.NaN, 1, 2], [3]);
    const b = t([0, Number.NaN, 1], [3]);
    expect(read(be.binary('maximum', a, b, [3]), [3])).toEqual([Number.NaN, Number.NaN, 2]);
    expect(read(be.binary('minimum', a, b, [3]), [3])).toEqual([Number.NaN, Number.NaN, 1]);
  });

  it('comparisons yield bool buffers', () => {
    const out = be.binary('lt', t([1, 2], [2]), t([2], [1]), [2]);
    expect(out).toBeInstanceOf(Uint8Array);
    expect(read(out, [2], 'bool')).toEqual([1, 0]);
  });

  it('bool arithmetic stays 0/1', () => {
    const a = t([1, 1, 0], [3], 'bool');
    expect(read(be.binary('add', a, a, [3]), [3], 'bool')).toEqual([1, 1, 0]);
  });
});

describe('where', () => {
  it('selects with broadcasting of all three operands', () => {
    const cond = t([1, 0, 1], [3], 'bool');
    const a = t([10, 20], [2, 1]);
    const b = t([-1], []);
    expect(read(be.where(cond, a, b, [2, 3]), [2, 3])).toEqual([10, -1, 10, 20, -1, 20]);
  });

  it('same-shape fast path', () => {
    const cond = t([0, 1], [2], 'bool');
    expect(read(be.where(cond, t([1, 2], [2], 'int32'), t([3, 4], [2], 'int32'), [2]), [2], 'int32')).toEqual(
      [3, 2],
    );
  });
});
