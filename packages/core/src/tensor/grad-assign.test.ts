import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { nn, optim, tensor, zeros } from '../index.js';

describe('assigning .grad', () => {
  it("refuses a grad of another size where it is assigned (PyTorch: 'assigned grad has data of a different size')", () => {
    const p = new nn.Parameter(zeros(3));
    const g = zeros(4);
    expect(() => {
      p.grad = g;
    }).toThrow(
      'grad: assigned grad has data of a different size: [4] for a tensor of shape [3] float32 on cpu',
    );
    expect(p.grad).toBeNull();
    // It used to be accepted and fail later, in the step.
    const opt = new optim.SGD([p], { lr: 0.1 });
    opt.step();
    expect(Array.from(p.dataSync())).toEqual([0, 0, 0]);
    g.dispose();
    p.dispose();
  });

  it('refuses another dtype, a non-tensor and the tensor itself', () => {
    const p = new nn.Parameter(zeros(2));
    const g64 = zeros(2, { dtype: 'float64' });
    expect(() => {
      p.grad = g64;
    }).toThrow(
      "grad: assigned grad has data of a different type: float64 for a tensor of shape [2] float32 on cpu (cast it with .to('float32'))",
    );
    expect(() => {
      p.grad = [0, 0] as never;
    }).toThrow('grad: assigned grad expected to be a Tensor or null, got an array');
    expect(() => {
      p.grad = undefined as never;
    }).toThrow('grad: assigned grad expected to be a Tensor or null, got undefined');
    expect(() => {
      p.grad = p;
    }).toThrow("grad: can't assign a tensor as its own grad");
    expect(p.grad).toBeNull();
    g64.dispose();
    p.dispose();
  });

  it('accepts a matching grad and null; backward still accumulates', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const g = tensor([0.5, 0.5]);
    w.grad = g;
    expect(w.grad).toBe(g);
    w.mul(3).sum().backward();
    w.mul(1).sum().backward();
    expect(Array.from(w.grad!.dataSync())).toEqual([4.5, 4.5]);
    w.grad = null;
    expect(w.grad).toBeNull();
    g.dispose();
    w.mul(2).sum().backward();
    expect(Array.from(w.grad!.dataSync())).toEqual([2, 2]);
    w.dispose();
  });
});
