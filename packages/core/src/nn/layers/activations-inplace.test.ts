import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { nn, type Tensor, tensor } from '../../index.js';

// ReLU(inplace=True) and LeakyReLU(..., inplace=True), as PyTorch 1.13 (values printed by torch):
// the result is the input tensor, rewritten, and autograd follows the in-place rules.
const vals = (t: Tensor | null) => Array.from(t!.dataSync());

describe('in-place ReLU and LeakyReLU', () => {
  it('writes into the input and returns it, gradients as PyTorch', () => {
    const x = tensor([-1, 2, -3, 4], { requiresGrad: true });
    const h = x.mul(2);
    const y = new nn.ReLU(true).forward(h);
    expect(y).toBe(h);
    expect(vals(h)).toEqual([0, 4, 0, 8]);
    y.mul(y).sum().backward();
    expect(vals(x.grad)).toEqual([0, 16, 0, 32]);
  });

  it('LeakyReLU in place, with its repr', () => {
    const x = tensor([-1, 2], { requiresGrad: true });
    const h = x.mul(1);
    const m = new nn.LeakyReLU(0.1, true);
    m.forward(h).sum().backward();
    expect(vals(x.grad)[0]).toBeCloseTo(0.1, 6);
    expect(vals(x.grad)[1]).toBe(1);
    expect(String(new nn.LeakyReLU(0.2, true))).toBe('LeakyReLU(negative_slope=0.2, inplace=True)');
    expect(String(new nn.ReLU({ inplace: true }))).toBe('ReLU(inplace=True)');
  });

  it('refuses a leaf that requires grad, as PyTorch', () => {
    const l = tensor([1, -2], { requiresGrad: true });
    expect(() => nn.functional.relu(l, true)).toThrow(/leaf/);
  });
});
