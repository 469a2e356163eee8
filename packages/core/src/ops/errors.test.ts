import { CpuBackend } from '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { cat, ones, randn, registerBackend, removeBackend, tensor, zeros } from '../index.js';

describe('clear errors name the op, the shapes and what was expected', () => {
  it('matmul shape mismatch', () => {
    expect(() => zeros(2, 3).matmul(zeros(4, 5))).toThrow(
      'matmul: shapes [2,3] and [4,5] cannot be multiplied (3 != 4)',
    );
  });
  it('broadcast mismatch', () => {
    expect(() => zeros(2, 3).add(zeros(4))).toThrow(/add: shapes \[2,3\] and \[4\] cannot be broadcast/);
  });
  it('dim out of range', () => {
    expect(() => zeros(2, 3).sum(2)).toThrow(/sum: dimension 2 is out of range for a tensor of 2 dims/);
  });
  it('reshape size mismatch', () => {
    expect(() => zeros(2, 3).reshape(4, 2)).toThrow(/reshape: shape \[4,2\] is invalid for input of size 6/);
  });
  it('index out of range', () => {
    expect(() => zeros(2, 5).gather(1, tensor([[7], [0]], { dtype: 'int32' }))).toThrow(
      /gather.*7.*out of range/,
    );
    expect(() => zeros(3).indexSelect(0, tensor([3], { dtype: 'int32' }))).toThrow(/out of range/);
  });
  it('backward on a non-scalar without a gradient', () => {
    const x = randn([2, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(
      /backward: grad can be implicitly created only for scalar outputs, got shape \[2,2\]/,
    );
  });
  it('backward on a tensor that does not require grad', () => {
    expect(() => ones(1).backward()).toThrow(/does not require grad/);
  });
  it('gradient of an int tensor', () => {
    expect(() => tensor([1, 2], { dtype: 'int32' }).requiresGrad_(true)).toThrow(
      /only floating point tensors can require gradients/,
    );
  });
  it('cat of mismatched shapes', () => {
    expect(() => cat([zeros(2, 3), zeros(3, 3)], 1)).toThrow(
      /cat: sizes of tensors must match except in dim 1/,
    );
  });
  it('unknown backend', () => {
    expect(() => zeros([2], { device: 'nope' })).toThrow(/backend 'nope' is not registered/);
  });
  it('in-place into an int tensor from a float result', () => {
    expect(() => tensor([1, 2], { dtype: 'int32' }).add_(0.5)).toThrow(
      /add_: result type float32 can't be cast to the desired output type int32/,
    );
  });
  it('mixing devices, and moving with to()', () => {
    registerBackend('cpu2', () => new CpuBackend());
    try {
      const a = tensor([1, 2]);
      const b = tensor([3, 4], { device: 'cpu2' });
      expect(() => a.add(b)).toThrow('add: tensors are on different devices: cpu and cpu2 (use .to())');
      const moved = b.to('cpu');
      expect(moved.device).toBe('cpu');
      expect(a.add(moved).toArray()).toEqual([4, 6]);
      const x = tensor([1, 2], { requiresGrad: true });
      x.to('cpu2').mul(2).sum().backward();
      expect(x.grad!.toArray()).toEqual([2, 2]);
    } finally {
      removeBackend('cpu2');
    }
  });
  it('use after dispose', () => {
    const t = zeros(2);
    t.dispose();
    expect(() => t.exp()).toThrow(/exp: tensor \[2\] float32 was disposed/);
  });
});
