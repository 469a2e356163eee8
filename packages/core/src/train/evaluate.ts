import { noGrad } from '../autograd/grad-mode.js';
import type { BatchPass } from '../data/dataloader-pass.js';
import { Module } from '../nn/module.js';
import { clone } from '../ops/convert.js';
import { cat } from '../ops/join.js';
import { keep, tidy } from '../tensor/scope.js';
import { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callback.js';
import { type DataSource, syncBatches, toBatches, unpackBatch } from './data-source.js';
import { readable, readsSync } from './host-copy.js';
import type { MetricFn, MetricSpec } from './metrics/registry.js';
import { type LossFn, type LossSpec, resolveLoss, resolveMetrics } from './specs.js';

export type { LossSpec } from './specs.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** The loss to report as `loss` (omit to report metrics only): a module, a function or a Keras name. */
  loss?: LossSpec;
  /** Metrics to report (names such as 'accuracy', or functions). */
  metrics?: readonly MetricSpec[];
  /** Batch size when `data` is tensors or a Dataset (default 32). */
  batchSize?: number;
}

/** @internal Runs the model and checks that it returned one tensor. */
export function forwardTensor(op: string, model: Module, x: Tensor): Tensor {
  const out = model.forward(x);
  if (!(out instanceof Tensor)) {
    const hint = Array.isArray(out)
      ? ' (it returned an array: a recurrent layer returns [output, state]; wrap it in nn.RecurrentOutput to keep the output tensor)'
      : ' (wrap models with several outputs)';
    throw new Error(`${op}: model.forward must return a Tensor${hint}`);
  }
  return out;
}

/** @internal Collects detached copies of predictions and targets so epoch metrics see every sample. */
export class Collector {
  private preds: Tensor[] = [];
  private targets: Tensor[] = [];

  add(pred: Tensor, target: Tensor): void {
    noGrad(() => {
      this.preds.push(keep(clone(pred.detach())));
      this.targets.push(keep(clone(target.detach())));
    });
  }

  /** The metrics over everything added; frees the copies. */
  compute(metrics: readonly { name: string; fn: MetricFn }[]): Logs {
    const logs: Logs = {};
    if (this.preds.length > 0) {
      tidy(() => {
        const p = cat(this.preds);
        const t = cat(this.targets);
        for (const m of metrics) logs[m.name] = m.fn(p, t);
      });
    }
    for (const x of [...this.preds, ...this.targets]) x.dispose();
    this.preds = [];
    this.targets = [];
    return logs;
  }
}

/** @internal Remembers the training flag of every submodule, to put them back as they were. */
export function saveModes(model: Module): () => void {
  const modes = model.modules().map((m) => [m, m.training] as const);
  return () => {
    for (const [m, t] of modes) m.training = t;
  };
}

/**
 * @internal Accumulates an evaluation pass (eval mode and noGrad are the caller's): the
 * size-weighted mean loss and the metrics over all samples.
 */
export class EvalPass {
  private readonly collector = new Collector();
  private lossSum = 0;
  private seen = 0;

  constructor(
    private readonly op: string,
    private readonly model: Module,
    private readonly loss: LossFn | undefined,
    private readonly metrics: readonly { name: string; fn: MetricFn }[],
  ) {}

  /** One batch (inside the caller's tidy). */
  step(batch: unknown): void {
    this.addSync(this.forward(batch));
  }

  private addSync(r: { n: number; loss?: Tensor; pred: Tensor; y: Tensor }): void {
    if (r.loss) this.lossSum += Number(r.loss.item()) * r.n;
    if (this.metrics.length > 0) this.collector.add(r.pred, r.y);
    this.seen += r.n;
  }

  /**
   * One batch on any backend (inside the caller's tidy, which keeps what this returns for
   * {@link readAsync}): on one that reads synchronously it is {@link step}.
   */
  stepAsync(batch: unknown): { n: number; loss?: Tensor; pred: Tensor; y: Tensor } | null {
    const r = this.forward(batch);
    if (readsSync(r.pred)) {
      this.addSync(r);
      return null;
    }
    return { ...r, y: clone(r.y) };
  }

  /** Reads and frees what {@link stepAsync} returned for an asynchronous backend. */
  async readAsync(r: { n: number; loss?: Tensor; pred: Tensor; y: Tensor }): Promise<void> {
    try {
      if (r.loss) this.lossSum += Number((await r.loss.data())[0]) * r.n;
      if (this.metrics.length > 0) {
        const pred = await readable(this.op, r.pred);
        const y = await readable(this.op, r.y);
        this.collector.add(pred, y);
        if (pred !== r.pred) pred.dispose();
        if (y !== r.y) y.dispose();
      }
      this.seen += r.n;
    } finally {
      for (const t of [r.loss, r.pred, r.y]) t?.dispose();
    }
  }

  private forward(batch: unknown): { n: number; loss?: Tensor; pred: Tensor; y: Tensor } {
    const [x, y] = unpackBatch(this.op, batch);
    const pred = forwardTensor(this.op, this.model, x);
    return { n: x.shape[0] ?? 1, loss: this.loss?.(pred, y), pred, y };
  }

  /** The logs; frees the collected copies. */
  finish(): Logs {
    if (this.seen === 0) {
      this.collector.compute([]);
      throw new Error(`${this.op}: the data yielded no batches`);
    }
    const logs: Logs = {};
    if (this.loss) logs.loss = this.lossSum / this.seen;
    return { ...logs, ...this.collector.compute(this.metrics) };
  }

  /** Frees the collected copies after an error. */
  abort(): void {
    this.collector.compute([]);
  }
}

/** @internal A synchronous evaluation pass over `batches` (eval mode and noGrad are the caller's). */
export function evaluatePass(
  op: string,
  model: Module,
  batches: Iterable<unknown>,
  loss: LossFn | undefined,
  metrics: readonly { name: string; fn: MetricFn }[],
): Logs {
  const acc = new EvalPass(op, model, loss, metrics);
  const it = batches[Symbol.iterator]();
  try {
    // Tensors the iterator creates (the batch) belong to this tidy and are freed with it.
    while (
      tidy(() => {
        const next = it.next();
        if (next.done) return false;
        acc.step(next.value);
        return true;
      })
    );
  } catch (e) {
    acc.abort();
    throw e;
  }
  return acc.finish();
}

/** @internal An evaluation pass that awaits its batches (fit's validation); sets eval mode and noGrad per step. */
export async function evaluatePassAsync(
  op: string,
  model: Module,
  pass: BatchPass<unknown>,
  loss: LossFn | undefined,
  metrics: readonly { name: string; fn: MetricFn }[],
): Promise<Logs> {
  const acc = new EvalPass(op, model, loss, metrics);
  try {
    for (;;) {
      const r = await pass.next((batch) => noGrad(() => acc.stepAsync(batch)));
      if (r.done) break;
      if (r.value) await acc.readAsync(r.value);
    }
  } catch (e) {
    acc.abort();
    throw e;
  } finally {
    await pass.close();
  }
  return acc.finish();
}

/**
 * The loss and metrics of `model` on `data` (Keras' `model.evaluate(..., return_dict=True)`),
 * computed in eval mode without gradients; the model's training flags are restored afterwards.
 * Returns `{ loss, <metric>: … }`, each over all the samples. Reads synchronously: a dataset or
 * loader that only reads asynchronously is refused.
 *
 * @throws Error when `model` is not an `nn.Module`, neither a loss nor metrics are given, the
 *   data yields no batches or a batch is not `[x, y]`, or `model.forward` returns no tensor.
 *
 * @example
 * ```ts
 * const { loss, accuracy } = train.evaluate(model, [xTest, yTest], { loss: new nn.CrossEntropyLoss(), metrics: ['accuracy'] });
 * ```
 */
export function evaluate(model: Module, data: DataSource, opts: EvaluateOptions = {}): Logs {
  if (!(model instanceof Module)) throw new Error('evaluate: model must be an nn.Module');
  if (!opts.loss && !(opts.metrics && opts.metrics.length > 0)) {
    throw new Error('evaluate: give a loss, metrics, or both');
  }
  const loss = opts.loss === undefined ? undefined : resolveLoss('evaluate', opts.loss);
  const metrics = resolveMetrics(opts.metrics, opts.loss);
  const batches = syncBatches('evaluate', toBatches('evaluate', data, { batchSize: opts.batchSize }));
  const restore = saveModes(model);
  model.eval();
  try {
    return noGrad(() => evaluatePass('evaluate', model, batches, loss, metrics));
  } finally {
    restore();
  }
}

/**
 * The model's outputs for `x` (a tensor, batched along dim 0, or an iterable of batches whose
 * first element is the input), concatenated: computed in eval mode without gradients, with
 * the previous training flags restored afterwards (Keras' `model.predict`).
 *
 * @throws Error when `model` is not an `nn.Module`, `batchSize` is not a positive integer,
 *   `x` is a 0-d tensor, an async iterable or an iterable without batches, or a batch holds no
 *   input tensor.
 *
 * @example
 * ```ts
 * const probs = train.predict(model, xTest, { batchSize: 256 }).softmax(1);
 * ```
 */
export function predict(
  model: Module,
  x: Tensor | Iterable<unknown>,
  opts: {
    /** Samples per forward pass when `x` is a tensor (default 32). */
    batchSize?: number;
  } = {},
): Tensor {
  if (!(model instanceof Module)) throw new Error('predict: model must be an nn.Module');
  const bs = opts.batchSize ?? 32;
  if (!Number.isInteger(bs) || bs < 1)
    throw new Error(`predict: batchSize must be a positive integer, got ${bs}`);
  const restore = saveModes(model);
  model.eval();
  try {
    return noGrad(() =>
      tidy(() => {
        const outs: Tensor[] = [];
        if (x instanceof Tensor) {
          const n = x.shape[0];
          if (x.ndim === 0) throw new Error('predict: x must have a batch dimension');
          for (let i = 0; i < n; i += bs)
            outs.push(forwardTensor('predict', model, x.narrow(0, i, Math.min(bs, n - i))));
          if (n === 0) return forwardTensor('predict', model, x);
        } else {
          if (typeof (x as Partial<Iterable<unknown>>)?.[Symbol.iterator] !== 'function') {
            throw new Error(
              'predict: x must be a Tensor or an iterable of batches (predict reads synchronously; an async iterable is not supported)',
            );
          }
          for (const b of x) {
            const input = b instanceof Tensor ? b : Array.isArray(b) && b[0] instanceof Tensor ? b[0] : null;
            if (!input)
              throw new Error(
                'predict: each batch must be a Tensor or an array whose first item is the input',
              );
            outs.push(forwardTensor('predict', model, input));
          }
          if (outs.length === 0) throw new Error('predict: the data yielded no batches');
        }
        return outs.length === 1 ? outs[0] : cat(outs);
      }),
    );
  } finally {
    restore();
  }
}
