import '@proj/backend-cpu';
import {
  backendByName,
  listBackends,
  manualSeed,
  memory,
  nn,
  optim,
  randint,
  randn,
  setBackend,
  type Tensor,
  tensor,
  tidy,
} from '@proj/core';
import { afterAll, describe, expect, it } from 'vitest';
import { GpujsBackend } from './index.js';

const gpu = () => backendByName('gpujs') as GpujsBackend;
const info = (handle: unknown, shape: number[], dtype: 'float32' | 'int32' | 'bool' = 'float32') => ({
  handle,
  shape,
  dtype,
});

afterAll(() => setBackend('cpu'));

describe('GpujsBackend environment', () => {
  it('registers itself as gpujs on import', () => {
    expect(listBackends()).toContain('gpujs');
    expect(gpu()).toBeInstanceOf(GpujsBackend);
  });

  it('reports the gpu.js mode it runs and the renderer', () => {
    const s = gpu().stats();
    expect(s.mode).toBe(gpu().mode);
    expect(['headlessgl', 'webgl2', 'webgl', 'cpu']).toContain(s.mode);
    expect(s.renderer.length).toBeGreaterThan(0);
    // CI sets PROJ_GPUJS_REQUIRE_GL=1: the suite must run on real WebGL there
    if (process.env.PROJ_GPUJS_REQUIRE_GL === '1') expect(s.mode).not.toBe('cpu');
  });

  it('refuses tensors larger than a texture can hold, naming the limit', () => {
    const max = gpu().maxTextureSize;
    expect(() => gpu().fill([max, max + 1], 'float32', 0)).toThrow(
      /exceeds the largest texture.*MAX_TEXTURE_SIZE/,
    );
    // fewer than max² elements, but gpu.js's near-square layout of them is max + 1 wide
    expect(() => gpu().fill([max * max - 1], 'float32', 0)).toThrow(
      new RegExp(`laid out as ${max + 1}x${max - 1}; MAX_TEXTURE_SIZE ${max}`),
    );
  });

  it('holds tensors wider than MAX_TEXTURE_SIZE in a 2-D layout', () => {
    const n = gpu().maxTextureSize + 3;
    const be = gpu();
    const x = be.write(
      Float32Array.from({ length: n }, (_, i) => i),
      [n],
      'float32',
    );
    const y = be.unary('neg', info(x, [n]));
    const out = be.readSync(info(y, [n]));
    expect(out[n - 1]).toBe(-(n - 1));
    expect(out[12345]).toBe(-12345);
    be.disposeData(x);
    be.disposeData(y);
  });

  it('stores int32 and bool exactly up to 2^24', () => {
    const be = gpu();
    const i = be.write(new Int32Array([16777216, -7, 3]), [3], 'int32');
    expect(Array.from(be.readSync(info(i, [3], 'int32')))).toEqual([16777216, -7, 3]);
    const q = be.binary('div', info(i, [3], 'int32'), info(i, [3], 'int32'), [3]);
    expect(Array.from(be.readSync(info(q, [3], 'int32')))).toEqual([1, 1, 1]);
    for (const h of [i, q]) be.disposeData(h);
  });
});

describe('kernel cache', () => {
  it('compiles once per (op, shapes, dtypes, attributes) and counts hits', () => {
    setBackend('gpujs');
    const be = gpu();
    tidy(() => {
      const x = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      x.t().contiguous();
      const s0 = be.stats();
      x.t().contiguous();
      const s1 = be.stats();
      expect(s1.compiles).toBe(s0.compiles);
      expect(s1.cacheHits).toBeGreaterThan(s0.cacheHits);
      tensor([
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ])
        .t()
        .contiguous(); // another shape: a new strided-read kernel
      expect(be.stats().compiles).toBe(s1.compiles + 1);
      // size-independent sources (elementwise) compile once for every size
      x.exp();
      const s2 = be.stats();
      tensor([1, 2, 3, 4, 5, 6, 7]).exp();
      expect(be.stats().compiles).toBe(s2.compiles);
    });
  });

  it('warmup compiles a training step ahead of time and leaves no gradients', async () => {
    setBackend('gpujs');
    manualSeed(1);
    const model = new nn.Sequential(new nn.Linear(5, 7), new nn.Tanh(), new nn.Linear(7, 2));
    const x = randn([3, 5]);
    await gpu().warmup(model, x);
    for (const p of model.parameters()) expect(p.grad).toBeNull();
    const before = gpu().stats().compiles;
    tidy(() => model.forward(x).sum().backward());
    expect(gpu().stats().compiles).toBe(before);
    for (const p of model.parameters()) {
      p.grad?.dispose();
      p.dispose();
    }
    x.dispose();
  });
});

describe('memory', () => {
  it('keeps the texture count flat over 100 training steps', () => {
    setBackend('gpujs');
    manualSeed(2);
    const model = new nn.Sequential(new nn.Linear(6, 12), new nn.ReLU(), new nn.Linear(12, 3));
    const opt = new optim.Adam([...model.parameters()], { lr: 0.01 });
    const lossFn = new nn.CrossEntropyLoss();
    const x = randn([10, 6]);
    const y = randint(0, 3, [10]);
    const gl = () => memory().backends.gpujs.backend as Record<string, number>;
    const step = () =>
      tidy(() => {
        opt.zeroGrad();
        const loss = lossFn.forward(model.forward(x) as Tensor, y);
        loss.backward();
        opt.step();
      });
    for (let i = 0; i < 5; i++) step();
    const start = { ...gl() };
    for (let i = 0; i < 100; i++) step();
    const end = gl();
    expect(end.numTextures).toBe(start.numTextures);
    expect(end.glTextures).toBe(start.glTextures);
    expect(end.numBytes).toBe(start.numBytes);
    expect(end.kernels).toBe(start.kernels);
  });

  it('deletes the texture on dispose', () => {
    setBackend('gpujs');
    const before = memory().backends.gpujs.backend as Record<string, number>;
    const t = randn([64, 64]);
    const mid = memory().backends.gpujs.backend as Record<string, number>;
    expect(mid.numTextures).toBe(before.numTextures + 1);
    expect(mid.numBytes).toBeGreaterThanOrEqual(before.numBytes + 64 * 64 * 4);
    t.dispose();
    const after = memory().backends.gpujs.backend as Record<string, number>;
    expect(after.numTextures).toBe(before.numTextures);
    expect(after.glTextures).toBeLessThanOrEqual(mid.glTextures);
  });
});

describe('CPU fallback mode', () => {
  it('runs the same kernels through gpu.js CPU mode', () => {
    const be = new GpujsBackend({ mode: 'cpu' });
    expect(be.mode).toBe('cpu');
    const a = be.write(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], 'float32');
    const t = be.permute(info(a, [2, 3]), [1, 0]);
    expect(Array.from(be.readSync(info(t, [3, 2])))).toEqual([1, 4, 2, 5, 3, 6]);
    const m = be.matmul(info(a, [1, 2, 3]), info(t, [1, 3, 2]), false, false);
    expect(Array.from(be.readSync(info(m, [1, 2, 2])))).toEqual([14, 32, 32, 77]);
    const s = be.reduce('sum', info(a, [2, 3]), [1]);
    expect(Array.from(be.readSync(info(s, [2])))).toEqual([6, 15]);
    be.destroy();
  });

  it('runs the multi-pass reductions and long softmax through gpu.js CPU mode', () => {
    const be = new GpujsBackend({ mode: 'cpu' });
    const n = 10000;
    const v = Float32Array.from({ length: n }, (_, i) => (i % 5) - 2);
    v[7777] = 9;
    const x = be.write(v, [n], 'float32');
    const read = (h: unknown, shape: number[]) => Array.from(be.readSync(info(h, shape)));
    const s = be.reduce('sum', info(x, [n]), [0]);
    expect(read(s, [])).toEqual([9]); // 2000 full cycles of -2..2 sum to 0; the 9 replaces a 0
    const am = be.reduce('argmax', info(x, [n]), [0]);
    expect(Array.from(be.readSync(info(am, [], 'int32')))).toEqual([7777]);
    const p = be.softmax(info(x, [n]), 0);
    const probs = read(p, [n]);
    expect(probs.reduce((acc, q) => acc + q, 0)).toBeCloseTo(1, 4);
    const denom = Array.from(v).reduce((acc, q) => acc + Math.exp(q - 9), 0);
    expect(probs[7777]).toBeCloseTo(1 / denom, 6);
    expect(probs[0]).toBeCloseTo(Math.exp(-2 - 9) / denom, 9);
    for (const h of [x, s, am, p]) be.disposeData(h);
    be.destroy();
  });
});
