import { tensor, zeros } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { f32, X3 } from './data.js';

const M = [
  [3, -1, 4],
  [1, 5, -9],
];

/** Reductions over all / one / several / negative dims, keepdim, empty inputs and NaN. */
export const reduceCases: ConformanceCase[] = [
  tcase('reduce/sum/all', (t) => {
    const y = f32(X3).sum();
    t.shape(y, []);
    t.equal(y, 78);
  }),
  tcase('reduce/sum/one-dim', (t) => {
    t.equal(f32(X3).sum(0), [
      [8, 10],
      [12, 14],
      [16, 18],
    ]);
    t.equal(f32(X3).sum(1), [
      [9, 12],
      [27, 30],
    ]);
  }),
  tcase('reduce/sum/negative-dim', (t) => {
    t.equal(f32(X3).sum(-1), [
      [3, 7, 11],
      [15, 19, 23],
    ]);
  }),
  tcase('reduce/sum/several-dims', (t) => {
    t.equal(f32(X3).sum([0, 2]), [18, 26, 34]);
    t.equal(f32(X3).sum([-1, 0]), [18, 26, 34], 'negative and unsorted dims');
  }),
  tcase('reduce/sum/keepdim', (t) => {
    t.equal(f32(X3).sum(1, true), [[[9, 12]], [[27, 30]]]);
    t.equal(f32(X3).sum([0, 2], true), [[[18], [26], [34]]]);
  }),
  tcase('reduce/sum/empty', (t) => {
    t.equal(f32([]).sum(), 0);
    t.equal(zeros([0, 3]).sum(0), [0, 0, 0]);
    t.equal(zeros([2, 0]).sum(1), [0, 0]);
    t.shape(zeros([2, 0]).sum(0), [0]);
  }),
  tcase('reduce/sum/int-and-bool', (t) => {
    // torch: integer and bool sums are int64
    const i = f32([1, 2, 3], { dtype: 'int32' }).sum();
    t.dtype(i, 'int64');
    t.equal(i, 6);
    const b = tensor([true, false, true]).sum();
    t.dtype(b, 'int64');
    t.equal(b, 2);
  }),
  tcase('reduce/sum/nan', (t) => {
    t.equal(f32([1, Number.NaN, 2]).sum(), Number.NaN);
  }),
  tcase('reduce/mean/all-and-dims', (t) => {
    t.close(f32(X3).mean(), 6.5);
    t.close(f32(X3).mean(1), [
      [3, 4],
      [9, 10],
    ]);
    t.close(f32(X3).mean([0, 1], true), [[[6, 7]]]);
    t.close(f32(M).mean(-1), [2, -1]);
  }),
  tcase('reduce/mean/empty', (t) => {
    t.equal(f32([]).mean(), Number.NaN);
  }),
  tcase('reduce/max/all', (t) => {
    t.equal(f32(M).max(), 5);
    t.equal(f32(M).min(), -9);
  }),
  tcase('reduce/max/dim', (t) => {
    // PyTorch's max(dim): { values, indices }, iterable as the pair
    const r = f32(M).max(0);
    t.equal(r.values, [3, 5, 4]);
    t.equal(r.indices, [0, 1, 0]);
    const [v1, i1] = f32(M).max(1);
    t.equal(v1, [4, 5]);
    t.equal(i1, [2, 1]);
    t.equal(f32(M).max(-1, true).values, [[4], [5]]);
    t.equal(f32(M).max(-1, true).indices, [[2], [1]]);
    t.equal(f32(X3).max([0, 2]), [8, 10, 12], 'several dims: the values, as amax');
    t.equal(
      f32(M).max(
        f32([
          [0, 9, 0],
          [0, 0, 0],
        ]),
      ),
      [
        [3, 9, 4],
        [1, 5, 0],
      ],
      'max(other) is maximum',
    );
  }),
  tcase('reduce/min/dim', (t) => {
    t.equal(f32(M).min(0).values, [1, -1, -9]);
    t.equal(f32(M).min(0).indices, [1, 0, 1]);
    t.equal(f32(M).min(1, true).values, [[-1], [-9]]);
    t.equal(f32(X3).min(-2).values, [
      [1, 2],
      [7, 8],
    ]);
  }),
  tcase('reduce/max/nan-propagates', (t) => {
    t.equal(f32([1, Number.NaN, 3]).max(), Number.NaN);
    t.equal(f32([1, Number.NaN, 3]).min(), Number.NaN);
    t.equal(
      f32([
        [1, Number.NaN],
        [2, 0],
      ]).max(1).values,
      [Number.NaN, 2],
    );
  }),
  tcase('reduce/max/infinities', (t) => {
    t.equal(f32([Number.NEGATIVE_INFINITY, -1]).max(), -1);
    t.equal(f32([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]).max(), Number.NEGATIVE_INFINITY);
  }),
  tcase('reduce/max/int32', (t) => {
    const y = f32([3, -7, 5], { dtype: 'int32' }).max();
    t.dtype(y, 'int32');
    t.equal(y, 5);
  }),
  tcase('reduce/prod/values', (t) => {
    t.equal(f32([1, 2, 3, 4]).prod(), 24);
    t.equal(f32(M).prod(1), [-12, -45]);
    t.equal(f32([]).prod(), 1);
  }),
  tcase('reduce/argmax/all', (t) => {
    // over all elements: the index into the flattened tensor
    const y = f32(M).argmax();
    t.dtype(y, 'int64');
    t.equal(y, 4);
    t.equal(f32(M).argmin(), 5);
  }),
  tcase('reduce/argmax/dim', (t) => {
    t.equal(f32(M).argmax(0), [0, 1, 0]);
    t.equal(f32(M).argmax(1), [2, 1]);
    t.equal(f32(M).argmin(-1, true), [[1], [2]]);
    t.dtype(f32(M).argmin(1), 'int64');
  }),
  tcase('reduce/argmax/ties-first-index', (t) => {
    t.equal(f32([1, 3, 3, 0]).argmax(), 1);
    t.equal(f32([2, 0, 0, 5]).argmin(), 1);
  }),
  tcase('reduce/argmax/nan', (t) => {
    // torch: NaN counts as the maximum (and the minimum)
    t.equal(f32([1, Number.NaN, 3]).argmax(), 1);
    t.equal(f32([1, Number.NaN, 0]).argmin(), 1);
  }),
  tcase('reduce/var/unbiased', (t) => {
    t.close(f32([1, 2, 3, 4]).var(), 5 / 3);
    t.close(f32(M).var(1), [7, 52]);
    t.close(f32(M).var(0, { keepdim: true }), [[2, 18, 84.5]]);
  }),
  tcase('reduce/var/correction', (t) => {
    t.close(f32([1, 2, 3, 4]).var({ correction: 0 }), 1.25);
    t.close(f32(M).var(-1, false), [14 / 3, 104 / 3]);
  }),
  tcase('reduce/std/values', (t) => {
    t.close(f32([1, 2, 3, 4]).std(), Math.sqrt(5 / 3));
    t.close(f32(M).std(1), [Math.sqrt(7), Math.sqrt(52)]);
    t.close(f32([2, 4, 4, 4, 5, 5, 7, 9]).std(false), 2);
  }),
  tcase('reduce/var/large-offset', (t) => {
    // a one-pass E[x²]−E[x]² loses every digit here in float32; two-pass gets 1.6667
    t.close(f32([10001, 10002, 10003, 10004]).var(), 5 / 3);
  }),
];
