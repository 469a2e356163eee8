import '@proj/backend-cpu';
import { backendByName, listBackends, setBackend, tensor } from '@proj/core';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxBackend } from '../index.js';

afterAll(() => setBackend('cpu'));

const info = (
  handle: unknown,
  shape: number[],
  dtype: 'float32' | 'float64' | 'int32' | 'bool' = 'float32',
) => ({
  handle,
  shape,
  dtype,
});

describe('OnnxBackend', () => {
  it("registers itself as 'onnx' on import and reads synchronously in Node", () => {
    expect(listBackends()).toContain('onnx');
    expect(backendByName('onnx')).toBeInstanceOf(OnnxBackend);
    setBackend('onnx');
    const t = tensor([
      [1, -2],
      [3, -4],
    ])
      .relu()
      .add(1);
    expect(t.device).toBe('onnx');
    expect(t.toArray()).toEqual([
      [2, 1],
      [4, 1],
    ]);
    expect(t.sum().item()).toBe(8);
    t.dispose();
    setBackend('cpu');
  });

  it('builds a session once per key; elementwise sessions serve every size', () => {
    const be = new OnnxBackend();
    const a = be.write(new Float32Array([1, 2, 3]), [3], 'float32');
    const b = be.write(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], 'float32');
    be.binary('add', info(a, [3]), info(a, [3]), [3]);
    be.binary('add', info(b, [2, 3]), info(b, [2, 3]), [2, 3]);
    expect(be.stats()).toEqual({ sessionsCreated: 1, cacheHits: 1, runs: 2, evictions: 0 });
    be.binary('add', info(a, [3]), info(b, [2, 3]), [2, 3]); // broadcast: its own session (per ranks)
    be.binary('add', info(a, [3]), info(b, [2, 3]), [2, 3]);
    expect(be.stats()).toEqual({ sessionsCreated: 2, cacheHits: 2, runs: 4, evictions: 0 });
    expect(be.memory().sessions).toBe(2);
    be.destroy();
  });

  it('matches the contract where ONNX differs: int32 division truncates, never traps or wraps', () => {
    const be = new OnnxBackend();
    const i32 = (v: number[]) => info(be.write(Int32Array.from(v), [v.length], 'int32'), [v.length], 'int32');
    const q = be.binary('div', i32([7, -7, 5, -2147483648]), i32([2, 2, -1, 1]), [4]);
    expect(Array.from(be.readSync(info(q, [4], 'int32')))).toEqual([3, -3, -5, -2147483648]);
    // ORT's int32 Div would trap on x/0 and wrap -2^31/-1: both are errors, as on the CPU backend
    expect(() => be.binary('div', i32([7]), i32([0]), [1])).toThrow(
      /div: integer division by zero \(int32\)/,
    );
    expect(() => be.binary('div', i32([-2147483648]), i32([-1]), [1])).toThrow(
      /div: value 2147483648 does not fit int32/,
    );
    be.destroy();
  });

  it('computes expm1/log1p near zero and float64 erf to full precision', () => {
    const be = new OnnxBackend();
    const xs = [1e-10, -3e-8, 0.3, 2, -5];
    const x = be.write(new Float64Array(xs), [5], 'float64');
    const e = be.readSync(info(be.unary('expm1', info(x, [5], 'float64')), [5], 'float64'));
    const l = be.readSync(info(be.unary('log1p', info(x, [5], 'float64')), [5], 'float64'));
    xs.forEach((v, i) => {
      expect(e[i]).toBeCloseTo(Math.expm1(v), 15);
      if (v > -1)
        expect(Math.abs(l[i] - Math.log1p(v))).toBeLessThan(
          1e-15 * Math.max(1, Math.abs(Math.log1p(v))) + 1e-25,
        );
    });
    // erf reference values (A&S / mpmath)
    const ex = [0.1, 0.5, 1, 2.5, 3.5, -4, 7];
    const want = [
      0.1124629160182849, 0.5204998778130465, 0.8427007929497149, 0.999593047982555, 0.9999992569016276,
      -0.9999999845827421, 1,
    ];
    const ez = be.write(new Float64Array(ex), [ex.length], 'float64');
    const got = be.readSync(info(be.unary('erf', info(ez, [ex.length], 'float64')), [ex.length], 'float64'));
    for (const [i, w] of want.entries()) expect(Math.abs(got[i] - w)).toBeLessThan(2e-15);
  });

  it('rejects out-of-range indices with an error naming the op', () => {
    const be = new OnnxBackend();
    const x = be.write(new Float32Array(6), [2, 3], 'float32');
    const idx = be.write(new Int32Array([0, -1]), [2, 1], 'int32');
    expect(() => be.gather(info(x, [2, 3]), 1, info(idx, [2, 1], 'int32'))).toThrow(
      /gather: index -1 is out of bounds for dim 1 with size 3/,
    );
    expect(() =>
      be.scatterAdd(
        info(x, [2, 3]),
        1,
        info(idx, [2, 1], 'int32'),
        info(be.fill([2, 1], 'float32', 1), [2, 1]),
      ),
    ).toThrow(/scatterAdd: index -1/);
  });

  it('says conv2d runs in float32 only', () => {
    const be = new OnnxBackend();
    const x = be.write(new Float64Array(16), [1, 1, 4, 4], 'float64');
    const p = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 } as const;
    expect(() =>
      be.conv2d(info(x, [1, 1, 4, 4], 'float64'), info(x, [1, 1, 4, 4], 'float64'), {
        ...p,
        stride: [1, 1],
        padding: [0, 0],
        dilation: [1, 1],
      }),
    ).toThrow(/conv2d: .*float32 only.*float64/);
  });
});
