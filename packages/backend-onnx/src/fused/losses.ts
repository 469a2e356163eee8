// Loss nodes of a fused training step, with their gradient dL/dz written explicitly:
// softmax cross-entropy (softmax − onehot)/N and mean squared error 2(z − t)/n.
import { nn } from '@proj/core';
import type { OnnxDType } from '../proto/dtypes.js';
import type { TrainContext, Value } from './context.js';

/** What the step needs to know about a supported loss before building its graph. */
export interface LossPlan {
  readonly kind: 'crossEntropy' | 'mse';
  readonly reduction: 'mean' | 'sum';
  /** The target's element type and shape for model outputs of `outShape`. */
  target(outShape: readonly number[]): { dtype: OnnxDType; shape: number[] };
}

/** Checks that `loss` is one the fused step can differentiate; throws naming it otherwise. */
export function planLoss(loss: nn.Module): LossPlan {
  const cls = loss?.constructor?.name ?? String(loss);
  if (!(loss instanceof nn.CrossEntropyLoss) && !(loss instanceof nn.MSELoss)) {
    throw new Error(`compileTrainStep: loss ${cls} is not supported (supported: CrossEntropyLoss, MSELoss)`);
  }
  const reduction = loss.reduction;
  if (reduction === 'none') {
    throw new Error(`compileTrainStep: ${cls} with reduction 'none' has no scalar loss; use 'mean' or 'sum'`);
  }
  if (loss instanceof nn.CrossEntropyLoss) {
    if (loss.weight !== null || loss.labelSmoothing !== 0) {
      throw new Error(
        'compileTrainStep: CrossEntropyLoss with class weights or label smoothing is not supported',
      );
    }
    return {
      kind: 'crossEntropy',
      reduction,
      target: (out) => {
        if (out.length !== 2) {
          throw new Error(
            `compileTrainStep: CrossEntropyLoss needs model outputs [N, C], got [${out.join(', ')}]`,
          );
        }
        return { dtype: 'int32', shape: [out[0]] };
      },
    };
  }
  return { kind: 'mse', reduction, target: (out) => ({ dtype: 'float32', shape: [...out] }) };
}

/** Emits the scalar loss of logits `z` against `target`, and dL/dz. */
export function emitLoss(
  cx: TrainContext,
  plan: LossPlan,
  z: Value,
  target: string,
): { loss: string; dz: string } {
  const n = z.shape.reduce((a, b) => a * b, 1);
  if (plan.kind === 'mse') {
    const diff = cx.op('Sub', [z.name, target]);
    const total = cx.op('ReduceSum', [cx.op('Mul', [diff, diff])], { keepdims: 0 });
    const scale = plan.reduction === 'mean' ? 1 / n : 1;
    return {
      loss: plan.reduction === 'mean' ? cx.op('Div', [total, cx.scalar(n)]) : total,
      dz: cx.op('Mul', [diff, cx.scalar(2 * scale)]),
    };
  }
  const [N, C] = z.shape;
  const logp = cx.op('LogSoftmax', [z.name], { axis: 1 });
  const labels = cx.op('Unsqueeze', [target, cx.g.int64s([1], 'axes')]);
  const picked = cx.op('GatherElements', [logp, labels], { axis: 1 });
  const total = cx.op('Neg', [cx.op('ReduceSum', [picked], { keepdims: 0 })]);
  const classes = cx.g.constant(
    'classes',
    Int32Array.from({ length: C }, (_, i) => i),
    [1, C],
    'int32',
  );
  const onehot = cx.op('Cast', [cx.op('Equal', [labels, classes])], { to: 1 });
  let dz = cx.op('Sub', [cx.op('Exp', [logp]), onehot]);
  if (plan.reduction === 'mean') dz = cx.op('Mul', [dz, cx.scalar(1 / N)]);
  return { loss: plan.reduction === 'mean' ? cx.op('Div', [total, cx.scalar(N)]) : total, dz };
}
