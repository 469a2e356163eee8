// Pooling on WebGPU against the CPU backend's kernels: values bit for bit, indices exactly,
// over padding, dilation, ceil mode, countIncludePad, ties, NaN and infinities.
import '@proj/backend-cpu';
import {
  type Backend,
  backendByName,
  manualSeed,
  nn,
  type Pool2dParams,
  pool2dOutputShape,
  randn,
  type Tensor,
  tensor,
} from '@proj/core';
import { describe, expect, it } from 'vitest';
import type { GpuContext } from '../context.js';
import { initWebGPU } from '../index.js';

await initWebGPU();
const cpu = backendByName('cpu') as Backend;
const gpu = backendByName('webgpu') as Backend;

/**
 * Values from a small set with repeats (ties), both zeros, infinities and NaN, as float32:
 * `special` every that many elements (0: none).
 */
function data(shape: number[], seed: number, special = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const pool = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const h = (i * 7919 + seed * 104729) % 1009;
    v[i] = special > 0 && h % special === 0 ? pool[(h / special) % pool.length]! : (h % 11) - 5;
  }
  return tensor(v).reshape(shape);
}

/** Bit-for-bit equal (any NaN matching any NaN), so ties between -0 and +0 are checked too. */
function expectBits(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i]!, want[i]!];
    if (!(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))))
      expect.fail(`${what} element ${i}: got ${g}, want ${w}`);
  }
}

function params(o: Partial<Pool2dParams> & { kernel: [number, number] }): Pool2dParams {
  return {
    stride: o.kernel,
    padding: [0, 0],
    dilation: [1, 1],
    ceilMode: false,
    ...o,
  };
}

/** Both pooling kernels of both backends on x with p: max values and indices, then averages. */
async function compare(x: Tensor, p: Pool2dParams, avg = true): Promise<void> {
  const shape = pool2dOutputShape(x.shape, p);
  const gx = x.to('webgpu');
  const what = `[${x.shape.join(', ')}] ${JSON.stringify(p)}`;
  const [gv, gi] = gpu.maxPool2d!(gx, p);
  const [cv, ci] = cpu.maxPool2d!(x, p) as [Float32Array, Int32Array];
  expectBits((await gpu.read!({ handle: gv, shape, dtype: 'float32' })) as Float32Array, cv, `${what} max`);
  expect(Array.from((await gpu.read!({ handle: gi, shape, dtype: 'int32' })) as Int32Array)).toEqual(
    Array.from(ci),
  );
  for (const h of [gv, gi]) gpu.disposeData(h);
  for (const h of [cv, ci]) cpu.disposeData(h);
  if (avg) {
    for (const countIncludePad of [true, false]) {
      const q = { ...p, dilation: [1, 1] as [number, number], countIncludePad };
      const ga = gpu.avgPool2d!(gx, q);
      const ca = cpu.avgPool2d!(x, q) as Float32Array;
      const got = (await gpu.read!({ handle: ga, shape, dtype: 'float32' })) as Float32Array;
      // the CPU sums in float64 and rounds once; float32 sums of a few small integers are exact,
      // and the division may differ in the last bit
      expect(got.length).toBe(ca.length);
      for (let i = 0; i < ca.length; i++) {
        const [g, w] = [got[i]!, ca[i]!];
        if (g === w || (Number.isNaN(g) && Number.isNaN(w))) continue;
        if (!(Math.abs(g - w) <= 1e-6 * Math.abs(w)))
          expect.fail(`${what} avg ${countIncludePad} element ${i}: got ${g}, want ${w}`);
      }
      gpu.disposeData(ga);
      cpu.disposeData(ca);
    }
  }
  gx.dispose();
}

describe('webgpu maxPool2d and avgPool2d', () => {
  it('match the CPU over kernel, stride, padding, dilation and ceil mode at odd sizes', async () => {
    const x = data([2, 3, 11, 9], 1);
    const cases: Pool2dParams[] = [
      params({ kernel: [2, 2] }),
      params({ kernel: [3, 3], stride: [2, 2], padding: [1, 1] }),
      params({ kernel: [3, 3], stride: [2, 2], padding: [1, 1], ceilMode: true }),
      params({ kernel: [3, 2], stride: [2, 3], padding: [1, 1], ceilMode: true }),
      params({ kernel: [2, 2], stride: [2, 2], ceilMode: true }), // last window half outside
      params({ kernel: [4, 3], stride: [3, 2], padding: [2, 1], ceilMode: true }),
      params({ kernel: [1, 1], stride: [1, 1] }),
      params({ kernel: [5, 4], stride: [1, 1], padding: [2, 2] }),
    ];
    for (const p of cases) await compare(x, p);
  });

  it('match the CPU with dilation (max pooling only)', async () => {
    const x = data([1, 2, 13, 10], 2);
    for (const p of [
      params({ kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [2, 2] }),
      params({ kernel: [3, 2], stride: [2, 2], padding: [1, 1], dilation: [2, 3], ceilMode: true }),
    ]) {
      await compare(x, p, false);
    }
  });

  it('choose the first of tied maxima and the first NaN, never a padded tap, with -0, ±inf and NaN', async () => {
    const x = data([2, 3, 9, 10], 3, 4);
    for (const p of [
      params({ kernel: [2, 2] }),
      params({ kernel: [3, 3], stride: [2, 2], padding: [1, 1], ceilMode: true }),
      params({ kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [2, 2] }),
    ]) {
      await compare(x, p, p.dilation[0] === 1);
    }
    // all -inf: the window's first tap inside the input wins over the padding
    const neg = tensor(new Float32Array(2 * 5 * 5).fill(Number.NEGATIVE_INFINITY)).reshape([1, 2, 5, 5]);
    await compare(neg, params({ kernel: [3, 3], stride: [2, 2], padding: [1, 1] }), false);
    // ties between -0 and +0 keep the first
    const zs = tensor([-0, 0, 0, -0, 0, -0, -0, 0]).reshape([1, 1, 2, 4]);
    await compare(zs, params({ kernel: [2, 2], stride: [1, 1] }), false);
  });

  it('match the CPU on 2^17-element outputs of random data', async () => {
    manualSeed(9);
    const x = randn([2, 16, 128, 128]);
    const p = params({ kernel: [2, 2] });
    expect(pool2dOutputShape(x.shape, p).reduce((a, b) => a * b)).toBe(2 ** 17);
    await compare(x, p, false);
    await compare(x, params({ kernel: [3, 3], stride: [2, 2], padding: [1, 1], ceilMode: true }), false);
  });

  it('index outputs past the workgroup limit through the folded launch', async () => {
    const ctx = (gpu as unknown as { ctx: GpuContext }).ctx;
    const own = ctx.maxWorkgroups;
    Object.defineProperty(ctx, 'maxWorkgroups', { value: 2 }); // 5 workgroups of 256 → 3 × 2
    try {
      await compare(data([1, 5, 32, 32], 4, 7), params({ kernel: [1, 1] }));
    } finally {
      Object.defineProperty(ctx, 'maxWorkgroups', { value: own });
    }
  });

  it('run through core: F.maxPool2d with indices and F.avgPool2d', async () => {
    const F = nn.functional;
    const x = data([2, 3, 8, 7], 5, 9);
    const gx = x.to('webgpu');
    const [wv, wi] = F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, returnIndices: true });
    const [gv, gi] = F.maxPool2d(gx, 3, { stride: 2, padding: 1, ceilMode: true, returnIndices: true });
    expect(gi.dtype).toBe('int64');
    expectBits((await gv.data()) as Float32Array, wv.dataSync() as Float32Array, 'F.maxPool2d');
    expect(await gi.toArrayAsync()).toEqual(wi.toArray());
    const wa = F.avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false });
    const ga = F.avgPool2d(gx, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false });
    expect(Array.from((await ga.data()) as Float32Array)).toEqual(Array.from(wa.dataSync() as Float32Array));
    for (const t of [x, gx, wv, wi, gv, gi, wa, ga]) t.dispose();
  });

  it('return empty results for an empty batch, and refuse non-float32 input by name', async () => {
    const x = data([0, 3, 4, 4], 1).to('webgpu');
    const [v, i] = gpu.maxPool2d!(x, params({ kernel: [2, 2] }));
    expect(
      ((await gpu.read!({ handle: v, shape: [0, 3, 2, 2], dtype: 'float32' })) as Float32Array).length,
    ).toBe(0);
    for (const h of [v, i]) gpu.disposeData(h);
    const xi = tensor([[[[1, 2]]]], { dtype: 'int32' }).to('webgpu');
    expect(() => gpu.avgPool2d!(xi, params({ kernel: [1, 1] }))).toThrow(
      /avgPool2d: the webgpu backend pools float32 \[N, C, H, W\] tensors, got int32 \[1, 1, 1, 2\]/,
    );
    for (const t of [x, xi]) t.dispose();
  });
});
