import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  cat,
  data,
  Generator,
  manualSeed,
  memory,
  nn,
  optim,
  randint,
  randn,
  type Tensor,
  tensor,
  tidy,
} from '../index.js';
import {
  type Callback,
  evaluate,
  fit,
  LambdaCallback,
  LearningRateScheduler,
  predictOnBatch,
  testOnBatch,
  trainOnBatch,
} from './index.js';
import { kerasLoss } from './keras-losses.js';

/** Three well separated blobs: x [90, 2], labels [90] (int64). */
function blobs(): [Tensor, Tensor] {
  return data.makeBlobs(90, { centers: 3, seed: 3 }) as [Tensor, Tensor];
}

const quiet = { verbose: 0 as const };

describe("fit takes Keras's names for loss, optimizer and metrics", () => {
  it("'sparse_categorical_crossentropy' + 'adam' + 'accuracy' on a softmax model", async () => {
    manualSeed(0);
    const [x, y] = blobs();
    const model = new nn.Sequential(
      new nn.Linear(2, 16),
      new nn.ReLU(),
      new nn.Linear(16, 3),
      new nn.Softmax(-1),
    );
    let seen: unknown;
    const grab = new LambdaCallback({ onTrainBegin: () => void (seen = grab.context.optimizer) });
    const h = await fit(model, {
      train: [x, y],
      epochs: 15,
      batchSize: 15,
      loss: 'sparse_categorical_crossentropy',
      optimizer: 'adam',
      metrics: ['accuracy', 'acc'],
      callbacks: [grab],
      ...quiet,
    });
    expect(h.history.loss[14]).toBeLessThan(h.history.loss[0]);
    expect(h.history.accuracy[14]).toBeGreaterThan(0.9);
    expect(h.history.acc).toEqual(h.history.accuracy);
    expect(h.history.lr[0]).toBe(0.001); // Keras's Adam default
    expect((seen as optim.Optimizer).name).toBe('keras.Adam');
    // A second fit with the same name continues with the same optimizer (Keras's compile state).
    let again: unknown;
    const grab2 = new LambdaCallback({ onTrainBegin: () => void (again = grab2.context.optimizer) });
    await fit(model, {
      train: [x, y],
      loss: 'sparse_categorical_crossentropy',
      optimizer: 'adam',
      callbacks: [grab2],
      ...quiet,
    });
    expect(again).toBe(seen);
    // evaluate takes the name too, and equals the loss computed directly.
    const ev = evaluate(model, [x, y], { loss: 'sparse_categorical_crossentropy', batchSize: 90 });
    const direct = tidy(() => {
      model.eval();
      const v = kerasLoss('sparse_categorical_crossentropy')(model.forward(x), y).item();
      model.train();
      return v;
    });
    expect(ev.loss).toBeCloseTo(direct, 6);
  });

  it('refuses logits with a probability loss, naming the loss module for logits', async () => {
    const [x, y] = blobs();
    const model = new nn.Linear(2, 3); // logits, PyTorch's habit
    await expect(
      fit(model, {
        train: [x, y],
        loss: 'sparse_categorical_crossentropy',
        optimizer: 'sgd',
        batchSize: 15,
        ...quiet,
      }),
    ).rejects.toThrow(
      "fit: loss 'sparse_categorical_crossentropy' is Keras's, with from_logits=false: it expects probabilities in [0, 1], but the model's outputs [15,3]",
    );
    await expect(
      fit(model, {
        train: [x, y],
        loss: 'sparse_categorical_crossentropy',
        optimizer: 'sgd',
        batchSize: 90,
        ...quiet,
      }),
    ).rejects.toThrow('new nn.CrossEntropyLoss()');
    const onehot = tidy(() => nn.functional.oneHot(y, 3).float());
    await expect(
      fit(model, { train: [x, onehot], loss: 'categorical_crossentropy', optimizer: 'sgd', ...quiet }),
    ).rejects.toThrow("loss 'categorical_crossentropy' is Keras's, with from_logits=false");
    await expect(
      fit(new nn.Linear(2, 1), {
        train: [x, y.float()],
        loss: 'binary_crossentropy',
        optimizer: 'sgd',
        ...quiet,
      }),
    ).rejects.toThrow('new nn.BCEWithLogitsLoss()');
    // Shapes Keras refuses are refused with the fix.
    await expect(
      fit(new nn.Sequential(new nn.Linear(2, 3), new nn.Softmax(-1)), {
        train: [x, y],
        loss: 'categorical_crossentropy',
        optimizer: 'sgd',
        ...quiet,
      }),
    ).rejects.toThrow("use 'sparse_categorical_crossentropy'");
  });

  it("'binary_crossentropy' with a sigmoid output [N, 1] against targets [N]; accuracy reads probabilities", async () => {
    manualSeed(1);
    const x = randn([64, 2]);
    const y = tidy(() => x.sum(1).gt(0).float()); // [64]
    const model = new nn.Sequential(new nn.Linear(2, 1), new nn.Sigmoid());
    const h = await fit(model, {
      train: [x, y],
      epochs: 20,
      batchSize: 16,
      loss: 'binary_crossentropy',
      optimizer: new optim.Adam(model.parameters(), 0.05),
      metrics: ['accuracy'],
      ...quiet,
    });
    expect(h.history.loss[19]).toBeLessThan(h.history.loss[0]);
    expect(h.history.accuracy[19]).toBeGreaterThan(0.9);
  });

  it("regression targets [N] against outputs [N, 1]: 'mse', 'mae', and loss modules, as Keras accepts them", async () => {
    manualSeed(2);
    const x = randn([32, 1]);
    const y = tidy(() => x.mul(3).sub(1).reshape([32])); // [32]
    for (const loss of ['mse', 'mean_squared_error', new nn.MSELoss(), new nn.L1Loss()] as const) {
      const model = new nn.Linear(1, 1);
      const h = await fit(model, {
        train: [x, y],
        epochs: 30,
        batchSize: 8,
        loss,
        optimizer: 'sgd',
        metrics: ['mae', 'mse'],
        ...quiet,
      });
      expect(h.history.loss[29]).toBeLessThan(h.history.loss[0]);
    }
    // The aligned module loss is Keras's number (not PyTorch's [N, N] broadcast).
    tidy(() => {
      const p = tensor([[1], [2], [4]]);
      const t = tensor([1, 3, 2]);
      const ev = evaluate(new nn.Identity(), [p, t], {
        loss: new nn.MSELoss(),
        metrics: ['mean_absolute_error'],
      });
      expect(ev.loss).toBeCloseTo((0 + 1 + 4) / 3, 6);
      expect(ev.mean_absolute_error).toBeCloseTo(1, 6);
      expect(kerasLoss('mae')(p, t).item()).toBeCloseTo(1, 6);
    });
  });

  it('unknown names list the known ones', async () => {
    const model = new nn.Linear(1, 1);
    const xy = [tensor([[1]]), tensor([[1]])] as const;
    await expect(
      fit(model, { train: xy, loss: 'hinge' as never, optimizer: 'sgd', ...quiet }),
    ).rejects.toThrow(
      "fit: loss must be a loss module, a function (pred, target) => Tensor, or one of Keras's names: sparse_categorical_crossentropy, categorical_crossentropy, binary_crossentropy, mse, mean_squared_error, mae, mean_absolute_error (got 'hinge')",
    );
    await expect(
      fit(model, { train: xy, loss: 'mse', optimizer: 'nadam' as never, ...quiet }),
    ).rejects.toThrow(
      "fit: optimizer must be an optim.Optimizer or one of Keras's names: sgd, adam, adamw, rmsprop, adagrad (got 'nadam')",
    );
  });
});

describe('trainOnBatch / testOnBatch / predictOnBatch', () => {
  it('trainOnBatch steps like fit; the named optimizer carries its state across calls', async () => {
    manualSeed(4);
    const [x, y] = blobs();
    const make = () => {
      manualSeed(7);
      return new nn.Sequential(new nn.Linear(2, 8), new nn.Tanh(), new nn.Linear(8, 3), new nn.Softmax(-1));
    };
    const a = make();
    const b = make();
    await fit(a, {
      train: [x, y],
      batchSize: 30,
      shuffle: false,
      loss: 'sparse_categorical_crossentropy',
      optimizer: 'adam',
      ...quiet,
    });
    let logs: Record<string, number> = {};
    for (let i = 0; i < 90; i += 30) {
      logs = tidy(() =>
        trainOnBatch(b, x.narrow(0, i, 30), y.narrow(0, i, 30), {
          loss: 'sparse_categorical_crossentropy',
          optimizer: 'adam',
          metrics: ['accuracy'],
        }),
      );
    }
    expect(Object.keys(logs)).toEqual(['loss', 'accuracy']);
    const pa = a.parameters().map((p) => p.toArray());
    const pb = b.parameters().map((p) => p.toArray());
    expect(pb).toEqual(pa);
    expect(b.training).toBe(true);
  });

  it('testOnBatch and predictOnBatch run in eval mode without gradients and restore the mode', () => {
    manualSeed(5);
    const model = new nn.Sequential(new nn.Linear(2, 4), new nn.Dropout(0.5), new nn.Linear(4, 1));
    const x = randn([6, 2]);
    const y = randn([6]);
    const before = memory().numTensors;
    const p = predictOnBatch(model, x);
    expect(p.requiresGrad).toBe(false);
    expect(p.toArray()).toEqual(predictOnBatch(model, x).toArray()); // no dropout in eval mode
    const t = testOnBatch(model, x, y, { loss: 'mse', metrics: ['mae'] });
    const direct = tidy(() => kerasLoss('mse')(p, y).item());
    expect(t.loss).toBeCloseTo(direct, 6);
    expect(model.training).toBe(true);
    p.dispose();
    expect(memory().numTensors).toBe(before + 1); // the second predictOnBatch result, not disposed here
    expect(() => trainOnBatch(model, x, y, { loss: 'mse' } as never)).toThrow(
      'trainOnBatch: options { loss, optimizer } are required',
    );
    expect(() => predictOnBatch(model, [x] as never)).toThrow(
      'predictOnBatch: x must be a Tensor (one batch)',
    );
  });
});

describe('LearningRateScheduler', () => {
  it("sets schedule(epoch, lr) at every epoch's start and logs learning_rate (Keras's semantics)", async () => {
    manualSeed(6);
    const x = randn([16, 1]);
    const y = tidy(() => x.mul(2));
    const model = new nn.Linear(1, 1);
    const opt = new optim.SGD(model.parameters(), 0.1);
    const calls: [number, number][] = [];
    const sched = new LearningRateScheduler((epoch, lr) => {
      calls.push([epoch, lr]);
      return epoch < 1 ? lr : lr * 0.5;
    });
    const h = await fit(model, {
      train: [x, y],
      epochs: 4,
      loss: 'mse',
      optimizer: opt,
      callbacks: [sched],
      ...quiet,
    });
    expect(calls).toEqual([
      [0, 0.1],
      [1, 0.1],
      [2, 0.05],
      [3, 0.025],
    ]);
    expect(h.history.lr).toEqual([0.1, 0.05, 0.025, 0.0125]);
    expect(h.history.learning_rate).toEqual([0.1, 0.05, 0.025, 0.0125]);
    // Keras's order (schedule, verbose) or by name; errors as Keras's (a non-number schedule output).
    expect(new LearningRateScheduler((e) => 0.1 / (e + 1), 1).verbose).toBe(true);
    expect(new LearningRateScheduler((e) => e, { verbose: 0 }).verbose).toBe(false);
    const bad = new LearningRateScheduler(() => 'fast' as never);
    await expect(
      fit(model, { train: [x, y], loss: 'mse', optimizer: opt, callbacks: [bad], ...quiet }),
    ).rejects.toThrow(
      'LearningRateScheduler: the output of the schedule function should be a finite number. Got: fast',
    );
    const groups = new optim.SGD(
      [
        { params: [model.weight], lr: 0.1 },
        { params: [model.bias!], lr: 0.2 },
      ],
      0.1,
    );
    await expect(
      fit(model, {
        train: [x, y],
        loss: 'mse',
        optimizer: groups,
        callbacks: [new LearningRateScheduler((_, lr) => lr)],
        ...quiet,
      }),
    ).rejects.toThrow(
      "LearningRateScheduler: the optimizer's param groups have different learning rates (0.1, 0.2)",
    );
    expect(() => new LearningRateScheduler({ schedule: (e: number) => e, verbos: 1 } as never)).toThrow(
      "LearningRateScheduler: unknown option 'verbos' (did you mean 'verbose'?)",
    );
  });
});

describe('recurrent layers inside Sequential (nn.RecurrentOutput)', () => {
  it('keeps the output tensor, or the last step (both directions as Keras Bidirectional gives)', () => {
    tidy(() => {
      manualSeed(8);
      const lstm = new nn.LSTM(3, 4, { batchFirst: true, bidirectional: true });
      const x = randn([2, 5, 3]);
      const [out] = lstm.forward(x);
      expect(new nn.RecurrentOutput(lstm).forward(x).toArray()).toEqual(out.toArray());
      const last = new nn.RecurrentOutput(lstm, { returnSequences: false }).forward(x);
      expect(last.shape).toEqual([2, 8]);
      const expected = cat([out.select(1, -1).narrow(1, 0, 4), out.select(1, 0).narrow(1, 4, 4)], 1);
      expect(last.toArray()).toEqual(expected.toArray());
      // Unidirectional, time-major, two layers: the last step of the output.
      const gru = new nn.GRU(3, 4, 2);
      const [o2] = gru.forward(x.transpose(0, 1));
      expect(new nn.RecurrentOutput(gru, false).forward(x.transpose(0, 1)).toArray()).toEqual(
        o2.select(0, -1).toArray(),
      );
      // Unbatched input [T, I] gives [D·H].
      expect(new nn.RecurrentOutput(new nn.RNN(3, 4), false).forward(x.select(0, 0)).shape).toEqual([4]);
      expect(() => new nn.RecurrentOutput(new nn.Linear(2, 2) as never)).toThrow(
        'RecurrentOutput: rnn must be an nn.RNN, nn.LSTM or nn.GRU',
      );
      // PyTorch's tuple stays the layer's own return value.
      expect(Array.isArray(lstm.forward(x))).toBe(true);
    });
  });

  it('trains an Embedding → LSTM → Linear Sequential with fit; a bare LSTM in Sequential says what to do', async () => {
    manualSeed(9);
    // Does the sequence contain token 1? [64, 6] tokens in [0, 4).
    const tokens = randint(0, 4, [64, 6], { generator: new Generator(1) });
    const labels = tidy(() => tokens.eq(1).sum(1).gt(0).long());
    const model = new nn.Sequential(
      new nn.Embedding(4, 8),
      new nn.RecurrentOutput(new nn.LSTM(8, 16, { batchFirst: true }), { returnSequences: false }),
      new nn.Linear(16, 2),
    );
    expect(Object.keys(model.stateDict())).toContain('1.rnn.weight_ih_l0');
    const h = await fit(model, {
      train: [tokens, labels],
      epochs: 12,
      batchSize: 16,
      loss: new nn.CrossEntropyLoss(),
      optimizer: new optim.Adam(model.parameters(), 0.02),
      metrics: ['accuracy'],
      ...quiet,
    });
    expect(h.history.loss[11]).toBeLessThan(h.history.loss[0] * 0.5);
    const bare = new nn.Sequential(new nn.Embedding(4, 8), new nn.LSTM(8, 16, { batchFirst: true }));
    await expect(
      fit(bare, { train: [tokens, labels], loss: 'mse', optimizer: 'sgd', ...quiet }),
    ).rejects.toThrow('wrap it in nn.RecurrentOutput');
  });
});

describe('fit reads asynchronous data', () => {
  it('a DataLoader over an async getItem, and an async generator of batches; nothing leaks', async () => {
    manualSeed(10);
    const x = randn([24, 1]);
    const y = tidy(() => x.mul(2));
    const asyncDs = {
      length: 24,
      async getItem(i: number) {
        await Promise.resolve();
        return [x.select(0, i), y.select(0, i)];
      },
    };
    const model = new nn.Linear(1, 1);
    const opt = new optim.SGD(model.parameters(), 0.1);
    const loader = new data.DataLoader(asyncDs, { batchSize: 8, numWorkers: 2 });
    async function* batches() {
      for (let i = 0; i < 24; i += 8) yield [x.narrow(0, i, 8), y.narrow(0, i, 8)];
    }
    const cb: Callback[] = [];
    await fit(model, {
      train: loader,
      val: loader,
      epochs: 1,
      loss: 'mse',
      optimizer: opt,
      callbacks: cb,
      ...quiet,
    });
    opt.zeroGrad();
    const before = memory().numTensors;
    const h = await fit(model, {
      train: loader,
      val: loader,
      epochs: 3,
      loss: 'mse',
      optimizer: opt,
      ...quiet,
    });
    opt.zeroGrad();
    expect(h.history.loss).toHaveLength(3);
    expect(h.history.val_loss[2]).toBeLessThan(h.history.val_loss[0]);
    expect(h.batches).toHaveLength(9);
    // The async items (select views created by getItem) belong to the dataset; GC frees them.
    expect(memory().numTensors - before).toBeLessThanOrEqual(3 * 2 * 24 * 2);
    const h2 = await fit(model, {
      train: { [Symbol.asyncIterator]: batches },
      epochs: 2,
      loss: 'mse',
      optimizer: opt,
      ...quiet,
    });
    expect(h2.batches).toHaveLength(6);
    expect(() => evaluate(model, { [Symbol.asyncIterator]: batches } as never, { loss: 'mse' })).toThrow(
      'evaluate: the data are an async iterable, and evaluate reads synchronously',
    );
  });
});
