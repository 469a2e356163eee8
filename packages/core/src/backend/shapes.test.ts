import { describe, expect, it } from 'vitest';
import { conv2dGeometry, conv2dOutputShape, convOutSize, pool2dOutputShape, poolOutSize } from './shapes.js';
import type { Conv2dParams, Pool2dParams } from './types.js';

const pool = (k: number, s: number, p: number, ceilMode = false): Pool2dParams => ({
  kernel: [k, k],
  stride: [s, s],
  padding: [p, p],
  dilation: [1, 1],
  ceilMode,
});

describe('poolOutSize', () => {
  it('follows PyTorch floor and ceil rules', () => {
    expect(poolOutSize(4, 3, 2, 1, 1, false)).toBe(2);
    expect(poolOutSize(5, 2, 2, 0, 1, false)).toBe(2);
    expect(poolOutSize(5, 2, 2, 0, 1, true)).toBe(3);
    // Ceil mode drops a last window that would start in the right padding only.
    expect(poolOutSize(6, 2, 2, 1, 1, true)).toBe(4);
    expect(poolOutSize(5, 3, 2, 1, 1, true)).toBe(3);
    expect(poolOutSize(7, 3, 1, 0, 2, false)).toBe(3);
  });

  it('goes below 1 when the window does not fit, for callers to report', () => {
    expect(poolOutSize(1, 4, 1, 0, 1, false)).toBe(-2);
  });
});

describe('convOutSize', () => {
  it('is floor((size + 2·pad − dil·(k−1) − 1) / stride) + 1', () => {
    expect(convOutSize(8, 3, 1, 1, 1)).toBe(8);
    expect(convOutSize(8, 3, 2, 0, 1)).toBe(3);
    expect(convOutSize(9, 3, 1, 0, 3)).toBe(3);
  });
});

describe('conv2dOutputShape', () => {
  it('keeps the batch, takes the filters as channels and sizes each spatial dim', () => {
    const p: Conv2dParams = { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 };
    expect(conv2dOutputShape([3, 4, 9, 10], [6, 2, 3, 3], p)).toEqual([3, 6, 5, 6]);
  });
});

describe('conv2dGeometry', () => {
  it('names the input, weight and output sizes and the per-group counts', () => {
    const p: Conv2dParams = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 2 };
    expect(conv2dGeometry([3, 4, 9, 10], [6, 2, 3, 3], p)).toEqual({
      N: 3,
      C: 4,
      H: 9,
      W: 10,
      O: 6,
      kH: 3,
      kW: 3,
      oH: 7,
      oW: 8,
      Cg: 2,
      Og: 3,
    });
  });
});

describe('pool2dOutputShape', () => {
  it('keeps batch and channels and sizes each spatial dim', () => {
    expect(pool2dOutputShape([2, 3, 5, 6], pool(2, 2, 0, true))).toEqual([2, 3, 3, 3]);
    expect(pool2dOutputShape([2, 3, 5, 6], pool(2, 2, 0))).toEqual([2, 3, 2, 3]);
  });

  it('clamps a window that does not fit to an empty output', () => {
    expect(pool2dOutputShape([1, 1, 1, 1], pool(4, 1, 0))).toEqual([1, 1, 0, 0]);
  });
});
