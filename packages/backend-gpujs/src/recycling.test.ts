// Regression tests for gpu.js' output-texture recycling. A kernel that is handed its own
// previous output keeps that texture (`prevArg`) and later renders into it; once `setOutput`
// had resized the kernel (elementwise kernels serve every size), the result landed in a texture
// of the old size. The parity app saw it as NaN gradients of rsqrt/sigmoid, wrong pow/var/std,
// norms, pools, recurrent layers and diverging training from the second step on.
import '@proj/backend-cpu';
import { setBackend, type Tensor, tensor, tidy } from '@proj/core';
import { afterAll, describe, expect, it } from 'vitest';
import { GpujsBackend } from './index.js';

const f32 = (h: unknown, shape: number[]) => ({ handle: h, shape, dtype: 'float32' as const });

afterAll(() => setBackend('cpu'));

describe('gpujs kernel output recycling', () => {
  it('a kernel fed its own output after a resize writes a texture of the new size', () => {
    // a fresh backend, so the mul kernel is compiled here at size 1
    const be = new GpujsBackend();
    try {
      const mulSelf = (values: number[]): number[] => {
        const n = values.length;
        const x = be.write(Float32Array.from(values), [n], 'float32');
        const xx = be.binary('mul', f32(x, [n]), f32(x, [n]), [n]);
        // x * (x * x): the second operand is the mul kernel's own latest output
        const xxx = be.binary('mul', f32(x, [n]), f32(xx, [n]), [n]);
        const out = Array.from(be.readSync(f32(xxx, [n])));
        for (const h of [x, xx, xxx]) be.disposeData(h);
        return out;
      };
      expect(mulSelf([2])).toEqual([8]);
      expect(mulSelf([1, 2, 3, 4, 5])).toEqual([1, 8, 27, 64, 125]);
      expect(mulSelf([3, 1])).toEqual([27, 1]);
    } finally {
      be.destroy();
    }
  });

  const grads = (backend: string, op: (x: Tensor) => Tensor, data: number[], shape: number[]): number[] => {
    setBackend(backend);
    try {
      return tidy(() => {
        const x = tensor(data).reshape(shape).detach().requiresGrad_(true);
        op(x).backward(tensor(data.map((v) => v - 1)).reshape(shape));
        return Array.from(x.grad?.dataSync() ?? [], Number);
      });
    } finally {
      setBackend('cpu');
    }
  };

  // the parity app's order: a 0-d case, then 1-d ones (rsqrt' = -y³/2, sigmoid' = y(1 - y))
  it.each([
    ['rsqrt', (x: Tensor) => x.rsqrt()],
    ['sigmoid', (x: Tensor) => x.sigmoid()],
  ])('%s gradients of a 0-d then a 1-d and a 2-d input match cpu', (_, op) => {
    const cases: [number[], number[]][] = [
      [[0.7], []],
      [[0.5, 1.2, 2, 3.1, 1.5], [5]],
      [
        [0.9, 1.7, 2.4, 0.6, 1.1, 2.8],
        [2, 3],
      ],
    ];
    for (const [data, shape] of cases) {
      const want = grads('cpu', op, data, shape);
      const got = grads('gpujs', op, data, shape);
      expect(got.every(Number.isFinite)).toBe(true);
      got.forEach((g, i) => {
        expect(g).toBeCloseTo(want[i], 5);
      });
    }
  });
});

describe('gpujs shape-keyed kernels (sizes compiled in)', () => {
  it('a kernel fed its own output again and again recycles textures correctly', () => {
    const be = new GpujsBackend();
    try {
      // transposing a 3x3 matrix hands the permute kernel its own output each time
      const values = [1, 2, 3, 4, 5, 6, 7, 8, 9];
      const held: unknown[] = [be.write(Float32Array.from(values), [3, 3], 'float32')];
      for (let i = 0; i < 6; i++) {
        held.push(be.permute(f32(held[held.length - 1], [3, 3]), [1, 0]));
        // drop older results so gpu.js may render into their textures
        if (held.length > 2) be.disposeData(held.shift());
      }
      const h = held[held.length - 1];
      expect(Array.from(be.readSync(f32(h, [3, 3])))).toEqual(values);
      const t = be.matmul(f32(h, [3, 3]), f32(h, [3, 3]), false, true);
      expect(Array.from(be.readSync(f32(t, [3, 3])))).toEqual([14, 32, 50, 32, 77, 122, 50, 122, 194]);
      for (const x of [...held, t]) be.disposeData(x);
    } finally {
      be.destroy();
    }
  });
});
