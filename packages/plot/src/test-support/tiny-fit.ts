// Tests only: a seconds-long train.fit run (a linear classifier on random data) for the
// plotting callbacks to watch.
import { manualSeed, memory, nn, optim, randint, randn, train } from '@proj/core';
import '@proj/backend-cpu';

/** What {@link tinyFit} ran: its History, the learning rates the scheduler set, the live tensor count change. */
export interface TinyFitResult {
  history: train.History;
  /** The learning rate of each step, from the scheduler (what the callbacks should have seen). */
  stepLrs: number[];
  /** Live tensors after the run minus before (0 when nothing leaked). */
  leaked: number;
}

/**
 * Trains a `Linear(4, 3)` on 40 random samples (30 for training in batches of 10: 3 steps an
 * epoch, 10 for validation) with SGD and an ExponentialLR(0.5) stepped every batch, logging
 * accuracy; `callbacks` watch it.
 */
export async function tinyFit(callbacks: train.Callback[], epochs = 2): Promise<TinyFitResult> {
  const before = memory().numTensors;
  manualSeed(0);
  const x = randn(40, 4);
  const y = randint(0, 3, [40]);
  const model = new nn.Linear(4, 3);
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
  const scheduler = new optim.lrScheduler.ExponentialLR(optimizer, 0.5);
  const parts = [x.narrow(0, 0, 30), y.narrow(0, 0, 30), x.narrow(0, 30, 10), y.narrow(0, 30, 10)];
  const history = await train.fit(model, {
    train: [parts[0], parts[1]],
    val: [parts[2], parts[3]],
    epochs,
    batchSize: 10,
    shuffle: false,
    loss: new nn.CrossEntropyLoss(),
    optimizer,
    scheduler,
    schedulerStep: 'batch',
    metrics: ['accuracy'],
    callbacks,
    verbose: 0,
  });
  for (const t of [x, y, ...parts, ...model.parameters()]) t.dispose();
  const stepLrs = Array.from({ length: epochs * 3 }, (_, i) => 0.1 * 0.5 ** i);
  return { history, stepLrs, leaked: memory().numTensors - before };
}
