// multinomial, bernoulli and normal. Our generator is not PyTorch's, so samples cannot match
// torch's bit for bit: these tests check the distributions statistically (fixed seeds, bounds
// several standard errors wide), exact shapes, dtypes and devices, determinism under a seed,
// PyTorch's zero gradients, and PyTorch's refusals (the refusals also run as op-table cases).
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  bernoulli,
  full,
  Generator,
  manualSeed,
  multinomial,
  normal,
  ones,
  type Tensor,
  tensor,
  tidy,
  zeros,
} from '../index.js';

/** Flat values as numbers (int64 too). */
const flat = (t: Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number | bigint>, Number);
const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const freq = (v: readonly number[], k: number): number[] => {
  const c = new Array<number>(k).fill(0);
  for (const x of v) c[x]++;
  return c.map((n) => n / v.length);
};

describe('multinomial', () => {
  it('draws with replacement in proportion to the weights (20000 draws, within 4 standard errors)', () => {
    tidy(() => {
      const w = [1, 2, 0, 7];
      const s = multinomial(tensor(w), 20000, true, { generator: new Generator(1) });
      expect(s.shape).toEqual([20000]);
      expect(s.dtype).toBe('int64');
      expect(s.device).toBe('cpu');
      const f = freq(flat(s), 4);
      for (const [j, p] of [0.1, 0.2, 0, 0.7].entries()) {
        expect(Math.abs(f[j] - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 20000) + 1e-9);
      }
    });
  });

  it('draws without replacement as sequential sampling does (pairs of draws over 20000 rows)', () => {
    tidy(() => {
      const w = [0.5, 0.3, 0.2];
      const s = multinomial(tensor(w).expand(20000, 3).contiguous(), 2, { generator: new Generator(2) });
      expect(s.shape).toEqual([20000, 2]);
      const v = flat(s);
      const pairs = new Map<string, number>();
      for (let r = 0; r < 20000; r++) {
        expect(v[2 * r]).not.toBe(v[2 * r + 1]);
        const key = `${v[2 * r]}${v[2 * r + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
      // P(first = i, second = j) = w_i · w_j / (1 - w_i)
      for (const [i, j] of [
        [0, 1],
        [1, 0],
        [2, 1],
        [0, 2],
      ]) {
        const p = (w[i] * w[j]) / (1 - w[i]);
        const got = (pairs.get(`${i}${j}`) ?? 0) / 20000;
        expect(Math.abs(got - p), `pair ${i}${j}`).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 20000));
      }
    });
  });

  it('without replacement: each category once, zero weights only after the others (as PyTorch)', () => {
    tidy(() => {
      const s = flat(multinomial(tensor([0, 1, 0, 3]), 4));
      expect([...s].sort()).toEqual([0, 1, 2, 3]);
      expect(new Set(s.slice(0, 2))).toEqual(new Set([1, 3]));
      expect(flat(multinomial(tensor([0, 0, 5]), 3, true))).toEqual([2, 2, 2]);
    });
  });

  it('is deterministic under a seed (default generator and an explicit one) and a Tensor method', () => {
    tidy(() => {
      const p = tensor([[0.2, 0.3, 0.5]]);
      manualSeed(42);
      const a = flat(multinomial(p, 6, true));
      manualSeed(42);
      const b = flat(p.multinomial(6, true));
      expect(b).toEqual(a);
      const g1 = flat(p.multinomial(3, { generator: new Generator(7) }));
      const g2 = flat(multinomial(p, { numSamples: 3, generator: new Generator(7) }));
      expect(g2).toEqual(g1);
      expect(multinomial(zeros(0, 3).add(1), 2).shape).toEqual([0, 2]);
      expect(multinomial(ones(3, { dtype: 'float64' }), 1).dtype).toBe('int64');
    });
  });

  it('refuses invalid distributions and arguments, naming multinomial', () => {
    tidy(() => {
      expect(() => multinomial(tensor([1, 2], { dtype: 'int64' }), 1)).toThrow(
        /multinomial: only supports floating point/,
      );
      expect(() => multinomial(ones(2, 2, 2), 1)).toThrow(/multinomial: prob_dist must be 1 or 2 dim/);
      expect(() => multinomial(ones(3), 4)).toThrow(
        /cannot sample numSamples > prob_dist.size\(-1\) samples without replacement/,
      );
      expect(() => multinomial(ones(3), 0)).toThrow(/cannot sample numSamples <= 0/);
      expect(() => multinomial(tensor([-1, 1]), 1, true)).toThrow(
        /multinomial: invalid multinomial distribution: row 0 has an entry -1/,
      );
      expect(() => multinomial(tensor([Number.NaN, 1]), 1)).toThrow(/invalid multinomial distribution/);
      expect(() => multinomial(tensor([Number.POSITIVE_INFINITY, 1]), 1)).toThrow(
        /invalid multinomial distribution/,
      );
      expect(() =>
        multinomial(
          tensor([
            [1, 1],
            [0, 0],
          ]),
          1,
        ),
      ).toThrow(/sum of probabilities <= 0\) in row 1/);
      expect(() => multinomial(ones(3), 1.5)).toThrow(/multinomial: numSamples must be an integer/);
    });
  });
});

describe('bernoulli', () => {
  it('draws ones with each element probability (20000 draws) and keeps the dtype and device', () => {
    tidy(() => {
      const y = bernoulli(full([20000], 0.3, { dtype: 'float64' }), { generator: new Generator(3) });
      expect(y.dtype).toBe('float64');
      expect(y.device).toBe('cpu');
      const v = flat(y);
      expect(v.every((x) => x === 0 || x === 1)).toBe(true);
      expect(Math.abs(mean(v) - 0.3)).toBeLessThan(4 * Math.sqrt(0.21 / 20000));
      expect(flat(bernoulli(tensor([0, 1, 1, 0])))).toEqual([0, 1, 1, 0]);
    });
  });

  it('with a number p: a tensor of the input shape and dtype (integers too)', () => {
    tidy(() => {
      const y = bernoulli(zeros([20000], { dtype: 'int32' }), 0.8, { generator: new Generator(4) });
      expect(y.dtype).toBe('int32');
      expect(Math.abs(mean(flat(y)) - 0.8)).toBeLessThan(4 * Math.sqrt(0.16 / 20000));
      expect(flat(zeros(5).bernoulli(1))).toEqual([1, 1, 1, 1, 1]);
      expect(flat(ones(3, { dtype: 'bool' }).bernoulli(0))).toEqual([0, 0, 0]);
    });
  });

  it('has a zero gradient, as PyTorch (the number-p form none)', () => {
    tidy(() => {
      const p = full([3], 0.5).requiresGrad_(true);
      const y = bernoulli(p);
      expect(y.requiresGrad).toBe(true);
      y.mul(2).sum().backward();
      expect(flat(p.grad!)).toEqual([0, 0, 0]);
      expect(bernoulli(p, 0.5).requiresGrad).toBe(false);
    });
  });

  it('is deterministic under a seed; refuses probabilities outside [0, 1]', () => {
    tidy(() => {
      manualSeed(9);
      const a = flat(bernoulli(full([50], 0.5)));
      manualSeed(9);
      expect(flat(full([50], 0.5).bernoulli())).toEqual(a);
      expect(() => bernoulli(tensor([0.5, 1.5]))).toThrow(
        /bernoulli: expects every probability to be in \[0, 1\], got 1.5 at flat index 1/,
      );
      expect(() => bernoulli(tensor([Number.NaN]))).toThrow(/bernoulli: expects every probability/);
      expect(() => bernoulli(ones(2), -0.1)).toThrow(/bernoulli: expects p to be in \[0, 1\]/);
      expect(() => bernoulli(ones(2, { dtype: 'int64' }))).toThrow(
        /bernoulli: the probabilities must be a floating point tensor/,
      );
    });
  });
});

describe('normal', () => {
  it('number mean and std with a size: the distribution, dtype and device options', () => {
    tidy(() => {
      const y = normal(1, 2, [20000], { generator: new Generator(5) });
      expect(y.shape).toEqual([20000]);
      expect(y.dtype).toBe('float32');
      const v = flat(y);
      const m = mean(v);
      const sd = Math.sqrt(mean(v.map((x) => (x - m) ** 2)));
      expect(Math.abs(m - 1)).toBeLessThan(4 * (2 / Math.sqrt(20000)));
      expect(Math.abs(sd - 2)).toBeLessThan(0.06);
      const z = normal(0, 1, [2, 3], { dtype: 'float64', device: 'cpu', requiresGrad: true });
      expect([z.dtype, z.device, z.requiresGrad, z.shape]).toEqual(['float64', 'cpu', true, [2, 3]]);
      expect(normal({ mean: 0, std: 1, size: [4] }).shape).toEqual([4]);
    });
  });

  it('tensor mean and/or std: broadcast shapes, the mean tensor dtype, each element its own mean and std', () => {
    tidy(() => {
      const y = normal(tensor([0, 100]).reshape(2, 1), tensor([0, 1, 0]));
      expect(y.shape).toEqual([2, 3]);
      const v = flat(y);
      expect([v[0], v[2], v[3], v[5]]).toEqual([0, 0, 100, 100]); // std 0: exactly the mean
      expect(normal(zeros(3, { dtype: 'float64' }), ones(3)).dtype).toBe('float64');
      expect(normal(2, ones(2, 2, { dtype: 'float64' })).dtype).toBe('float64');
      expect(normal(zeros(4)).shape).toEqual([4]);
      const big = flat(normal(full([20000], 3), 0.5, { generator: new Generator(6) }));
      expect(Math.abs(mean(big) - 3)).toBeLessThan(4 * (0.5 / Math.sqrt(20000)));
    });
  });

  it('has zero gradients to tensor mean and std, as PyTorch', () => {
    tidy(() => {
      const m = zeros(2, 1).requiresGrad_(true);
      const s = ones(3).requiresGrad_(true);
      normal(m, s).sum().backward();
      expect(flat(m.grad!)).toEqual([0, 0]);
      expect(flat(s.grad!)).toEqual([0, 0, 0]);
    });
  });

  it('is deterministic under a seed; refuses what PyTorch refuses', () => {
    tidy(() => {
      manualSeed(1);
      const a = flat(normal(0, 1, [8]));
      manualSeed(1);
      expect(flat(normal(0, 1, [8]))).toEqual(a);
      expect(() => (normal as (...a: unknown[]) => Tensor)(0, 1)).toThrow(
        /normal: with a number mean and std, give the size/,
      );
      expect(() => normal(0, -1, [2])).toThrow(/normal: expects std >= 0.0, but found std -1/);
      expect(() => normal(zeros(2), tensor([1, -1]))).toThrow(/normal: expects all elements of std >= 0.0/);
      expect(() => normal(zeros(2, { dtype: 'int64' }), 1)).toThrow(
        /normal: mean and std must be floating point/,
      );
      expect(() => normal(0, 1, [2], { dtype: 'int64' })).toThrow(/normal: not implemented for int64/);
      expect(() => normal(zeros(2, 3), ones(6))).toThrow(/normal/);
      expect(() => normal(zeros(2), 1, { dtype: 'float64' } as never)).toThrow(
        /normal: 'dtype' is only taken with a number mean and std/,
      );
    });
  });
});
