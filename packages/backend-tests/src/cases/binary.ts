import { type Tensor, zeros } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { ConformanceError } from '../checks.js';
import { f32 } from './data.js';

type BinaryMethod = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';

function call(a: Tensor, op: BinaryMethod, b: Tensor | number): Tensor {
  const fn = (a as unknown as Record<string, unknown>)[op];
  if (typeof fn !== 'function') throw new ConformanceError(`Tensor has no method '${op}'`);
  return (fn as (o: Tensor | number) => Tensor).call(a, b);
}

const REFS: Record<BinaryMethod, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: (x, y) => x ** y,
  maximum: Math.max,
  minimum: Math.min,
};

const A = [
  [1, 2, 3],
  [4, 0.5, 6],
];
const ROW = [0.5, 2, -1];

/** Binary arithmetic per op, then every broadcasting pattern (through `add`, `mul` and `sub`). */
export const binaryCases: ConformanceCase[] = [
  ...(Object.keys(REFS) as BinaryMethod[]).flatMap((op) => [
    tcase(`binary/${op}/same-shape`, (t) => {
      const b = A.map((r) => r.map((v, j) => ROW[j] + v / 4));
      const want = A.map((r, i) => r.map((v, j) => REFS[op](v, b[i][j])));
      t.close(call(f32(A), op, f32(b)), want, `${op} same shape`);
    }),
    tcase(`binary/${op}/number-operand`, (t) => {
      t.close(
        call(f32(A), op, 2),
        A.map((r) => r.map((v) => REFS[op](v, 2))),
        `${op} with a number`,
      );
    }),
    tcase(`binary/${op}/broadcast-row`, (t) => {
      const want = A.map((r) => r.map((v, j) => REFS[op](v, ROW[j])));
      t.close(call(f32(A), op, f32(ROW)), want, `${op} [2,3] with [3]`);
    }),
  ]),
  tcase('binary/add/scalar-tensor', (t) => {
    t.equal(f32([1, 2]).add(f32(10)), [11, 12]);
    t.equal(f32(10).add(f32([1, 2])), [11, 12]);
  }),
  tcase('binary/add/broadcast-column', (t) => {
    t.equal(f32(A).add(f32([[10], [20]])), [
      [11, 12, 13],
      [24, 20.5, 26],
    ]);
  }),
  tcase('binary/add/broadcast-both-sides', (t) => {
    // [3,1] + [1,4] → [3,4]: both operands stretch
    const y = f32([[0], [10], [20]]).add(f32([[1, 2, 3, 4]]));
    t.equal(y, [
      [1, 2, 3, 4],
      [11, 12, 13, 14],
      [21, 22, 23, 24],
    ]);
  }),
  tcase('binary/add/broadcast-rank-differing', (t) => {
    // [2,1,3] + [2,3] → [2,2,3]
    const a = f32([[[0, 0, 0]], [[100, 100, 100]]]);
    const b = f32([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const want = [
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [
        [101, 102, 103],
        [104, 105, 106],
      ],
    ];
    t.equal(a.add(b), want);
    t.equal(b.add(a), want, 'commuted');
  }),
  tcase('binary/add/broadcast-size-one-dims', (t) => {
    // [2,1,1] * [1,3,1] → [2,3,1]
    const y = f32([[[1]], [[2]]]).mul(f32([[[1], [10], [100]]]));
    t.equal(y, [
      [[1], [10], [100]],
      [[2], [20], [200]],
    ]);
    t.equal(f32([[5]]).sub(f32([1, 2, 3])), [[4, 3, 2]], '[1,1] - [3]');
  }),
  tcase('binary/add/broadcast-empty', (t) => {
    t.shape(zeros([0, 3]).add(f32([1, 2, 3])), [0, 3]);
    t.equal(zeros([2, 0]).add(zeros([2, 1])), [[], []]);
    t.shape(zeros([0]).mul(f32([4])), [0]);
    t.shape(zeros([3, 0]).add(zeros([0])), [3, 0]);
  }),
  tcase('binary/div/by-zero', (t) => {
    t.equal(f32([1, -1, 0]).div(f32([0, 0, 0])), [
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
    ]);
  }),
  tcase('binary/pow/special', (t) => {
    // a negative base with an integer exponent is real; exp(b·log a) kernels get NaN here
    t.equal(f32([-2, -3, 0, 0, -8]).pow(f32([2, 3, 0, 2, 1 / 3])), [4, -27, 1, 0, Number.NaN]);
    t.close(f32([4, 9]).pow(0.5), [2, 3]);
  }),
  tcase('binary/maximum/nan-propagates', (t) => {
    t.equal(f32([Number.NaN, 1]).maximum(f32([0, Number.NaN])), [Number.NaN, Number.NaN]);
    t.equal(f32([Number.NaN, 1]).minimum(f32([0, Number.NaN])), [Number.NaN, Number.NaN]);
  }),
  tcase('binary/int32/arithmetic', (t) => {
    const a = f32([7, -7, 3], { dtype: 'int32' });
    const b = f32([2, 2, -5], { dtype: 'int32' });
    for (const [y, want] of [
      [a.add(b), [9, -5, -2]],
      [a.sub(b), [5, -9, 8]],
      [a.mul(b), [14, -14, -15]],
      [a.maximum(b), [7, 2, 3]],
      [a.minimum(b), [2, -7, -5]],
    ] as const) {
      t.dtype(y, 'int32');
      t.equal(y, [...want]);
    }
  }),
];

/** In-place variants (`add_`, `mul_`, `zero_`, `fill_`, `copy_`): same object, new values. */
export const inplaceCases: ConformanceCase[] = [
  tcase('inplace/add_/values', (t) => {
    const x = f32([1, 2]);
    const r = x.add_(f32([10, 20]));
    t.ok(r === x, 'add_ returns the tensor itself');
    t.equal(x, [11, 22]);
    x.mul_(2);
    t.equal(x, [22, 44], 'after mul_(2)');
  }),
  tcase('inplace/fill_/zero_', (t) => {
    const x = f32([
      [1, 2],
      [3, 4],
    ]);
    x.fill_(7);
    t.equal(x, [
      [7, 7],
      [7, 7],
    ]);
    x.zero_();
    t.equal(x, [
      [0, 0],
      [0, 0],
    ]);
  }),
  tcase('inplace/copy_/broadcast', (t) => {
    const x = zeros([2, 2]);
    x.copy_(f32([5, 6]));
    t.equal(x, [
      [5, 6],
      [5, 6],
    ]);
  }),
];
