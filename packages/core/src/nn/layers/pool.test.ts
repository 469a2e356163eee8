import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { nn, randn } from '../../index.js';

describe('pooling and resampling layers', () => {
  it('print like PyTorch and have no state', () => {
    expect(new nn.MaxPool2d(2).toString()).toBe(
      'MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)',
    );
    expect(new nn.MaxPool2d([3, 2], { stride: 1, ceilMode: true }).toString()).toBe(
      'MaxPool2d(kernel_size=(3, 2), stride=1, padding=0, dilation=1, ceil_mode=True)',
    );
    expect(new nn.AvgPool2d(3, { stride: 2, padding: 1 }).toString()).toBe(
      'AvgPool2d(kernel_size=3, stride=2, padding=1)',
    );
    expect(new nn.AdaptiveAvgPool2d([7, null]).toString()).toBe('AdaptiveAvgPool2d(output_size=(7, None))');
    expect(new nn.Upsample({ scaleFactor: 2 }).toString()).toBe('Upsample(scale_factor=2.0, mode=nearest)');
    expect(Object.keys(new nn.MaxPool2d(2).stateDict())).toEqual([]);
  });

  it('compute the expected shapes', () => {
    const x = randn([2, 3, 9, 8]);
    expect(new nn.MaxPool2d(2).forward(x).shape).toEqual([2, 3, 4, 4]);
    expect(new nn.MaxPool2d(2, { ceilMode: true }).forward(x).shape).toEqual([2, 3, 5, 4]);
    expect(new nn.AvgPool2d(3, { stride: 2, padding: 1 }).forward(x).shape).toEqual([2, 3, 5, 4]);
    expect(new nn.AdaptiveAvgPool2d([2, 3]).forward(x).shape).toEqual([2, 3, 2, 3]);
    expect(new nn.Upsample({ size: [4, 5], mode: 'bilinear' }).forward(x).shape).toEqual([2, 3, 4, 5]);
    expect(() => new nn.Upsample({})).toThrow(/exactly one of size and scaleFactor/);
  });
});
