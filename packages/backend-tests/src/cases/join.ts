import { cat, stack, zeros } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { f32 } from './data.js';

const A = [
  [1, 2],
  [3, 4],
];
const B = [[5, 6]];

/** cat and stack along every position, with empty inputs and non-contiguous parts. */
export const joinCases: ConformanceCase[] = [
  tcase('join/cat/dim0', (t) => {
    t.equal(cat([f32(A), f32(B)], 0), [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  }),
  tcase('join/cat/dim1', (t) => {
    t.equal(cat([f32(A), f32([[9], [8]])], 1), [
      [1, 2, 9],
      [3, 4, 8],
    ]);
    t.equal(cat([f32(A), f32(A)], -1), [
      [1, 2, 1, 2],
      [3, 4, 3, 4],
    ]);
  }),
  tcase('join/cat/three-inputs', (t) => {
    t.equal(cat([f32([1]), f32([2, 3]), f32([4, 5, 6])], 0), [1, 2, 3, 4, 5, 6]);
  }),
  tcase('join/cat/empty-part', (t) => {
    t.equal(cat([f32(A), zeros([0, 2]), f32(B)], 0), [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    t.shape(cat([zeros([0, 2]), zeros([0, 2])], 0), [0, 2]);
  }),
  tcase('join/cat/int32', (t) => {
    const y = cat([f32([1], { dtype: 'int32' }), f32([2], { dtype: 'int32' })], 0);
    t.dtype(y, 'int32');
    t.equal(y, [1, 2]);
  }),
  tcase('join/cat/non-contiguous', (t) => {
    // A^T = [[1,3],[2,4]]
    t.equal(cat([f32(A).transpose(0, 1), f32(B)], 0), [
      [1, 3],
      [2, 4],
      [5, 6],
    ]);
  }),
  tcase('join/cat/shape-mismatch', (t) => {
    t.throws(() => cat([f32(A), f32([[1, 2, 3]])], 0), [/cat/, /\[2, ?2\]/, /\[1, ?3\]/]);
  }),
  tcase('join/stack/dim0', (t) => {
    const y = stack([f32([1, 2]), f32([3, 4]), f32([5, 6])], 0);
    t.equal(y, [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  }),
  tcase('join/stack/last-dim', (t) => {
    t.equal(stack([f32([1, 2]), f32([3, 4])], 1), [
      [1, 3],
      [2, 4],
    ]);
    t.equal(stack([f32(A), f32(A)], -1), [
      [
        [1, 1],
        [2, 2],
      ],
      [
        [3, 3],
        [4, 4],
      ],
    ]);
  }),
  tcase('join/stack/scalars', (t) => {
    t.equal(stack([f32(1), f32(2)], 0), [1, 2]);
  }),
  tcase('join/stack/empty', (t) => {
    t.shape(stack([zeros([0]), zeros([0])], 0), [2, 0]);
    t.shape(stack([zeros([2, 0]), zeros([2, 0]), zeros([2, 0])], 1), [2, 3, 0]);
  }),
  tcase('join/stack/shape-mismatch', (t) => {
    t.throws(() => stack([f32([1, 2]), f32([1, 2, 3])], 0), [/stack/, /\[2\]/, /\[3\]/]);
  }),
];
