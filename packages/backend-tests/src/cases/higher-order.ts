import { autograd, type Tensor, tensor } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { f32 } from './data.js';

// Higher-order autograd on each backend: autograd.grad with createGraph runs the backward pass
// as recorded ops on the backend's primitives, then differentiates it again. Expected values
// are closed-form, computed here in float64; sizes reach 2^17 (issue 11's GL loop limit).

const N17 = 2 ** 17;

/** A float32 vector of f(0..n-1). */
function seq(n: number, f: (i: number) => number): Tensor {
  return tensor(Float32Array.from({ length: n }, (_, i) => f(i)));
}

const xs = (i: number) => -2 + (4 * i) / N17;

export const higherOrderCases: ConformanceCase[] = [
  tcase('higher-order/grad/second-derivative', (t) => {
    const x = f32([-1, -0.25, 0.5, 2], { requiresGrad: true });
    // y = Σ x³ + sin x: y' = 3x² + cos x, y'' = 6x − sin x
    const [g] = autograd.grad(x.pow(3).add(x.sin()).sum(), x, { createGraph: true });
    const [h] = autograd.grad(g!.sum(), x);
    const v = [-1, -0.25, 0.5, 2];
    t.close(
      g!,
      v.map((a) => 3 * a * a + Math.cos(a)),
      "y'",
    );
    t.close(
      h!,
      v.map((a) => 6 * a - Math.sin(a)),
      "y''",
    );
  }),
  tcase('higher-order/grad/second-derivative-2-17', (t) => {
    const x = seq(N17, xs).requiresGrad_(true);
    // y = Σ x·sin x: y' = sin x + x cos x, y'' = 2 cos x − x sin x
    const [g] = autograd.grad(x.mul(x.sin()).sum(), x, { createGraph: true });
    const [h] = autograd.grad(g!.sum(), x);
    const want1 = Array.from({ length: N17 }, (_, i) => Math.sin(xs(i)) + xs(i) * Math.cos(xs(i)));
    const want2 = Array.from({ length: N17 }, (_, i) => 2 * Math.cos(xs(i)) - xs(i) * Math.sin(xs(i)));
    t.close(g!, want1, "y' over 2^17");
    t.close(h!, want2, "y'' over 2^17");
  }),
  tcase('higher-order/hvp/matmul-2-17', (t) => {
    // f(x) = |A x|²: the gradient 2AᵀAx, its product with v 2AᵀAv; A is [256, 512] = 2^17 entries.
    const m = 256;
    const n = 512;
    const a = (i: number, j: number) => (((i * 7 + j * 3) % 11) - 5) / 8;
    const A = seq(m * n, (k) => a(Math.floor(k / n), k % n)).reshape([m, n]);
    const xv = (j: number) => ((j % 5) - 2) / 4;
    const vv = (j: number) => ((j % 3) - 1) / 2;
    const x = seq(n, xv).requiresGrad_(true);
    const v = seq(n, vv);
    const [g] = autograd.grad(A.matmul(x).pow(2).sum(), x, { createGraph: true });
    const [hv] = autograd.grad(g!, x, { gradOutputs: v });
    const AtA = (w: (j: number) => number): number[] => {
      const Aw = Array.from({ length: m }, (_, i) => {
        let s = 0;
        for (let j = 0; j < n; j++) s += a(i, j) * w(j);
        return s;
      });
      return Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let i = 0; i < m; i++) s += a(i, j) * Aw[i];
        return 2 * s;
      });
    };
    t.close(g!, AtA(xv), 'gradient 2AᵀAx');
    t.close(hv!, AtA(vv), 'Hessian-vector product 2AᵀAv');
  }),
  tcase('higher-order/gradient-penalty/relu-mlp', (t) => {
    // Critic y = w2·relu(W1 x): ∂y/∂x = W1ᵀ(m ⊙ w2) with m the active units; the penalty
    // |∂y/∂x|² then has gradient 2 m ⊙ (W1 ∂y/∂x) for w2 (its path through relu's mask is zero).
    const W1 = f32([
      [1, -2],
      [0.5, 1],
      [-1, 1],
    ]);
    const w2 = f32([2, -1, 3], { requiresGrad: true });
    const x = f32([0.5, 1], { requiresGrad: true }); // W1 x = [-1.5, 1.25, 0.5]: m = [0, 1, 1]
    const y = W1.matmul(x).relu().mul(w2).sum();
    const [gx] = autograd.grad(y, x, { createGraph: true });
    // ∂y/∂x = W1ᵀ [0, -1, 3] = [-0.5 - 3, -1 + 3] = [-3.5, 2]
    t.close(gx!, [-3.5, 2], '∂y/∂x');
    gx!.pow(2).sum().backward();
    // W1 ∂y/∂x = [-3.5 - 4, -1.75 + 2, 3.5 + 2] = [-7.5, 0.25, 5.5]; times 2m
    t.close(w2.grad!, [0, 0.5, 11], 'd penalty / d w2');
    t.close(x.grad!, [0, 0], 'd penalty / d x: zeros through the relu mask, as PyTorch');
    w2.grad!.dispose();
    x.grad!.dispose();
  }),
];
