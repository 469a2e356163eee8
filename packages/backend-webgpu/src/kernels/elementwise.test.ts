// Elementwise kernels on WebGPU against the CPU backend: every unary and binary op on every dtype
// family over special values (NaN, ±∞, ±0, subnormals, ties, overflow edges) and random values,
// integer overflow and division by zero as errors, broadcasting through each access class and
// merged dims, `where` on every dtype, the ReLU gradient, empty tensors, and realistic sizes.
import '@proj/backend-cpu';
import { TOLERANCES } from '@proj/backend-tests';
import {
  type Backend,
  type BinaryOp,
  backendByName,
  type DataArray,
  type DType,
  type Tensor,
  tensor,
  tidy,
  UNARY_OPS,
  type UnaryOp,
  where,
} from '@proj/core';
import { describe, expect, it } from 'vitest';
import { initWebGPU } from '../index.js';
import { collapseDims } from './elementwise.js';
import { numel, stream } from './test-helpers.js';

await initWebGPU();
const cpu = backendByName('cpu') as Backend;
const gpu = backendByName('webgpu') as Backend;
const BALANCED = TOLERANCES.balanced;

/** A tensor argument of a backend call. */
interface Info {
  readonly handle: unknown;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** An input: values, shape, dtype. */
interface In {
  readonly values: DataArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

type Kernel = (b: Backend, xs: Info[]) => unknown;

/** `values` as `dtype`'s array (bool/uint8 as bytes, int64 as bigints). */
function arr(dtype: DType, values: readonly number[]): DataArray {
  if (dtype === 'float32') return Float32Array.from(values);
  if (dtype === 'int32') return Int32Array.from(values);
  if (dtype === 'int64') return BigInt64Array.from(values, (v) => BigInt(v));
  return Uint8Array.from(values);
}

const input = (dtype: DType, values: readonly number[], shape: readonly number[] = [values.length]): In => ({
  values: arr(dtype, values),
  shape,
  dtype,
});

function upload(b: Backend, x: In): Info {
  return { handle: b.write(x.values, x.shape, x.dtype), shape: x.shape, dtype: x.dtype };
}

/** The kernel on both backends: the webgpu result read back and the CPU's (all buffers freed). */
async function both(
  k: Kernel,
  ins: readonly In[],
  outShape: readonly number[],
  outDtype: DType,
): Promise<{ got: DataArray; want: DataArray }> {
  const cx = ins.map((x) => upload(cpu, x));
  const ch = k(cpu, cx);
  const want = cpu.readSync({ handle: ch, shape: outShape, dtype: outDtype });
  cpu.disposeData(ch);
  for (const x of cx) cpu.disposeData(x.handle);
  return { got: await gpuOnly(k, ins, outShape, outDtype), want };
}

/** The kernel on webgpu alone (for results the CPU refuses, and for the errors). */
async function gpuOnly(
  k: Kernel,
  ins: readonly In[],
  outShape: readonly number[],
  outDtype: DType,
): Promise<DataArray> {
  const gx = ins.map((x) => upload(gpu, x));
  const gh = k(gpu, gx);
  try {
    return await gpu.read({ handle: gh, shape: outShape, dtype: outDtype });
  } finally {
    gpu.disposeData(gh);
    for (const x of gx) gpu.disposeData(x.handle);
  }
}

const show = (v: number | bigint) => (Object.is(v, -0) ? '-0' : String(v));

/**
 * The first element where `got` differs from `want`: exactly (floats by value and zero sign,
 * NaN as NaN), or within `tol` for finite floats (infinities exactly) when given. `where(i)`
 * names an element's inputs.
 */
function mismatch(
  got: DataArray,
  want: DataArray,
  tol?: { rtol: number; atol: number },
  where?: (i: number) => string,
): string | null {
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (typeof g === 'bigint' || typeof w === 'bigint') {
      if (g !== w) return `element ${i}${where ? ` (${where(i)})` : ''}: ${g}, expected ${w}`;
      continue;
    }
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    const ok =
      tol && Number.isFinite(w) ? Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w) : Object.is(g, w);
    if (!ok) return `element ${i}${where ? ` (${where(i)})` : ''}: ${show(g)}, expected ${show(w)}`;
  }
  return null;
}

/** Tolerance for results that round exactly on every IEEE adapter except for subnormals (flushed by many GPUs). */
const SUBNORMAL = { rtol: 0, atol: 2 ** -126 };

// Special float32 values: NaN, infinities, signed zeros, subnormals, the smallest normal, ties for
// round, exp/expm1/sigmoid/tanh overflow edges, the sin/cos reduction switch (2^19), 2^23 and past
// (integral floats), huge magnitudes and the largest finite float.
const SPECIAL = [
  Number.NaN,
  Number.NEGATIVE_INFINITY,
  Number.POSITIVE_INFINITY,
  0,
  -0,
  1e-40,
  -1e-40,
  1.4e-45,
  2 ** -126,
  1e-30,
  1e-7,
  -1e-7,
  0.25,
  -0.25,
  0.49999997,
  0.5,
  -0.5,
  1,
  -1,
  1.5,
  -1.5,
  2.5,
  -2.5,
  3,
  -3.5,
  4.5,
  9.5,
  -17.5,
  88.5,
  88.7228394,
  -88,
  -103.9,
  -110,
  100,
  1e4,
  -1e5,
  2 ** 19,
  -(2 ** 19 + 0.5),
  1e6,
  2 ** 23 + 1,
  1e10,
  -1e20,
  1e30,
  3.4e38,
  -3.4e38,
  Math.PI,
  -Math.PI / 2,
].map(Math.fround);

/** `n` float32 values spread over magnitudes 10^lo … 10^hi, both signs. */
function logSpread(n: number, lo: number, hi: number, seed: number): number[] {
  const r = stream(seed);
  return Array.from({ length: n }, () => (r() < 0.5 ? -1 : 1) * 10 ** (lo + (hi - lo) * r()));
}

/** Unary ops exact on every IEEE adapter (no rounding, or rounding to an integer). */
const EXACT_UNARY = new Set<UnaryOp>([
  'neg',
  'abs',
  'sign',
  'relu',
  'floor',
  'ceil',
  'round',
  'isnan',
  'logicalNot',
]);
/** Binary ops whose float32 result is the one correctly rounded value (exact but for subnormals). */
const ROUNDED_BINARY = new Set<BinaryOp>(['add', 'sub', 'mul']);
const COMPARE: BinaryOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr'];
const ALL_BINARY: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', ...COMPARE];

const unaryK =
  (op: UnaryOp): Kernel =>
  (b, [x]) =>
    b.unary(op, x!);
const binaryK =
  (op: BinaryOp, outShape: readonly number[]): Kernel =>
  (b, [x, y]) =>
    b.binary(op, x!, y!, outShape);
const boolOut = (op: UnaryOp | BinaryOp) =>
  op === 'isnan' || op === 'logicalNot' || COMPARE.includes(op as BinaryOp);

describe('webgpu unary on float32', () => {
  const random = [...logSpread(3000, -8, 2, 1), ...logSpread(1000, 2, 38, 2), ...logSpread(500, -45, -37, 3)];

  for (const op of UNARY_OPS) {
    it(`${op}: special values ${EXACT_UNARY.has(op) ? 'exactly' : "within 'balanced'"}, random values too`, async () => {
      for (const values of [SPECIAL, random]) {
        const x = input('float32', values);
        const { got, want } = await both(unaryK(op), [x], x.shape, boolOut(op) ? 'bool' : 'float32');
        const tol = EXACT_UNARY.has(op) ? undefined : BALANCED;
        expect(mismatch(got, want, tol, (i) => `${op}(${show(values[i]!)})`)).toBeNull();
      }
    });
  }

  it('sin and cos stay accurate for any argument (exact reduction to ±π/4)', async () => {
    const values = [
      ...logSpread(2000, 0, 38, 4),
      2 ** 19 - 0.03125,
      2 ** 19,
      2 ** 24,
      2 ** 30 + 64,
      3.4e38,
      355,
      103993,
    ];
    const x = input('float32', values);
    for (const op of ['sin', 'cos'] as const) {
      const { got, want } = await both(unaryK(op), [x], x.shape, 'float32');
      // 1e-6 absolute: an order of magnitude inside 'balanced' (the kernel is within ~2 ULP)
      expect(mismatch(got, want, { rtol: 1e-6, atol: 1e-6 }, (i) => `${op}(${values[i]})`)).toBeNull();
    }
  });

  it('expm1, log1p, tanh and erf keep their relative accuracy near 0', async () => {
    const values = logSpread(500, -30, -1, 5);
    const x = input('float32', values);
    for (const op of ['expm1', 'log1p', 'tanh', 'erf', 'sin', 'sigmoid'] as const) {
      const { got, want } = await both(unaryK(op), [x], x.shape, 'float32');
      expect(mismatch(got, want, { rtol: 1e-6, atol: 0 }, (i) => `${op}(${values[i]})`)).toBeNull();
    }
  });
});

describe('webgpu unary on integers and bool', () => {
  const INT_OPS: UnaryOp[] = ['neg', 'abs', 'sign', 'relu', 'floor', 'ceil', 'round', 'isnan', 'logicalNot'];
  const cases: [DType, number[], UnaryOp[]][] = [
    ['int32', [0, 1, -1, 7, -7, 2147483647, -2147483647, 123456789, -99], INT_OPS],
    ['int64', [0, 1, -1, 7, -7, 2147483647, -2147483647, -5], INT_OPS],
    ['uint8', [0, 1, 7, 128, 255], INT_OPS.filter((op) => op !== 'neg')],
    ['bool', [0, 1, 1, 0], ['abs', 'sign', 'relu', 'floor', 'ceil', 'round', 'isnan', 'logicalNot']],
  ];
  for (const [dtype, values, ops] of cases) {
    it(`${dtype}: ${ops.join(', ')} exactly`, async () => {
      const x = input(dtype, values);
      for (const op of ops) {
        const { got, want } = await both(unaryK(op), [x], x.shape, boolOut(op) ? 'bool' : dtype);
        expect(mismatch(got, want, undefined, (i) => `${op}(${values[i]})`)).toBeNull();
      }
    });
  }

  it('neg/abs of -2^31 and neg of a positive uint8 are errors at the next read', async () => {
    for (const [op, dtype, v] of [
      ['neg', 'int32', -2147483648],
      ['abs', 'int32', -2147483648],
      ['neg', 'int64', -2147483648],
      ['neg', 'uint8', 3],
    ] as const) {
      const x = input(dtype, [0, v]);
      await expect(gpuOnly(unaryK(op), [x], x.shape, dtype)).rejects.toThrow(
        new RegExp(`^${op}: a result does not fit ${dtype}`),
      );
    }
    // the failure was consumed: neg of a uint8 zero is fine
    expect([...(await gpuOnly(unaryK('neg'), [input('uint8', [0, 0])], [2], 'uint8'))]).toEqual([0, 0]);
  });

  it('refuses the floating-point ops for integer and bool inputs by name', () => {
    const h = gpu.write(Int32Array.from([1]), [1], 'int32');
    expect(() => gpu.unary('exp', { handle: h, shape: [1], dtype: 'int32' })).toThrow(
      /'exp' does not take a int32 tensor.*float32/,
    );
    expect(() => gpu.unary('neg', { handle: h, shape: [1], dtype: 'bool' })).toThrow(
      /'neg' does not take a bool tensor/,
    );
    gpu.disposeData(h);
  });
});

describe('webgpu binary on float32', () => {
  // every pair of special values: [n,1] against [n] broadcasts both operands
  const n = SPECIAL.length;
  const a = input('float32', SPECIAL, [n, 1]);
  const b = input('float32', SPECIAL, [n]);
  const pair = (i: number) => `${show(SPECIAL[Math.floor(i / n)]!)}, ${show(SPECIAL[i % n]!)}`;

  for (const op of ALL_BINARY) {
    const how = ROUNDED_BINARY.has(op)
      ? 'exactly (subnormals within 2^-126)'
      : op === 'div' || op === 'pow'
        ? "within 'balanced'"
        : 'exactly';
    it(`${op} of every pair of special values, ${how}`, async () => {
      const { got, want } = await both(binaryK(op, [n, n]), [a, b], [n, n], boolOut(op) ? 'bool' : 'float32');
      const tol = ROUNDED_BINARY.has(op) ? SUBNORMAL : op === 'div' || op === 'pow' ? BALANCED : undefined;
      expect(mismatch(got, want, tol, (i) => `${op}(${pair(i)})`)).toBeNull();
    });
  }

  it('pow: integer exponents of negative bases, exact small powers, NaN for fractional ones, C special cases', async () => {
    const cases: [number, number][] = [
      [-2, 2],
      [-3, 3],
      [-2, 31],
      [-2, -3],
      [3, 2],
      [5, 3],
      [0, 0],
      [Number.NaN, 0],
      [1, Number.NaN],
      [-1, Number.POSITIVE_INFINITY],
      [-1, Number.NEGATIVE_INFINITY],
      [-8, 1 / 3],
      [-0, 3],
      [-0, -3],
      [-0, -2],
      [0, -1],
      [Number.NEGATIVE_INFINITY, 3],
      [Number.NEGATIVE_INFINITY, -3],
      [Number.NEGATIVE_INFINITY, 2],
      [0.5, Number.POSITIVE_INFINITY],
      [2, Number.NEGATIVE_INFINITY],
      [4, 0.5],
      [9, 0.5],
      [2, 127],
      [2, 128],
      [2, -149],
      [2, -150],
      [10, 38],
      [10, -45],
      [1.0001, 887000],
      [0.9999, 100000],
      [-1e-40, 3],
      [1e-40, 0.5],
      [1e-40, -1],
    ];
    const x = input(
      'float32',
      cases.map(([v]) => v),
    );
    const y = input(
      'float32',
      cases.map(([, e]) => e),
    );
    const { got, want } = await both(binaryK('pow', x.shape), [x, y], x.shape, 'float32');
    expect(
      mismatch(got, want, BALANCED, (i) => `pow(${show(cases[i]![0])}, ${show(cases[i]![1])})`),
    ).toBeNull();
    // small integer powers are exact, as the conformance suite requires
    expect([...got.slice(0, 6)]).toEqual([4, -27, -2147483648, -0.125, 9, 125]);
  });

  it('div and pow of random operands, within tolerance', async () => {
    const r = stream(9);
    const base = [...logSpread(3000, -20, 20, 6), ...Array.from({ length: 1000 }, () => 0.9 + 0.2 * r())];
    const expo = [
      ...Array.from({ length: 3000 }, () => (r() - 0.5) * 8),
      ...Array.from({ length: 1000 }, () => (r() - 0.5) * 1600),
    ];
    const x = input('float32', base);
    const y = input('float32', expo);
    for (const op of ['div', 'pow'] as const) {
      const { got, want } = await both(binaryK(op, x.shape), [x, y], x.shape, 'float32');
      expect(mismatch(got, want, BALANCED, (i) => `${op}(${base[i]}, ${expo[i]})`)).toBeNull();
    }
  });
});

describe('webgpu binary on integers and bool', () => {
  const r = stream(11);
  const ints = (k: number, lo: number, hi: number) =>
    Array.from({ length: k }, () => Math.floor(lo + (hi - lo + 1) * r()));
  // operands per op that stay inside int32 (the boundaries included), and CPU-exact results
  const inRange: Record<'add' | 'sub' | 'mul' | 'div' | 'pow', [number[], number[]]> = {
    add: [
      [...ints(300, -1e9, 1e9), 2147483646, -2147483647, 2147483647],
      [...ints(300, -1e9, 1e9), 1, -1, -2147483648],
    ],
    sub: [
      [...ints(300, -1e9, 1e9), -2147483647, 2147483646, -1],
      [...ints(300, -1e9, 1e9), 1, -1, 2147483647],
    ],
    mul: [
      [...ints(300, -46340, 46340), -65536, 65535, 46341, -1, 2147483647, 0, 1073741824, 131072],
      [...ints(300, -46340, 46340), 32768, 32768, -46340, -2147483647, -1, -2147483648, -2, -16384],
    ],
    div: [
      [...ints(300, -2e9, 2e9), 7, -7, 7, -7, -2147483648, 0],
      [...ints(300, 1, 1000).map((v, i) => (i % 2 ? v : -v)), 2, 2, -2, -2, 1, -5],
    ],
    pow: [
      [...ints(300, -12, 12), -2, 2, 3, 0, 0, 1, -1, -1, 5, -46340, 7],
      [...ints(300, 0, 8), 31, 30, 19, 0, 5, -7, -7, -8, -1, 2, 0],
    ],
  };

  for (const dtype of ['int32', 'int64'] as const) {
    it(`${dtype}: arithmetic at and inside the int32 boundaries, and every comparison, exactly`, async () => {
      for (const [op, [av, bv]] of Object.entries(inRange) as [BinaryOp, [number[], number[]]][]) {
        const { got, want } = await both(
          binaryK(op, [av.length]),
          [input(dtype, av), input(dtype, bv)],
          [av.length],
          dtype,
        );
        expect(mismatch(got, want, undefined, (i) => `${op}(${av[i]}, ${bv[i]})`)).toBeNull();
      }
      const av = [...ints(200, -5, 5), 2147483647, -2147483648, 0];
      const bv = [...ints(200, -5, 5), -2147483648, 2147483647, 0];
      for (const op of ['maximum', 'minimum', ...COMPARE] as BinaryOp[]) {
        const { got, want } = await both(
          binaryK(op, [av.length]),
          [input(dtype, av), input(dtype, bv)],
          [av.length],
          boolOut(op) ? 'bool' : dtype,
        );
        expect(mismatch(got, want, undefined, (i) => `${op}(${av[i]}, ${bv[i]})`)).toBeNull();
      }
    });
  }

  it('int32 results past the range, and division by zero, are errors at the next read (each detected exactly)', async () => {
    const cases: [BinaryOp, number, number, RegExp][] = [
      ['add', 2147483647, 1, /does not fit int32/],
      ['add', -2147483648, -1, /does not fit int32/],
      ['sub', -2147483648, 1, /does not fit int32/],
      ['sub', 0, -2147483648, /does not fit int32/],
      ['mul', 65536, 32768, /does not fit int32/],
      ['mul', 46341, 46341, /does not fit int32/],
      ['mul', -46341, 46341, /does not fit int32/],
      ['mul', -1, -2147483648, /does not fit int32/],
      ['mul', 65536, 65536, /does not fit int32/],
      ['mul', 131072, 16384, /does not fit int32/],
      ['mul', 2147483647, 2, /does not fit int32/],
      ['div', -2147483648, -1, /does not fit int32/],
      ['div', 5, 0, /integer division by zero/],
      ['div', 0, 0, /integer division by zero/],
      ['pow', 2, 31, /does not fit int32/],
      ['pow', -2, 32, /does not fit int32/],
      ['pow', 3, 20, /does not fit int32/],
      ['pow', 46341, 2, /does not fit int32/],
      ['pow', 7, 1e9, /does not fit int32/],
    ];
    for (const [op, x, y, msg] of cases) {
      // the CPU refuses the same operands
      const [cx, cy] = [upload(cpu, input('int32', [x])), upload(cpu, input('int32', [y]))];
      expect(() => cpu.binary(op, cx, cy, [1]), `cpu ${op}(${x}, ${y})`).toThrow();
      cpu.disposeData(cx.handle);
      cpu.disposeData(cy.handle);
      await expect(
        gpuOnly(binaryK(op, [3]), [input('int32', [1, x, 2]), input('int32', [1, y, 1])], [3], 'int32'),
        `${op}(${x}, ${y})`,
      ).rejects.toThrow(
        new RegExp(`^${op}: .*${msg.source}.*${op} on int32 tensors of shape \\[3\\] and \\[3\\]`),
      );
    }
  });

  it('int64 is computed in 32 bits: a result beyond int32 is an error naming that, never a wrap', async () => {
    await expect(
      gpuOnly(binaryK('add', [1]), [input('int64', [2147483647]), input('int64', [1])], [1], 'int64'),
    ).rejects.toThrow(/add: a result does not fit int64 .*webgpu computes int64 in 32 bits/);
    await expect(
      gpuOnly(binaryK('mul', [1]), [input('int64', [100000]), input('int64', [100000])], [1], 'int64'),
    ).rejects.toThrow(/does not fit int64/);
  });

  it('uint8: arithmetic in [0, 255] exactly, and what leaves it as an error', async () => {
    const av = [0, 1, 7, 200, 255, 16, 2, 3, 255, 9];
    const bv = [0, 1, 2, 55, 0, 15, 7, 5, 255, 3];
    for (const op of ALL_BINARY) {
      // CPU-exact results only: skip pairs the CPU refuses
      const keep = av.map((x, i) => {
        const y = bv[i]!;
        const v =
          op === 'add' ? x + y : op === 'sub' ? x - y : op === 'mul' ? x * y : op === 'pow' ? x ** y : 0;
        return (op !== 'div' || y !== 0) && v >= 0 && v <= 255;
      });
      const a = av.filter((_, i) => keep[i]);
      const b = bv.filter((_, i) => keep[i]);
      const { got, want } = await both(
        binaryK(op, [a.length]),
        [input('uint8', a), input('uint8', b)],
        [a.length],
        boolOut(op) ? 'bool' : 'uint8',
      );
      expect(mismatch(got, want, undefined, (i) => `${op}(${a[i]}, ${b[i]})`)).toBeNull();
    }
    for (const [op, x, y, msg] of [
      ['add', 200, 56, /does not fit uint8 \(range \[0, 255\]\)/],
      ['sub', 1, 2, /does not fit uint8/],
      ['mul', 16, 16, /does not fit uint8/],
      ['pow', 2, 8, /does not fit uint8/],
      ['pow', 255, 255, /does not fit uint8/],
      ['div', 1, 0, /integer division by zero/],
    ] as const) {
      await expect(
        gpuOnly(binaryK(op, [1]), [input('uint8', [x]), input('uint8', [y])], [1], 'uint8'),
      ).rejects.toThrow(msg);
    }
  });

  it('bool: every op as the CPU backend computes it (arithmetic through numbers, then != 0)', async () => {
    const a = input('bool', [0, 0, 1, 1]);
    const b = input('bool', [0, 1, 0, 1]);
    for (const op of ALL_BINARY) {
      const { got, want } = await both(binaryK(op, [4]), [a, b], [4], 'bool');
      expect(mismatch(got, want, undefined, (i) => `${op}(${i >> 1}, ${i & 1})`)).toBeNull();
    }
  });
});

describe('webgpu broadcasting', () => {
  const shapes: [number[], number[]][] = [
    [
      [2, 3, 4],
      [3, 1],
    ],
    [[4], [2, 1, 1]],
    [
      [5, 1, 3],
      [1, 4, 1],
    ],
    [
      [2, 3, 4, 5],
      [3, 1, 1],
    ],
    [
      [2, 3, 4, 5],
      [4, 5],
    ],
    [
      [6, 1, 2, 1, 3],
      [1, 5, 2, 4, 1],
    ],
    [[], [3, 4]],
    [[3, 4], []],
    [[1], [2, 2]],
    [
      [3, 1, 5],
      [3, 1, 5],
    ],
    [[2, 1], [1]],
    [
      [1, 1],
      [1, 1, 1],
    ],
  ];
  const bshape = (x: number[], y: number[]) => {
    const r = Math.max(x.length, y.length);
    return Array.from({ length: r }, (_, d) => Math.max(x[d - r + x.length] ?? 1, y[d - r + y.length] ?? 1));
  };
  const seq = (k: number, off: number) => Array.from({ length: k }, (_, i) => ((i * 37 + off) % 23) - 11);

  it('every access class (same shape, scalar, strided) on either side, exactly', async () => {
    for (const [sa, sb] of shapes) {
      const out = bshape(sa, sb);
      for (const op of ['add', 'sub', 'lt'] as const) {
        const a = input('float32', seq(numel(sa), 1), sa);
        const b = input('float32', seq(numel(sb), 5), sb);
        const { got, want } = await both(binaryK(op, out), [a, b], out, op === 'lt' ? 'bool' : 'float32');
        expect(mismatch(got, want), `${op} [${sa}] and [${sb}]`).toBeNull();
        const ai = input('int32', seq(numel(sa), 2), sa);
        const bi = input('int32', seq(numel(sb), 3), sb);
        const r = await both(binaryK(op, out), [ai, bi], out, op === 'lt' ? 'bool' : 'int32');
        expect(mismatch(r.got, r.want), `int32 ${op} [${sa}] and [${sb}]`).toBeNull();
      }
    }
  });

  it('where broadcasts all three operands, on every dtype', async () => {
    const trios: [number[], number[], number[]][] = [
      [[3, 1], [1, 4], []],
      [[4], [3, 4], [3, 1]],
      [
        [2, 3, 4],
        [2, 3, 4],
        [2, 3, 4],
      ],
      [[], [2, 2], [2]],
      [[2, 1, 3], [5, 1], [1]],
    ];
    for (const dtype of ['float32', 'int32', 'int64', 'uint8', 'bool'] as const) {
      for (const [sc, sa, sb] of trios) {
        const out = bshape(bshape(sc, sa), sb);
        const c = input(
          'bool',
          seq(numel(sc), 0).map((v) => Number(v > 0)),
          sc,
        );
        const val = (s: number[], off: number) =>
          seq(numel(s), off).map((v) => (dtype === 'bool' ? Number(v > 2) : dtype === 'uint8' ? v + 11 : v));
        const a = input(dtype, val(sa, 3), sa);
        const b = input(dtype, val(sb, 8), sb);
        const { got, want } = await both(
          (be, [ci, ai, bi]) => be.where(ci!, ai!, bi!, out),
          [c, a, b],
          out,
          dtype,
        );
        expect(mismatch(got, want), `${dtype} where [${sc}] [${sa}] [${sb}]`).toBeNull();
      }
    }
    // values are copied as bits: NaN, -0 and subnormals pass unchanged
    const v = [Number.NaN, -0, 1e-40, Number.NEGATIVE_INFINITY];
    const { got, want } = await both(
      (be, [ci, ai, bi]) => be.where(ci!, ai!, bi!, [4]),
      [input('bool', [1, 1, 1, 0]), input('float32', v), input('float32', [0, 0, 0, v[3]!])],
      [4],
      'float32',
    );
    expect(mismatch(got, want)).toBeNull();
  });

  it('empty operands give empty results without a launch', async () => {
    const before = gpu.memory!().dispatches as number;
    for (const [sa, sb, out] of [
      [[0, 3], [3], [0, 3]],
      [
        [2, 0],
        [2, 1],
        [2, 0],
      ],
      [[3, 0], [0], [3, 0]],
    ] as const) {
      const got = await gpuOnly(
        binaryK('add', out),
        [input('float32', [], sa), input('float32', seq(numel(sb), 0), sb)],
        out,
        'float32',
      );
      expect(got.length).toBe(0);
    }
    expect(await gpuOnly(unaryK('exp'), [input('float32', [], [0, 4])], [0, 4], 'float32')).toHaveLength(0);
    expect(gpu.memory!().dispatches).toBe(before);
  });

  it('merges dims every strided operand walks contiguously', () => {
    // [N,C,H,W] + [C,1,1]: the [C,1,1] operand's strides [0, 1, 0, 0] collapse H and W
    expect(collapseDims([2, 3, 4, 5], [[0, 1, 0, 0]])).toEqual({ shape: [2, 3, 20], strides: [[0, 1, 0]] });
    expect(
      collapseDims(
        [2, 1, 3],
        [
          [3, 0, 1],
          [0, 0, 1],
        ],
      ),
    ).toEqual({
      shape: [2, 3],
      strides: [
        [3, 1],
        [0, 1],
      ],
    });
    expect(collapseDims([4, 5], [[5, 1]])).toEqual({ shape: [20], strides: [[1]] });
  });

  it('one pipeline per op, dtype and access class, whatever the shapes', async () => {
    const run = (sa: number[], sb: number[]) =>
      gpuOnly(
        binaryK('mul', bshape(sa, sb)),
        [input('float32', seq(numel(sa), 1), sa), input('float32', seq(numel(sb), 2), sb)],
        bshape(sa, sb),
        'float32',
      );
    await run([5, 7], [7]);
    await run([5, 7], [5, 7]);
    const built = gpu.memory!().pipelinesBuilt;
    await run([9, 2, 3], [3]);
    await run([2, 2], [2, 2]);
    await run([4, 6, 8, 3], [6, 1, 1]);
    expect(gpu.memory!().pipelinesBuilt).toBe(built);
  });
});

describe('webgpu reluBackward', () => {
  it('y > 0 ? g : +0 bit for bit (NaN y gives +0; g passes NaN and -0 through)', async () => {
    const y = [
      1,
      0,
      -0,
      -1,
      Number.NaN,
      1e-40,
      -1e-40,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      2,
      3,
      0.5,
    ];
    const g = [Number.NaN, 5, 5, 5, 5, -0, 7, -3, 7, -0, Number.NaN, 1e-40];
    const k: Kernel = (b, [gi, yi]) => b.reluBackward!(gi!, yi!);
    const { got, want } = await both(k, [input('float32', g), input('float32', y)], [g.length], 'float32');
    expect(mismatch(got, want, undefined, (i) => `g ${show(g[i]!)}, y ${show(y[i]!)}`)).toBeNull();
    expect(Object.is(got[1], 0) && Object.is(got[4], 0)).toBe(true);
  });
});

describe('webgpu elementwise through core', () => {
  it('a chain of ops on realistic sizes (2^17 elements and more) matches the CPU, and frees every buffer', async () => {
    const live = () => gpu.memory!().numBuffers;
    const before = live();
    const r = stream(21);
    const x = tensor(Float32Array.from({ length: 384 * 347 }, () => (r() - 0.5) * 8)).reshape([384, 347]);
    const row = tensor(Float32Array.from({ length: 347 }, () => r() - 0.5));
    const col = tensor(Float32Array.from({ length: 384 }, () => r() + 0.5)).reshape([384, 1]);
    const f = (a: Tensor, b: Tensor, c: Tensor) =>
      where(a.gt(0), a.add(b).mul(c).sigmoid().sub(a.tanh()), a.neg().exp());
    const want = tidy(() => f(x, row, col));
    const [gx, grow, gcol] = [x, row, col].map((t) => t.to('webgpu'));
    const got = tidy(() => f(gx!, grow!, gcol!));
    expect(got.device).toBe('webgpu');
    expect(
      mismatch((await got.data()) as Float32Array, want.dataSync() as Float32Array, BALANCED),
    ).toBeNull();
    for (const t of [x, row, col, want, gx, grow, gcol, got]) t!.dispose();
    // a leak raises the count; earlier tests' garbage may be freed meanwhile (lower)
    expect(live()).toBeLessThanOrEqual(before);
  });

  it('launches past 65535 workgroups (2^24 + 256 elements) fold into a second dimension', async () => {
    // distinct values everywhere: an element written twice or skipped shows
    const n = 2 ** 24 + 256;
    const v = new Int32Array(n);
    for (let i = 0; i < n; i++) v[i] = i;
    const got = (await gpuOnly(
      unaryK('neg'),
      [{ values: v, shape: [n], dtype: 'int32' }],
      [n],
      'int32',
    )) as Int32Array;
    let bad = -1;
    for (let i = 0; i < n && bad < 0; i++) if (got[i] !== -i) bad = i;
    expect(bad).toBe(-1);
  });

  it('an integer overflow surfaces at the next data() with the op and shapes, and is consumed', async () => {
    const a = tensor([2147483647, 1], { dtype: 'int32' }).to('webgpu');
    const y = a.add(1);
    await expect(y.data()).rejects.toThrow(/^add: a result does not fit int32 .*shape \[2\] and \[\]/);
    const z = a.sub(1);
    expect([...((await z.data()) as Int32Array)]).toEqual([2147483646, 0]);
    for (const t of [a, y, z]) t.dispose();
  });
});
