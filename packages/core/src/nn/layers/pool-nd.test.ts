import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, nn, randn, tidy } from '../../index.js';

describe('1-D/3-D, adaptive max, unpooling and LP pooling layers', () => {
  it("take PyTorch's positional arguments", () => {
    const m = new nn.MaxPool1d(3, 2, 1, 2, true, true);
    expect([m.kernelSize, m.stride, m.padding, m.dilation, m.returnIndices, m.ceilMode]).toEqual([
      3,
      2,
      1,
      2,
      true,
      true,
    ]);
    const a = new nn.AvgPool3d(3, null, 1, true, false, 5);
    expect([a.stride, a.padding, a.ceilMode, a.countIncludePad, a.divisorOverride]).toEqual([
      3,
      1,
      true,
      false,
      5,
    ]);
    expect(new nn.LPPool2d(2, 3, 2, true).toString()).toBe(
      'LPPool2d(norm_type=2, kernel_size=3, stride=2, ceil_mode=True)',
    );
    expect(new nn.AdaptiveMaxPool2d([3, null], true).returnIndices).toBe(true);
    expect(new nn.MaxUnpool2d([2, 3], 1, [0, 1]).toString()).toBe(
      'MaxUnpool2d(kernel_size=(2, 3), stride=(1, 1), padding=(0, 1))',
    );
    expect(() => new nn.MaxPool3d(2, { return_indices: true } as never)).toThrow(
      /did you mean 'returnIndices'/,
    );
  });

  it('MaxPool2d(returnIndices) and MaxUnpool2d undo each other where the maxima were', () => {
    const before = memory().numTensors;
    tidy(() => {
      const pool = new nn.MaxPool2d(2, { returnIndices: true });
      const unpool = new nn.MaxUnpool2d(2);
      const x = randn([2, 3, 5, 6]);
      const [y, idx] = pool.forward(x);
      expect(idx.dtype).toBe('int64');
      const back = unpool.forward(y, idx, x.shape);
      expect(back.shape).toEqual([2, 3, 5, 6]);
      // pooling the unpooled values gives the same maxima (the rest are zeros, the maxima nonzero)
      expect(new nn.MaxPool2d(2).forward(back.abs()).sub(y.abs()).abs().max().item()).toBe(0);
      const [v3, i3] = new nn.MaxPool3d(2, { returnIndices: true }).forward(randn([1, 2, 4, 4, 4]));
      expect(new nn.MaxUnpool3d(2).forward(v3, i3).shape).toEqual([1, 2, 4, 4, 4]);
      const [v1, i1] = new nn.AdaptiveMaxPool1d(3, true).forward(randn([2, 7]));
      expect([v1.shape, i1.shape]).toEqual([
        [2, 3],
        [2, 3],
      ]);
    });
    expect(memory().numTensors).toBe(before);
  });

  it('have no state', () => {
    for (const m of [
      new nn.MaxPool3d(2),
      new nn.AvgPool1d(2),
      new nn.AdaptiveMaxPool2d(2),
      new nn.LPPool1d(2, 2),
    ]) {
      expect(Object.keys(m.stateDict())).toEqual([]);
    }
  });
});
