import type { Conv2dParams } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { withoutKernels } from '../wasm/module.js';
import { conv2dBackwardFilterOp, conv2dBackwardInputOp, conv2dOp } from './conv2d.js';
import { scatterAddOp } from './gather.js';

function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = s / 2147483648 - 0.5;
  }
  return out;
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
