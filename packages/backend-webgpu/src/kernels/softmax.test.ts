// softmax / logSoftmax on WebGPU against the CPU backend, within the 'balanced' tolerance: every
// axis position (contiguous rows, strided rows), each lane count (1, 32, 256 lanes per row), rows
// of 1 to 2^17 elements, -Infinity entries, rows that are NaN in PyTorch (a NaN, a +Infinity,
// only -Infinity), extreme magnitudes, empty and rank-0 tensors.
import '@proj/backend-cpu';
import { TOLERANCES } from '@proj/backend-tests';
import { type Backend, backendByName, tensor } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { initWebGPU } from '../index.js';
import { numel } from './test-helpers.js';

await initWebGPU();
const cpu = backendByName('cpu') as Backend;
const gpu = backendByName('webgpu') as Backend;
const { rtol, atol } = TOLERANCES.balanced;

/** Deterministic values in [-scale, scale) (LCG). */
function values(n: number, scale: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * scale;
  });
}

/** The first element where `got` is not within 'balanced' of `want` (NaN matches NaN, infinities exactly), or null. */
function mismatch(got: ArrayLike<number>, want: ArrayLike<number>): string | null {
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : Number.isFinite(w)
        ? Math.abs(g - w) <= atol + rtol * Math.abs(w)
        : g === w;
    if (!ok) return `element ${i}: ${g}, expected ${w}`;
  }
  return null;
}

/** Expects the webgpu kernel (`log`: logSoftmax) along `axis` to give the CPU's result. */
async function same(x: Float32Array, shape: readonly number[], axis: number, log: boolean): Promise<void> {
  const kernel = (b: Backend, info: { handle: unknown; shape: readonly number[]; dtype: 'float32' }) =>
    log ? b.logSoftmax!(info, axis) : b.softmax!(info, axis);
  const c = { handle: cpu.write(x, shape, 'float32'), shape, dtype: 'float32' as const };
  const ch = kernel(cpu, c);
  const want = cpu.readSync({ handle: ch, shape, dtype: 'float32' });
  cpu.disposeData(ch);
  cpu.disposeData(c.handle);
  const g = { handle: gpu.write(x, shape, 'float32'), shape, dtype: 'float32' as const };
  const gh = kernel(gpu, g);
  try {
    const got = await gpu.read({ handle: gh, shape, dtype: 'float32' });
    expect(
      mismatch(got as Float32Array, want as Float32Array),
      `${log ? 'logSoftmax' : 'softmax'} [${shape}] along ${axis}`,
    ).toBeNull();
  } finally {
    gpu.disposeData(gh);
    gpu.disposeData(g.handle);
  }
}

describe('softmax and logSoftmax against the CPU backend', () => {
  it('every axis position and lane count', async () => {
    const cases: [number[], number][] = [
      [[3, 4], 1], // short contiguous rows: a lane per row
      [[3, 4], 0], // short strided rows
      [[2, 3, 5], 1],
      [[6, 300], 1], // 32 lanes per row
      [[4, 5000], 1], // 256 lanes per row
      [[2, 500, 40], 1], // strided rows with a wide inner dim: a lane per row
      [[3000, 5], 0], // long strided rows with a narrow inner dim: 256 lanes per row
      [[7, 1], 1], // rows of one element
    ];
    for (const [shape, axis] of cases) {
      const x = values(numel(shape), 10, numel(shape));
      for (const log of [false, true]) await same(x, shape, axis, log);
    }
  });

  it('-Infinity entries give 0 (-Infinity); a NaN, a +Infinity or only -Infinity make the row NaN', async () => {
    const inf = Number.POSITIVE_INFINITY;
    // rows of 4: the plain one, -inf among finite, all -inf, NaN, +inf, +inf with -inf,
    // magnitudes whose difference overflows float32, huge equal values
    const rows = [
      [1, 2, 3, 4],
      [-inf, 2, -inf, 0],
      [-inf, -inf, -inf, -inf],
      [1, Number.NaN, 3, -inf],
      [1, inf, 3, 4],
      [inf, -inf, 0, 0],
      [-3e38, 3e38, 0, 1],
      [1e30, 1e30, -1e30, 0],
      [-0, 0, -0, 0],
    ];
    const x = Float32Array.from(rows.flat());
    for (const log of [false, true]) {
      await same(x, [rows.length, 4], 1, log);
      await same(x, [4, rows.length], 0, log); // the same values read down columns
    }
    // -inf in a row handled by 256 lanes, and a whole long row of -inf
    const long = values(3000, 5, 2);
    long[17] = -inf;
    long[2999] = -inf;
    const dead = new Float32Array(3000).fill(-inf);
    for (const log of [false, true]) await same(Float32Array.from([...long, ...dead]), [2, 3000], 1, log);
  });

  it('logSoftmax of a confident row keeps its relative accuracy (-log(1 + 3e^-10), summed over 2^15 rows)', async () => {
    // each max entry is -log1p(tiny): an f32 log(1 + tiny) would be ~1e-3 off relatively, which
    // the per-element tolerance hides (its atol) but a summed loss (crossEntropy) shows
    const rows: number[][] = [
      [10, 0, 0, 0],
      [0, 0, 20, 1],
      [5, 5, 0, -3],
      [3, 2.5, 0, 0],
      [0.5, 0.25, 0, 0.125],
    ];
    for (const [k, row] of rows.entries()) {
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((acc, v) => acc + Math.exp(v - m), 0));
      const h = gpu.write(Float32Array.from(row), [4], 'float32');
      const y = gpu.logSoftmax!({ handle: h, shape: [4], dtype: 'float32' }, 0);
      const got = (await gpu.read({ handle: y, shape: [4], dtype: 'float32' })) as Float32Array;
      row.forEach((v, i) => {
        const want = Math.fround(v) - lse;
        expect(
          Math.abs(got[i]! - want) <= 2e-6 * Math.abs(want),
          `row ${k} element ${i}: ${got[i]} vs ${want}`,
        ).toBe(true);
      });
      gpu.disposeData(y);
      gpu.disposeData(h);
    }
    const B = 2 ** 15;
    const logits = tensor(Float32Array.from({ length: 4 * B }, (_, k) => (k % 4 === 0 ? 10 : 0))).reshape([
      B,
      4,
    ]);
    const g = logits.to('webgpu');
    const loss = g.logSoftmax(1).narrow(1, 0, 1).sum();
    const want = -B * Math.log(1 + 3 * Math.exp(-10));
    expect(Math.abs(((await loss.data()) as Float32Array)[0]! - want)).toBeLessThanOrEqual(
      rtol * Math.abs(want),
    );
    for (const t of [logits, g, loss]) t.dispose();
  });

  it('rank 0 and empty tensors', async () => {
    for (const log of [false, true]) {
      await same(Float32Array.from([3.5]), [], 0, log);
      await same(new Float32Array(0), [0, 5], 1, log);
      await same(new Float32Array(0), [5, 0], 1, log);
    }
  });
});

describe('softmax through core ops at realistic sizes', () => {
  it('one row of 2^17 and 2^14 rows of 10, softmax and logSoftmax', async () => {
    const cases: [number[], number][] = [
      [[2 ** 17], 0],
      [[2 ** 14, 10], 1],
      [[2 ** 14, 10], 0],
    ];
    for (const [shape, dim] of cases) {
      const xc = tensor(values(numel(shape), 20, 5)).reshape(shape);
      const xg = xc.to('webgpu');
      for (const log of [false, true]) {
        const want = log ? xc.logSoftmax(dim) : xc.softmax(dim);
        const got = log ? xg.logSoftmax(dim) : xg.softmax(dim);
        expect(got.device).toBe('webgpu');
        expect(
          mismatch((await got.data()) as Float32Array, want.dataSync() as Float32Array),
          `[${shape}] ${dim} ${log}`,
        ).toBeNull();
        want.dispose();
        got.dispose();
      }
      xc.dispose();
      xg.dispose();
    }
  });
});
