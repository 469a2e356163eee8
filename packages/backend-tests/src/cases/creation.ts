import {
  arange,
  eye,
  full,
  linspace,
  manualSeed,
  ones,
  onesLike,
  rand,
  randint,
  randn,
  tensor,
  zeros,
  zerosLike,
} from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';

/** Creation functions: values, shapes and default dtypes of what they build. */
export const creationCases: ConformanceCase[] = [
  tcase('creation/tensor/scalar', (t) => {
    const x = tensor(3.5);
    t.equal(x, 3.5);
    t.dtype(x, 'float32');
    t.item(x, 3.5, 'item()');
    t.num(x.ndim, 0, 'ndim', true);
    t.num(x.numel(), 1, 'numel()', true);
  }),
  tcase('creation/tensor/nested', (t) => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    t.equal(x, [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    t.num(x.numel(), 6, 'numel()', true);
    t.num(x.size(0), 2, 'size(0)', true);
    t.num(x.size(-1), 3, 'size(-1)', true);
    t.ok(JSON.stringify(x.size()) === '[2,3]', `size() is ${JSON.stringify(x.size())}, expected [2,3]`);
    t.read(x, (v) => t.ok(Array.from(v).join() === '1,2,3,4,5,6', 'dataSync() is row-major'));
  }),
  tcase('creation/tensor/float32-rounding', (t) => {
    // 0.1 is stored as the nearest float32, not kept as a float64
    t.equal(tensor([0.1]), [Math.fround(0.1)]);
  }),
  tcase('creation/tensor/empty', (t) => {
    const x = tensor([]);
    t.shape(x, [0]);
    t.num(x.numel(), 0, 'numel()', true);
    t.equal(x, []);
  }),
  tcase('creation/tensor/ragged-error', (t) => {
    t.throws(() => tensor([[1, 2], [3]]), /tensor/i);
  }),
  tcase('creation/zeros/shape', (t) => {
    const x = zeros([2, 3]);
    t.equal(x, [
      [0, 0, 0],
      [0, 0, 0],
    ]);
    t.dtype(x, 'float32');
    t.equal(zeros([2, 0]), [[], []]);
    t.equal(zeros([]), 0);
  }),
  tcase('creation/ones/shape', (t) => {
    t.equal(ones([3]), [1, 1, 1]);
    t.equal(ones([1, 2, 1]), [[[1], [1]]]);
    t.dtype(ones([2], { dtype: 'int32' }), 'int32');
  }),
  tcase('creation/full/value', (t) => {
    t.equal(full([2, 2], 7), [
      [7, 7],
      [7, 7],
    ]);
    t.equal(full([2], -0.5), [-0.5, -0.5]);
    t.equal(full([1], Number.NaN), [Number.NaN]);
  }),
  tcase('creation/arange/end', (t) => {
    t.equal(arange(5), [0, 1, 2, 3, 4]);
  }),
  tcase('creation/arange/start-end-step', (t) => {
    t.equal(arange(2, 5), [2, 3, 4]);
    t.close(arange(0, 1, 0.25), [0, 0.25, 0.5, 0.75]);
    t.equal(arange(5, 0, -2), [5, 3, 1]);
    t.equal(arange(3, 3), []);
  }),
  tcase('creation/linspace/steps', (t) => {
    t.close(linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
    t.close(linspace(-1, 1, 3), [-1, 0, 1]);
    t.equal(linspace(2, 10, 1), [2]);
    t.equal(linspace(0, 1, 0), []);
  }),
  tcase('creation/eye/square', (t) => {
    t.equal(eye(3), [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  }),
  tcase('creation/eye/rectangular', (t) => {
    t.equal(eye(2, 3), [
      [1, 0, 0],
      [0, 1, 0],
    ]);
    t.equal(eye(3, 2), [
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
  }),
  tcase('creation/zerosLike/keeps-shape-dtype', (t) => {
    const src = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'int32' },
    );
    const z = zerosLike(src);
    t.equal(z, [
      [0, 0],
      [0, 0],
    ]);
    t.dtype(z, 'int32');
    const o = onesLike(tensor([1.5, 2.5, 3.5]));
    t.equal(o, [1, 1, 1]);
    t.dtype(o, 'float32');
  }),
  tcase('creation/rand/range-and-seed', (t) => {
    manualSeed(42);
    const a = rand([64]);
    manualSeed(42);
    const b = rand([64]);
    t.shape(a, [64]);
    t.dtype(a, 'float32');
    t.read(a, (values) => {
      const va = Array.from(values as Float32Array);
      t.ok(
        va.every((v) => v >= 0 && v < 1),
        'rand values lie in [0, 1)',
      );
      t.ok(new Set(va).size > 32, 'rand values are not constant');
    });
    t.equal(b, a, 'same seed, same values');
  }),
  tcase('creation/randn/moments-and-seed', (t) => {
    manualSeed(7);
    const a = randn([4000]);
    manualSeed(7);
    const b = randn([4000]);
    t.read(a, (values) => {
      const v = Array.from(values as Float32Array);
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
      // 4000 samples: the mean's standard error is ~0.016, the variance's ~0.022
      t.ok(Math.abs(mean) < 0.1, `randn mean ${mean} is near 0`);
      t.ok(Math.abs(variance - 1) < 0.15, `randn variance ${variance} is near 1`);
    });
    t.equal(b, a, 'same seed, same values');
  }),
  tcase('creation/randint/range', (t) => {
    manualSeed(3);
    const x = randint(0, 3, [200]);
    t.dtype(x, 'int64');
    t.read(x, (values) => {
      // int64: read as numbers, as toArray() gives them
      const v = Array.from(values as unknown as BigInt64Array, Number);
      t.ok(
        v.every((n) => n === 0 || n === 1 || n === 2),
        'randint values lie in [0, 3)',
      );
      t.ok(new Set(v).size === 3, 'randint hits every value of a small range');
    });
  }),
];
