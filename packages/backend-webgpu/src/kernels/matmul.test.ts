// matmul on WebGPU against the CPU backend: every transpose and alignment variant of the tiled
// kernel, batch broadcasting, K = 0, special values, the split reduction and a 512³ product.
import '@proj/backend-cpu';
import { backendByName, manualSeed, randn, type Tensor, tensor, zeros } from '@proj/core';
import { describe, expect, it, vi } from 'vitest';
import type { GpuContext } from '../context.js';
import { initWebGPU, type WebGPUBackend } from '../index.js';
import { splitOf } from './gemm-tile.js';

await initWebGPU();

/** Small integers: every product and sum is exact in float32, so results must match bit for bit. */
function ints(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = ((i * 7919 + seed * 104729) % 9) - 4;
  return tensor(v).reshape(shape);
}

/** `f` on 'cpu' and on 'webgpu' (inputs moved there); both results as arrays, inputs disposed. */
async function both(
  f: (...xs: Tensor[]) => Tensor,
  xs: Tensor[],
): Promise<[Float32Array, Float32Array, number[]]> {
  const want = f(...xs);
  const gx = xs.map((x) => x.to('webgpu'));
  const got = f(...gx);
  const res: [Float32Array, Float32Array, number[]] = [
    (await got.data()) as Float32Array,
    want.dataSync() as Float32Array,
    [...got.shape],
  ];
  expect(got.shape).toEqual(want.shape);
  for (const t of [want, got, ...gx, ...xs]) t.dispose();
  return res;
}

/** Exact equality (NaN matches NaN; -0 and +0 are equal). */
function expectSame(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!(got[i] === want[i] || (Number.isNaN(got[i]) && Number.isNaN(want[i])))) {
      expect.fail(`element ${i}: got ${got[i]}, want ${want[i]}`);
    }
  }
}

/**
 * Float results within float32 accumulation error: |got − want| ≤ 1e-5·(|a|·|b|) per element,
 * the error bound's scale being the product of the magnitudes (what any summation order meets).
 */
async function expectProductClose(f: (a: Tensor, b: Tensor) => Tensor, a: Tensor, b: Tensor): Promise<void> {
  const scale = f(a.abs(), b.abs());
  const s = scale.dataSync() as Float32Array;
  const [got, want] = await both(f as (...xs: Tensor[]) => Tensor, [a, b]);
  scale.dispose();
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!) / (s[i]! + 1e-30);
    if (!(err <= 1e-5)) expect.fail(`element ${i}: got ${got[i]}, want ${want[i]} (scale ${s[i]})`);
    worst = Math.max(worst, err);
  }
  expect(worst).toBeLessThanOrEqual(1e-5);
}

const mm = (a: Tensor, b: Tensor): Tensor => a.matmul(b);

describe('webgpu matmul', () => {
  it('matches exactly on integer data at odd and aligned sizes (scalar and vec4 paths)', async () => {
    for (const [M, K, N] of [
      [1, 1, 1],
      [5, 7, 3],
      [37, 65, 29],
      [64, 64, 64],
      [68, 36, 20],
      [65, 17, 131],
      [3, 100, 8],
    ] as const) {
      const [got, want] = await both(mm, [ints([M, K], M), ints([K, N], N)]);
      expectSame(got, want);
    }
  });

  it('reads transposed operands through their strides (all four combinations, both alignments)', async () => {
    const be = backendByName('webgpu') as unknown as { matmul: (...args: unknown[]) => unknown };
    const spy = vi.spyOn(be, 'matmul');
    for (const [M, K, N] of [
      [37, 65, 29],
      [20, 36, 44],
    ] as const) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          spy.mockClear();
          // a transposed operand is the transpose view of a dense matrix: core passes the flag
          const a = tA ? ints([K, M], 1) : ints([M, K], 1);
          const b = tB ? ints([N, K], 2) : ints([K, N], 2);
          const f = (x: Tensor, y: Tensor): Tensor => (tA ? x.t() : x).matmul(tB ? y.t() : y);
          const [got, want] = await both(f, [a, b]);
          expectSame(got, want);
          expect(spy.mock.calls[0]!.slice(2)).toEqual([tA, tB]);
        }
      }
    }
    spy.mockRestore();
  });

  it('broadcasts a batch of 1 on either side, and batches transposed operands', async () => {
    for (const [sa, sb] of [
      [
        [3, 9, 13],
        [13, 6],
      ],
      [
        [9, 13],
        [4, 13, 6],
      ],
      [
        [1, 9, 12],
        [5, 12, 8],
      ],
      [
        [5, 9, 12],
        [5, 12, 8],
      ],
      [
        [2, 3, 9, 12],
        [12, 8],
      ],
    ] as const) {
      const [got, want] = await both(mm, [ints([...sa], 3), ints([...sb], 4)]);
      expectSame(got, want);
    }
    const f = (x: Tensor, y: Tensor): Tensor => x.transpose(1, 2).matmul(y.transpose(1, 2));
    const [got, want] = await both(f, [ints([3, 11, 7], 5), ints([3, 6, 11], 6)]);
    expectSame(got, want);
  });

  it('gives zeros for K = 0 and empty results for M = 0 or N = 0', async () => {
    const [got, want, shape] = await both(mm, [zeros([3, 0]), zeros([0, 5])]);
    expect(shape).toEqual([3, 5]);
    expectSame(got, want);
    expect([...got]).toEqual(new Array(15).fill(0));
    const [e, , es] = await both(mm, [zeros([0, 4]), ints([4, 3], 1)]);
    expect(es).toEqual([0, 3]);
    expect(e.length).toBe(0);
    const [e2, , es2] = await both(mm, [zeros([2, 0, 4]), ints([4, 3], 1)]);
    expect(es2).toEqual([2, 0, 3]);
    expect(e2.length).toBe(0);
  });

  it('propagates NaN and infinity as the CPU backend does (inf·0 = NaN)', async () => {
    const a = tensor([
      [1, Number.NaN, 2],
      [Number.POSITIVE_INFINITY, 1, 0],
      [1, 2, 3],
      [Number.NEGATIVE_INFINITY, 0, 0],
    ]);
    const b = tensor([
      [1, 0],
      [0, 1],
      [5, 2],
    ]);
    const [got, want] = await both(mm, [a, b]);
    expectSame(got, want);
    expect(Number.isNaN(got[0])).toBe(true);
    expect(got[2]).toBe(Number.POSITIVE_INFINITY);
    expect(got[6]).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(got[7])).toBe(true); // -inf·0
  });

  it('splits a long reduction over few output tiles, and sums the pieces exactly', async () => {
    expect(splitOf(4, 3, 8192, 1).splits).toBeGreaterThan(1);
    expect(splitOf(512, 512, 512, 1).splits).toBe(1);
    const [got, want] = await both(mm, [ints([4, 8195], 7), ints([8195, 3], 8)]);
    expectSame(got, want);
    // the partial results go back to the pool: one live buffer more, the output (checked with
    // no await in between, so no finalizer of an unreachable tensor runs meanwhile)
    const be = backendByName('webgpu') as WebGPUBackend;
    const [a, b] = [zeros([2, 4096]).to('webgpu'), zeros([4096, 2]).to('webgpu')];
    const live = be.memory().numBuffers;
    const y = a.matmul(b);
    expect(be.memory().numBuffers).toBe(live + 1);
    for (const t of [a, b, y]) t.dispose();
    const n = 2 ** 17;
    const ones = (s: number[]): Tensor => tensor(new Float32Array(n).fill(1)).reshape(s);
    const [dot] = await both(mm, [ones([1, n]), ones([n, 1])]);
    expect([...dot]).toEqual([n]);
  });

  it('multiplies 512×512 by 512×512 random matrices within float32 accumulation error', async () => {
    manualSeed(17);
    await expectProductClose(mm, randn([512, 512]), randn([512, 512]));
    await expectProductClose(
      (x, y) => x.matmul(y.transpose(1, 2)),
      randn([3, 200, 333]),
      randn([3, 250, 333]),
    );
  });

  it('launches in pieces past the per-dimension workgroup limit', async () => {
    const ctx = (backendByName('webgpu') as unknown as { ctx: GpuContext }).ctx;
    const own = ctx.maxWorkgroups;
    Object.defineProperty(ctx, 'maxWorkgroups', { value: 2 }); // 5 batches × 3×3 tiles in pieces of 2
    try {
      const [got, want] = await both(mm, [ints([5, 150, 20], 1), ints([5, 20, 140], 2)]);
      expectSame(got, want);
    } finally {
      Object.defineProperty(ctx, 'maxWorkgroups', { value: own });
    }
  });

  // A measurement, not a gate: SwiftShader runs on the CPU, so the numbers only show the tiled
  // kernel is not pathological there. PROJ_WEBGPU_BENCH=1 runs it.
  it.runIf(process.env.PROJ_WEBGPU_BENCH === '1')(
    'measures GFLOP/s at 512 and 1024 (best of 3)',
    async () => {
      for (const n of [512, 1024]) {
        const [ca, cb] = [randn([n, n]), randn([n, n])];
        const [a, b] = [ca.to('webgpu'), cb.to('webgpu')];
        const warm = a.matmul(b); // pipeline built, buffers warm
        const first = (await warm.data()) as Float32Array;
        let best = Number.POSITIVE_INFINITY;
        for (let rep = 0; rep < 3; rep++) {
          const t0 = performance.now();
          const y = a.matmul(b);
          const got = (await y.data()) as Float32Array;
          best = Math.min(best, performance.now() - t0);
          expect(got).toEqual(first); // deterministic: the same bits every run
          y.dispose();
        }
        console.log(
          `webgpu matmul ${n}³: ${best.toFixed(0)} ms, ${((2 * n ** 3) / best / 1e6).toFixed(2)} GFLOP/s`,
        );
        for (const t of [ca, cb, a, b, warm]) t.dispose();
      }
    },
  );

  it('refuses non-float32 operands by name', () => {
    const be = backendByName('webgpu');
    const x = tensor([[1, 2]], { dtype: 'int32' }).to('webgpu');
    expect(() => be.matmul!(x, x, false, true)).toThrow(
      /matmul: the webgpu backend multiplies float32 matrices, got int32/,
    );
    x.dispose();
  });
});
