// Issue 11, "no silent wrong results" on the onnx backend: float → int32 casts that ORT would
// wrap, and allocations that fail, get errors naming the op, shapes and dtypes.
import '@proj/backend-cpu';
import { setBackend, tensor } from '@proj/core';
import { afterAll, describe, expect, it } from 'vitest';
import '../index.js';
import { loadNative, NativeSession } from '../runtime/native-session.js';
import { fmtBytes } from './errors.js';
import { binaryGraph, castGraph } from './kernels/elementwise.js';
import { OnnxBackend } from './onnx-backend.js';

afterAll(() => setBackend('cpu'));

/** Runs a primitive model straight on ORT, without the backend's checks. */
function rawOrt(model: Uint8Array, inputs: [string, ArrayBufferView, number[]][]): number[] {
  const { Tensor } = loadNative();
  const s = new NativeSession(model);
  const [out] = s.run(inputs.map(([type, data, dims]) => new Tensor(type, data, dims)));
  s.dispose();
  return Array.from(out.data as Int32Array);
}

describe('what ONNX Runtime does with integers that do not fit (why the checks exist)', () => {
  it('Cast float → int32 turns 1e10, -1e10 and NaN all into -2147483648', () => {
    const got = rawOrt(castGraph('float32', 'int32').toBytes(), [
      ['float32', Float32Array.of(1e10, -1e10, Number.NaN, 3.7), [4]],
    ]);
    expect(got).toEqual([-2147483648, -2147483648, -2147483648, 3]);
  });

  it('int32 Add wraps around: 2147483647 + 1 = -2147483648', () => {
    const got = rawOrt(binaryGraph('add', 'int32', 1, 1, { flat: true }).toBytes(), [
      ['int32', Int32Array.of(2147483647, -2147483648), [2]],
      ['int32', Int32Array.of(1, -1), [2]],
    ]);
    expect(got).toEqual([-2147483648, 2147483647]);
  });
});

describe('onnx cast refuses float → int32 values that do not fit', () => {
  it('names the value, where it is, and the range, instead of giving -2147483648', () => {
    setBackend('onnx');
    expect(() => tensor([1, 1e10, 3]).int()).toThrow(
      /cast: value 10000000000 \(at flat index 1 of a \[3\] float32 tensor\) does not fit int32 \(range \[-2147483648, 2147483647\]\)/,
    );
    expect(() => tensor([[Number.NaN]]).int()).toThrow(
      /cast: value NaN .*\[1,1\] float32.*does not fit int32/,
    );
    expect(() => tensor([-1e10]).int()).toThrow(/value -10000000000/);
    expect(() => tensor([2147483648], { dtype: 'float64' }).int()).toThrow(/value 2147483648 .* float64/);
    // fractions truncate toward zero, as PyTorch's casts do: these fit
    const ok = tensor([2147483647.9, -2147483648.9, -3.7, 1e-30], { dtype: 'float64' }).int();
    expect(ok.toArray()).toEqual([2147483647, -2147483648, -3, 0]);
    setBackend('cpu');
  });
});

describe('onnx int32 arithmetic never wraps (ORT would)', () => {
  const i32 = (v: number[]) => tensor(v, { dtype: 'int32' });

  it('refuses add/sub/mul/pow/neg/abs results and sums/products out of the int32 range', () => {
    setBackend('onnx');
    expect(() => i32([2147483647]).add(1)).toThrow(/^add: value 2147483648 does not fit int32/);
    expect(() => i32([-2147483648, 0]).sub(i32([1]))).toThrow(/^sub: value -2147483649 does not fit int32/);
    expect(() => i32([2147483647, 2]).mul(i32([2147483647, 2]))).toThrow(
      /^mul: value 4611686014132420600 does not fit/,
    );
    expect(() => i32([2]).pow(i32([31]))).toThrow(/^pow: value 2147483648 does not fit int32/);
    // PyTorch's integer pow for negative tensor exponents (a negative JS exponent is core's error)
    expect(
      Array.from(
        i32([2, 1, -1, 0])
          .pow(i32([-1, -5, -3, -2]))
          .dataSync(),
      ),
    ).toEqual([0, 1, -1, 0]);
    expect(() => i32([2]).pow(-1)).toThrow('pow: integers to negative integer powers are not allowed');
    expect(() => i32([5, -2147483648]).neg()).toThrow(/^neg: value 2147483648 does not fit int32/);
    expect(() => i32([-2147483648]).abs()).toThrow(/^abs: value 2147483648 does not fit int32/);
    // integer sums and products are int64, as PyTorch's: 2^31 fits
    expect(i32([2147483647, 1]).sum().item()).toBe(2147483648);
    expect(i32([65536, 32768]).prod().item()).toBe(2147483648);
    const idx = i32([0, 0]);
    expect(() => i32([2147483000, 0]).scatterAdd(0, idx, i32([600, 100]))).toThrow(
      /^scatterAdd: value 2147483700 does not fit int32/,
    );
    setBackend('cpu');
  });

  it('computes exactly what fits, whatever the order of the terms', () => {
    setBackend('onnx');
    expect(i32([2000000000, -2000000000, 5]).sum().item()).toBe(5);
    expect(
      i32([2147483646, -3])
        .add(i32([1]))
        .toArray(),
    ).toEqual([2147483647, -2]);
    expect(
      i32([46340, -46341])
        .mul(i32([46340, 46340]))
        .toArray(),
    ).toEqual([2147395600, -2147441940]);
    expect(
      i32([3, -2])
        .pow(i32([19, 31]))
        .toArray(),
    ).toEqual([1162261467, -2147483648]);
    expect(i32([-2147483647, 7]).neg().toArray()).toEqual([2147483647, -7]);
    expect(i32([-46340, 46340]).prod().item()).toBe(-2147395600);
    expect(
      i32([2147483000, 5])
        .scatterAdd(0, i32([0, 1, 0]), i32([600, 1, -600]))
        .toArray(),
    ).toEqual([2147483000, 6]);
    setBackend('cpu');
  });
});

describe('onnx allocation failures name the op, the result and its size', () => {
  const f32 = (shape: number[]) => ({ shape, dtype: 'float32' as const });

  it('ORT cannot allocate a matmul result: "matmul: cannot allocate [1e7,1e7] float32 (4e14 bytes) on onnx"', () => {
    const be = new OnnxBackend();
    const a = { handle: be.fill([1e7, 1], 'float32', 1), ...f32([1e7, 1]) };
    const b = { handle: be.fill([1, 1e7], 'float32', 1), ...f32([1, 1e7]) };
    // 4e14 bytes exceed any address space: the allocation fails at once, whatever the machine
    expect(() => be.matmul(a, b, false, false)).toThrow(
      'matmul: cannot allocate [10000000,10000000] float32 (4e14 bytes) on onnx: onnxruntime: Failed to allocate memory for requested buffer of size 400000000000000',
    );
    be.destroy();
  });

  it('a result made on the host (an empty inner dim) that cannot be allocated', () => {
    const be = new OnnxBackend();
    const a = { handle: be.fill([1e6, 0], 'float32', 0), ...f32([1e6, 0]) };
    const b = { handle: be.fill([0, 1e6], 'float32', 0), ...f32([0, 1e6]) };
    expect(() => be.matmul(a, b, false, false)).toThrow(
      /^matmul: cannot allocate \[1,1000000,1000000\] float32 \(4e12 bytes\) on onnx: /,
    );
    be.destroy();
  });

  it('other ORT failures name the op and its operands', () => {
    const be = new OnnxBackend();
    // core checks shapes before calling a kernel; called directly, ORT's own complaint gets our context
    const a = { handle: be.write(new Float32Array(6), [2, 3], 'float32'), ...f32([2, 3]) };
    const b = { handle: be.write(new Float32Array(20), [4, 5], 'float32'), ...f32([4, 5]) };
    expect(() => be.matmul(a, b, false, false)).toThrow(
      /^matmul: onnxruntime failed on \[2,3\] float32, \[4,5\] float32 \(onnx backend\): .*MatMul/,
    );
    be.destroy();
  });

  it('formats byte counts', () => {
    expect([fmtBytes(4096), fmtBytes(4e12), fmtBytes(4.9e9)]).toEqual(['4096', '4e12', '4.9e9']);
  });
});
