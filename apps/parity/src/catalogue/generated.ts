// Cases without a PyTorch fixture: seeded inputs made in JS, one call, its gradients; the
// reference is the CPU backend.
import { type Tensor, tensor } from '@proj/core';
import { values } from '../fixtures.js';
import { rng, seedOf, uniform } from '../rng.js';
import type { PresetName } from '../tolerances.js';
import type { Case, Family, Outputs } from '../types.js';

/** One input of a generated case. */
export interface GenInput {
  shape: number[];
  /** 'float' (default) uniform in [lo, hi); 'int' integers in [lo, hi); 'bool' coin flips. */
  kind?: 'float' | 'int' | 'bool';
  lo?: number;
  hi?: number;
  /** Record its gradient (floats only). */
  grad?: boolean;
  /** Hand the op a transposed view (non-contiguous) of a leaf stored the other way round. */
  t?: boolean;
}

function makeInput(next: () => number, s: GenInput): { x: Tensor; leaf: Tensor } {
  const shape = s.t ? [...s.shape.slice(0, -2), s.shape.at(-1)!, s.shape.at(-2)!] : s.shape;
  const n = shape.reduce((a, b) => a * b, 1);
  const kind = s.kind ?? 'float';
  let leaf: Tensor;
  if (kind === 'bool') leaf = tensor(uniform(next, n, 0, 1).map((v) => v < 0.5) as never, { dtype: 'bool' });
  else if (kind === 'int') {
    const data = uniform(next, n, s.lo ?? 0, s.hi ?? 10).map(Math.floor);
    leaf = tensor(data, { dtype: 'int32' });
  } else leaf = tensor(uniform(next, n, s.lo ?? -2, s.hi ?? 2), { dtype: 'float32' });
  leaf = leaf.reshape(shape);
  if (kind === 'float' && s.grad) leaf = leaf.detach().requiresGrad_(true);
  return { x: s.t ? leaf.transpose(-1, -2) : leaf, leaf };
}

/** A case calling `fn` on seeded inputs; gradients of sum(out · g) for inputs with `grad`. */
export function generatedCase(
  id: string,
  family: Family,
  tolerance: PresetName,
  inputs: GenInput[],
  fn: (xs: Tensor[]) => Tensor,
): Case {
  return {
    id,
    family,
    tolerance,
    run() {
      const next = rng(seedOf(id));
      const built = inputs.map((s) => makeInput(next, s));
      const out = fn(built.map((b) => b.x));
      const res: Outputs = { out: values(out) };
      if (!out.requiresGrad) return res;
      const g = tensor(uniform(next, out.numel()), { dtype: 'float32' }).reshape([...out.shape]);
      out.backward(g);
      built.forEach(({ leaf }, i) => {
        if (inputs[i]!.grad && leaf.grad) res[`grad.${i}`] = values(leaf.grad);
      });
      return res;
    },
  };
}
