// The BENCH.md W2 MLP and W3 CNN and one eager training step: shared by the compile tests,
// the training tests and the shape soak, so that all of them build the same models.
import { nn, type optim, type Tensor, tidy } from '@proj/core';

/** A module whose forward takes one tensor. */
export type Model = nn.Module & { forward(x: Tensor): Tensor };

/** BENCH.md W2: MLP 784-256-128-10 with ReLU (input `[batch, 784]`). */
export const mlpW2 = (): Model =>
  new nn.Sequential(
    new nn.Linear(784, 256),
    new nn.ReLU(),
    new nn.Linear(256, 128),
    new nn.ReLU(),
    new nn.Linear(128, 10),
  ) as Model;

/** BENCH.md W3: two conv/ReLU/max-pool stages and a linear head (input `[batch, 1, 28, 28]`). */
export const cnnW3 = (): Model =>
  new nn.Sequential(
    new nn.Conv2d(1, 8, 3),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(400, 10),
  ) as Model;

/** One eager step (zero grads, forward, loss, backward, update) inside a `tidy`; returns the loss. */
export function eagerStep(
  model: Model,
  lossFn: { forward(input: Tensor, target: Tensor): Tensor },
  opt: optim.Optimizer<any>,
  x: Tensor,
  y: Tensor,
): number {
  return tidy(() => {
    opt.zeroGrad();
    const l = lossFn.forward(model.forward(x), y);
    l.backward();
    opt.step();
    return l.item();
  });
}
