import { nn, ones, type Tensor, tensor } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { f32 } from './data.js';

// The v2 spatial composites on each backend (core builds conv3d/convTranspose3d from conv2d and
// pads, 3-D pooling from pad + unfold views + reductions, adaptive max pooling and gridSample
// from gathers, unpooling from a scatter, interpolate's cubic and area modes from matmuls):
// closed-form values and gradients, and the 3-D accumulations at 2^17 input elements.

const F = nn.functional;

/** A float32 tensor of f(0..n-1), reshaped. */
function seq(shape: number[], f: (i: number) => number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Float32Array.from({ length: n }, (_, i) => f(i))).reshape(shape);
}

/** How many stride-1 windows of `k` with padding (k−1)/2 cover position i of n: min(i, k−1 …) per dim. */
const cover = (i: number, n: number, k: number): number => {
  const p = (k - 1) / 2;
  return Math.min(i + p, n - 1) - Math.max(i - p, 0) + 1;
};

export const nnSpatialCases: ConformanceCase[] = [
  tcase('nnspatial/conv3d/131072-accumulation-and-gradient', (t) => {
    // ones [1, 2, 16, 64, 64] (2^17 values) * ones kernel 3³ with padding 1: each output counts
    // the input taps inside its window; the input gradient of sum() counts the windows over each.
    const x = ones([1, 2, 16, 64, 64]).requiresGrad_(true);
    const w = ones([1, 2, 3, 3, 3]);
    const y = F.conv3d(x, w, null, { padding: 1 });
    t.close(y.narrow(2, 0, 2).narrow(3, 0, 1).narrow(4, 62, 2), [[[[[2 * 12, 2 * 8]], [[2 * 18, 2 * 12]]]]]);
    t.close(y.narrow(2, 7, 1).narrow(3, 30, 1).narrow(4, 30, 1), [[[[[2 * 27]]]]], 'interior');
    t.close(y.sum(), 2 * (3 * 16 - 2) * (3 * 64 - 2) * (3 * 64 - 2), 'sum');
    y.sum().backward();
    const g = x.grad!;
    t.close(g.narrow(2, 0, 1).narrow(3, 0, 1).narrow(4, 0, 2), [[[[[8, 12]]], [[[8, 12]]]]], 'input grad');
    t.close(g.sum(), 2 * (3 * 16 - 2) * (3 * 64 - 2) * (3 * 64 - 2), 'input grad sum');
  }),
  tcase('nnspatial/convTranspose3d/closed-form-and-weight-gradient', (t) => {
    // A single 1 at depth 1 spread by stride 2 and the ones kernel 2³: a 2×2×2 block of ones
    // at depth 2..3 (stride 2 · 1); the weight gradient of sum() is the input's sum per tap.
    const x = seq([1, 1, 2, 1, 1], (i) => (i === 1 ? 1 : 0));
    const w = ones([1, 1, 2, 2, 2]).requiresGrad_(true);
    const y = F.convTranspose3d(x, w, null, { stride: 2 });
    t.close(y, [
      [
        [
          [
            [0, 0],
            [0, 0],
          ],
          [
            [0, 0],
            [0, 0],
          ],
          [
            [1, 1],
            [1, 1],
          ],
          [
            [1, 1],
            [1, 1],
          ],
        ],
      ],
    ]);
    y.sum().backward();
    t.close(
      w.grad!,
      [
        [
          [
            [
              [1, 1],
              [1, 1],
            ],
            [
              [1, 1],
              [1, 1],
            ],
          ],
        ],
      ],
      'weight grad',
    );
    const y1 = F.convTranspose1d(f32([[[1, 2]]]), f32([[[1, 10, 100]]]), null, {
      stride: 2,
      outputPadding: 1,
    });
    t.close(y1, [[[1, 10, 102, 20, 200, 0]]], 'convTranspose1d');
  }),
  tcase('nnspatial/avgPool3d/131072-divisors', (t) => {
    // ones [1, 1, 32, 64, 64] (2^17 values), kernel 3, stride 1, padding 1: with the padding
    // in the divisor a corner averages 8 ones over 27, without it every output is 1.
    const x = ones([1, 1, 32, 64, 64]);
    const inc = F.avgPool3d(x, 3, 1, 1);
    t.close(inc.narrow(2, 0, 1).narrow(3, 0, 1).narrow(4, 0, 2), [[[[[8 / 27, 12 / 27]]]]]);
    const covered = (n: number) =>
      Array.from({ length: n }, (_, i) => cover(i, n, 3)).reduce((a, b) => a + b);
    t.close(inc.sum(), (covered(32) * covered(64) * covered(64)) / 27, 'sum with padding in the divisor');
    t.close(F.avgPool3d(x, 3, 1, 1, false, false).mean(), 1, 'countIncludePad=false');
  }),
  tcase('nnspatial/maxPool3d/indices-and-gradient', (t) => {
    // x = 0..63 in a 4³ volume: every 2³ window's maximum is its last element.
    const x = seq([1, 1, 4, 4, 4], (i) => i).requiresGrad_(true);
    const [y, idx] = F.maxPool3d(x, 2, { returnIndices: true });
    t.close(y, [
      [
        [
          [
            [21, 23],
            [29, 31],
          ],
          [
            [53, 55],
            [61, 63],
          ],
        ],
      ],
    ]);
    t.equal(
      idx,
      [
        [
          [
            [
              [21, 23],
              [29, 31],
            ],
            [
              [53, 55],
              [61, 63],
            ],
          ],
        ],
      ],
      'indices',
    );
    y.sum().backward();
    t.close(x.grad!.sum(), 8, 'one gradient per window');
    t.close(
      x.grad!.narrow(2, 1, 1).narrow(3, 1, 1).narrow(4, 0, 2),
      [[[[[0, 1]]]]],
      'gradient at the maxima',
    );
    const [v1, i1] = F.maxPool1d(f32([[[3, 1, 4, 1, 5, 9]]]), 3, {
      stride: 2,
      padding: 1,
      returnIndices: true,
    });
    t.close(v1, [[[3, 4, 9]]], 'maxPool1d');
    t.equal(i1, [[[0, 2, 5]]], 'maxPool1d indices');
  }),
  tcase('nnspatial/adaptiveMaxPool2d/windows-indices-unpool', (t) => {
    // 3 × 5 → 2 × 2: rows [0,2), [1,3); cols [0,3), [2,5).
    const x = f32([
      [
        [
          [1, 9, 2, 0, 3],
          [4, 0, 8, 7, 1],
          [6, 5, 0, 2, 9],
        ],
      ],
    ]);
    const [v, i] = F.adaptiveMaxPool2d(x, 2, true);
    t.close(v, [
      [
        [
          [9, 8],
          [8, 9],
        ],
      ],
    ]);
    t.equal(
      i,
      [
        [
          [
            [1, 7],
            [7, 14],
          ],
        ],
      ],
      'indices',
    );
    const [p, pi] = F.maxPool2d(x.narrow(3, 0, 4), 2, { returnIndices: true });
    t.close(
      F.maxUnpool2d(p, pi, 2),
      [
        [
          [
            [0, 9, 0, 0],
            [0, 0, 8, 0],
          ],
        ],
      ],
      'maxUnpool2d',
    );
  }),
  tcase('nnspatial/gridSample/identity-and-padding-modes', (t) => {
    const x = seq([1, 2, 3, 4], (i) => i * 0.5 - 2);
    for (const alignCorners of [true, false]) {
      const grid = F.affineGrid(
        f32([
          [
            [1, 0, 0],
            [0, 1, 0],
          ],
        ]),
        [1, 2, 3, 4],
        alignCorners,
      );
      t.close(F.gridSample(x, grid, { alignCorners }), x, 'identity');
    }
    const row = f32([[[[1, 2, 3]]]]);
    const at = (v: number) => f32([[[[v, 0]]]]);
    const s = (
      v: number,
      paddingMode: 'zeros' | 'border' | 'reflection',
      mode: 'bilinear' | 'nearest' = 'bilinear',
    ) => F.gridSample(row, at(v), { paddingMode, mode, alignCorners: true });
    t.close(s(-2, 'zeros'), [[[[0]]]], 'zeros');
    t.close(s(-2, 'border'), [[[[1]]]], 'border');
    t.close(s(1.5, 'reflection'), [[[[2.5]]]], 'reflection');
    // nearest rounds half to even: 1.5 → 2, 0.5 → 0
    t.close(s(0.5, 'zeros', 'nearest'), [[[[3]]]], 'nearest at 1.5');
    t.close(s(-0.5, 'zeros', 'nearest'), [[[[1]]]], 'nearest at 0.5');
  }),
  tcase('nnspatial/interpolate/bicubic-ramp-area-means', (t) => {
    // Keys' cubic kernel reproduces a linear ramp where the 4 taps are inside the input.
    const ramp = f32([[[[0, 1, 2, 3, 4, 5]]]]);
    const up = F.interpolate(ramp, { size: [1, 11], mode: 'bicubic', alignCorners: true });
    t.close(up.narrow(3, 2, 7), [[[[1, 1.5, 2, 2.5, 3, 3.5, 4]]]]);
    t.close(
      F.interpolate(f32([[[1, 2, 3, 4, 5, 6]]]), { size: 3, mode: 'area' }),
      [[[1.5, 3.5, 5.5]]],
      'area',
    );
    t.close(
      F.lpPool2d(
        f32([
          [
            [
              [3, 4],
              [0, 0],
            ],
          ],
        ]),
        2,
        2,
      ),
      [[[[5]]]],
      'lpPool2d',
    );
  }),
];
