import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, noGrad, ones, randn, tensor, tidy } from '../index.js';

describe('autograd', () => {
  it('computes gradients through broadcasting and accumulates on leaves', () => {
    const x = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    const b = tensor([1, 1, 1], { requiresGrad: true });
    const y = x.mul(x).add(b).sum();
    y.backward();
    expect(x.grad!.toArray()).toEqual([
      [2, 4, 6],
      [8, 10, 12],
    ]);
    expect(b.grad!.toArray()).toEqual([2, 2, 2]);
    x.mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [5, 7, 9],
      [11, 13, 15],
    ]);
  });

  it('needs an explicit gradient for non-scalar outputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(/scalar outputs/);
    x.mul(2).backward(tensor([1, 0.5]));
    expect(x.grad!.toArray()).toEqual([2, 1]);
  });

  it('noGrad and detach stop recording', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expect(x.detach().requiresGrad).toBe(false);
    expect(x.mul(2).gradFn?.name).toBe('MulBackward');
  });

  it('refuses in-place ops on leaves that require grad, and detects modified saved tensors', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.add_(1)).toThrow(/leaf tensor that requires grad/);
    const y = x.exp();
    const z = y.mul(y);
    y.add_(1); // y saved by MulBackward
    expect(() => z.sum().backward()).toThrow(/modified by an in-place operation/);
  });

  it('backpropagates through in-place ops on non-leaves', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(2);
    y.mul_(3);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([6, 6, 6]);
  });

  it('views share storage and see in-place updates', () => {
    const a = tensor([1, 2, 3, 4]);
    const v = a.reshape(2, 2);
    a.add_(10);
    expect(v.toArray()).toEqual([
      [11, 12],
      [13, 14],
    ]);
  });

  it('matmul gradients with broadcast batch dims', () => {
    const a = randn([2, 3, 4], { requiresGrad: true });
    const b = randn([4, 5], { requiresGrad: true });
    a.matmul(b).sum().backward();
    // d/db sum(a@b) = a summed over batch and rows, broadcast over columns
    const colsum = a.detach().sum([0, 1]).toArray() as number[];
    const gb = b.grad!.toArray() as number[][];
    for (let k = 0; k < 4; k++) for (let j = 0; j < 5; j++) expect(gb[k][j]).toBeCloseTo(colsum[k], 4);
  });

  it('a training step inside tidy leaks nothing', () => {
    const w = randn([4, 3], { requiresGrad: true });
    const x = randn([8, 4]);
    const step = () =>
      tidy(() => {
        const loss = x.matmul(w).relu().pow(2).mean();
        loss.backward();
        noGrad(() => w.sub_(w.grad!.mul(0.1)));
        w.grad!.zero_();
      });
    step();
    const before = memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(memory().numTensors).toBe(before);
    expect(ones(1).sum().item()).toBe(1);
  });
});
