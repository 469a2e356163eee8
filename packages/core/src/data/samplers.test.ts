import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, tensor } from '../index.js';
import {
  BatchSampler,
  RandomSampler,
  SequentialSampler,
  SubsetRandomSampler,
  WeightedRandomSampler,
} from './index.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sorted = (a: number[]) => [...a].sort((p, q) => p - q);

describe('samplers', () => {
  it("SequentialSampler and BatchSampler give PyTorch's documented lists", () => {
    expect([...new SequentialSampler(range(4))]).toEqual([0, 1, 2, 3]);
    const seq = new SequentialSampler(range(10));
    expect([...new BatchSampler(seq, 3, false)]).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect([...new BatchSampler(seq, 3, true)]).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    expect(new BatchSampler(seq, 3, false).length).toBe(4);
    expect(new (BatchSampler as any)(seq, { batchSize: 3, dropLast: true }).length).toBe(3);
    // Any iterable of indices is a sampler; without a length the batch count is unknown.
    expect([...new BatchSampler([5, 1, 4], 2, false)]).toEqual([[5, 1], [4]]);
    expect(() => new BatchSampler(new Set([1]), 2, false).length).toThrow('the data source has no length');
  });

  it("BatchSampler refuses what PyTorch refuses, with PyTorch's messages", () => {
    const seq = new SequentialSampler(range(3));
    expect(() => new BatchSampler(seq, 0, false)).toThrow(
      'BatchSampler: batchSize should be a positive integer value, but got batchSize=0',
    );
    expect(() => new BatchSampler(seq, 2, 1 as never)).toThrow(
      'BatchSampler: dropLast should be a boolean value, but got dropLast=1',
    );
    expect(() => new (BatchSampler as any)(seq, 2)).toThrow(
      "BatchSampler: missing required argument 'dropLast'",
    );
  });

  it('RandomSampler: a permutation per pass, reproducible with a generator', () => {
    const s = new RandomSampler(range(10), { generator: new Generator(3) });
    const a = [...s];
    const b = [...s];
    expect(sorted(a)).toEqual(range(10));
    expect(a).not.toEqual(b);
    expect([...new RandomSampler(range(10), false, null, new Generator(3))]).toEqual(a);
    // Without a generator each pass seeds one from the default generator (manualSeed reproduces it).
    manualSeed(5);
    const c = [...new RandomSampler(range(10))];
    manualSeed(5);
    expect([...new RandomSampler(range(10))]).toEqual(c);
  });

  it('RandomSampler: numSamples beyond the length chains permutations; replacement draws freely', () => {
    const s = new RandomSampler(range(4), { numSamples: 10, generator: new Generator(0) });
    const xs = [...s];
    expect(s.length).toBe(10);
    expect(xs).toHaveLength(10);
    expect(sorted(xs.slice(0, 4))).toEqual([0, 1, 2, 3]);
    expect(sorted(xs.slice(4, 8))).toEqual([0, 1, 2, 3]);
    expect(new Set(xs.slice(8)).size).toBe(2);
    const r = [...new RandomSampler(range(3), true, 3000, new Generator(1))];
    expect(r).toHaveLength(3000);
    for (const k of [0, 1, 2]) expect(r.filter((x) => x === k).length).toBeGreaterThan(900);
    expect(() => new RandomSampler([])).toThrow(
      'RandomSampler: numSamples should be a positive integer value, but got numSamples=0',
    );
    expect(() => new RandomSampler(range(3), 'yes' as never)).toThrow(
      'RandomSampler: replacement must be a boolean',
    );
    expect(() => new RandomSampler(range(3), { num_samples: 2 } as never)).toThrow(
      "RandomSampler: unknown option 'num_samples' (did you mean 'numSamples'?)",
    );
  });

  it('SubsetRandomSampler: the given indices in random order', () => {
    const s = new SubsetRandomSampler([7, 3, 9, 1], new Generator(2));
    const a = [...s];
    expect(sorted(a)).toEqual([1, 3, 7, 9]);
    expect(s.length).toBe(4);
    expect([...new SubsetRandomSampler([7, 3, 9, 1], { generator: new Generator(2) })]).toEqual(a);
  });

  it('WeightedRandomSampler draws in proportion to the weights', () => {
    const w = [1, 0, 3];
    const xs = [...new WeightedRandomSampler(w, 8000, true, new Generator(0))];
    expect(xs.filter((x) => x === 1)).toHaveLength(0);
    const share = xs.filter((x) => x === 2).length / xs.length;
    expect(share).toBeGreaterThan(0.72);
    expect(share).toBeLessThan(0.78);
    // A tensor of weights works too; without replacement each index at most once, zeros never.
    const once = [...new WeightedRandomSampler(tensor([0.9, 0.4, 0.05, 0.2, 0.3, 0.1]), 6, false)];
    expect(sorted(once)).toEqual([0, 1, 2, 3, 4, 5]);
    const nz = [...new WeightedRandomSampler([5, 0, 1, 0], 2, { replacement: false })];
    expect(sorted(nz)).toEqual([0, 2]);
    // Heavy weights come first more often without replacement.
    let first0 = 0;
    const g = new Generator(4);
    for (let k = 0; k < 2000; k++) if ([...new WeightedRandomSampler([9, 1], 2, false, g)][0] === 0) first0++;
    expect(first0 / 2000).toBeGreaterThan(0.87);
    expect(first0 / 2000).toBeLessThan(0.93);
  });

  it('WeightedRandomSampler refuses invalid distributions as torch.multinomial does', () => {
    expect(() => new WeightedRandomSampler([1, 2], 0)).toThrow(
      'WeightedRandomSampler: numSamples should be a positive integer value, but got numSamples=0',
    );
    expect(() => new WeightedRandomSampler([1, 2], 2, 1 as never)).toThrow(
      'WeightedRandomSampler: replacement should be a boolean value, but got replacement=1',
    );
    expect(() => new WeightedRandomSampler(tensor([[1, 2]]), 2)).toThrow(
      'WeightedRandomSampler: weights should be a 1d sequence but given weights have shape [1,2]',
    );
    expect(() => new WeightedRandomSampler([1, -1], 2)).toThrow(
      'probability tensor contains either inf, nan or element < 0',
    );
    expect(() => new WeightedRandomSampler([0, 0], 2)).toThrow(
      'invalid multinomial distribution (sum of probabilities <= 0)',
    );
    expect(() => new WeightedRandomSampler([1, 1], 3, false)).toThrow(
      'cannot sample numSamples=3 > weights.length=2 samples without replacement',
    );
    expect(() => new WeightedRandomSampler([1, 0, 1], 3, false)).toThrow('not enough non-zero weights');
  });
});
