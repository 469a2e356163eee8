import { noGrad } from '../autograd/grad-mode.js';
import { Module } from '../nn/module.js';
import { clone } from '../ops/convert.js';
import { cat } from '../ops/join.js';
import { keep, tidy } from '../tensor/scope.js';
import { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callback.js';
import { type DataSource, toBatches, unpackBatch } from './data-source.js';
import { type MetricFn, type MetricSpec, resolveMetric } from './metrics/registry.js';

/** A loss: a loss module (`new nn.MSELoss()`) or a function of predictions and targets. */
export type LossSpec = Module | ((pred: Tensor, target: Tensor) => Tensor);

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** The loss to report as `loss` (omit to report metrics only). */
  loss?: LossSpec;
  /** Metrics to report (names such as 'accuracy', or functions). */
  metrics?: readonly MetricSpec[];
  /** Batch size when `data` is tensors or a Dataset (default 32). */
  batchSize?: number;
}

/** @internal Calls a loss spec. */
export function callLoss(loss: LossSpec, pred: Tensor, target: Tensor): Tensor {
  const out = loss instanceof Module ? loss.forward(pred, target) : loss(pred, target);
  if (!(out instanceof Tensor)) throw new Error('fit: the loss must return a Tensor');
  return out;
}

/** @internal Runs the model and checks that it returned one tensor. */
export function forwardTensor(op: string, model: Module, x: Tensor): Tensor {
  const out = model.forward(x);
  if (!(out instanceof Tensor)) {
    throw new Error(`${op}: model.forward must return a Tensor (wrap models with several outputs)`);
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
 * @internal One evaluation pass (eval mode and noGrad are the caller's): the size-weighted
 * mean loss and the metrics over all samples.
 */
export function evaluatePass(
  op: string,
  model: Module,
  batches: Iterable<unknown>,
  loss: LossSpec | undefined,
  metrics: readonly { name: string; fn: MetricFn }[],
): Logs {
  const collector = new Collector();
  const it = batches[Symbol.iterator]();
  let lossSum = 0;
  let seen = 0;
  try {
    // Tensors the iterator creates (the batch) belong to this tidy and are freed with it.
    while (
      tidy(() => {
        const next = it.next();
        if (next.done) return false;
        const [x, y] = unpackBatch(op, next.value);
        const pred = forwardTensor(op, model, x);
        const n = x.shape[0] ?? 1;
        if (loss) lossSum += Number(callLoss(loss, pred, y).item()) * n;
        if (metrics.length > 0) collector.add(pred, y);
        seen += n;
        return true;
      })
    );
  } catch (e) {
    collector.compute([]);
    throw e;
  }
  if (seen === 0) throw new Error(`${op}: the data yielded no batches`);
  const logs: Logs = {};
  if (loss) logs.loss = lossSum / seen;
  return { ...logs, ...collector.compute(metrics) };
}

/**
 * The loss and metrics of `model` on `data`, computed in eval mode without gradients; the
 * model's training flags are restored afterwards. Returns `{ loss, <metric>: … }`.
 *
 * ```ts
 * const { loss, accuracy } = train.evaluate(model, [xTest, yTest], { loss: new nn.CrossEntropyLoss(), metrics: ['accuracy'] });
 * ```
 */
export function evaluate(model: Module, data: DataSource, opts: EvaluateOptions = {}): Logs {
  if (!(model instanceof Module)) throw new Error('evaluate: model must be an nn.Module');
  if (!opts.loss && !(opts.metrics && opts.metrics.length > 0)) {
    throw new Error('evaluate: give a loss, metrics, or both');
  }
  const metrics = (opts.metrics ?? []).map(resolveMetric);
  const { iterable } = toBatches('evaluate', data, { batchSize: opts.batchSize });
  const restore = saveModes(model);
  model.eval();
  try {
    return noGrad(() => evaluatePass('evaluate', model, iterable, opts.loss, metrics));
  } finally {
    restore();
  }
}

/**
 * The model's outputs for `x` (a tensor, batched along dim 0, or an iterable of batches whose
 * first element is the input), concatenated: computed in eval mode without gradients, with
 * the previous training flags restored afterwards.
 */
export function predict(
  model: Module,
  x: Tensor | Iterable<unknown>,
  opts: { batchSize?: number } = {},
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
