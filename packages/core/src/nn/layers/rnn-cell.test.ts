import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { gradcheck, gradgradcheck, manualSeed, memory, nn, randn, type Tensor, tidy } from '../../index.js';

const f64 = { dtype: 'float64' as const };

/** gradcheck of one cell step over the input, the state and every parameter (float64). */
function checkCell(
  name: string,
  make: () => nn.RNNCellBase,
  step: (m: nn.RNNCellBase, x: Tensor, h: Tensor) => Tensor[],
) {
  it(`${name}: gradcheck and gradgradcheck over input, state and weights`, () => {
    manualSeed(3);
    const cell = make();
    const before = memory().numTensors;
    tidy(() => {
      const x = randn([2, 3], f64).requiresGrad_(true);
      const h = randn([2, 2], f64).requiresGrad_(true);
      const ps = cell.parameters();
      const fn = (...a: Tensor[]) => step(cell, a[0], a[1]);
      expect(gradcheck(fn, [x, h, ...ps])).toBe(true);
      expect(gradgradcheck(fn, [x, h])).toBe(true);
      cell.zeroGrad();
    });
    expect(memory().numTensors).toBe(before);
  });
}

describe('RNNCell, LSTMCell, GRUCell', () => {
  checkCell(
    'RNNCell (tanh)',
    () => new nn.RNNCell(3, 2, { dtype: 'float64' }),
    (m, x, h) => [m.forward(x, h)],
  );
  checkCell(
    'RNNCell (relu, no bias)',
    () => new nn.RNNCell(3, 2, false, 'relu', { dtype: 'float64' }),
    (m, x, h) => [m.forward(x, h)],
  );
  checkCell(
    'LSTMCell',
    () => new nn.LSTMCell(3, 2, { dtype: 'float64' }),
    (m, x, h) => (m as nn.LSTMCell).forward(x, [h, h.mul(0.5)]),
  );
  checkCell(
    'GRUCell',
    () => new nn.GRUCell(3, 2, { dtype: 'float64' }),
    (m, x, h) => [m.forward(x, h)],
  );

  it("registers PyTorch's parameter names and shapes, initialised in ±1/√H", () => {
    manualSeed(0);
    const lstm = new nn.LSTMCell(5, 4);
    expect(lstm.namedParameters().map(([k, p]) => `${k}:${p.shape.join('x')}`)).toEqual([
      'weight_ih:16x5',
      'weight_hh:16x4',
      'bias_ih:16',
      'bias_hh:16',
    ]);
    for (const p of lstm.parameters())
      for (const v of p.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(0.5);
    const gru = new nn.GRUCell(5, 4, false);
    expect(gru.namedParameters().map(([k]) => k)).toEqual(['weight_ih', 'weight_hh']);
    expect([gru.bias_ih, gru.bias_hh]).toEqual([null, null]);
    expect(new nn.RNNCell(5, 4, { nonlinearity: 'relu' }).toString()).toBe(
      'RNNCell(5, 4, nonlinearity=relu)',
    );
  });

  it('steps a sequence like the RNN layer with the same weights', () => {
    manualSeed(1);
    tidy(() => {
      const gru = new nn.GRU(3, 4);
      const cell = new nn.GRUCell(3, 4);
      const sd = gru.stateDict();
      cell.loadStateDict({
        weight_ih: sd.weight_ih_l0,
        weight_hh: sd.weight_hh_l0,
        bias_ih: sd.bias_ih_l0,
        bias_hh: sd.bias_hh_l0,
      });
      const x = randn([5, 2, 3]);
      const [out] = gru.forward(x);
      let h: Tensor | null = null;
      for (const xt of x.unbind(0)) h = cell.forward(xt, h);
      const last = out.index(4);
      const d = h!.sub(last).abs().max().item();
      expect(d).toBeLessThan(1e-6);
    });
  });

  it('reports bad inputs and states like PyTorch', () => {
    tidy(() => {
      const cell = new nn.LSTMCell(3, 4);
      expect(() => cell.forward(randn([2, 2, 3]))).toThrow(
        'LSTMCell: Expected input to be 1-D or 2-D but received 3-D tensor',
      );
      expect(() => cell.forward(randn([2, 5]))).toThrow(
        'LSTMCell: input has inconsistent input_size: got 5 expected 3',
      );
      expect(() => cell.forward(randn([2, 3]), [randn([3, 4]), randn([3, 4])])).toThrow(
        "LSTMCell: Input batch size 2 doesn't match hx[0] batch size 3",
      );
      expect(() => new nn.RNNCell(3, 4).forward(randn([2, 3]), randn([2, 5]))).toThrow(
        'RNNCell: hx has inconsistent hidden_size: got 5, expected 4',
      );
      expect(() => new nn.RNNCell(3, 4, true, 'sigmoid' as never)).toThrow(
        /nonlinearity must be one of "tanh", "relu"/,
      );
    });
  });
});
