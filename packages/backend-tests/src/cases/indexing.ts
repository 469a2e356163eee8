import { type Tensor, tensor, where, zeros } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import type { Nested, Tols } from '../checks.js';
import { f32 } from './data.js';

const M = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
];
const idx = (v: number[] | number[][]) => f32(v, { dtype: 'int32' });

/** gather and indexSelect, on contiguous and transposed inputs, with range errors. */
export const indexingCases: ConformanceCase[] = [
  tcase('indexing/indexSelect/rows', (t) => {
    t.equal(f32(M).indexSelect(0, idx([2, 0])), [
      [7, 8, 9],
      [1, 2, 3],
    ]);
  }),
  tcase('indexing/indexSelect/columns-repeated', (t) => {
    t.equal(f32(M).indexSelect(1, idx([1, 1, 0])), [
      [2, 2, 1],
      [5, 5, 4],
      [8, 8, 7],
    ]);
    t.equal(f32(M).indexSelect(-1, idx([2])), [[3], [6], [9]]);
  }),
  tcase('indexing/indexSelect/empty-index', (t) => {
    t.shape(f32(M).indexSelect(0, idx([])), [0, 3]);
  }),
  tcase('indexing/indexSelect/int32-source', (t) => {
    const y = f32([10, 20, 30], { dtype: 'int32' }).indexSelect(0, idx([2, 2, 0]));
    t.dtype(y, 'int32');
    t.equal(y, [30, 30, 10]);
  }),
  tcase('indexing/indexSelect/non-contiguous', (t) => {
    t.equal(
      f32(M)
        .transpose(0, 1)
        .indexSelect(0, idx([0, 2])),
      [
        [1, 4, 7],
        [3, 6, 9],
      ],
    );
  }),
  tcase('indexing/indexSelect/out-of-range', (t) => {
    t.throws(() => f32(M).indexSelect(0, idx([0, 3])), [/indexSelect/, /\b3\b/]);
  }),
  tcase('indexing/gather/dim1', (t) => {
    // torch.gather docs: gather([[1,2],[3,4]], 1, [[0,0],[1,0]]) = [[1,1],[4,3]]
    const y = f32([
      [1, 2],
      [3, 4],
    ]).gather(
      1,
      idx([
        [0, 0],
        [1, 0],
      ]),
    );
    t.equal(y, [
      [1, 1],
      [4, 3],
    ]);
  }),
  tcase('indexing/gather/dim0', (t) => {
    t.equal(f32(M).gather(0, idx([[2, 0, 1]])), [[7, 2, 6]]);
  }),
  tcase('indexing/gather/smaller-index', (t) => {
    // index may be smaller than the input along non-gathered dims: picks one label per row
    t.equal(f32(M).gather(1, idx([[2], [0]])), [[3], [4]]);
    t.equal(f32(M).gather(-1, idx([[0], [1], [2]])), [[1], [5], [9]]);
  }),
  tcase('indexing/gather/non-contiguous', (t) => {
    // transpose: [[1,4,7],[2,5,8],[3,6,9]]
    t.equal(
      f32(M)
        .transpose(0, 1)
        .gather(1, idx([[2], [0], [1]])),
      [[7], [2], [6]],
    );
  }),
  tcase('indexing/gather/out-of-range', (t) => {
    t.throws(() => f32(M).gather(1, idx([[0], [5], [1]])), [/gather/, /\b5\b/]);
  }),
];

// ---- Python indexing (x[idx], x[idx] = v), the masked/scatter family, nonzero, take, iteration.

const G = [
  [0, 1, 2, 3],
  [4, 5, 6, 7],
  [8, 9, 10, 11],
];
const N17 = 2 ** 17;

/** Frees a leaf's gradient (exempt from tidy) after checking it. */
function gradOf(t: Tols, x: Tensor, want: Nested<number>, what: string): void {
  t.ok(x.grad !== null, `${what}: grad is null`);
  t.close(x.grad!, want, what);
  x.grad!.dispose();
}

const pyIndexCases: ConformanceCase[] = [
  tcase('indexing/index/basic-view-writes-through', (t) => {
    const x = f32(G);
    const v = x.index('1:', '::2');
    t.equal(v, [
      [4, 6],
      [8, 10],
    ]);
    v.fill_(-1);
    x.index(0).fill_(7);
    t.equal(x, [
      [7, 7, 7, 7],
      [-1, 5, -1, 7],
      [-1, 9, -1, 11],
    ]);
    t.equal(x.index(null, -1, '...', null), [[[-1], [9], [-1], [11]]]);
  }),
  tcase('indexing/index/advanced-shapes', (t) => {
    const x = f32(G);
    t.equal(x.index([2, 0], [3, 1]), [11, 1]);
    t.equal(x.index(':', [0, 0, 3]), [
      [0, 0, 3],
      [4, 4, 7],
      [8, 8, 11],
    ]);
    t.equal(x.index([[1], [2]], [0, 3]), [
      [4, 7],
      [8, 11],
    ]);
    t.equal(x.index(idx([-1]), '1:3'), [[9, 10]]);
    t.equal(x.index(null, [0, 2], 1), [[1, 9]]);
    t.shape(x.index([]), [0, 4]);
  }),
  tcase('indexing/index/mask', (t) => {
    const x = f32(G);
    t.equal(x.index(x.gt(8)), [9, 10, 11]);
    t.equal(x.index([true, false, true], 2), [2, 10]);
    t.equal(x.index(':', f32([1, 0, 0, 1]).gt(0)), [
      [0, 3],
      [4, 7],
      [8, 11],
    ]);
  }),
  tcase('indexing/index/grad-repeats', (t) => {
    const x = f32([1, 2, 3], { requiresGrad: true });
    x.index([2, 0, 2])
      .mul(f32([1, 10, 100]))
      .sum()
      .backward();
    gradOf(t, x, [10, 0, 101], 'gradient adds at repeated indices');
  }),
  tcase('indexing/index/out-of-range', (t) => {
    t.throws(() => f32(G).index(':', 4), [/index 4 is out of bounds for dimension 1 with size 4/]);
    t.throws(() => f32(G).index([0, -4]), [/index -4 is out of bounds for dimension 0 with size 3/]);
  }),
  tcase('indexing/indexPut/basic-and-mask', (t) => {
    const x = f32(G);
    x.indexPut_(['1:', 0], f32([-1, -2]));
    x.indexPut_([x.gt(9)], 0);
    t.equal(x, [
      [0, 1, 2, 3],
      [-1, 5, 6, 7],
      [-2, 9, 0, 0],
    ]);
  }),
  tcase('indexing/indexPut/accumulate-duplicates', (t) => {
    const x = f32([0, 0, 0, 0]);
    x.indexPut_([[1, 3, 1, 1]], f32([1, 2, 3, 4]), true);
    t.equal(x, [0, 8, 0, 2]);
    const y = f32([0, 0, 0]);
    y.indexPut_([[2, 2]], f32([5, 6]));
    t.equal(y, [0, 0, 6], 'without accumulate the last value wins');
  }),
  tcase('indexing/indexPut/grad', (t) => {
    const a = f32([1, 2, 3], { requiresGrad: true });
    const v = f32([5, 6], { requiresGrad: true });
    const y = a.mul(1);
    y.indexPut_([[0, 2]], v);
    y.mul(f32([1, 2, 3]))
      .sum()
      .backward();
    gradOf(t, a, [0, 2, 0], 'x: zero where written');
    gradOf(t, v, [1, 3], 'values: gradient at their positions');
  }),
  tcase('indexing/masked/fill-select-scatter', (t) => {
    const x = f32(G);
    const m = f32([1, 0, 1, 0]).gt(0);
    t.equal(x.maskedFill(m, 9).index(0), [9, 1, 9, 3]);
    t.equal(x.maskedSelect(m), [0, 2, 4, 6, 8, 10]);
    t.equal(x.maskedScatter(x.lt(3), f32([10, 20, 30, 40])).index(0), [10, 20, 30, 3]);
    const y = f32([1, 2, 3]);
    y.maskedFill_(y.ge(2), -1);
    t.equal(y, [1, -1, -1]);
  }),
  tcase('indexing/masked/select-grad', (t) => {
    const x = f32([1, -2, 3, -4], { requiresGrad: true });
    x.maskedSelect(x.detach().gt(0))
      .mul(f32([2, 3]))
      .sum()
      .backward();
    gradOf(t, x, [2, 0, 3, 0], 'gradient lands on the selected elements');
  }),
  tcase('indexing/nonzero/and-where', (t) => {
    const x = f32([
      [0, 2],
      [3, 0],
    ]);
    const nz = x.nonzero();
    t.ok(nz.dtype === 'int64' || nz.dtype === 'int32', `nonzero dtype ${nz.dtype}`);
    t.equal(nz, [
      [0, 1],
      [1, 0],
    ]);
    const [r, c] = where(x.ne(0));
    t.equal(r!, [0, 1]);
    t.equal(c!, [1, 0]);
  }),
  tcase('indexing/indexAdd/duplicates-alpha', (t) => {
    const x = f32([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    t.equal(
      x.indexAdd(
        0,
        idx([2, 0, 2]),
        f32([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        2,
      ),
      [
        [7, 9],
        [1, 1],
        [13, 17],
      ],
    );
  }),
  tcase('indexing/indexCopy/and-indexFill', (t) => {
    const x = f32(G);
    t.equal(
      x.indexCopy(
        1,
        idx([3, 0]),
        f32([
          [-1, -2],
          [-3, -4],
          [-5, -6],
        ]),
      ),
      [
        [-2, 1, 2, -1],
        [-4, 5, 6, -3],
        [-6, 9, 10, -5],
      ],
    );
    t.equal(x.indexFill(0, idx([-1]), 0).index(2), [0, 0, 0, 0]);
  }),
  tcase('indexing/scatter/src-value-reduce', (t) => {
    const z = f32([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    t.equal(
      z.scatter(
        1,
        idx([
          [2, 0],
          [1, 1],
        ]),
        f32([
          [1, 2],
          [3, 4],
        ]),
      ),
      [
        [2, 0, 1],
        [0, 4, 0],
      ],
    );
    t.equal(z.scatter(0, idx([[1, 0, 1]]), 5), [
      [0, 5, 0],
      [5, 0, 5],
    ]);
    t.equal(z.scatter(1, idx([[0, 0, 2]]), f32([[1, 2, 3]]), 'add').index(0), [3, 0, 3]);
  }),
  tcase('indexing/scatterReduce/modes', (t) => {
    const base = f32([1, 2, 3, 4]);
    const s = f32([1, 2, 3, 4, 5, 6]);
    const i = idx([0, 1, 0, 1, 2, 1]);
    t.equal(base.scatterReduce(0, i, s, 'sum'), [5, 14, 8, 4]);
    t.equal(base.scatterReduce(0, i, s, 'prod'), [3, 96, 15, 4]);
    t.equal(base.scatterReduce(0, i, s, 'mean', { includeSelf: false }), [2, 4, 5, 4]);
    t.equal(base.scatterReduce(0, i, s, 'amax'), [3, 6, 5, 4]);
    t.equal(base.scatterReduce(0, i, s, 'amin', { includeSelf: false }), [1, 2, 5, 4]);
  }),
  tcase('indexing/take/and-takeAlongDim', (t) => {
    const x = f32(G);
    t.equal(
      x.take(
        idx([
          [0, -1],
          [5, 6],
        ]),
      ),
      [
        [0, 11],
        [5, 6],
      ],
    );
    t.equal(x.takeAlongDim(idx([[3], [0], [1]]), 1), [[3], [4], [9]]);
  }),
  tcase('indexing/iteration/rows-are-views', (t) => {
    const x = f32(G);
    let n = 0;
    for (const row of x) {
      row.mul_(2);
      n++;
    }
    t.ok(n === 3, `iterated ${n} rows, expected 3`);
    t.equal(x.index(2), [16, 18, 20, 22]);
    t.equal(x.unbind(1)[3]!, [6, 14, 22]);
    t.equal(x.diagonal(), [0, 10, 20]);
    t.equal(x.select(1, -1), [6, 14, 22]);
    t.equal(x.index(0).unfold(0, 2, 2), [
      [0, 2],
      [4, 6],
    ]);
    t.throws(() => [...f32(1)], [/iteration over a 0-d tensor/]);
  }),
  tcase('indexing/index/mask-select-2-17', (t) => {
    // A boolean mask over 131072 elements: every third element is kept, in order.
    const x = tensor(Float32Array.from({ length: N17 }, (_, i) => i));
    const keep = Array.from({ length: N17 }, (_, i) => i % 3 === 0);
    const m = tensor(keep);
    const y = x.index(m);
    const want = Array.from({ length: Math.ceil(N17 / 3) }, (_, k) => 3 * k);
    t.equal(y, want);
    t.equal(x.maskedSelect(m), want, 'maskedSelect');
    const z = zeros([N17]);
    z.indexPut_([m], 1);
    t.item(z.sum(), want.length, 'indexPut_ over the mask');
  }),
  tcase('indexing/index/mask-grad-2-17', (t) => {
    // The gradient of a mask select over 131072 elements lands on the kept ones only.
    const x = zeros([N17], { requiresGrad: true });
    const m = tensor(Array.from({ length: N17 }, (_, i) => i % 4 === 1));
    x.index(m).mul(2).sum().backward();
    const g = x.grad!;
    t.item(g.sum(), (N17 / 4) * 2, 'sum of the gradient');
    t.equal(g.index('0:8'), [0, 2, 0, 0, 0, 2, 0, 0]);
    t.equal(g.index(`${N17 - 4}:`), [0, 2, 0, 0]);
    g.dispose();
  }),
];

indexingCases.push(...pyIndexCases);
