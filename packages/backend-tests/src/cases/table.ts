// The `table` family: every case of core's op table (packages/core/src/ops/table.ts) on the
// backend under test, against PyTorch's values and gradients (fixtures/op-table.json, written by
// `python3 tools/fixtures/generate.py table`). A new table entry brings its cases here with no
// edit: the ids are `table/<op>/<label>`.
import type { DType, Tensor } from '@proj/core';
import {
  callTableOp,
  fixtureTensor,
  nestData,
  opTableFixture,
  type TableFixtureCase,
  type TableFixtureTensor,
  tableInputs,
  tableOpOf,
  tableOutputs,
} from '@proj/core/testing';
import { type ConformanceCase, type Requirement, tcase } from '../case.js';
import type { Nested, Tols } from '../checks.js';

const OPTIONAL_DTYPES: readonly DType[] = ['float64', 'int64', 'uint8'];

/** The optional dtypes a case's tensors use. */
function requirements(c: TableFixtureCase): Requirement[] {
  const dtypes = new Set<DType>();
  for (const f of [...c.inputs, ...(c.outputs ?? [])]) {
    if ('dtype' in f && f.dtype !== undefined) dtypes.add(f.dtype);
  }
  return OPTIONAL_DTYPES.filter((d) => dtypes.has(d)) as Requirement[];
}

const isFloatDtype = (d: DType | undefined): boolean => d === 'float32' || d === 'float64';

function check(t: Tols, what: string, got: Tensor, want: TableFixtureTensor, dtype: DType | undefined): void {
  // a nested literal cannot say [0, 3]: empty results are checked by shape
  if (want.data.length === 0) {
    t.shape(got, want.shape, what);
    return;
  }
  const nested = nestData(want.data as (number | boolean)[], want.shape) as Nested<number | boolean>;
  if (isFloatDtype(dtype)) t.close(got, nested as Nested<number>, what);
  else t.equal(got, nested, what);
}

function run(c: TableFixtureCase, t: Tols): void {
  const op = tableOpOf(c);
  const { leaves, view } = tableInputs(c);
  const xs = view(leaves);
  if (c.error !== undefined) {
    t.throws(
      () => callTableOp(op, c, xs, 'function'),
      [new RegExp(`\\b${op.name}\\b`)],
      `PyTorch refuses it: ${c.error}`,
    );
    return;
  }
  const outs = tableOutputs(callTableOp(op, c, xs, 'function'));
  t.ok(outs.length === c.outputs!.length, `${outs.length} outputs, expected ${c.outputs!.length}`);
  c.outputs!.forEach((w, i) => {
    const got = outs[i];
    if ('value' in w) {
      t.ok(got === w.value, `output ${i}: got ${String(got)}, expected ${String(w.value)}`);
      return;
    }
    t.dtype(got as Tensor, w.dtype!, `output ${i}`);
    check(t, `output ${i}`, got as Tensor, w, w.dtype);
  });
  const gradOutputs = c.gradOutputs ?? [];
  let loss: Tensor | null = null;
  gradOutputs.forEach((g, i) => {
    if (g === null) return;
    const o = outs[i] as Tensor;
    const term = o.mul(fixtureTensor(g, o.dtype)).sum();
    loss = loss === null ? term : loss.add(term);
  });
  if (loss === null) return;
  (loss as Tensor).backward();
  try {
    c.grads!.forEach((want, i) => {
      if (want === null) return;
      const leaf = leaves[i];
      t.ok(leaf.grad !== null, `input ${i} got no gradient`);
      const grad = c.inputs[i].transposed ? leaf.grad!.transpose(-1, -2) : leaf.grad!;
      check(t, `gradient of input ${i}`, grad, want, leaf.dtype);
    });
  } finally {
    for (const leaf of leaves) leaf.grad?.dispose();
  }
}

/** One conformance case per op-table fixture case. */
export const tableCases: ConformanceCase[] = opTableFixture().cases.map((c) =>
  tcase(`table/${c.name}`, (t) => run(c, t), requirements(c)),
);
