import { manualSeed, nn, noGrad, optim, tensor } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../pytorch/expect-close.js';
import { formulaInit, PORT_FIXTURE } from '../../pytorch/formula.js';
import { generateSineWave } from './generate-sine-wave.js';
import { run, Sequence } from './main.js';

describe("PyTorch's time_sequence_prediction example, ported", () => {
  it("generates generate_sine_wave.py's data (NumPy's seeded shifts)", () => {
    const data = generateSineWave();
    expect(data.shape).toEqual([100, 1000]);
    expect(data.dtype).toBe('float64');
    // /usr/bin/python3: np.random.seed(2); x = np.array(range(L)) + np.random.randint(-80, 80, 100)
    // .reshape(100, 1); data = np.sin(x / 1.0 / 20): shifts -65, -8, …, -30; data[99, 500] below
    const row0 = data.index(0, ':3').toArray() as number[];
    const expected = [-65, -64, -63].map((x) => Math.sin(x / 20));
    for (const [i, v] of row0.entries()) expect(v).toBeCloseTo(expected[i], 12);
    expect(data.index(1, 999).item()).toBeCloseTo(Math.sin((999 - 8) / 20), 12);
    expect(data.index(99, 500).item()).toBeCloseTo(-0.9980820279793964, 12);
  });

  it("builds PyTorch's Sequence: two LSTMCells and a Linear, float64 after double()", () => {
    const seq = new Sequence().double();
    expect(Object.entries(seq.stateDict()).map(([k, v]) => `${k} [${v.shape.join(', ')}]`)).toEqual([
      'lstm1.weight_ih [204, 1]',
      'lstm1.weight_hh [204, 51]',
      'lstm1.bias_ih [204]',
      'lstm1.bias_hh [204]',
      'lstm2.weight_ih [204, 51]',
      'lstm2.weight_hh [204, 51]',
      'lstm2.bias_ih [204]',
      'lstm2.bias_hh [204]',
      'linear.weight [1, 51]',
      'linear.bias [1]',
    ]);
    const out = seq.forward(tensor([[0.1, 0.2, 0.3]], { dtype: 'float64' }), 2);
    expect(out.shape).toEqual([1, 5]);
    expect(out.dtype).toBe('float64');
  });

  it('fits the waves with one LBFGS step (closure) and predicts the held-out ones', async () => {
    const r = await run({ fast: true });
    expect(r.losses).toHaveLength(10); // max_iter closure evaluations
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0] / 3);
    expect(r.testLoss[0]).toBeLessThan(0.1);
  });

  it("computes what PyTorch's Sequence and LBFGS compute in float64: every closure loss of one step", () => {
    manualSeed(0);
    const fx = PORT_FIXTURE.time_sequence_prediction;
    const data = generateSineWave().index(':8', ':16');
    const input = data.index('3:', ':-1');
    const target = data.index('3:', '1:');
    const seq = new Sequence();
    seq.double();
    formulaInit(seq);
    const criterion = new nn.MSELoss();
    const optimizer = new optim.LBFGS(seq.parameters(), { lr: 0.8 });
    const losses: number[] = [];
    optimizer.step(() => {
      optimizer.zeroGrad();
      const loss = criterion.forward(seq.forward(input), target);
      losses.push(loss.item());
      loss.backward();
      return loss;
    });
    const [testLoss, future] = noGrad(() => {
      const pred = seq.forward(data.index(':3', ':-1'), 5);
      return [
        criterion.forward(pred.index(':', ':-5'), data.index(':3', '1:')).item(),
        pred.index(':', '-5:').toArray() as number[][],
      ];
    });
    // float64 on both sides: agreement to rounding, through 20 LBFGS iterations.
    expectClose(losses, fx.losses, 1e-9, 'closure losses');
    expectClose([testLoss], [fx.testLoss], 1e-9, 'test loss');
    expectClose(future.flat(), fx.future.flat(), 1e-9, 'predicted future');
  });
});
