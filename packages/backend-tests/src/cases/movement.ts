import { tensor, zeros } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { f32, X3 } from './data.js';

const A = [
  [1, 2, 3],
  [4, 5, 6],
];
const AT = [
  [1, 4],
  [2, 5],
  [3, 6],
];

/** Shape ops, and ops fed NON-CONTIGUOUS inputs (results of transpose/permute/expand/narrow). */
export const movementCases: ConformanceCase[] = [
  tcase('movement/scalar/clone-and-backward', (t) => {
    // 0-d tensors go through slice (clone) and pad in backward passes; some runtimes cannot slice scalars.
    const s = tensor(3.5);
    t.equal(s.clone(), 3.5);
    const x = tensor(2, { dtype: 'float32', requiresGrad: true });
    x.mul(x).add(1).backward();
    t.equal(x.grad!, 4);
    x.grad!.dispose();
  }),
  tcase('movement/reshape/values', (t) => {
    t.equal(f32(A).reshape([3, 2]), [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    t.equal(f32(A).reshape([6]), [1, 2, 3, 4, 5, 6]);
  }),
  tcase('movement/reshape/infer', (t) => {
    t.shape(f32(X3).reshape([-1, 4]), [3, 4]);
    t.shape(f32(X3).reshape([2, -1]), [2, 6]);
    t.equal(f32([5]).reshape([]), 5);
  }),
  tcase('movement/reshape/empty', (t) => {
    t.shape(zeros([0, 3]).reshape([3, 0]), [3, 0]);
    t.shape(zeros([0, 3]).reshape([-1, 6]), [0, 6]);
  }),
  tcase('movement/view/contiguous', (t) => {
    t.equal(f32(A).view([3, 2]), [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    t.equal(f32(A).view([-1]), [1, 2, 3, 4, 5, 6]);
  }),
  tcase('movement/flatten/ranges', (t) => {
    t.shape(f32(X3).flatten(), [12]);
    t.equal(f32(X3).flatten(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    t.shape(f32(X3).flatten(1), [2, 6]);
    t.shape(f32(X3).flatten(0, 1), [6, 2]);
    t.shape(f32(5).flatten(), [1]);
  }),
  tcase('movement/squeeze/dims', (t) => {
    const x = zeros([1, 2, 1]);
    t.shape(x.squeeze(), [2]);
    t.shape(x.squeeze(0), [2, 1]);
    t.shape(x.squeeze(-1), [1, 2]);
    t.shape(x.squeeze(1), [1, 2, 1], 'squeeze of a size-2 dim is a no-op');
    t.equal(f32([[[7], [8]]]).squeeze(), [7, 8]);
  }),
  tcase('movement/unsqueeze/dims', (t) => {
    t.equal(f32([1, 2]).unsqueeze(0), [[1, 2]]);
    t.equal(f32([1, 2]).unsqueeze(-1), [[1], [2]]);
    t.shape(f32(A).unsqueeze(1), [2, 1, 3]);
    t.shape(f32(A).unsqueeze(2), [2, 3, 1]);
  }),
  tcase('movement/transpose/values', (t) => {
    const y = f32(A).transpose(0, 1);
    t.equal(y, AT);
    t.read(y, (v) =>
      t.ok(Array.from(v).join() === '1,4,2,5,3,6', 'dataSync() of a transpose is its row-major order'),
    );
    t.equal(f32(X3).transpose(-1, -2), [
      [
        [1, 3, 5],
        [2, 4, 6],
      ],
      [
        [7, 9, 11],
        [8, 10, 12],
      ],
    ]);
  }),
  tcase('movement/permute/values', (t) => {
    // out[k][i][j] = x[i][j][k]
    const y = f32(X3).permute([2, 0, 1]);
    t.equal(y, [
      [
        [1, 3, 5],
        [7, 9, 11],
      ],
      [
        [2, 4, 6],
        [8, 10, 12],
      ],
    ]);
    t.shape(f32(X3).permute([0, -1, 1]), [2, 2, 3]);
  }),
  tcase('movement/expand/values', (t) => {
    t.equal(f32([[1], [2], [3]]).expand([3, 2]), [
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    t.equal(f32([1, 2]).expand([2, 2]), [
      [1, 2],
      [1, 2],
    ]);
    t.shape(f32([[1], [2]]).expand([-1, 4]), [2, 4]);
    t.shape(f32([[1], [2]]).expand([2, 0]), [2, 0]);
  }),
  tcase('movement/narrow/values', (t) => {
    t.equal(f32(A).narrow(1, 1, 2), [
      [2, 3],
      [5, 6],
    ]);
    t.equal(f32(A).narrow(0, 1, 1), [[4, 5, 6]]);
    t.equal(f32(A).narrow(-1, 0, 1), [[1], [4]]);
    t.shape(f32(A).narrow(1, 3, 0), [2, 0]);
  }),
  tcase('movement/contiguous/values', (t) => {
    const y = f32(A).transpose(0, 1).contiguous();
    t.equal(y, AT);
    t.equal(y.view([6]), [1, 4, 2, 5, 3, 6]);
  }),
  tcase('movement/non-contiguous/transpose-add', (t) => {
    const y = f32(A)
      .transpose(0, 1)
      .add(f32([10, 20]));
    t.equal(y, [
      [11, 24],
      [12, 25],
      [13, 26],
    ]);
    t.equal(f32(A).transpose(0, 1).add(f32(A).transpose(0, 1)), [
      [2, 8],
      [4, 10],
      [6, 12],
    ]);
  }),
  tcase('movement/non-contiguous/transpose-reshape', (t) => {
    t.equal(f32(A).transpose(0, 1).reshape([6]), [1, 4, 2, 5, 3, 6]);
    t.equal(f32(A).transpose(0, 1).reshape([2, 3]), [
      [1, 4, 2],
      [5, 3, 6],
    ]);
    t.equal(f32(A).transpose(0, 1).flatten(), [1, 4, 2, 5, 3, 6]);
  }),
  tcase('movement/non-contiguous/permute-reduce', (t) => {
    const p = f32(X3).permute([2, 0, 1]);
    t.equal(p.sum(-1), [
      [9, 27],
      [12, 30],
    ]);
    t.equal(p.max(1).values, [
      [7, 9, 11],
      [8, 10, 12],
    ]);
    t.equal(p.argmax(2), [
      [2, 2],
      [2, 2],
    ]);
  }),
  tcase('movement/non-contiguous/expand-ops', (t) => {
    const e = f32([[1], [2]]).expand([2, 3]);
    t.equal(e.mul(f32([1, 10, 100])), [
      [1, 10, 100],
      [2, 20, 200],
    ]);
    t.equal(e.sum(1), [3, 6]);
    t.close(e.exp(), [
      [Math.E, Math.E, Math.E],
      [Math.exp(2), Math.exp(2), Math.exp(2)],
    ]);
    t.equal(e.transpose(0, 1), [
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
  }),
  tcase('movement/non-contiguous/narrow-of-transpose', (t) => {
    const y = f32(A).transpose(0, 1).narrow(0, 1, 2);
    t.equal(y, [
      [2, 5],
      [3, 6],
    ]);
    t.equal(y.neg(), [
      [-2, -5],
      [-3, -6],
    ]);
    t.equal(f32(A).narrow(1, 1, 2).transpose(0, 1), [
      [2, 5],
      [3, 6],
    ]);
  }),
  tcase('movement/non-contiguous/unsqueeze-expand-chain', (t) => {
    // [3] → [3,1] → [3,2] → transpose [2,3] → + [2,3]
    const y = f32([1, 2, 3]).unsqueeze(1).expand([3, 2]).transpose(0, 1).add(f32(A));
    t.equal(y, [
      [2, 4, 6],
      [5, 7, 9],
    ]);
  }),
];
