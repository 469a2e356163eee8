import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { arange, Generator, memory, tensor, tidy } from '../index.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  DataLoader,
  Dataset,
  defaultCollate,
  oneHot,
  randomSplit,
  Subset,
  TensorDataset,
  trainTestSplit,
} from './index.js';

const xs = (): Tensor => arange(0, 20, 1, { dtype: 'float32' }).reshape([10, 2]);
const ys = (): Tensor => arange(0, 10, 1, { dtype: 'int32' });

describe('DataLoader', () => {
  it('batches in order with a smaller last batch, or drops it', () => {
    tidy(() => {
      const ds = new TensorDataset(xs(), ys());
      const loader = new DataLoader(ds, { batchSize: 4 });
      expect(loader.length).toBe(3);
      const batches = [...loader];
      expect(batches.map(([, y]) => y.toArray())).toEqual([
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9],
      ]);
      expect(batches[0][0].shape).toEqual([4, 2]);
      expect(batches[2][0].toArray()).toEqual([
        [16, 17],
        [18, 19],
      ]);
      const dropped = new DataLoader(ds, { batchSize: 4, dropLast: true });
      expect(dropped.length).toBe(2);
      expect([...dropped].length).toBe(2);
    });
  });

  it('reshuffles every epoch, deterministically for a seed', () => {
    tidy(() => {
      const ds = new TensorDataset(xs(), ys());
      const epochs = (seed: number): number[][] => {
        const loader = new DataLoader(ds, { batchSize: 10, shuffle: true, generator: new Generator(seed) });
        return [0, 1, 2].map(() => [...loader][0][1].toArray() as number[]);
      };
      const a = epochs(7);
      expect(epochs(7)).toEqual(a);
      expect(a[0]).not.toEqual(a[1]);
      for (const e of a) expect([...e].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(epochs(8)[0]).not.toEqual(a[0]);
      // The x rows follow their labels.
      const [x, y] = [
        ...new DataLoader(ds, { batchSize: 10, shuffle: true, generator: new Generator(1) }),
      ][0];
      expect((x.toArray() as number[][]).map((r) => r[0] / 2)).toEqual(y.toArray());
    });
  });

  it('stacks samples of a custom dataset, or calls a custom collate', () => {
    class Squares extends Dataset<{ x: Tensor; n: number }> {
      get length(): number {
        return 5;
      }
      getItem(i: number) {
        return { x: tensor([i, i * i]), n: i };
      }
    }
    tidy(() => {
      const batches = [...new DataLoader(new Squares(), { batchSize: 2 })] as { x: Tensor; n: Tensor }[];
      expect(batches.length).toBe(3);
      expect(batches[1].x.toArray()).toEqual([
        [2, 4],
        [3, 9],
      ]);
      expect(batches[1].n.dtype).toBe('int64');
      const sums = [
        ...new DataLoader(new Squares(), {
          batchSize: 2,
          collateFn: (items) => items.reduce((s, it) => s + it.n, 0),
        }),
      ];
      expect(sums).toEqual([1, 5, 4]);
    });
  });

  it('leaks nothing but the batches', () => {
    tidy(() => {
      const ds = new TensorDataset(xs(), ys());
      const before = memory().numTensors;
      const batches = [...new DataLoader(ds, { batchSize: 3, shuffle: true, generator: new Generator(0) })];
      expect(memory().numTensors - before).toBe(2 * batches.length);
    });
  });

  it('refuses mismatched tensors and bad batch sizes', () => {
    tidy(() => {
      expect(() => new TensorDataset(xs(), arange(3))).toThrow(
        'TensorDataset: size mismatch between tensors',
      );
      expect(() => new DataLoader(new TensorDataset(xs()), { batchSize: 0 })).toThrow(
        'batchSize must be a positive integer',
      );
      expect(() => defaultCollate([{}, 3].map(() => Symbol('s')))).toThrow(
        'defaultCollate: batch must contain tensors, typed arrays, numbers, booleans, strings, arrays or objects; found symbol',
      );
    });
  });
});

describe('randomSplit / trainTestSplit / oneHot', () => {
  it('splits by counts or fractions into disjoint subsets', () => {
    tidy(() => {
      const ds = new TensorDataset(xs(), ys());
      const [a, b] = randomSplit(ds, [7, 3], new Generator(0));
      expect([a.length, b.length]).toEqual([7, 3]);
      expect([...a.indices, ...b.indices].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const parts = randomSplit(ds, [0.5, 0.3, 0.2], new Generator(0));
      expect(parts.map((p) => p.length)).toEqual([5, 3, 2]);
      expect(randomSplit(ds, [1 / 3, 1 / 3, 1 / 3]).map((p) => p.length)).toEqual([4, 3, 3]);
      expect(() => randomSplit(ds, [5, 4])).toThrow('randomSplit: sum of input lengths [5,4] does not equal');
      // A loader over a Subset of a TensorDataset still gathers the right rows.
      const [, y] = [...new DataLoader(new Subset(ds, [9, 2, 5]), { batchSize: 3 })][0];
      expect(y.toArray()).toEqual([9, 2, 5]);
    });
  });

  it('trainTestSplit returns [xTrain, xTest, yTrain, yTest] like scikit-learn', () => {
    tidy(() => {
      const [xTr, xTe, yTr, yTe] = trainTestSplit(xs(), ys(), { testSize: 0.25, seed: 3 });
      expect(xTr.shape).toEqual([7, 2]); // ceil(2.5) = 3 test samples
      expect(xTe.shape).toEqual([3, 2]);
      expect([...(yTr.toArray() as number[]), ...(yTe.toArray() as number[])].sort((a, b) => a - b)).toEqual([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
      ]);
      expect((xTe.toArray() as number[][]).map((r) => r[1])).toEqual(
        (yTe.toArray() as number[]).map((v) => 2 * v + 1),
      );
      const [, , yTr2, yTe2] = trainTestSplit(xs(), ys(), { testSize: 2, shuffle: false });
      expect(yTr2.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(yTe2.toArray()).toEqual([8, 9]);
      expect(trainTestSplit(xs(), ys(), { testSize: 0.25, seed: 3 })[3].toArray()).toEqual(yTe.toArray());
    });
  });

  it('oneHot encodes class indices', () => {
    tidy(() => {
      expect(oneHot(tensor([0, 2, 1], { dtype: 'int32' }), 3).toArray()).toEqual([
        [1, 0, 0],
        [0, 0, 1],
        [0, 1, 0],
      ]);
    });
  });
});
