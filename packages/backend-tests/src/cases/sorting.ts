import { argsort, cummax, cummin, kthvalue, median, mode, sort, tensor, topk } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { f32 } from './data.js';

const NaN_ = Number.NaN;

/** 131072 = 2^17 distinct integers (a permutation of 0..2^17-1: 7919 is odd), exact in float32. */
const N_LARGE = 1 << 17;
function largePermutation(): number[] {
  return Array.from({ length: N_LARGE }, (_, i) => (i * 7919) % N_LARGE);
}

/**
 * sort, argsort, topk, kthvalue, median, mode, cummax and cummin: composed in core (the order is
 * decided on the host, the values gathered on the device), so every backend's readSync,
 * gather, scatterAdd (the gradient) and int64 cast are held to PyTorch's results here.
 */
export const sortingCases: ConformanceCase[] = [
  tcase('sorting/sort/nan-ties-stable', (t) => {
    const { values, indices } = sort(f32([3, NaN_, 1, 3, NaN_, 1, 2]));
    t.equal(values, [1, 1, 2, 3, 3, NaN_, NaN_]);
    t.equal(indices, [2, 5, 6, 0, 3, 1, 4], 'indices');
  }),
  tcase('sorting/sort/descending-dim0-transposed', (t) => {
    const x = f32([
      [4, 1, 7],
      [2, 9, 3],
    ]).transpose(0, 1); // [[4,2],[1,9],[7,3]]
    const [values, indices] = x.sort(0, true);
    t.equal(values, [
      [7, 9],
      [4, 3],
      [1, 2],
    ]);
    t.equal(indices, [
      [2, 1],
      [0, 2],
      [1, 0],
    ]);
  }),
  tcase(
    'sorting/sort/int64-indices',
    (t) => {
      const { values, indices } = sort(f32([5, -1, 3], { dtype: 'int32' }));
      t.dtype(values, 'int32');
      t.dtype(indices, 'int64');
      t.equal(values, [-1, 3, 5]);
      t.equal(indices, [1, 2, 0]);
    },
    ['int64'],
  ),
  tcase('sorting/sort/empty', (t) => {
    const { values, indices } = sort(f32([[]]).reshape(0, 3), 0);
    t.shape(values, [0, 3]);
    t.shape(indices, [0, 3]);
  }),
  tcase('sorting/sort/backward-to-indices', (t) => {
    const x = f32([3, 1, 2]).requiresGrad_(true);
    x.sort()
      .values.mul(f32([10, 20, 30]))
      .sum()
      .backward();
    t.equal(x.grad!, [30, 10, 20]);
  }),
  tcase('sorting/argsort/descending', (t) => {
    t.equal(argsort(f32([1, 2, 2, 0]), 0, true), [1, 2, 0, 3]);
  }),
  tcase('sorting/topk/rows', (t) => {
    const x = f32([
      [1, 5, 3, 4],
      [8, 6, 7, 2],
    ]);
    const [v, i] = topk(x, 2);
    t.equal(v, [
      [5, 4],
      [8, 7],
    ]);
    t.equal(i, [
      [1, 3],
      [0, 2],
    ]);
    const lo = x.topk(1, 0, false);
    t.equal(lo.values, [[1, 5, 3, 2]]);
  }),
  tcase('sorting/topk/large-2-17', (t) => {
    const data = largePermutation();
    const { values, indices } = f32(data).topk(5);
    t.equal(values, [N_LARGE - 1, N_LARGE - 2, N_LARGE - 3, N_LARGE - 4, N_LARGE - 5]);
    t.equal(
      indices,
      [1, 2, 3, 4, 5].map((r) => data.indexOf(N_LARGE - r)),
      'indices',
    );
    const smallest = topk(f32(data), 3, { largest: false });
    t.equal(smallest.values, [0, 1, 2]);
  }),
  tcase('sorting/topk/backward', (t) => {
    const x = f32([1, 5, 3, 4]).requiresGrad_(true);
    x.topk(2).values.sum().backward();
    t.equal(x.grad!, [0, 1, 0, 1]);
  }),
  tcase('sorting/kthvalue/ties-pytorch-index', (t) => {
    // torch 1.13 CPU: kthvalue([1,2,2,2,1,3,1], k) indices 4, 6, 0, 2, 1, 3, 5
    const x = f32([1, 2, 2, 2, 1, 3, 1]);
    const want = [4, 6, 0, 2, 1, 3, 5];
    for (const k of [1, 2, 3, 4, 5, 6, 7])
      t.item(kthvalue(x, k).indices, want[k - 1], `kthvalue(x, ${k}) index`);
    t.equal(x.kthvalue(2, 0, true).values, [1]);
  }),
  tcase('sorting/median/all-and-dim', (t) => {
    t.equal(median(f32([4, 1, 3, 2])), 2);
    t.equal(median(f32([1, NaN_, 2])), NaN_);
    const { values, indices } = f32([
      [1, 2, 2, 2, 1, 3, 1],
      [0, NaN_, 1, 1, NaN_, 2, 2],
    ]).median(1);
    t.equal(values, [2, NaN_]);
    t.equal(indices, [1, 1]);
  }),
  tcase('sorting/mode/ties', (t) => {
    const { values, indices } = mode(f32([3, 1, 3, 1, 2]));
    t.equal(values, 1);
    t.equal(indices, 3);
  }),
  tcase('sorting/cummax/nan-ties', (t) => {
    const x = f32([1, 3, 3, 2, NaN_, 5, NaN_, 0]);
    const a = cummax(x, 0);
    t.equal(a.values, [1, 3, 3, 3, NaN_, NaN_, NaN_, NaN_]);
    t.equal(a.indices, [0, 1, 2, 2, 4, 4, 6, 6]);
    const b = cummin(f32([2, 1, 1, 3]), 0);
    t.equal(b.values, [2, 1, 1, 1]);
    t.equal(b.indices, [0, 1, 2, 2]);
  }),
  tcase('sorting/cummax/backward', (t) => {
    const x = f32([1, 3, 2, 5]).requiresGrad_(true);
    x.cummax(0).values.sum().backward();
    t.equal(x.grad!, [1, 2, 0, 1]);
  }),
  tcase('sorting/errors/k-out-of-range', (t) => {
    t.throws(() => topk(f32([1, 2]), 3), [/topk/, /out of range/]);
    t.throws(() => kthvalue(f32([1, 2]), 0), [/kthvalue/, /out of range/]);
    t.throws(() => tensor([true]).median(), [/median/, /bool/]);
  }),
];
