// Checks indexing (x[idx], x[idx] = v), the masked ops, nonzero, index_add/copy/fill, scatter,
// scatter_reduce, take and take_along_dim against PyTorch: forward values and the gradients of
// every input. Cases are data in fixtures/indexing.json, written by tools/fixtures/indexing.py,
// which also documents how args.index encodes the index entries.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '@proj/backend-cpu';
import {
  type DType,
  getBackend,
  type IndexEntry,
  indexAdd,
  indexCopy,
  indexFill,
  indexPut,
  maskedFill,
  maskedScatter,
  maskedSelect,
  type NestedIndex,
  nonzero,
  type ScatterReduction,
  scatter,
  scatterReduce,
  slice,
  type Tensor,
  take,
  takeAlongDim,
  tensor,
  tidy,
} from '../index.js';

interface FixtureTensor {
  shape: number[];
  dtype?: DType;
  data: (number | boolean)[];
  requiresGrad?: boolean;
  transposed?: boolean;
}

type JsonEntry =
  | number
  | string
  | boolean
  | null
  | { slice: (number | null)[] }
  | { ints: number[]; shape: number[] }
  | { mask: boolean[]; shape: number[] }
  | { list: NestedIndex }
  | { boolList: NestedIndex };

interface Args {
  index?: JsonEntry[];
  accumulate?: boolean;
  value?: number;
  dim?: number;
  alpha?: number;
  reduce?: string;
  includeSelf?: boolean;
}

interface FixtureCase {
  name: string;
  op: string;
  args: Args;
  inputs: FixtureTensor[];
  output: FixtureTensor;
  gradOutput: FixtureTensor | null;
  grads: (FixtureTensor | null)[];
}

const fixture: { torch: string; cases: FixtureCase[] } = JSON.parse(
  readFileSync(new URL('../../fixtures/indexing.json', import.meta.url), 'utf8'),
);

function nest(data: (number | boolean)[], shape: number[]): unknown {
  if (shape.length === 0) return data[0];
  const build = (offset: number, d: number): unknown[] => {
    const stride = shape.slice(d + 1).reduce((p, s) => p * s, 1);
    return Array.from({ length: shape[d]! }, (_, i) =>
      d === shape.length - 1 ? data[offset + i] : build(offset + i * stride, d + 1),
    );
  };
  return build(0, 0);
}

/** int64 where the backend stores it, else int32 (the values of index fixtures fit). */
const INDEX_DTYPE: DType = getBackend().supportsDtype('int64') ? 'int64' : 'int32';

function fromFixture(f: FixtureTensor, fixtureDtype: DType): Tensor {
  const dtype = fixtureDtype === 'int64' ? INDEX_DTYPE : fixtureDtype;
  // Flat then reshaped, so that empty shapes ([0, 5, 6]) survive.
  const t = tensor(f.data as number[], { dtype })
    .reshape(f.shape)
    .detach();
  return f.requiresGrad ? t.requiresGrad_(true) : t;
}

/** An input: the operand, and the leaf holding its gradient (a transposed view's contiguous leaf). */
function buildInput(f: FixtureTensor): { x: Tensor; leaf: Tensor } {
  if (!f.transposed) {
    const x = fromFixture(f, f.dtype!);
    return { x, leaf: x };
  }
  const [r, c] = f.shape.slice(-2) as [number, number];
  const data: (number | boolean)[] = [];
  for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) data.push(f.data[i * c + j]!);
  const leaf = fromFixture({ ...f, data, shape: [...f.shape.slice(0, -2), c, r] }, f.dtype!);
  return { x: leaf.transpose(-1, -2), leaf };
}

/** One JSON index entry as our API takes it (see tools/fixtures/indexing.py). */
function decode(e: JsonEntry): IndexEntry {
  if (e === null || typeof e !== 'object') return e;
  if ('slice' in e) return slice(e.slice[0], e.slice[1], e.slice[2]);
  if ('ints' in e) return tensor(nest(e.ints, e.shape) as number[], { dtype: INDEX_DTYPE });
  if ('mask' in e) return tensor(nest(e.mask, e.shape) as boolean[], { dtype: 'bool' });
  if ('list' in e) return e.list;
  return e.boolList;
}

const OPS: Record<string, (xs: Tensor[], a: Args) => Tensor> = {
  index: (xs, a) => xs[0]!.index(...a.index!.map(decode)),
  indexPut: (xs, a) => indexPut(xs[0]!, a.index!.map(decode), xs[1] ?? a.value!, a.accumulate),
  maskedFill: (xs, a) => maskedFill(xs[0]!, xs[1]!, xs[2] ?? a.value!),
  maskedSelect: (xs) => maskedSelect(xs[0]!, xs[1]!),
  maskedScatter: (xs) => maskedScatter(xs[0]!, xs[1]!, xs[2]!),
  nonzero: (xs) => nonzero(xs[0]!),
  indexAdd: (xs, a) => indexAdd(xs[0]!, a.dim!, xs[1]!, xs[2]!, { alpha: a.alpha }),
  indexCopy: (xs, a) => indexCopy(xs[0]!, a.dim!, xs[1]!, xs[2]!),
  indexFill: (xs, a) => indexFill(xs[0]!, a.dim!, xs[1]!, xs[2] ?? a.value!),
  scatter: (xs, a) =>
    scatter(xs[0]!, a.dim!, xs[1]!, xs[2] ?? a.value!, a.reduce as 'add' | 'multiply' | undefined),
  scatterReduce: (xs, a) =>
    scatterReduce(xs[0]!, a.dim!, xs[1]!, xs[2]!, a.reduce as ScatterReduction, {
      includeSelf: a.includeSelf,
    }),
  take: (xs) => take(xs[0]!, xs[1]!),
  takeAlongDim: (xs, a) => takeAlongDim(xs[0]!, xs[1]!, a.dim),
};

const TOL = { rtol: 1e-5, atol: 1e-6 };

function expectClose(what: string, got: Tensor, want: FixtureTensor): void {
  expect([...got.shape], `${what} shape`).toEqual(want.shape);
  const values = Array.from(got.dataSync(), Number);
  const bad: string[] = [];
  want.data.forEach((w, i) => {
    const e = Number(w);
    const g = values[i]!;
    if (!(Math.abs(g - e) <= TOL.atol + TOL.rtol * Math.abs(e))) bad.push(`[${i}] expected ${e}, got ${g}`);
  });
  if (bad.length > 0)
    throw new Error(`${what}: ${bad.length}/${want.data.length} differ: ${bad.slice(0, 6).join('; ')}`);
}

function runCase(c: FixtureCase): void {
  tidy(() => {
    const built = c.inputs.map(buildInput);
    const out = OPS[c.op]!(
      built.map((b) => b.x),
      c.args,
    );
    // Index results are int64 where the backend stores int64, else int32.
    const ints = (d: DType | undefined) => d === 'int32' || d === 'int64';
    const dtypeOk = out.dtype === c.output.dtype || (ints(c.output.dtype) && out.dtype === INDEX_DTYPE);
    expect(dtypeOk, `output dtype ${out.dtype}, expected ${c.output.dtype}`).toBe(true);
    expectClose('output', out, c.output);
    if (c.gradOutput === null) return;
    out.backward(fromFixture(c.gradOutput, out.dtype));
    c.grads.forEach((want, i) => {
      if (want === null) return;
      const { leaf } = built[i]!;
      expect(leaf.grad, `grad of input ${i}`).not.toBeNull();
      const g = c.inputs[i]!.transposed ? leaf.grad!.transpose(-1, -2) : leaf.grad!;
      expectClose(`grad of input ${i}`, g, want);
    });
  });
}

describe(`indexing matches PyTorch ${fixture.torch} (fixtures/indexing.json)`, () => {
  it('has an entry for every fixture op', () => {
    expect([...new Set(fixture.cases.map((c) => c.op))].filter((op) => !(op in OPS))).toEqual([]);
  });
  for (const c of fixture.cases) it(c.name, () => runCase(c));
});
