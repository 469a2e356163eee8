import { type ConformanceCase, tcase } from '../case.js';
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
