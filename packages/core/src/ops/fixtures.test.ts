// Checks every core op against PyTorch reference values: forward output (shape, dtype, values)
// and the gradients of out.backward(gradOutput). The cases are data in fixtures/ops.json,
// written by tools/fixtures/generate.py (see tools/fixtures/README.md); this file only maps
// each op name to our API.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '@proj/backend-cpu';
import { cat, type DType, stack, type Tensor, tensor, where } from '../index.js';

/** A tensor as the fixture writes it: flat row-major data. */
interface FixtureTensor {
  shape: number[];
  dtype?: DType;
  data: (number | boolean)[];
  requiresGrad?: boolean;
  /** PyTorch ran the op on a transposed (non-contiguous) view; we build the same view. */
  transposed?: boolean;
}

/** The JSON args of a case; which keys an op reads is fixed by tools/fixtures/ops_cases.py. */
interface Args {
  other?: number;
  exponent?: number;
  min?: number;
  max?: number;
  dim?: number | number[];
  keepdim?: boolean;
  shape?: number[];
  sizes?: number[];
  dims?: number[];
  startDim?: number;
  endDim?: number;
  dim0?: number;
  dim1?: number;
  start?: number;
  length?: number;
  dtype?: DType;
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

interface Fixture {
  generator: string;
  torch: string;
  cases: FixtureCase[];
}

/** Float comparison preset: |got - want| <= atol + rtol * |want|. Int and bool compare exactly. */
const FLOAT_TOLERANCE = { rtol: 1e-5, atol: 1e-6 };

const fixture: Fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/ops.json', import.meta.url), 'utf8'),
);

type OpFn = (xs: Tensor[], a: Args) => Tensor;

/** The second operand: the second input tensor, or the number args[key] (tensor-scalar cases). */
function operand(xs: Tensor[], a: Args, key: 'other' | 'exponent' = 'other'): Tensor | number {
  return xs.length > 1 ? xs[1]! : a[key]!;
}

/** Our op for each fixture op name, called the way a user would call it. */
const OPS: Record<string, OpFn> = {
  neg: ([x]) => x!.neg(),
  abs: ([x]) => x!.abs(),
  exp: ([x]) => x!.exp(),
  log: ([x]) => x!.log(),
  sqrt: ([x]) => x!.sqrt(),
  rsqrt: ([x]) => x!.rsqrt(),
  sin: ([x]) => x!.sin(),
  cos: ([x]) => x!.cos(),
  tanh: ([x]) => x!.tanh(),
  sigmoid: ([x]) => x!.sigmoid(),
  relu: ([x]) => x!.relu(),
  clamp: ([x], a) => x!.clamp(a.min, a.max),
  add: (xs, a) => xs[0]!.add(operand(xs, a)),
  sub: (xs, a) => xs[0]!.sub(operand(xs, a)),
  mul: (xs, a) => xs[0]!.mul(operand(xs, a)),
  div: (xs, a) => xs[0]!.div(operand(xs, a)),
  pow: (xs, a) => xs[0]!.pow(operand(xs, a, 'exponent')),
  maximum: (xs, a) => xs[0]!.maximum(operand(xs, a)),
  minimum: (xs, a) => xs[0]!.minimum(operand(xs, a)),
  eq: (xs, a) => xs[0]!.eq(operand(xs, a)),
  ne: (xs, a) => xs[0]!.ne(operand(xs, a)),
  gt: (xs, a) => xs[0]!.gt(operand(xs, a)),
  ge: (xs, a) => xs[0]!.ge(operand(xs, a)),
  lt: (xs, a) => xs[0]!.lt(operand(xs, a)),
  le: (xs, a) => xs[0]!.le(operand(xs, a)),
  where: ([c, x, y]) => where(c!, x!, y!),
  sum: ([x], a) => (a.dim === undefined ? x!.sum() : x!.sum(a.dim, a.keepdim)),
  mean: ([x], a) => (a.dim === undefined ? x!.mean() : x!.mean(a.dim, a.keepdim)),
  max: ([x], a) => (a.dim === undefined ? x!.max() : x!.max(a.dim, a.keepdim)),
  min: ([x], a) => (a.dim === undefined ? x!.min() : x!.min(a.dim, a.keepdim)),
  argmax: ([x], a) => (a.dim === undefined ? x!.argmax() : x!.argmax(a.dim as number, a.keepdim)),
  argmin: ([x], a) => (a.dim === undefined ? x!.argmin() : x!.argmin(a.dim as number, a.keepdim)),
  var: ([x], a) => (a.dim === undefined ? x!.var() : x!.var(a.dim, a.keepdim)),
  std: ([x], a) => (a.dim === undefined ? x!.std() : x!.std(a.dim, a.keepdim)),
  matmul: ([x, y]) => x!.matmul(y!),
  reshape: ([x], a) => x!.reshape(a.shape!),
  view: ([x], a) => x!.view(a.shape!),
  flatten: ([x], a) => x!.flatten(a.startDim, a.endDim),
  squeeze: ([x], a) => (a.dim === undefined ? x!.squeeze() : x!.squeeze(a.dim as number)),
  unsqueeze: ([x], a) => x!.unsqueeze(a.dim as number),
  transpose: ([x], a) => x!.transpose(a.dim0!, a.dim1!),
  permute: ([x], a) => x!.permute(...a.dims!),
  expand: ([x], a) => x!.expand(...a.sizes!),
  narrow: ([x], a) => x!.narrow(a.dim as number, a.start!, a.length!),
  indexSelect: ([x, index], a) => x!.indexSelect(a.dim as number, index!),
  gather: ([x, index], a) => x!.gather(a.dim as number, index!),
  cat: (xs, a) => cat(xs, a.dim as number),
  stack: (xs, a) => stack(xs, a.dim as number),
  softmax: ([x], a) => x!.softmax(a.dim as number),
  logSoftmax: ([x], a) => x!.logSoftmax(a.dim as number),
  to: ([x], a) => x!.to(a.dtype!),
};

type Nested = number | boolean | Nested[];

/** Flat row-major data as nested arrays of `shape` (a bare value for a 0-d shape). */
function nest(data: (number | boolean)[], shape: number[]): Nested {
  if (shape.length === 0) return data[0]!;
  const build = (offset: number, d: number): Nested[] => {
    const stride = shape.slice(d + 1).reduce((p, s) => p * s, 1);
    const out: Nested[] = [];
    for (let i = 0; i < shape[d]!; i++) {
      out.push(d === shape.length - 1 ? data[offset + i]! : build(offset + i * stride, d + 1));
    }
    return out;
  };
  return build(0, 0);
}

function fromFixture(f: FixtureTensor, dtype: DType): Tensor {
  return tensor(nest(f.data, f.shape), { dtype, requiresGrad: f.requiresGrad ?? false });
}

/** Flat data of `shape` with its last two dims swapped, and the swapped shape. */
function swapLastTwo(data: (number | boolean)[], shape: number[]): [(number | boolean)[], number[]] {
  const [rows, cols] = shape.slice(-2) as [number, number];
  const out: (number | boolean)[] = [];
  for (let b = 0; b < data.length; b += rows * cols) {
    for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out.push(data[b + i * cols + j]!);
  }
  return [out, [...shape.slice(0, -2), cols, rows]];
}

/**
 * An input of a case: the op's operand, and the leaf whose `.grad` holds its gradient. For a
 * transposed input the leaf is contiguous and the operand is its transposed view, as in PyTorch.
 */
function buildInput(f: FixtureTensor): { x: Tensor; leaf: Tensor } {
  if (!f.transposed) {
    const x = fromFixture(f, f.dtype!);
    return { x, leaf: x };
  }
  const [data, shape] = swapLastTwo(f.data, f.shape);
  const leaf = fromFixture({ ...f, data, shape }, f.dtype!);
  return { x: leaf.transpose(-1, -2), leaf };
}

/** Asserts shape and values (exact for int/bool, FLOAT_TOLERANCE for floats), naming mismatches. */
function expectClose(what: string, got: Tensor, want: FixtureTensor, dtype: DType): void {
  expect([...got.shape], `${what} shape`).toEqual(want.shape);
  const values = Array.from(got.dataSync(), Number);
  const exact = dtype === 'int32' || dtype === 'bool';
  const bad: string[] = [];
  want.data.forEach((w, i) => {
    const e = Number(w);
    const g = values[i]!;
    const ok = exact
      ? g === e
      : Math.abs(g - e) <= FLOAT_TOLERANCE.atol + FLOAT_TOLERANCE.rtol * Math.abs(e) ||
        (Number.isNaN(g) && Number.isNaN(e));
    if (!ok) bad.push(`[${i}] expected ${e}, got ${g}`);
  });
  if (bad.length > 0) {
    throw new Error(
      `${what}: ${bad.length}/${want.data.length} values differ: ${bad.slice(0, 6).join('; ')}`,
    );
  }
}

function runCase(c: FixtureCase): void {
  const fn = OPS[c.op];
  if (!fn) throw new Error(`no entry for op '${c.op}' in the OPS table of this test`);
  const built = c.inputs.map(buildInput);
  const xs = built.map((b) => b.x);
  const out = fn(xs, c.args);
  expect(out.dtype, 'output dtype').toBe(c.output.dtype);
  expectClose('output', out, c.output, c.output.dtype!);
  if (c.gradOutput === null) return;
  out.backward(fromFixture(c.gradOutput, out.dtype));
  c.grads.forEach((want, i) => {
    if (want === null) return;
    const { leaf } = built[i]!;
    expect(leaf.grad, `grad of input ${i}`).not.toBeNull();
    const grad = c.inputs[i]!.transposed ? leaf.grad!.transpose(-1, -2) : leaf.grad!;
    expectClose(`grad of input ${i}`, grad, want, leaf.dtype);
  });
}

describe(`ops match PyTorch ${fixture.torch} (fixtures/ops.json)`, () => {
  it('has a table entry for every fixture op', () => {
    const missing = [...new Set(fixture.cases.map((c) => c.op))].filter((op) => !(op in OPS));
    expect(missing).toEqual([]);
  });

  for (const c of fixture.cases) {
    it(c.name, () => runCase(c));
  }
});
