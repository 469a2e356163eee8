import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, randn, type TensorData, tensor } from '../../index.js';
import { gradchecks } from '../../testing/index.js';
import { pad } from './pad.js';

const ft = (data: TensorData) => tensor(data, { dtype: 'float32' });

const f64 = (...shape: number[]) => randn(shape, { dtype: 'float64', requiresGrad: true });

describe('pad', () => {
  const x = ft([[[1, 2, 3]]]);

  it('pads the last dim first, in every mode', () => {
    expect(pad(x, [1, 2]).toArray()).toEqual([[[0, 1, 2, 3, 0, 0]]]);
    expect(pad(x, [1, 1], 'constant', 9).toArray()).toEqual([[[9, 1, 2, 3, 9]]]);
    expect(pad(x, [2, 2], 'reflect').toArray()).toEqual([[[3, 2, 1, 2, 3, 2, 1]]]);
    expect(pad(x, [2, 1], 'replicate').toArray()).toEqual([[[1, 1, 1, 2, 3, 3]]]);
    expect(pad(x, [1, 2], 'circular').toArray()).toEqual([[[3, 1, 2, 3, 1, 2]]]);
    expect(pad(x, [0, 0, 1, 0]).toArray()).toEqual([
      [
        [0, 0, 0],
        [1, 2, 3],
      ],
    ]);
    expect(pad(x, [-1, 0]).toArray()).toEqual([[[2, 3]]]);
  });

  it('passes gradcheck for each mode over two dims', () => {
    manualSeed(10);
    gradchecks((t) => pad(t, [1, 2, 2, 1]), [f64(1, 2, 3, 4)]);
    gradchecks((t) => pad(t, [2, 1, 1, 2], 'reflect'), [f64(1, 2, 3, 4)]);
    gradchecks((t) => pad(t, [3, 1, 0, 2], 'replicate'), [f64(1, 1, 3, 4)]);
    gradchecks((t) => pad(t, [1, 2, 2, 0], 'circular'), [f64(1, 1, 3, 4)]);
  });

  it('rejects bad pads', () => {
    expect(() => pad(x, [1])).toThrow(/even-length list/);
    expect(() => pad(x, [3, 0], 'reflect')).toThrow(/must be smaller than the size 3/);
    expect(() => pad(x, [1, 1], 'wrap' as 'reflect')).toThrow(/mode must be/);
  });
});
