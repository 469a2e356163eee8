// PyTorch's positional calls of the nn layers compute what PyTorch computes (contract v2,
// Signatures): each of these once dropped or misread an argument without a word.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { nn, ones, randn, tensor, tidy, zeros } from '../../index.js';

/** `new cls(...args)` with arguments the types refuse (what a JS caller may pass). */
const build = <C extends new (...a: never) => unknown>(cls: C, ...args: unknown[]): InstanceType<C> =>
  Reflect.construct(cls, args) as InstanceType<C>;

describe('activations take PyTorch positionals', () => {
  it('LeakyReLU(0.2), ELU(0.5), GELU("tanh"), Softplus(2, 10), Softmax(0), LogSoftmax(0)', () => {
    tidy(() => {
      expect(new nn.LeakyReLU(0.2).negativeSlope).toBe(0.2);
      expect([...new nn.LeakyReLU(0.2).forward(tensor([-1, 2])).dataSync()]).toEqual([Math.fround(-0.2), 2]);
      expect(new nn.LeakyReLU({ negativeSlope: 0.3 }).negativeSlope).toBe(0.3);
      expect(new nn.ELU(0.5).alpha).toBe(0.5);
      expect(new nn.GELU('tanh').approximate).toBe('tanh');
      expect(new nn.GELU({ approximate: 'tanh' }).approximate).toBe('tanh');
      const sp = new nn.Softplus(2, 10);
      expect([sp.beta, sp.threshold]).toEqual([2, 10]);
      expect(new nn.Softmax(0).dim).toBe(0);
      // dim=None as PyTorch: its implicit dim (1 for 4-D input, 0 for 3-D), not the last one
      expect(new nn.Softmax().dim).toBeNull();
      const x4 = randn([2, 3, 4, 5]);
      expect(new nn.Softmax().forward(x4).sum(1).mean().item()).toBeCloseTo(1, 5);
      expect(
        new nn.LogSoftmax()
          .forward(randn([3, 4, 5]))
          .exp()
          .sum(0)
          .mean()
          .item(),
      ).toBeCloseTo(1, 5);
      expect(new nn.Softmax(null).dim).toBeNull();
      expect(new nn.LogSoftmax(0).dim).toBe(0);
      const sm = new nn.Softmax(0).forward(ones([2, 3]));
      expect([...sm.dataSync()]).toEqual(new Array(6).fill(0.5));
    });
  });

  it('inplace is accepted as false and refused as true where not implemented (ReLU/LeakyReLU do it)', () => {
    for (const cls of [nn.SiLU, nn.Mish]) {
      expect(() => new cls(false)).not.toThrow();
      expect(() => new cls({ inplace: false })).not.toThrow();
      expect(() => build(cls, true)).toThrow(/inplace must be false \(inplace=true is not supported/);
    }
    expect(() => build(nn.ELU, { inplace: true })).toThrow(/ELU: inplace must be false/);
    expect(() => build(nn.Dropout, 0.1, true)).toThrow(/Dropout: inplace must be false/);
  });

  it('refuses unknown options, wrong types and extra positionals', () => {
    expect(() => build(nn.LeakyReLU, { negative_slope: 0.2 })).toThrow(
      "LeakyReLU: unknown option 'negative_slope' (did you mean 'negativeSlope'?); accepted: negativeSlope, inplace",
    );
    expect(() => build(nn.ReLU, { inPlace: false })).toThrow(/ReLU: unknown option 'inPlace'/);
    expect(() => build(nn.Sigmoid, 1)).toThrow(/Sigmoid: takes at most 0 positional arguments/);
    expect(() => build(nn.Tanh, { x: 1 })).toThrow(/Tanh: unknown option 'x'/);
    expect(() => build(nn.GELU, 'erf')).toThrow(/GELU: approximate must be one of "none", "tanh"/);
    expect(() => build(nn.Softmax, { dims: 1 })).toThrow(/did you mean 'dim'/);
    expect(() => build(nn.LogSoftmax, 1.5)).toThrow(/LogSoftmax: dim must be an integer/);
    expect(() => build(nn.Softplus, { betta: 1 })).toThrow(/did you mean 'beta'/);
    expect(() => build(nn.ELU, { alfa: 1 })).toThrow(/did you mean 'alpha'/);
    expect(() => build(nn.SiLU, { foo: 1 })).toThrow(/SiLU: unknown option 'foo'/);
    expect(() => build(nn.Mish, { foo: 1 })).toThrow(/Mish: unknown option 'foo'/);
  });
});

describe('Dropout, Flatten, Unflatten, Identity', () => {
  it('Dropout(0.2) and Dropout({ p: 0.2 })', () => {
    expect(new nn.Dropout(0.2).p).toBe(0.2);
    expect(new nn.Dropout({ p: 0.3 }).p).toBe(0.3);
    expect(new nn.Dropout().p).toBe(0.5);
    expect(() => build(nn.Dropout, { prob: 0.1 })).toThrow(/Dropout: unknown option 'prob'/);
  });

  it('Flatten(0, 1) and Unflatten by name', () => {
    tidy(() => {
      expect(new nn.Flatten(0, 1).forward(zeros(2, 3, 4)).shape).toEqual([6, 4]);
      expect(new nn.Flatten({ endDim: 1 }).forward(zeros(2, 3, 4, 5)).shape).toEqual([2, 3, 4, 5]);
      expect(new nn.Unflatten(1, [2, 2]).forward(zeros(3, 4)).shape).toEqual([3, 2, 2]);
      const u = build(nn.Unflatten, { dim: 1, unflattenedSize: [1, 4] });
      expect(u.forward(zeros(3, 4)).shape).toEqual([3, 1, 4]);
      expect(() => build(nn.Flatten, { start_dim: 0 })).toThrow(/did you mean 'startDim'/);
      expect(() => build(nn.Unflatten, 1, [2, 2], { sizes: 1 })).toThrow(/Unflatten: unknown option 'sizes'/);
      expect(() => build(nn.Unflatten, 1)).toThrow(/Unflatten: missing required argument 'unflattenedSize'/);
      expect(() => build(nn.Unflatten, 1, [2.5])).toThrow(/unflattenedSize must be an array of integers/);
    });
  });

  it('Identity ignores its arguments, as PyTorch does', () => {
    expect(build(nn.Identity, 54, { unused: 1 }).forward(3)).toBe(3);
  });
});

describe('normalisation layers', () => {
  it('BatchNorm2d(4, 1e-3) has eps 1e-3; BatchNorm1d(4, 1e-3, 0.2, false, false)', () => {
    tidy(() => {
      expect(new nn.BatchNorm2d(4, 1e-3).eps).toBe(1e-3);
      const bn = new nn.BatchNorm1d(4, 1e-3, 0.2, false, false);
      expect([bn.eps, bn.momentum, bn.affine, bn.trackRunningStats]).toEqual([1e-3, 0.2, false, false]);
      expect(bn.parameters()).toEqual([]);
      expect(new nn.BatchNorm1d(4, 1e-5, null).momentum).toBeNull();
      expect(new nn.BatchNorm2d(4, { momentum: 0.01 }).momentum).toBe(0.01);
      expect(build(nn.BatchNorm2d, { numFeatures: 3 }).numFeatures).toBe(3);
      expect(new nn.BatchNorm2d(2, 1e-5, 0.1, true, true, 'cpu', 'float64').weight!.dtype).toBe('float64');
      expect(() => build(nn.BatchNorm2d, 4, { epsilon: 1e-3 })).toThrow(
        "BatchNorm2d: unknown option 'epsilon'; accepted: numFeatures, eps, momentum, affine, trackRunningStats, device, dtype",
      );
      expect(() => build(nn.BatchNorm1d, 4, { track_running_stats: false })).toThrow(
        /did you mean 'trackRunningStats'/,
      );
    });
  });

  it('LayerNorm(8, 1e-3, false) has eps 1e-3 and no affine parameters', () => {
    tidy(() => {
      const ln = new nn.LayerNorm(8, 1e-3, false);
      expect([ln.eps, ln.elementwiseAffine, ln.parameters().length]).toEqual([1e-3, false, 0]);
      expect(new nn.LayerNorm([2, 4], { eps: 1e-6 }).eps).toBe(1e-6);
      // bias: PyTorch >= 2.1's, by name (our extension beside 1.13's signature)
      expect(build(nn.LayerNorm, 8, { bias: false }).bias).toBeNull();
      expect(() => build(nn.LayerNorm, 8, { elementwise_affine: false })).toThrow(
        /did you mean 'elementwiseAffine'/,
      );
    });
  });
});

describe('Embedding', () => {
  it('Embedding(10, 3, 0) pads row 0; Embedding(10, 3, null, null, 2, false, false, w) uses w', () => {
    tidy(() => {
      const e = new nn.Embedding(10, 3, 0);
      expect(e.paddingIdx).toBe(0);
      expect([...e.weight.dataSync().slice(0, 3)]).toEqual([0, 0, 0]);
      const w = ones([4, 2]);
      const e2 = new nn.Embedding(4, 2, null, null, 2, false, false, w);
      expect([...e2.forward(tensor([1, 3], { dtype: 'int32' })).dataSync()]).toEqual([1, 1, 1, 1]);
      expect(() => new nn.Embedding(5, 2, { _weight: ones([4, 2]) })).toThrow(/Shape of weight/);
    });
  });

  it('refuses maxNorm, scaleGradByFreq, sparse and unknown options', () => {
    expect(() => build(nn.Embedding, 10, 3, null, 1.0)).toThrow(
      /Embedding: maxNorm must be null \(maxNorm \(renormalising/,
    );
    expect(() => build(nn.Embedding, 10, 3, { sparse: true })).toThrow(/sparse must be false/);
    expect(() => build(nn.Embedding, 10, 3, { scaleGradByFreq: true })).toThrow(
      /scaleGradByFreq must be false/,
    );
    expect(() => build(nn.Embedding, 10, 3, { padding_idx: 0 })).toThrow(/did you mean 'paddingIdx'/);
  });
});

describe('Upsample', () => {
  it('Upsample(null, 2, "bilinear", false) and Upsample([4, 4])', () => {
    tidy(() => {
      const up = new nn.Upsample(null, 2, 'bilinear', false);
      expect([up.scaleFactor, up.mode, up.alignCorners]).toEqual([2, 'bilinear', false]);
      expect(up.forward(zeros(1, 1, 2, 3)).shape).toEqual([1, 1, 4, 6]);
      expect(new nn.Upsample([4, 4]).forward(zeros(1, 1, 2, 2)).shape).toEqual([1, 1, 4, 4]);
      expect(new nn.Upsample({ scaleFactor: 2, recomputeScaleFactor: false }).scaleFactor).toBe(2);
      expect(() => build(nn.Upsample, { scaleFactor: 2, recomputeScaleFactor: true })).toThrow(
        /recomputeScaleFactor must be null or false/,
      );
      expect(() => build(nn.Upsample, { scale_factor: 2 })).toThrow(/did you mean 'scaleFactor'/);
      expect(() => build(nn.Upsample, null, 2, 'cubic')).toThrow(/Upsample: mode must be one of/);
    });
  });
});

describe('attention and transformer', () => {
  it('MultiheadAttention(16, 4, 0.1) has dropout 0.1; bias, kdim, vdim, batchFirst positionally', () => {
    tidy(() => {
      expect(new nn.MultiheadAttention(16, 4, 0.1).dropout).toBe(0.1);
      const m = new nn.MultiheadAttention(16, 4, 0, false, false, false, 8, 6, true);
      expect([m.kdim, m.vdim, m.batchFirst, m.in_proj_bias]).toEqual([8, 6, true, null]);
      expect(m.k_proj_weight!.shape).toEqual([16, 8]);
      expect(() => build(nn.MultiheadAttention, 16, 4, { addBiasKv: true })).toThrow(
        /addBiasKv must be false/,
      );
      expect(() => build(nn.MultiheadAttention, 16, 4, { batch_first: true })).toThrow(
        /MultiheadAttention: unknown option 'batch_first' \(did you mean 'batchFirst'\?\)/,
      );
      expect(new nn.NonDynamicallyQuantizableLinear(3, 2, false).bias).toBeNull();
      expect(() => build(nn.NonDynamicallyQuantizableLinear, 3, 2, { bais: false })).toThrow(
        /NonDynamicallyQuantizableLinear: unknown option 'bais'/,
      );
    });
  });

  it('TransformerEncoderLayer(8, 2, 16, 0.2, "gelu", 1e-3, true, true) keeps every argument', () => {
    tidy(() => {
      const l = new nn.TransformerEncoderLayer(8, 2, 16, 0.2, 'gelu', 1e-3, true, true);
      expect(l.linear1.outFeatures).toBe(16);
      expect(l.dropout.p).toBe(0.2);
      expect(l.self_attn.dropout).toBe(0.2);
      expect(l.norm1.eps).toBe(1e-3);
      expect(l.self_attn.batchFirst).toBe(true);
      expect(l.normFirst).toBe(true);
      // the stack's copies keep them too
      const enc = new nn.TransformerEncoder(l, 2, new nn.LayerNorm(8));
      const c = enc.layers.get(1) as nn.TransformerEncoderLayer;
      expect([c.linear1.outFeatures, c.norm1.eps, c.normFirst]).toEqual([16, 1e-3, true]);
      expect(enc.norm).toBeInstanceOf(nn.LayerNorm);
      expect(enc.forward(zeros(1, 3, 8)).shape).toEqual([1, 3, 8]);
      expect(new nn.TransformerEncoder(l, 1, null, false, false).norm).toBeNull();
      expect(() => build(nn.TransformerEncoderLayer, 8, 2, { dim_feedforward: 4 })).toThrow(
        /did you mean 'dimFeedforward'/,
      );
      expect(() => build(nn.TransformerEncoderLayer, 8, 2, 16, 0.1, 'tanh')).toThrow(
        /TransformerEncoderLayer: activation must be/,
      );
      expect(() => build(nn.TransformerEncoder, l, 2, { norms: null })).toThrow(
        /TransformerEncoder: unknown option 'norms'/,
      );
      expect(() => build(nn.TransformerEncoder, l, 2, 'ln')).toThrow(/norm must be an nn.Module or null/);
    });
  });
});
