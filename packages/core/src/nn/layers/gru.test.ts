import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, nn, randn, type Tensor, tidy } from '../../index.js';
import { gradchecks } from '../../testing/index.js';
import { runSequenceCase, sequenceCases } from '../sequence-fixture.js';

const f64 = { dtype: 'float64' as const };

describe('GRU matches PyTorch (fixtures/nn-sequence.json)', () => {
  for (const c of sequenceCases('gru/')) it(c.name, () => runSequenceCase(c));
});

describe('GRU', () => {
  it('passes gradcheck over a step sequence (input, h0 and weights)', () => {
    manualSeed(3);
    const gru = new nn.GRU(2, 2, { dtype: 'float64' });
    const before = memory().numTensors;
    tidy(() => {
      const x = randn([3, 1, 2], f64).requiresGrad_(true);
      const h0 = randn([1, 1, 2], f64).requiresGrad_(true);
      const fn = (a: Tensor, h: Tensor) => gru.forward(a, h);
      expect(gradchecks(fn, [x, h0, ...gru.parameters()])).toBe(true);
    });
    expect(memory().numTensors).toBe(before);
  });

  it('has [3H, ·] weights and returns PyTorch shapes (unbatched too)', () => {
    tidy(() => {
      const gru = new nn.GRU(3, 5, { numLayers: 3 });
      expect(gru.stateDict().weight_hh_l2.shape).toEqual([15, 5]);
      const [out, h] = gru.forward(randn([4, 3]));
      expect(out.shape).toEqual([4, 5]);
      expect(h.shape).toEqual([3, 5]);
      expect(() => gru.forward(randn([4, 3]), randn([3, 1, 5]))).toThrow(/expected hx of shape \[3,5\]/);
    });
  });

  it('refuses an empty sequence as PyTorch does (issue 11)', () => {
    tidy(() => {
      expect(() => new nn.GRU(2, 3).forward(randn([0, 2, 2]))).toThrow(
        /GRU: expected sequence length to be larger than 0 \(input \[0,2,2\]\)/,
      );
      expect(() => new nn.LSTM(2, 3, { batchFirst: true }).forward(randn([2, 0, 2]))).toThrow(
        /LSTM: expected sequence length to be larger than 0/,
      );
      expect(() => new nn.RNN(2, 3).forward(randn([0, 2]))).toThrow(/RNN: expected sequence length/);
    });
  });
});
