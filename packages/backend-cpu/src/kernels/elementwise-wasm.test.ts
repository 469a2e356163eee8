import type { BinaryOp, UnaryOp } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../cpu-backend.js';
import { withoutKernels } from '../wasm/module.js';
import { binaryOp } from './binary.js';
import { reluBackwardOp } from './relu-backward.js';

// Special values every op must treat as the JavaScript loops do, bit for bit: signed zeros,
// infinities, NaN, subnormals, the float32 extremes, ordinary numbers.
const SPECIAL = [
  0,
  -0,
  1,
  -1,
  0.5,
  -2.75,
  3e38,
  -3e38,
  1e-40,
  -1e-40,
  1e-45,
  Number.NaN,
  Infinity,
  -Infinity,
  7,
  1 / 3,
];

/** `n` float32 values cycling through SPECIAL and a seeded spread, so every pairing occurs. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = i % 3 === 0 ? SPECIAL[(i / 3 + seed) % SPECIAL.length] : (s / 2147483648 - 0.5) * 200;
  }
  return out;
}

function expectSameBits(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  const g = new Uint32Array(Float32Array.from(got).buffer);
  const w = new Uint32Array(Float32Array.from(want).buffer);
  for (let i = 0; i < g.length; i++) {
    // any NaN matches any NaN (payloads are not part of the contract); everything else bit for bit
    if (Number.isNaN(got[i]) && Number.isNaN(want[i])) continue;
    if (g[i] !== w[i]) expect(`${what}[${i}]: ${got[i]}`).toBe(`${what}[${i}]: ${want[i]}`);
  }
}

const OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'];

describe('float32 elementwise kernels in WebAssembly', () => {
  // 1031 elements: above the WebAssembly threshold, and not a multiple of 4 (the scalar tail runs)
  const n = 1031;
  const a = values(n, 1);
  const b = values(n, 5);
  const cases: [string, Float32Array, number[], Float32Array, number[], number[]][] = [
    ['same shape', a, [n], b, [n], [n]],
    ['tensor op scalar', a, [n], values(1, 3), [], [n]],
    ['scalar op tensor', values(1, 7), [], b, [n], [n]],
    ['row broadcast [N,C] op [C]', values(40 * 37, 2), [40, 37], values(37, 9), [37], [40, 37]],
    ['column broadcast [N,1] op [N,C]', values(41, 4), [41, 1], values(41 * 33, 6), [41, 33], [41, 33]],
    ['outer [N,1] op [1,C]', values(43, 8), [43, 1], values(29, 11), [1, 29], [43, 29]],
  ];
  for (const op of OPS) {
    for (const [name, x, xs, y, ys, os] of cases) {
      it(`${op}, ${name}: the same bits as the JavaScript loop`, () => {
        const got = binaryOp(op, x, xs, y, ys, os, 'float32');
        const want = withoutKernels(() => binaryOp(op, x, xs, y, ys, os, 'float32'));
        expectSameBits(got, want, `${op} ${name}`);
      });
    }
  }

  for (const op of ['neg', 'abs', 'sqrt', 'relu'] as UnaryOp[]) {
    it(`${op}: the same bits as the JavaScript loop`, () => {
      // through the backend's own dispatch (unary() picks the kernel)
      const cpu = new CpuBackend();
      const x = { handle: cpu.write(a, [n], 'float32'), shape: [n], dtype: 'float32' as const };
      const got = cpu.unary(op, x) as Float32Array;
      const want = withoutKernels(() => cpu.unary(op, x)) as Float32Array;
      expectSameBits(got, want, op);
    });
  }

  it('reluBackward: the same bits as the JavaScript loop', () => {
    const got = reluBackwardOp(a, b);
    const want = withoutKernels(() => reluBackwardOp(a, b));
    expectSameBits(got, want, 'reluBackward');
  });
});
