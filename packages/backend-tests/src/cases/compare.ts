import { type Tensor, tensor, where } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { f32 } from './data.js';

type CompareMethod = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

const REFS: Record<CompareMethod, (x: number, y: number) => boolean> = {
  eq: (x, y) => x === y,
  ne: (x, y) => x !== y,
  gt: (x, y) => x > y,
  ge: (x, y) => x >= y,
  lt: (x, y) => x < y,
  le: (x, y) => x <= y,
};

const X = [1, 2, 3, Number.NaN];
const Y = [2, 2, 2, Number.NaN];

/** Comparisons (bool results, NaN rules), logical ops and `where`. */
export const compareCases: ConformanceCase[] = [
  ...(Object.keys(REFS) as CompareMethod[]).flatMap((op) => [
    tcase(`compare/${op}/tensor`, (t) => {
      const x = f32(X);
      const y = (x[op] as (o: Tensor) => Tensor).call(x, f32(Y));
      t.dtype(y, 'bool');
      // NaN compares unequal to everything, itself included
      t.equal(
        y,
        X.map((v, i) => REFS[op](v, Y[i])),
      );
    }),
    tcase(`compare/${op}/number-broadcast`, (t) => {
      const x = f32([
        [1, 2],
        [3, 4],
      ]);
      const y = (x[op] as (o: number) => Tensor).call(x, 2);
      t.dtype(y, 'bool');
      t.equal(y, [
        [REFS[op](1, 2), REFS[op](2, 2)],
        [REFS[op](3, 2), REFS[op](4, 2)],
      ]);
    }),
  ]),
  tcase('compare/eq/int32', (t) => {
    const y = f32([1, 2, 3], { dtype: 'int32' }).eq(f32([1, 0, 3], { dtype: 'int32' }));
    t.equal(y, [true, false, true]);
  }),
  tcase('compare/eq/column-broadcast', (t) => {
    const y = f32([[1], [2]]).eq(f32([1, 2, 3]));
    t.equal(y, [
      [true, false, false],
      [false, true, false],
    ]);
  }),
  tcase('compare/logicalAnd/values', (t) => {
    const a = tensor([true, true, false, false]);
    const b = tensor([true, false, true, false]);
    t.equal(a.logicalAnd(b), [true, false, false, false]);
    t.equal(a.logicalOr(b), [true, true, true, false]);
    t.dtype(a.logicalOr(b), 'bool');
  }),
  tcase('compare/where/same-shape', (t) => {
    const y = where(tensor([true, false, true]), f32([1, 2, 3]), f32([10, 20, 30]));
    t.equal(y, [1, 20, 3]);
    t.dtype(y, 'float32');
  }),
  tcase('compare/where/broadcast', (t) => {
    // cond [2,1], a [3], b scalar tensor → [2,3]
    const y = where(tensor([[true], [false]]), f32([1, 2, 3]), f32(-1));
    t.equal(y, [
      [1, 2, 3],
      [-1, -1, -1],
    ]);
  }),
  tcase('compare/where/from-comparison', (t) => {
    const x = f32([-2, 0.5, -1, 3]);
    t.equal(where(x.gt(0), x, x.mul(0.5)), [-1, 0.5, -0.5, 3]);
  }),
  tcase('compare/where/unchosen-nan', (t) => {
    // the unchosen branch's NaN must not leak into the result (no cond*a + (1-cond)*b)
    const y = where(tensor([true, false]), f32([1, Number.NaN]), f32([Number.NaN, 2]));
    t.equal(y, [1, 2]);
  }),
  tcase('compare/where/int32', (t) => {
    const y = where(tensor([false, true]), f32([1, 2], { dtype: 'int32' }), f32([3, 4], { dtype: 'int32' }));
    t.dtype(y, 'int32');
    t.equal(y, [3, 2]);
  }),
  tcase('compare/where/empty', (t) => {
    t.shape(where(f32([[], []]).gt(0), f32([[], []]), f32(1)), [2, 0]);
  }),
];
