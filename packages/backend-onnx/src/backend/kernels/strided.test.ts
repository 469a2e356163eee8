// asStrided / asStridedScatter on the onnx backend beyond the conformance family strided/*
// (which holds the semantics of every backend): how views are planned (movement chains or
// Gather), sessions and index tensors kept per class of view, buffer accounting, refusals, and
// the web variant (onnxruntime-web, deferred inputs, read asynchronously).
import { iota } from '@proj/backend-tests/strided-reference';
import type { DType, Shape, TensorInfo } from '@proj/core';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxBackend } from '../onnx-backend.js';
import { OnnxWebBackend } from '../onnx-web-backend.js';
import { planGrid } from './strided.js';

const be = new OnnxBackend();
const web = new OnnxWebBackend();
afterAll(() => {
  be.destroy();
  web.destroy();
});

function up(b: OnnxBackend, values: number[], shape: Shape, dtype: DType = 'float32'): TensorInfo {
  return { handle: b.write(Float64Array.from(values), shape, dtype), shape, dtype };
}

describe('strided view planning', () => {
  it('plans transposes, narrows, steps and expands as movement chains', () => {
    expect(planGrid(12, [4, 3], [1, 4], 0)).toMatchObject({
      flatSlice: false,
      grid: [3, 4],
      perm: [1, 0],
      gridSliced: false,
    });
    // a narrow of rows of a [4, 4] buffer: the grid slice cuts the rows, nothing before it
    expect(planGrid(16, [2, 4], [4, 1], 4)).toMatchObject({
      flatSlice: false,
      grid: [4, 4],
      gridStarts: [1, 0],
      gridEnds: [3, 4],
      perm: null,
    });
    // the last column pair of a [3, 4] buffer: the grid covers the buffer, the slice the columns
    expect(planGrid(12, [3, 2], [4, 1], 2)).toMatchObject({
      start: 0,
      end: 12,
      grid: [3, 4],
      gridStarts: [0, 2],
      gridEnds: [3, 4],
      perm: null,
    });
    // a transpose at an offset whose rows fit: the span starts at the view, no grid slice
    expect(planGrid(64, [4, 3], [1, 4], 3)).toMatchObject({
      start: 3,
      end: 15,
      flatSlice: true,
      gridSliced: false,
      perm: [1, 0],
    });
    // a stepped 1-D view gets a stride-1 element dim
    expect(planGrid(12, [4], [3], 1)).toMatchObject({ grid: [4, 3], gridStarts: [0, 1], gridEnds: [4, 2] });
    expect(planGrid(6, [2, 3], [0, 1], 3)).toMatchObject({ start: 3, end: 6, pre: [1, 3], expand: true });
    expect(planGrid(10, [], [], 7)).toMatchObject({ start: 7, end: 8, pre: [] });
  });

  it('leaves overlapping windows, wrapping views and spans past the end to Gather', () => {
    expect(planGrid(10, [3, 4], [2, 1], 0)).toBeNull(); // windows of 4 every 2
    expect(planGrid(10, [4], [3], 0)).toBeNull(); // 4 rows of 3 need 12 elements
    expect(planGrid(20, [2, 3], [6, 4], 0)).toBeNull(); // 4 does not divide 6
    expect(planGrid(16, [4], [5], 0)).toBeNull(); // a diagonal of [4, 4] ends past 4 rows of 5
  });
});

describe('OnnxBackend.asStrided', () => {
  it('an empty view needs no session', () => {
    const before = be.stats().runs;
    const out = be.asStrided(up(be, iota(24), [24]), [0, 3], [3, 1], 0);
    expect(be.readSync({ handle: out, shape: [0, 3], dtype: 'float32' })).toHaveLength(0);
    expect(be.stats().runs).toBe(before);
  });

  it('serves a class of views with one session, and reuses index tensors by geometry', () => {
    const b = new OnnxBackend();
    const buf = up(b, iota(64), [64]);
    for (const off of [1, 2, 3]) b.asStrided(buf, [4, 3], [1, 4], off); // transposes: one session
    expect(b.stats().sessionsCreated).toBe(1);
    b.asStrided(buf, [3, 4], [2, 1], 0); // overlapping windows: Gather with an index tensor
    b.asStrided(buf, [3, 4], [2, 1], 0);
    expect(b.stats().sessionsCreated).toBe(2);
    const m = b.memory();
    expect([m.stridedIndexEntries, m.stridedIndexBytes]).toEqual([1, 48]);
    for (let off = 0; off < 70; off++) b.asStrided(buf, [3, 4], [2, 1], off % 40);
    expect(b.memory().stridedIndexEntries).toBe(40);
    expect(b.memory().stridedIndexLimit).toBe(64);
    b.destroy();
  });

  it('leaves its input unchanged and tracks the result', () => {
    const b = new OnnxBackend();
    const buf = up(b, iota(12), [12], 'int32');
    const before = b.memory().numBuffers;
    const y = b.asStrided(buf, [3, 4], [1, 3], 0);
    expect(b.memory().numBuffers).toBe(before + 1);
    expect(Array.from(b.readSync(buf))).toEqual(iota(12));
    b.disposeData(y);
    expect(b.memory().numBuffers).toBe(before);
    b.destroy();
  });

  it('refuses a view past the buffer, naming it', () => {
    expect(() => be.asStrided(up(be, iota(6), [6]), [2, 3], [3, 1], 1)).toThrow(
      /asStrided: view of shape \[2,3\], strides \[3,1\], offset 1 reaches element 6 of a buffer of 6/,
    );
  });
});

describe('OnnxWebBackend strided views (deferred, read asynchronously)', () => {
  it('reads and writes views like the node backend, through deferred inputs', async () => {
    const buf = up(web, iota(12), [12]);
    // a deferred input: the buffer doubled
    const doubled = { handle: web.binary('add', buf, buf, [12]), shape: [12], dtype: 'float32' as const };
    const tr = web.asStrided(doubled, [4, 3], [1, 4], 0);
    const win = web.asStrided(doubled, [3, 4], [2, 1], 1); // Gather
    const sc = web.asStridedScatter(doubled, up(web, [-1, -2, -3], [3]), [3], [4], 2);
    const run = web.asStridedScatter(doubled, up(web, [-1, -2], [2]), [2], [1], 10);
    expect(() => web.readSync({ handle: tr, shape: [4, 3], dtype: 'float32' })).toThrow(/await t\.data\(\)/);
    const rd = async (h: unknown, shape: number[]) =>
      Array.from(await web.read({ handle: h, shape, dtype: 'float32' }));
    expect(await rd(tr, [4, 3])).toEqual([0, 8, 16, 2, 10, 18, 4, 12, 20, 6, 14, 22]);
    expect(await rd(win, [3, 4])).toEqual([2, 4, 6, 8, 6, 8, 10, 12, 10, 12, 14, 16]);
    expect(await rd(sc, [12])).toEqual([0, 2, -1, 6, 8, 10, -2, 14, 16, 18, -3, 22]);
    expect(await rd(run, [12])).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, -1, -2]);
    expect(await rd(doubled.handle, [12])).toEqual(iota(12).map((v) => 2 * v));
    expect(web.memory().stridedIndexEntries).toBeGreaterThanOrEqual(2);
  });

  it('handles bool and int32 views and >= 2^17 elements', async () => {
    const n = 2 ** 17 + 6;
    const b = up(
      web,
      iota(n).map((i) => i % 3),
      [n],
      'int32',
    );
    const v = web.asStrided(b, [2 ** 16], [2], 5);
    const got = await web.read({ handle: v, shape: [2 ** 16], dtype: 'int32' });
    expect([got.length, got[0], got[1], got[65535]]).toEqual([65536, 5 % 3, 7 % 3, (5 + 2 * 65535) % 3]);
    const bb = up(web, [1, 0, 1, 0], [4], 'bool');
    const w = web.asStridedScatter(bb, up(web, [0, 1], [2], 'bool'), [2], [2], 0);
    expect(Array.from(await web.read({ handle: w, shape: [4], dtype: 'bool' }))).toEqual([0, 0, 1, 0]);
  });
});
