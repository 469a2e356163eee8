// The convolution kernels on WebGPU against the CPU backend's: conv2d and both gradients over
// strides, padding, dilation, groups (depthwise too), odd sizes, special values, the split
// filter-gradient reduction, launches in pieces, and 2^18-element outputs.
import '@proj/backend-cpu';
import {
  type Backend,
  backendByName,
  type Conv2dParams,
  conv2dOutputShape,
  manualSeed,
  nn,
  randn,
  type Tensor,
  type TensorInfo,
  tensor,
} from '@proj/core';
import { describe, expect, it } from 'vitest';
import type { GpuContext } from '../context.js';
import { initWebGPU } from '../index.js';
import { convTuning } from './conv.js';

await initWebGPU();
const cpu = backendByName('cpu') as Backend;
const gpu = backendByName('webgpu') as Backend;

/** Runs `fn` with the backend's context launching at most `limit` workgroups per dimension. */
async function withWorkgroupLimit(be: Backend, limit: number, fn: () => Promise<void>): Promise<void> {
  const ctx = (be as unknown as { ctx: GpuContext }).ctx;
  const own = ctx.maxWorkgroups;
  Object.defineProperty(ctx, 'maxWorkgroups', { value: limit });
  try {
    await fn();
  } finally {
    Object.defineProperty(ctx, 'maxWorkgroups', { value: own });
  }
}

/** Small integers: every product and sum is exact in float32, so results must match bit for bit. */
function ints(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = ((i * 7919 + seed * 104729) % 7) - 3;
  return tensor(v).reshape(shape);
}

/** A tensor's values read back from a webgpu kernel's handle (the handle is released). */
async function readBack(handle: unknown, shape: readonly number[]): Promise<Float32Array> {
  const info: TensorInfo = { handle, shape, dtype: 'float32' };
  const v = (await gpu.read!(info)) as Float32Array;
  gpu.disposeData(handle);
  return v;
}

/** Equal element for element (NaN matching NaN). */
function expectSame(got: Float32Array, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i]!, want[i]!];
    if (!(g === w || (Number.isNaN(g) && Number.isNaN(w)))) expect.fail(`element ${i}: got ${g}, want ${w}`);
  }
}

interface Case {
  x: [number, number, number, number];
  w: [number, number, number, number];
  stride?: [number, number];
  padding?: [number, number];
  dilation?: [number, number];
  groups?: number;
}

function paramsOf(c: Case): Conv2dParams {
  return {
    stride: c.stride ?? [1, 1],
    padding: c.padding ?? [0, 0],
    dilation: c.dilation ?? [1, 1],
    groups: c.groups ?? 1,
  };
}

/**
 * The three kernels on both backends, for inputs x, w and an upstream gradient dy. With `tol`,
 * floats may differ by float32 accumulation error: tol times the same product of the inputs'
 * magnitudes (what any summation order meets); without, results must be equal.
 */
async function compareAll(c: Case, x: Tensor, w: Tensor, dy: Tensor, tol = 0): Promise<void> {
  const p = paramsOf(c);
  const yShape = conv2dOutputShape(c.x, c.w, p);
  const [gx, gw, gdy] = [x.to('webgpu'), w.to('webgpu'), dy.to('webgpu')];
  const [ax, aw, ady] = [x.abs(), w.abs(), dy.abs()];
  const name = JSON.stringify(c);
  const kernels: [string, () => unknown, () => unknown, () => unknown, readonly number[]][] = [
    ['y', () => gpu.conv2d!(gx, gw, p), () => cpu.conv2d!(x, w, p), () => cpu.conv2d!(ax, aw, p), yShape],
    [
      'dx',
      () => gpu.conv2dBackwardInput!(gdy, gw, c.x, p),
      () => cpu.conv2dBackwardInput!(dy, w, c.x, p),
      () => cpu.conv2dBackwardInput!(ady, aw, c.x, p),
      c.x,
    ],
    [
      'dw',
      () => gpu.conv2dBackwardFilter!(gx, gdy, c.w, p),
      () => cpu.conv2dBackwardFilter!(x, dy, c.w, p),
      () => cpu.conv2dBackwardFilter!(ax, ady, c.w, p),
      c.w,
    ],
  ];
  for (const [what, onGpu, onCpu, scale, shape] of kernels) {
    const got = await readBack(onGpu(), shape);
    const want = onCpu() as Float32Array;
    const s = tol > 0 ? (scale() as Float32Array) : undefined;
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      const [g, v] = [got[i]!, want[i]!];
      if (g === v || (Number.isNaN(g) && Number.isNaN(v))) continue;
      if (!(s && Math.abs(g - v) <= tol * s[i]!))
        expect.fail(`${name} ${what} element ${i}: got ${g}, want ${v}`);
    }
    cpu.disposeData(want);
    if (s) cpu.disposeData(s);
  }
  for (const t of [gx, gw, gdy, ax, aw, ady]) t.dispose();
}

/** Runs `fn` on the implicit GEMM kernels only, then on the direct kernels only. */
async function onBothPaths(fn: () => Promise<void>): Promise<void> {
  const own = convTuning.thinRows;
  try {
    for (const thinRows of [0, Number.POSITIVE_INFINITY]) {
      convTuning.thinRows = thinRows;
      await fn();
    }
  } finally {
    convTuning.thinRows = own;
  }
}

/** Integer inputs of case `c`: the three kernels must agree with the CPU exactly, on both paths. */
async function compareExact(c: Case): Promise<void> {
  const yShape = conv2dOutputShape(c.x, c.w, paramsOf(c));
  const [x, w, dy] = [ints(c.x, 1), ints(c.w, 2), ints(yShape, 3)];
  await onBothPaths(() => compareAll(c, x, w, dy));
  for (const t of [x, w, dy]) t.dispose();
}

describe('webgpu conv2d, conv2dBackwardInput, conv2dBackwardFilter', () => {
  it('match the CPU exactly over stride, padding, dilation and odd sizes', async () => {
    const cases: Case[] = [
      { x: [2, 3, 7, 9], w: [4, 3, 3, 3], padding: [1, 1] },
      { x: [2, 4, 11, 10], w: [6, 4, 3, 3], stride: [2, 2], padding: [1, 1] },
      { x: [1, 3, 12, 13], w: [5, 3, 3, 2], padding: [2, 1], dilation: [2, 2] },
      { x: [1, 2, 17, 15], w: [3, 2, 5, 5], stride: [3, 2], padding: [2, 0], dilation: [1, 2] },
      { x: [3, 16, 7, 7], w: [12, 16, 1, 1] }, // pointwise; K = 16 (vec4 weight rows)
      { x: [2, 4, 8, 8], w: [70, 4, 1, 1] }, // 70 filters: two row tiles; P = 64 (vec4 dy rows)
      { x: [1, 1, 5, 5], w: [1, 1, 5, 5], padding: [2, 2] },
    ];
    for (const c of cases) await compareExact(c);
  });

  it('match the CPU exactly with groups, depthwise and depthwise with a multiplier', async () => {
    const cases: Case[] = [
      { x: [2, 4, 9, 8], w: [6, 2, 3, 3], stride: [2, 1], padding: [1, 1], groups: 2 },
      { x: [2, 18, 7, 6], w: [24, 9, 3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 2], groups: 2 },
      { x: [2, 8, 10, 10], w: [8, 1, 3, 3], padding: [1, 1], groups: 8 },
      { x: [1, 4, 9, 9], w: [8, 1, 3, 3], stride: [2, 2], dilation: [2, 2], padding: [2, 2], groups: 4 },
      { x: [1, 6, 6, 7], w: [9, 2, 2, 3], groups: 3 },
    ];
    for (const c of cases) await compareExact(c);
  });

  it('propagate NaN and infinity as the CPU does (a padded tap times an infinite weight is 0·inf)', async () => {
    const c: Case = { x: [1, 2, 5, 5], w: [2, 2, 3, 3], padding: [1, 1] };
    const x = ints(c.x, 1);
    const xv = x.dataSync() as Float32Array;
    xv[7] = Number.NaN;
    xv[30] = Number.POSITIVE_INFINITY;
    const xs = tensor(xv).reshape(c.x);
    const wv = ints(c.w, 2).dataSync() as Float32Array;
    wv[20] = Number.NEGATIVE_INFINITY;
    const ws = tensor(wv).reshape(c.w);
    const dy = ints(conv2dOutputShape(c.x, c.w, paramsOf(c)), 3);
    await onBothPaths(() => compareAll(c, xs, ws, dy));
  });

  it('match the CPU on float data at 2^18-element outputs (one row tile, a split filter gradient)', async () => {
    manualSeed(5);
    const c: Case = { x: [2, 16, 64, 64], w: [32, 16, 3, 3], padding: [1, 1] };
    const yShape = conv2dOutputShape(c.x, c.w, paramsOf(c));
    expect(yShape.reduce((a, b) => a * b)).toBe(2 ** 18);
    const [x, w, dy] = [randn(c.x), randn(c.w), randn(yShape)];
    await compareAll(c, x, w, dy, 1e-5);
    for (const t of [x, w, dy]) t.dispose();
  });

  it('match the CPU on float data at a 2^18-element depthwise output (the direct kernels)', async () => {
    manualSeed(6);
    const c: Case = { x: [2, 32, 64, 64], w: [32, 1, 3, 3], stride: [1, 1], padding: [1, 1], groups: 32 };
    const yShape = conv2dOutputShape(c.x, c.w, paramsOf(c));
    expect(yShape.reduce((a, b) => a * b)).toBe(2 ** 18);
    const [x, w, dy] = [randn(c.x), randn(c.w), randn(yShape)];
    await compareAll(c, x, w, dy, 1e-5);
    for (const t of [x, w, dy]) t.dispose();
  });

  it('launch in pieces past the per-dimension workgroup limit', async () => {
    const c: Case = { x: [3, 4, 12, 11], w: [6, 2, 3, 3], padding: [1, 1], groups: 2 };
    const yShape = conv2dOutputShape(c.x, c.w, paramsOf(c));
    const [x, w, dy] = [ints(c.x, 1), ints(c.w, 2), ints(yShape, 3)];
    // 2 groups × 7 column tiles (dx: 9), launched 2 workgroups per dimension at a time
    await withWorkgroupLimit(gpu, 2, () => onBothPaths(() => compareAll(c, x, w, dy)));
    for (const t of [x, w, dy]) t.dispose();
  });

  it('run through core: F.conv2d with bias and F.convTranspose2d', async () => {
    const F = nn.functional;
    const [x, w, b] = [ints([2, 4, 9, 9], 1), ints([6, 2, 3, 3], 2), ints([6], 3)];
    const opts = { stride: 2, padding: 1, groups: 2 };
    const want = F.conv2d(x, w, b, opts);
    const [gx, gw, gb] = [x.to('webgpu'), w.to('webgpu'), b.to('webgpu')];
    const got = F.conv2d(gx, gw, gb, opts);
    expect(got.shape).toEqual(want.shape);
    expectSame((await got.data()) as Float32Array, want.dataSync() as Float32Array);
    const wt = ints([4, 3, 3, 3], 4); // [C_in, C_out/groups, kH, kW]
    const wantT = F.convTranspose2d(x, wt, null, { stride: 2, padding: 1, outputPadding: 1 });
    const gwt = wt.to('webgpu');
    const gotT = F.convTranspose2d(gx, gwt, null, { stride: 2, padding: 1, outputPadding: 1 });
    expect(gotT.shape).toEqual(wantT.shape);
    expectSame((await gotT.data()) as Float32Array, wantT.dataSync() as Float32Array);
    for (const t of [x, w, b, want, gx, gw, gb, got, wt, wantT, gwt, gotT]) t.dispose();
  });

  it('give zeros for an empty reduction and nothing for an empty batch', async () => {
    const p: Conv2dParams = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };
    const x = ints([0, 2, 5, 5], 1).to('webgpu');
    const w = ints([3, 2, 3, 3], 2).to('webgpu');
    expect((await readBack(gpu.conv2d!(x, w, p), [0, 3, 3, 3])).length).toBe(0);
    // no images: the filter gradient sums nothing
    const dy = ints([0, 3, 3, 3], 3).to('webgpu');
    expectSame(
      await readBack(gpu.conv2dBackwardFilter!(x, dy, [3, 2, 3, 3], p), [3, 2, 3, 3]),
      new Array(54).fill(0),
    );
    for (const t of [x, w, dy]) t.dispose();
  });

  it('refuse non-float32 inputs by name', () => {
    const p: Conv2dParams = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };
    const x = tensor([[[[1]]]], { dtype: 'int32' }).to('webgpu');
    expect(() => gpu.conv2d!(x, x, p)).toThrow(
      /conv2d: the webgpu backend convolves float32 tensors, got int32/,
    );
    x.dispose();
  });
});
