import { cat, noGrad, type Tensor } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { ConformanceError, type Nested, type Tols } from '../checks.js';
import { f32 } from './data.js';

const leaf = (v: Nested<number>, dtype: 'float32' | 'float64' = 'float32') =>
  f32(v, { dtype, requiresGrad: true });

function grad(t: Tols, x: Tensor, want: Nested<number>, what: string): void {
  if (!x.grad) throw new ConformanceError(`${what}: grad is ${String(x.grad)}, expected a tensor`);
  t.close(x.grad, want, what);
  // gradients are exempt from tidy (optimizers read them afterwards), so free them here
  x.grad.dispose();
}

/** backward() with hand-known gradients, so the backward pass runs on the backend's primitives. */
export const autogradCases: ConformanceCase[] = [
  tcase('autograd/mul/square-sum', (t) => {
    const x = leaf([1, 2, 3]);
    x.mul(x).sum().backward();
    grad(t, x, [2, 4, 6], 'd/dx sum(x²)');
  }),
  tcase('autograd/add/broadcast-reduces', (t) => {
    const a = leaf([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = leaf([10, 20, 30]);
    a.mul(b).sum().backward();
    grad(
      t,
      a,
      [
        [10, 20, 30],
        [10, 20, 30],
      ],
      'd/da sum(a*b)',
    );
    grad(t, b, [5, 7, 9], 'd/db sum(a*b) sums the broadcast rows');
  }),
  tcase('autograd/matmul/grad', (t) => {
    const a = leaf([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = leaf([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    a.matmul(b).sum().backward();
    grad(
      t,
      a,
      [
        [15, 19, 23],
        [15, 19, 23],
      ],
      'dA = 1·Bᵀ',
    );
    grad(
      t,
      b,
      [
        [5, 5],
        [7, 7],
        [9, 9],
      ],
      'dB = Aᵀ·1',
    );
  }),
  tcase('autograd/mean/grad', (t) => {
    const x = leaf([1, 2, 3, 4]);
    x.mean().backward();
    grad(t, x, [0.25, 0.25, 0.25, 0.25], 'd/dx mean(x)');
  }),
  tcase('autograd/exp/grad', (t) => {
    const x = leaf([0, 1, -1]);
    x.exp().sum().backward();
    grad(t, x, [1, Math.E, Math.exp(-1)], 'd/dx sum(exp x)');
  }),
  tcase('autograd/relu/grad', (t) => {
    const x = leaf([-1, 2, 0.5, -3]);
    x.relu().sum().backward();
    grad(t, x, [0, 1, 1, 0], 'd/dx sum(relu x)');
  }),
  tcase('autograd/backward/explicit-gradient', (t) => {
    const x = leaf([1, 2]);
    x.mul(3).backward(f32([1, 10]));
    grad(t, x, [3, 30], 'backward(g) of 3x');
  }),
  tcase('autograd/sum-dim/grad', (t) => {
    const x = leaf([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    x.sum(1)
      .mul(f32([1, 2]))
      .sum()
      .backward();
    grad(
      t,
      x,
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
      'sum(dim) broadcasts the gradient back',
    );
  }),
  tcase('autograd/accumulate/reused-input', (t) => {
    const x = leaf([1, -2]);
    x.mul(x).add(x).sum().backward();
    grad(t, x, [3, -3], 'd/dx sum(x² + x) = 2x + 1');
  }),
  tcase('autograd/movement/transpose-narrow-expand', (t) => {
    const x = leaf([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    x.transpose(0, 1)
      .mul(
        f32([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
      )
      .sum()
      .backward();
    grad(
      t,
      x,
      [
        [1, 3, 5],
        [2, 4, 6],
      ],
      'transpose',
    );
    const y = leaf([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    y.narrow(1, 1, 2).sum().backward();
    grad(
      t,
      y,
      [
        [0, 1, 1],
        [0, 1, 1],
      ],
      'narrow pads the gradient with zeros',
    );
    const v = leaf([[1], [2]]);
    v.expand([2, 3]).sum().backward();
    grad(t, v, [[3], [3]], 'expand sums the gradient back');
  }),
  tcase('autograd/softmax/grad', (t) => {
    // d/dx sum(softmax(x)·w) = s·(w − Σ s·w); x = [0, 0], w = [1, 0] → [0.25, −0.25]
    const x = leaf([0, 0]);
    x.softmax(0)
      .mul(f32([1, 0]))
      .sum()
      .backward();
    grad(t, x, [0.25, -0.25], 'softmax');
  }),
  tcase('autograd/indexSelect/grad', (t) => {
    // gradients of repeated indices add up (scatter-add)
    const x = leaf([10, 20, 30]);
    x.indexSelect(0, f32([0, 0, 2], { dtype: 'int32' }))
      .sum()
      .backward();
    grad(t, x, [2, 0, 1], 'indexSelect');
  }),
  tcase('autograd/gather/grad', (t) => {
    const x = leaf([
      [1, 2],
      [3, 4],
    ]);
    x.gather(
      1,
      f32(
        [
          [0, 0],
          [1, 0],
        ],
        { dtype: 'int32' },
      ),
    )
      .sum()
      .backward();
    grad(
      t,
      x,
      [
        [2, 0],
        [1, 1],
      ],
      'gather',
    );
  }),
  tcase('autograd/cat/grad', (t) => {
    const a = leaf([1, 2]);
    const b = leaf([3]);
    cat([a, b], 0)
      .mul(f32([4, 5, 6]))
      .sum()
      .backward();
    grad(t, a, [4, 5], 'cat first part');
    grad(t, b, [6], 'cat second part');
  }),
  tcase('autograd/max/grad', (t) => {
    const x = leaf([1, 7, 3]);
    x.max().backward();
    grad(t, x, [0, 1, 0], 'max routes the gradient to the maximum');
  }),
  tcase('autograd/noGrad/detach', (t) => {
    const x = leaf([1, 2]);
    const y = noGrad(() => x.mul(2));
    t.ok(!y.requiresGrad, 'a result computed under noGrad does not require grad');
    t.ok(!x.detach().requiresGrad, 'detach() does not require grad');
    t.ok(x.mul(2).requiresGrad, 'a result of a requiresGrad input requires grad');
  }),
  tcase(
    'autograd/float64/cube',
    (t) => {
      const x = leaf([0.1, -2], 'float64');
      x.mul(x).mul(x).sum().backward();
      t.dtype(x.grad!, 'float64', 'grad dtype');
      t.read(x.grad!, (v) => {
        const g = Array.from(v as Float64Array);
        // float32 arithmetic would be off by ~1e-9 here
        t.ok(
          Math.abs(g[0] - 0.03) < 1e-15 && g[1] === 12,
          `d/dx sum(x³) = 3x² in float64: got [${g}], expected [0.03, 12]`,
        );
      });
      x.grad!.dispose();
    },
    ['float64'],
  ),
];
