import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
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

const f64 = { dtype: 'float64' as const };

describe('TransformerDecoderLayer, TransformerDecoder, Transformer', () => {
  it('TransformerDecoderLayer: gradcheck over tgt and memory (float64, masks)', () => {
    manualSeed(4);
    const layer = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, dtype: 'float64' });
    layer.eval();
    const before = memory().numTensors;
    tidy(() => {
      const tgt = randn([3, 1, 4], f64).requiresGrad_(true);
      const mem = randn([2, 1, 4], f64).requiresGrad_(true);
      const mask = nn.Transformer.generateSquareSubsequentMask(3, { dtype: 'float64' });
      const fn = (t: Tensor, m: Tensor) => layer.forward(t, m, mask);
      expect(gradcheck(fn, [tgt, mem])).toBe(true);
      layer.zeroGrad();
    });
    expect(memory().numTensors).toBe(before);
  });

  it('TransformerDecoderLayer: gradgradcheck (gelu, pre-norm)', () => {
    manualSeed(4);
    const layer = new nn.TransformerDecoderLayer(4, 2, {
      dimFeedforward: 6,
      dropout: 0,
      activation: 'gelu',
      normFirst: true,
      dtype: 'float64',
    });
    const before = memory().numTensors;
    tidy(() => {
      const tgt = randn([2, 1, 4], f64).requiresGrad_(true);
      const mem = randn([2, 1, 4], f64).requiresGrad_(true);
      expect(gradgradcheck((t: Tensor, m: Tensor) => layer.forward(t, m), [tgt, mem])).toBe(true);
      layer.zeroGrad();
    });
    expect(memory().numTensors).toBe(before);
  });

  it('Transformer: gradcheck over src and tgt (float64)', () => {
    manualSeed(5);
    const model = new nn.Transformer({
      dModel: 4,
      nhead: 2,
      numEncoderLayers: 1,
      numDecoderLayers: 1,
      dimFeedforward: 6,
      dropout: 0,
      batchFirst: true,
      dtype: 'float64',
    });
    const before = memory().numTensors;
    tidy(() => {
      const src = randn([1, 3, 4], f64).requiresGrad_(true);
      const tgt = randn([1, 2, 4], f64).requiresGrad_(true);
      expect(gradcheck((s: Tensor, t: Tensor) => model.forward(s, t), [src, tgt])).toBe(true);
      model.zeroGrad();
    });
    expect(memory().numTensors).toBe(before);
  });

  it("takes the masks positionally in PyTorch's order or by name; a bool mask equals its float form", () => {
    manualSeed(6);
    tidy(() => {
      const layer = new nn.TransformerDecoderLayer(4, 2, 8, 0);
      const tgt = randn([3, 2, 4]);
      const mem = randn([5, 2, 4]);
      const causal = nn.Transformer.generateSquareSubsequentMask(3);
      const boolCausal = tensor([
        [false, true, true],
        [false, false, true],
        [false, false, false],
      ]);
      const pad = tensor([
        [false, false, false, true, true],
        [false, false, false, false, false],
      ]);
      const a = layer.forward(tgt, mem, causal, null, null, pad).dataSync();
      const b = layer.forward(tgt, mem, { tgtMask: boolCausal, memoryKeyPaddingMask: pad }).dataSync();
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-6);
      // The encoder forwards take positional masks too (PyTorch's `encoder(src, mask)`).
      const enc = new nn.TransformerEncoderLayer(4, 2, 8, 0);
      const x = randn([3, 2, 4]);
      const e1 = enc.forward(x, causal).dataSync();
      const e2 = enc.forward(x, { srcMask: causal }).dataSync();
      expect([...e1]).toEqual([...e2]);
      expect([...enc.forward(x).dataSync()]).not.toEqual([...e1]);
      expect(() => layer.forward(tgt, mem, { tgtIsCausal: true } as never)).toThrow(
        /TransformerDecoderLayer.forward: unknown option 'tgtIsCausal'/,
      );
    });
  });

  it("Transformer: PyTorch's structure and state-dict keys, xavier-initialised weights, shape checks", () => {
    manualSeed(7);
    const model = new nn.Transformer(8, 2, 2, 1, 16);
    const keys = Object.keys(model.stateDict());
    expect(keys).toContain('encoder.layers.1.self_attn.in_proj_weight');
    expect(keys).toContain('encoder.norm.weight');
    expect(keys).toContain('decoder.layers.0.multihead_attn.out_proj.bias');
    expect(keys).toContain('decoder.norm.bias');
    expect(keys.filter((k) => k.startsWith('decoder.layers.1'))).toEqual([]);
    // xavier_uniform bound of linear1 [16, 8]: sqrt(6 / 24) = 0.5
    const w = (model.encoder as nn.TransformerEncoder).layers.get(0) as nn.TransformerEncoderLayer;
    expect(Math.max(...[...w.linear1.weight.dataSync()].map(Math.abs))).toBeLessThanOrEqual(0.5);
    tidy(() => {
      expect(() => model.forward(randn([4, 2, 8]), randn([3, 3, 8]))).toThrow(
        /Transformer: the batch number of src and tgt must be equal/,
      );
      expect(() => model.forward(randn([4, 2, 8]), randn([3, 2, 6]))).toThrow(
        /Transformer: the feature number of src and tgt must be equal to d_model 8/,
      );
      expect(model.forward(randn([4, 2, 8]), randn([3, 2, 8])).shape).toEqual([3, 2, 8]);
      expect(model.forward(randn([4, 8]), randn([3, 8])).shape).toEqual([3, 8]);
    });
  });

  it('TransformerDecoder holds independent copies drawing no randomness', () => {
    manualSeed(8);
    const layer = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 8 });
    const next = randn([3]).dataSync();
    manualSeed(8);
    const layer2 = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 8 });
    const dec = new nn.TransformerDecoder(layer2, 2, new nn.LayerNorm(4));
    expect([...randn([3]).dataSync()]).toEqual([...next]);
    const l0 = dec.layers.get(0) as nn.TransformerDecoderLayer;
    const l1 = dec.layers.get(1) as nn.TransformerDecoderLayer;
    expect(l0.linear1.weight).not.toBe(l1.linear1.weight);
    expect([...l1.multihead_attn.in_proj_weight!.dataSync()]).toEqual([
      ...layer.multihead_attn.in_proj_weight!.dataSync(),
    ]);
    expect(dec.parameters().length).toBe(2 * layer.parameters().length + 2);
  });
});
