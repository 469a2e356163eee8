import { noGrad, type Tensor, tidy } from '@proj/core';

/** What warm-up needs of a model: a forward pass and its parameters (an `nn.Module`). */
export interface WarmupModel {
  /** The model's forward pass on one batch; its result is summed and backpropagated. */
  forward(input: Tensor): Tensor;
  /** The parameters whose gradients are cleared after the pass. */
  parameters(): Iterable<Tensor>;
}

/**
 * One forward and backward pass of `model` on `input`, compiling every kernel a training step
 * uses. Parameter gradients are cleared afterwards (as after `zeroGrad`).
 */
export function warmup(model: WarmupModel, input: Tensor): void {
  const params = [...model.parameters()];
  tidy(() => {
    model.forward(input).sum().backward();
  });
  noGrad(() => {
    for (const p of params) {
      p.grad?.dispose();
      p.grad = null;
    }
  });
}
