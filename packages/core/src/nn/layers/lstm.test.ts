import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, nn, randn, type Tensor, tensor, tidy } from '../../index.js';
import { gradchecks } from '../../testing/index.js';
import { runSequenceCase, sequenceCases } from '../sequence-fixture.js';

const f64 = { dtype: 'float64' as const };

describe('LSTM matches PyTorch (fixtures/nn-sequence.json)', () => {
  for (const c of sequenceCases('lstm/')) it(c.name, () => runSequenceCase(c));
});

describe('LSTM', () => {
  it('passes gradcheck over a step sequence (input, h0, c0 and weights)', () => {
    manualSeed(2);
    const lstm = new nn.LSTM(2, 2, { dtype: 'float64' });
    const before = memory().numTensors;
    tidy(() => {
      const x = randn([3, 1, 2], f64).requiresGrad_(true);
      const h0 = randn([1, 1, 2], f64).requiresGrad_(true);
      const c0 = randn([1, 1, 2], f64).requiresGrad_(true);
      const fn = (a: Tensor, h: Tensor, c: Tensor) => {
        const [out, [hN, cN]] = lstm.forward(a, [h, c]);
        return [out, hN, cN];
      };
      expect(gradchecks(fn, [x, h0, c0, ...lstm.parameters()])).toBe(true);
    });
    expect(memory().numTensors).toBe(before);
  });

  it('uses gate order i, f, g, o with PyTorch shapes', () => {
    tidy(() => {
      const lstm = new nn.LSTM(1, 1, { bias: false });
      const p = Object.fromEntries(lstm.namedParameters());
      expect(p.weight_ih_l0.shape).toEqual([4, 1]);
      // Only the cell candidate g sees x; i, f, o stay at σ(0) = 0.5: c = 0.5·tanh(x), h = 0.5·tanh(c).
      p.weight_ih_l0.detach().copy_(tensor([[0], [0], [1], [0]]));
      p.weight_hh_l0.detach().zero_();
      const [, [h, c]] = lstm.forward(tensor([[[2]]]));
      expect(c.item()).toBeCloseTo(0.5 * Math.tanh(2), 6);
      expect(h.item()).toBeCloseTo(0.5 * Math.tanh(0.5 * Math.tanh(2)), 6);
    });
  });

  it('rejects a state that is not a pair', () => {
    const lstm = new nn.LSTM(2, 3);
    expect(() => lstm.forward(randn([2, 1, 2]), randn([1, 1, 3]) as unknown as [Tensor, Tensor])).toThrow(
      /pair \[h0, c0\]/,
    );
  });
});
