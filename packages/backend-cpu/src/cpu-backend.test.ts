import { backendByName, listBackends } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { info } from '../test/helpers.js';
import { CpuBackend } from './index.js';

describe('CpuBackend storage', () => {
  it('registers itself as cpu on import', () => {
    expect(listBackends()).toContain('cpu');
    expect(backendByName('cpu')).toBeInstanceOf(CpuBackend);
  });

  it('stores each dtype in its TypedArray and copies on write and read', () => {
    const be = new CpuBackend();
    const src = new Float32Array([1.5, -2.7, 0]);
    const f = be.write(src, [3], 'float32');
    expect(f).toBeInstanceOf(Float32Array);
    expect(f).not.toBe(src);
    src[0] = 9;
    const out = be.readSync(info(f, [3])) as Float32Array;
    expect(Array.from(out)).toEqual([1.5, Math.fround(-2.7), 0]);
    out[1] = 42;
    expect((f as Float32Array)[1]).toBe(Math.fround(-2.7));
    expect(be.write(new Float64Array([1]), [1], 'float64')).toBeInstanceOf(Float64Array);
    expect(be.write(new Int32Array([1]), [1], 'int32')).toBeInstanceOf(Int32Array);
    expect(Array.from(be.write(new Float32Array([2, 0, -1]), [3], 'bool') as Uint8Array)).toEqual([1, 0, 1]);
    expect(() => be.write(new Float32Array(2), [3], 'float32')).toThrow(/got 2 values for shape \[3\]/);
  });

  it('reads asynchronously', async () => {
    const be = new CpuBackend();
    const h = be.write(new Int32Array([4, 5]), [2], 'int32');
    expect(Array.from((await be.read(info(h, [2], 'int32'))) as Int32Array)).toEqual([4, 5]);
  });

  it('fills, including bool', () => {
    const be = new CpuBackend();
    expect(Array.from(be.fill([2, 2], 'float32', 0.5) as Float32Array)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(be.fill([3], 'bool', 7) as Uint8Array)).toEqual([1, 1, 1]);
    expect(Array.from(be.fill([], 'int32', -3) as Int32Array)).toEqual([-3]);
  });

  it('casts: float→int truncates toward zero, →bool is x != 0, int→float exact', () => {
    const be = new CpuBackend();
    const x = info(be.write(new Float32Array([2.7, -2.7, 0, Number.NaN]), [4], 'float32'), [4]);
    expect(Array.from(be.cast(x, 'bool') as Uint8Array)).toEqual([1, 1, 0, 1]);
    const y = info(be.write(new Float32Array([2.7, -2.7, 0, 2147483520]), [4], 'float32'), [4]);
    expect(Array.from(be.cast(y, 'int32') as Int32Array)).toEqual([2, -2, 0, 2147483520]);
    const i = info(be.write(new Int32Array([16777217]), [1], 'int32'), [1], 'int32');
    expect(Array.from(be.cast(i, 'float64') as Float64Array)).toEqual([16777217]);
    const same = be.cast(x, 'float32');
    expect(same).not.toBe(x.handle);
  });

  it('casts: a float that does not fit int32, or NaN, is an error (issue 11)', () => {
    const be = new CpuBackend();
    for (const v of [Number.NaN, 1e10, -3e9, Number.POSITIVE_INFINITY]) {
      const x = info(be.write(new Float64Array([v]), [1], 'float64'), [1], 'float64');
      expect(() => be.cast(x, 'int32')).toThrow(/cast: value .* does not fit int32/);
    }
  });

  it('supports its six dtypes', () => {
    const be = new CpuBackend();
    for (const d of ['float32', 'float64', 'int32', 'int64', 'uint8', 'bool'] as const)
      expect(be.supportsDtype(d)).toBe(true);
  });

  it('memory counts live buffers and bytes across writes, ops and disposal', () => {
    const be = new CpuBackend();
    expect(be.memory()).toMatchObject({ numBuffers: 0, numBytes: 0 });
    const a = be.write(new Float32Array(4), [4], 'float32');
    const b = be.fill([4], 'float64', 1);
    const c = be.binary('add', info(a, [4]), info(a, [4]), [4]);
    const [v, idx] = be.maxPool2d(info(a, [1, 1, 2, 2]), {
      kernel: [2, 2],
      stride: [2, 2],
      padding: [0, 0],
      dilation: [1, 1],
      ceilMode: false,
    });
    expect(be.memory()).toMatchObject({ numBuffers: 5, numBytes: 16 + 32 + 16 + 4 + 4 });
    for (const h of [a, b, c, v, idx]) be.disposeData(h);
    expect(be.memory()).toMatchObject({ numBuffers: 0, numBytes: 0 });
  });
});

describe('CpuBackend.matmul', () => {
  const be = new CpuBackend();
  const naive = (a: number[], b: number[], M: number, K: number, N: number) =>
    Array.from({ length: M * N }, (_, p) => {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[Math.floor(p / N) * K + k] * b[k * N + (p % N)];
      return s;
    });

  it('multiplies batched matrices with a broadcast batch', () => {
    const a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]; // [2, 2, 3]
    const b = [1, 0, 2, 1, 0, 3]; // [1, 3, 2]
    const ha = be.write(new Float32Array(a), [2, 2, 3], 'float32');
    const hb = be.write(new Float32Array(b), [1, 3, 2], 'float32');
    const out = be.matmul(info(ha, [2, 2, 3]), info(hb, [1, 3, 2]), false, false);
    expect(Array.from(out as Float32Array)).toEqual([
      ...naive(a.slice(0, 6), b, 2, 3, 2),
      ...naive(a.slice(6), b, 2, 3, 2),
    ]);
  });

  it('honours transA and transB', () => {
    // a given as [1, K=2, M=3], b given as [1, N=2, K=2]
    const at = [1, 2, 3, 4, 5, 6];
    const bt = [1, 2, 3, 4];
    const a = [1, 4, 2, 5, 3, 6]; // [M=3, K=2]
    const b = [1, 3, 2, 4]; // [K=2, N=2]
    const ha = be.write(new Float64Array(at), [1, 2, 3], 'float64');
    const hb = be.write(new Float64Array(bt), [1, 2, 2], 'float64');
    const out = be.matmul(info(ha, [1, 2, 3], 'float64'), info(hb, [1, 2, 2], 'float64'), true, true);
    expect(out).toBeInstanceOf(Float64Array);
    expect(Array.from(out as Float64Array)).toEqual(naive(a, b, 3, 2, 2));
  });

  it('gives zeros for an empty inner dimension', () => {
    const ha = be.write(new Float32Array(0), [1, 2, 0], 'float32');
    const hb = be.write(new Float32Array(0), [1, 0, 3], 'float32');
    expect(
      Array.from(be.matmul(info(ha, [1, 2, 0]), info(hb, [1, 0, 3]), false, false) as Float32Array),
    ).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
