// Issue 11: a session per shape made memory grow with every new batch size (200 sizes: 4,614
// sessions, 591 MB). The primitive models now have symbolic sizes: each op below runs at
// several sizes through ONE session and gives the CPU backend's values; the session cache is
// bounded (LRU) and reported by memory().
import '@proj/backend-cpu';
import {
  type Backend,
  backendByName,
  type Conv2dParams,
  type DType,
  type Pool2dParams,
  type Shape,
  type TypedArray,
} from '@proj/core';
import { describe, expect, it } from 'vitest';
import { OnnxBackend } from './onnx-backend.js';

const cpu = backendByName('cpu') as Backend;

/** A backend's operand: `values` written as a `shape` tensor of `dtype`. */
function operand(be: Backend, values: number[], shape: Shape, dtype: DType = 'float32') {
  const arr =
    dtype === 'int32'
      ? Int32Array.from(values)
      : dtype === 'bool'
        ? Uint8Array.from(values)
        : Float32Array.from(values);
  return { handle: be.write(arr as TypedArray, shape, dtype), shape, dtype };
}

const ramp = (n: number, scale = 0.37) => Array.from({ length: n }, (_, i) => Math.sin(i * scale + 0.1) * 3);

interface Result {
  handle: unknown;
  shape: Shape;
  dtype: DType;
}

interface Case {
  name: string;
  /** Runs the op on `be` for batch size `b`; returns the result(s): handle, shape and dtype. */
  run(be: Backend, b: number): Result | Result[];
}

const CASES: Case[] = [
  {
    name: 'binary with broadcasting [b,3] + [3]',
    run: (be, b) => {
      const x = operand(be, ramp(b * 3), [b, 3]);
      const y = operand(be, [1, -2, 3], [3]);
      return { handle: be.binary('add', x, y, [b, 3]), shape: [b, 3], dtype: 'float32' };
    },
  },
  {
    name: 'where with broadcasting',
    run: (be, b) => {
      const c = operand(
        be,
        ramp(b * 3).map((v) => (v > 0 ? 1 : 0)),
        [b, 3],
        'bool',
      );
      const x = operand(be, ramp(b * 3, 0.9), [b, 3]);
      const y = operand(be, [7, 8, 9], [1, 3]);
      return { handle: be.where(c, x, y, [b, 3]), shape: [b, 3], dtype: 'float32' };
    },
  },
  {
    name: 'reductions over given axes (sum, max, argmax)',
    run: (be, b) => {
      const x = operand(be, ramp(b * 4 * 2), [b, 4, 2]);
      const s = { handle: be.reduce('sum', x, [0, 2]), shape: [4], dtype: 'float32' as DType };
      const m = { handle: be.reduce('max', s, [0]), shape: [], dtype: 'float32' as DType };
      const a = be.reduce('argmax', x, [1]);
      return {
        handle: be.binary(
          'add',
          m,
          {
            handle: be.cast({ handle: a, shape: [b, 2], dtype: 'int32' }, 'float32'),
            shape: [b, 2],
            dtype: 'float32',
          },
          [b, 2],
        ),
        shape: [b, 2],
        dtype: 'float32',
      };
    },
  },
  {
    name: 'matmul (batched, transposed)',
    run: (be, b) => {
      const x = operand(be, ramp(b * 2 * 3), [b, 2, 3]);
      const w = operand(be, ramp(4 * 3, 0.5), [4, 3]);
      return { handle: be.matmul!(x, w, false, true), shape: [b, 2, 4], dtype: 'float32' };
    },
  },
  {
    name: 'softmax and logSoftmax',
    run: (be, b) => {
      const x = operand(be, ramp(b * 5), [b, 5]);
      const s = { handle: be.softmax!(x, 1), shape: [b, 5], dtype: 'float32' as DType };
      const l = { handle: be.logSoftmax!(x, 0), shape: [b, 5], dtype: 'float32' as DType };
      return { handle: be.binary('add', s, l, [b, 5]), shape: [b, 5], dtype: 'float32' };
    },
  },
  {
    name: 'permute, expand, slice (strided), pad',
    run: (be, b) => {
      const x = operand(be, ramp(b * 3), [b, 3]);
      const p = { handle: be.permute(x, [1, 0]), shape: [3, b], dtype: 'float32' as DType };
      const e = {
        handle: be.expand(operand(be, [1, 2, 3], [3, 1]), [3, b]),
        shape: [3, b],
        dtype: 'float32' as DType,
      };
      const sum = { handle: be.binary('mul', p, e, [3, b]), shape: [3, b], dtype: 'float32' as DType };
      const rows = Math.ceil((b - 1) / 2);
      const sl = {
        handle: be.slice(sum, [1, 1], [2, rows], [1, 2]),
        shape: [2, rows],
        dtype: 'float32' as DType,
      };
      return {
        handle: be.pad(
          sl,
          [
            [1, 0],
            [b % 3, 2],
          ],
          -5,
        ),
        shape: [3, rows + (b % 3) + 2],
        dtype: 'float32',
      };
    },
  },
  {
    name: 'gather (index smaller than x), scatterAdd, concat',
    run: (be, b) => {
      const x = operand(be, ramp(b * 4), [b, 4]);
      const idx = operand(
        be,
        Array.from({ length: (b - 1) * 2 }, (_, i) => (i * 7) % 4),
        [b - 1, 2],
        'int32',
      );
      const g = { handle: be.gather(x, 1, idx), shape: [b - 1, 2], dtype: 'float32' as DType };
      const sc = { handle: be.scatterAdd(x, 1, idx, g), shape: [b, 4], dtype: 'float32' as DType };
      return { handle: be.concat!([sc, x], 0), shape: [2 * b, 4], dtype: 'float32' };
    },
  },
  {
    name: 'conv2d, its backward kernels, max and average pooling',
    run: (be, b) => {
      const p: Conv2dParams = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
      const x = operand(be, ramp(b * 2 * 5 * 5), [b, 2, 5, 5]);
      const w = operand(be, ramp(3 * 2 * 3 * 3, 0.7), [3, 2, 3, 3]);
      const y = { handle: be.conv2d!(x, w, p), shape: [b, 3, 5, 5], dtype: 'float32' as DType };
      const dx = {
        handle: be.conv2dBackwardInput!(y, w, [b, 2, 5, 5], p),
        shape: [b, 2, 5, 5],
        dtype: 'float32' as DType,
      };
      const dw = {
        handle: be.conv2dBackwardFilter!(x, y, [3, 2, 3, 3], p),
        shape: [3, 2, 3, 3],
        dtype: 'float32' as DType,
      };
      const pool: Pool2dParams = {
        kernel: [2, 2],
        stride: [2, 2],
        padding: [0, 0],
        dilation: [1, 1],
        ceilMode: true,
        countIncludePad: true,
      };
      const [mx] = be.maxPool2d!(dx, pool);
      const av = { handle: be.avgPool2d!(dx, pool), shape: [b, 2, 3, 3], dtype: 'float32' as DType };
      const sum = be.binary('add', { handle: mx, shape: [b, 2, 3, 3], dtype: 'float32' }, av, [b, 2, 3, 3]);
      return [dw, { handle: sum, shape: [b, 2, 3, 3], dtype: 'float32' }];
    },
  },
];

/** Within float32 round-off of the CPU backend, on the scale of the result's largest value. */
function closeTo(got: TypedArray, want: TypedArray): void {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1, ...Array.from(want, Math.abs));
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-5 * scale);
}

describe('onnx primitive sessions have symbolic sizes (issue 11)', () => {
  for (const c of CASES) {
    it(`${c.name}: one set of sessions serves every batch size, with the CPU backend's values`, () => {
      const be = new OnnxBackend();
      let first = -1;
      for (const b of [3, 4, 7, 12]) {
        const got = [c.run(be, b)].flat();
        const want = [c.run(cpu, b)].flat();
        for (const [i, w] of want.entries()) closeTo(be.readSync(got[i]), cpu.readSync(w) as TypedArray);
        if (first < 0) first = be.stats().sessionsCreated;
        // the first size built every session the op needs; no other size builds any
        expect(be.stats().sessionsCreated).toBe(first);
      }
      expect(be.stats().evictions).toBe(0);
      be.destroy();
    });
  }
});

describe('onnx session cache bound (issue 11)', () => {
  const add = (be: OnnxBackend, rank: number) => {
    const shape = Array.from({ length: rank }, (_, i) => (i === 0 ? 2 : 1));
    const x = operand(be, [1, 2], shape);
    const y = operand(be, [10], [1]);
    return Array.from(be.readSync({ handle: be.binary('add', x, y, shape), shape, dtype: 'float32' }));
  };

  it('keeps at most maxSessions, releasing the least recently used, and reports it in memory()', () => {
    const be = new OnnxBackend({ maxSessions: 2 });
    for (const r of [1, 2, 3]) expect(add(be, r)).toEqual([11, 12]); // three keys (ranks)
    expect(be.memory()).toMatchObject({
      sessions: 2,
      sessionLimit: 2,
      sessionsCreated: 3,
      sessionEvictions: 1,
    });
    expect(add(be, 1)).toEqual([11, 12]); // evicted: built again, same result
    expect(be.memory()).toMatchObject({ sessions: 2, sessionsCreated: 4, sessionEvictions: 2 });
    be.setMaxSessions(1);
    expect(be.memory()).toMatchObject({ sessions: 1, sessionLimit: 1, sessionEvictions: 3 });
    expect(() => be.setMaxSessions(0)).toThrow(/maxSessions must be a positive integer.*got 0/);
    expect(() => new OnnxBackend({ maxSessions: 1.5 })).toThrow(/maxSessions must be a positive integer/);
    be.destroy();
  });

  it('defaults to 256 sessions', () => {
    const be = new OnnxBackend();
    expect(be.memory()).toMatchObject({
      sessions: 0,
      sessionLimit: 256,
      sessionsCreated: 0,
      sessionEvictions: 0,
    });
    be.destroy();
  });
});
