import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, nn, randn, tensor, tidy } from '../../index.js';
import { runSequenceCase, sequenceCases } from '../sequence-fixture.js';

describe('TransformerEncoderLayer and TransformerEncoder match PyTorch (fixtures/nn-sequence.json)', () => {
  for (const c of sequenceCases('transformerEncoder')) it(c.name, () => runSequenceCase(c));
});

describe('TransformerEncoder', () => {
  it('holds independent copies of the layer with equal values, drawing no randomness', () => {
    manualSeed(7);
    const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
    const next = randn([3]).dataSync();
    manualSeed(7);
    const layer2 = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
    const enc = new nn.TransformerEncoder(layer2, 2);
    expect([...randn([3]).dataSync()]).toEqual([...next]);
    const sd = enc.stateDict();
    expect(Object.keys(sd)).toContain('layers.1.self_attn.out_proj.weight');
    expect([...sd['layers.0.linear1.weight'].dataSync()]).toEqual([...layer.linear1.weight.dataSync()]);
    expect(sd['layers.0.linear1.weight']).not.toBe(sd['layers.1.linear1.weight']);
    const l0 = enc.layers.get(0) as nn.TransformerEncoderLayer;
    const l1 = enc.layers.get(1) as nn.TransformerEncoderLayer;
    expect(l0.linear1.weight).not.toBe(l1.linear1.weight);
    expect(enc.parameters().length).toBe(2 * layer.parameters().length);
  });

  it('runs batch-first with isCausal and dropout in training without leaking', () => {
    manualSeed(8);
    const enc = new nn.TransformerEncoder(
      new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, normFirst: true }),
      2,
      { norm: new nn.LayerNorm(8) },
    );
    const before = memory().numTensors;
    tidy(() => {
      const x = randn([2, 5, 8]).requiresGrad_(true);
      const y = enc.forward(x, { isCausal: true });
      expect(y.shape).toEqual([2, 5, 8]);
      y.sum().backward();
      expect(x.grad!.shape).toEqual([2, 5, 8]);
      // causal: the first position does not depend on later ones
      enc.eval();
      const a = enc.forward(x, { isCausal: true }).narrow(1, 0, 1).dataSync();
      const x2 = x.detach().mul(tensor([1, 1, 1, 1, 0]).reshape([1, 5, 1]));
      const b = enc.forward(x2, { isCausal: true }).narrow(1, 0, 1).dataSync();
      expect([...a]).toEqual([...b]);
      enc.train();
      enc.zeroGrad();
    });
    expect(memory().numTensors).toBe(before);
  });
});
