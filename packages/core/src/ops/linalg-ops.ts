// The op-table area (ops/table.ts) of the products, diagonals, distances, grids and sampling
// ops: their entries give the Tensor methods (`x.mm(y)`, `x.diag(1)`, `p.multinomial(3)`), the
// PyTorch fixtures (values and gradients), gradcheck and the `table/*` conformance cases. The
// functions live in products.ts, diag.ts, cdist.ts, grids.ts and random-ops.ts; einsum, the
// `linalg` norms (names PyTorch nests in a namespace) and the other random functions are
// exported by index.ts and checked by their own fixture suite (fixtures/linalg.json).
// multinomial and bernoulli draw from our generator, not PyTorch's: their table cases are the
// calls PyTorch refuses; their distributions are tested in random-ops.test.ts.
import { cdist } from './cdist.js';
import { diag, diagEmbed, trace } from './diag.js';
import { cartesianProd, meshgrid } from './grids.js';
import { bmm, dot, mm, outer } from './products.js';
import { bernoulli, multinomial } from './random-ops.js';
import { c, defineOps, type TableMethods, t, v } from './table.js';

export {
  bernoulli,
  bmm,
  cartesianProd,
  cdist,
  diag,
  diagEmbed,
  dot,
  meshgrid,
  mm,
  multinomial,
  outer,
  trace,
};

const i64 = { dtype: 'int64' } as const;
const i32 = { dtype: 'int32' } as const;
const refused = { throws: true };

const OPS = defineOps({
  mm: {
    fn: mm,
    cases: [
      c('2d', [t([3, 4]), t([4, 5])]),
      c('transposed', [t([3, 4], 'normal', { transposed: true }), t([4, 2])]),
      c('int64', [t([2, 3], 'smallint', i64), t([3, 4], 'smallint', i64)]),
      c('int32', [t([2, 3], 'smallint', i32), t([3, 2], 'smallint', i32)]),
      c('shape-mismatch', [t([2, 3]), t([4, 2])], [], undefined, refused),
      c('3d', [t([2, 2, 3]), t([3, 4])], [], undefined, refused),
    ],
  },
  bmm: {
    fn: bmm,
    cases: [
      c('3d', [t([2, 3, 4]), t([2, 4, 5])]),
      c('transposed', [t([2, 3, 4], 'normal', { transposed: true }), t([2, 4, 2])]),
      c('int32', [t([2, 2, 3], 'smallint', i32), t([2, 3, 2], 'smallint', i32)]),
      c('no-broadcast', [t([1, 2, 3]), t([2, 3, 4])], [], undefined, refused),
      c('2d', [t([2, 3]), t([3, 4])], [], undefined, refused),
    ],
  },
  dot: {
    fn: dot,
    cases: [
      c('1d', [t([5]), t([5])]),
      c('int64', [t([4], 'smallint', i64), t([4], 'smallint', i64)]),
      c('length-mismatch', [t([3]), t([4])], [], undefined, refused),
      c('2d', [t([3, 1]), t([3])], [], undefined, refused),
    ],
  },
  outer: {
    fn: outer,
    cases: [
      c('1d', [t([3]), t([4])]),
      c('int-float', [t([3], 'smallint', i64), t([2])]),
      c('2d', [t([2, 2]), t([3])], [], undefined, refused),
    ],
  },
  diag: {
    fn: diag,
    cases: [
      c('vector', [t([4])]),
      c('vector-above', [t([3])], [1]),
      c('vector-below', [t([3])], [-2]),
      c('matrix', [t([3, 4])]),
      c('matrix-above', [t([3, 4])], [1]),
      c('matrix-below', [t([4, 3])], [-1]),
      c('matrix-transposed', [t([3, 3], 'normal', { transposed: true })], [1]),
      c('int64', [t([3], 'smallint', i64)], [1]),
      c('3d', [t([2, 2, 2])], [], undefined, refused),
    ],
  },
  diagEmbed: {
    fn: diagEmbed,
    cases: [
      c('2d', [t([2, 3])]),
      c('1d', [t([3])]),
      c('offset-dims', [t([2, 3])], [1, 0, 2]),
      c('below-dims-reversed', [t([2, 3])], [-1, 2, 0]),
      c('kwargs', [t([2, 2])], [], { offset: 2, dim1: -1, dim2: 0 }),
      c('same-dims', [t([2, 3])], [0, 1, 1], undefined, refused),
    ],
  },
  trace: {
    fn: trace,
    cases: [
      c('square', [t([3, 3])]),
      c('wide', [t([3, 5])]),
      // Values only: PyTorch 1.13's trace backward of a tall matrix also writes the gradient to
      // flat index 2·(cols + 1) (here [3, 0]), outside the diagonal; ours is the true gradient
      // (gradcheck of the wide and square cases).
      c('tall', [t([4, 2])], [], undefined, { noGrad: true }),
      c('int32', [t([3, 3], 'smallint', i32)]),
      c('1d', [t([3])], [], undefined, refused),
      c('bool', [t([2, 2], 'bool')], [], undefined, refused),
    ],
  },
  cdist: {
    fn: cdist,
    method: false,
    cases: [
      c('p2', [t([3, 4]), t([5, 4])]),
      c('p1', [t([3, 4]), t([5, 4])], [1]),
      c('p-inf', [t([3, 4]), t([2, 4])], [Number.POSITIVE_INFINITY]),
      c('p0', [t([3, 4]), t([2, 4])], [0]),
      c('p0-equal-coordinates', [t([3, 4], 'smallint'), t([2, 4], 'smallint')], [0], undefined, {
        noGrad: true,
      }),
      c('p0.5', [t([3, 2]), t([4, 2])], [0.5]),
      c('p3', [t([3, 2]), t([4, 2])], [3]),
      c('batch', [t([2, 3, 4]), t([2, 5, 4])]),
      c('batch-broadcast', [t([2, 1, 3, 2]), t([3, 4, 2])], [1.5]),
      // More than 25 rows: PyTorch's (and our) matrix-product formula.
      c('p2-by-product', [t([26, 2]), t([3, 2])]),
      c('p2-forced-product', [t([3, 4]), t([2, 4])], [2, 'use_mm_for_euclid_dist']),
      c('p2-pairwise', [t([30, 3]), t([4, 3])], [2], { computeMode: 'donot_use_mm_for_euclid_dist' }),
      // noGrad: gradcheck cannot perturb empty inputs (the gradients are empty anyway).
      c('no-columns', [t([3, 0]), t([2, 0])], [], undefined, { noGrad: true }),
      c('int', [t([2, 3], 'smallint', i64), t([2, 3], 'smallint', i64)], [], undefined, refused),
      c('columns-mismatch', [t([2, 3]), t([2, 4])], [], undefined, refused),
      c('negative-p', [t([2, 3]), t([2, 3])], [-1], undefined, refused),
    ],
  },
  meshgrid: {
    fn: meshgrid,
    method: false,
    cases: [
      c('ij', [t([3]), t([4])], [], { indexing: 'ij' }),
      c('xy', [t([3]), t([4])], [], { indexing: 'xy' }),
      c('xy-three', [t([2]), t([3]), t([4])], [], { indexing: 'xy' }),
      c('scalar', [t([]), t([3])], [], { indexing: 'ij' }),
      c('one', [t([3])], [], { indexing: 'xy' }),
      c('default-ij', [t([2]), t([3], 'normal')]),
      c('int64', [t([2], 'smallint', i64), t([3], 'smallint', i64)], [], { indexing: 'xy' }),
      c('2d', [t([2, 2]), t([3])], [], { indexing: 'ij' }, refused),
    ],
  },
  cartesianProd: {
    fn: cartesianProd,
    method: false,
    cases: [
      c('two', [t([2]), t([3])]),
      c('three', [t([2]), t([2]), t([3])]),
      c('one', [t([4])]),
      c('int64', [t([3], 'smallint', i64), t([2], 'smallint', i64)]),
      c('2d', [t([2, 2]), t([3])], [], undefined, refused),
    ],
  },
  multinomial: {
    fn: multinomial,
    grad: false,
    cases: [
      c('int64', [t([3], 'smallint', i64)], [1], undefined, refused),
      c('3d', [t([2, 2, 2], 'positive')], [1], undefined, refused),
      c('too-many-without-replacement', [t([3], 'positive')], [4], undefined, refused),
      c('negative-weight', [v([-1, 1])], [1], undefined, refused),
      c('zero-samples', [t([3], 'positive')], [0], undefined, refused),
    ],
  },
  bernoulli: {
    fn: bernoulli,
    grad: false,
    cases: [
      c('probability-above-1', [v([0.5, 1.5])], [], undefined, refused),
      c('int64-probabilities', [t([3], 'smallint', i64)], [], undefined, refused),
      c('p-above-1', [t([3])], [1.5], undefined, refused),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./linalg-ops.js'), typeof OPS> {}
}
