// The backend as core sees it: registration, the adapter report, asynchronous reads, dtypes,
// memory accounting and the bounded caches.
import '@proj/backend-cpu';
import { backendByName, full, memory, setBackend, tensor, tidy, zeros } from '@proj/core';
import { afterAll, describe, expect, it } from 'vitest';
import { initWebGPU } from './index.js';
import type { WebGPUBackend } from './webgpu-backend.js';

const adapter = await initWebGPU();
const backend = backendByName('webgpu') as WebGPUBackend;
afterAll(() => setBackend('cpu'));

describe('WebGPUBackend', () => {
  it('reports its adapter, in memory() too', () => {
    expect(adapter.summary).toContain(adapter.implementation);
    expect(backend.adapter).toEqual(adapter);
    tidy(() => {
      tensor([1, 2], { device: 'webgpu' });
      expect(memory().backends.webgpu?.backend?.adapter).toBe(adapter.summary);
    });
  });

  it('reads asynchronously; the synchronous readers throw naming the asynchronous ones', async () => {
    const x = tensor([1.5, -2, 3], { device: 'webgpu' });
    expect(Array.from(await x.data())).toEqual([1.5, -2, 3]);
    expect(await x.toArrayAsync()).toEqual([1.5, -2, 3]);
    expect(() => x.dataSync()).toThrow(/await t\.data\(\)|toArrayAsync/);
    expect(() => x.toArray()).toThrow(/toArrayAsync/);
    expect(() => x.sum().item()).toThrow(/data\(\)/);
    x.dispose();
  });

  it('stores each supported dtype exactly and refuses the others by name', async () => {
    expect(backend.supportsDtype('float64')).toBe(false);
    expect(backend.supportsDtype('float16')).toBe(false);
    const cases = [
      { v: [0, -2147483648, 2147483647], dtype: 'int32' as const },
      { v: [0, 255, 7], dtype: 'uint8' as const },
      { v: [true, false, true], dtype: 'bool' as const },
      { v: [-2147483648, 2147483647, 16777217], dtype: 'int64' as const },
    ];
    for (const c of cases) {
      const t = tensor(c.v, { dtype: c.dtype, device: 'webgpu' });
      expect(await t.toArrayAsync()).toEqual(c.v);
      t.dispose();
    }
    expect(() => tensor([1], { dtype: 'float64', device: 'webgpu' })).toThrow(
      /does not support dtype float64/,
    );
  });

  it('refuses int64 values beyond the 32 bits it computes in, on upload and in fills', () => {
    expect(() => tensor([2147483648n], { dtype: 'int64', device: 'webgpu' })).toThrow(
      /int64 value 2147483648 cannot be stored exactly/,
    );
    expect(() => full([2], 2 ** 40, { dtype: 'int64', device: 'webgpu' })).toThrow(/beyond ±\(2\^31 - 1\)/);
  });

  it('reports an out-of-range cast at the next read, naming the op and dtypes', async () => {
    const x = tensor([1, 3e9], { device: 'webgpu' });
    const y = x.int();
    await expect(y.data()).rejects.toThrow(/cast: a float32 value .* does not fit int32/);
    x.dispose();
    y.dispose();
  });

  it('returns buffers to its bounded pool and accounts for them in memory()', async () => {
    const own = () => memory().backends.webgpu!.backend!;
    const before = own().numBuffers as number;
    const t = zeros([1000], { device: 'webgpu' });
    expect(own().numBuffers).toBe(before + 1);
    await t.data();
    t.dispose();
    expect(own().numBuffers).toBe(before);
    expect(own().pooledBytes).toBeGreaterThan(0);
    expect(own().pooledBytes).toBeLessThanOrEqual(own().poolLimitBytes as number);
  });
});
