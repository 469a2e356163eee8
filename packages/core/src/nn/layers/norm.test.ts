import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { nn, randn, tensor } from '../../index.js';

describe('normalisation layers', () => {
  it("BatchNorm has PyTorch's parameters and buffers and counts batches in training", () => {
    const bn = new nn.BatchNorm2d(3);
    expect(Object.keys(bn.stateDict())).toEqual([
      'weight',
      'bias',
      'running_mean',
      'running_var',
      'num_batches_tracked',
    ]);
    expect(bn.num_batches_tracked!.dtype).toBe('int64');
    bn.forward(randn([2, 3, 2, 2]));
    bn.forward(randn([2, 3, 2, 2]));
    expect(bn.num_batches_tracked!.item()).toBe(2);
    expect(bn.toString()).toBe(
      'BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)',
    );
  });

  it('BatchNorm uses running stats in eval and batch stats without tracking', () => {
    const bn = new nn.BatchNorm1d(2, { affine: false });
    bn.running_mean!.copy_(tensor([1, 2], { dtype: 'float32' }));
    bn.running_var!.copy_(tensor([4, 9], { dtype: 'float32' }));
    bn.eval();
    const y = bn.forward(tensor([[3, 5]], { dtype: 'float32' })).toArray() as number[][];
    expect(y[0][0]).toBeCloseTo(1, 4);
    expect(y[0][1]).toBeCloseTo(1, 4);
    expect(bn.num_batches_tracked!.item()).toBe(0);
    const free = new nn.BatchNorm1d(2, { trackRunningStats: false }).eval();
    expect(Object.keys(free.stateDict())).toEqual(['weight', 'bias']);
    const z = free
      .forward(
        tensor(
          [
            [1, 2],
            [3, 6],
          ],
          { dtype: 'float32' },
        ),
      )
      .toArray() as number[][];
    expect(z[0][0]).toBeCloseTo(-1, 4);
    expect(() => new nn.BatchNorm2d(2).forward(randn([2, 2, 3]))).toThrow(/BatchNorm2d: expected 4D input/);
    expect(() => new nn.BatchNorm1d(2).forward(randn([2, 2, 3, 3]))).toThrow(
      /BatchNorm1d: expected 2D or 3D input/,
    );
  });

  it('LayerNorm has weight and bias of normalizedShape', () => {
    const ln = new nn.LayerNorm([3, 4]);
    expect(Object.keys(ln.stateDict())).toEqual(['weight', 'bias']);
    expect(ln.weight!.shape).toEqual([3, 4]);
    expect(ln.toString()).toBe('LayerNorm((3, 4), eps=1e-05, elementwise_affine=True)');
    expect(new nn.LayerNorm(4, { elementwiseAffine: false }).parameters()).toEqual([]);
    expect(ln.forward(randn([2, 3, 4])).shape).toEqual([2, 3, 4]);
  });
});
