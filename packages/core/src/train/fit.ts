import { Module } from '../nn/module.js';
import { clone } from '../ops/convert.js';
import type { LRScheduler } from '../optim/lr-scheduler/lr-scheduler.js';
import { OneCycleLR } from '../optim/lr-scheduler/one-cycle-lr.js';
import { ReduceLROnPlateau as PlateauScheduler } from '../optim/lr-scheduler/reduce-lr-on-plateau.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Callback, callAll, type FitContext, type Logs } from './callback.js';
import { PrintLogger } from './callbacks/print-logger.js';
import { type DataSource, splitValidation, toBatches, unpackBatch } from './data-source.js';
import { Collector, evaluatePassAsync, saveModes } from './evaluate.js';
import { History } from './history.js';
import { readsSync } from './host-copy.js';
import type { MetricSpec } from './metrics/registry.js';
import { type LossSpec, type OptimizerSpec, resolveLoss, resolveMetrics, resolveOptimizer } from './specs.js';
import { batchLogs, type PendingStep, readPendingStep, trainStep } from './train-step.js';
import { type YieldEvery, Yielder } from './yield-every.js';

/** Options of {@link fit}. */
export interface FitOptions {
  /**
   * Training data: a DataLoader or iterable of `[x, y]` batches (async ones too: a DataLoader
   * over an asynchronous dataset, an async generator), a Dataset, or `[x, y]` tensors.
   */
  train: DataSource;
  /** Validation data, evaluated after every epoch into `val_loss`, `val_<metric>`. */
  val?: DataSource;
  /** Instead of `val`: the last fraction of `train` (tensors or a Dataset) to validate on. */
  validationSplit?: number;
  /** Epochs to run (default 1). */
  epochs?: number;
  /** The epoch to start counting from when resuming (default 0). */
  initialEpoch?: number;
  /**
   * A loss module, `fn(pred, target)`, or a Keras name: `'sparse_categorical_crossentropy'`,
   * `'categorical_crossentropy'`, `'binary_crossentropy'` (all three on probabilities, as Keras's
   * names are; logits are refused), `'mse'`/`'mean_squared_error'`, `'mae'`/`'mean_absolute_error'`.
   */
  loss: LossSpec;
  /**
   * The optimizer; each batch runs zeroGrad, forward, loss, backward, step. Or a Keras name
   * (`'sgd'`, `'adam'`, `'adamw'`, `'rmsprop'`, `'adagrad'`): Keras's optimizer with Keras's
   * defaults, created for the model on first use and kept by later fit/trainOnBatch calls.
   */
  optimizer: OptimizerSpec;
  /** Metrics logged per batch and per epoch (over all the epoch's samples): 'accuracy', 'mae', functions … */
  metrics?: readonly MetricSpec[];
  /** Callbacks, called in order. */
  callbacks?: readonly Callback[];
  /** A learning-rate scheduler; ReduceLROnPlateau is stepped with `schedulerMonitor`. */
  scheduler?: LRScheduler | PlateauScheduler;
  /** When to step the scheduler (default 'batch' for OneCycleLR, else 'epoch'). */
  schedulerStep?: 'epoch' | 'batch';
  /** The log that ReduceLROnPlateau watches (default 'val_loss' with validation data, else 'loss'). */
  schedulerMonitor?: string;
  /** Batch size when data are tensors or a Dataset (default 32). */
  batchSize?: number;
  /** Reshuffle tensors or a Dataset every epoch (default true; DataLoaders keep their own setting). */
  shuffle?: boolean;
  /** Seeds the shuffling of tensors or a Dataset (default: the global generator). */
  seed?: number;
  /** 1 (default): print one line per epoch unless a callback prints progress; 0: silent. */
  verbose?: 0 | 1;
  /**
   * When to give the event loop a turn (`train.nextFrame()`: a repaint in a page, timers and I/O
   * in Node), as TF.js's `yieldEvery`: `'auto'` (default) after a batch or epoch that ends
   * 125 ms or more after the last yield, `'batch'`, `'epoch'`, `'never'`, or a number of
   * milliseconds used as 'auto' uses 125. The default is TF.js's: a page training with the
   * defaults stays responsive, at the cost of one macrotask per 125 ms of training (nothing
   * measurable); `'never'` keeps the whole run in one task. See {@link YieldEvery}.
   */
  yieldEvery?: YieldEvery;
}

function checkOptions(model: Module, opts: FitOptions): void {
  if (!(model instanceof Module)) throw new Error('fit: model must be an nn.Module');
  if (!opts || opts.train === undefined)
    throw new Error('fit: options.train (the training data) is required');
  const epochs = opts.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new Error(`fit: epochs must be a non-negative integer, got ${epochs}`);
  if (opts.val !== undefined && opts.validationSplit !== undefined) {
    throw new Error('fit: give either val or validationSplit, not both');
  }
}

function stepScheduler(s: LRScheduler | PlateauScheduler, logs: Logs, monitor: string): void {
  if (s instanceof PlateauScheduler) {
    const v = logs[monitor];
    if (v === undefined) {
      throw new Error(
        `fit: ReduceLROnPlateau watches '${monitor}' but the logs hold only: ${Object.keys(logs).join(', ')}`,
      );
    }
    s.step(v);
  } else {
    s.step();
  }
}

/**
 * Trains `model` (Keras' `model.fit`): for each epoch, every batch runs `zeroGrad`, forward,
 * loss, backward and `optimizer.step()` inside `tidy` (nothing leaks) with the model in
 * training mode; then validation runs in eval mode under `noGrad`. Callbacks see every
 * step; one that sets `context.stopTraining` ends the run. The model's training flags are
 * restored at the end. Resolves to the {@link History}.
 *
 * @throws Error (the promise rejects) when `model` is not an `nn.Module`, `train` is missing,
 *   `epochs` is not a non-negative integer, both `val` and `validationSplit` are given, the
 *   split leaves a part empty, the training data yields no batches, a loss, optimizer or
 *   metric name is unknown, or a `ReduceLROnPlateau` scheduler's monitored log is missing.
 *
 * @example
 * ```ts
 * const history = await train.fit(model, {
 *   train: [x, y], validationSplit: 0.2, epochs: 20, batchSize: 32,
 *   loss: new nn.CrossEntropyLoss(), optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }),
 *   metrics: ['accuracy'], callbacks: [new train.EarlyStopping({ patience: 3, restoreBestWeights: true })],
 * });
 * history.history.val_accuracy; // one value per epoch
 * ```
 */
export async function fit(model: Module, opts: FitOptions): Promise<History> {
  checkOptions(model, opts);
  const yielder = new Yielder('fit', opts.yieldEvery);
  const epochs = opts.epochs ?? 1;
  const owned: Tensor[] = [];
  let trainSrc = opts.train;
  let valSrc = opts.val;
  if (opts.validationSplit !== undefined) {
    [trainSrc, valSrc] = splitValidation('fit', trainSrc, opts.validationSplit);
    for (const part of [trainSrc, valSrc]) if (Array.isArray(part)) owned.push(...(part as Tensor[]));
  }
  const batchOpts = { batchSize: opts.batchSize, seed: opts.seed };
  const trainBatches = toBatches('fit', trainSrc, { ...batchOpts, shuffle: opts.shuffle ?? true });
  const valBatches =
    valSrc === undefined ? undefined : toBatches('fit', valSrc, { ...batchOpts, shuffle: false });
  const loss = resolveLoss('fit', opts.loss);
  const optimizer = resolveOptimizer('fit', model, opts.optimizer);
  const metrics = resolveMetrics(opts.metrics, opts.loss);
  const { scheduler } = opts;
  const schedulerStep = opts.schedulerStep ?? (scheduler instanceof OneCycleLR ? 'batch' : 'epoch');
  const monitor = opts.schedulerMonitor ?? (valBatches ? 'val_loss' : 'loss');
  const verbose = opts.verbose ?? 1;

  const callbacks = [...(opts.callbacks ?? [])];
  if (verbose > 0 && !callbacks.some((c) => c.printsProgress)) callbacks.push(new PrintLogger());
  const context: FitContext = {
    model,
    optimizer,
    epochs,
    steps: trainBatches.steps,
    metrics: ['loss', ...metrics.map((m) => m.name)],
    verbose,
    stopTraining: false,
  };
  for (const cb of callbacks) cb.setContext(context);

  const history = new History();
  const restoreModes = saveModes(model);
  let lastLogs: Logs = {};
  try {
    await callAll(callbacks, (cb) => cb.onTrainBegin({}));
    for (let epoch = opts.initialEpoch ?? 0; epoch < epochs && !context.stopTraining; epoch++) {
      await callAll(callbacks, (cb) => cb.onEpochBegin(epoch, {}));
      // Read after onEpochBegin: a LearningRateScheduler sets this epoch's rate there.
      const lr = optimizer.paramGroups[0].lr;
      model.train();
      const collector = new Collector();
      const pass = trainBatches.open();
      let lossSum = 0;
      let seen = 0;
      try {
        for (let batch = 0; !context.stopTraining; batch++) {
          if (trainBatches.steps !== undefined && batch >= trainBatches.steps) break;
          await callAll(callbacks, (cb) => cb.onBatchBegin(batch, { batch }));
          // The pass frees the batch (and what loading it created) together with the step.
          const r = await pass.next((value): Logs | PendingStep => {
            const [x, y] = unpackBatch('fit', value);
            const step = trainStep('fit', model, x, y, loss, optimizer);
            // an asynchronous backend's loss and metrics are read after the step, below
            if (!readsSync(step.loss)) return { step, y: clone(y) };
            if (metrics.length > 0) collector.add(step.pred, y);
            return { batch, ...batchLogs(step, y, metrics) };
          });
          if (r.done) break;
          const logs: Logs = isPending(r.value)
            ? { batch, ...(await readPendingStep('fit', r.value, collector, metrics)) }
            : r.value;
          lossSum += logs.loss * logs.size;
          seen += logs.size;
          if (scheduler && schedulerStep === 'batch') stepScheduler(scheduler, logs, 'loss');
          await callAll(callbacks, (cb) => cb.onBatchEnd(batch, logs));
          history.addBatch(epoch, logs);
          await yielder.afterBatch();
        }
      } catch (e) {
        collector.compute([]);
        throw e;
      } finally {
        await pass.close();
      }
      if (seen === 0) {
        collector.compute([]);
        throw new Error('fit: the training data yielded no batches');
      }
      const logs: Logs = { loss: lossSum / seen, ...collector.compute(metrics) };
      if (valBatches) {
        model.eval();
        const v = await evaluatePassAsync('fit', model, valBatches.open(), loss, metrics);
        for (const [k, val] of Object.entries(v)) logs[`val_${k}`] = val;
      }
      logs.lr = lr;
      if (scheduler && schedulerStep === 'epoch') stepScheduler(scheduler, logs, monitor);
      await callAll(callbacks, (cb) => cb.onEpochEnd(epoch, logs));
      history.addEpoch(epoch, logs);
      lastLogs = logs;
      await yielder.afterEpoch();
    }
    await callAll(callbacks, (cb) => cb.onTrainEnd(lastLogs));
  } finally {
    restoreModes();
    for (const t of owned) t.dispose();
  }
  return history;
}

function isPending(v: Logs | PendingStep): v is PendingStep {
  return typeof (v as PendingStep).step === 'object';
}
