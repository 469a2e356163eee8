import type { Pool2dParams } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { be, expectClose, read, t } from '../../test/helpers.js';

const iota = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

function P(k: number, s: number, p: number, extra: Partial<Pool2dParams> = {}): Pool2dParams {
  return { kernel: [k, k], stride: [s, s], padding: [p, p], dilation: [1, 1], ceilMode: false, ...extra };
}

describe('maxPool2d', () => {
  it('pools with padding as -Infinity and returns plane indices', () => {
    const x = t(iota(16), [1, 1, 4, 4]);
    const [v, i] = be.maxPool2d(x, P(3, 2, 1));
    expect(read(v, [1, 1, 2, 2])).toEqual([6, 8, 14, 16]);
    expect(read(i, [1, 1, 2, 2], 'int32')).toEqual([5, 7, 13, 15]);
    expect(i).toBeInstanceOf(Int32Array);
  });

  it('padding never wins over negative values', () => {
    const x = t(
      iota(4).map((v) => -v),
      [1, 1, 2, 2],
    );
    const [v, i] = be.maxPool2d(x, P(2, 1, 1));
    expect(read(v, [1, 1, 3, 3])).toEqual([-1, -1, -2, -1, -1, -2, -3, -3, -4]);
    expect(read(i, [1, 1, 3, 3], 'int32')).toEqual([0, 0, 1, 0, 0, 1, 2, 2, 3]);
  });

  it('supports dilation, ceil mode, several planes, and NaN propagation', () => {
    const x = t([...iota(25), ...iota(25).map((v) => 100 - v)], [1, 2, 5, 5]);
    const [v, i] = be.maxPool2d(x, P(2, 2, 0, { dilation: [2, 2], ceilMode: true }));
    // outH = ceil((5 - 2 - 1) / 2) + 1 = 2
    expect(read(v, [1, 2, 2, 2])).toEqual([13, 15, 23, 25, 99, 97, 89, 87]);
    expect(read(i, [1, 2, 2, 2], 'int32')).toEqual([12, 14, 22, 24, 0, 2, 10, 12]);
    const [n] = be.maxPool2d(t([1, Number.NaN, 3, 4], [1, 1, 2, 2]), P(2, 2, 0));
    expect(read(n, [1, 1, 1, 1])).toEqual([Number.NaN]);
  });

  it('keeps float64 storage', () => {
    const [v] = be.maxPool2d(t([1, 2, 3, 4], [1, 1, 2, 2], 'float64'), P(2, 2, 0));
    expect(v).toBeInstanceOf(Float64Array);
  });
});

describe('avgPool2d', () => {
  const x = t(iota(16), [1, 1, 4, 4]);

  it('counts padding in the divisor by default', () => {
    // torch.nn.functional.avg_pool2d(torch.arange(1., 17).view(1,1,4,4), 3, 2, 1)
    expectClose(read(be.avgPool2d(x, P(3, 2, 1)), [1, 1, 2, 2]), [14 / 9, 30 / 9, 57 / 9, 99 / 9], 1e-6);
  });

  it('countIncludePad=false divides by the taps inside the input', () => {
    expectClose(
      read(be.avgPool2d(x, P(3, 2, 1, { countIncludePad: false })), [1, 1, 2, 2]),
      [14 / 4, 30 / 6, 57 / 6, 99 / 9],
      1e-6,
    );
  });

  it('ceil mode clips the divisor of a window hanging past the padding', () => {
    // torch: avg_pool2d(arange(1., 26).view(1,1,5,5), 2, 2, ceil_mode=True) -> last col divides by 2
    const y = read(be.avgPool2d(t(iota(25), [1, 1, 5, 5]), P(2, 2, 0, { ceilMode: true })), [1, 1, 3, 3]);
    expectClose(y, [4, 6, 7.5, 14, 16, 17.5, 21.5, 23.5, 25], 1e-6);
  });
});
