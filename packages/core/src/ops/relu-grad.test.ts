import '@proj/backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, getBackend, tensor } from '../index.js';

const y0 = [-2, 0, 3, -0.5, 4, 1e-30];
const g0 = [1, 2, -3, 4, Number.POSITIVE_INFINITY, -0];

function reluGrad(dtype: 'float32' | 'float64'): number[] {
  const x = tensor(y0, { dtype, requiresGrad: true });
  x.relu().backward(tensor(g0, { dtype }));
  return x.grad!.toArray() as number[];
}

describe('relu backward', () => {
  const b = getBackend() as Backend & { reluBackward?: unknown };
  afterEach(() => {
    delete (b as { reluBackward?: unknown }).reluBackward; // back to the prototype's kernel
  });

  it("the CPU backend's fused kernel and the composite default give the same, exact values", () => {
    expect(typeof b.reluBackward).toBe('function');
    const want = [0, 0, -3, 0, Number.POSITIVE_INFINITY, -0];
    for (const dtype of ['float32', 'float64'] as const) {
      const fused = reluGrad(dtype);
      (b as { reluBackward?: unknown }).reluBackward = undefined; // hide the kernel: composite path
      const composite = reluGrad(dtype);
      delete (b as { reluBackward?: unknown }).reluBackward;
      for (let i = 0; i < want.length; i++) {
        expect(Object.is(fused[i], want[i]), `fused ${dtype}[${i}]`).toBe(true);
        expect(Object.is(composite[i], want[i]), `composite ${dtype}[${i}]`).toBe(true);
      }
    }
  });
});
