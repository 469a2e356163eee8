import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, nn, noGrad, randn, tidy, zeros } from '../../index.js';

describe('Conv3d, ConvTranspose1d, ConvTranspose3d', () => {
  it("take PyTorch's positional arguments and state-dict layouts", () => {
    manualSeed(0);
    const c = new nn.Conv3d(4, 6, [3, 2, 1], 2, 1, 1, 2, false, 'reflect');
    expect([c.stride, c.padding, c.groups, c.bias, c.paddingMode]).toEqual([
      [2, 2, 2],
      [1, 1, 1],
      2,
      null,
      'reflect',
    ]);
    expect(c.weight.shape).toEqual([6, 2, 3, 2, 1]);
    const t = new nn.ConvTranspose3d(4, 6, 3, 2, 1, 1, 2);
    expect(Object.keys(t.stateDict())).toEqual(['weight', 'bias']);
    expect(t.weight.shape).toEqual([4, 3, 3, 3, 3]);
    // kaiming_uniform(a=√5): U(±1/√fanIn), fanIn = weight.shape[1] · k³ (PyTorch's rule, also for transposed)
    const bound = 1 / Math.sqrt(3 * 27);
    for (const v of t.weight.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    expect(new nn.ConvTranspose1d(3, 5, 4, { stride: 2 }).weight.shape).toEqual([3, 5, 4]);
  });

  it('transposed layers take forward(x, outputSize) and name unreachable sizes', () => {
    const up = new nn.ConvTranspose1d(2, 2, 3, { stride: 3 });
    expect(up.forward(zeros([1, 2, 4]), [13]).shape).toEqual([1, 2, 13]);
    expect(up.forward(zeros([2, 4]), [2, 14]).shape).toEqual([2, 14]);
    expect(() => up.forward(zeros([1, 2, 4]), [15])).toThrow(
      'ConvTranspose1d: requested an output size of [15], but valid sizes range from [12] to [14] (for an input of [4])',
    );
    expect(() => new nn.ConvTranspose3d(2, 2, 2).forward(zeros([1, 2, 2, 2, 2]), [3, 3])).toThrow(
      /outputSize must have 3 or 5 elements \(got 2\)/,
    );
    expect(new nn.ConvTranspose2d(2, 2, 3, { stride: 2 }).forward(zeros([1, 2, 3, 3]), [8, 7]).shape).toEqual(
      [1, 2, 8, 7],
    );
    expect(() => new nn.ConvTranspose3d(2, 2, 3, { paddingMode: 'reflect' } as never)).toThrow(/paddingMode/);
  });

  it('a small 3-D conv net trains without leaking tensors', () => {
    manualSeed(1);
    const model = new nn.Sequential(
      new nn.Conv3d(1, 4, 3, { padding: 1, paddingMode: 'replicate' }),
      new nn.ReLU(),
      new nn.MaxPool3d(2),
      new nn.ConvTranspose3d(4, 2, 2, { stride: 2 }),
      new nn.AvgPool3d(2),
      new nn.Flatten(),
      new nn.Linear(2 * 2 * 2 * 2, 1),
    );
    const x = randn([2, 1, 4, 4, 4]);
    const step = () =>
      tidy(() => {
        model.zeroGrad();
        const loss = model.forward(x).pow(2).mean();
        loss.backward();
        noGrad(() => {
          for (const p of model.parameters()) if (p.grad) p.sub_(p.grad.mul(0.05));
        });
        return loss.item();
      });
    const first = step();
    const before = memory().numTensors;
    let last = first;
    for (let i = 0; i < 4; i++) last = step();
    expect(last).toBeLessThan(first);
    expect(memory().numTensors).toBe(before);
  });
});
