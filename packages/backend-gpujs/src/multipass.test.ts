// Chunked loops and tree reductions around every boundary they have: the block of 64 terms,
// the loop budget of 4096 per fragment, power-of-two loop bounds of the general (size-independent)
// kernels, and split inner dims of matmul, conv and scatterAdd. gpujs must equal the CPU
// backend (exactly, where the data keeps float32 sums exact).
import '@proj/backend-cpu';
import { backendByName, manualSeed, nn, randint, setBackend, type Tensor, tensor, tidy } from '@proj/core';
import { afterAll, describe, expect, it } from 'vitest';
import './index.js';
import { LOOP_BUDGET } from './limits.js';

afterAll(() => setBackend('cpu'));

/** Small integers (exact float32 sums) of `shape`, deterministic. */
function ints(shape: number[], seed: number): Tensor {
  setBackend('cpu');
  manualSeed(seed);
  return randint(-8, 9, shape).float();
}

const both = (x: Tensor, f: (t: Tensor) => Tensor): [number[], number[]] => {
  const want = Array.from(f(x).dataSync(), Number);
  const got = Array.from(f(x.to('gpujs')).dataSync(), Number);
  return [got, want];
};

const SIZES = [1, 63, 64, 65, 127, 129, LOOP_BUDGET - 1, LOOP_BUDGET, LOOP_BUDGET + 1, 3 * LOOP_BUDGET + 5];

describe('gpujs tree reductions', () => {
  it.each(SIZES)('sum, max, min, argmax, argmin over %i elements match cpu exactly', (n) => {
    tidy(() => {
      const x = ints([3, n], n);
      for (const f of [
        (t: Tensor) => t.sum(1),
        (t: Tensor) => t.sum(),
        (t: Tensor) => t.max(1).values,
        (t: Tensor) => t.min(),
        (t: Tensor) => t.argmax(1),
        (t: Tensor) => t.argmin(),
        (t: Tensor) => t.transpose(0, 1).sum(0), // the long dim first
      ]) {
        const [got, want] = both(x, f);
        expect(got).toEqual(want);
      }
    });
  });

  it('argmax takes the first of ties across chunks and NaN over everything', () => {
    tidy(() => {
      const n = 2 * LOOP_BUDGET + 7;
      const v = new Float32Array(n).fill(1);
      v[LOOP_BUDGET + 3] = 5;
      v[2 * LOOP_BUDGET + 1] = 5;
      setBackend('cpu');
      expect(tensor(v).to('gpujs').argmax().item()).toBe(LOOP_BUDGET + 3);
      v[n - 2] = Number.NaN;
      const g = tensor(v).to('gpujs');
      expect(g.argmax().item()).toBe(n - 2);
      expect(g.argmin().item()).toBe(n - 2);
      expect(g.max().item()).toBeNaN();
      expect(g.sum().item()).toBeNaN();
    });
  });

  it('products over chunks', () => {
    tidy(() => {
      const n = LOOP_BUDGET + 100;
      // 2 at every 512th element, 1 elsewhere: 2^9 exactly
      const v = Float32Array.from({ length: n }, (_, i) => (i % 512 === 0 ? 2 : 1));
      setBackend('cpu');
      expect(tensor(v).to('gpujs').prod().item()).toBe(2 ** Math.ceil(n / 512));
    });
  });

  it('general kernels (after shapes change) sum correctly around block boundaries', () => {
    tidy(() => {
      // the same reduction class at many lengths: from the third length on a general kernel
      // loops to a power-of-two bound and stops at the uniform length
      for (const n of [60, 61, 62, 63, 64, 65, 66, 100, 127, 128, 129, 200, 255, 256, 257]) {
        const [got, want] = both(ints([n, 5], n), (t) => t.sum(0));
        expect(got, `length ${n}`).toEqual(want);
      }
    });
  });

  it('softmax along axes just inside and past the fused kernel, and a long one', () => {
    tidy(() => {
      for (const n of [1024, 1025, 3 * LOOP_BUDGET]) {
        const x = ints([2, n], n).div(4);
        const [got, want] = both(x, (t) => t.softmax(1));
        got.forEach((g, i) => {
          expect(g).toBeCloseTo(want[i], 7);
        });
        const [lg, lw] = both(x, (t) => t.logSoftmax(-1));
        lg.forEach((g, i) => {
          expect(g).toBeCloseTo(lw[i], 4);
        });
      }
    });
  });
});

describe('gpujs split inner loops', () => {
  it.each([64, 65, LOOP_BUDGET, LOOP_BUDGET + 1, 2 * LOOP_BUDGET + 3])('matmul with inner dim %i', (k) => {
    tidy(() => {
      const a = ints([3, k], k);
      const b = ints([k, 2], k + 1);
      const [got, want] = both(a, (t) => t.matmul(t.device === 'cpu' ? b : b.to('gpujs')));
      expect(got).toEqual(want);
      // transposed operands take the other stepping
      const [gt, wt] = both(a, (t) =>
        t
          .t()
          .contiguous()
          .t()
          .matmul(t.device === 'cpu' ? b : b.to('gpujs')),
      );
      expect(gt).toEqual(wt);
    });
  });

  it('conv2d weight gradient over a batch whose loop passes the budget', () => {
    tidy(() => {
      // N·oH·oW = 40·14·14 = 7840 positions per weight: two chunks
      setBackend('cpu');
      manualSeed(5);
      const conv = new nn.Conv2d(2, 3, 3, { padding: 1 });
      const x = ints([40, 2, 14, 14], 9);
      const grads = (device: string) => {
        conv.to(device);
        conv.zeroGrad();
        (conv.forward(x.to(device)) as Tensor).sum().backward();
        return Array.from(conv.weight.grad?.dataSync() ?? [], Number);
      };
      const want = grads('cpu');
      const got = grads('gpujs');
      conv.to('cpu');
      expect(got).toEqual(want);
      for (const p of conv.parameters()) {
        p.grad?.dispose();
        p.dispose();
      }
    });
  });

  it('conv2d and its input gradient over more channels than one loop may take', () => {
    // 330 channels of 3x3 taps: 330 · (1 + 3 · 4) = 4290 loop iterations, split in two
    const C = 330;
    const p = {
      stride: [1, 1] as [number, number],
      padding: [1, 1] as [number, number],
      dilation: [1, 1] as [number, number],
      groups: 1,
    };
    const vals = (n: number, seed: number) =>
      Float32Array.from({ length: n }, (_, i) => ((i * 7 + seed) % 5) - 2);
    const run = (name: string) => {
      const be = backendByName(name);
      const info = (v: Float32Array, shape: number[]) => ({
        handle: be.write(v, shape, 'float32'),
        shape,
        dtype: 'float32' as const,
      });
      const x = info(vals(C * 16, 1), [1, C, 4, 4]);
      const w = info(vals(2 * C * 9, 2), [2, C, 3, 3]);
      const dy = info(vals(C * 16, 3), [1, C, 4, 4]);
      const wT = info(vals(C * 2 * 9, 4), [C, 2, 3, 3]);
      const y = be.conv2d?.(x, w, p);
      const dx = be.conv2dBackwardInput?.(dy, wT, [1, 2, 4, 4], p);
      const out = [
        Array.from(be.readSync({ handle: y, shape: [1, 2, 4, 4], dtype: 'float32' }) as Float32Array),
        Array.from(be.readSync({ handle: dx, shape: [1, 2, 4, 4], dtype: 'float32' }) as Float32Array),
      ];
      for (const h of [x.handle, w.handle, dy.handle, wT.handle, y, dx]) be.disposeData(h);
      return out;
    };
    expect(run('gpujs')).toEqual(run('cpu'));
  });

  it('scatterAdd with more index positions than the budget', () => {
    tidy(() => {
      const L = LOOP_BUDGET + 10;
      setBackend('cpu');
      manualSeed(6);
      const idx = randint(0, 4, [L, 2]);
      const src = ints([L, 2], 7);
      const t = ints([4, 2], 8);
      const want = Array.from(t.scatterAdd(0, idx, src).dataSync());
      const got = Array.from(t.to('gpujs').scatterAdd(0, idx.to('gpujs'), src.to('gpujs')).dataSync());
      expect(got).toEqual(want);
    });
  });
});
