// The context on a real adapter: uploads, fill/cast kernels, batching, status checks, the pool.
import { describe, expect, it } from 'vitest';
import { openDevice } from './adapter.js';
import { GpuContext } from './context.js';
import { cast, fill } from './kernels/fill-cast.js';

const { device, report } = await openDevice();
const ctx = new GpuContext(device, report);

const read = async (h: { buffer: GPUBuffer; numel: number }) => ctx.read(h.buffer, h.numel * 4);

describe('GpuContext', () => {
  it('reports the adapter it runs on', () => {
    expect(report.summary.length).toBeGreaterThan(3);
    console.log(`webgpu adapter: ${report.summary}`);
  });

  it('uploads, fills and reads back, at realistic sizes too', async () => {
    const up = ctx.upload(new Float32Array([1, 2, 3]), 3, 'float32');
    expect([...new Float32Array(await read(up))]).toEqual([1, 2, 3]);
    const n = 100_000 * 7;
    const f = fill(ctx, [n], 'float32', 1.5);
    const got = new Float32Array(await read(f));
    expect(got.length).toBe(n);
    expect(got.every((v) => v === 1.5)).toBe(true);
    ctx.release(up);
    ctx.release(f);
  });

  it('casts, and reports an out-of-range cast at the next read', async () => {
    const x = ctx.upload(new Float32Array([1.9, -2.9, 3e9]), 3, 'float32');
    const ok = ctx.upload(new Float32Array([1.9, -2.9, 7]), 3, 'float32');
    const info = (handle: unknown) => ({ handle, shape: [3], dtype: 'float32' as const });
    const c = cast(ctx, info(ok), 'int32');
    expect([...new Int32Array(await read(c))]).toEqual([1, -2, 7]);
    const bad = cast(ctx, info(x), 'int32');
    await expect(read(bad)).rejects.toThrow(/cast: a float32 value .* does not fit int32/);
    // the check is consumed: the next read succeeds
    expect([...new Int32Array(await read(c))]).toEqual([1, -2, 7]);
    for (const h of [x, ok, c, bad]) ctx.release(h);
  });

  it('batches many launches (arena and batch limits) and keeps their order', async () => {
    const hs: ReturnType<typeof fill>[] = [];
    for (let k = 0; k < 600; k++) hs.push(fill(ctx, [k + 1], 'float32', k));
    const submits = ctx.stats().submits;
    const got = await Promise.all([0, 299, 599].map(async (k) => [...new Float32Array(await read(hs[k]!))]));
    expect(got[0]).toEqual([0]);
    expect(got[1]).toEqual(new Array(300).fill(299));
    expect(got[2]).toEqual(new Array(600).fill(599));
    expect(ctx.stats().submits).toBeGreaterThan(submits);
    for (const h of hs) ctx.release(h);
  });

  it('runs deferred checks at the next read: a false condition throws its message once', async () => {
    const yes = ctx.upload(new Uint32Array([1]), 1, 'bool');
    const no = ctx.upload(new Uint32Array([0]), 1, 'bool');
    ctx.deferCheck(yes.buffer, () => 'never');
    ctx.deferCheck(no.buffer, () => 'target out of range');
    await expect(read(yes)).rejects.toThrow('target out of range');
    expect([...new Uint32Array(await read(yes))]).toEqual([1]);
    ctx.release(yes);
    ctx.release(no);
  });

  it('keeps released buffers in the bounded pool', () => {
    const before = ctx.stats();
    const h = fill(ctx, [1000], 'float32', 0);
    ctx.release(h);
    const h2 = fill(ctx, [1000], 'float32', 0);
    expect(ctx.stats().poolHits).toBeGreaterThan(before.poolHits);
    ctx.release(h2);
    ctx.pool.setLimit(0);
    expect(ctx.stats().pooledBytes).toBe(0);
    ctx.pool.setLimit(256 * 2 ** 20);
  });
});
