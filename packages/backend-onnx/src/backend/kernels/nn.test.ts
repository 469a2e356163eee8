// The fused kernels against the CPU backend's on random inputs, over the parameter space
// (stride, padding, dilation, groups, ceil mode, count_include_pad).
import { CpuBackend } from '@proj/backend-cpu';
import type { Conv2dParams, DType, Pool2dParams, Shape, TensorInfo } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { OnnxBackend } from '../onnx-backend.js';

const cpu = new CpuBackend();
const onnx = new OnnxBackend();
let seed = 1;
const rand = (n: number) =>
  Float32Array.from({ length: n }, () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 1073741824 - 1;
  });
const numel = (s: Shape) => s.reduce((a, b) => a * b, 1);

/** The same values on both backends. */
function both(shape: Shape, dtype: DType = 'float32', values = rand(numel(shape))): [TensorInfo, TensorInfo] {
  return [
    { handle: cpu.write(values, shape, dtype), shape, dtype },
    { handle: onnx.write(values, shape, dtype), shape, dtype },
  ];
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    if (Math.abs(got[i] - w) > tol * (1 + Math.abs(w))) {
      expect.fail(`element ${i}: got ${got[i]}, expected ${w}`);
    }
  }
}

const read = (h: unknown, shape: Shape, dtype: DType = 'float32') =>
  Array.from(onnx.readSync({ handle: h, shape, dtype }));
const readCpu = (h: unknown, shape: Shape, dtype: DType = 'float32') =>
  Array.from(cpu.readSync({ handle: h, shape, dtype }) as Float32Array);

const convCases: [Shape, Shape, Conv2dParams][] = [
  [[2, 3, 7, 6], [4, 3, 3, 3], { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }],
  [[2, 3, 7, 6], [4, 3, 3, 2], { stride: [2, 1], padding: [1, 2], dilation: [1, 1], groups: 1 }],
  [[1, 4, 9, 8], [6, 2, 3, 3], { stride: [2, 2], padding: [1, 1], dilation: [2, 1], groups: 2 }],
  [[2, 4, 6, 6], [4, 1, 3, 3], { stride: [3, 2], padding: [2, 0], dilation: [1, 2], groups: 4 }],
];

describe('conv2d kernels match the CPU backend', () => {
  for (const [xs, ws, p] of convCases) {
    it(`x ${xs} w ${ws} ${JSON.stringify(p)}`, () => {
      const [xc, xo] = both(xs);
      const [wc, wo] = both(ws);
      const yc = cpu.conv2d(xc, wc, p) as Float32Array;
      const oH = Math.floor((xs[2] + 2 * p.padding[0] - p.dilation[0] * (ws[2] - 1) - 1) / p.stride[0]) + 1;
      const oW = Math.floor((xs[3] + 2 * p.padding[1] - p.dilation[1] * (ws[3] - 1) - 1) / p.stride[1]) + 1;
      const ys = [xs[0], ws[0], oH, oW];
      expectClose(read(onnx.conv2d(xo, wo, p), ys), yc);
      const [dyc, dyo] = both(ys);
      const dxc = readCpu(cpu.conv2dBackwardInput(dyc, wc, xs, p), xs);
      expectClose(read(onnx.conv2dBackwardInput(dyo, wo, xs, p), xs), dxc);
      const dwc = readCpu(cpu.conv2dBackwardFilter(xc, dyc, ws, p), ws);
      expectClose(read(onnx.conv2dBackwardFilter(xo, dyo, ws, p), ws), dwc);
    });
  }
});

const pool = (
  k: number,
  s: number,
  pad: number,
  d: number,
  ceilMode: boolean,
  countIncludePad = true,
): Pool2dParams => ({
  kernel: [k, k],
  stride: [s, s],
  padding: [pad, pad],
  dilation: [d, d],
  ceilMode,
  countIncludePad,
});

describe('pooling kernels match the CPU backend', () => {
  const cases: [Shape, Pool2dParams][] = [
    [[2, 3, 6, 6], pool(2, 2, 0, 1, false)],
    [[2, 3, 7, 6], pool(3, 2, 1, 1, true)],
    [[1, 2, 7, 7], pool(3, 2, 1, 1, true, false)],
    [[1, 2, 8, 7], pool(2, 3, 1, 1, true)],
    [[1, 2, 9, 9], pool(3, 2, 1, 2, false)],
  ];
  for (const [xs, p] of cases) {
    it(`x ${xs} ${JSON.stringify(p)}`, () => {
      const [xc, xo] = both(xs);
      const [vc, ic] = cpu.maxPool2d(xc, p) as [Float32Array, Int32Array];
      const ys = [xs[0], xs[1], ...poolExtents(xs, p)];
      const [vo, io] = onnx.maxPool2d(xo, p);
      expectClose(read(vo, ys), vc);
      expect(read(io, ys, 'int32')).toEqual(Array.from(ic));
      if (p.dilation[0] === 1)
        expectClose(read(onnx.avgPool2d(xo, p), ys), cpu.avgPool2d(xc, p) as Float32Array);
    });
  }
});

function poolExtents(xs: Shape, p: Pool2dParams): number[] {
  return [0, 1].map((i) => {
    const span = xs[2 + i] + 2 * p.padding[i] - p.dilation[i] * (p.kernel[i] - 1) - 1;
    let o = (p.ceilMode ? Math.ceil(span / p.stride[i]) : Math.floor(span / p.stride[i])) + 1;
    if (p.ceilMode && (o - 1) * p.stride[i] >= xs[2 + i] + p.padding[i]) o--;
    return o;
  });
}

describe('matmul matches the CPU backend', () => {
  it('with batch broadcasting and both transposes', () => {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      const as = ta ? [3, 4, 2] : [3, 2, 4];
      const bs = tb ? [1, 5, 4] : [1, 4, 5];
      const [ac, ao] = both(as);
      const [bc, bo] = both(bs);
      expectClose(read(onnx.matmul(ao, bo, ta, tb), [3, 2, 5]), cpu.matmul(ac, bc, ta, tb) as Float32Array);
    }
  });
});
