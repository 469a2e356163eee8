// The cpu backend's strided kernels beyond the conformance family strided/* (which holds the
// semantics of every backend): the tiled transposes over batches, buffer accounting, int64 past
// 2^53 and uint8 moved as they are, the kernels' genericity over bigint arrays, refusals.

import { iota } from '@proj/backend-tests/strided-reference';
import { describe, expect, it } from 'vitest';
import { be, info, read, t } from '../../test/helpers.js';
import { asStridedOp, asStridedScatterOp } from './strided.js';

describe('asStrided', () => {
  it('tiles a batched transpose of >= 2^17 elements at an offset', () => {
    // int32 [3, 211, 213] (134829 elements) read as [3, 213, 211], neither a multiple of the tile
    const [B, M, N] = [3, 211, 213];
    const n = B * M * N;
    const xi = Int32Array.from({ length: n + 5 }, (_, i) => i - 5);
    const hi = be.write(xi, [n + 5], 'int32');
    const ti = be.readSync(
      info(be.asStrided(info(hi, [n + 5], 'int32'), [B, N, M], [M * N, 1, N], 5), [B, N, M], 'int32'),
    );
    let bad = 0;
    for (let b = 0; b < B; b++)
      for (let j = 0; j < N; j++)
        for (let i = 0; i < M; i++) if (ti[(b * N + j) * M + i] !== b * M * N + i * N + j) bad++;
    expect(bad).toBe(0);
  });

  it('leaves its input unchanged and returns a fresh, tracked buffer', () => {
    const x = t(iota(6), [6], 'int32');
    const before = be.memory().numBuffers;
    const y = be.asStrided(x, [6], [1], 0);
    expect(y).not.toBe(x.handle);
    expect(be.memory().numBuffers).toBe(before + 1);
    expect(be.memory().numBytes).toBeGreaterThanOrEqual(24);
    (y as Int32Array)[0] = 99;
    expect(read(x.handle, [6], 'int32')).toEqual(iota(6));
    be.disposeData(y);
    expect(be.memory().numBuffers).toBe(before);
  });

  it('moves int64 (beyond 2^53) and uint8 buffers exactly through the backend', () => {
    const big = BigInt64Array.from(iota(12), (v) => 2n ** 60n + BigInt(v) - 6n);
    const h = be.write(big, [12], 'int64');
    const tr = be.readSync(info(be.asStrided(info(h, [12], 'int64'), [4, 3], [1, 4], 0), [4, 3], 'int64'));
    expect(tr).toBeInstanceOf(BigInt64Array);
    expect(Array.from(tr as BigInt64Array)).toEqual(
      [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11].map((i) => big[i]),
    );
    const src = be.write(BigInt64Array.of(-(2n ** 62n), 2n ** 62n + 1n), [2], 'int64');
    const sc = be.readSync(
      info(be.asStridedScatter(info(h, [12], 'int64'), info(src, [2], 'int64'), [2], [5], 1), [12], 'int64'),
    ) as BigInt64Array;
    expect([sc[0], sc[1], sc[2], sc[6], sc[11]]).toEqual([
      big[0],
      -(2n ** 62n),
      big[2],
      2n ** 62n + 1n,
      big[11],
    ]);
    expect(Array.from(be.readSync(info(h, [12], 'int64')) as BigInt64Array)).toEqual(Array.from(big));
    const u = be.write(
      Uint8Array.from(iota(6), (v) => 250 + v),
      [6],
      'uint8',
    );
    const uv = be.readSync(info(be.asStrided(info(u, [6], 'uint8'), [3, 2], [1, 3], 0), [3, 2], 'uint8'));
    expect(uv).toBeInstanceOf(Uint8Array);
    expect(Array.from(uv as Uint8Array)).toEqual([250, 253, 251, 254, 252, 255]);
  });

  it('works on bigint arrays too (generic over the TypedArray)', () => {
    const x = BigInt64Array.from(iota(12), (v) => BigInt(v) * 10n ** 12n);
    const y = asStridedOp(x, [4, 3], [1, 4], 0);
    expect(y).toBeInstanceOf(BigInt64Array);
    expect(Array.from(y, (v) => Number(v / 10n ** 12n))).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    const z = asStridedScatterOp(x, BigInt64Array.of(-1n, -2n), [2], [5], 1);
    expect(Array.from(z.subarray(0, 7))).toEqual([
      0n,
      -1n,
      2n * 10n ** 12n,
      3n * 10n ** 12n,
      4n * 10n ** 12n,
      5n * 10n ** 12n,
      -2n,
    ]);
  });

  it('refuses a view reaching past the buffer, naming the geometry', () => {
    const x = t(iota(6), [6]);
    expect(() => be.asStrided(x, [2, 3], [3, 1], 1)).toThrow(
      /asStrided: view of shape \[2,3\], strides \[3,1\], offset 1 reaches element 6 of a buffer of 6/,
    );
    expect(() => be.asStridedScatter(x, t([1], [1]), [1], [1], 6)).toThrow(
      /asStridedScatter: .*reaches element 6/,
    );
  });
});

describe('asStridedScatter', () => {
  it('an empty view returns a fresh copy of base', () => {
    const b = t([1, 2, 3], [3]);
    const out = be.asStridedScatter(b, t([], [0]), [0, 2], [1, 1], 3);
    expect(out).not.toBe(b.handle);
    expect(read(out, [3])).toEqual([1, 2, 3]);
  });
});
