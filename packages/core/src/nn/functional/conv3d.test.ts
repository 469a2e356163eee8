import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { gradcheck, gradgradcheck, manualSeed, memory, randn, tidy, zeros } from '../../index.js';
import { conv2d } from './conv.js';
import { convTranspose1d, convTranspose2d } from './conv-transpose.js';
import { conv3d, convTranspose3d } from './conv3d.js';

const f64 = (...shape: number[]) => randn(shape, { dtype: 'float64', requiresGrad: true });

describe('conv3d', () => {
  it('with depth 1 is conv2d', () => {
    manualSeed(1);
    const x = randn([2, 4, 1, 5, 6]);
    const w = randn([6, 2, 1, 3, 3]);
    const y = conv3d(x, w, null, { padding: [0, 1, 1], groups: 2 });
    const ref = conv2d(x.squeeze(2), w.squeeze(2), null, { padding: 1, groups: 2 });
    expect(y.shape).toEqual([2, 6, 1, 5, 6]);
    expect(y.squeeze(2).sub(ref).abs().max().item()).toBeLessThan(1e-5);
    expect(y.isContiguous()).toBe(true);
  });

  it('passes gradcheck and gradgradcheck (stride, padding, dilation, groups, bias)', () => {
    manualSeed(2);
    gradcheck(
      (x, w, b) => conv3d(x, w, b, { stride: [2, 1, 1], padding: 1, dilation: [1, 1, 2], groups: 2 }),
      [f64(1, 4, 4, 3, 5), f64(2, 2, 2, 2, 3), f64(2)],
    );
    gradcheck((x, w) => conv3d(x, w, null, { padding: 'same' }), [f64(1, 1, 3, 4, 3), f64(2, 1, 2, 3, 2)]);
    gradgradcheck((x, w) => conv3d(x, w, null, { padding: 1 }), [f64(1, 2, 3, 3, 3), f64(2, 2, 2, 2, 2)]);
  });

  it('accepts unbatched input, leaks nothing and names bad arguments', () => {
    const before = memory().numTensors;
    tidy(() => {
      expect(conv3d(randn([2, 3, 4, 5]), randn([4, 2, 2, 2, 2])).shape).toEqual([4, 2, 3, 4]);
    });
    expect(memory().numTensors).toBe(before);
    expect(() => conv3d(zeros([1, 3, 4, 4, 4]), zeros([2, 2, 3, 3, 3]))).toThrow(
      /conv3d: expected input \[N, C, D, H, W\] with C = 2/,
    );
    expect(() => conv3d(zeros([1, 2, 2, 4, 4]), zeros([2, 2, 3, 3, 3]))).toThrow(
      /smaller than the \(dilated\) kernel/,
    );
    expect(() =>
      conv3d(zeros([1, 2, 4, 4, 4]), zeros([2, 2, 3, 3, 3]), null, { stride: 2, padding: 'same' }),
    ).toThrow(/padding='same' is not supported for strided/);
    expect(() => conv3d(zeros([1, 2, 4, 4, 4]), zeros([2, 2, 3, 3, 3]), null, { stride: [1, 2] })).toThrow(
      /stride must be an integer >= 1 or a tuple of 3/,
    );
  });
});

describe('convTranspose1d / convTranspose3d', () => {
  it('convTranspose1d is convTranspose2d over a height-1 image', () => {
    manualSeed(3);
    const x = randn([2, 4, 5]);
    const w = randn([4, 3, 3]);
    const y = convTranspose1d(x, w, null, { stride: 2, padding: 1, outputPadding: 1, groups: 2 });
    const ref = convTranspose2d(x.unsqueeze(2), w.unsqueeze(2), null, {
      stride: [1, 2],
      padding: [0, 1],
      outputPadding: [0, 1],
      groups: 2,
    });
    expect(y.shape).toEqual([2, 6, 10]);
    expect(y.sub(ref.squeeze(2)).abs().max().item()).toBe(0);
  });

  it('output sizes follow (i−1)·s − 2p + d·(k−1) + op + 1, also with outputPadding >= stride (< dilation)', () => {
    expect(
      convTranspose3d(zeros([1, 2, 3, 2, 4]), zeros([2, 3, 3, 2, 3]), null, {
        stride: 2,
        padding: 1,
        outputPadding: 1,
      }).shape,
    ).toEqual([1, 3, 6, 3, 8]);
    expect(
      convTranspose1d(zeros([1, 2, 4]), zeros([2, 1, 3]), null, { dilation: 3, outputPadding: 2 }).shape,
    ).toEqual([1, 1, 12]);
    expect(() =>
      convTranspose1d(zeros([1, 2, 4]), zeros([2, 1, 3]), null, { stride: 2, outputPadding: 2 }),
    ).toThrow(
      /outputPadding \[2\] must be smaller than either stride \[2\] or dilation \[1\]|outputPadding \[0, 2\]/,
    );
  });

  it('pass gradcheck and gradgradcheck', () => {
    manualSeed(4);
    gradcheck(
      (x, w, b) => convTranspose1d(x, w, b, { stride: 3, padding: 1, outputPadding: 2, dilation: 2 }),
      [f64(2, 2, 4), f64(2, 3, 3), f64(3)],
    );
    gradcheck(
      (x, w, b) =>
        convTranspose3d(x, w, b, {
          stride: [2, 1, 2],
          padding: [1, 0, 1],
          outputPadding: [1, 0, 0],
          groups: 2,
        }),
      [f64(1, 4, 2, 3, 2), f64(4, 1, 3, 2, 2), f64(2)],
    );
    gradcheck(
      (x, w) =>
        convTranspose3d(x, w, null, { dilation: [3, 1, 1], outputPadding: [2, 0, 0], padding: [1, 0, 0] }),
      [f64(1, 2, 3, 2, 2), f64(2, 1, 2, 2, 2)],
    );
    gradgradcheck(
      (x, w) => convTranspose3d(x, w, null, { stride: 2, padding: 1, outputPadding: 1 }),
      [f64(1, 2, 2, 2, 2), f64(2, 2, 2, 2, 2)],
    );
    gradgradcheck((x, w) => convTranspose2d(x, w, null, { stride: 2 }), [f64(1, 2, 3, 3), f64(2, 1, 2, 2)]);
  });
});
