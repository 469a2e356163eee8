// Behaviour of the v2 nn layers beyond the PyTorch value fixtures (extra.fixtures.test.ts):
// PyTorch's positional signatures, shape rules, dtype rules, warnings, errors, dropout masks,
// running statistics and initialisation.
import '@proj/backend-cpu';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { manualSeed, memory, nn, ones, randn, type Tensor, tensor, tidy, zeros } from '../../index.js';

const F = nn.functional;
const vals = (t: Tensor) => Array.from(t.dataSync(), Number);
/** `new cls(...args)` with arguments the types refuse (what a JS caller may pass). */
const build = <C extends new (...a: never) => unknown>(cls: C, ...args: unknown[]): InstanceType<C> =>
  Reflect.construct(cls, args) as InstanceType<C>;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('activation layers take PyTorch’s arguments', () => {
  it('positionally or by name, refusing unknown options and inplace=true', () => {
    tidy(() => {
      const h = new nn.Hardtanh(-2, 3);
      expect([h.minVal, h.maxVal]).toEqual([-2, 3]);
      expect(new nn.Hardtanh({ maxVal: 2 }).maxVal).toBe(2);
      expect(new nn.ReLU6()).toBeInstanceOf(nn.Hardtanh);
      expect([new nn.ReLU6().minVal, new nn.ReLU6().maxVal]).toEqual([0, 6]);
      expect(new nn.PReLU(3, 0.1).weight.shape).toEqual([3]);
      expect(vals(new nn.PReLU({ init: 0.1 }).weight)).toEqual([Math.fround(0.1)]);
      expect(new nn.PReLU(2, 0.25, 'cpu', 'float64').weight.dtype).toBe('float64');
      expect(new nn.CELU(2).alpha).toBe(2);
      expect(new nn.Threshold(0.1, 20).value).toBe(20);
      expect(new nn.Threshold({ threshold: 1, value: 2 }).threshold).toBe(1);
      expect(new nn.Softshrink(1).lambd).toBe(1);
      expect(new nn.GLU(1).dim).toBe(1);
      expect(new nn.Softmin().dim).toBeNull();
      expect(() => build(nn.Threshold, 0.1)).toThrow(/Threshold: missing required argument 'value'/);
      expect(() => build(nn.Hardtanh, -1, 1, true)).toThrow(/Hardtanh: inplace must be false/);
      expect(() => build(nn.SELU, true)).toThrow(/SELU: inplace must be false/);
      expect(() => build(nn.Hardswish, { inplace: true })).toThrow(/Hardswish: inplace must be false/);
      expect(() => build(nn.PReLU, { num_parameters: 3 })).toThrow(/did you mean 'numParameters'/);
      expect(() => build(nn.Hardshrink, { lambda: 1 })).toThrow(/Hardshrink: unknown option 'lambda'/);
      expect(() => new nn.Hardtanh(1, 1)).toThrow(/maxVal \(1\) must be greater than minVal \(1\)/);
    });
  });

  it("Hardtanh's deprecated minValue/maxValue work with PyTorch's warning", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const h = new nn.Hardtanh({ minValue: -3 });
    expect(h.minVal).toBe(-3);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/minValue is deprecated/));
  });
});

describe('activation functions: dtypes, shapes, errors', () => {
  it('hardtanh, relu6 and threshold keep integer dtypes (as PyTorch); the others refuse them', () => {
    tidy(() => {
      const i = tensor([1, 7, -2], { dtype: 'int64' });
      expect(F.relu6(i).dtype).toBe('int64');
      expect(vals(F.relu6(i))).toEqual([1, 6, 0]);
      expect(vals(F.hardtanh(tensor([1, 7, -2], { dtype: 'int32' })))).toEqual([1, 1, -1]);
      expect(vals(F.threshold(i, 1, 5))).toEqual([5, 7, 5]);
      expect(() => F.hardtanh(tensor([1, 2], { dtype: 'uint8' }))).toThrow(
        /unsigned type \(uint8\) with negative limits/,
      );
      expect(() => F.threshold(i, 0.5, 5)).toThrow(
        /threshold: threshold=0.5 is not an integer, for int64 input/,
      );
      expect(() => F.relu6(tensor([true]))).toThrow(/relu6: bool input \[1\] is not supported/);
      expect(() => F.hardswish(i)).toThrow(/hardswish: expected a floating point tensor, got int64/);
      expect(() => F.selu(i)).toThrow(/selu: expected a floating point tensor/);
      expect(() => F.glu(i)).toThrow(/glu: expected a floating point tensor/);
      expect(F.softsign(i).dtype).toBe('float32');
      expect(F.tanhshrink(i).dtype).toBe('float32');
      expect(() => F.softsign(tensor([true]))).toThrow(/softsign: bool input/);
    });
  });

  it('hardtanh with min > max gives max (clamp), NaN stays NaN', () => {
    tidy(() => {
      expect(vals(F.hardtanh(tensor([-5, 0, 5]), 1, -1))).toEqual([-1, -1, -1]);
      expect(Number.isNaN(vals(F.hardtanh(tensor([Number.NaN])))[0])).toBe(true);
      expect(Number.isNaN(vals(F.threshold(tensor([Number.NaN]), 0, 1))[0])).toBe(true);
    });
  });

  it("errors name the op and what was expected (PyTorch's checks)", () => {
    tidy(() => {
      expect(() => F.glu(randn([3, 5]))).toThrow(
        'glu: halving dimension must be even, but dimension 1 is size 5',
      );
      expect(() => F.glu(tensor(1))).toThrow(/glu: does not support scalars/);
      expect(() => F.softshrink(randn([2]), -1)).toThrow(
        'softshrink: lambda must be greater or equal to 0, but found to be -1',
      );
      expect(vals(F.hardshrink(tensor([0.5, -2]), -1))).toEqual([0.5, -2]); // a negative λ: identity, as PyTorch
      expect(() => F.celu(randn([2]), 0)).toThrow(/celu: alpha cannot be 0/);
      expect(() => F.prelu(randn([2, 3]), randn([2]))).toThrow(
        /weight has 2 elements, input \[2,3\] has 3 channel/,
      );
      expect(() => F.prelu(randn([3]), randn([3]))).toThrow(/has 1 channel/);
      expect(() => F.prelu(randn([2, 3]), randn([3, 1]))).toThrow(/scalar or 1-D tensor, but got ndim = 2/);
      expect(() => F.prelu(randn([2, 3]), randn([3], { dtype: 'float64' }))).toThrow(
        /weight is float64 but input is float32/,
      );
      expect(F.prelu(tensor(-2), tensor([0.5])).shape).toEqual([]);
      expect(() => new nn.Softmax2d().forward(randn([2, 3]))).toThrow(
        /Softmax2d: requires a 3D \[C, H, W\] or 4D/,
      );
      expect(() => F.softmin(randn([2, 3]), { dtype: 'float64' } as never)).toThrow(
        /'dtype' is not supported/,
      );
    });
  });

  it('Softmin(dim=None) uses PyTorch’s implicit dim (0 for 3-D input)', () => {
    tidy(() => {
      const y = new nn.Softmin().forward(randn([2, 3, 4]));
      expect(vals(y.sum(0)).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    });
  });
});

describe('dropout variants', () => {
  it('drop whole channels of [N, C, *] with the kept ones scaled by 1/(1−p)', () => {
    tidy(() => {
      manualSeed(1);
      const y = F.dropout2d(ones([4, 6, 3, 2]), 0.5);
      const per = y.reshape([24, 6]);
      const rows = (per.toArray() as number[][]).map((r) => new Set(r));
      expect(rows.every((s) => s.size === 1)).toBe(true);
      const seen = new Set(rows.map((s) => [...s][0]));
      expect(seen).toEqual(new Set([0, 2]));
      // dropout1d on unbatched [C, L]: one draw per channel (dim 0)
      const u = F.dropout1d(ones([8, 5]), 0.5);
      expect(
        ((u.toArray() as number[][]).map((r) => new Set(r).size) as number[]).every((n) => n === 1),
      ).toBe(true);
      // dropout3d on unbatched [C, D, H, W]
      const v = F.dropout3d(ones([6, 2, 2, 2]), 0.5).reshape([6, 8]);
      expect(
        ((v.toArray() as number[][]).map((r) => new Set(r).size) as number[]).every((n) => n === 1),
      ).toBe(true);
    });
  });

  it('the same seed gives the same mask; eval mode and training=false are the identity', () => {
    tidy(() => {
      const x = randn([3, 4, 5]);
      manualSeed(3);
      const a = vals(F.dropout1d(x, 0.3));
      manualSeed(3);
      expect(vals(F.dropout1d(x, 0.3))).toEqual(a);
      const x4 = randn([2, 3, 2, 2]);
      for (const m of [new nn.Dropout1d(), new nn.AlphaDropout(), new nn.FeatureAlphaDropout()]) {
        expect(m.eval().forward(x)).toBe(x);
      }
      expect(new nn.Dropout2d().eval().forward(x4)).toBe(x4);
      const x5 = randn([2, 3, 2, 2, 2]);
      expect(new nn.Dropout3d(0.9).eval().forward(x5)).toBe(x5);
      expect(F.dropout1d(x, 0.5, false)).toBe(x);
      // The alpha dropouts' functional training defaults to false, as PyTorch's.
      expect(F.alphaDropout(x, 0.5)).toBe(x);
      expect(F.featureAlphaDropout(x, 0.5)).toBe(x);
      expect(vals(F.dropout2d(x4, 1)).every((v) => v === 0)).toBe(true);
      expect(F.dropout2d(x4, 0)).toBe(x4);
    });
  });

  it("PyTorch 1.13's shape rules: dropout2d on 3-D input is channel-wise 1-D (warning), dropout1d refuses 4-D", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    tidy(() => {
      manualSeed(2);
      const y = F.dropout2d(ones([4, 6, 5]), 0.5).reshape([24, 5]);
      expect(
        ((y.toArray() as number[][]).map((r) => new Set(r).size) as number[]).every((n) => n === 1),
      ).toBe(true);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Received a 3D input to dropout2d/));
      F.dropout2d(ones([2, 3]), 0.5);
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/Received a 2-D input to dropout2d, which is deprecated/),
      );
      F.dropout3d(ones([2, 3, 4]), 0.5);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Received a 3-D input to dropout3d/));
      expect(() => F.dropout1d(ones([2, 3, 4, 5]))).toThrow(
        /dropout1d: expected 2D or 3D input, but received a 4D input/,
      );
      expect(() => F.dropout2d(ones([3]), 0.5)).toThrow(/feature dropout requires at least 2 dimensions/);
      expect(() => new nn.Dropout2d(1.5)).toThrow(
        'Dropout2d: dropout probability has to be between 0 and 1, but got 1.5',
      );
      expect(() => F.alphaDropout(ones([2]), -0.1, true)).toThrow(/between 0 and 1/);
    });
  });

  it('alpha dropout keeps a standard normal input standard normal', () => {
    tidy(() => {
      manualSeed(4);
      const y = F.alphaDropout(randn([200, 200]), 0.2, true);
      expect(Math.abs(y.mean().item())).toBeLessThan(0.02);
      expect(Math.abs(y.std().item() - 1)).toBeLessThan(0.02);
    });
  });

  it('reprs and signatures', () => {
    expect(new nn.Dropout2d(0.2).toString()).toBe('Dropout2d(p=0.2, inplace=False)');
    expect(new nn.AlphaDropout({ p: 0.1 }).p).toBe(0.1);
    expect(() => build(nn.Dropout1d, 0.1, true)).toThrow(/Dropout1d: inplace must be false/);
    expect(() => build(nn.FeatureAlphaDropout, { prob: 0.1 })).toThrow(/unknown option 'prob'/);
  });
});

describe('normalisation layers', () => {
  it('GroupNorm: PyTorch’s checks; parameters and defaults', () => {
    tidy(() => {
      expect(() => new nn.GroupNorm(2, 3)).toThrow(/numChannels must be divisible by numGroups/);
      expect(() => F.groupNorm(randn([2, 3, 4]), 2)).toThrow(
        /divisible by numGroups, but got input of shape \[2, 3, 4\] and numGroups=2/,
      );
      expect(() => F.groupNorm(randn([1, 2, 1]), 2)).toThrow(/expected more than 1 value per channel/);
      expect(() => F.groupNorm(randn([3]), 1)).toThrow(/at least 2 dimensions/);
      const gn = new nn.GroupNorm(2, 4, 1e-3, false);
      expect([gn.eps, gn.affine, gn.parameters().length]).toEqual([1e-3, false, 0]);
      expect(Object.keys(new nn.GroupNorm(1, 2).stateDict())).toEqual(['weight', 'bias']);
    });
  });

  it('InstanceNorm: unbatched input, numFeatures mismatch (warning without affine, error with), running stats', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    tidy(() => {
      expect(new nn.InstanceNorm1d(4).forward(randn([3, 5])).shape).toEqual([3, 5]);
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/InstanceNorm1d: input's size at dim=0 does not match numFeatures/),
      );
      expect(() => new nn.InstanceNorm1d(4, { affine: true }).forward(randn([3, 5]))).toThrow(
        /expected input's size at dim=0 to match numFeatures \(4\), but got: 3/,
      );
      expect(() => new nn.InstanceNorm1d(3).forward(randn([2, 3, 4, 5]))).toThrow(
        /expected 2D or 3D input \(got 4D input/,
      );
      expect(() => F.instanceNorm(randn([2, 3, 1]))).toThrow(/expected more than 1 spatial element/);
      const m = new nn.InstanceNorm2d(3, { trackRunningStats: true });
      expect(Object.keys(m.stateDict())).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
      expect(Object.keys(new nn.InstanceNorm2d(3).stateDict())).toEqual([]);
      const x = randn([4, 3, 2, 5]);
      m.forward(x);
      const expected = x.mean([2, 3]).mean(0).mul(0.1);
      expect(vals(m.running_mean!).map((v, i) => Math.abs(v - vals(expected)[i]) < 1e-6)).toEqual([
        true,
        true,
        true,
      ]);
      expect(m.num_batches_tracked!.item()).toBe(0); // PyTorch's instance norm never counts
      expect(() => build(nn.InstanceNorm2d, 3, { momentum: null })).toThrow(/momentum must be a number/);
    });
  });

  it('BatchNorm3d takes 5-D input only; LocalResponseNorm needs 3 dims', () => {
    tidy(() => {
      expect(() => new nn.BatchNorm3d(3).forward(randn([2, 3, 4]))).toThrow(/BatchNorm3d: expected 5D input/);
      expect(new nn.BatchNorm3d(3, 1e-3, null).momentum).toBeNull();
      expect(() => F.localResponseNorm(randn([2, 3]), 2)).toThrow(
        /expected 3D or higher dimensionality input/,
      );
      expect(new nn.LocalResponseNorm(3, { k: 2 }).k).toBe(2);
    });
  });

  it('RMSNorm: eps null is the machine epsilon of the compute dtype; half input computes in float32', () => {
    tidy(() => {
      const tiny = tensor([1e-9, -2e-9, 3e-9], { dtype: 'float64' });
      const ms = ((1 + 4 + 9) / 3) * 1e-18;
      const y = F.rmsNorm(tiny, [3]);
      expect(vals(y)[0]).toBeCloseTo(1e-9 / Math.sqrt(ms + 2 ** -52), 12);
      const y32 = F.rmsNorm(tensor([1e-3, 2e-3]), 2);
      const ms32 = (1e-6 + 4e-6) / 2;
      expect(vals(y32)[0]).toBeCloseTo(1e-3 / Math.sqrt(ms32 + 2 ** -23), 5);
      const h = F.rmsNorm(randn([2, 4]).half(), [4], ones([4]).half());
      expect(h.dtype).toBe('float16');
      const norm = new nn.RMSNorm([2, 3], { eps: 1e-5, elementwiseAffine: false });
      expect([norm.weight, norm.eps]).toEqual([null, 1e-5]);
      expect(() => F.rmsNorm(randn([2, 4]), [3])).toThrow(
        /normalizedShape \[3\] must match the last dims of input \[2, 4\]/,
      );
    });
  });
});

describe('shuffles, bilinear, distances', () => {
  it('pixelShuffle/pixelUnshuffle round-trip and PyTorch’s errors', () => {
    tidy(() => {
      const x = randn([2, 3, 8, 4, 6]);
      expect(vals(F.pixelShuffle(F.pixelUnshuffle(x, 2), 2))).toEqual(vals(x));
      expect(F.pixelShuffle(randn([1, 18, 2, 2]), 3).shape).toEqual([1, 2, 6, 6]);
      expect(() => F.pixelShuffle(randn([1, 5, 2, 2]), 2)).toThrow(
        /input.size\(-3\)=5 is not divisible by 4/,
      );
      expect(() => F.pixelUnshuffle(randn([1, 1, 5, 4]), 2)).toThrow(
        /input.size\(-2\)=5 is not divisible by 2/,
      );
      expect(() => F.pixelShuffle(randn([4, 4]), 2)).toThrow(/at least 3 dimensions/);
      expect(() => F.pixelShuffle(randn([4, 4, 4]), 0)).toThrow(/positive upscaleFactor/);
      expect(F.pixelShuffle(tensor([1, 2, 3, 4], { dtype: 'int32' }).reshape([4, 1, 1]), 2).dtype).toBe(
        'int32',
      );
    });
  });

  it('Bilinear: PyTorch’s init bounds and parameter layout; bilinear’s shape checks', () => {
    tidy(() => {
      manualSeed(0);
      const b = new nn.Bilinear(4, 3, 5);
      expect(b.weight.shape).toEqual([5, 4, 3]);
      expect(b.bias!.shape).toEqual([5]);
      expect(Math.max(...vals(b.weight.abs()), ...vals(b.bias!.abs()))).toBeLessThanOrEqual(0.5);
      expect(new nn.Bilinear(2, 2, 2, false).bias).toBeNull();
      expect(b.forward(randn([7, 4]), randn([7, 3])).shape).toEqual([7, 5]);
      expect(() => b.forward(randn([7, 4]), randn([6, 3]))).toThrow(/input batch dimensions do not match/);
      expect(() => b.forward(randn([7, 3]), randn([7, 3]))).toThrow(
        /input1 size does not match weight size: got 3 but expected 4/,
      );
      expect(() => b.forward(randn([2, 7, 4]), randn([7, 3]))).toThrow(/input dimensions do not match/);
    });
  });

  it('cosineSimilarity and pairwiseDistance broadcast; integer inputs alone are refused', () => {
    tidy(() => {
      expect(F.cosineSimilarity(randn([2, 1, 5]), randn([3, 5]), -1).shape).toEqual([2, 3]);
      expect(F.cosineSimilarity(randn([2, 3]), randn([3]), 0).shape).toEqual([3]);
      expect(() =>
        F.cosineSimilarity(tensor([1, 2], { dtype: 'int64' }), tensor([1, 2], { dtype: 'int64' }), 0),
      ).toThrow(/expected the common dtype to be floating point/);
      expect(F.pairwiseDistance(randn([3]), randn([3])).shape).toEqual([]);
      expect(F.pairwiseDistance(randn([2, 3]), randn([3]), { keepdim: true }).shape).toEqual([2, 1]);
      expect(vals(F.pairwiseDistance(ones([2, 3]), zeros([2, 3]), Number.POSITIVE_INFINITY, 0))).toEqual([
        1, 1,
      ]);
      expect(vals(F.pairwiseDistance(ones([1, 3]), zeros([1, 3]), 0, 0))).toEqual([3]);
      expect(new nn.PairwiseDistance(1).norm).toBe(1);
      expect(() => F.normalize(randn([2]), { out: randn([2]) } as never)).toThrow(/'out' is not supported/);
      expect(vals(F.normalize(tensor([3, 4]), 2, 0))).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    });
  });
});

describe('padding layers', () => {
  it('an int pads every side; the tuple must have two entries per dim', () => {
    tidy(() => {
      expect(new nn.ZeroPad2d(1).padding).toEqual([1, 1, 1, 1]);
      expect(new nn.ZeroPad2d({ padding: 2 })).toBeInstanceOf(nn.ConstantPad2d); // as in PyTorch
      expect(() => build(nn.ZeroPad1d, 1, 0)).toThrow(/ZeroPad1d: takes at most 1 positional argument/);
      expect(new nn.ConstantPad3d(1, 2).forward(zeros(1, 1, 1)).shape).toEqual([3, 3, 3]);
      expect(() => new nn.ReflectionPad2d([1, 2])).toThrow(
        /ReflectionPad2d: padding must be an integer or 4 integers/,
      );
      expect(() => build(nn.ConstantPad1d, 2)).toThrow(/ConstantPad1d: missing required argument 'value'/);
      expect(new nn.ConstantPad1d({ padding: 1, value: 3 }).value).toBe(3);
    });
  });

  it('reflect and replicate take (un)batched input of their rank only, as PyTorch', () => {
    tidy(() => {
      expect(() => new nn.ReflectionPad1d(1).forward(randn([3]))).toThrow(
        /ReflectionPad1d: expected 2D or 3D \(batch mode\) input/,
      );
      expect(() => new nn.ReplicationPad2d(1).forward(randn([2, 3, 4, 5, 6]))).toThrow(/expected 3D or 4D/);
      expect(() => new nn.ReflectionPad1d(3).forward(randn([2, 3]))).toThrow(
        /reflect padding \[3, 3\] must be smaller than the size 3/,
      );
      expect(() => new nn.ZeroPad2d(1).forward(randn([3]))).toThrow(
        /ZeroPad2d: padding \(1, 1, 1, 1\) covers 2 dims but input \[3\] has 1/,
      );
      expect(new nn.ConstantPad1d(1, 0).forward(randn([2, 3, 4, 5])).shape).toEqual([2, 3, 4, 7]);
      expect(vals(new nn.ReplicationPad1d([-1, 2]).forward(tensor([[1, 2, 3]])))).toEqual([2, 3, 3, 3]);
    });
  });
});

describe('Unfold and Fold', () => {
  it('fold(unfold(x)) is x times the number of blocks covering each pixel', () => {
    tidy(() => {
      const x = randn([2, 3, 5, 6]);
      const cols = F.unfold(x, 3, 1, 1, 1);
      expect(cols.shape).toEqual([2, 27, 30]);
      const back = F.fold(cols, [5, 6], 3, 1, 1, 1);
      const count = F.fold(F.unfold(ones([1, 1, 5, 6]), 3, 1, 1, 1), [5, 6], 3, 1, 1, 1);
      const diff = back.sub(x.mul(count)).abs().max().item();
      expect(diff).toBeLessThan(1e-5);
    });
  });

  it("PyTorch's errors", () => {
    tidy(() => {
      expect(() => F.unfold(randn([4, 5]), 2)).toThrow(/expected 3D \[C, H, W\] or 4D \(batch mode\)/);
      expect(() => F.unfold(randn([1, 3, 4, 4]), 7)).toThrow(/its components must be at least one/);
      expect(() => F.fold(randn([1, 12, 19]), [5, 6], 2)).toThrow(
        /calculated number of sliding blocks 4 \* 5 = 20, but got input.size\(2\)=19/,
      );
      expect(() => F.fold(randn([1, 13, 20]), [5, 6], 2)).toThrow(
        /divisible by the product of kernelSize, but got input.size\(1\)=13/,
      );
      expect(() => build(nn.Unfold, { kernel_size: 2 })).toThrow(/did you mean 'kernelSize'/);
      expect(new nn.Fold([4, 5], 2, { stride: 1 }).toString()).toBe(
        'Fold(output_size=(4, 5), kernel_size=2, dilation=1, padding=0, stride=1)',
      );
    });
  });
});

describe('memory', () => {
  it('training steps through the new layers leak nothing', () => {
    manualSeed(1);
    const model = new nn.Sequential(
      new nn.Conv2d(2, 8, 3, { padding: 1 }),
      new nn.GroupNorm(2, 8),
      new nn.PReLU(8),
      new nn.Dropout2d(0.2),
      new nn.PixelShuffle(2),
      new nn.InstanceNorm2d(2, { affine: true, trackRunningStats: true }),
      new nn.Hardswish(),
      new nn.ReflectionPad2d(1),
      new nn.LocalResponseNorm(2),
    );
    const x = randn([2, 2, 4, 4]);
    const step = () =>
      tidy(() => {
        model.zeroGrad();
        model.forward(x).square().mean().backward();
      });
    step();
    expect(model.parameters().every((p) => p.grad !== null)).toBe(true);
    const before = memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(memory().numTensors).toBe(before);
  });
});
