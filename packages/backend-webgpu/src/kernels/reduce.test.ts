// Reductions on WebGPU against the CPU backend: every op over every layout class (innermost,
// middle block, scattered axes, size-1 axes) and pass structure (one lane per output, 16/64/256
// lanes per chunk, two and three passes), NaN/-0/ties, integer exactness and overflow, empty
// reductions, and the sizes the issue history got wrong (sums of 2^20 and 100000 ones).
import '@proj/backend-cpu';
import { TOLERANCES } from '@proj/backend-tests';
import {
  type Backend,
  backendByName,
  type DataArray,
  type DType,
  type ReduceOp,
  tensor,
  tidy,
} from '@proj/core';
import { describe, expect, it } from 'vitest';
import { openDevice } from '../adapter.js';
import { GpuContext } from '../context.js';
import { initWebGPU } from '../index.js';
import { reduce, reduceLayout } from './reduce.js';
import { numel, stream } from './test-helpers.js';

await initWebGPU();
const cpu = backendByName('cpu') as Backend;
const gpu = backendByName('webgpu') as Backend;
const BALANCED = TOLERANCES.balanced;

/** `n` values of `dtype` from `gen(r)` (r uniform in [0, 1)). */
function make(dtype: DType, n: number, gen: (r: number, i: number) => number, seed = 1): DataArray {
  const r = stream(seed);
  const v = Array.from({ length: n }, (_, i) => gen(r(), i));
  if (dtype === 'float32') return Float32Array.from(v);
  if (dtype === 'int32') return Int32Array.from(v);
  if (dtype === 'int64') return BigInt64Array.from(v, (x) => BigInt(x));
  return Uint8Array.from(v);
}

/** Values each op can reduce without overflowing: products stay near 1 (floats) or small (ints). */
function valuesFor(op: ReduceOp, dtype: DType, n: number, seed: number): DataArray {
  if (dtype === 'bool') return make(dtype, n, (r) => (r < 0.3 ? 1 : 0), seed);
  if (dtype === 'uint8') return make(dtype, n, (r) => Math.floor(r * 256), seed);
  // float sums lean positive: an f32 sum that cancels to ~0 cannot meet a relative tolerance
  if (dtype === 'float32') {
    return make(
      dtype,
      n,
      (r) => (op === 'prod' ? 1 + (r - 0.5) * 0.01 : op === 'sum' ? r * 2 - 0.5 : (r - 0.5) * 200),
      seed,
    );
  }
  // integers: products of ±1 (with a few ±2 and 0) stay small; few values make ties
  if (op === 'prod')
    return make(dtype, n, (r, i) => (i % 97 === 5 ? 2 : i % 89 === 7 ? -2 : r < 0.5 ? -1 : 1), seed);
  return make(dtype, n, (r) => Math.floor((r - 0.5) * 2000), seed);
}

/** Whether `got` matches the CPU's `want`: exactly (floats by bits, any NaN as NaN), or within `tol` when given. */
function mismatch(got: DataArray, want: DataArray, tol?: { rtol: number; atol: number }): string | null {
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (typeof g === 'bigint' || typeof w === 'bigint') {
      if (g !== w) return `element ${i}: ${g}, expected ${w}`;
      continue;
    }
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    const ok =
      tol && Number.isFinite(w) ? Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w) : Object.is(g, w);
    if (!ok) return `element ${i}: ${Object.is(g, -0) ? '-0' : g}, expected ${Object.is(w, -0) ? '-0' : w}`;
  }
  return null;
}

/** `backend.reduce` on both backends; the webgpu result read back and the CPU's (buffers freed). */
async function both(
  op: ReduceOp,
  values: DataArray,
  shape: readonly number[],
  dtype: DType,
  axes: readonly number[],
) {
  const outShape = shape.filter((_, d) => !axes.includes(d));
  const outDtype: DType =
    op === 'argmax' || op === 'argmin'
      ? 'int32'
      : (op === 'sum' || op === 'prod') && dtype !== 'float32' && dtype !== 'int64'
        ? 'int32'
        : dtype;
  const c = { handle: cpu.write(values, shape, dtype), shape, dtype };
  const ch = cpu.reduce(op, c, axes);
  const want = cpu.readSync({ handle: ch, shape: outShape, dtype: outDtype });
  cpu.disposeData(ch);
  cpu.disposeData(c.handle);
  const g = { handle: gpu.write(values, shape, dtype), shape, dtype };
  const gh = gpu.reduce(op, g, axes);
  try {
    return { got: await gpu.read({ handle: gh, shape: outShape, dtype: outDtype }), want };
  } finally {
    gpu.disposeData(gh);
    gpu.disposeData(g.handle);
  }
}

/** Expects webgpu's `op` over `axes` to give the CPU's result (float sums/products within 'balanced'). */
async function same(
  op: ReduceOp,
  values: DataArray,
  shape: readonly number[],
  dtype: DType,
  axes: readonly number[],
): Promise<void> {
  const { got, want } = await both(op, values, shape, dtype, axes);
  const tol = dtype === 'float32' && (op === 'sum' || op === 'prod') ? BALANCED : undefined;
  expect(mismatch(got, want, tol), `${op} ${dtype} [${shape}] over [${axes}]`).toBeNull();
}

// shape, axes: each line reaches a different layout class or pass structure of the kernel
const SHAPES: [number[], number[]][] = [
  [[7], [0]], // one short row: one lane, one pass
  [[5, 300], [1]], // innermost rows: 64 lanes per row
  [[3, 5000], [1]], // 256 lanes, two chunks per row: two passes
  [[300, 7], [0]], // middle block with a narrow kept inner dim: a strided row per output
  [[2, 700, 33], [1]], // wide kept inner dim: a lane per output, 22 chunks, then a second pass
  [
    [4, 5, 6, 7],
    [1, 3],
  ], // scattered axes: rank-generic offsets
  [
    [3, 1, 4, 2],
    [0, 1, 3],
  ], // scattered axes with a size-1 one
  [[3, 1, 4], [1]], // only a size-1 axis: each output sees one element
  [
    [2, 3, 4],
    [0, 1, 2],
  ], // everything
];

describe('reduce: every op, layout and dtype against the CPU backend', () => {
  it('float32: sum, prod, max, min, argmax, argmin', async () => {
    for (const [shape, axes] of SHAPES) {
      for (const op of ['sum', 'prod', 'max', 'min', 'argmax', 'argmin'] as const) {
        if ((op === 'argmax' || op === 'argmin') && axes.length > 1) continue;
        await same(op, valuesFor(op, 'float32', numel(shape), numel(shape)), shape, 'float32', axes);
      }
    }
  });

  it('integers and bool: exact sums, products, extrema and positions', async () => {
    const ops: Record<string, ReduceOp[]> = {
      int32: ['sum', 'prod', 'max', 'argmin'],
      int64: ['sum', 'prod', 'min', 'argmax'],
      uint8: ['sum', 'max', 'argmax'],
      bool: ['sum', 'min', 'argmax'],
    };
    for (const [dtype, list] of Object.entries(ops) as [DType, ReduceOp[]][]) {
      // each integer accumulator once serial + partial, once through a tree (pipelines are slow to build on SwiftShader)
      for (const [shape, axes] of [SHAPES[4]!, SHAPES[5]!]) {
        for (const op of list) {
          if ((op === 'argmax' || op === 'argmin') && axes.length > 1) continue;
          await same(op, valuesFor(op, dtype, numel(shape), 3), shape, dtype, axes);
        }
      }
    }
  });

  it('NaN propagates (max/min) and is found first (argmax/argmin); ties and -0/+0 pick the first', async () => {
    const N = Number.NaN;
    const x = Float32Array.from([1, N, 3, N, -0, 0, 0, -0, 2, 2, 1, 1, -Infinity, Infinity, 5, 5]);
    const views: [number[], number[]][] = [
      [[16], [0]],
      [[4, 4], [1]],
      [[4, 4], [0]],
      [[8, 2], [1]],
      [[2, 8], [1]],
    ];
    for (const op of ['max', 'min', 'argmax', 'argmin', 'sum', 'prod'] as const) {
      for (const [shape, axes] of views) await same(op, x, shape, 'float32', axes);
    }
    // the first of 300 equal maxima, and -0 before +0 among 300, across lanes of a tree
    const ties = new Float32Array(300).fill(7);
    await same('argmax', ties, [300], 'float32', [0]);
    const zeros = Float32Array.from({ length: 300 }, (_, i) => (i % 3 === 2 ? -0 : 0));
    for (const op of ['max', 'min'] as const) await same(op, zeros, [300], 'float32', [0]);
    await same(
      'max',
      Float32Array.from({ length: 300 }, (_, i) => (i % 3 === 2 ? 0 : -0)),
      [300],
      'float32',
      [0],
    );
  });

  it('sums subnormals exactly although the device may flush them to zero', async () => {
    const sub = 2 ** -140;
    const cases: [number[], number[]][] = [
      [[sub, sub, sub], [3 * sub]], // a subnormal total
      [[2 ** -149, -(2 ** -149), -(2 ** -149)], [-(2 ** -149)]],
      [Array.from({ length: 2 ** 14 }, () => sub), [2 ** 14 * sub]], // a normal total of subnormals, two passes
      [[1, sub], [1]],
    ];
    for (const [vals, want] of cases) {
      const { got } = await both('sum', Float32Array.from(vals), [vals.length], 'float32', [0]);
      expect(mismatch(got, Float32Array.from(want)), `sum of ${vals.length} values`).toBeNull();
    }
  });

  it('empty: no outputs, or the identity for an empty reduced dim', async () => {
    for (const op of ['sum', 'prod', 'max', 'min'] as const) {
      await same(op, new Float32Array(0), [3, 0], 'float32', [1]);
      await same(op, new Float32Array(0), [0, 4], 'float32', [1]);
    }
    await same('sum', new Int32Array(0), [2, 0, 3], 'int32', [1]);
    await same('prod', new BigInt64Array(0), [2, 0], 'int64', [1]);
  });
});

describe('reduce: integers never wrap', () => {
  it('sums exactly through int32-overflowing partial sums; products keep -2^31', async () => {
    const cancel = Int32Array.from([
      2147483647, 2147483647, -2147483648, -2147483647, 5, -2147483648, 2147483647,
    ]);
    await same('sum', cancel, [7], 'int32', [0]);
    await same('prod', Int32Array.from([65536, 32768, -1]), [3], 'int32', [0]); // -2^31
    await same('prod', Int32Array.from([65536, 65536, 0, 3]), [4], 'int32', [0]); // 0 despite 2^32 on the way
    await same('prod', BigInt64Array.from([-65536n, 32768n]), [2], 'int64', [0]);
  });

  it('a sum or product beyond int32 fails the next read, naming the op', async () => {
    for (const [op, vals] of [
      ['sum', [2147483647, 1]],
      ['sum', [-2147483648, -1]],
      ['prod', [65536, 32768]],
      ['prod', [65536, 65536, 65536, 1]],
      ['prod', [-2147483648, -1]],
    ] as [ReduceOp, number[]][]) {
      const x = gpu.write(Int32Array.from(vals), [vals.length], 'int32');
      const h = gpu.reduce(op, { handle: x, shape: [vals.length], dtype: 'int32' }, [0]);
      await expect(gpu.read({ handle: h, shape: [], dtype: 'int32' })).rejects.toThrow(
        new RegExp(`${op}: a result does not fit int32`),
      );
      gpu.disposeData(h);
      gpu.disposeData(x);
    }
    // through core (int32 sums in int64, as PyTorch): 100000 × 30000 is past int32
    const big = tensor(new Int32Array(100_000).fill(30_000)).to('webgpu');
    const s = big.sum();
    await expect(s.data()).rejects.toThrow(
      /sum: a result does not fit int64 .*webgpu computes int64 in 32 bits/,
    );
    // the failure is consumed: the next read works
    const ok = big.narrow(0, 0, 1000).sum();
    expect(await ok.data()).toEqual(BigInt64Array.from([30_000_000n]));
    for (const t of [big, s, ok]) t.dispose();
  });
});

describe('reduce: realistic sizes through core ops', () => {
  it('sums 2^20 and 100000 ones exactly', async () => {
    for (const n of [2 ** 20, 100_000]) {
      const x = tensor(new Float32Array(n).fill(1)).to('webgpu');
      const s = x.sum();
      expect(await s.data()).toEqual(Float32Array.from([n]));
      x.dispose();
      s.dispose();
    }
  });

  it('sums and means of random data within balanced of the CPU (2^17 and 2^20 elements)', async () => {
    const r = stream(11);
    const v = Float32Array.from({ length: 2 ** 20 }, () => r());
    const xc = tensor(v).reshape([2 ** 10, 2 ** 10]);
    const xg = xc.to('webgpu');
    const cases: [string, (t: typeof xc) => typeof xc][] = [
      ['sum', (t) => t.sum()],
      ['mean over rows', (t) => t.mean(1)],
      ['mean over columns', (t) => t.mean(0)],
      ['sum of 2^17 centred', (t) => t.narrow(0, 0, 128).sub(0.5).sum()],
    ];
    for (const [what, f] of cases) {
      // tidy: the intermediates (narrow, sub, mean's sum) are freed now, not by a later GC
      // during the next test's live-buffer count
      const want = tidy(() => f(xc));
      const got = tidy(() => f(xg));
      expect(mismatch(await got.data(), want.dataSync(), BALANCED), what).toBeNull();
      want.dispose();
      got.dispose();
    }
    xc.dispose();
    xg.dispose();
  });

  it('column sums over 65600 rows: three passes, their partial buffers released', async () => {
    const shape = [65_600, 16];
    const live = () => (gpu.memory!() as { numBuffers: number }).numBuffers;
    const before = live();
    await same('sum', valuesFor('sum', 'float32', numel(shape), 5), shape, 'float32', [0]);
    await same('max', valuesFor('max', 'int32', numel(shape), 6), shape, 'int32', [0]);
    // a leak raises the count; buffers of earlier tests' garbage may be freed meanwhile (lower)
    expect(live()).toBeLessThanOrEqual(before);
  });

  it('argmax over 2^18 elements finds the first maximum', async () => {
    const r = stream(3);
    const v = Float32Array.from({ length: 2 ** 18 }, () => r());
    v[200_001] = 2;
    v[250_000] = 2;
    const x = tensor(v).to('webgpu');
    const a = x.argmax();
    expect(await a.data()).toEqual(BigInt64Array.from([200_001n]));
    x.dispose();
    a.dispose();
  });
});

describe('reduce: launch folding and layouts', () => {
  it('folds chunks past the per-dimension workgroup limit into y', async () => {
    // a context that believes only 3 workgroups fit a dimension: every launch folds
    const { device, report } = await openDevice();
    const ctx = new GpuContext(device, report);
    Object.defineProperty(ctx, 'maxWorkgroups', { value: 3 });
    const shape = [40, 3000];
    const values = valuesFor('sum', 'float32', numel(shape), 9) as Float32Array;
    const x = ctx.upload(values, values.length, 'float32');
    for (const axes of [[1], [0]]) {
      const y = reduce(ctx, 'sum', { handle: x, shape, dtype: 'float32' }, axes);
      const got = new Float32Array(await ctx.read(y.buffer, y.numel * 4));
      const c = cpu.write(values, shape, 'float32');
      const ch = cpu.reduce('sum', { handle: c, shape, dtype: 'float32' }, axes);
      const want = cpu.readSync({ handle: ch, shape: [shape[1 - axes[0]!]!], dtype: 'float32' });
      expect(mismatch(got, want, BALANCED), `axes [${axes}]`).toBeNull();
      ctx.release(y);
      cpu.disposeData(ch);
      cpu.disposeData(c);
    }
    ctx.release(x);
    ctx.destroy();
  });

  it('collapses size-1 dims and neighbouring axes into row, column or general layouts', () => {
    expect(reduceLayout([4, 1, 5, 6], [2, 3])).toEqual({ kind: 'row' });
    expect(reduceLayout([4, 5, 1], [1])).toEqual({ kind: 'row' });
    expect(reduceLayout([2, 3, 1], [2])).toEqual({ kind: 'row' });
    expect(reduceLayout([4, 5, 6, 7], [1, 2])).toEqual({ kind: 'col', inner: 7 });
    expect(reduceLayout([5, 6], [0])).toEqual({ kind: 'col', inner: 6 });
    expect(reduceLayout([4, 5, 6, 7], [1, 3])).toEqual({
      kind: 'gen',
      kept: [
        [4, 210],
        [6, 7],
      ],
      red: [
        [5, 42],
        [7, 1],
      ],
    });
  });
});
