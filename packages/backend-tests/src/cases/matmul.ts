import { zeros } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { f32 } from './data.js';

const A = [
  [1, 2, 3],
  [4, 5, 6],
];
const B = [
  [7, 8],
  [9, 10],
  [11, 12],
];
const AB = [
  [58, 64],
  [139, 154],
];
// A selects rows 0, 1 of B; I32 is the leading 2x2 identity padded to 3 rows
const SEL = [
  [1, 0, 0],
  [0, 1, 0],
];
const I32 = [
  [1, 0],
  [0, 1],
  [0, 0],
];

/** Small integer matrices whose products are exact in float32 (a naive reference loop). */
function grid(rows: number, cols: number, f: (i: number, j: number) => number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => f(i, j)));
}
function product(a: number[][], b: number[][]): number[][] {
  return grid(a.length, b[0].length, (i, j) => a[i].reduce((s, v, k) => s + v * b[k][j], 0));
}

/** matmul in every rank combination, with transposed operands, batch broadcasting and K = 0. */
export const matmulCases: ConformanceCase[] = [
  tcase('matmul/vector/dot', (t) => {
    const y = f32([1, 2, 3]).matmul(f32([4, 5, 6]));
    t.equal(y, 32);
  }),
  tcase('matmul/vector/matrix-vector', (t) => {
    t.equal(f32(A).matmul(f32([1, 0, -1])), [-2, -2]);
    t.equal(f32([1, 2]).matmul(f32(A)), [9, 12, 15]);
  }),
  tcase('matmul/matrix/2x3-3x2', (t) => {
    t.equal(f32(A).matmul(f32(B)), AB);
  }),
  tcase('matmul/matrix/blocked-sizes', (t) => {
    // sizes that are not multiples of any SIMD width or tile, to hit every remainder path
    const a = grid(37, 65, (i, k) => ((i + k) % 5) - 2);
    const b = grid(65, 29, (k, j) => ((k * j) % 3) - 1);
    t.equal(f32(a).matmul(f32(b)), product(a, b));
  }),
  tcase('matmul/batched/same-batch', (t) => {
    t.equal(f32([A, SEL]).matmul(f32([B, B])), [
      AB,
      [
        [7, 8],
        [9, 10],
      ],
    ]);
  }),
  tcase('matmul/batched/broadcast-batch', (t) => {
    // [2,2,3] @ [3,2] and [1,2,3] @ [2,3,2]
    t.equal(f32([A, SEL]).matmul(f32(B)), [
      AB,
      [
        [7, 8],
        [9, 10],
      ],
    ]);
    t.equal(f32([A]).matmul(f32([B, I32])), [
      AB,
      [
        [1, 2],
        [4, 5],
      ],
    ]);
  }),
  tcase('matmul/batched/4d', (t) => {
    // [2,1,2,3] @ [3,2] → [2,1,2,2]
    t.equal(f32([[A], [SEL]]).matmul(f32(B)), [
      [AB],
      [
        [
          [7, 8],
          [9, 10],
        ],
      ],
    ]);
  }),
  tcase('matmul/transposed/operands', (t) => {
    const at = f32(A).transpose(0, 1); // [3,2]
    t.equal(at.matmul(f32(A)), [
      [17, 22, 27],
      [22, 29, 36],
      [27, 36, 45],
    ]);
    t.equal(f32(A).matmul(at), [
      [14, 32],
      [32, 77],
    ]);
    const bt = f32(B).transpose(0, 1); // [2,3]
    t.equal(f32(A).matmul(bt.transpose(0, 1)), AB);
    t.equal(bt.transpose(0, 1).transpose(0, 1).matmul(f32(A).transpose(0, 1)), [
      [58, 139],
      [64, 154],
    ]);
  }),
  tcase('matmul/transposed/batched', (t) => {
    const bs = f32([B, I32]).transpose(-1, -2); // [2,2,3]
    t.equal(f32([A, A]).matmul(bs.transpose(1, 2)), [
      AB,
      [
        [1, 2],
        [4, 5],
      ],
    ]);
  }),
  tcase('matmul/empty/k-zero', (t) => {
    t.equal(zeros([2, 0]).matmul(zeros([0, 3])), [
      [0, 0, 0],
      [0, 0, 0],
    ]);
    t.equal(zeros([0]).matmul(zeros([0])), 0);
  }),
  tcase('matmul/empty/m-zero', (t) => {
    t.shape(zeros([0, 3]).matmul(f32(B)), [0, 2]);
    t.shape(zeros([2, 0, 3]).matmul(f32(B)), [2, 0, 2]);
  }),
  tcase('matmul/errors/inner-mismatch', (t) => {
    t.throws(
      () => zeros([2, 3]).matmul(zeros([4, 5])),
      /matmul: shapes \[2, ?3\] and \[4, ?5\] cannot be multiplied \(3 != 4\)/,
    );
  }),
];
