import { noGrad } from '../autograd/grad-mode.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callback.js';
import { type Collector, forwardTensor } from './evaluate.js';
import { readable } from './host-copy.js';
import type { MetricFn } from './metrics/registry.js';
import type { LossFn } from './specs.js';

/** @internal What one optimization step leaves to read: the batch size, the loss and the predictions. */
export interface StepResult {
  size: number;
  loss: Tensor;
  pred: Tensor;
}

/**
 * @internal One optimization step on a batch (inside the caller's tidy, the model in
 * training mode): zeroGrad, forward, loss, backward, step. Reads nothing, so it runs on
 * asynchronous backends too; {@link batchLogs} reads the logs.
 */
export function trainStep(
  op: string,
  model: Module,
  x: Tensor,
  y: Tensor,
  loss: LossFn,
  optimizer: Optimizer<any>,
): StepResult {
  optimizer.zeroGrad();
  const pred = forwardTensor(op, model, x);
  const lossT = loss(pred, y);
  if (lossT.numel() !== 1) {
    throw new Error(
      `${op}: the loss must be a scalar, got shape ${fmtShape(lossT.shape)} (use reduction 'mean')`,
    );
  }
  lossT.backward();
  optimizer.step();
  return { size: x.shape[0] ?? 1, loss: lossT, pred: pred.detach() };
}

/** @internal The batch's logs (`size`, `loss`, the metrics), read synchronously from a step's result. */
export function batchLogs(
  step: StepResult,
  y: Tensor,
  metrics: readonly { name: string; fn: MetricFn }[],
  lossValue: number = Number(step.loss.item()),
): Logs {
  const logs: Logs = { size: step.size, loss: lossValue };
  if (metrics.length > 0) {
    noGrad(() => {
      for (const m of metrics) logs[m.name] = m.fn(step.pred, y);
    });
  }
  return logs;
}

/** @internal A step on a backend that reads asynchronously: its tensors, kept until {@link readPendingStep}. */
export interface PendingStep {
  step: StepResult;
  /** A copy of the batch's targets (the batch itself is freed, or the source's). */
  y: Tensor;
}

/**
 * @internal Reads a {@link PendingStep}'s logs asynchronously (the metrics on a synchronous
 * copy), adds its predictions to `collector` for the epoch's metrics, and frees its tensors.
 */
export async function readPendingStep(
  op: string,
  pending: PendingStep,
  collector: Collector,
  metrics: readonly { name: string; fn: MetricFn }[],
): Promise<Logs> {
  const { step, y } = pending;
  try {
    const lossValue = Number((await step.loss.data())[0]);
    if (metrics.length === 0) return { size: step.size, loss: lossValue };
    const pred = await readable(op, step.pred);
    const target = await readable(op, y);
    try {
      collector.add(pred, target);
      return batchLogs({ ...step, pred }, target, metrics, lossValue);
    } finally {
      if (pred !== step.pred) pred.dispose();
      if (target !== y) target.dispose();
    }
  } finally {
    step.loss.dispose();
    step.pred.dispose();
    y.dispose();
  }
}
