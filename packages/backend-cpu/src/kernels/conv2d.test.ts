import { type Conv2dParams, convOutSize, type Shape } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { be, expectClose, info, numel, randArray, read, rng, t } from '../../test/helpers.js';

interface Case {
  x: Shape;
  w: Shape;
  p: Conv2dParams;
}

const P = (s: [number, number], pad: [number, number], d: [number, number], groups = 1): Conv2dParams => ({
  stride: s,
  padding: pad,
  dilation: d,
  groups,
});

const CASES: Case[] = [
  { x: [2, 3, 6, 7], w: [4, 3, 3, 3], p: P([1, 1], [0, 0], [1, 1]) },
  { x: [1, 2, 7, 6], w: [3, 2, 3, 2], p: P([2, 1], [1, 2], [1, 1]) },
  { x: [2, 2, 9, 8], w: [2, 2, 3, 3], p: P([1, 2], [2, 1], [2, 3]) },
  { x: [2, 4, 5, 5], w: [6, 2, 3, 3], p: P([1, 1], [1, 1], [1, 1], 2) },
  { x: [1, 6, 6, 5], w: [6, 1, 2, 3], p: P([2, 2], [1, 0], [1, 2], 6) },
  { x: [2, 3, 4, 5], w: [5, 3, 1, 1], p: P([1, 1], [0, 0], [1, 1]) },
  { x: [2, 4, 4, 5], w: [4, 2, 1, 1], p: P([1, 1], [0, 0], [1, 1], 2) },
  { x: [1, 1, 3, 3], w: [1, 1, 5, 5], p: P([1, 1], [2, 2], [1, 1]) },
  // Large enough for the float32 matmul's WebAssembly path, writing into output sub-views.
  { x: [2, 8, 12, 12], w: [16, 8, 3, 3], p: P([1, 1], [1, 1], [1, 1]) },
  { x: [2, 8, 12, 12], w: [16, 4, 3, 3], p: P([1, 1], [1, 1], [1, 1], 2) },
];

/** Visits every (output, input, weight) triple of a direct convolution. */
function forEachTap(c: Case, fn: (o: number, xi: number, wi: number) => void): Shape {
  const [N, C, H, W] = c.x;
  const [O, Cg, kH, kW] = c.w;
  const { stride, padding, dilation, groups } = c.p;
  const oH = convOutSize(H, kH, stride[0], padding[0], dilation[0]);
  const oW = convOutSize(W, kW, stride[1], padding[1], dilation[1]);
  const Og = O / groups;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let oh = 0; oh < oH; oh++)
        for (let ow = 0; ow < oW; ow++)
          for (let c0 = 0; c0 < Cg; c0++)
            for (let ki = 0; ki < kH; ki++)
              for (let kj = 0; kj < kW; kj++) {
                const h = oh * stride[0] - padding[0] + ki * dilation[0];
                const w = ow * stride[1] - padding[1] + kj * dilation[1];
                if (h < 0 || h >= H || w < 0 || w >= W) continue;
                const ch = Math.floor(o / Og) * Cg + c0;
                fn(
                  ((n * O + o) * oH + oh) * oW + ow,
                  ((n * C + ch) * H + h) * W + w,
                  ((o * Cg + c0) * kH + ki) * kW + kj,
                );
              }
  return [N, O, oH, oW];
}

describe('conv2d', () => {
  const rand = rng(11);
  CASES.forEach((c, ci) => {
    const x = randArray(rand, numel(c.x));
    const w = randArray(rand, numel(c.w));
    const yShape = forEachTap(c, () => {});
    const dy = randArray(rand, numel(yShape));

    it(`forward matches a direct convolution (case ${ci})`, () => {
      const want = new Array<number>(numel(yShape)).fill(0);
      forEachTap(c, (o, xi, wi) => {
        want[o] += x[xi] * w[wi];
      });
      const got = read(be.conv2d(t(x, c.x, 'float64'), t(w, c.w, 'float64'), c.p), yShape, 'float64');
      expectClose(got, want, 1e-12);
      const got32 = read(be.conv2d(t(x, c.x), t(w, c.w), c.p), yShape);
      expectClose(got32, want, 1e-4);
    });

    it(`backward input and filter match the direct adjoints (case ${ci})`, () => {
      const dx = new Array<number>(numel(c.x)).fill(0);
      const dw = new Array<number>(numel(c.w)).fill(0);
      forEachTap(c, (o, xi, wi) => {
        dx[xi] += dy[o] * w[wi];
        dw[wi] += dy[o] * x[xi];
      });
      const dyT = t(dy, yShape, 'float64');
      expectClose(
        read(be.conv2dBackwardInput(dyT, t(w, c.w, 'float64'), c.x, c.p), c.x, 'float64'),
        dx,
        1e-12,
      );
      expectClose(
        read(be.conv2dBackwardFilter(t(x, c.x, 'float64'), dyT, c.w, c.p), c.w, 'float64'),
        dw,
        1e-12,
      );
    });
  });

  it('backward kernels agree with central finite differences of <conv2d(x, w), dy>', () => {
    const c = CASES[3];
    const x = randArray(rand, numel(c.x));
    const w = randArray(rand, numel(c.w));
    const yShape = forEachTap(c, () => {});
    const dy = randArray(rand, numel(yShape));
    const loss = (xv: number[], wv: number[]) => {
      const y = read(be.conv2d(t(xv, c.x, 'float64'), t(wv, c.w, 'float64'), c.p), yShape, 'float64');
      return y.reduce((s, v, i) => s + v * dy[i], 0);
    };
    const dx = read(
      be.conv2dBackwardInput(t(dy, yShape, 'float64'), t(w, c.w, 'float64'), c.x, c.p),
      c.x,
      'float64',
    );
    const dw = read(
      be.conv2dBackwardFilter(t(x, c.x, 'float64'), t(dy, yShape, 'float64'), c.w, c.p),
      c.w,
      'float64',
    );
    const eps = 1e-6;
    for (const i of [0, 7, 33, numel(c.x) - 1]) {
      const xp = x.slice();
      const xm = x.slice();
      xp[i] += eps;
      xm[i] -= eps;
      expect(dx[i]).toBeCloseTo((loss(xp, w) - loss(xm, w)) / (2 * eps), 6);
    }
    for (const i of [0, 5, numel(c.w) - 1]) {
      const wp = w.slice();
      const wm = w.slice();
      wp[i] += eps;
      wm[i] -= eps;
      expect(dw[i]).toBeCloseTo((loss(x, wp) - loss(x, wm)) / (2 * eps), 6);
    }
  });

  it('returns float32 storage for float32 inputs', () => {
    const c = CASES[0];
    const y = be.conv2d(t(new Array(numel(c.x)).fill(1), c.x), t(new Array(numel(c.w)).fill(1), c.w), c.p);
    expect(y).toBeInstanceOf(Float32Array);
    expect(read(y, [2, 4, 4, 5])[0]).toBe(27);
    be.disposeData(info(y, []).handle);
  });
});
