// Checks sort, argsort, topk, kthvalue, median, mode, cummax and cummin against PyTorch:
// values, indices (int64) and the input's gradient. Cases are data in fixtures/sorting.json,
// written by tools/fixtures/sorting.py (which documents the record format).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '@proj/backend-cpu';
import {
  argsort,
  cummax,
  type DType,
  kthvalue,
  median,
  mode,
  sort,
  type Tensor,
  tensor,
  tidy,
  ValuesIndices,
} from '../index.js';

type Value = number | boolean | 'nan' | 'inf' | '-inf';

interface FixtureTensor {
  shape: number[];
  dtype?: DType;
  data: Value[];
}

interface FixtureCase {
  name: string;
  op: string;
  args: {
    dim?: number;
    k?: number;
    descending?: boolean;
    stable?: boolean;
    largest?: boolean;
    sorted?: boolean;
    keepdim?: boolean;
  };
  input: FixtureTensor;
  values: FixtureTensor;
  indices: FixtureTensor | null;
  gradOutput: FixtureTensor | null;
  grad: FixtureTensor | null;
  exactIndices: boolean;
}

const fixture: { torch: string; cases: FixtureCase[] } = JSON.parse(
  readFileSync(new URL('../../fixtures/sorting.json', import.meta.url), 'utf8'),
);

function num(v: Value): number | boolean {
  if (v === 'nan') return Number.NaN;
  if (v === 'inf') return Number.POSITIVE_INFINITY;
  if (v === '-inf') return Number.NEGATIVE_INFINITY;
  return v;
}

function build(f: FixtureTensor, dtype: DType = f.dtype ?? 'float32'): Tensor {
  const data = f.data.map(num);
  if (dtype === 'bool') return tensor(data as boolean[], { dtype }).reshape(f.shape);
  return tensor(data as number[], { dtype }).reshape(f.shape);
}

/** Flat values as numbers (int64 as numbers, bool as 0/1). */
function flat(t: Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number | bigint>, Number);
}

/** The fixture's values as our tensor holds them (float32 data rounded to float32). */
function expected(f: FixtureTensor): number[] {
  const round = (f.dtype ?? 'float32') === 'float32' ? Math.fround : (v: number) => v;
  return f.data.map((v) => round(Number(num(v))));
}

function run(c: FixtureCase, x: Tensor): Tensor | ValuesIndices {
  const a = c.args;
  switch (c.op) {
    case 'sort':
      return a.stable !== undefined
        ? sort(x, { dim: a.dim, descending: a.descending, stable: a.stable })
        : x.sort(a.dim ?? -1, a.descending ?? false);
    case 'argsort':
      return argsort(x, a.dim ?? -1, { descending: a.descending, stable: a.stable });
    case 'topk':
      return x.topk(a.k!, { dim: a.dim, largest: a.largest, sorted: a.sorted });
    case 'kthvalue':
      return kthvalue(x, a.k!, a.dim ?? -1, a.keepdim ?? false);
    case 'median':
      return a.dim === undefined ? median(x) : x.median(a.dim, { keepdim: a.keepdim });
    case 'mode':
      return mode(x, { dim: a.dim, keepdim: a.keepdim });
    case 'cummax':
      return cummax(x, a.dim!);
    case 'cummin':
      return x.cummin({ dim: a.dim! });
  }
  throw new Error(`unknown op ${c.op}`);
}

describe(`sorting ops match PyTorch ${fixture.torch} (fixtures/sorting.json)`, () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    tidy(() => {
      const x = build(c.input);
      const grad = c.grad !== null;
      if (grad) x.requiresGrad_(true);
      const r = run(c, x);
      const [values, indices] =
        r instanceof ValuesIndices ? [r.values, r.indices] : c.indices ? [null, r] : [r, null];
      if (values) {
        expect(values.shape).toEqual(c.values.shape);
        expect(values.dtype).toBe(c.values.dtype);
        expect(flat(values)).toEqual(expected(c.values));
      }
      const idxFixture = c.indices ?? (values ? null : c.values);
      if (indices && idxFixture) {
        expect(indices.shape).toEqual(idxFixture.shape);
        expect(indices.dtype).toBe('int64');
        if (c.exactIndices) expect(flat(indices)).toEqual(expected(idxFixture));
        else if (values && c.args.dim === undefined && x.ndim === 1) {
          // PyTorch leaves the index among equal values unspecified: ours must point at the value.
          const at = flat(indices).map((i) => flat(x)[i]);
          expect(at).toEqual(expected(c.values));
        }
      }
      if (grad && values && c.exactIndices) {
        values.backward(build(c.gradOutput!, 'float32'));
        const got = flat(x.grad!);
        const want = expected(c.grad!);
        expect(got.length).toBe(want.length);
        for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 6);
      }
    });
  });
});
