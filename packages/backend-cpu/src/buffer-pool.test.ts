import { describe, expect, it } from 'vitest';
import { BufferPool } from './buffer-pool.js';

describe('BufferPool', () => {
  it('serves a released array of the same kind and length, zeroed unless asked not to', () => {
    const pool = new BufferPool(1 << 20);
    const a = pool.take('float32', 1000) as Float32Array;
    a.fill(7);
    pool.give(a);
    expect(pool.stats()).toMatchObject({ poolBuffers: 1, poolBytes: 4000 });
    const b = pool.take('float32', 1000) as Float32Array;
    expect(b).toBe(a);
    expect(Array.from(b.subarray(0, 3))).toEqual([0, 0, 0]);
    b.fill(3);
    pool.give(b);
    const c = pool.take('float32', 1000, false) as Float32Array;
    expect(c[0]).toBe(3); // not zeroed when the kernel writes every element itself
    expect(pool.stats()).toMatchObject({ poolHits: 2, poolMisses: 1, poolBuffers: 0, poolBytes: 0 });
  });

  it('keeps kinds apart: int32 is never served as float32, bool shares uint8', () => {
    const pool = new BufferPool(1 << 20);
    pool.give(new Int32Array(512));
    expect(pool.take('float32', 512)).toBeInstanceOf(Float32Array);
    expect(pool.stats().poolHits).toBe(0);
    const u = new Uint8Array(2048);
    pool.give(u);
    expect(pool.take('bool', 2048)).toBe(u);
    const big = new BigInt64Array(256);
    big[0] = 5n;
    pool.give(big);
    const got = pool.take('int64', 256) as BigInt64Array;
    expect(got).toBe(big);
    expect(got[0]).toBe(0n);
  });

  it('never pools views, small arrays, or an array given twice', () => {
    const pool = new BufferPool(1 << 20);
    const base = new Float32Array(4096);
    pool.give(base.subarray(1024));
    pool.give(new Float32Array(8));
    expect(pool.stats().poolBuffers).toBe(0);
    pool.give(base);
    expect(() => pool.give(base)).toThrow(/released twice/);
  });

  it('evicts the least recently released lengths past its bound, and clear() empties it', () => {
    const pool = new BufferPool(10_000);
    pool.give(new Float32Array(1000)); // 4000 B
    pool.give(new Float32Array(1001)); // 4004 B
    pool.give(new Float32Array(1002)); // 4008 B: over 10,000, the 1000-length one goes
    expect(pool.stats()).toMatchObject({ poolBuffers: 2, poolBytes: 8012, poolEvictions: 1 });
    expect(pool.take('float32', 1000, false)).not.toBe(undefined);
    expect(pool.stats().poolMisses).toBe(1);
    pool.clear();
    expect(pool.stats()).toMatchObject({ poolBuffers: 0, poolBytes: 0 });
  });
});
