// gradcheck (float64 central differences) of every layer and function of the v2 nn surface in
// this area, and gradgradcheck (second derivatives through createGraph) of most: they are
// composites of differentiable ops, so their backward is itself differentiable.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  Generator,
  gradcheck,
  gradgradcheck,
  manualSeed,
  memory,
  nn,
  randn,
  type Tensor,
  tensor,
  tidy,
} from '../../index.js';

const F = nn.functional;
const f64 = { dtype: 'float64' as const };

interface Case {
  /** Also check second derivatives. */
  gg?: boolean;
}

/** gradcheck (and gradgradcheck) of `fn` at fresh float64 inputs from `make`, leak-checked. */
function check(name: string, fn: (...x: Tensor[]) => Tensor, make: () => Tensor[], opts: Case = {}): void {
  it(name, () => {
    manualSeed(11);
    const before = memory().numTensors;
    tidy(() => {
      const xs = make().map((x) => x.detach().requiresGrad_(true));
      expect(gradcheck(fn, xs)).toBe(true);
      if (opts.gg) expect(gradgradcheck(fn, xs)).toBe(true);
    });
    expect(memory().numTensors).toBe(before);
  });
}

const r =
  (shape: number[], scale = 1) =>
  () => [randn(shape, f64).mul(scale)];

describe('gradcheck: activations (away from the kinks; the fixtures check PyTorch’s values at them)', () => {
  check(
    'prelu (input and weight)',
    (x, w) => F.prelu(x, w),
    () => [randn([2, 3, 4], f64).mul(2), tensor([0.1, 0.3, -0.2], f64)],
    { gg: true },
  );
  check('selu', (x) => F.selu(x), r([3, 4], 2), { gg: true });
  check('celu', (x) => F.celu(x, 0.7), r([3, 4], 2), { gg: true });
  check('relu6', (x) => F.relu6(x), r([3, 4], 4), { gg: true });
  check('hardtanh', (x) => F.hardtanh(x, -0.5, 1.5), r([3, 4], 2), { gg: true });
  check('hardswish', (x) => F.hardswish(x), r([3, 4], 3), { gg: true });
  check('hardsigmoid', (x) => F.hardsigmoid(x), r([3, 4], 3), { gg: true });
  check('logsigmoid', (x) => F.logsigmoid(x), r([3, 4], 4), { gg: true });
  check('softsign', (x) => F.softsign(x), r([3, 4], 2), { gg: true });
  check('tanhshrink', (x) => F.tanhshrink(x), r([3, 4], 2), { gg: true });
  check('softmin', (x) => F.softmin(x, 1), r([3, 4], 2), { gg: true });
  check('glu', (x) => F.glu(x, 0), r([4, 3], 2), { gg: true });
  check('threshold', (x) => F.threshold(x, 0.2, -3), r([3, 4]), { gg: true });
  check('softshrink', (x) => F.softshrink(x, 0.4), r([3, 4]), { gg: true });
  check('hardshrink', (x) => F.hardshrink(x, 0.4), r([3, 4]), { gg: true });
  check('Softmax2d', (x) => new nn.Softmax2d().forward(x), r([2, 3, 2, 2]));
});

describe('gradcheck: dropout variants (a fixed mask: a fresh generator of the same seed per call)', () => {
  const gen = () => new Generator(3);
  check('dropout1d', (x) => F.dropout1d(x, 0.4, true, { generator: gen() }), r([3, 4, 2]), { gg: true });
  check('dropout2d', (x) => F.dropout2d(x, 0.4, true, { generator: gen() }), r([3, 4, 2, 2]), { gg: true });
  check('dropout3d', (x) => F.dropout3d(x, 0.4, true, { generator: gen() }), r([2, 3, 2, 1, 2]));
  check('alphaDropout', (x) => F.alphaDropout(x, 0.4, true, { generator: gen() }), r([3, 4]), { gg: true });
  check(
    'featureAlphaDropout',
    (x) => F.featureAlphaDropout(x, 0.4, true, { generator: gen() }),
    r([3, 4, 2]),
  );
});

describe('gradcheck: normalisation', () => {
  check(
    'groupNorm (input, weight, bias)',
    (x, w, b) => F.groupNorm(x, 2, w, b),
    () => [randn([2, 4, 3], f64), randn([4], f64), randn([4], f64)],
    { gg: true },
  );
  check(
    'instanceNorm (input, weight, bias)',
    (x, w, b) => F.instanceNorm(x, null, null, w, b),
    () => [randn([2, 3, 4], f64), randn([3], f64), randn([3], f64)],
    { gg: true },
  );
  check(
    'instanceNorm with running stats (eval)',
    (x) => F.instanceNorm(x, tensor([0.1, -0.2], f64), tensor([0.5, 2], f64), { useInputStats: false }),
    r([2, 2, 3]),
  );
  check('localResponseNorm', (x) => F.localResponseNorm(x, 3, 0.1, 0.75, 1.5), r([2, 4, 3], 2), { gg: true });
  check(
    'rmsNorm (input, weight)',
    (x, w) => F.rmsNorm(x, [3], w, 1e-6),
    () => [randn([2, 3], f64), randn([3], f64)],
    {
      gg: true,
    },
  );
  it('BatchNorm3d (training)', () => {
    tidy(() => {
      const bn = new nn.BatchNorm3d(2).double().requiresGrad_(false);
      const x = randn([2, 2, 2, 1, 2], f64).requiresGrad_(true);
      expect(gradcheck((x) => bn.forward(x), [x])).toBe(true);
    });
  });
});

describe('gradcheck: shuffles, bilinear, distances, padding, fold', () => {
  check('pixelShuffle', (x) => F.pixelShuffle(x, 2), r([1, 8, 2, 3]), { gg: true });
  check('pixelUnshuffle', (x) => F.pixelUnshuffle(x, 2), r([1, 2, 4, 2]), { gg: true });
  check(
    'bilinear (both inputs, weight, bias)',
    (a, b, w, bias) => F.bilinear(a, b, w, bias),
    () => [randn([3, 2], f64), randn([3, 4], f64), randn([2, 2, 4], f64), randn([2], f64)],
    { gg: true },
  );
  check(
    'cosineSimilarity',
    (a, b) => F.cosineSimilarity(a, b, 1),
    () => [randn([3, 4], f64), randn([1, 4], f64)],
    {
      gg: true,
    },
  );
  for (const p of [2, 1, 3, 0.5, Number.POSITIVE_INFINITY]) {
    check(
      `pairwiseDistance p=${p}`,
      (a, b) => F.pairwiseDistance(a, b, p),
      () => [randn([3, 4], f64), randn([3, 4], f64)],
      {
        gg: p !== Number.POSITIVE_INFINITY,
      },
    );
  }
  check('normalize p=2', (x) => F.normalize(x, 2, 1), r([3, 4]), { gg: true });
  check('normalize p=1 dim 0', (x) => F.normalize(x, 1, 0), r([3, 4]), { gg: true });
  check(
    'ReflectionPad2d with a crop',
    (x) => new nn.ReflectionPad2d([2, -1, 1, 0]).forward(x),
    r([1, 2, 3, 4]),
    { gg: true },
  );
  check('ReplicationPad1d', (x) => new nn.ReplicationPad1d([1, 3]).forward(x), r([2, 3]), { gg: true });
  check('ConstantPad3d', (x) => new nn.ConstantPad3d(1, 0.5).forward(x), r([1, 1, 2, 2, 1]), { gg: true });
  check('unfold', (x) => F.unfold(x, [2, 3], 1, 1, [2, 1]), r([2, 2, 4, 4]), { gg: true });
  check('fold', (x) => F.fold(x, [4, 4], 2, 1, 1, 2), r([2, 8, 9]), { gg: true });
});
