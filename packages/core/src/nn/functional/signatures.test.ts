import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { nn, ones, randn, tensor } from '../../index.js';

const F = nn.functional;
const vals = (t: { dataSync(): ArrayLike<number> }) => Array.from(t.dataSync());

describe("nn.functional binds PyTorch's positional arguments (calls once silently mis-bound)", () => {
  const x = randn([1, 2, 8, 8]);
  const w = randn([3, 2, 3, 3]);

  it('convolutions', () => {
    expect(F.conv2d(x, w, null, 2, 1).shape).toEqual([1, 3, 4, 4]);
    expect(F.conv2d(x, w, null, 1, 'same', 1, 1).shape).toEqual([1, 3, 8, 8]);
    expect(F.conv1d(randn([1, 2, 8]), randn([3, 2, 3]), null, 2, 1).shape).toEqual([1, 3, 4]);
    expect(F.convTranspose2d(randn([1, 3, 4, 4]), randn([3, 2, 3, 3]), null, 2, 1, 1).shape).toEqual([
      1, 2, 8, 8,
    ]);
    // The options-object form still works.
    expect(F.conv2d(x, w, null, { stride: 2, padding: 1 }).shape).toEqual([1, 3, 4, 4]);
  });

  it('pooling', () => {
    expect(F.maxPool2d(x, 3, 2).shape).toEqual([1, 2, 3, 3]);
    expect(F.maxPool2d(x, 3, 2, 1, 1, true).shape).toEqual([1, 2, 5, 5]);
    expect(F.avgPool2d(x, 3, 2, 1).shape).toEqual([1, 2, 4, 4]);
    expect(F.maxPool2dWithIndices(x, 2, 2)[1].shape).toEqual([1, 2, 4, 4]);
    expect(F.adaptiveAvgPool2d(x, { outputSize: 2 }).shape).toEqual([1, 2, 2, 2]);
  });

  it('interpolate, pad, dropout, embedding, norms, linear', () => {
    expect(F.interpolate(x, null, 2, 'bilinear', false).shape).toEqual([1, 2, 16, 16]);
    expect(F.interpolate(x, [4, 4]).shape).toEqual([1, 2, 4, 4]);
    expect(vals(F.pad(tensor([1, 2, 3]), [1, 1], 'constant', 5))).toEqual([5, 1, 2, 3, 5]);
    const d = ones([100]);
    expect(F.dropout(d, 0.5, false)).toBe(d); // training=false, 3rd positional as in PyTorch
    const emb = F.embedding(tensor([0, 1], { dtype: 'int32' }), randn([3, 4]), 1);
    expect(emb.shape).toEqual([2, 4]);
    const bn = F.batchNorm(randn([4, 3]), null, null, null, null, true);
    expect(bn.shape).toEqual([4, 3]);
    expect(F.layerNorm(randn([2, 4]), [4], null, null, 1e-3).shape).toEqual([2, 4]);
    expect(F.linear(randn([2, 3]), randn([4, 3]), randn([4])).shape).toEqual([2, 4]);
  });

  it('activations', () => {
    const v = tensor([-2, 1]);
    expect(vals(F.leakyRelu(v, 0.2))[0]).toBeCloseTo(-0.4, 6);
    expect(vals(F.elu(v, 2))[0]).toBeCloseTo(2 * Math.expm1(-2), 6);
    expect(vals(F.softplus(v, 2, 1))[1]).toBeCloseTo(1, 6); // beta·x > threshold: linear
    expect(vals(F.softmax(v, 0)).reduce((a, b) => a + b)).toBeCloseTo(1, 6);
    // gelu's approximate is keyword-only in PyTorch: a positional one is an error, not exact gelu.
    expect(() => F.gelu(v, 'tanh' as never)).toThrow(/gelu: takes at most 1 positional argument/);
    const t = 1;
    const tanhGelu = 0.5 * t * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (t + 0.044715 * t ** 3)));
    expect(vals(F.gelu(v, { approximate: 'tanh' }))[1]).toBeCloseTo(tanhGelu, 6);
  });
});

describe('nn.functional refuses unknown options and unsupported PyTorch parameters', () => {
  const x = randn([1, 2, 8, 8]);
  it('unknown, duplicate and wrongly typed arguments', () => {
    expect(() => F.conv2d(x, randn([3, 2, 3, 3]), null, { strides: 2 } as never)).toThrow(
      "conv2d: unknown option 'strides' (did you mean 'stride'?)",
    );
    expect(() => F.maxPool2d(x, 2, 2, { stride: 2 })).toThrow("maxPool2d: got multiple values for 'stride'");
    expect(() => F.conv2d(x, randn([3, 2, 3, 3]), 1 as never)).toThrow(
      'conv2d: bias must be a Tensor or null',
    );
    expect(() => F.leakyRelu(x, { slope: 0.1 } as never)).toThrow("leakyRelu: unknown option 'slope'");
    expect(() => F.softmax(x, { axis: 1 } as never)).toThrow("softmax: unknown option 'axis'");
    expect(() => F.interpolate(x, { scale: 2 } as never)).toThrow("interpolate: unknown option 'scale'");
  });
  it('unsupported parameters', () => {
    expect(() => F.dropout(x, 0.5, true, true as never)).toThrow(/in-place dropout is not supported/);
    expect(() => F.silu(x, true as never)).toThrow(/in-place activations are not supported/);
    expect(() => F.interpolate(x, { scaleFactor: 0.5, antialias: true } as never)).toThrow(/antialias/);
    expect(() =>
      F.embedding(tensor([0], { dtype: 'int32' }), randn([3, 4]), { maxNorm: 1 } as never),
    ).toThrow(/maxNorm/);
    expect(() => F.softmax(x, 1, { dtype: 'float64' } as never)).toThrow("'dtype' is not supported");
  });
});
