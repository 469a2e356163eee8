import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { max, min, tensor, tidy, ValuesIndices } from '../index.js';

describe("max/min with a dim return PyTorch's (values, indices) (issue 12)", () => {
  it('are named and iterable as a pair; max() and max(other) stay tensors', () => {
    tidy(() => {
      const x = tensor([
        [1, 7, 7],
        [4, 2, 0],
      ]);
      const r = x.max(1);
      expect(r).toBeInstanceOf(ValuesIndices);
      const [values, indices] = r;
      expect(values.toArray()).toEqual([7, 4]);
      expect(indices.toArray()).toEqual([1, 0]); // first index on ties, as PyTorch
      expect(min(x, 0, true).indices.toArray()).toEqual([[0, 1, 1]]);
      expect(max(x).item()).toBe(7);
      expect(
        x
          .max(
            tensor([
              [5, 0, 9],
              [0, 0, 0],
            ]),
          )
          .toArray(),
      ).toEqual([
        [5, 7, 9],
        [4, 2, 0],
      ]);
    });
  });

  it('send the gradient to the selected element only (amax shares it among ties)', () => {
    tidy(() => {
      const x = tensor([[1, 7, 7]], { requiresGrad: true });
      x.max(1).values.sum().backward();
      expect(x.grad!.toArray()).toEqual([[0, 1, 0]]);
      const y = tensor([[1, 7, 7]], { requiresGrad: true });
      y.amax(1).sum().backward();
      expect(y.grad!.toArray()).toEqual([[0, 0.5, 0.5]]);
    });
  });
});
