import { describe, expect, it } from 'vitest';
import { PyRandom } from './python-random.js';

describe("PyRandom (Python's random module)", () => {
  it('draws what random.seed(1); random.randint(0, 9) draws', () => {
    // /usr/bin/python3 -c "import random; random.seed(1); print([random.randint(0, 9) for _ in range(10)])"
    const r = new PyRandom(1);
    expect(Array.from({ length: 10 }, () => r.randint(0, 9))).toEqual([2, 9, 1, 4, 1, 7, 7, 7, 6, 3]);
  });

  it('handles seeds wider than 32 bits and wide ranges', () => {
    // /usr/bin/python3 -c "import random; random.seed(2**40+7); print([random.randint(0, 5922) for _ in range(5)])"
    const r = new PyRandom(2 ** 40 + 7);
    expect(Array.from({ length: 5 }, () => r.randint(0, 5922))).toEqual([5027, 5238, 4672, 5780, 3898]);
  });
});
