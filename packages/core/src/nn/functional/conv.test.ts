import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, randn, type TensorData, tensor, tidy, zeros } from '../../index.js';
import { gradchecks } from '../../testing/index.js';
import { conv1d, conv2d } from './conv.js';
import { convTranspose2d } from './conv-transpose.js';

const ft = (data: TensorData) => tensor(data, { dtype: 'float32' });

const f64 = (...shape: number[]) => randn(shape, { dtype: 'float64', requiresGrad: true });

describe('conv2d', () => {
  it('computes a hand-checked cross-correlation with bias', () => {
    const x = ft([
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      ],
    ]);
    const w = ft([
      [
        [
          [1, 0],
          [0, -1],
        ],
      ],
    ]);
    expect(conv2d(x, w, ft([10])).toArray()).toEqual([
      [
        [
          [6, 6],
          [6, 6],
        ],
      ],
    ]);
    // padding 1, stride 2: corners of the padded image
    expect(conv2d(x, w, null, { padding: 1, stride: 2 }).toArray()).toEqual([
      [
        [
          [-1, -3],
          [-7, -4],
        ],
      ],
    ]);
  });

  it('passes gradcheck with stride, padding, dilation and groups', () => {
    manualSeed(1);
    gradchecks(
      (x, w, b) => conv2d(x, w, b, { stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 }),
      [f64(2, 4, 5, 4), f64(6, 2, 2, 2), f64(6)],
    );
    gradchecks((x, w) => conv2d(x, w, null, { padding: 'same' }), [f64(1, 2, 4, 3), f64(2, 2, 2, 3)]);
  });

  it("'same' keeps the size, also for even kernels (extra padding after, as PyTorch)", () => {
    const y = conv2d(randn([1, 2, 5, 6]), randn([3, 2, 4, 2]), null, { padding: 'same' });
    expect(y.shape).toEqual([1, 3, 5, 6]);
    expect(conv2d(randn([1, 2, 5, 6]), randn([3, 2, 3, 3]), null, { padding: 'valid' }).shape).toEqual([
      1, 3, 3, 4,
    ]);
  });

  it('accepts unbatched [C, H, W] input', () => {
    expect(conv2d(randn([3, 5, 5]), randn([4, 3, 3, 3])).shape).toEqual([4, 3, 3]);
  });

  it('rejects bad shapes with clear errors', () => {
    const w = zeros([16, 3, 3, 3]);
    expect(() => conv2d(zeros([8, 1, 28, 28]), w)).toThrow(
      'conv2d: expected input [N, C, H, W] with C = 3 (weight [16, 3, 3, 3], groups 1), got [8, 1, 28, 28]',
    );
    expect(() => conv2d(zeros([1, 3, 2, 2]), w)).toThrow(/smaller than the \(dilated\) kernel/);
    expect(() => conv2d(zeros([1, 3, 5, 5]), w, zeros([4]))).toThrow(/expected bias \[16\]/);
    expect(() => conv2d(zeros([1, 3, 5, 5]), w, null, { stride: 2, padding: 'same' })).toThrow(/strided/);
    expect(() => conv2d(zeros([1, 4, 5, 5]), zeros([8, 2, 1, 1]), null, { groups: 4 })).toThrow(/C = 8/);
    expect(() => conv2d(zeros([1, 3, 5, 5], { dtype: 'int32' }), w)).toThrow(/floating point/);
  });

  it('leaks no tensors through forward and backward', () => {
    const w = randn([4, 3, 3, 3], { requiresGrad: true });
    const before = memory().numTensors;
    tidy(() => {
      const x = randn([2, 3, 6, 6], { requiresGrad: true });
      conv2d(x, w, null, { padding: 1 }).sum().backward();
    });
    w.grad!.dispose();
    w.grad = null;
    expect(memory().numTensors).toBe(before);
  });
});

describe('conv1d', () => {
  it('passes gradcheck and matches conv2d over a height-1 image', () => {
    manualSeed(2);
    gradchecks(
      (x, w, b) => conv1d(x, w, b, { stride: 2, padding: 1, dilation: 2, groups: 2 }),
      [f64(2, 4, 7), f64(2, 2, 3), f64(2)],
    );
    const x = randn([2, 3, 9]);
    const w = randn([4, 3, 3]);
    expect(conv1d(x, w, null, { padding: 'same' }).shape).toEqual([2, 4, 9]);
    expect(conv1d(x, w).toArray()).toEqual(conv2d(x.unsqueeze(2), w.unsqueeze(2)).squeeze(2).toArray());
    expect(() => conv1d(zeros([2, 3, 9, 1]), w)).toThrow('conv1d: expected input [N, C, L] with C = 3');
  });
});

describe('convTranspose2d', () => {
  it('is the adjoint of conv2d: <conv2d(a), b> = <a, convTranspose2d(b)>', () => {
    manualSeed(3);
    const opts = { stride: 2, padding: 1, groups: 2 } as const;
    const a = randn([2, 4, 7, 7], { dtype: 'float64' });
    const w = randn([6, 2, 3, 3], { dtype: 'float64' });
    const ya = conv2d(a, w, null, opts);
    const b = randn(ya.shape, { dtype: 'float64' });
    const tb = convTranspose2d(b, w, null, opts);
    expect(tb.shape).toEqual(a.shape);
    expect(ya.mul(b).sum().item()).toBeCloseTo(a.mul(tb).sum().item(), 9);
  });

  it('passes gradcheck with outputPadding, groups and dilation', () => {
    manualSeed(4);
    gradchecks(
      (x, w, b) =>
        convTranspose2d(x, w, b, { stride: [2, 3], padding: [1, 0], outputPadding: [1, 2], groups: 2 }),
      [f64(1, 4, 3, 2), f64(4, 1, 3, 2), f64(2)],
    );
    gradchecks(
      (x, w) => convTranspose2d(x, w, null, { dilation: 2, padding: 1 }),
      [f64(1, 2, 3, 3), f64(2, 3, 2, 2)],
    );
  });

  it('computes the output size and rejects bad outputPadding', () => {
    const y = convTranspose2d(randn([1, 4, 5, 5]), randn([4, 2, 3, 3]), randn([2]), {
      stride: 2,
      padding: 1,
      outputPadding: 1,
    });
    expect(y.shape).toEqual([1, 2, 10, 10]);
    expect(() =>
      convTranspose2d(randn([1, 4, 5, 5]), randn([4, 2, 3, 3]), null, { stride: 2, outputPadding: 2 }),
    ).toThrow(/outputPadding \[2, 2\] must be smaller than either stride \[2, 2\] or dilation \[1, 1\]/);
    expect(() => convTranspose2d(randn([1, 3, 5, 5]), randn([4, 2, 3, 3]))).toThrow(/C = 4/);
  });
});
