import { nn, ones, type Tensor, tensor } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { f32 } from './data.js';

// The v2 nn composites on each backend (core builds them from where/compare, reductions,
// reshapes, gather and scatter-add, so a backend's primitives decide their numbers): the norms'
// statistics and fold's overlapping sums at 2^17 elements per reduction, the kink gradients of
// the piecewise activations, and closed-form values for the rest.

const F = nn.functional;
const N17 = 2 ** 17;

/** A float32 tensor of f(0..n-1), reshaped. */
function seq(shape: number[], f: (i: number) => number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Float32Array.from({ length: n }, (_, i) => f(i))).reshape(shape);
}

export const nnLayerCases: ConformanceCase[] = [
  tcase('nnlayers/groupNorm/2-17-per-group', (t) => {
    // One group of 2 channels × 256 × 256 = 2^17 values alternating 1, 3: mean 2, biased var 1.
    const x = seq([1, 2, 256, 256], (i) => (i % 2 === 0 ? 1 : 3));
    const y = F.groupNorm(x, 1);
    const r = 1 / Math.sqrt(1 + 1e-5);
    t.close(y.narrow(1, 1, 1).narrow(2, 255, 1).narrow(3, 254, 2), [[[[-r, r]]]]);
    t.close(y.mean(), 0, 'mean of the normalised values');
  }),
  tcase('nnlayers/instanceNorm/2-17-per-instance-with-running-stats', (t) => {
    // Channel 0 alternates 1, 3 (mean 2, biased var 1, unbiased M/(M−1)); channel 1 is all 5.
    const [H, W] = [256, 512];
    const M = H * W;
    const x = seq([1, 2, H, W], (i) => (i >= M ? 5 : i % 2 === 0 ? 1 : 3));
    const rm = f32([0, 0]);
    const rv = f32([1, 1]);
    const y = F.instanceNorm(x, rm, rv, null, null, true, 0.1);
    t.close(rm, [0.2, 0.5], 'runningMean');
    t.close(rv, [0.9 + (0.1 * M) / (M - 1), 0.9], 'runningVar');
    const r = 1 / Math.sqrt(1 + 1e-5);
    t.close(y.narrow(2, H - 1, 1).narrow(3, W - 2, 2), [[[[-r, r]], [[0, 0]]]]);
  }),
  tcase('nnlayers/fold/2-17-overlapping-blocks', (t) => {
    // fold(unfold(ones)) with a 3×3 kernel and padding 1 counts the blocks covering each pixel:
    // 4 in a corner, 6 on an edge, 9 inside; 256 × 512 = 2^17 pixels.
    const x = ones([1, 1, 256, 512]);
    const count = F.fold(F.unfold(x, 3, 1, 1), [256, 512], 3, 1, 1);
    t.close(count.narrow(2, 0, 2).narrow(3, 0, 2), [
      [
        [
          [4, 6],
          [6, 9],
        ],
      ],
    ]);
    t.close(count.narrow(2, 255, 1).narrow(3, 510, 2), [[[[6, 4]]]]);
    t.close(count.sum(), 9 * N17 - 2 * 3 * (256 + 512) + 4, 'total count');
  }),
  tcase('nnlayers/cosineSimilarity/2-17-long-vectors', (t) => {
    // a = 1, b = 1 on even indices and 0 on odd: cos = (n/2) / (√n · √(n/2)) = √½.
    const a = ones([1, N17]);
    const b = seq([1, N17], (i) => (i % 2 === 0 ? 1 : 0));
    t.close(F.cosineSimilarity(a, b), [Math.SQRT1_2]);
    t.close(F.pairwiseDistance(a, b, 1, 0), [N17 / 2]);
  }),
  tcase('nnlayers/activations/kink-gradients', (t) => {
    // PyTorch's gradients at the kinks: none at hardtanh's and relu6's bounds, hardsigmoid's
    // ±3 and the shrinks' ±λ; hardswish −1/2 at −3 and 1 at 3.
    const grad = (f: (x: Tensor) => Tensor, values: number[]): Tensor => {
      const x = f32(values).requiresGrad_(true);
      f(x).sum().backward();
      return x.grad!;
    };
    t.close(grad(F.hardtanh, [-1, 1, 0, -2, 2]), [0, 0, 1, 0, 0], 'hardtanh');
    t.close(grad(F.relu6, [0, 6, 3]), [0, 0, 1], 'relu6');
    t.close(grad(F.hardsigmoid, [-3, 3, 0]), [0, 0, 1 / 6], 'hardsigmoid');
    t.close(grad(F.hardswish, [-3, 3, -4, 4]), [-0.5, 1, 0, 1], 'hardswish');
    t.close(
      grad((x) => F.softshrink(x, 0.5), [0.5, -0.5, 1]),
      [0, 0, 1],
      'softshrink',
    );
    t.close(
      grad((x) => F.threshold(x, 1, 5), [1, 2]),
      [0, 1],
      'threshold',
    );
    t.close(
      grad((x) => F.prelu(x, f32([0.25])), [0, 1]),
      [0.25, 1],
      'prelu',
    );
  }),
  tcase('nnlayers/localResponseNorm/closed-form', (t) => {
    // size 2 over channels [1, 2, 3]: windows {0, 1}, {1, 2}, {2, 3} (zero-padded before).
    const x = f32([1, 2, 3]).reshape([1, 3, 1]);
    const y = F.localResponseNorm(x, 2, 1, 1, 1);
    const want = [1 / (1 + 1 / 2), 2 / (1 + 5 / 2), 3 / (1 + 13 / 2)];
    t.close(y.reshape([3]), want);
  }),
  tcase('nnlayers/pixelShuffle/round-trip', (t) => {
    const x = seq([1, 8, 2, 3], (i) => i);
    const y = F.pixelShuffle(x, 2);
    t.close(y.narrow(1, 0, 1).narrow(2, 0, 1).narrow(3, 0, 2).reshape([2]), [0, 6]);
    t.close(F.pixelUnshuffle(y, 2), x, 'pixelUnshuffle(pixelShuffle(x))');
  }),
];
