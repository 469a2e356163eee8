import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  data,
  Generator,
  manualSeed,
  memory,
  nn,
  optim,
  randn,
  type Tensor,
  tensor,
  tidy,
} from '../index.js';
import { evaluate, fit, predict } from './index.js';

/** y = 2x + 1 with a little noise: 64 samples. */
function line(): [Tensor, Tensor] {
  return tidy(() => {
    const x = randn([64, 1]);
    return [
      x,
      x
        .mul(2)
        .add(1)
        .add(randn([64, 1]).mul(0.01)),
    ];
  });
}

describe('fit', () => {
  it('reduces the loss of a linear regression and fills the History', async () => {
    manualSeed(0);
    const [x, y] = line();
    const model = new nn.Linear(1, 1);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const h = await fit(model, {
      train: [x, y],
      validationSplit: 0.25,
      epochs: 12,
      batchSize: 16,
      seed: 1,
      loss: new nn.MSELoss(),
      optimizer: opt,
      metrics: ['mae'],
      verbose: 0,
    });
    const loss = h.history.loss;
    expect(Object.keys(h.history).sort()).toEqual(['loss', 'lr', 'mae', 'val_loss', 'val_mae']);
    expect(loss).toHaveLength(12);
    expect(h.epochs).toEqual([...Array(12).keys()]);
    expect(h.batches).toHaveLength(12 * 3); // 48 training samples in batches of 16
    expect(h.batches[0]).toMatchObject({ epoch: 0, batch: 0, size: 16 });
    expect(loss[11]).toBeLessThan(loss[0] * 0.01);
    expect(h.history.val_loss[11]).toBeLessThan(1e-3);
    const w = model.weight.item() as number;
    expect(w).toBeCloseTo(2, 1);
    expect(model.training).toBe(true);
  });

  it('trains a classifier; evaluate and predict agree with it', async () => {
    manualSeed(0);
    const [x, y] = data.makeBlobs(120, { centers: 3, seed: 3 });
    const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 3));
    const h = await fit(model, {
      train: [x, y],
      val: [x, y],
      epochs: 15,
      batchSize: 20,
      loss: new nn.CrossEntropyLoss(),
      optimizer: new optim.Adam(model.parameters(), { lr: 0.05 }),
      metrics: ['accuracy', 'f1'],
      verbose: 0,
    });
    expect(h.history.loss[14]).toBeLessThan(h.history.loss[0]);
    expect(h.history.val_accuracy[14]).toBeGreaterThan(0.9);
    const ev = evaluate(model, [x, y], {
      loss: new nn.CrossEntropyLoss(),
      metrics: ['accuracy'],
      batchSize: 7,
    });
    expect(ev.loss).toBeCloseTo(h.history.val_loss[14], 5);
    expect(ev.accuracy).toBeCloseTo(h.history.val_accuracy[14], 12);
    model.train();
    const before = memory().numTensors;
    const p = predict(model, x, { batchSize: 50 });
    expect(p.shape).toEqual([120, 3]);
    expect(p.requiresGrad).toBe(false);
    expect(model.training).toBe(true);
    p.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('leaks no tensors across epochs (DataLoader, validation, metrics)', async () => {
    manualSeed(0);
    const [x, y] = line();
    const loader = new data.DataLoader(new data.TensorDataset(x, y), {
      batchSize: 8,
      shuffle: true,
      generator: new Generator(0),
    });
    const model = new nn.Sequential(new nn.Linear(1, 4), new nn.Tanh(), new nn.Linear(4, 1));
    const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
    const run = (epochs: number) =>
      fit(model, {
        train: loader,
        val: [x, y],
        epochs,
        loss: new nn.MSELoss(),
        optimizer: opt,
        metrics: ['r2'],
        verbose: 0,
      });
    await run(1); // creates the optimizer state
    opt.zeroGrad();
    const before = memory().numTensors;
    await run(3);
    opt.zeroGrad();
    expect(memory().numTensors).toBe(before);
  });

  it('steps a scheduler per epoch and logs lr; a callback can stop mid-epoch', async () => {
    manualSeed(0);
    const [x, y] = line();
    const model = new nn.Linear(1, 1);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const h = await fit(model, {
      train: [x, y],
      epochs: 3,
      loss: (p, t) => p.sub(t).pow(2).mean(),
      optimizer: opt,
      scheduler: new optim.lrScheduler.StepLR(opt, 1, { gamma: 0.5 }),
      verbose: 0,
    });
    expect(h.history.lr).toEqual([0.1, 0.05, 0.025]);
    const { LambdaCallback } = await import('./index.js');
    const stopper = new LambdaCallback({
      onBatchEnd(batch) {
        if (batch === 1) stopper.context.stopTraining = true;
      },
    });
    const h2 = await fit(model, {
      train: [x, y],
      epochs: 5,
      batchSize: 8,
      loss: new nn.MSELoss(),
      optimizer: opt,
      callbacks: [stopper],
      verbose: 0,
    });
    expect(h2.batches).toHaveLength(2);
    expect(h2.epochs).toEqual([0]);
  });

  it('prints one line per epoch by default (verbose 1)', async () => {
    const lines: string[] = [];
    const { PrintLogger } = await import('./index.js');
    let t = 0;
    const model = new nn.Linear(1, 1);
    await fit(model, {
      train: [tensor([[1], [2]]), tensor([[2], [4]])],
      epochs: 2,
      loss: new nn.MSELoss(),
      optimizer: new optim.SGD(model.parameters(), { lr: 0.01 }),
      metrics: ['mae'],
      callbacks: [new PrintLogger({ print: (l) => lines.push(l), now: () => (t += 700) })],
    });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^Epoch 2\/2 - 1s - loss: \d+\.\d{4} - mae: \d+\.\d{4}$/);
  });

  it('rejects bad options clearly', async () => {
    const model = new nn.Linear(1, 1);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const xy = [tensor([[1]]), tensor([[1]])] as const;
    await expect(
      fit(model, { train: xy, loss: new nn.MSELoss(), optimizer: opt, metrics: ['nope' as never] }),
    ).rejects.toThrow(/unknown metric 'nope'/);
    await expect(
      fit(model, { train: xy, val: xy, validationSplit: 0.5, loss: new nn.MSELoss(), optimizer: opt }),
    ).rejects.toThrow(/not both/);
  });
});
