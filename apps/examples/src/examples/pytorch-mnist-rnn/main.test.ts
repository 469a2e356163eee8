import { nn, noGrad, optim, tensor, tidy } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../pytorch/expect-close.js';
import { formulaInit, PORT_FIXTURE, sums, waveTensor } from '../../pytorch/formula.js';
import { Net, run } from './main.js';

const F = nn.functional;

describe("PyTorch's mnist_rnn example, ported", () => {
  it("builds PyTorch's Net: LSTM, BatchNorm1d and two Linear layers with PyTorch's keys", () => {
    expect(Object.entries(new Net().stateDict()).map(([k, v]) => `${k} [${v.shape.join(', ')}]`)).toEqual([
      'rnn.weight_ih_l0 [256, 28]',
      'rnn.weight_hh_l0 [256, 64]',
      'rnn.bias_ih_l0 [256]',
      'rnn.bias_hh_l0 [256]',
      'batchnorm.weight [64]',
      'batchnorm.bias [64]',
      'batchnorm.running_mean [64]',
      'batchnorm.running_var [64]',
      'batchnorm.num_batches_tracked []',
      'fc1.weight [32, 64]',
      'fc1.bias [32]',
      'fc2.weight [10, 32]',
      'fc2.bias [10]',
    ]);
  });

  it('learns to read digits row by row in two epochs on 1,280 images', async () => {
    const r = await run({ fast: true });
    // PyTorch 1.13 on the same subset and flags: 22% then 42% (test loss 2.21 then 1.87).
    expect(r.testLoss[1]).toBeLessThan(r.testLoss[0]);
    expect(r.testLoss[1]).toBeLessThan(2.15);
    expect(r.accuracy[1]).toBeGreaterThan(0.25);
  });

  it("computes what PyTorch's Net computes: same weights and batches, two Adadelta steps, eval with running stats", () => {
    const fx = PORT_FIXTURE.mnist_rnn;
    const model = new Net();
    formulaInit(model);
    model.dropout1 = new nn.Dropout2d(0);
    model.dropout2 = new nn.Dropout2d(0);
    const x = waveTensor([3, 8, 1, 28, 28], 0.9, 1.5);
    const y = tensor(
      [0, 1, 2].map((b) => Array.from({ length: 8 }, (_, i) => (3 * (8 * b + i)) % 10)),
      { dtype: 'int64' },
    );
    const optimizer = new optim.Adadelta(model.parameters(), { lr: 0.1 });
    const losses: number[] = [];
    model.train();
    for (const b of [0, 1]) {
      tidy(() => {
        optimizer.zeroGrad();
        const loss = F.nllLoss(model.forward(x.index(b)), y.index(b));
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
      });
    }
    model.eval();
    const out = noGrad(() => model.forward(x.index(2)));
    expectClose(losses, fx.losses, 1e-4, 'training losses');
    expectClose(
      [F.nllLoss(out, y.index(2), { reduction: 'sum' }).item()],
      [fx.testLossSum],
      1e-4,
      'test loss',
    );
    expectClose(
      model.batchnorm.running_mean!.toArray() as number[],
      fx.runningMean,
      1e-4,
      'batchnorm.running_mean',
    );
    expectClose(sums(model.rnn.getParameter('weight_hh_l0')), fx.rnnWeight, 1e-4, 'rnn.weight_hh_l0 sums');
  });
});
