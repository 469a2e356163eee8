import { describe, expect, it } from 'vitest';
import { matmul } from './matmul.js';
import { matmulJs } from './matmul-js.js';
import { matmulWasm, wasmMatmulAvailable } from './matmul-wasm.js';

type Kernel = typeof matmul;
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

/** Deterministic values in [-1, 1) so failures reproduce. */
function fill(ctor: Ctor, n: number, seed: number): Float32Array | Float64Array {
  const x = new ctor(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

interface Case {
  batch: number;
  M: number;
  K: number;
  N: number;
  transA: boolean;
  transB: boolean;
  /** Batch stride 0: one matrix broadcast over the batch. */
  aShared?: boolean;
  bShared?: boolean;
}

/**
 * Runs `kernel` on one case and checks every element against a float64 triple loop, relative to
 * sum_k |a_ik b_kj| (the scale of the rounding error of any summation order).
 */
function check(kernel: Kernel, ctor: Ctor, c: Case, tol: number): void {
  const { batch, M, K, N, transA, transB } = c;
  const aStride = c.aShared ? 0 : M * K;
  const bStride = c.bShared ? 0 : K * N;
  const a = fill(ctor, Math.max(1, aStride * batch, M * K), 1 + M + 7 * K);
  const b = fill(ctor, Math.max(1, bStride * batch, K * N), 3 + N + 5 * K);
  const out = new ctor(batch * M * N).fill(Number.NaN);
  kernel(a, b, out, batch, M, K, N, aStride, bStride, transA, transB);
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        let mag = 0;
        for (let k = 0; k < K; k++) {
          const av = transA ? a[bi * aStride + k * M + i] : a[bi * aStride + i * K + k];
          const bv = transB ? b[bi * bStride + j * K + k] : b[bi * bStride + k * N + j];
          s += av * bv;
          mag += Math.abs(av * bv);
        }
        const got = out[bi * M * N + i * N + j];
        if (!(Math.abs(got - s) <= tol * (mag + 1e-30))) {
          expect.fail(`${JSON.stringify(c)} at [${bi},${i},${j}]: got ${got}, expected ${s}`);
        }
      }
    }
  }
}

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [1, 5, 1],
  [3, 5, 7],
  [4, 8, 8],
  [5, 1, 9],
  [17, 33, 65],
  [64, 64, 64],
  [130, 70, 90],
  [9, 300, 13],
  [33, 600, 20],
  [12, 20, 520],
];
const transposes: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

const kernels: [string, Kernel, boolean][] = [
  ['matmul', matmul, true],
  ['matmulJs', matmulJs, true],
  ['matmulWasm', matmulWasm as Kernel, wasmMatmulAvailable()],
];

describe.each(kernels)('%s', (_name, kernel, available) => {
  it.runIf(available)('matches a float64 reference (float32) for all shapes and transposes', () => {
    for (const [M, K, N] of shapes) {
      for (const [transA, transB] of transposes)
        check(kernel, Float32Array, { batch: 1, M, K, N, transA, transB }, 1e-5);
    }
  });

  it.runIf(available)('handles batches with either operand broadcast (stride 0)', () => {
    for (const [transA, transB] of transposes) {
      for (const [M, K, N] of [
        [3, 5, 7],
        [20, 30, 40],
      ]) {
        check(kernel, Float32Array, { batch: 3, M, K, N, transA, transB }, 1e-5);
        check(kernel, Float32Array, { batch: 3, M, K, N, transA, transB, aShared: true }, 1e-5);
        check(kernel, Float32Array, { batch: 3, M, K, N, transA, transB, bShared: true }, 1e-5);
        check(
          kernel,
          Float32Array,
          { batch: 2, M, K, N, transA, transB, aShared: true, bShared: true },
          1e-5,
        );
      }
    }
  });
});

describe('matmul', () => {
  it('is exact to float64 precision on float64 data', () => {
    for (const [M, K, N] of shapes) {
      for (const [transA, transB] of transposes)
        check(matmul, Float64Array, { batch: 1, M, K, N, transA, transB }, 1e-13);
    }
    check(
      matmul,
      Float64Array,
      { batch: 3, M: 6, K: 7, N: 5, transA: true, transB: true, bShared: true },
      1e-13,
    );
  });

  it('writes nothing for empty M or N and zeros for K = 0', () => {
    for (const ctor of [Float32Array, Float64Array]) {
      const out = new ctor(4).fill(7);
      matmul(new ctor(0), new ctor(0), out, 1, 0, 3, 4, 0, 0, false, false);
      matmul(new ctor(0), new ctor(0), out, 1, 4, 3, 0, 0, 0, false, false);
      expect(Array.from(out)).toEqual([7, 7, 7, 7]);
      matmul(new ctor(0), new ctor(0), out, 2, 1, 0, 2, 0, 0, false, false);
      expect(Array.from(out)).toEqual([0, 0, 0, 0]);
    }
  });

  it('gives the same float32 result whether the product is small or large (JS and WASM paths agree)', () => {
    const M = 40;
    const K = 50;
    const N = 60;
    const a = fill(Float32Array, M * K, 11);
    const b = fill(Float32Array, K * N, 12);
    const viaAuto = new Float32Array(M * N);
    const viaJs = new Float32Array(M * N);
    matmul(a, b, viaAuto, 1, M, K, N, 0, 0, false, false);
    matmulJs(a, b, viaJs, 1, M, K, N, 0, 0, false, false);
    for (let i = 0; i < M * N; i++) expect(Math.abs(viaAuto[i] - viaJs[i])).toBeLessThan(1e-5);
  });

  it('reuses and grows the WebAssembly memory across sizes without stale data', () => {
    check(matmul, Float32Array, { batch: 1, M: 200, K: 150, N: 180, transA: false, transB: true }, 1e-5);
    check(matmul, Float32Array, { batch: 1, M: 21, K: 41, N: 19, transA: false, transB: false }, 1e-5);
    check(matmul, Float32Array, { batch: 1, M: 300, K: 260, N: 9, transA: true, transB: false }, 1e-5);
  });

  it('propagates NaN and Infinity from the inputs', () => {
    const M = 30;
    const K = 30;
    const N = 30;
    const a = fill(Float32Array, M * K, 5);
    const b = fill(Float32Array, K * N, 6);
    a[2 * K + 3] = Number.NaN;
    b[4 * N + 7] = Number.POSITIVE_INFINITY;
    const out = new Float32Array(M * N);
    matmul(a, b, out, 1, M, K, N, 0, 0, false, false);
    expect(out[2 * N + 0]).toBeNaN();
    expect(out[0 * N + 5]).not.toBeNaN();
    expect(Math.abs(out[0 * N + 7])).toBe(Number.POSITIVE_INFINITY);
  });
});
