// The movement kernels against the CPU backend: each primitive is called on both backends with
// the same inputs and the results compared bit for bit (floats by their bits, NaN as NaN), over
// every stored dtype, ranks 0 to 5, empty dims, special values and sizes past one launch.
import '@proj/backend-cpu';
import {
  type Backend,
  backendByName,
  cat,
  type DataArray,
  type DType,
  padConstant,
  type TensorInfo,
  tensor,
  tidy,
} from '@proj/core';
import { describe, expect, it } from 'vitest';
import { initWebGPU } from '../index.js';
import { scatterAddPlan } from './scatter-add.js';
import { numel, stream } from './test-helpers.js';

await initWebGPU();
const cpu = backendByName('cpu') as Backend;
const gpu = backendByName('webgpu') as Backend;

// ---- inputs --------------------------------------------------------------------------------

const DTYPES: readonly DType[] = ['float32', 'int32', 'int64', 'bool', 'uint8'];

interface Input {
  readonly values: DataArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** Values of `dtype` for `shape`, with each dtype's special values among them. */
function values(shape: readonly number[], dtype: DType, seed = 1): Input {
  const n = numel(shape);
  const r = stream(seed);
  const special: Record<string, number[]> = {
    float32: [Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3.4e38, 1e-30],
    int32: [-2147483648, 2147483647, -1, 0],
    int64: [-2147483648, 2147483647, -1, 0],
    uint8: [0, 255],
    bool: [0, 1],
  };
  const s = special[dtype]!;
  const pick = (i: number): number => {
    if (i % 7 === 3) return s[((i / 7) % s.length) | 0]!;
    if (dtype === 'float32') return (r() - 0.5) * 200;
    if (dtype === 'bool') return r() < 0.5 ? 0 : 1;
    if (dtype === 'uint8') return Math.floor(r() * 256);
    return Math.floor((r() - 0.5) * 2000);
  };
  const vals = Array.from({ length: n }, (_, i) => pick(i));
  const arr: DataArray =
    dtype === 'float32'
      ? Float32Array.from(vals)
      : dtype === 'int32'
        ? Int32Array.from(vals)
        : dtype === 'int64'
          ? BigInt64Array.from(vals, (v) => BigInt(v))
          : Uint8Array.from(vals);
  return { values: arr, shape, dtype };
}

/** int32 index values in [lo, hi). */
function indices(shape: readonly number[], lo: number, hi: number, seed = 7): Input {
  const r = stream(seed);
  return {
    values: Int32Array.from({ length: numel(shape) }, () => lo + Math.floor(r() * (hi - lo))),
    shape,
    dtype: 'int32',
  };
}

/** Values of an integer (or bool) `dtype` from `gen(random, position)`. */
function ints(
  shape: readonly number[],
  dtype: DType,
  seed: number,
  gen: (r: () => number, i: number) => number,
): Input {
  const r = stream(seed);
  const vals = Array.from({ length: numel(shape) }, (_, i) => gen(r, i));
  const arr: DataArray =
    dtype === 'int64'
      ? BigInt64Array.from(vals, BigInt)
      : dtype === 'int32'
        ? Int32Array.from(vals)
        : Uint8Array.from(vals);
  return { values: arr, shape, dtype };
}

// ---- running a primitive on both backends --------------------------------------------------

const info = (b: Backend, x: Input): TensorInfo => ({
  handle: b.write(x.values, x.shape, x.dtype),
  shape: x.shape,
  dtype: x.dtype,
});

/** Whether two read-backs agree: floats bit for bit (any NaN equal to any NaN), others exactly. */
function mismatch(got: DataArray, want: DataArray): string | null {
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  const gb = got instanceof Float32Array ? new Uint32Array(got.buffer, got.byteOffset, got.length) : null;
  const wb = want instanceof Float32Array ? new Uint32Array(want.buffer, want.byteOffset, want.length) : null;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (gb && wb) {
      if (Number.isNaN(g) && Number.isNaN(w)) continue;
      if (gb[i] !== wb[i])
        return `element ${i}: ${Object.is(g, -0) ? '-0' : g}, expected ${Object.is(w, -0) ? '-0' : w}`;
    } else if (g !== w) {
      return `element ${i}: ${g}, expected ${w}`;
    }
  }
  return null;
}

/**
 * Runs `op` on both backends with `inputs`; returns the webgpu result read back and the CPU's.
 * The op's result has `shape` and `dtype`. Every buffer is freed.
 */
async function both(
  inputs: readonly Input[],
  op: (b: Backend, xs: TensorInfo[]) => unknown,
  shape: readonly number[],
  dtype: DType,
): Promise<{ got: DataArray; want: DataArray }> {
  const c = inputs.map((x) => info(cpu, x));
  const g = inputs.map((x) => info(gpu, x));
  try {
    const ch = op(cpu, c);
    const want = cpu.readSync({ handle: ch, shape, dtype });
    cpu.disposeData(ch);
    const gh = op(gpu, g);
    try {
      return { got: await gpu.read({ handle: gh, shape, dtype }), want };
    } finally {
      gpu.disposeData(gh);
    }
  } finally {
    for (const x of c) cpu.disposeData(x.handle);
    for (const x of g) gpu.disposeData(x.handle);
  }
}

/** Expects `op` to give the CPU's result on webgpu. */
async function same(
  what: string,
  inputs: readonly Input[],
  op: (b: Backend, xs: TensorInfo[]) => unknown,
  shape: readonly number[],
  dtype = inputs[0]!.dtype,
): Promise<DataArray> {
  const { got, want } = await both(inputs, op, shape, dtype);
  expect(mismatch(got, want), what).toBeNull();
  return got;
}

/** Expects `op` to fail the webgpu read with `message` (and the CPU to refuse it too). */
async function failsLike(
  inputs: readonly Input[],
  op: (b: Backend, xs: TensorInfo[]) => unknown,
  shape: readonly number[],
  message: RegExp,
): Promise<void> {
  const c = inputs.map((x) => info(cpu, x));
  expect(() => op(cpu, c)).toThrow();
  for (const x of c) cpu.disposeData(x.handle);
  const g = inputs.map((x) => info(gpu, x));
  const gh = op(gpu, g);
  await expect(gpu.read({ handle: gh, shape, dtype: inputs[0]!.dtype })).rejects.toThrow(message);
  gpu.disposeData(gh);
  for (const x of g) gpu.disposeData(x.handle);
}

// ---- the strided family ----------------------------------------------------------------------

describe('permute, expand, slice, asStrided (one strided gather)', () => {
  it('permute: every dtype, ranks 0, 1, 2 and 5, empty dims', async () => {
    const cases: [number[], number[]][] = [
      [[], []],
      [[5], [0]],
      [
        [33, 65],
        [1, 0],
      ],
      [
        [2, 3, 1, 4, 2],
        [4, 2, 0, 3, 1],
      ],
      [
        [3, 0, 2],
        [2, 0, 1],
      ],
      [
        [2, 3, 4],
        [0, 1, 2],
      ],
    ];
    for (const dtype of DTYPES) {
      for (const [shape, perm] of cases) {
        const out = perm.map((p) => shape[p]!);
        await same(
          `permute ${dtype} [${shape}] by [${perm}]`,
          [values(shape, dtype)],
          (b, [x]) => b.permute(x!, perm),
          out,
        );
      }
    }
  });

  it('expand: size-1 dims repeat, every dtype, rank 0 and 5, to an empty dim', async () => {
    const cases: [number[], number[]][] = [
      [[], []],
      [
        [1, 3, 1],
        [4, 3, 5],
      ],
      [[1], [7]],
      [
        [2, 1, 3, 1, 1],
        [2, 4, 3, 2, 3],
      ],
      [
        [1, 2],
        [0, 2],
      ],
    ];
    for (const dtype of DTYPES) {
      for (const [shape, to] of cases) {
        await same(
          `expand ${dtype} [${shape}] to [${to}]`,
          [values(shape, dtype)],
          (b, [x]) => b.expand(x!, to),
          to,
        );
      }
    }
  });

  it('slice: begin and steps, contiguous runs, empty and rank-0 slices', async () => {
    const cases: [number[], number[], number[], number[]][] = [
      // shape, begin, sizes, steps
      [
        [7, 9],
        [1, 2],
        [3, 3],
        [2, 3],
      ],
      [
        [7, 9],
        [2, 0],
        [4, 9],
        [1, 1],
      ], // whole rows: one contiguous run (a buffer copy)
      [[10], [9], [1], [1]],
      [
        [3, 4, 2, 3, 5],
        [1, 0, 1, 2, 0],
        [2, 2, 1, 1, 3],
        [1, 2, 1, 1, 2],
      ],
      [
        [4, 5],
        [1, 5],
        [3, 0],
        [1, 1],
      ],
      [[], [], [], []],
    ];
    for (const dtype of DTYPES) {
      for (const [shape, begin, sizes, steps] of cases) {
        await same(
          `slice ${dtype} [${shape}] from [${begin}] by [${steps}]`,
          [values(shape, dtype)],
          (b, [x]) => b.slice(x!, begin, sizes, steps),
          sizes,
        );
      }
    }
  });

  it('asStrided: offsets, overlapping (stride-0 and sliding) views, transposed views, every dtype', async () => {
    const cases: [number, number[], number[], number][] = [
      // storage length, shape, strides, offset
      [24, [3, 4], [1, 3], 0],
      [24, [4, 3], [3, 1], 5],
      [10, [4, 4], [1, 1], 2], // sliding windows overlap
      [6, [2, 3, 4], [3, 1, 0], 0],
      [60, [2, 1, 3, 2, 2], [30, 7, 10, 1, 5], 3],
      [5, [], [], 4],
      [5, [0, 3], [1, 1], 5],
    ];
    for (const dtype of DTYPES) {
      for (const [n, shape, strides, offset] of cases) {
        await same(
          `asStrided ${dtype} [${shape}] strides [${strides}] offset ${offset}`,
          [values([n], dtype)],
          (b, [x]) => b.asStrided!(x!, shape, strides, offset),
          shape,
        );
      }
    }
  });

  it('asStrided refuses a view past the buffer, before any launch', () => {
    const x = info(gpu, values([6], 'float32'));
    expect(() => gpu.asStrided!(x, [3, 3], [2, 1], 0)).toThrow(
      /asStrided: view of shape \[3,3\].*reaches element 6 of a buffer of 6/,
    );
    gpu.disposeData(x.handle);
  });

  it('a copy past 65535 workgroups (16785409 elements) and a 2^17 slice', async () => {
    // 4097 x 4097 > 65535 workgroups x 256: the launch folds into a second dimension
    const x = values([4097, 1], 'float32');
    await same('expand to 4097 x 4097', [x], (b, [t]) => b.expand(t!, [4097, 4097]), [4097, 4097]);
    const y = values([512, 520], 'int32');
    await same('slice of 2^17', [y], (b, [t]) => b.slice(t!, [0, 2], [512, 256], [1, 2]), [512, 256]);
  });
});

// ---- pad, concat, asStridedScatter (strided scatters) --------------------------------------

describe('pad, concat, asStridedScatter (strided scatters)', () => {
  it('pad: each dtype with its value, ranks 0, 1 and 5, an empty input', async () => {
    const cases: [number[], [number, number][]][] = [
      [[], []],
      [[4], [[2, 3]]],
      [
        [3, 5],
        [
          [1, 0],
          [2, 2],
        ],
      ],
      [
        [2, 1, 3, 1, 2],
        [
          [0, 1],
          [1, 1],
          [0, 0],
          [2, 0],
          [1, 2],
        ],
      ],
      [
        [0, 3],
        [
          [1, 1],
          [0, 2],
        ],
      ],
    ];
    const padValues: Record<string, number[]> = {
      // -0 has its own test: the CPU backend pads with +0 there
      float32: [0, 2.5, Number.NaN, Number.NEGATIVE_INFINITY],
      int32: [0, -7, 2147483647, -2147483648, 2.7, -3.9],
      int64: [0, 5, -2147483648, 2147483647],
      uint8: [0, 255, 3],
      bool: [0, 1],
    };
    for (const dtype of DTYPES) {
      for (const [shape, pads] of cases) {
        for (const v of padValues[dtype]!) {
          const out = shape.map((s, d) => s + pads[d]![0] + pads[d]![1]);
          await same(
            `pad ${dtype} [${shape}] by ${JSON.stringify(pads)} with ${v}`,
            [values(shape, dtype)],
            (b, [x]) => b.pad(x!, pads, v),
            out,
          );
        }
      }
    }
  });

  it('pad with -0 pads with -0, as torch does', async () => {
    const x = info(gpu, values([2], 'float32'));
    const y = gpu.pad(x, [[1, 2]], -0);
    const got = (await gpu.read({ handle: y, shape: [5], dtype: 'float32' })) as Float32Array;
    expect([0, 3, 4].map((i) => Object.is(got[i], -0))).toEqual([true, true, true]);
    gpu.disposeData(y);
    gpu.disposeData(x.handle);
  });

  it('pad refuses a value its integer dtype cannot hold', () => {
    for (const [dtype, v] of [
      ['uint8', 300],
      ['uint8', -1],
      ['int32', 2 ** 31],
      ['int64', 2 ** 40],
      ['int32', Number.NaN],
    ] as const) {
      const x = info(gpu, values([2], dtype));
      expect(() => gpu.pad(x, [[1, 1]], v), `${dtype} ${v}`).toThrow(
        new RegExp(`pad: value ${v} does not fit the ${dtype} tensor`),
      );
      gpu.disposeData(x.handle);
    }
  });

  it('concat: along the first, a middle and the last axis, with empty inputs, every dtype', async () => {
    const cases: [number[][], number][] = [
      [[[3], [0], [4]], 0],
      [
        [
          [2, 3, 4],
          [2, 1, 4],
          [2, 5, 4],
        ],
        1,
      ],
      [
        [
          [4, 2],
          [4, 3],
        ],
        1,
      ],
      [
        [
          [1, 2, 2, 1, 3],
          [3, 2, 2, 1, 3],
        ],
        0,
      ],
      [
        [
          [2, 0],
          [2, 3],
          [2, 0],
        ],
        1,
      ],
      [
        [
          [0, 3],
          [0, 3],
        ],
        1,
      ],
    ];
    for (const dtype of DTYPES) {
      for (const [shapes, axis] of cases) {
        const out = [...shapes[0]!];
        out[axis] = shapes.reduce((a, s) => a + s[axis]!, 0);
        await same(
          `concat ${dtype} ${JSON.stringify(shapes)} on ${axis}`,
          shapes.map((s, k) => values(s, dtype, k + 1)),
          (b, xs) => b.concat!(xs, axis),
          out,
        );
      }
    }
  });

  it('asStridedScatter: transposed, strided and offset views, the rest of base kept, every dtype', async () => {
    const cases: [number, number[], number[], number][] = [
      [24, [4, 3], [1, 4], 0],
      [30, [2, 3], [10, 3], 4],
      [60, [2, 1, 3, 2, 2], [30, 7, 10, 1, 5], 3],
      [8, [8], [1], 0],
      [5, [], [], 2],
      [5, [0, 2], [1, 1], 0],
    ];
    for (const dtype of DTYPES) {
      for (const [n, shape, strides, offset] of cases) {
        await same(
          `asStridedScatter ${dtype} [${shape}] strides [${strides}] offset ${offset}`,
          [values([n], dtype, 3), values(shape, dtype, 4)],
          (b, [base, src]) => b.asStridedScatter!(base!, src!, shape, strides, offset),
          [n],
        );
      }
    }
  });

  it('concat and pad at 2^17+ elements', async () => {
    await same(
      'concat 2 x [256, 512] on 1',
      [values([256, 512], 'float32', 1), values([256, 512], 'float32', 2)],
      (b, xs) => b.concat!(xs, 1),
      [256, 1024],
    );
    await same(
      'pad [512, 256]',
      [values([512, 256], 'uint8')],
      (b, [x]) =>
        b.pad(
          x!,
          [
            [1, 2],
            [3, 0],
          ],
          9,
        ),
      [515, 259],
    );
  });
});

// ---- gather ------------------------------------------------------------------------------------

describe('gather', () => {
  it('along each axis, an index smaller than x off the axis, every dtype, ranks 0, 1 and 5', async () => {
    const cases: [number[], number, number[]][] = [
      // x shape, axis, index shape
      [[5, 4], 0, [7, 4]],
      [[5, 4], 1, [3, 6]],
      [[9], 0, [20]],
      [[2, 3, 4, 1, 3], 2, [2, 2, 5, 1, 3]],
      [[2, 3, 4, 1, 3], 4, [1, 3, 4, 1, 2]],
      [[], 0, []],
      [[4, 3], 0, [0, 3]],
    ];
    for (const dtype of DTYPES) {
      for (const [shape, axis, iShape] of cases) {
        const size = shape.length === 0 ? 1 : shape[axis]!;
        await same(
          `gather ${dtype} [${shape}] axis ${axis} index [${iShape}]`,
          [values(shape, dtype), indices(iShape, 0, size)],
          (b, [x, i]) => b.gather(x!, axis, i!),
          iShape,
        );
      }
    }
  });

  it('an out-of-range index fails the next read naming the op; the read after it succeeds', async () => {
    for (const bad of [-1, 4, 2147483647, -2147483648]) {
      const idx: Input = { values: Int32Array.from([0, bad, 1]), shape: [1, 3], dtype: 'int32' };
      await failsLike(
        [values([2, 4], 'float32'), idx],
        (b, [x, i]) => b.gather(x!, 1, i!),
        [1, 3],
        new RegExp(`gather: index ${bad} is out of range for axis 1 of size 4 \\(expected 0 <= index < 4\\)`),
      );
    }
    await same(
      'gather after a failed one',
      [values([2, 4], 'int32'), indices([2, 2], 0, 4)],
      (b, [x, i]) => b.gather(x!, 1, i!),
      [2, 2],
    );
  });

  it('2^17 indices', async () => {
    await same(
      'gather [256, 512] from [300, 512] on 0',
      [values([300, 512], 'float32'), indices([256, 512], 0, 300)],
      (b, [x, i]) => b.gather(x!, 0, i!),
      [256, 512],
    );
  });
});

// ---- scatterAdd --------------------------------------------------------------------------------

describe('scatterAdd', () => {
  /** src values whose sums depend on their order: the float results must match bit for bit. */
  const orderly = (shape: readonly number[], seed: number): Input => {
    const r = stream(seed);
    const big = [1e8, -1e8, 3.3e7, 1];
    return {
      values: Float32Array.from({ length: numel(shape) }, (_, i) =>
        i % 5 === 0 ? big[i % 4]! : (r() - 0.5) * 10,
      ),
      shape,
      dtype: 'float32',
    };
  };

  it('float32 in the CPU order (bit for bit), both plans, duplicates, NaN and -0, index smaller than the target', async () => {
    const cases: [number[], number, number[]][] = [
      // target shape, axis, index/src shape
      [[5, 4], 0, [9, 4]],
      [[5, 4], 1, [3, 7]],
      [[6], 0, [20]],
      [[3, 2, 4, 1, 3], 2, [2, 2, 6, 1, 3]],
      [[], 0, []],
      [[3, 4], 0, [0, 4]],
      [[300], 0, [2 ** 17]], // past SMALL_WORK with a long axis and one fiber: per-fiber
      [[300, 4], 0, [2 ** 14, 4]], // a long target axis, few fibers: per-fiber
      [[8, 4], 0, [2 ** 17, 4]], // a long index axis into a short one: per-element
    ];
    for (const [shape, axis, iShape] of cases) {
      const T = shape.length === 0 ? 1 : shape[axis]!;
      const t = values(shape, 'float32', 5);
      await same(
        `scatterAdd float32 [${shape}] axis ${axis} index [${iShape}]`,
        [t, indices(iShape, 0, T, 11), orderly(iShape, 13)],
        (b, [x, i, s]) => b.scatterAdd(x!, axis, i!, s!),
        shape,
      );
    }
    expect(scatterAddPlan(300, 2 ** 17, 1)).toBe('per-fiber');
    expect(scatterAddPlan(300, 2 ** 14, 4)).toBe('per-fiber');
    expect(scatterAddPlan(8, 512, 8192)).toBe('per-fiber');
    expect(scatterAddPlan(8, 2 ** 17, 4)).toBe('per-element');
    expect(scatterAddPlan(4, 9, 4)).toBe('per-element');
  });

  it('integers exactly, both plans; bool as logical or', async () => {
    const cases: [number[], number, number[]][] = [
      [[5, 4], 0, [9, 4]],
      [[4, 5], 1, [4, 8]],
      [[2, 3, 4, 1, 3], 2, [1, 2, 6, 1, 3]],
      [[300], 0, [2 ** 17]], // per-fiber
      [[300, 4], 0, [2 ** 14, 4]], // per-fiber
    ];
    for (const dtype of ['int32', 'int64', 'uint8', 'bool'] as const) {
      for (const [shape, axis, iShape] of cases) {
        // sums that stay in range (overflow has its own tests): uint8 adds a few ones to
        // targets below 200, the others add values of magnitude < 500
        const small = (r: () => number) =>
          dtype === 'bool' ? Number(r() < 0.3) : Math.floor((r() - 0.5) * 1000);
        const target = ints(shape, dtype, 3, (r) => (dtype === 'uint8' ? Math.floor(r() * 200) : small(r)));
        const src = ints(iShape, dtype, 4, (r, i) => (dtype === 'uint8' ? Number(i % 97 === 0) : small(r)));
        const { got, want } = await both(
          [target, indices(iShape, 0, shape[axis]!, 5), src],
          (b, [x, i, s]) => b.scatterAdd(x!, axis, i!, s!),
          shape,
          dtype,
        );
        if (dtype === 'bool') {
          // the CPU adds bool bytes (True + True stored as 2); both mean True
          expect(
            mismatch(
              Uint8Array.from(got as Uint8Array, (v) => Number(v !== 0)),
              Uint8Array.from(want as Uint8Array, (v) => Number(v !== 0)),
            ),
            `bool [${shape}]`,
          ).toBeNull();
          expect((got as Uint8Array).every((v) => v <= 1)).toBe(true);
        } else {
          expect(mismatch(got, want), `${dtype} [${shape}] axis ${axis} index [${iShape}]`).toBeNull();
        }
      }
    }
  });

  it('int32/int64: a partial sum may pass the range if the final one fits; a final one past it fails', async () => {
    for (const dtype of ['int32', 'int64'] as const) {
      const arr = (v: number[]) => (dtype === 'int64' ? BigInt64Array.from(v, BigInt) : Int32Array.from(v));
      const t: Input = { values: arr([2147483647, -2147483648]), shape: [2], dtype };
      const i: Input = { values: Int32Array.from([0, 0, 1, 1]), shape: [4], dtype: 'int32' };
      const ok: Input = { values: arr([2147483647, -2147483647, -5, 5]), shape: [4], dtype };
      await same(
        `${dtype} partial sums past the range`,
        [t, i, ok],
        (b, [x, idx, s]) => b.scatterAdd(x!, 0, idx!, s!),
        [2],
      );
      const over: Input = { values: arr([1, 0, 0, 0]), shape: [4], dtype };
      const x = [t, i, over].map((v) => info(gpu, v));
      const y = gpu.scatterAdd(x[0]!, 0, x[1]!, x[2]!);
      await expect(gpu.read({ handle: y, shape: [2], dtype })).rejects.toThrow(
        new RegExp(`scatterAdd: a result does not fit ${dtype}`),
      );
      gpu.disposeData(y);
      for (const v of x) gpu.disposeData(v.handle);
    }
    // the per-fiber plan checks its sums too
    const n = 2 ** 17;
    const t: Input = { values: new Int32Array(300), shape: [300], dtype: 'int32' };
    const i: Input = { values: new Int32Array(n), shape: [n], dtype: 'int32' };
    const s: Input = { values: new Int32Array(n).fill(2 ** 15), shape: [n], dtype: 'int32' };
    expect(scatterAddPlan(300, n, 1)).toBe('per-fiber');
    await failsLike(
      [t, i, s],
      (b, [x, idx, v]) => b.scatterAdd(x!, 0, idx!, v!),
      [300],
      /scatterAdd: a result does not fit int32/,
    );
  });

  it('uint8 sums past 255 fail the read', async () => {
    const t: Input = { values: Uint8Array.from([250, 0]), shape: [2], dtype: 'uint8' };
    const i: Input = { values: Int32Array.from([0, 0]), shape: [2], dtype: 'int32' };
    const s: Input = { values: Uint8Array.from([3, 4]), shape: [2], dtype: 'uint8' };
    await failsLike(
      [t, i, s],
      (b, [x, idx, v]) => b.scatterAdd(x!, 0, idx!, v!),
      [2],
      /scatterAdd: a result does not fit uint8 \(range \[0, 255\]\)/,
    );
  });

  it('an out-of-range index fails the read, in both plans', async () => {
    for (const [T, L] of [
      [4, 3],
      [300, 2 ** 17],
    ] as const) {
      const idx = indices([L], 0, T);
      (idx.values as Int32Array)[L - 1] = T;
      await failsLike(
        [values([T], 'float32'), idx, values([L], 'float32', 2)],
        (b, [x, i, s]) => b.scatterAdd(x!, 0, i!, s!),
        [T],
        new RegExp(`scatterAdd: an index is out of range for axis 0 of size ${T}`),
      );
    }
    const x = [values([0], 'float32'), indices([2], 0, 1), values([2], 'float32')].map((v) => info(gpu, v));
    expect(() => gpu.scatterAdd(x[0]!, 0, x[1]!, x[2]!)).toThrow(
      /scatterAdd: every index is out of range for axis 0 of size 0/,
    );
    for (const v of x) gpu.disposeData(v.handle);
  });
});

// ---- through core's ops ----------------------------------------------------------------------

describe("core's movement ops on 'webgpu'", () => {
  it('transpose, narrow with steps, expand, cat, pad, gather and scatterAdd agree with the CPU', async () => {
    const run = (device: string) =>
      tidy(() => {
        const x = tensor(Float32Array.from({ length: 60 }, (_, i) => ((i * 7) % 11) - 5))
          .reshape([3, 4, 5])
          .to(device);
        const idx = tensor(Int32Array.from({ length: 24 }, (_, i) => (i * 5) % 4))
          .reshape([3, 4, 2])
          .to(device);
        return [
          x.permute([2, 0, 1]).contiguous(),
          x.index(':', '1::2', '::3').contiguous(),
          x.narrow(2, 1, 2).expand([2, 3, 4, 2]).contiguous(),
          x.transpose(0, 2).reshape([-1]),
          cat([x, x.narrow(1, 1, 2), x.narrow(1, 0, 0)], 1),
          padConstant(
            x,
            [
              [1, 0],
              [0, 2],
              [3, 1],
            ],
            -1.5,
          ),
          x.gather(1, idx),
          x.scatterAdd(1, idx, x.narrow(2, 0, 2).contiguous()),
        ];
      });
    const want = run('cpu');
    const got = run('webgpu');
    for (let k = 0; k < want.length; k++) {
      expect(got[k]!.shape).toEqual(want[k]!.shape);
      expect(mismatch(await got[k]!.data(), want[k]!.dataSync() as DataArray), `result ${k}`).toBeNull();
      got[k]!.dispose();
      want[k]!.dispose();
    }
  });
});
