import '@proj/backend-cpu';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { arange, memory, Tensor, tensor, tidy } from '../index.js';
import {
  BatchSampler,
  ConcatDataset,
  DataLoader,
  IterableDataset,
  SequentialSampler,
  Subset,
  TensorDataset,
} from './index.js';

// PyTorch's batches for the deterministic loaders (tools/fixtures/data_loading.py).
type Desc = Record<string, any>;
interface LoaderCase {
  name: string;
  dataset: Desc;
  options?: Desc;
  length: number | null;
  batches?: unknown[];
  items?: Record<string, unknown>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/data-loading.json', import.meta.url), 'utf8'),
) as { cases: LoaderCase[] };

class IterRange extends IterableDataset<number> {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    super();
  }
  override *[Symbol.iterator](): Iterator<number> {
    for (let i = this.start; i < this.end; i++) yield i;
  }
}

/** The dataset a fixture description names, as data_loading.py builds it. */
function makeDataset(d: Desc): any {
  switch (d.kind) {
    case 'range':
      return Array.from({ length: d.n }, (_, i) => i);
    case 'tensor':
      return new TensorDataset(
        arange(0, 2 * d.n, 1, { dtype: 'float32' }).reshape([d.n, 2]),
        arange(0, d.n, 1, { dtype: 'int64' }),
      );
    case 'dict':
      return Array.from({ length: d.n }, (_, i) => ({ x: tensor([i, i * i]), n: i, name: `s${i}` }));
    case 'nested':
      return Array.from({ length: d.n }, (_, i) => [tensor([i]), [i, [i, 2 * i]]]);
    case 'concat':
      return new ConcatDataset(d.parts.map(makeDataset));
    case 'subset':
      return new Subset(makeDataset(d.of), d.indices);
    case 'iterable_range':
      return new IterRange(d.start, d.end);
  }
  throw new Error(`unknown dataset kind ${d.kind}`);
}

function makeSampler(s: Desc, dataset: any): any {
  if (s.kind === 'list') return [...s.indices];
  if (s.kind === 'sequential') return new SequentialSampler(dataset);
  return new BatchSampler(makeSampler(s.sampler, dataset), s.batchSize, s.dropLast);
}

/** Our value in the fixture's JSON structure. */
function encode(v: unknown): unknown {
  if (v instanceof Tensor) {
    const data = Array.from(v.dataSync() as ArrayLike<number | bigint>, Number);
    return { tensor: { shape: v.shape, dtype: v.dtype, data } };
  }
  if (typeof v === 'number') return { int: v };
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(encode);
  return { dict: Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, encode(x)])) };
}

function makeLoader(c: LoaderCase, ds: any): DataLoader {
  const opts: Desc = { ...c.options };
  for (const k of ['sampler', 'batchSampler']) if (opts[k]) opts[k] = makeSampler(opts[k], ds);
  return new DataLoader(ds, opts);
}

const loaderCases = fixture.cases.filter((c) => c.batches !== undefined);
const indexCases = fixture.cases.filter((c) => c.items !== undefined);

describe("DataLoader gives PyTorch's batches (fixtures/data-loading.json)", () => {
  it.each(loaderCases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    tidy(() => {
      const ds = makeDataset(c.dataset);
      const loader = makeLoader(c, ds);
      if (c.length === null) expect(() => loader.length).toThrow('has no length');
      else expect(loader.length).toBe(c.length);
      const before = memory().numTensors;
      const batches = [...loader];
      expect(batches.map(encode)).toEqual(c.batches);
      // Nothing but the batches' tensors stays alive (without batching, items pass through unchanged).
      if (c.options?.batchSize === null) return;
      let count = 0;
      const countTensors = (v: unknown): void => {
        if (v instanceof Tensor) count++;
        else if (Array.isArray(v)) v.forEach(countTensors);
        else if (v && typeof v === 'object') Object.values(v).forEach(countTensors);
      };
      batches.forEach(countTensors);
      expect(memory().numTensors - before).toBe(count);
    });
  });

  it.each(loaderCases.map((c) => [c.name, c] as const))('%s (for await)', async (_, c) => {
    const ds = makeDataset(c.dataset);
    const batches: unknown[] = [];
    for await (const b of makeLoader(c, ds)) batches.push(tidy(() => encode(b)));
    expect(batches).toEqual(c.batches);
  });
});

describe("ConcatDataset and Subset index as PyTorch's (negative indices count from the end)", () => {
  it.each(indexCases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const ds = makeDataset(c.dataset);
    expect(ds.length).toBe(c.length);
    for (const [i, item] of Object.entries(c.items!)) expect(encode(ds.getItem(Number(i)))).toEqual(item);
    const n = c.length!;
    expect(() => ds.getItem(n)).toThrow(`index ${n} is out of range for ${n} items`);
    expect(() => ds.getItem(-n - 1)).toThrow('out of range');
  });
});
