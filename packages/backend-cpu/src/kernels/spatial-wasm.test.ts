import type { Conv2dParams, Pool2dParams } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { randArray, rng } from '../../test/helpers.js';
import { withoutKernels } from '../wasm/module.js';
import { conv2dBackwardFilterOp, conv2dBackwardInputOp, conv2dOp } from './conv2d.js';
import { scatterAddOp } from './gather.js';
import { maxPool2dOp } from './pool2d.js';

/** `n` seeded float32 values in [-0.5, 0.5). */
function seeded(n: number, seed: number): Float32Array {
  return Float32Array.from(randArray(rng(seed), n, -0.5, 0.5));
}

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

// Geometries that exercise every path of im2col/col2im: padding, stride, dilation, groups,
// rectangular kernels, a window larger than the input with padding.
const GEOMETRIES: [string, number[], number[], Conv2dParams][] = [
  ['3x3', [3, 2, 9, 8], [4, 2, 3, 3], { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }],
  [
    'padded, strided',
    [2, 3, 10, 7],
    [5, 3, 3, 2],
    { stride: [2, 3], padding: [1, 2], dilation: [1, 1], groups: 1 },
  ],
  [
    'dilated, grouped',
    [2, 4, 11, 9],
    [6, 2, 3, 3],
    { stride: [1, 2], padding: [2, 1], dilation: [2, 3], groups: 2 },
  ],
  [
    'window past the input',
    [1, 1, 2, 2],
    [1, 1, 3, 3],
    { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 },
  ],
  [
    'unit column stride, dilated, wide padding',
    [2, 3, 7, 9],
    [2, 3, 2, 4],
    { stride: [2, 1], padding: [1, 3], dilation: [1, 2], groups: 1 },
  ],
  // large enough for the resident path (conv2d-wasm.ts): its bits must be the batched path's
  [
    'resident, padded, grouped',
    [3, 4, 10, 9],
    [6, 2, 3, 3],
    { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 2 },
  ],
  [
    'resident, strided, dilated',
    [2, 3, 12, 11],
    [5, 3, 3, 2],
    { stride: [2, 1], padding: [2, 0], dilation: [1, 2], groups: 1 },
  ],
];

describe('convolution gathers in WebAssembly', () => {
  for (const [name, xs, ws, p] of GEOMETRIES) {
    it(`${name}: forward and both gradients give the JavaScript loops' bits`, () => {
      const x = seeded(
        xs.reduce((a, b) => a * b),
        1,
      );
      const w = seeded(
        ws.reduce((a, b) => a * b),
        2,
      );
      const y = conv2dOp(x, xs, w, ws, p) as Float32Array;
      expect(bits(y)).toEqual(
        bits(withoutKernels(() => conv2dOp(x, xs, w, ws, p), 'gathers') as Float32Array),
      );
      const dy = seeded(y.length, 3);
      const dx = conv2dBackwardInputOp(dy, w, ws, xs, p) as Float32Array;
      expect(bits(dx)).toEqual(
        bits(withoutKernels(() => conv2dBackwardInputOp(dy, w, ws, xs, p), 'gathers') as Float32Array),
      );
      const dw = conv2dBackwardFilterOp(x, xs, dy, ws, p) as Float32Array;
      expect(bits(dw)).toEqual(
        bits(withoutKernels(() => conv2dBackwardFilterOp(x, xs, dy, ws, p), 'gathers') as Float32Array),
      );
    });
  }
});

describe('scatterAdd along the last axis in WebAssembly', () => {
  it("gives the JavaScript loop's bits, repeated indices accumulating in order", () => {
    const target = seeded(4 * 9, 4);
    const src = seeded(4 * 6, 5);
    const index = Int32Array.from({ length: 24 }, (_, i) => (i * 7) % 9);
    const got = scatterAddOp(target, [4, 9], 1, index, [4, 6], src) as Float32Array;
    const want = withoutKernels(() => scatterAddOp(target, [4, 9], 1, index, [4, 6], src)) as Float32Array;
    expect(bits(got)).toEqual(bits(want));
    expect(bits(target)).toEqual(bits(seeded(36, 4))); // the target is not modified
  });

  it('names the first index out of range, as the JavaScript loop does', () => {
    const index = new Int32Array([0, 1, 2, 9, -1, 0]);
    const call = () => scatterAddOp(new Float32Array(18), [2, 9], 1, index, [2, 3], new Float32Array(6));
    expect(call).toThrow(
      'scatterAdd: index 9 is out of range for axis 1 of size 9 (expected 0 <= index < 9)',
    );
    expect(() => withoutKernels(call)).toThrow('scatterAdd: index 9 is out of range for axis 1 of size 9');
  });
});

describe('2x2 stride-2 max pooling in WebAssembly', () => {
  it("gives the JavaScript loop's values and indices: ties to the first tap, NaN wins and stays, -0 kept", () => {
    // 2 planes of 6x11: 3x5 windows (four per SIMD step, one in the scalar tail), the last row
    // and column of the input outside every window
    const x = seeded(2 * 6 * 11, 7);
    for (const [i, v] of [
      [0, Number.NaN],
      [1, 5],
      [12, Number.NaN],
      [13, 9],
      [24, -0],
      [25, -0],
      [35, 0],
      [36, 0],
      [4, 1],
      [5, 1],
      [15, 1],
      [16, 1],
      [70, -Infinity],
      [71, -Infinity],
      [81, -Infinity],
      [82, -Infinity],
    ] as const)
      x[i] = v;
    const shape = [1, 2, 6, 11];
    const params: Pool2dParams = {
      kernel: [2, 2],
      stride: [2, 2],
      padding: [0, 0],
      dilation: [1, 1],
      ceilMode: false,
    };
    const [v, i] = maxPool2dOp(x, shape, params);
    const [vj, ij] = withoutKernels(() => maxPool2dOp(x, shape, params), 'gathers');
    expect(bits(v as Float32Array)).toEqual(bits(vj as Float32Array));
    expect(Array.from(i)).toEqual(Array.from(ij));
    expect(Number.isNaN(v[0])).toBe(true);
    expect(i[0]).toBe(0);
  });
});
