import { cat, nn, type Tensor, tensor, where } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import type { Nested } from '../checks.js';

// Every primitive fed views that share storage (transposed, offset, stepped through narrow of a
// transpose, stride-0 expanded): the backend receives them through its strided read
// (`asStrided` or core's composite) and must compute what the same op computes on the plain
// values. Expected values come from the JS arrays, never from the backend.

/** A [rows, cols] matrix as a JS array with distinct, exactly representable values. */
function matrix(rows: number, cols: number, scale = 1): number[][] {
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => ((i * cols + j) % 13) * scale - 6 * scale + 0.25 * (j % 2)),
  );
}

const transposeJs = (m: number[][]): number[][] => m[0].map((_, j) => m.map((row) => row[j]));

interface Maker {
  name: string;
  /** The view, from a fresh float32 base tensor. */
  make(): Tensor;
  /** The same elements as a JS array. */
  values: number[][];
}

const M = matrix(5, 6);
const MAKERS: Maker[] = [
  { name: 'transpose', make: () => f(M).t(), values: transposeJs(M) },
  {
    name: 'narrow-of-transpose',
    make: () => f(M).t().narrow(0, 1, 3),
    values: transposeJs(M).slice(1, 4),
  },
  {
    name: 'offset-rows',
    make: () => f(M).narrow(0, 2, 3).narrow(1, 1, 4),
    values: M.slice(2, 5).map((r) => r.slice(1, 5)),
  },
  {
    name: 'expand',
    make: () => f([M[0]]).expand(4, 6),
    values: [M[0], M[0], M[0], M[0]],
  },
];

function f(data: Nested<number>): Tensor {
  return tensor(data as number[], { dtype: 'float32' });
}

const mapJs = (m: number[][], fn: (v: number) => number): number[][] => m.map((r) => r.map(fn));
const sumRows = (m: number[][]): number[] => m[0].map((_, j) => m.reduce((s, r) => s + r[j], 0));
const f32 = (v: number): number => Math.fround(v);

function casesFor(mk: Maker): ConformanceCase[] {
  const v = mk.values;
  const id = (op: string) => `views/${op}/${mk.name}`;
  return [
    tcase(id('unary'), (t) => {
      t.close(
        mk.make().exp(),
        mapJs(v, (x) => Math.exp(x)),
        'exp',
      );
      t.equal(
        mk.make().neg(),
        mapJs(v, (x) => -x),
        'neg',
      );
      t.equal(
        mk.make().relu(),
        mapJs(v, (x) => Math.max(x, 0)),
        'relu',
      );
      t.close(
        mk.make().sigmoid(),
        mapJs(v, (x) => 1 / (1 + Math.exp(-x))),
        'sigmoid',
      );
    }),
    tcase(id('binary'), (t) => {
      const plain = f(v);
      t.equal(
        mk.make().add(plain),
        mapJs(v, (x) => 2 * x),
        'view + plain',
      );
      t.equal(
        plain.mul(mk.make()),
        mapJs(v, (x) => f32(x * x)),
        'plain * view',
      );
      t.equal(
        mk.make().sub(mk.make()),
        mapJs(v, () => 0),
        'view - view',
      );
      t.equal(
        mk.make().maximum(f(0)),
        mapJs(v, (x) => Math.max(x, 0)),
        'maximum',
      );
      t.equal(
        mk.make().gt(0),
        mapJs(v, (x) => (x > 0 ? 1 : 0)).map((r) => r.map(Boolean)),
        'gt',
      );
      t.equal(
        mk.make().add(f([1, 2, 3, 4, 5, 6].slice(0, v[0].length))),
        v.map((r) => r.map((x, j) => x + j + 1)),
      );
    }),
    tcase(id('where'), (t) => {
      const c = mk.make().gt(0);
      t.equal(
        where(c, mk.make(), f(-1)),
        mapJs(v, (x) => (x > 0 ? x : -1)),
      );
    }),
    tcase(id('reduce'), (t) => {
      t.close(mk.make().sum(0), sumRows(v), 'sum(0)');
      t.close(
        mk.make().sum(1),
        v.map((r) => r.reduce((a, b) => a + b, 0)),
        'sum(1)',
      );
      t.equal(
        mk.make().amax(1),
        v.map((r) => Math.max(...r)),
        'amax(1)',
      );
      const arg = v.map((r) => r.indexOf(Math.max(...r)));
      t.equal(mk.make().argmax(1), arg, 'argmax(1)');
    }),
    tcase(id('softmax'), (t) => {
      const want = v.map((r) => {
        const m = Math.max(...r);
        const e = r.map((x) => Math.exp(x - m));
        const s = e.reduce((a, b) => a + b, 0);
        return e.map((x) => x / s);
      });
      t.close(mk.make().softmax(1), want, 'softmax(1)');
      t.close(mk.make().logSoftmax(1), mapJs(want, Math.log), 'logSoftmax(1)');
    }),
    tcase(id('matmul'), (t) => {
      const w = matrix(v[0].length, 3, 0.5);
      const want = v.map((r) => w[0].map((_, j) => r.reduce((s, x, k) => s + x * w[k][j], 0)));
      t.close(mk.make().matmul(f(w)), want, 'view @ plain');
      const wantT = transposeJs(want);
      t.close(f(transposeJs(w)).matmul(mk.make().t()), wantT, 'plain @ view.t()');
    }),
    tcase(id('movement'), (t) => {
      t.equal(mk.make().contiguous(), v, 'contiguous');
      t.equal(mk.make().clone(), v, 'clone');
      t.equal(mk.make().reshape([-1]), v.flat(), 'reshape');
      t.equal(mk.make().t(), transposeJs(v), 't() of a view');
      t.equal(
        mk.make().unsqueeze(0).expand(2, v.length, v[0].length).sum(0),
        mapJs(v, (x) => 2 * x),
        'expand',
      );
      const idx = tensor(
        v.map((r) => r.map((_, j) => (j * 7) % r.length)),
        { dtype: 'int32' },
      );
      t.equal(
        mk.make().gather(1, idx),
        v.map((r) => r.map((_, j) => r[(j * 7) % r.length])),
        'gather',
      );
    }),
    tcase(id('cast'), (t) => {
      t.equal(mk.make().int(), mapJs(v, Math.trunc), 'int()');
    }),
  ];
}

/** Writes through views reach the base, and only the view's elements. */
const writeCases: ConformanceCase[] = [
  tcase('views/write/transpose', (t) => {
    const x = f(M);
    x.t().narrow(0, 1, 2).mul_(10);
    t.equal(
      x,
      M.map((r) => r.map((v, j) => (j === 1 || j === 2 ? f32(v * 10) : v))),
    );
  }),
  tcase('views/write/rows-and-columns', (t) => {
    const x = f(M);
    x.narrow(0, 1, 2).narrow(1, 2, 3).fill_(7);
    x.narrow(1, 0, 1).zero_();
    t.equal(
      x,
      M.map((r, i) => r.map((v, j) => (j === 0 ? 0 : i >= 1 && i <= 2 && j >= 2 && j <= 4 ? 7 : v))),
    );
  }),
  tcase('views/write/copy-from-view', (t) => {
    const x = f(M);
    const src = f(M).t().narrow(1, 0, 5).narrow(0, 0, 5);
    x.narrow(1, 0, 5).copy_(src);
    const tm = transposeJs(M);
    t.equal(
      x,
      M.map((r, i) => r.map((v, j) => (j < 5 ? tm[i][j] : v))),
    );
  }),
];

/** The kernels with several inputs or a spatial layout, fed permuted and offset views. */
const kernelCases: ConformanceCase[] = [
  tcase('views/cat/views', (t) => {
    const a = f(M).t(); // [6, 5]
    const b = f(M).narrow(0, 0, 2).t(); // [6, 2]
    const tm = transposeJs(M);
    t.equal(
      cat([a, b], 1),
      tm.map((r, i) => [...r, ...tm[i].slice(0, 2)]),
      'cat along 1',
    );
    t.equal(cat([a.narrow(0, 4, 2), a.narrow(0, 0, 1)], 0), [tm[4], tm[5], tm[0]], 'cat along 0');
  }),
  tcase('views/pad/transpose', (t) => {
    const y = nn.functional.pad(f(M).narrow(1, 0, 2).t(), [1, 0]);
    t.equal(y, [
      [0, ...M.map((r) => r[0])],
      [0, ...M.map((r) => r[1])],
    ]);
  }),
  tcase('views/scatter-add/views', (t) => {
    const target = f(M).t().narrow(0, 0, 2); // [2, 5]
    const src = f(M).narrow(0, 0, 2).t(); // [6, 2]
    const s = src.narrow(0, 0, 2).t(); // [2, 2], s[a][b] = M[a][b]
    const idx = tensor(
      [
        [4, 0],
        [1, 1],
      ],
      { dtype: 'int32' },
    );
    const tm = transposeJs(M);
    const want = [tm[0].slice(), tm[1].slice()];
    // s[a][b] = M[a][b]; target[i][idx[i][j]] += s[i][j]
    want[0][4] += M[0][0];
    want[0][0] += M[0][1];
    want[1][1] += M[1][0] + M[1][1];
    t.close(target.scatterAdd(1, idx, s), want);
  }),
  tcase('views/conv-pool/nhwc-permuted', (t) => {
    // A channels-last [1, 4, 5, 2] buffer permuted to NCHW [1, 2, 4, 5]: conv2d and max pooling
    // read it through the strided primitive.
    const H = 4;
    const W = 5;
    const nhwc = Array.from({ length: H }, (_, h) =>
      Array.from({ length: W }, (_, w) => [h * W + w - 9, ((h + 2 * w) % 7) - 3]),
    );
    const x = f([nhwc]).permute(0, 3, 1, 2);
    const plane = (c: number) => nhwc.map((row) => row.map((px) => px[c]));
    const [p0, p1] = [plane(0), plane(1)];
    // 2x2 kernel, weights 1 on channel 0 and -1 on channel 1, no bias.
    const w = f([
      [
        [
          [1, 1],
          [1, 1],
        ],
        [
          [-1, -1],
          [-1, -1],
        ],
      ],
    ]);
    const conv = Array.from({ length: H - 1 }, (_, i) =>
      Array.from({ length: W - 1 }, (_, j) => {
        let s = 0;
        for (const [di, dj] of [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ])
          s += p0[i + di][j + dj] - p1[i + di][j + dj];
        return s;
      }),
    );
    t.close(nn.functional.conv2d(x, w), [[conv]], 'conv2d');
    const pool = (p: number[][]) =>
      [0, 2].map((i) => [0, 2].map((j) => Math.max(p[i][j], p[i][j + 1], p[i + 1][j], p[i + 1][j + 1])));
    t.equal(nn.functional.maxPool2d(x, 2), [[pool(p0), pool(p1)]], 'maxPool2d');
  }),
];

/** A transposed view of 2^17 elements: read, reduced and written through (realistic size). */
const sizeCases: ConformanceCase[] = [
  tcase('views/size/transpose-131072', (t) => {
    const rows = 512;
    const cols = 256;
    const data = new Float32Array(rows * cols);
    for (let i = 0; i < data.length; i++) data[i] = (i % 7) - 3;
    const x = tensor(data).reshape(rows, cols);
    const y = x.t();
    // Column sums of x are row sums of y: each column j holds (i*cols + j) % 7 - 3 over i.
    const want = Array.from({ length: cols }, (_, j) => {
      let s = 0;
      for (let i = 0; i < rows; i++) s += ((i * cols + j) % 7) - 3;
      return s;
    });
    t.equal(y.sum(1), want, 'sum over the transposed view');
    y.add_(1);
    t.item(x.sum(), data.reduce((a, b) => a + b, 0) + rows * cols, 'sum after a write through the view');
    t.equal(
      x
        .narrow(0, rows - 1, 1)
        .reshape(-1)
        .narrow(0, cols - 3, 3),
      [((rows * cols - 3) % 7) - 2, ((rows * cols - 2) % 7) - 2, ((rows * cols - 1) % 7) - 2],
    );
  }),
];

export const viewCases: ConformanceCase[] = [
  ...MAKERS.flatMap(casesFor),
  ...kernelCases,
  ...writeCases,
  ...sizeCases,
];
