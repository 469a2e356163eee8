// Regression tests for issue 11: Mesa's llvmpipe stops every shader invocation after 65535 loop
// iterations, all loops together (LP_MAX_TGSI_LOOP_ITERATIONS), without a word. Each kernel
// that looped once per reduced element stopped there: the results below came out as 65535,
// p = 5e21, 0.33 and wrong BatchNorm statistics. Long loops now run as tree reductions.
import '@proj/backend-cpu';
import { backendByName, nn, ones, setBackend, type Tensor, tensor, tidy, zeros } from '@proj/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import './index.js';
import type { GpujsBackend } from './index.js';
import { LOOP_LIMIT } from './limits.js';

beforeAll(() => setBackend('gpujs'));
afterAll(() => setBackend('cpu'));

const item = (t: Tensor) => t.item() as number;

describe('gpujs long loops (past the GL loop limit of 65535 iterations)', () => {
  it('sum of 100000 ones is 100000', () => {
    tidy(() => {
      expect(item(ones(100000).sum())).toBe(100000);
      expect(item(ones(100000).mean())).toBe(1);
      expect(Array.from(ones(2, 100000).sum(1).dataSync())).toEqual([100000, 100000]);
      // a long non-last dim: 70000 rows of 3
      expect(Array.from(ones(70000, 3).sum(0).dataSync())).toEqual([70000, 70000, 70000]);
    });
  });

  it('matmul with inner dim 100000', () => {
    tidy(() => {
      expect(item(ones(1, 100000).matmul(ones(100000, 1)))).toBe(100000);
      // every output element gets its full inner product: 2 rows of ones · columns [1, 2]
      const b = tensor([1, 2]).reshape([1, 2]).expand([100000, 2]);
      expect(Array.from(ones(2, 100000).matmul(b).dataSync())).toEqual([100000, 200000, 100000, 200000]);
    });
  });

  it('argmax and max see elements past 65535', () => {
    tidy(() => {
      const n = 100000;
      const v = new Float32Array(n);
      v[LOOP_LIMIT + 10] = 7; // the first of the tied maxima
      v[n - 3] = 7;
      v[n - 1] = -5;
      const x = tensor(v);
      expect(item(x.max())).toBe(7);
      expect(item(x.argmax())).toBe(LOOP_LIMIT + 10);
      expect(item(x.min())).toBe(-5);
      expect(item(x.argmin())).toBe(n - 1);
    });
  });

  it('softmax over 100000 elements sums to 1', () => {
    tidy(() => {
      const n = 100000;
      const p = ones(n).softmax(0);
      const v = p.dataSync();
      expect(v[0]).toBeCloseTo(1 / n, 10);
      expect(v[n - 1]).toBeCloseTo(1 / n, 10);
      expect(item(p.sum())).toBeCloseTo(1, 5);
      const ls = ones(n).logSoftmax(0).dataSync();
      expect(ls[n - 1]).toBeCloseTo(-Math.log(n), 5);
    });
  });

  it('MSELoss over [256,1,28,28] is the mean of the squared differences', () => {
    tidy(() => {
      // (ones - zeros)^2 = 1 everywhere: the mean is exactly 1 (cpu gave 1, gpujs 0.33)
      const loss = new nn.MSELoss().forward(ones(256, 1, 28, 28), zeros(256, 1, 28, 28));
      expect(item(loss)).toBe(1);
    });
  });

  it('BatchNorm2d statistics over N·H·W = 131072', () => {
    tidy(() => {
      // channel 0 holds 1s and 3s alternately along W (mean 2, biased var 1, unbiased
      // var 131072/131071); channel 1 is all 5 (mean 5, var 0)
      const N = 128;
      const H = 32;
      const W = 32;
      const v = new Float32Array(N * 2 * H * W);
      for (let i = 0; i < v.length; i++) {
        const c = Math.floor(i / (H * W)) % 2;
        v[i] = c === 1 ? 5 : i % 2 === 0 ? 1 : 3;
      }
      const x = tensor(v).reshape([N, 2, H, W]);
      const bn = new nn.BatchNorm2d(2, { momentum: 1 });
      const y = bn.forward(x) as Tensor;
      const rm = Array.from((bn.running_mean as Tensor).dataSync());
      const rv = Array.from((bn.running_var as Tensor).dataSync());
      expect(rm[0]).toBeCloseTo(2, 5);
      expect(rm[1]).toBeCloseTo(5, 5);
      expect(rv[0]).toBeCloseTo((N * H * W) / (N * H * W - 1), 5);
      expect(rv[1]).toBeCloseTo(0, 5);
      // normalised: ±1/sqrt(1 + eps) on channel 0
      const out = y.dataSync();
      expect(out[0]).toBeCloseTo(-1 / Math.sqrt(1 + 1e-5), 4);
      expect(out[(N - 1) * 2 * H * W + H * W - 1]).toBeCloseTo(1 / Math.sqrt(1 + 1e-5), 4);
      expect(out[(N - 1) * 2 * H * W + H * W]).toBe(0);
    });
  });

  it('refuses a kernel whose loops would pass the limit instead of stopping it early', () => {
    const be = backendByName('gpujs') as GpujsBackend;
    // a max pool window of 256x256 is one fragment's 65792-iteration loop nest
    const x = {
      handle: be.fill([1, 1, 256, 256], 'float32', 1),
      shape: [1, 1, 256, 256],
      dtype: 'float32' as const,
    };
    try {
      expect(() =>
        be.avgPool2d(x, {
          kernel: [256, 256],
          stride: [1, 1],
          padding: [0, 0],
          dilation: [1, 1],
          ceilMode: false,
        }),
      ).toThrow(/avgPool2d.*loop iterations per output element, over the 65535/);
    } finally {
      be.disposeData(x.handle);
    }
  });
});
