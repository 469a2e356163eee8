// Checks every core op against PyTorch reference values: forward output (shape, dtype, values)
// and the gradients of out.backward(gradOutput). The cases are data in fixtures/ops.json,
// written by tools/fixtures/generate.py (see tools/fixtures/README.md); this file only maps
// each op name to our API.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '@proj/backend-cpu';
import { type DataArray, type DType, type Tensor, tensor } from '../index.js';
import { FIXTURE_OPS, type FixtureOpArgs } from '../testing/index.js';

/** A tensor as the fixture writes it: flat row-major data. */
interface FixtureTensor {
  shape: number[];
  dtype?: DType;
  data: (number | boolean)[];
  requiresGrad?: boolean;
  /** PyTorch ran the op on a transposed (non-contiguous) view; we build the same view. */
  transposed?: boolean;
}

interface FixtureCase {
  name: string;
  op: string;
  args: FixtureOpArgs;
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
  const values = Array.from(got.dataSync<DataArray>(), Number);
  const exact = dtype === 'int32' || dtype === 'int64' || dtype === 'uint8' || dtype === 'bool';
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
  const fn = FIXTURE_OPS[c.op];
  if (!fn) throw new Error(`no entry for op '${c.op}' in FIXTURE_OPS (src/testing/fixture-ops.ts)`);
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
    const missing = [...new Set(fixture.cases.map((c) => c.op))].filter((op) => !(op in FIXTURE_OPS));
    expect(missing).toEqual([]);
  });

  for (const c of fixture.cases) {
    it(c.name, () => runCase(c));
  }
});
