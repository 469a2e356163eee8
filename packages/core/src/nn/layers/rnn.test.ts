import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, nn, randn, tidy } from '../../index.js';
import { gradchecks } from '../../testing/index.js';
import { runSequenceCase, sequenceCases } from '../sequence-fixture.js';

const f64 = { dtype: 'float64' as const };

describe('RNN matches PyTorch (fixtures/nn-sequence.json)', () => {
  for (const c of sequenceCases('rnn/')) it(c.name, () => runSequenceCase(c));
});

describe('RNN', () => {
  it('passes gradcheck over a step sequence (input, h0 and weights)', () => {
    manualSeed(1);
    const rnn = new nn.RNN(2, 2, { numLayers: 2, bidirectional: true, dtype: 'float64' });
    // Check the first layer's reverse direction and the second layer's forward one.
    const named = Object.fromEntries(rnn.namedParameters());
    rnn.requiresGrad_(false);
    const ws = ['weight_ih_l0_reverse', 'weight_hh_l0_reverse', 'bias_hh_l0_reverse', 'weight_hh_l1'].map(
      (k) => named[k].requiresGrad_(true),
    );
    const before = memory().numTensors;
    tidy(() => {
      const x = randn([3, 1, 2], f64).requiresGrad_(true);
      const h0 = randn([4, 1, 2], f64).requiresGrad_(true);
      const fn = (a: typeof x, b: typeof x) => {
        const [out, hN] = rnn.forward(a, b);
        return [out, hN];
      };
      expect(gradchecks(fn, [x, h0, ...ws])).toBe(true);
      rnn.zeroGrad();
    });
    expect(memory().numTensors).toBe(before);
  });

  it('registers PyTorch parameter names and shapes, initialised in ±1/√H', () => {
    manualSeed(0);
    const rnn = new nn.RNN(5, 4, { nonlinearity: 'relu', bidirectional: true });
    expect(rnn.namedParameters().map(([k, p]) => `${k}:${p.shape.join('x')}`)).toEqual([
      'weight_ih_l0:4x5',
      'weight_hh_l0:4x4',
      'bias_ih_l0:4',
      'bias_hh_l0:4',
      'weight_ih_l0_reverse:4x5',
      'weight_hh_l0_reverse:4x4',
      'bias_ih_l0_reverse:4',
      'bias_hh_l0_reverse:4',
    ]);
    for (const p of rnn.parameters())
      for (const v of p.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(0.5);
  });

  it('handles batchFirst and unbatched input like PyTorch', () => {
    tidy(() => {
      const rnn = new nn.RNN(3, 4, { batchFirst: true, numLayers: 2 });
      const x = randn([2, 5, 3]);
      const [out, h] = rnn.forward(x);
      expect(out.shape).toEqual([2, 5, 4]);
      expect(h.shape).toEqual([2, 2, 4]);
      // unbatched ignores batchFirst and equals the batch-of-one result
      const [u, uh] = rnn.forward(x.narrow(0, 0, 1).squeeze(0));
      expect(u.shape).toEqual([5, 4]);
      expect(uh.shape).toEqual([2, 4]);
      expect([...u.dataSync()]).toEqual([...out.narrow(0, 0, 1).squeeze(0).dataSync()]);
    });
  });

  it('applies seeded dropout between layers only in training', () => {
    tidy(() => {
      const rnn = new nn.RNN(3, 4, { numLayers: 2, dropout: 0.5 });
      const x = randn([4, 2, 3]);
      manualSeed(3);
      const a = rnn.forward(x)[0].dataSync();
      manualSeed(3);
      const b = rnn.forward(x)[0].dataSync();
      manualSeed(4);
      const c = rnn.forward(x)[0].dataSync();
      expect([...a]).toEqual([...b]);
      expect([...a]).not.toEqual([...c]);
      rnn.eval();
      manualSeed(4);
      const e1 = rnn.forward(x)[0].dataSync();
      manualSeed(5);
      const e2 = rnn.forward(x)[0].dataSync();
      expect([...e1]).toEqual([...e2]);
    });
  });

  it('reports bad input sizes and state shapes', () => {
    const rnn = new nn.RNN(3, 4);
    expect(() => rnn.forward(randn([5, 2, 2]))).toThrow(/input_size. Expected 3, got 2/);
    expect(() => rnn.forward(randn([5, 2, 3]), randn([1, 3, 4]))).toThrow(
      /expected hx of shape \[1,2,4\], got \[1,3,4\]/,
    );
    expect(() => new nn.RNN(3, 4, { nonlinearity: 'sigmoid' as 'tanh' })).toThrow(
      /RNN: nonlinearity must be one of "tanh", "relu", got .sigmoid. \(a string\)/,
    );
  });
});
