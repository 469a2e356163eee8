import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { isGradEnabled, memory, nn, optim, type Tensor, tensor } from '../../index.js';
import { fit } from '../fit.js';
import { CSVLogger, EarlyStopping, LambdaCallback, ModelCheckpoint, ReduceLROnPlateau } from './index.js';

/**
 * A run whose validation loss follows `script` (one value per epoch): the loss function
 * returns the scripted value whenever gradients are off (validation), MSE otherwise.
 */
function scripted(script: number[]) {
  const x = tensor([[1], [2], [3], [4]]);
  const y = tensor([[3], [5], [7], [9]]);
  const model = new nn.Linear(1, 1);
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  let epoch = 0;
  const counter = new LambdaCallback({ onEpochBegin: (e) => void (epoch = e) });
  const loss = (p: Tensor, t: Tensor) => (isGradEnabled() ? p.sub(t).pow(2).mean() : tensor(script[epoch]));
  const run = (callbacks: unknown[], epochs = script.length) =>
    fit(model, {
      train: [x, y],
      val: [x, y],
      epochs,
      batchSize: 2,
      shuffle: false,
      loss,
      optimizer: opt,
      callbacks: [counter, ...(callbacks as never[])],
      verbose: 0,
    });
  return { model, opt, run };
}

/** The model's weights after each epoch, as plain numbers. */
function recorder(model: nn.Module) {
  const perEpoch: Record<string, number[]>[] = [];
  const cb = new LambdaCallback({
    onEpochEnd: () => {
      const sd = model.stateDict();
      perEpoch.push(Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, Array.from(t.dataSync())])));
      for (const t of Object.values(sd)) t.dispose();
    },
  });
  return { perEpoch, cb };
}

const valLosses = [1.0, 0.8, 0.9, 0.7, 0.75, 0.72, 0.9, 0.6, 0.5];

describe('EarlyStopping', () => {
  it('stops after patience epochs without improvement and restores the best weights', async () => {
    const { model, run } = scripted(valLosses);
    const { perEpoch, cb } = recorder(model);
    const es = new EarlyStopping({ patience: 2, restoreBestWeights: true });
    const before = memory().numTensors;
    const h = await run([cb, es]);
    // best 0.7 at epoch 3; 0.75 and 0.72 are two epochs without improvement: stop at epoch 5.
    expect(h.epochs).toEqual([0, 1, 2, 3, 4, 5]);
    expect(es.stoppedEpoch).toBe(5);
    expect(es.bestEpoch).toBe(3);
    expect(es.best).toBeCloseTo(0.7, 6); // a float32 loss tensor
    expect(perEpoch[5].weight).not.toEqual(perEpoch[3].weight);
    const sd = model.stateDict();
    expect(Array.from(sd.weight.dataSync())).toEqual(perEpoch[3].weight);
    expect(Array.from(sd.bias.dataSync())).toEqual(perEpoch[3].bias);
    for (const t of Object.values(sd)) t.dispose();
    expect(memory().numTensors).toBe(before + 2); // the snapshot is freed; only the grads remain
  });

  it('minDelta, max mode and baseline', async () => {
    const a = scripted(valLosses);
    const es = new EarlyStopping({ patience: 1, minDelta: 0.15 });
    await a.run([es]);
    // improvements must exceed 0.15: 1.0 -> 0.8 counts; 0.9 does not -> wait 1 >= patience: stop at epoch 2.
    expect(es.stoppedEpoch).toBe(2);
    const b = scripted([0.5, 0.6, 0.55, 0.7, 0.65, 0.6, 0.9]);
    const esMax = new EarlyStopping({ patience: 2, mode: 'max' });
    await b.run([esMax]);
    expect([esMax.stoppedEpoch, esMax.bestEpoch]).toEqual([5, 3]);
    const c = scripted(valLosses);
    const esBase = new EarlyStopping({ patience: 3, baseline: 0.65 });
    await c.run([esBase]);
    // nothing beats 0.65 yet, so patience runs out after 3 epochs although 0.8 improved on 1.0.
    expect(esBase.stoppedEpoch).toBe(2);
    expect(new EarlyStopping({ monitor: 'val_accuracy' }).mode).toBe('max');
  });
});

describe('ModelCheckpoint', () => {
  it('saveBestOnly calls saveFn on improvements only, with formatted file names', async () => {
    const { run } = scripted(valLosses);
    const calls: [string, string[]][] = [];
    const ckpt = new ModelCheckpoint({
      filepath: 'ckpt-{epoch:02d}-{val_loss:.2f}.safetensors',
      saveBestOnly: true,
      saveFn: async (path, obj) => {
        calls.push([path, Object.keys(obj)]);
      },
    });
    await run([ckpt]);
    expect(calls.map((c) => c[0])).toEqual([
      'ckpt-01-1.00.safetensors',
      'ckpt-02-0.80.safetensors',
      'ckpt-04-0.70.safetensors',
      'ckpt-08-0.60.safetensors',
      'ckpt-09-0.50.safetensors',
    ]);
    expect(calls[0][1]).toEqual(['weight', 'bias']);
  });

  it('saves { model, optimizer, epoch } every epoch when asked; needs a saveFn in core', async () => {
    const { run } = scripted([1, 2]);
    const objs: Record<string, unknown>[] = [];
    const before = memory().numTensors;
    await run([
      new ModelCheckpoint({
        filepath: 'last.st',
        saveWeightsOnly: false,
        saveFn: (_p, o) => void objs.push(o),
      }),
    ]);
    expect(objs.map((o) => Object.keys(o))).toEqual([
      ['model', 'epoch', 'optimizer'],
      ['model', 'epoch', 'optimizer'],
    ]);
    expect(objs[1].epoch).toBe(1);
    expect(memory().numTensors).toBe(before + 2); // only the two leftover grads, not the saved copies
    expect(() => new ModelCheckpoint({ filepath: 'x' })).toThrow(/saveFn is required/);
  });
});

describe('ReduceLROnPlateau, CSVLogger, LambdaCallback', () => {
  it('lowers the learning rate after patience epochs without improvement', async () => {
    const { run } = scripted([1, 1, 1, 1, 1, 1, 1]);
    const cb = new ReduceLROnPlateau({ patience: 2, factor: 0.5 });
    const h = await run([cb]);
    // PyTorch's rule: the 3rd bad epoch (epoch 3) exceeds patience 2; the count restarts.
    expect(h.history.lr).toEqual([0.01, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005]);
    expect(cb.scheduler?.getLastLr()).toEqual([0.0025]);
  });

  it('CSVLogger writes a header and one row per epoch', async () => {
    const { run } = scripted([0.5, 0.25]);
    const chunks: string[] = [];
    const csv = new CSVLogger('training.csv', { write: (t) => chunks.push(t) });
    await run([csv]);
    const lines = csv.toString().trimEnd().split('\n');
    expect(lines[0]).toBe('epoch,loss,lr,val_loss');
    expect(lines[1]).toMatch(/^0,[\d.e-]+,0\.01,0\.5$/);
    expect(lines[2]).toMatch(/^1,[\d.e-]+,0\.01,0\.25$/);
    expect(chunks.join('')).toBe(csv.toString());
    expect(csv.rows[1].val_loss).toBe(0.25);
  });

  it('LambdaCallback sees every hook in order', async () => {
    const { run } = scripted([1, 1]);
    const seen: string[] = [];
    await run([
      new LambdaCallback({
        onTrainBegin: () => void seen.push('train'),
        onEpochBegin: (e) => void seen.push(`e${e}`),
        onBatchBegin: (b) => void seen.push(`b${b}`),
        onBatchEnd: (b, logs) => void seen.push(`/b${b}:${logs.size}`),
        onEpochEnd: (e, logs) => void seen.push(`/e${e}:${'val_loss' in logs}`),
        onTrainEnd: () => void seen.push('/train'),
      }),
    ]);
    expect(seen).toEqual([
      'train',
      'e0',
      'b0',
      '/b0:2',
      'b1',
      '/b1:2',
      '/e0:true',
      'e1',
      'b0',
      '/b0:2',
      'b1',
      '/b1:2',
      '/e1:true',
      '/train',
    ]);
  });
});
