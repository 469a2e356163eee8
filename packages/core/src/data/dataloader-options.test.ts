import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { arange, Generator, memory, type Tensor, tensor, tidy } from '../index.js';
import type * as data from './index.js';
import {
  BatchSampler,
  ChainDataset,
  DataLoader,
  IterableDataset,
  RandomSampler,
  SequentialSampler,
  TensorDataset,
  WeightedRandomSampler,
} from './index.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const values = (b: unknown) => Array.from((b as Tensor).dataSync() as ArrayLike<number | bigint>, Number);
const ds10 = () => new TensorDataset(arange(0, 10, 1, { dtype: 'float32' }));

describe("DataLoader: PyTorch's mutually exclusive options", () => {
  it('sampler excludes shuffle; batchSampler excludes batchSize, shuffle, sampler and dropLast', () => {
    const s = new SequentialSampler(range(10));
    expect(() => new DataLoader(range(10), { sampler: s, shuffle: true })).toThrow(
      'DataLoader: sampler option is mutually exclusive with shuffle',
    );
    const bs = new BatchSampler(s, 3, false);
    const msg =
      'DataLoader: batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast';
    expect(() => new DataLoader(range(10), { batchSampler: bs, batchSize: 3 })).toThrow(msg);
    expect(() => new DataLoader(range(10), { batchSampler: bs, shuffle: true })).toThrow(msg);
    expect(() => new DataLoader(range(10), { batchSampler: bs, sampler: s })).toThrow(msg);
    expect(() => new DataLoader(range(10), { batchSampler: bs, dropLast: true })).toThrow(msg);
    expect(() => new DataLoader(range(10), { batchSampler: bs, batchSize: null })).toThrow(msg);
    // batchSize 1 (PyTorch's default) spelt out is accepted, and the loader reports batchSize null.
    const ok = new DataLoader(range(10), { batchSampler: bs, batchSize: 1 });
    expect([ok.batchSize, ok.length]).toEqual([null, 4]);
    expect(() => new DataLoader(range(10), { batchSize: null, dropLast: true })).toThrow(
      'DataLoader: batchSize=null option disables auto-batching and is mutually exclusive with dropLast',
    );
  });

  it('iterable datasets take no shuffle, sampler or batchSampler', () => {
    const it = {
      *[Symbol.iterator]() {
        yield* [1, 2, 3];
      },
    };
    expect(() => new DataLoader(it, { shuffle: true })).toThrow(
      'DataLoader with an iterable-style dataset: expected unspecified shuffle option, but got shuffle=true',
    );
    expect(new DataLoader(it, { shuffle: false }).shuffle).toBe(false);
    expect(() => new DataLoader(it, { sampler: [0, 1] })).toThrow('expected unspecified sampler option');
    expect(() => new DataLoader(it, { batchSampler: [[0, 1]] })).toThrow(
      'expected unspecified batchSampler option',
    );
  });

  it('worker options: checked as PyTorch checks them; never silently ignored', () => {
    expect(() => new DataLoader(range(3), { numWorkers: -1 })).toThrow(
      'DataLoader: numWorkers option should be non-negative',
    );
    expect(() => new DataLoader(range(3), { prefetchFactor: 4 })).toThrow(
      'DataLoader: prefetchFactor option could only be specified in multiprocessing',
    );
    expect(() => new DataLoader(range(3), { timeout: 5 })).toThrow(
      'DataLoader: timeout applies to worker loading',
    );
    expect(() => new DataLoader(range(3), { timeout: -1 })).toThrow(
      'DataLoader: timeout option should be non-negative',
    );
    expect(() => new DataLoader(range(3), { multiprocessingContext: 'spawn' } as never)).toThrow(
      'DataLoader: multiprocessingContext must be null (there are no worker processes)',
    );
    const w = new DataLoader(range(3), {
      numWorkers: 2,
      prefetchFactor: 3,
      persistentWorkers: true,
      pinMemory: true,
    });
    expect([w.numWorkers, w.prefetchFactor, w.persistentWorkers, w.pinMemory]).toEqual([2, 3, true, true]);
    // With workers the batches are the same (PyTorch keeps the order).
    expect([...w].map(values)).toEqual([[0], [1], [2]]);
    expect(() => new DataLoader(42 as never)).toThrow(
      'DataLoader: dataset must be a map-style dataset (length and getItem, or an array) or an iterable (sync or async), got 42',
    );
  });

  it('positional arguments bind in PyTorch order (sampler 4th, batchSampler 5th)', () => {
    const l = new DataLoader(range(6), 2, null, [5, 4, 3, 2, 1, 0]);
    expect([...l].map(values)).toEqual([
      [5, 4],
      [3, 2],
      [1, 0],
    ]);
    const b = new DataLoader(range(6), 1, false, null, [[1, 2, 3], [0]]);
    expect([...b].map(values)).toEqual([[1, 2, 3], [0]]);
    expect(b.length).toBe(2);
  });
});

describe('DataLoader: samplers drive the order', () => {
  it('shuffle uses RandomSampler(generator); a given sampler is used as is', () => {
    tidy(() => {
      const l = new DataLoader(ds10(), { batchSize: 10, shuffle: true, generator: new Generator(1) });
      expect(l.sampler).toBeInstanceOf(RandomSampler);
      expect(l.batchSampler).toBeInstanceOf(BatchSampler);
      const order = [...new RandomSampler(range(10), false, null, new Generator(1))];
      expect(values([...l][0][0])).toEqual(order);
      const w = new DataLoader(ds10(), {
        batchSize: 5,
        sampler: new WeightedRandomSampler([0, 0, 1, 0, 0, 0, 0, 0, 0, 0], 10),
      });
      expect([...w].map((b) => values(b[0]))).toEqual([
        [2, 2, 2, 2, 2],
        [2, 2, 2, 2, 2],
      ]);
    });
  });

  it('a sampler without a length still loads; only length is unknown', () => {
    const l = new DataLoader(range(5), { batchSize: 2, sampler: new Set([4, 0, 2]) });
    expect(() => l.length).toThrow('DataLoader: the sampler has no length');
    expect([...l].map(values)).toEqual([[4, 0], [2]]);
  });

  it("bad indices from a sampler are the dataset's errors", () => {
    tidy(() => {
      expect(() => [...new DataLoader(ds10(), { batchSize: 2, sampler: [0, 10] })]).toThrow(
        'TensorDataset.getItem: index 10 is out of range for 10 items',
      );
      expect(values([...new DataLoader(ds10(), { batchSize: 2, sampler: [-1, 0] })][0][0])).toEqual([9, 0]);
    });
  });
});

describe('DataLoader: iterable and asynchronous datasets', () => {
  class Stream extends IterableDataset<number> {
    override *[Symbol.iterator](): Iterator<number> {
      yield* [1, 2, 3, 4, 5];
    }
  }
  class AsyncStream extends IterableDataset<number> {
    async *[Symbol.asyncIterator](): AsyncIterator<number> {
      for (const x of [1, 2, 3, 4, 5]) {
        await new Promise((r) => setTimeout(r, 1));
        yield x;
      }
    }
  }

  it('an IterableDataset restarts every pass; a generator object refuses a second pass', () => {
    const l = new DataLoader(new Stream(), 2);
    expect([...l].map(values)).toEqual([[1, 2], [3, 4], [5]]);
    expect([...l].map(values)).toEqual([[1, 2], [3, 4], [5]]);
    expect(() => l.length).toThrow('DataLoader: the iterable dataset has no length');
    function* gen() {
      yield* [1, 2, 3];
    }
    const once = new DataLoader(gen(), 2);
    expect([...once].map(values)).toEqual([[1, 2], [3]]);
    expect(() => [...once]).toThrow('DataLoader: the dataset is a one-shot iterator');
    // An array is map-style (as a Python list), so it shuffles.
    expect(new DataLoader([3, 4], { shuffle: true }).sampler).toBeInstanceOf(RandomSampler);
  });

  it('async iterables are read with for await; a synchronous pass says so', async () => {
    const l = new DataLoader(new AsyncStream(), { batchSize: 2, dropLast: true });
    expect(() => [...l]).toThrow('DataLoader: the dataset is an async iterable; iterate with for await');
    const got: number[][] = [];
    for await (const b of l) got.push(values(b));
    expect(got).toEqual([
      [1, 2],
      [3, 4],
    ]);
    async function* gen() {
      yield { x: tensor([1, 2]) };
      yield { x: tensor([3, 4]) };
    }
    const out: unknown[] = [];
    for await (const b of new DataLoader(gen(), 2)) out.push((b as { x: Tensor }).x.toArray());
    expect(out).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    expect(() => [...new DataLoader(new (class extends IterableDataset {})())]).toThrow(
      'an IterableDataset must define [Symbol.iterator]() or [Symbol.asyncIterator]()',
    );
  });

  it('ChainDataset chains streams, sync and async', async () => {
    const c = new ChainDataset([new Stream(), [10, 11]]);
    expect([...new DataLoader(c, 3)].map(values)).toEqual([[1, 2, 3], [4, 5, 10], [11]]);
    const mixed = new ChainDataset([new AsyncStream(), [10]]);
    const got: number[][] = [];
    for await (const b of new DataLoader(mixed, 4)) got.push(values(b));
    expect(got).toEqual([
      [1, 2, 3, 4],
      [5, 10],
    ]);
    expect(() => [...mixed]).toThrow(
      'ChainDataset: it chains an asynchronous dataset; read it with for await',
    );
  });

  it('an asynchronous getItem: for await loads each batch concurrently; numWorkers loads ahead', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = {
      length: 12,
      async getItem(i: number) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return [i, i * 10];
      },
    };
    expect(() => [...new DataLoader(slow, 4)]).toThrow(
      "DataLoader: the dataset's getItem returned a Promise (an asynchronous dataset); iterate with for await",
    );
    const read = async (l: DataLoader) => {
      const out: number[][][] = [];
      for await (const b of l) out.push((b as Tensor[]).map(values));
      return out;
    };
    await new Promise((r) => setTimeout(r, 20)); // the refused pass's getItem calls settle
    peak = 0;
    const plain = await read(new DataLoader(slow, 4));
    expect(plain[1]).toEqual([
      [4, 5, 6, 7],
      [40, 50, 60, 70],
    ]);
    expect(peak).toBe(4);
    peak = 0;
    const ahead = await read(new DataLoader(slow, { batchSize: 2, numWorkers: 2, prefetchFactor: 2 }));
    expect(ahead.map((b) => b[0])).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
      [8, 9],
      [10, 11],
    ]);
    expect(peak).toBeGreaterThan(2); // later batches load while the first is awaited
    // timeout (with workers, as in PyTorch): a batch that takes too long fails the pass.
    const stuck = { length: 2, getItem: () => new Promise<number>(() => {}) };
    const l = new DataLoader(stuck, { numWorkers: 1, timeout: 0.02 });
    await expect(read(l)).rejects.toThrow('DataLoader timed out after 0.02 seconds waiting for a batch');
  });

  it('leaks nothing but the batches when iterated with for await', async () => {
    const ds = new TensorDataset(arange(0, 20, 1, { dtype: 'float32' }).reshape([10, 2]));
    const custom = { length: 10, getItem: (i: number) => tensor([i, -i]) };
    for (const source of [ds, custom]) {
      const before = memory().numTensors;
      const batches: Tensor[] = [];
      for await (const b of new DataLoader(source as data.MapStyleDataset<unknown>, 3))
        batches.push(...(Array.isArray(b) ? b : [b as Tensor]));
      expect(memory().numTensors - before).toBe(batches.length);
      for (const b of batches) b.dispose();
    }
    ds.tensors[0].dispose();
  });
});
