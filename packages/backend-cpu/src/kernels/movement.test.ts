import type { Shape } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { be, numel, ravel, read, t, unravel } from '../../test/helpers.js';

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

function naivePermute(x: number[], shape: Shape, perm: number[]): number[] {
  const os = perm.map((p) => shape[p]);
  return iota(x.length).map((i) => {
    const oi = unravel(i, os);
    const ii = new Array<number>(shape.length);
    perm.forEach((p, d) => {
      ii[p] = oi[d];
    });
    return x[ravel(ii, shape)];
  });
}

function permutations(r: number): number[][] {
  if (r === 0) return [[]];
  return permutations(r - 1).flatMap((p) => iota(r).map((i) => [...p.slice(0, i), r - 1, ...p.slice(i)]));
}

describe('permute', () => {
  it('matches a naive permutation for every perm of rank 1-4', () => {
    for (const shape of [[5], [3, 4], [2, 3, 4], [2, 1, 3, 4]] as Shape[]) {
      const x = iota(numel(shape));
      for (const perm of permutations(shape.length)) {
        const os = perm.map((p) => shape[p]);
        expect(read(be.permute(t(x, shape), perm), os)).toEqual(naivePermute(x, shape, perm));
      }
    }
  });

  it('blocked 2-D and batched transposes of non-multiple-of-block sizes', () => {
    const shape = [3, 45, 70];
    const x = iota(numel(shape));
    expect(read(be.permute(t(x, shape), [0, 2, 1]), [3, 70, 45])).toEqual(naivePermute(x, shape, [0, 2, 1]));
    const s2 = [45, 70];
    expect(read(be.permute(t(iota(45 * 70), s2), [1, 0]), [70, 45])).toEqual(
      naivePermute(iota(45 * 70), s2, [1, 0]),
    );
  });

  it('returns a fresh buffer for the identity perm', () => {
    const x = t([1, 2, 3], [3], 'int32');
    const y = be.permute(x, [0]);
    expect(y).not.toBe(x.handle);
    expect(read(y, [3], 'int32')).toEqual([1, 2, 3]);
  });
});

describe('expand', () => {
  it('broadcasts size-1 dims', () => {
    expect(read(be.expand(t([1, 2], [2, 1]), [2, 3]), [2, 3])).toEqual([1, 1, 1, 2, 2, 2]);
    expect(read(be.expand(t([1, 2, 3], [1, 3]), [2, 3]), [2, 3])).toEqual([1, 2, 3, 1, 2, 3]);
    expect(read(be.expand(t([7], [1, 1, 1]), [2, 1, 2]), [2, 1, 2])).toEqual([7, 7, 7, 7]);
    expect(read(be.expand(t([5], []), []), [])).toEqual([5]);
  });

  it('expands a middle dim of a 3-D tensor', () => {
    const x = iota(6);
    const got = read(be.expand(t(x, [2, 1, 3]), [2, 4, 3]), [2, 4, 3]);
    expect(got).toEqual(iota(24).map((i) => x[Math.floor(i / 12) * 3 + (i % 3)]));
  });
});

describe('slice', () => {
  it('takes strided windows', () => {
    const shape = [4, 5, 6];
    const x = iota(120);
    const begin = [1, 0, 1];
    const sizes = [2, 3, 2];
    const steps = [2, 2, 3];
    const want = iota(12).map((i) => {
      const [a, b, c] = unravel(i, sizes);
      return x[ravel([begin[0] + a * steps[0], begin[1] + b * steps[1], begin[2] + c * steps[2]], shape)];
    });
    expect(read(be.slice(t(x, shape), begin, sizes, steps), sizes)).toEqual(want);
  });

  it('contiguous long rows and empty results', () => {
    const x = iota(200);
    expect(read(be.slice(t(x, [2, 100]), [1, 10], [1, 50], [1, 1]), [1, 50])).toEqual(
      iota(50).map((i) => 110 + i),
    );
    expect(read(be.slice(t(x, [2, 100]), [0, 0], [0, 100], [1, 1]), [0, 100])).toEqual([]);
  });
});

describe('pad', () => {
  it('pads each dim with a value', () => {
    const got = read(
      be.pad(
        t([1, 2, 3, 4], [2, 2]),
        [
          [1, 0],
          [0, 2],
        ],
        -1,
      ),
      [3, 4],
    );
    expect(got).toEqual([-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1]);
  });

  it('pads with -0 as torch does (F.pad(x, value=-0.0))', () => {
    const got = read(be.pad(t([1, 2], [2], 'float32'), [[1, 1]], -0), [4]);
    expect(Object.is(got[0], -0) && Object.is(got[3], -0)).toBe(true);
    expect(got.slice(1, 3)).toEqual([1, 2]);
  });

  it('pads long rows and int32', () => {
    const got = read(be.pad(t(iota(40), [40], 'int32'), [[2, 1]], 0), [43], 'int32');
    expect(got).toEqual([0, 0, ...iota(40), 0]);
  });

  it('pads an empty tensor to all value', () => {
    expect(
      read(
        be.pad(
          t([], [0, 2]),
          [
            [1, 1],
            [0, 0],
          ],
          3,
        ),
        [2, 2],
      ),
    ).toEqual([3, 3, 3, 3]);
  });
});

describe('concat', () => {
  it('joins along each axis', () => {
    const a = t(iota(6), [2, 3]);
    const b = t([10, 11], [2, 1]);
    expect(read(be.concat([a, b], 1), [2, 4])).toEqual([0, 1, 2, 10, 3, 4, 5, 11]);
    const c = t([20, 21, 22], [1, 3]);
    expect(read(be.concat([a, c], 0), [3, 3])).toEqual([...iota(6), 20, 21, 22]);
  });

  it('skips empty inputs and copies long chunks', () => {
    const a = t(iota(64), [64], 'int32');
    const e = t([], [0], 'int32');
    expect(read(be.concat([e, a, e, a], 0), [128], 'int32')).toEqual([...iota(64), ...iota(64)]);
  });
});
