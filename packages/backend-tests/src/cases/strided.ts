import {
  type Backend,
  backendByName,
  type DataArray,
  type DType,
  type Shape,
  sizeOf,
  type Tensor,
  type TensorInfo,
  tensorFromHandle,
} from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import type { Tols } from '../checks.js';
import {
  gatherReference,
  iota,
  randomDistinctView,
  randomView,
  rng,
  scatterReference,
  stored,
  type ViewCase,
  viewPositions,
} from '../strided-reference.js';

// The strided-view primitives Backend.asStrided / asStridedScatter, called on the backend object
// itself (write → primitive → read) so every backend is held to one semantics before core's
// views reach them: element (i_0, …, i_n) of a view is buffer[offset + Σ i_k·strides[k]], the
// buffer read flat whatever shape it was written with; a write returns a copy of the buffer with
// the view's elements replaced and modifies neither input. Each handle a primitive returns is
// owned by a tensor (tensorFromHandle), so it is read through `t.read` (asynchronously on a
// backend that reads only so) and freed when the case ends: the runner's leak check holds. A
// backend without the primitives fails with the reason (core composes them otherwise: declare a
// skip for the family).

const N17 = 2 ** 17;
/** Random geometries each random case draws (seeded: a failure names its view and reproduces). */
const RANDOM_VIEWS = 200;

/** The dtypes every backend stores; float64, int64 and uint8 join where supported. */
function dtypesOf(be: Backend): DType[] {
  const optional: DType[] = ['float64', 'int64', 'uint8'];
  return ['float32', 'int32', 'bool', ...optional.filter((d) => be.supportsDtype(d))];
}

/** `values` in the array core passes to `write` for `dtype` (BigInt64Array for int64, 0/1 bytes for bool). */
function arrayOf(values: ArrayLike<number>, dtype: DType): DataArray {
  switch (dtype) {
    case 'float64':
      return Float64Array.from(values);
    case 'int32':
      return Int32Array.from(values);
    case 'int64':
      return BigInt64Array.from(Array.from(values), (v) => BigInt(v));
    case 'uint8':
      return Uint8Array.from(values);
    case 'bool':
      return Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0));
    default:
      return Float32Array.from(values);
  }
}

/**
 * The backend a case runs on, with helpers whose buffers are held by tensors (the tensor over a
 * primitive's result is what a check reads), all freed when `body` ends.
 */
interface Session {
  readonly be: Backend;
  /** Uploads `values` as a `shape` buffer of `dtype`. */
  up(values: ArrayLike<number>, shape: Shape, dtype?: DType): Tensor;
  /** asStrided of `x`: the new buffer, of the view's shape. */
  view(x: TensorInfo, shape: Shape, strides: readonly number[], offset: number): Tensor;
  /** asStridedScatter of `src` into `base`: the new buffer, of `base`'s shape and dtype. */
  scatter(
    base: TensorInfo,
    src: TensorInfo,
    shape: Shape,
    strides: readonly number[],
    offset: number,
  ): Tensor;
}

function withBackend(t: Tols, body: (s: Session) => void): void {
  const be = backendByName(t.backend);
  const fn = ['asStrided', 'asStridedScatter'].filter(
    (k) => typeof (be as unknown as Record<string, unknown>)[k] !== 'function',
  );
  t.ok(
    fn.length === 0,
    `backend '${be.name}' does not implement ${fn.join(' / ')} (core's composite then serves views; declare a skip for strided/*)`,
  );
  const made: Tensor[] = [];
  // the tensor owns the handle: it is freed once, by the dispose below
  const own = (handle: unknown, shape: Shape, dtype: DType) => {
    const x = tensorFromHandle(t.backend, handle, shape, dtype);
    made.push(x);
    return x;
  };
  const s: Session = {
    be,
    up: (values, shape, dtype = 'float32') =>
      own(be.write(arrayOf(values, dtype), shape, dtype), shape, dtype),
    view: (x, shape, strides, offset) => own(be.asStrided?.(x, shape, strides, offset), shape, x.dtype),
    scatter: (base, src, shape, strides, offset) =>
      own(be.asStridedScatter?.(base, src, shape, strides, offset), base.shape, base.dtype),
  };
  try {
    body(s);
  } finally {
    for (const x of made) x.dispose();
  }
}

/**
 * Exact comparison of `got`'s flat values (read as numbers; `pick` selects some of them),
 * naming the first difference.
 */
function same(
  t: Tols,
  got: Tensor,
  want: readonly number[],
  what: string,
  pick: (values: number[]) => number[] = (v) => v,
): void {
  t.read(got, (raw) => {
    // int64 comes back as a BigInt64Array: the values here are small, so Number is exact
    const g = pick(Array.from(raw as ArrayLike<number | bigint>, Number));
    if (g.length !== want.length) {
      t.ok(false, `${what}: ${g.length} values, expected ${want.length}`);
      return;
    }
    const bad = g.findIndex((v, i) => !(v === want[i] || (Number.isNaN(v) && Number.isNaN(want[i]))));
    t.ok(
      bad < 0,
      `${what}: element ${bad} is ${g[bad]}, expected ${want[bad]}\n  got      ${JSON.stringify(g.slice(0, 40))}\n  expected ${JSON.stringify(want.slice(0, 40))}`,
    );
  });
}

/** An `n`-element buffer with zeros (so bool sees both values) and, for floats, halves. */
const bufferOf = (n: number, dtype: DType) =>
  iota(n, 1).map((v) => (v % 5 === 0 ? 0 : dtype === 'float32' || dtype === 'float64' ? v + 0.5 : v));

/** Reads each view of a 24-element buffer in every dtype and compares with the naive gather. */
function readCases(t: Tols, cases: readonly ViewCase[]): void {
  withBackend(t, (s) => {
    for (const dtype of dtypesOf(s.be)) {
      const x = bufferOf(24, dtype);
      const buf = s.up(x, [24], dtype);
      for (const [shape, strides, offset] of cases) {
        same(
          t,
          s.view(buf, shape, strides, offset),
          stored(gatherReference(x, shape, strides, offset), dtype),
          `${dtype} view [${shape}] strides [${strides}] +${offset}`,
        );
      }
      same(t, buf, stored(x, dtype), `${dtype} buffer after the reads`);
    }
  });
}

/** Writes through each view of a 14-element buffer in every dtype; checks inputs stay as they were. */
function writeCases(t: Tols, cases: readonly ViewCase[]): void {
  withBackend(t, (s) => {
    for (const dtype of dtypesOf(s.be)) {
      for (const [shape, strides, offset] of cases) {
        const base = iota(14).map((v) => (v % 3 === 0 ? 0 : v));
        const src = iota(sizeOf(shape), 100).map((v, i) => (dtype === 'bool' ? i % 2 : v));
        const want = scatterReference(base, src, shape, strides, offset);
        const b = s.up(base, [14], dtype);
        const v = s.up(src, shape, dtype);
        const what = `${dtype} write through [${shape}] strides [${strides}] +${offset}`;
        same(t, s.scatter(b, v, shape, strides, offset), stored(want, dtype), what);
        same(t, b, stored(base, dtype), `${what}: base unchanged`);
        same(t, v, stored(src, dtype), `${what}: src unchanged`);
      }
    }
  });
}

const readViews: ConformanceCase[] = [
  tcase('strided/asStrided/transpose', (t) =>
    readCases(t, [
      [[4, 6], [6, 1], 0],
      [[6, 4], [1, 6], 0],
      [[2, 4, 3], [12, 1, 4], 0],
      [[3, 2, 4], [1, 12, 3], 0],
      [[2, 2, 2, 3], [12, 6, 1, 2], 0], // rank 4, inner transpose of short rows
    ]),
  ),
  tcase('strided/asStrided/narrow-step-offset', (t) =>
    readCases(t, [
      [[3, 2], [8, 3], 1],
      [[2, 3], [6, 1], 3], // the last columns of a [4, 6] buffer
      [[3, 2], [6, 1], 10],
      [[4], [5], 0], // a diagonal
      [[5], [4], 3],
      [[3], [7], 2],
    ]),
  ),
  tcase('strided/asStrided/expand-stride-0', (t) =>
    readCases(t, [
      [[2, 3, 4], [0, 6, 1], 6],
      [[4, 5], [1, 0], 2],
      [[3, 2], [0, 0], 17],
      [[2, 2, 3], [6, 0, 3], 1],
    ]),
  ),
  tcase('strided/asStrided/overlapping-windows', (t) =>
    readCases(t, [
      [[3, 4], [2, 1], 3],
      [[5, 3], [4, 3], 1],
    ]),
  ),
  tcase('strided/asStrided/random-geometries', (t) => {
    withBackend(t, (s) => {
      const dtypes = dtypesOf(s.be);
      const rand = rng(7);
      for (let k = 0; k < RANDOM_VIEWS; k++) {
        const { size, shape, strides, offset } = randomView(rand);
        const dtype = dtypes[k % dtypes.length];
        const x = bufferOf(size, dtype);
        same(
          t,
          s.view(s.up(x, [size], dtype), shape, strides, offset),
          stored(gatherReference(x, shape, strides, offset), dtype),
          `${dtype} view [${shape}] strides [${strides}] +${offset} of ${size} elements`,
        );
      }
    });
  }),
  tcase('strided/asStrided/scalar-and-empty', (t) => {
    readCases(t, [
      [[], [], 13],
      [[1, 1], [0, 9], 23],
      [[0, 3], [3, 1], 0],
      [[3, 0], [1, 4], 23],
    ]);
  }),
  tcase('strided/asStrided/flat-whatever-shape', (t) => {
    withBackend(t, (s) => {
      // written as [3, 4], passed as the [12] storage buffer it is
      const h = s.up(iota(12), [3, 4]);
      same(
        t,
        s.view({ handle: h.handle, shape: [12], dtype: h.dtype }, [4, 3], [1, 4], 0),
        [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11],
        'transpose',
      );
      same(
        t,
        s.view({ handle: h.handle, shape: [12], dtype: h.dtype }, [3, 4], [4, 1], 0),
        iota(12),
        'the whole buffer',
      );
    });
  }),
  tcase('strided/asStrided/large-2-17', (t) => {
    withBackend(t, (s) => {
      const [R, C] = [384, 347]; // 133248 elements
      const n = R * C;
      const buf = s.up(iota(n), [n]);
      const tr = s.view(buf, [C, R], [1, C], 0);
      same(
        t,
        tr,
        iota(n).map((k) => (k % R) * C + Math.floor(k / R)),
        'transpose of [384, 347]',
      );
      const win = s.view(buf, [440, 300], [2, 1], 7);
      same(
        t,
        win,
        iota(132000).map((k) => 7 + 2 * Math.floor(k / 300) + (k % 300)),
        'windows of 300 every 2',
      );
      const bc = s.view(buf, [N17 / 256, 256], [0, 1], 100);
      same(
        t,
        bc,
        iota(N17).map((k) => 100 + (k % 256)),
        'a row broadcast to 2^17 elements',
      );
    });
  }),
];

const writeViews: ConformanceCase[] = [
  tcase('strided/asStridedScatter/transpose', (t) =>
    writeCases(t, [
      [[3, 4], [1, 3], 0],
      [[2, 3, 2], [1, 4, 2], 1],
    ]),
  ),
  tcase('strided/asStridedScatter/narrow-step-offset', (t) =>
    writeCases(t, [
      [[2, 3], [8, 2], 1],
      [[3], [4], 2], // a column
      [[3], [5], 0], // a diagonal
      [[2, 3], [3, 2], 1], // distinct, but strides that do not separate by division
    ]),
  ),
  tcase('strided/asStridedScatter/contiguous-and-scalar', (t) =>
    writeCases(t, [
      [[5], [1], 4],
      [[3], [1], 0],
      [[4], [1], 10],
      [[2, 1, 2], [6, 0, 1], 2],
      [[], [], 7],
      [[14], [1], 0], // the whole buffer
    ]),
  ),
  tcase('strided/asStridedScatter/empty', (t) => {
    withBackend(t, (s) => {
      const b = s.up([1, 2, 3], [3]);
      same(t, s.scatter(b, s.up([], [0]), [0], [1], 3), [1, 2, 3], 'nothing written');
      same(t, s.scatter(b, s.up([], [2, 0]), [2, 0], [1, 1], 0), [1, 2, 3], 'nothing written (2-D)');
    });
  }),
  tcase('strided/asStridedScatter/round-trip', (t) => {
    withBackend(t, (s) => {
      // write a view, read the same view back: src; the elements outside it: base
      const views: ViewCase[] = [
        [[3, 4], [1, 5], 2],
        [[2, 2, 3], [20, 2, 6], 1],
        [[4], [7], 3],
      ];
      for (const [shape, strides, offset] of views) {
        const base = s.up(
          iota(40).map((i) => -i),
          [40],
        );
        const out = s.scatter(base, s.up(iota(sizeOf(shape), 1), shape), shape, strides, offset);
        same(
          t,
          s.view(out, shape, strides, offset),
          iota(sizeOf(shape), 1),
          `[${shape}] [${strides}] +${offset}`,
        );
        const inView = new Set(viewPositions(shape, strides, offset));
        same(
          t,
          out,
          iota(40)
            .filter((p) => !inView.has(p))
            .map((p) => -p),
          'the rest',
          (all) => all.filter((_, p) => !inView.has(p)),
        );
      }
    });
  }),
  tcase('strided/asStridedScatter/random-distinct-views', (t) => {
    withBackend(t, (s) => {
      const dtypes = dtypesOf(s.be);
      const rand = rng(11);
      for (let k = 0; k < RANDOM_VIEWS; k++) {
        // the last quarter with dims up to 14: long rows and tiled transposes
        const { size, shape, strides, offset } = randomDistinctView(
          rand,
          k < (RANDOM_VIEWS * 3) / 4 ? 6 : 14,
        );
        const dtype = dtypes[k % dtypes.length];
        const base = iota(size).map((i) => (i * 7) % 11);
        const src = iota(sizeOf(shape)).map((i) => 50 + (i % 200)); // within uint8
        const what = `${dtype} write through [${shape}] strides [${strides}] +${offset} of ${size} elements`;
        const out = s.scatter(s.up(base, [size], dtype), s.up(src, shape, dtype), shape, strides, offset);
        same(t, out, stored(scatterReference(base, src, shape, strides, offset), dtype), what);
        same(t, s.view(out, shape, strides, offset), stored(src, dtype), `${what}: read back`);
      }
    });
  }),
  tcase('strided/asStridedScatter/large-2-17', (t) => {
    withBackend(t, (s) => {
      const [R, C] = [400, 330]; // 132000 elements
      const n = R * C;
      const b = s.up(new Array<number>(n).fill(-1), [n]);
      const src = s.up(iota(n), [C, R]);
      same(
        t,
        s.scatter(b, src, [C, R], [1, C], 0),
        iota(n).map((p) => (p % C) * R + Math.floor(p / C)),
        'write through the transpose',
      );
      same(
        t,
        s.scatter(b, s.up(new Array<number>(R).fill(7), [R]), [R], [C], 5),
        iota(n).map((p) => (p % C === 5 ? 7 : -1)),
        'write one column',
      );
      same(t, b, new Array<number>(n).fill(-1), 'base unchanged');
    });
  }),
];

/** Backend.asStrided / asStridedScatter called directly: values, dtypes, 0-d, empty, random views, 2^17. */
export const stridedCases: ConformanceCase[] = [...readViews, ...writeViews];
