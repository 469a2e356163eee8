import { noGrad } from '../autograd/grad-mode.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callback.js';
import { forwardTensor } from './evaluate.js';
import type { MetricFn } from './metrics/registry.js';
import type { LossFn } from './specs.js';

/**
 * @internal One optimization step on a batch (inside the caller's tidy, the model in
 * training mode): zeroGrad, forward, loss, backward, step. Returns the batch's logs (`size`,
 * `loss`, the metrics) and the predictions, for epoch metrics.
 */
export function trainStep(
  op: string,
  model: Module,
  x: Tensor,
  y: Tensor,
  loss: LossFn,
  optimizer: Optimizer<any>,
  metrics: readonly { name: string; fn: MetricFn }[],
): { logs: Logs; pred: Tensor } {
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
  const logs: Logs = { size: x.shape[0] ?? 1, loss: Number(lossT.item()) };
  if (metrics.length > 0) {
    noGrad(() => {
      const p = pred.detach();
      for (const m of metrics) logs[m.name] = m.fn(p, y);
    });
  }
  return { logs, pred };
}
