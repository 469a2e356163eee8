import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import {
  KERNELS_RELAXED_SIMD,
  KERNELS_SIMD,
  type KernelsVariant,
  MATMUL_MR,
  MATMUL_NR,
} from './kernels.generated.js';
import { kernels } from './module.js';

function bytes(v: KernelsVariant, shared: boolean): Uint8Array<ArrayBuffer> {
  const b = Uint8Array.from(atob(v.base64), (c) => c.charCodeAt(0));
  if (!shared) b[v.sharedFlagOffset] = 0x01;
  return b;
}

/** C = A·B for A [MR, K] and B [K, NR] already in panel order, on a fresh instance of `v`. */
function tile(v: KernelsVariant, K: number): Float32Array {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes(v, false)), { env: { memory } })
    .exports as {
    gemm: (...a: number[]) => void;
  };
  const f = new Float32Array(memory.buffer);
  const a = 0;
  const b = MATMUL_MR * K;
  const c = b + MATMUL_NR * K;
  for (let i = 0; i < c; i++) f[i] = Math.fround(1 + ((i * 2654435761) % 1000) / 997);
  ex.gemm(a * 4, b * 4, c * 4, MATMUL_MR, MATMUL_NR, K, 256, MATMUL_MR, MATMUL_NR, MATMUL_NR);
  return f.slice(c, c + MATMUL_MR * MATMUL_NR);
}

describe('the kernels module', () => {
  it('loads here with SIMD and a shared memory, and says which', () => {
    const k = kernels();
    expect(k).not.toBeNull();
    expect(['simd', 'relaxed-simd']).toContain(k?.simd);
    expect(k?.shared).toBe(true);
  });

  it('declares its memory shared in exactly the byte the runtime patches', () => {
    for (const v of [KERNELS_SIMD, KERNELS_RELAXED_SIMD]) {
      expect(bytes(v, true)[v.sharedFlagOffset]).toBe(0x03);
      expect(WebAssembly.validate(bytes(v, false)) || v === KERNELS_RELAXED_SIMD).toBe(true);
    }
    // an unshared memory is refused by the shared module: the flag byte is the difference
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
    expect(
      () => new WebAssembly.Instance(new WebAssembly.Module(bytes(KERNELS_SIMD, true)), { env: { memory } }),
    ).toThrow();
    expect(
      () => new WebAssembly.Instance(new WebAssembly.Module(bytes(KERNELS_SIMD, false)), { env: { memory } }),
    ).not.toThrow();
  });

  it('relaxed SIMD (FMA) computes the same GEMM to float32 rounding where the engine has it', () => {
    // Node 20's V8 ships relaxed SIMD behind a flag (Node 22 and Chrome 114+ have it on): turn it
    // on for this worker only, to check the FMA variant computes what the plain one does.
    setFlagsFromString('--experimental-wasm-relaxed-simd');
    expect(WebAssembly.validate(bytes(KERNELS_RELAXED_SIMD, false))).toBe(true);
    const K = 300; // past one K-block (256): the accumulators are stored and reloaded
    const plain = tile(KERNELS_SIMD, K);
    const fused = tile(KERNELS_RELAXED_SIMD, K);
    let exact = 0;
    for (let i = 0; i < plain.length; i++) {
      expect(Math.abs(fused[i] - plain[i]) / Math.abs(plain[i])).toBeLessThan(1e-5);
      if (fused[i] === plain[i]) exact++;
    }
    // a fused multiply-add rounds once where mul + add round twice: some sums must differ
    expect(exact).toBeLessThan(plain.length);
  });
});
