import {
  all,
  aminmax,
  any,
  bincount,
  countNonzero,
  cumprod,
  cumsum,
  histc,
  logcumsumexp,
  nanmean,
  nansum,
  norm,
  ones,
  repeat,
  stdMean,
  type Tensor,
  tensor,
  unique,
  zeros,
} from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';

// The op table's scans and reductions over 2^17 elements (the `size` family's rule: a GL loop
// once stopped at 65535 iterations), each against a closed form or a float64 reference computed
// here. Integer-valued data keeps float32 partial sums exact in any order, so those compare
// exactly; the small cases of these ops are the `table` family (PyTorch's own values).

const N17 = 2 ** 17;

/** A float32 vector of f(0..n-1). */
function seq(n: number, f: (i: number) => number): Tensor {
  return tensor(Float32Array.from({ length: n }, (_, i) => f(i)));
}

/** 0..n-1 as numbers. */
const range = (n: number, f: (i: number) => number = (i) => i): number[] =>
  Array.from({ length: n }, (_, i) => f(i));

export const sizeTableCases: ConformanceCase[] = [
  tcase('size/cumsum/2-17-ones', (t) => {
    t.equal(
      cumsum(ones(N17), 0),
      range(N17, (i) => i + 1),
    );
  }),
  tcase('size/cumsum/2-17-alternating', (t) => {
    // ±0.5 alternating: partial sums 0.5, 0, 0.5, … exact in any order
    t.equal(
      cumsum(
        seq(N17, (i) => (i % 2 === 0 ? 0.5 : -0.5)),
        0,
      ),
      range(N17, (i) => (i % 2 === 0 ? 0.5 : 0)),
    );
  }),
  tcase('size/cumsum/2-17-last-dim-of-2', (t) => {
    const x = seq(2 * N17, (i) => (i < N17 ? 1 : 2)).reshape([2, N17]);
    const y = cumsum(x, 1);
    t.equal(y.narrow(1, N17 - 2, 2), [
      [N17 - 1, N17],
      [2 * (N17 - 1), 2 * N17],
    ]);
  }),
  tcase(
    'size/cumsum/2-17-int64',
    (t) => {
      const y = cumsum(ones(N17, { dtype: 'int64' }), 0);
      t.dtype(y, 'int64');
      t.equal(y.narrow(0, N17 - 3, 3), [N17 - 2, N17 - 1, N17]);
    },
    ['int64'],
  ),
  tcase('size/cumprod/2-17-spikes', (t) => {
    // ones with a 2 at 70000 and a 0.5 at 100000: the running product is 1, then 2, then 1
    const y = cumprod(
      seq(N17, (i) => (i === 70000 ? 2 : i === 100000 ? 0.5 : 1)),
      0,
    );
    t.equal(
      y,
      range(N17, (i) => (i >= 70000 && i < 100000 ? 2 : 1)),
    );
  }),
  tcase('size/logcumsumexp/2-17-zeros', (t) => {
    // log(i + 1), from a float64 reference
    t.close(
      logcumsumexp(zeros(N17), 0),
      range(N17, (i) => Math.log(i + 1)),
    );
  }),
  tcase('size/all/2-17', (t) => {
    t.equal(all(ones(N17)), true);
    t.equal(all(seq(N17, (i) => (i === N17 - 1 ? 0 : 1))), false);
    t.equal(any(zeros(N17)), false);
    t.equal(any(seq(N17, (i) => (i === 99999 ? 1 : 0))), true);
  }),
  tcase('size/countNonzero/2-17', (t) => {
    t.equal(countNonzero(seq(N17, (i) => i % 3)), N17 - Math.ceil(N17 / 3));
  }),
  tcase('size/nansum/2-17', (t) => {
    // NaN at every 7th element, 1 elsewhere
    const x = seq(N17, (i) => (i % 7 === 0 ? Number.NaN : 1));
    const nans = Math.ceil(N17 / 7);
    t.equal(nansum(x), N17 - nans);
    t.equal(nanmean(x), 1);
  }),
  tcase('size/norm/2-17', (t) => {
    const x = seq(N17, (i) => (i % 2 === 0 ? 1 : -1));
    t.close(norm(x), Math.sqrt(N17));
    t.equal(norm(x, 1), N17);
    t.equal(norm(x, Number.POSITIVE_INFINITY), 1);
  }),
  tcase('size/aminmax/2-17', (t) => {
    const { min, max } = aminmax(seq(N17, (i) => (i === 77777 ? -5 : i === 123456 ? 9 : i % 3)));
    t.equal(min, -5);
    t.equal(max, 9);
  }),
  tcase('size/stdMean/2-17', (t) => {
    // ±1 alternating: mean 0, unbiased variance n / (n - 1)
    const [std, mean] = stdMean(seq(N17, (i) => (i % 2 === 0 ? 1 : -1)));
    t.close(std, Math.sqrt(N17 / (N17 - 1)));
    t.close(mean, 0);
  }),
  tcase('size/histc/2-17', (t) => {
    t.equal(
      histc(
        seq(N17, (i) => i),
        4,
        0,
        N17,
      ),
      [N17 / 4, N17 / 4, N17 / 4, N17 / 4],
    );
  }),
  tcase(
    'size/bincount/2-17',
    (t) => {
      const counts = bincount(
        tensor(
          BigInt64Array.from(
            range(N17, (i) => i % 10),
            BigInt,
          ),
        ),
      );
      t.equal(
        counts,
        range(10, (k) => Math.floor(N17 / 10) + (k < N17 % 10 ? 1 : 0)),
      );
    },
    ['int64'],
  ),
  tcase('size/unique/2-17', (t) => {
    const [values, counts] = unique(
      seq(N17, (i) => i % 100),
      { returnCounts: true },
    ) as Tensor[];
    t.equal(values, range(100));
    t.equal(counts.sum(), N17);
  }),
  tcase('size/repeat/2-17', (t) => {
    const y = repeat(tensor([1, 2], { dtype: 'float32' }), N17 / 2);
    t.equal(y.sum(), (3 * N17) / 2);
    t.equal(y.narrow(0, N17 - 2, 2), [1, 2]);
  }),
];
