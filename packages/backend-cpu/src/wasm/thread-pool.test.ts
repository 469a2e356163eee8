import { afterAll, describe, expect, it } from 'vitest';
import { randArray, rng } from '../../test/helpers.js';
import { matmulJs } from '../kernels/matmul-js.js';
import { matmulWasm, setThreadMinWork } from '../kernels/matmul-wasm.js';
import { cpuInfo } from './cpu-info.js';
import { getNumThreads, setNumThreads, threadPool } from './thread-pool.js';

/** `n` seeded float32 values in [-0.5, 0.5). */
function seeded(n: number, seed: number): Float32Array {
  return Float32Array.from(randArray(rng(seed), n, -0.5, 0.5));
}

/** Waits (busy: the pool is synchronous) until `n` workers report ready, at most 10 s. */
function awaitWorkers(n: number): void {
  const until = Date.now() + 10_000;
  while ((threadPool()?.readyWorkers() ?? 0) < n && Date.now() < until) {
    // workers start on their own threads; nothing to do here but wait
  }
  expect(threadPool()?.readyWorkers()).toBeGreaterThanOrEqual(n);
}

describe('setNumThreads / getNumThreads', () => {
  afterAll(() => setNumThreads(cpuInfo().cores));

  it('refuses what is not a thread count, naming it', () => {
    expect(() => setNumThreads(0)).toThrow(
      'setNumThreads: expected an integer number of threads in [1, 64], got 0',
    );
    expect(() => setNumThreads(1.5)).toThrow(RangeError);
    expect(() => setNumThreads(65)).toThrow(/got 65/);
  });

  it('reports the threads set (Node has shared memory and workers)', () => {
    setNumThreads(3);
    expect(getNumThreads()).toBe(3);
    expect(cpuInfo()).toMatchObject({ threads: 3 });
    expect(cpuInfo().singleThreadedReason).toBeUndefined();
    setNumThreads(1);
    expect(getNumThreads()).toBe(1);
  });
});

describe('threaded GEMM', () => {
  afterAll(() => setNumThreads(cpuInfo().cores));

  // [M, K, N, transA, transB]: a row split (many row panels), a column split (few rows, many
  // columns), transposed operands, ragged edges.
  const shapes: [number, number, number, boolean, boolean][] = [
    [96, 40, 24, false, false],
    [5, 33, 203, false, true],
    [61, 17, 45, true, true],
  ];
  for (const [M, K, N, tA, tB] of shapes) {
    it(`[${M},${K}]@[${K},${N}] (transA ${tA}, transB ${tB}): bit-identical for 1, 2 and 3 threads`, () => {
      const old = setThreadMinWork(0); // thread even these small products
      try {
        const a = seeded(M * K, 1);
        const b = seeded(K * N, 2);
        const run = (threads: number): Float32Array => {
          setNumThreads(threads);
          if (threads > 1) awaitWorkers(threads - 1);
          const out = new Float32Array(M * N);
          matmulWasm(a, b, out, 1, M, K, N, 0, 0, tA, tB);
          return out;
        };
        const one = run(1);
        const want = new Float64Array(M * N);
        matmulJs(Float64Array.from(a), Float64Array.from(b), want, 1, M, K, N, 0, 0, tA, tB);
        for (let i = 0; i < one.length; i++) expect(Math.abs(one[i] - want[i])).toBeLessThan(1e-5);
        for (const threads of [2, 3]) expect(Array.from(run(threads))).toEqual(Array.from(one));
      } finally {
        setThreadMinWork(old);
      }
    });
  }
});
