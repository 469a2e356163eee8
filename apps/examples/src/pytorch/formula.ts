// The TypeScript side of tools/examples/port_fixtures.py: weights and inputs from a formula
// both sides evaluate, so a port's test can give its classes the weights PyTorch's classes got
// and compare the numbers the fixture holds (apps/examples/fixtures/pytorch-ports.json).
import { readFileSync } from 'node:fs';
import { type nn, noGrad, type Tensor, tensor } from '@proj/core';

/** `scale · sin(0.731 i + phase)` for i < n, in float64 (NumPy's `wave`). */
export function wave(n: number, phase: number, scale = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * Math.sin(0.731 * i + phase);
  return out;
}

/** A float32 (or `dtype`) tensor of `wave(numel, phase, scale)` in `shape`. */
export function waveTensor(
  shape: number[],
  phase: number,
  scale = 1,
  dtype: 'float32' | 'float64' = 'float32',
): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === 'float64' ? wave(n, phase, scale) : Float32Array.from(wave(n, phase, scale));
  return tensor(data).reshape(...shape);
}

/**
 * Sets parameter k (namedParameters order, which is PyTorch's) to
 * `bound · sin(0.731 i + 1.37 k + 0.5)`: bound 1/√fan_in for matrices and kernels, 0.5 for vectors.
 */
export function formulaInit(model: nn.Module): void {
  noGrad(() => {
    for (const [k, [, p]] of model.namedParameters().entries()) {
      const n = p.numel();
      const bound = p.ndim > 1 ? 1 / Math.sqrt(Math.floor(n / p.shape[0])) : 0.5;
      const v = wave(n, 1.37 * k + 0.5, bound);
      p.copy_(tensor(p.dtype === 'float64' ? v : Float32Array.from(v)).reshape(...p.shape));
    }
  });
}

/** `[Σx, Σx²]` in float64, as the fixture's parameter checks. */
export function sums(t: Tensor): [number, number] {
  const x = t.detach().double();
  return [x.sum().item(), x.pow(2).sum().item()];
}

/** The reference numbers tools/examples/port_fixtures.py computed with PyTorch's own classes. */
export const PORT_FIXTURE = JSON.parse(
  readFileSync(new URL('../../fixtures/pytorch-ports.json', import.meta.url), 'utf8'),
) as Record<string, any>;
