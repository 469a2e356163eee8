import { arange, nn, ones, type Tensor, tensor, zeros } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { f32 } from './data.js';

// Long reductions, inner products and normalisation statistics (issue 11: a GL backend
// stopped every loop after 65535 iterations and returned what it had). Sizes reach 2^17 and
// 2^20; every expected value is closed-form or a float64 reference computed here. Integer
// data keeps float32 partial sums exact in any summation order, so those compare exactly.

const N17 = 2 ** 17;
const N20 = 2 ** 20;

/** Small integers -3..3: sums over 2^20 of them stay far below 2^24, exact in float32. */
const pat = (i: number) => (i % 7) - 3;

/** A float32 vector of f(0..n-1). */
function seq(n: number, f: (i: number) => number): Tensor {
  return tensor(Float32Array.from({ length: n }, (_, i) => f(i)));
}

/** Σ f(i) over i < n in float64. */
function refSum(n: number, f: (i: number) => number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += f(i);
  return s;
}

/** Values of f with spikes: index → value overrides. */
const spiked =
  (f: (i: number) => number, spikes: Record<number, number>) =>
  (i: number): number =>
    spikes[i] ?? f(i);

/** softmax of a row of n zeros with one logit z: [the hot entry, every other entry]. */
function oneHotSoftmax(n: number, z: number): [number, number] {
  const hot = 1 / (1 + (n - 1) * Math.exp(-z));
  return [hot, hot * Math.exp(-z)];
}

const reductionCases: ConformanceCase[] = [
  tcase('size/sum/all-2-17-ones', (t) => {
    t.equal(ones(N17).sum(), N17);
    t.equal(ones(N17).mean(), 1);
  }),
  tcase('size/sum/all-2-20', (t) => {
    t.equal(seq(N20, pat).sum(), refSum(N20, pat));
  }),
  tcase('size/sum/last-dim-long', (t) => {
    // [2, 2^17]: a row of ones, a row of the pattern
    const x = seq(2 * N17, (i) => (i < N17 ? 1 : pat(i - N17))).reshape([2, N17]);
    t.equal(x.sum(1), [N17, refSum(N17, pat)]);
    t.equal(x.sum(-1, true), [[N17], [refSum(N17, pat)]]);
  }),
  tcase('size/sum/first-dim-long', (t) => {
    // [2^17, 2]: column 0 ones, column 1 the pattern; the long dim is not the last
    const x = seq(2 * N17, (k) => (k % 2 === 0 ? 1 : pat(k >> 1))).reshape([N17, 2]);
    t.equal(x.sum(0), [N17, refSum(N17, pat)]);
  }),
  tcase('size/mean/all-and-dims', (t) => {
    t.close(seq(N20, pat).mean(), refSum(N20, pat) / N20);
    const x = seq(2 * N17, (i) => (i < N17 ? 1 : pat(i - N17))).reshape([2, N17]);
    t.close(x.mean(1), [1, refSum(N17, pat) / N17]);
  }),
  tcase('size/max/all-2-20', (t) => {
    // ties: the first of the maxima (and of the minima) is the index, both past 65535
    const f = spiked(pat, { [N20 - 77777]: 50, [N20 - 5]: 50, 70001: -60, [N20 - 3]: -60 });
    const x = seq(N20, f);
    t.equal(x.max(), 50);
    t.equal(x.argmax(), N20 - 77777);
    t.equal(x.min(), -60);
    t.equal(x.argmin(), 70001);
  }),
  tcase('size/max/last-dim-long', (t) => {
    const f = spiked(pat, { 70000: 50, [2 * N17 - 1]: 40, [N17 + 99999]: -60, 5: -9 });
    const x = seq(2 * N17, f).reshape([2, N17]);
    t.equal(x.max(1).values, [50, 40]);
    t.equal(x.max(1).indices, [70000, N17 - 1]);
    t.equal(x.argmax(1), [70000, N17 - 1]);
    t.equal(x.min(1).values, [-9, -60]);
    t.equal(x.argmin(-1), [5, 99999]);
  }),
  tcase('size/max/first-dim-long', (t) => {
    // [2^17, 2]: column 0 peaks at row 100000, column 1 at row 65536
    const f = spiked(pat, { [2 * 100000]: 50, [2 * 65536 + 1]: 40, [2 * 120000 + 1]: -70 });
    const x = seq(2 * N17, f).reshape([N17, 2]);
    t.equal(x.max(0).values, [50, 40]);
    t.equal(x.argmax(0), [100000, 65536]);
    t.equal(x.argmin(0, true), [[0, 120000]]);
  }),
  tcase('size/var/2-17', (t) => {
    // alternating 1, 3 (and 1001, 1003): mean 2, biased variance 1, unbiased n / (n - 1)
    for (const off of [0, 1000]) {
      const x = seq(N17, (i) => off + (i % 2 === 0 ? 1 : 3));
      t.close(x.var(), N17 / (N17 - 1), `var (offset ${off})`);
      t.close(x.var({ correction: 0 }), 1, `biased var (offset ${off})`);
      t.close(x.std(), Math.sqrt(N17 / (N17 - 1)), `std (offset ${off})`);
    }
  }),
];

const softmaxCases: ConformanceCase[] = [
  tcase('size/softmax/ones-long', (t) => {
    t.close(ones(N17).softmax(0), new Array(N17).fill(1 / N17));
    t.close(ones(N17).logSoftmax(0), new Array(N17).fill(-Math.log(N17)));
    // along a long first dim of [2^17, 2]
    t.close(ones(N17, 2).softmax(0).sum(0), [1, 1]);
  }),
  tcase('size/softmax/one-hot-logit', (t) => {
    // [2, 2^17] zeros with one logit of 20 per row, at 100000 and at 3
    const z = 20;
    const hot = [100000, 3];
    const x = seq(2 * N17, (i) => (i === hot[0] || i === N17 + hot[1] ? z : 0)).reshape([2, N17]);
    const [big, small] = oneHotSoftmax(N17, z);
    const want = hot.map((h) => Array.from({ length: N17 }, (_, j) => (j === h ? big : small)));
    t.close(x.softmax(1), want);
    const lse = Math.log(1 + (N17 - 1) * Math.exp(-z));
    t.close(
      x.logSoftmax(-1),
      hot.map((h) => Array.from({ length: N17 }, (_, j) => (j === h ? -lse : -z - lse))),
    );
  }),
];

const linearCases: ConformanceCase[] = [
  tcase('size/matmul/inner-100000', (t) => {
    t.equal(ones(1, 100000).matmul(ones(100000, 1)), [[100000]]);
    checkMatmul(t, 100000);
  }),
  tcase('size/matmul/inner-2-17', (t) => {
    checkMatmul(t, N17);
  }),
  tcase('size/mseLoss/mnist-batch', (t) => {
    const shape = [256, 1, 28, 28];
    t.equal(nn.functional.mseLoss(ones(...shape), zeros(shape)), 1);
    // (i mod 4) / 2 against 0: squares 0, 1/4, 1, 9/4 in equal numbers, mean 7/8
    const n = 256 * 28 * 28;
    t.close(nn.functional.mseLoss(seq(n, (i) => (i % 4) / 2).reshape(shape), zeros(shape)), 7 / 8);
  }),
  tcase('size/crossEntropy/big-batch', (t) => {
    // 2^17 samples of 4 classes, target i mod 4: zero logits give log 4 each; a logit of 10
    // on the target gives log(1 + 3e^-10)
    const B = N17;
    const y = tensor(Int32Array.from({ length: B }, (_, i) => i % 4));
    t.close(nn.functional.crossEntropy(zeros(B, 4), y), Math.log(4));
    const logits = seq(4 * B, (k) => (k % 4 === (k >> 2) % 4 ? 10 : 0)).reshape([B, 4]);
    t.close(nn.functional.crossEntropy(logits, y), Math.log(1 + 3 * Math.exp(-10)));
    t.close(nn.functional.crossEntropy(logits, y, { reduction: 'sum' }), B * Math.log(1 + 3 * Math.exp(-10)));
  }),
  tcase('size/batchNorm2d/training-stats', (t) => {
    // N·H·W = 128·32·32 = 131072 per channel. Channel 0 alternates 1, 3 (mean 2, biased var 1,
    // unbiased M / (M - 1)); channel 1 is all 5 (mean 5, var 0). One step, momentum 0.1.
    const [N, H, W] = [128, 32, 32];
    const M = N * H * W;
    const x = seq(N * 2 * H * W, (i) =>
      Math.floor(i / (H * W)) % 2 === 1 ? 5 : i % 2 === 0 ? 1 : 3,
    ).reshape([N, 2, H, W]);
    const bn = new nn.BatchNorm2d(2);
    try {
      const y = bn.forward(x) as Tensor;
      t.close(bn.running_mean as Tensor, [0.1 * 2, 0.1 * 5], 'running_mean');
      t.close(bn.running_var as Tensor, [0.9 + (0.1 * M) / (M - 1), 0.9], 'running_var');
      // normalised: channel 0 is ±1/sqrt(1 + eps), channel 1 is 0
      const r = 1 / Math.sqrt(1 + 1e-5);
      t.close(
        y
          .narrow(0, N - 1, 1)
          .narrow(2, H - 1, 1)
          .narrow(3, W - 2, 2),
        [[[[-r, r]], [[0, 0]]]],
      );
    } finally {
      for (const p of [...bn.parameters(), ...bn.buffers()]) p.dispose();
    }
  }),
];

/** [2, K] @ [K, 3] on small integers (exact sums) against a float64 reference. */
function checkMatmul(t: Parameters<ConformanceCase['run']>[0], K: number): void {
  const a = (r: number, k: number) => ((k + r) % 5) - 2;
  const b = (k: number, c: number) => ((k + c) % 3) - 1;
  const A = seq(2 * K, (i) => a(Math.floor(i / K), i % K)).reshape([2, K]);
  const B = seq(3 * K, (i) => b(Math.floor(i / 3), i % 3)).reshape([K, 3]);
  const want = [0, 1].map((r) => [0, 1, 2].map((c) => refSum(K, (k) => a(r, k) * b(k, c))));
  t.equal(A.matmul(B), want);
  // (Bᵀ Aᵀ)ᵀ: transposed operand layouts step through memory differently
  t.equal(B.t().matmul(A.t()).t(), want);
}

const INF = Number.POSITIVE_INFINITY;

const extremeCases: ConformanceCase[] = [
  tcase('size/extreme/huge-magnitudes', (t) => {
    // ±1e30 extremes past 65535; sums of ±2^100 (≈1.27e30) multiples are exact in float32
    const x = seq(
      N17,
      spiked(() => 0, { 70000: 1e30, 100000: -1e30 }),
    );
    t.equal(x.max(), Math.fround(1e30));
    t.equal(x.min(), Math.fround(-1e30));
    t.equal(x.argmax(), 70000);
    const p = 2 ** 100;
    t.equal(seq(N17, (i) => p * pat(i)).sum(), p * refSum(N17, pat));
  }),
  tcase('size/extreme/overflow-to-infinity', (t) => {
    // 2^17 · 3e38 exceeds float32's range: +Infinity, as PyTorch's float32 sum gives
    t.equal(full17(3e38).sum(), INF);
    t.equal(full17(-3e38).sum(), -INF);
  }),
  tcase('size/extreme/infinities', (t) => {
    const x = seq(N17, spiked(pat, { 100000: INF }));
    t.equal(x.max(), INF);
    t.equal(x.argmax(), 100000);
    t.equal(x.sum(), INF);
    const y = seq(N17, spiked(pat, { 70000: -INF, 100000: INF }));
    t.equal(y.min(), -INF);
    t.equal(y.sum(), Number.NaN);
  }),
  tcase('size/extreme/nan-propagates', (t) => {
    const x = seq(2 * N17, spiked(pat, { [N17 + 100000]: Number.NaN })).reshape([2, N17]);
    t.equal(x.sum(1), [refSum(N17, pat), Number.NaN]);
    t.equal(x.max(1).values, [3, Number.NaN]);
    t.equal(x.min(), Number.NaN);
    t.equal(x.argmax(1), [6, 100000]);
    t.equal(x.argmin(1), [0, 100000]);
    t.equal(x.sum(), Number.NaN);
  }),
  tcase('size/extreme/tied-huge-logits', (t) => {
    // max-shifted: exp(0) twice, log 2 (without the shift exp(1e20) overflows; a kernel that
    // loses the tie in the rounding of 1e20 gets 0)
    t.close(f32([1e20, 1e20]).logSoftmax(0), [-Math.LN2, -Math.LN2]);
    t.close(f32([1e20, 1e20]).softmax(0), [0.5, 0.5]);
    t.close(full17(1e20).logSoftmax(0), new Array(N17).fill(-Math.log(N17)));
  }),
  tcase('size/extreme/subnormals', (t) => {
    // 2^-140 is a float32 subnormal; 2^17 of them sum to the normal 2^-123
    const x = full17(2 ** -140);
    t.equal(x.max(), 2 ** -140);
    t.equal(x.sum(), 2 ** -123);
  }),
];

/** A vector of 2^17 copies of v (through write, not fill: fill takes a different path). */
function full17(v: number): Tensor {
  return seq(N17, () => v);
}

/**
 * The new dtypes at 2^17 elements (values from PyTorch 1.13): an int64 sum past 2^31, and the
 * half types' float32 accumulation rounded once (float16 overflows to inf past 65504).
 */
const dtypeCases: ConformanceCase[] = [
  tcase('size/int64/sum-arange-2-17', (t) => {
    const s = arange(N17).sum();
    t.dtype(s, 'int64');
    t.item(s, 8589869056, 'Σ 0..2^17-1 (past 2^31)');
  }),
  tcase(
    'size/float16/sum-2-17-ones',
    (t) => {
      t.item(ones([N17], { dtype: 'float16' }).sum(), Number.POSITIVE_INFINITY, 'float16 sum of 2^17 ones');
    },
    ['float16'],
  ),
  tcase(
    'size/bfloat16/sum-2-17',
    (t) => {
      t.item(ones([N17], { dtype: 'bfloat16' }).sum(), 131072, 'bfloat16 sum of 2^17 ones');
      const x = seq(N17, (i) => i / N17).bfloat16();
      t.item(x.sum(), 65536, 'bfloat16 sum of i / 2^17');
    },
    ['bfloat16'],
  ),
];

/** Sizes of 2^17 and 2^20 elements: sums, extremes, softmax, matmul, losses, norms, extremes of float32. */
export const sizeCases: ConformanceCase[] = [
  ...reductionCases,
  ...softmaxCases,
  ...linearCases,
  ...extremeCases,
  ...dtypeCases,
];
