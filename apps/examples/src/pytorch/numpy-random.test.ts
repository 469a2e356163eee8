import { describe, expect, it } from 'vitest';
import { RandomState } from './numpy-random.js';

describe('RandomState (NumPy legacy MT19937)', () => {
  it('draws what np.random.seed(2); np.random.randint(-80, 80, 8) draws', () => {
    // /usr/bin/python3 -c "import numpy as np; np.random.seed(2); print(np.random.randint(-80, 80, 8).tolist())"
    expect(new RandomState(2).randint(-80, 80, 8)).toEqual([-65, -8, -58, -37, -5, 24, -73, 15]);
  });

  it('gives genrand_int32 outputs of the reference MT19937', () => {
    // /usr/bin/python3 -c "import numpy as np; r=np.random.RandomState(5489); print(r.randint(0, 2**32, 3, dtype=np.uint64).tolist())"
    const r = new RandomState(5489);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([3499211612, 581869302, 3890346734]);
  });

  it('rejects a bad seed or range', () => {
    expect(() => new RandomState(-1)).toThrow(/seed must be/);
    expect(() => new RandomState(1).randint(3, 3, 1)).toThrow(/low < high/);
  });
});
