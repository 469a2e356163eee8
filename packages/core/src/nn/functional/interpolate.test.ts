import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { gradcheck, manualSeed, randn, type TensorData, tensor } from '../../index.js';
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

  it('rejects bad arguments', () => {
    const x = randn([1, 1, 2, 2]);
    expect(() => interpolate(x, {})).toThrow(/exactly one of size and scaleFactor/);
    expect(() => interpolate(x, { size: 4, mode: 'nearest', alignCorners: true })).toThrow(
      /alignCorners can only be set/,
    );
    expect(() => interpolate(x, { size: 4, mode: 'linear' })).toThrow(/expects a 3-D input/);
    expect(() => interpolate(randn([2, 2]), { size: 4 })).toThrow(
      /expected input \[N, C, L\] or \[N, C, H, W\]/,
    );
  });
});
