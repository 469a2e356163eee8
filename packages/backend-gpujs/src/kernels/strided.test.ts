// asStrided / asStridedScatter on gpujs beyond the conformance family strided/* (which holds
// the semantics of every backend): loop-free gathers from the output index, and writes decided
// per buffer element (by division, or through an inverse-map texture); here the planning, the
// kernels shared by changing views, the inverse-map cache and the 2^24 index limit.
import '@proj/backend-cpu';
import { iota, scatterReference, viewPositions } from '@proj/backend-tests/strided-reference';
import type { DType, Shape, TensorInfo } from '@proj/core';
import { afterAll, describe, expect, it } from 'vitest';
import { GpujsBackend } from '../index.js';
import { GpuData } from '../storage.js';
import { inverseMap, isWholeBuffer, planInverse } from './strided.js';

const be = new GpujsBackend();
afterAll(() => be.destroy());

/** Handles made here, freed after each test body through `free`. */
const made: unknown[] = [];
const keep = <T>(h: T): T => {
  made.push(h);
  return h;
};
const free = () => {
  for (const h of made.splice(0)) be.disposeData(h);
};

function up(values: number[], shape: Shape, dtype: DType = 'float32'): TensorInfo {
  return { handle: keep(be.write(Float32Array.from(values), shape, dtype)), shape, dtype };
}
const readBack = (h: unknown, shape: Shape, dtype: DType = 'float32') =>
  Array.from(be.readSync({ handle: keep(h), shape, dtype }));

describe('gpujs strided planning', () => {
  it('separates view elements by division when strides allow, else leaves them to a map', () => {
    expect(planInverse([3, 4], [1, 3])).toEqual({ n: [4, 3], s: [3, 1], v: [1, 4] });
    expect(planInverse([4], [5])).toEqual({ n: [4], s: [5], v: [1] }); // a diagonal
    expect(planInverse([2, 1, 3], [7, 0, 2])).toEqual({ n: [2, 3], s: [7, 2], v: [3, 1] });
    expect(planInverse([2, 3], [3, 2])).toBeNull(); // distinct (0 2 4 3 5 7) but not separable
    expect(planInverse([2, 2], [0, 1])).toBeNull(); // repeats elements
    expect(Array.from(inverseMap(8, [2, 3], [3, 2], 0))).toEqual([0, -1, 1, 3, 2, 4, -1, 5]);
    expect(isWholeBuffer(6, [2, 1, 3], [3, 9, 1], 0)).toBe(true);
    expect(isWholeBuffer(6, [3, 2], [1, 3], 0)).toBe(false);
  });
});

describe('GpujsBackend.asStrided', () => {
  it('empty and whole-buffer views run no kernel; the handle may have another shape', () => {
    const buf = up(iota(12), [3, 4]);
    const before = be.stats().compiles + be.stats().cacheHits;
    expect(readBack(be.asStrided({ ...buf, shape: [12] }, [0, 4], [4, 1], 0), [0, 4])).toEqual([]);
    expect(readBack(be.asStrided({ ...buf, shape: [12] }, [2, 6], [6, 1], 0), [2, 6])).toEqual(iota(12));
    expect(be.stats().compiles + be.stats().cacheHits).toBe(before);
    free();
  });

  it('changing views share the general kernel, for reads and for writes', () => {
    // 2-D transposes at 20 offsets: two sized kernels, then the general one serves the rest
    const buf = up(iota(200), [200]);
    const compiles = be.stats().compiles;
    for (let off = 0; off < 20; off++) {
      const want = viewPositions([3, 5], [1, 3], 100 + off);
      expect(readBack(be.asStrided(buf, [3, 5], [1, 3], 100 + off), [3, 5]), `offset ${off}`).toEqual(want);
    }
    expect(be.stats().compiles - compiles).toBeLessThanOrEqual(3);
    // the same for writes through them
    const src = up(iota(15, 1000), [3, 5]);
    const wc = be.stats().compiles;
    for (let off = 0; off < 20; off++) {
      expect(
        readBack(be.asStridedScatter(buf, src, [3, 5], [1, 3], 100 + off), [200]),
        `offset ${off}`,
      ).toEqual(scatterReference(iota(200), iota(15, 1000), [3, 5], [1, 3], 100 + off));
    }
    expect(be.stats().compiles - wc).toBeLessThanOrEqual(3);
    free();
  });

  it('leaves its input unchanged, tracks the result, refuses views past 2^24 or the buffer', () => {
    const buf = up(iota(12), [12], 'int32');
    const before = be.memory().numBuffers;
    const y = be.asStrided(buf, [3, 4], [1, 3], 0);
    expect(be.memory().numBuffers).toBe(before + 1);
    be.disposeData(y);
    expect(readBack(buf.handle, [12], 'int32')).toEqual(iota(12));
    expect(() => be.asStrided(buf, [2, 3], [3, 2], 5)).toThrow(
      /asStrided: view of shape \[2,3\], strides \[3,2\], offset 5 reaches element 12 of a buffer of 12 elements/,
    );
    const huge = {
      handle: new GpuData(null, 2 ** 24, 'float32'),
      shape: [2 ** 24],
      dtype: 'float32' as const,
    };
    expect(() => be.asStrided(huge, [4096, 4096], [1, 4096], 0)).toThrow(
      /gpujs asStrided: a view of 16777216 elements of a buffer of 16777216 elements exceeds .*2\^24/,
    );
    expect(() => be.asStridedScatter(huge, huge, [4096, 4096], [1, 4096], 0)).toThrow(
      /gpujs asStridedScatter: .*2\^24/,
    );
    free();
  });
});

describe('GpujsBackend.asStridedScatter', () => {
  it('keeps inverse maps per geometry in a bounded cache shown in memory()', () => {
    const b = up(iota(20), [20]);
    const s = up([9, 9, 9, 9, 9, 9], [2, 3]);
    const maps = be.memory().stridedMaps as number;
    const buffers = be.memory().numBuffers;
    be.disposeData(be.asStridedScatter(b, s, [2, 3], [3, 2], 0));
    be.disposeData(be.asStridedScatter(b, s, [2, 3], [3, 2], 0));
    expect(be.memory().stridedMaps).toBe(maps + 1);
    expect(be.memory().stridedMapBytes).toBeGreaterThan(0);
    expect(be.memory().numBuffers).toBe(buffers); // maps are not tensor buffers
    for (let off = 0; off < 20; off++) be.disposeData(be.asStridedScatter(b, s, [2, 3], [3, 2], off % 13));
    expect(be.memory().stridedMaps).toBeLessThanOrEqual(be.memory().stridedMapLimit as number);
    free();
  });

  it('writes through an inverse map into a buffer of >= 2^17 elements, the rest intact', () => {
    const n = 400 * 330;
    const b = up(new Array<number>(n).fill(-1), [n]);
    // strides [3, 2] over [2, 3] blocks do not separate by division: the inverse-map kernel
    const m = be.readSync({
      handle: keep(be.asStridedScatter(b, up([1, 2, 3, 4, 5, 6], [2, 3]), [2, 3], [3, 2], n - 8)),
      shape: [n],
      dtype: 'float32',
    });
    expect(Array.from(m.subarray(n - 9))).toEqual([-1, 1, -1, 2, 4, 3, 5, -1, 6]);
    expect(Array.from(m.subarray(0, n - 9)).every((v) => v === -1)).toBe(true);
    expect(be.readSync(b).every((v) => v === -1)).toBe(true);
    free();
  });
});
