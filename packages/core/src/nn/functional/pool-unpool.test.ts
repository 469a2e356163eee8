import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { arange, gradcheck, gradgradcheck, manualSeed, randn, tensor, zeros } from '../../index.js';
import { maxPool2d } from './pool.js';
import { maxPool3d } from './pool-nd.js';
import { maxUnpool1d, maxUnpool2d, maxUnpool3d } from './pool-unpool.js';

describe('maxUnpool', () => {
  it('puts each value at its index, zeros elsewhere', () => {
    const x = arange(16).reshape(1, 1, 4, 4).float();
    const [y, idx] = maxPool2d(x, 2, { returnIndices: true });
    expect(maxUnpool2d(y, idx, 2).toArray()).toEqual([
      [
        [
          [0, 0, 0, 0],
          [0, 5, 0, 7],
          [0, 0, 0, 0],
          [0, 13, 0, 15],
        ],
      ],
    ]);
    const v = randn([1, 2, 4, 4, 6]);
    const [p, i3] = maxPool3d(v, 2, { returnIndices: true });
    const back = maxUnpool3d(p, i3, 2);
    // every kept value is back where it came from
    expect(back.shape).toEqual([1, 2, 4, 4, 6]);
    expect(
      back
        .mul(back.ne(0))
        .sub(v.mul(back.ne(0)))
        .abs()
        .max()
        .item(),
    ).toBe(0);
    expect(
      maxUnpool1d(tensor([[[5, 7]]]), tensor([[[1, 2]]], { dtype: 'int32' }), 2, {
        outputSize: [5],
      }).toArray(),
    ).toEqual([[[0, 5, 7, 0, 0]]]);
  });

  it('gives every input the gradient at its index, also where indices repeat (as PyTorch)', () => {
    const x = tensor([[[1, 2]]]).requiresGrad_(true);
    const y = maxUnpool1d(x, tensor([[[1, 1]]], { dtype: 'int64' }), 2);
    y.mul(tensor([[[10, 20, 30, 40]]]))
      .sum()
      .backward();
    expect(x.grad!.toArray()).toEqual([[[20, 20]]]);
  });

  it('passes gradcheck and gradgradcheck', () => {
    // Windows that do not overlap: with repeated indices PyTorch's gradient (which this one
    // follows) is not the derivative of the forward, where the last write wins.
    manualSeed(9);
    const [y, idx] = maxPool2d(randn([2, 2, 6, 5], { dtype: 'float64' }), 2, { returnIndices: true });
    gradcheck((v) => maxUnpool2d(v, idx, 2, { outputSize: [6, 5] }), [y.requiresGrad_(true)]);
    gradgradcheck((v) => maxUnpool2d(v, idx, 2, 2, 0, [6, 5]), [y]);
  });

  it('names bad indices and output sizes', () => {
    const y = zeros([1, 1, 2, 2]);
    expect(() =>
      maxUnpool2d(
        y,
        tensor(
          [
            [
              [
                [0, 1],
                [2, 16],
              ],
            ],
          ],
          { dtype: 'int64' },
        ),
        2,
      ),
    ).toThrow('maxUnpool2d: found an invalid max index 16 (output volumes are of size 4x4)');
    expect(() => maxUnpool2d(y, zeros([1, 1, 2, 2]), 2)).toThrow(/indices must be an int64/);
    expect(() =>
      maxUnpool2d(
        y,
        tensor(
          [
            [
              [
                [0, 1],
                [2, 3],
              ],
            ],
          ],
          { dtype: 'int64' },
        ),
        2,
        { outputSize: [6, 4] },
      ),
    ).toThrow(/invalid outputSize \[6, 4\] \(dim 0 must be between 2 and 6\)/);
  });
});
