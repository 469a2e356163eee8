import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { gradcheck, gradgradcheck, manualSeed, randn, type TensorData, tensor } from '../../index.js';
import { interpolate } from './interpolate.js';

const ft = (data: TensorData) => tensor(data, { dtype: 'float32' });

const f64 = (...shape: number[]) => randn(shape, { dtype: 'float64', requiresGrad: true });

describe('interpolate', () => {
  it('nearest repeats pixels; bilinear matches hand values', () => {
    const x = ft([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    expect(interpolate(x, { scaleFactor: 2 }).toArray()).toEqual([
      [
        [
          [1, 1, 2, 2],
          [1, 1, 2, 2],
          [3, 3, 4, 4],
          [3, 3, 4, 4],
        ],
      ],
    ]);
    const ac = interpolate(x, { size: [3, 3], mode: 'bilinear', alignCorners: true });
    expect(ac.toArray()).toEqual([
      [
        [
          [1, 1.5, 2],
          [2, 2.5, 3],
          [3, 3.5, 4],
        ],
      ],
    ]);
    // align_corners=False, scale 2: first row 1, 1.25, 1.75, 2 (edge clamped)
    expect(interpolate(x, { scaleFactor: 2, mode: 'bilinear' }).dataSync().slice(0, 4)).toEqual(
      new Float32Array([1, 1.25, 1.75, 2]),
    );
    expect(interpolate(ft([[[1, 2, 3]]]), { size: 5, mode: 'linear', alignCorners: true }).toArray()).toEqual(
      [[[1, 1.5, 2, 2.5, 3]]],
    );
  });

  it('passes gradcheck for nearest, bilinear and linear', () => {
    manualSeed(11);
    gradcheck((t) => interpolate(t, { size: [5, 3] }), [f64(1, 2, 3, 4)]);
    gradcheck((t) => interpolate(t, { scaleFactor: 1.5, mode: 'bilinear' }), [f64(1, 2, 3, 4)]);
    gradcheck(
      (t) => interpolate(t, { size: [2, 5], mode: 'bilinear', alignCorners: true }),
      [f64(1, 1, 4, 3)],
    );
    gradcheck((t) => interpolate(t, { scaleFactor: 2, mode: 'linear' }), [f64(2, 1, 3)]);
  });

  it('bicubic reproduces a linear ramp away from the clamped borders; area averages', () => {
    const ramp = tensor([[[[0, 1, 2, 3, 4, 5]]]]);
    const up = interpolate(ramp, { size: [1, 11], mode: 'bicubic', alignCorners: true });
    // Keys' kernel reproduces linear functions; only the 2 border taps see the clamping
    expect(Array.from(up.dataSync()).slice(2, 9)).toEqual([1, 1.5, 2, 2.5, 3, 3.5, 4]);
    expect(interpolate(tensor([[[1, 2, 3, 4, 5, 6]]]), { size: 3, mode: 'area' }).toArray()).toEqual([
      [[1.5, 3.5, 5.5]],
    ]);
  });

  it('passes gradcheck and gradgradcheck for bicubic, area and trilinear', () => {
    manualSeed(12);
    gradcheck((t) => interpolate(t, { size: [5, 7], mode: 'bicubic' }), [f64(1, 2, 3, 4)]);
    gradcheck(
      (t) => interpolate(t, { size: [2, 3], mode: 'bicubic', alignCorners: true }),
      [f64(1, 1, 5, 4)],
    );
    gradcheck((t) => interpolate(t, { scaleFactor: 0.5, mode: 'area' }), [f64(1, 2, 5, 6)]);
    gradcheck((t) => interpolate(t, { size: [3, 2, 4], mode: 'area' }), [f64(1, 1, 4, 3, 5)]);
    gradcheck((t) => interpolate(t, { scaleFactor: [2, 1.5, 1], mode: 'trilinear' }), [f64(1, 1, 2, 2, 3)]);
    gradgradcheck((t) => interpolate(t, { size: [4, 5], mode: 'bicubic' }), [f64(1, 1, 3, 3)]);
  });

  it('rejects bad arguments', () => {
    const x = randn([1, 1, 2, 2]);
    expect(() => interpolate(x, {})).toThrow(/exactly one of size and scaleFactor/);
    expect(() => interpolate(x, { size: 4, mode: 'nearest', alignCorners: true })).toThrow(
      /alignCorners can only be set/,
    );
    expect(() => interpolate(x, { size: 4, mode: 'linear' })).toThrow(/expects a 3-D input/);
    expect(() => interpolate(x, { size: 4, mode: 'trilinear' })).toThrow(
      /mode 'trilinear' expects a 5-D input/,
    );
    expect(() => interpolate(x, { size: 4, mode: 'area', alignCorners: false })).toThrow(
      /alignCorners can only be set/,
    );
    expect(() => interpolate(x, { size: 4, mode: 'cubic' as never })).toThrow(/mode must be one of/);
    expect(() => interpolate(x, { size: 4, recomputeScaleFactor: true })).toThrow(
      /not meaningful with an explicit size/,
    );
    expect(() => interpolate(randn([2, 2]), { size: 4 })).toThrow(
      /expected input \[N, C, L\], \[N, C, H, W\] or \[N, C, D, H, W\]/,
    );
  });
});
