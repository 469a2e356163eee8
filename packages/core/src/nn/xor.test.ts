// Classic sanity checks: a perceptron learns AND but not XOR; a 2-4-1 MLP learns XOR.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, nn, noGrad, type Tensor, tensor, tidy } from '../index.js';

const X = () =>
  tensor([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]);
const AND = () => tensor([[0], [0], [0], [1]]);
const XOR = () => tensor([[0], [1], [1], [0]]);

/** Full-batch gradient descent on BCE-with-logits; returns the 0/1 predictions. */
function train(model: nn.Module, y: () => Tensor, steps: number, lr: number): number[] {
  const lossFn = new nn.BCEWithLogitsLoss();
  for (let i = 0; i < steps; i++) {
    tidy(() => {
      model.zeroGrad();
      lossFn.forward(model.forward(X()), y()).backward();
      noGrad(() => {
        for (const p of model.parameters()) p.sub_(p.grad!.mul(lr));
      });
    });
  }
  return tidy(() => Array.from(new nn.Step().forward(model.forward(X())).dataSync()));
}

describe('perceptron and MLP', () => {
  it('a single Linear unit learns AND', () => {
    manualSeed(0);
    const before = memory().numTensors;
    const p = new nn.Linear(2, 1);
    expect(train(p, AND, 300, 1)).toEqual([0, 0, 0, 1]);
    p.zeroGrad();
    for (const t of p.parameters()) t.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('a single Linear unit cannot learn XOR', () => {
    manualSeed(0);
    const pred = train(new nn.Linear(2, 1), XOR, 300, 1);
    expect(pred).not.toEqual([0, 1, 1, 0]);
  });

  it('a 2-4-1 MLP learns XOR', () => {
    manualSeed(0);
    const mlp = new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), new nn.Linear(4, 1));
    expect(train(mlp, XOR, 500, 0.5)).toEqual([0, 1, 1, 0]);
  });
});
