// The compiled-kernel cache: a least-recently-used set of at most `maxKernels` kernels, whose
// evicted members are destroyed with their GL programs and textures while the tensors they
// produced stay readable; and the checks every kernel passes before it compiles.
import '@proj/backend-cpu';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MAX_KERNELS, GpujsContext } from './context.js';
import { GpujsBackend } from './index.js';

const f32 = (handle: unknown, shape: number[]) => ({ handle, shape, dtype: 'float32' as const });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('gpujs kernel cache', () => {
  it('keeps at most maxKernels kernels, evicting the least recently used, and reports it', () => {
    const be = new GpujsBackend({ maxKernels: 4 });
    try {
      expect(be.maxKernels).toBe(4);
      const x = be.write(new Float32Array([1, -2, 3, -4]), [4], 'float32');
      const ops = ['neg', 'abs', 'exp', 'relu', 'floor', 'ceil'] as const;
      const outs = ops.map((op) => be.unary(op, f32(x, [4])));
      const m = be.memory();
      expect(m.kernelCacheEntries).toBe(4);
      expect(m.kernelCacheLimit).toBe(4);
      expect(m.kernelEvictions).toBeGreaterThanOrEqual(ops.length + 1 - 4); // upload, then six unary kernels
      // results of evicted kernels are still readable
      expect(Array.from(be.readSync(f32(outs[0], [4])))).toEqual([-1, 2, -3, 4]);
      expect(Array.from(be.readSync(f32(outs[1], [4])))).toEqual([1, 2, 3, 4]);
      // a recently used kernel is kept: ceil was used last, so using it again compiles nothing
      const before = be.stats().compiles;
      be.disposeData(be.unary('ceil', f32(x, [4])));
      expect(be.stats().compiles).toBe(before);
      for (const h of [x, ...outs]) be.disposeData(h);
    } finally {
      be.destroy();
    }
  });

  it('deletes evicted kernels textures but not those tensors still hold; no GL texture leaks', () => {
    const be = new GpujsBackend({ maxKernels: 2 });
    try {
      const gl = () => be.memory().glTextures as number;
      const x = be.write(new Float32Array([1, 2, 3]), [3], 'float32');
      const base = gl();
      const held = [];
      for (let round = 0; round < 3; round++) {
        for (const op of ['neg', 'abs', 'sqrt', 'exp', 'log'] as const) held.push(be.unary(op, f32(x, [3])));
      }
      // every result is readable after its kernel went and came back
      expect(Array.from(be.readSync(f32(held[1], [3])))).toEqual([1, 2, 3]);
      for (const h of held) be.disposeData(h);
      // what is left: x, and at most an output and an upload texture per cached kernel
      expect(gl()).toBeLessThanOrEqual(base + 2 * 2);
      be.disposeData(x);
    } finally {
      be.destroy();
    }
  });

  it('setMaxKernels shrinks the cache at once; limits are validated', () => {
    const be = new GpujsBackend();
    try {
      expect(be.maxKernels).toBe(DEFAULT_MAX_KERNELS);
      const x = be.write(new Float32Array([1, 2]), [2], 'float32');
      for (const op of ['neg', 'abs', 'exp'] as const) be.disposeData(be.unary(op, f32(x, [2])));
      be.setMaxKernels(1);
      expect(be.memory().kernelCacheEntries).toBe(1);
      expect(() => be.setMaxKernels(0)).toThrow(/maxKernels must be an integer >= 1/);
      expect(() => be.setMaxKernels(2.5)).toThrow(/maxKernels must be an integer >= 1 .*, got 2.5/);
      be.disposeData(x);
    } finally {
      be.destroy();
    }
    expect(() => new GpujsBackend({ maxKernels: -1 })).toThrow(
      /maxKernels must be an integer >= 1 .*, got -1/,
    );
  });

  it('takes its limit from PROJ_GPUJS_MAX_KERNELS', () => {
    vi.stubEnv('PROJ_GPUJS_MAX_KERNELS', '7');
    const be = new GpujsBackend();
    expect(be.maxKernels).toBe(7);
    be.destroy();
    vi.stubEnv('PROJ_GPUJS_MAX_KERNELS', 'lots');
    expect(() => new GpujsBackend()).toThrow(/PROJ_GPUJS_MAX_KERNELS must be an integer >= 1 .*, got NaN/);
  });
});

describe('gpujs kernel checks', () => {
  it('refuses a loop gpu.js would cap at LOOP_MAX, and a loop without a declared count', () => {
    const ctx = new GpujsContext();
    try {
      // a bound that is not a literal: gpu.js emits a loop stopped after LOOP_MAX (1000) iterations
      const capped = {
        key: 'test:capped',
        source: 'function (n) { var s = 0.0; for (var i = 0; i < n; i++) { s += 1.0; } return s; }',
        loops: 2000,
      };
      expect(() => ctx.run(capped, 1, [2000])).toThrow(
        /test:capped.*LOOP_MAX cap, which would stop it silently/,
      );
      expect(ctx.numKernels).toBe(0);
      const undeclared = { key: 'test:undeclared', source: capped.source };
      expect(() => ctx.run(undeclared, 1, [3])).toThrow(
        /test:undeclared' has a loop but declares no loop count/,
      );
      const tooLong = { ...capped, key: 'test:long', loops: 70000 };
      expect(() => ctx.run(tooLong, 1, [3])).toThrow(
        /test:long' needs 70000 loop iterations.*over the 65535/,
      );
    } finally {
      ctx.destroy();
    }
  });
});
