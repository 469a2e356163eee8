// Every case of every op-table entry (ops/table.ts) against PyTorch: output dtypes, shapes and
// values, the gradients of every input, the method form equal to the function form, and an
// error wherever PyTorch refuses the call. The data is fixtures/op-table.json, written by
// `python3 tools/fixtures/generate.py table` from the table itself.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import * as core from '../index.js';
import { type DataArray, memory, type Tensor, tidy } from '../index.js';
import {
  callTableOp,
  fixtureTensor,
  opTableFixture,
  type TableFixtureCase,
  type TableFixtureTensor,
  tableInputs,
  tableOpOf,
  tableOutputs,
} from '../testing/op-table.js';
import { OP_TABLE } from './table.js';

/** Float comparison: |got - want| <= atol + rtol * |want|; ints, bools, NaN and ±inf exactly. */
const TOL = { rtol: 1e-5, atol: 1e-6 };

const fixture = opTableFixture();
const byName = new Map(fixture.cases.map((c) => [c.name, c]));

/** With `signedZeros`, a zero must have PyTorch's sign (`sign(-0.)` is +0, `trunc(-0.5)` is -0). */
function expectValues(what: string, got: Tensor, want: TableFixtureTensor, signedZeros = false): void {
  expect([...got.shape], `${what} shape`).toEqual(want.shape);
  const values = Array.from(got.dataSync<DataArray>(), Number);
  const bad: string[] = [];
  want.data.forEach((w, i) => {
    const e = Number(w);
    const g = values[i];
    const ok = Number.isFinite(e)
      ? Math.abs(g - e) <= TOL.atol + TOL.rtol * Math.abs(e) && !(signedZeros && e === 0 && !Object.is(g, e))
      : Object.is(g, e) || (Number.isNaN(g) && Number.isNaN(e));
    if (!ok) bad.push(`[${i}] expected ${e}, got ${g}`);
  });
  if (bad.length > 0) {
    throw new Error(
      `${what}: ${bad.length}/${want.data.length} values differ: ${bad.slice(0, 6).join('; ')}`,
    );
  }
}

function expectOutputs(c: TableFixtureCase, outs: (Tensor | number | boolean)[]): void {
  const want = c.outputs!;
  expect(outs.length, 'number of outputs').toBe(want.length);
  want.forEach((w, i) => {
    const got = outs[i];
    if ('value' in w) {
      expect(got, `output ${i}`).toEqual(w.value);
      return;
    }
    expect(typeof got === 'object', `output ${i} is a tensor`).toBe(true);
    expect((got as Tensor).dtype, `output ${i} dtype`).toBe(w.dtype);
    expectValues(`output ${i}`, got as Tensor, w, true);
  });
}

function runCase(c: TableFixtureCase): void {
  const op = tableOpOf(c);
  const { leaves, view } = tableInputs(c);
  const xs = view(leaves);
  if (c.error !== undefined) {
    // PyTorch refuses it (c.error is its message); ours must refuse too, naming the op.
    expect(() => callTableOp(op, c, xs, 'function'), `PyTorch: ${c.error}`).toThrow(
      new RegExp(`\\b${op.name}\\b`),
    );
    return;
  }
  const outs = tableOutputs(callTableOp(op, c, xs, 'function'));
  expectOutputs(c, outs);
  if (op.method !== false) {
    // The method is the function: same values, bit for bit.
    const viaMethod = tidy(() => tableOutputs(callTableOp(op, c, view(leaves), 'method')).map(flat));
    expect(viaMethod).toEqual(outs.map(flat));
  }
  const gradOutputs = c.gradOutputs ?? [];
  if (!gradOutputs.some((g) => g !== null)) return;
  let loss: Tensor | null = null;
  gradOutputs.forEach((g, i) => {
    if (g === null) return;
    const o = outs[i] as Tensor;
    const term = o.mul(fixtureTensor(g, o.dtype)).sum();
    loss = loss === null ? term : loss.add(term);
  });
  (loss as Tensor | null)?.backward();
  c.grads!.forEach((want, i) => {
    if (want === null) return;
    const leaf = leaves[i];
    expect(leaf.grad, `grad of input ${i}`).not.toBeNull();
    const grad = c.inputs[i].transposed ? leaf.grad!.transpose(-1, -2) : leaf.grad!;
    expectValues(`grad of input ${i}`, grad, want);
  });
  for (const leaf of leaves) leaf.grad?.dispose();
}

/** Runs a case in a memory scope: everything it made is freed, or the case fails. */
function runScoped(c: TableFixtureCase): void {
  const before = memory().numTensors;
  tidy(() => runCase(c));
  expect(memory().numTensors - before, 'tensors leaked').toBe(0);
}

function flat(o: Tensor | number | boolean): unknown {
  return typeof o === 'object' ? [o.dtype, [...o.shape], Array.from(o.dataSync<DataArray>(), Number)] : o;
}

describe(`op table matches PyTorch ${fixture.torch} (fixtures/op-table.json)`, () => {
  it('every table case has its fixture, and every fixture case a table case (else regenerate: python3 tools/fixtures/generate.py table)', () => {
    const tableNames = [...OP_TABLE.values()].flatMap((op) => op.cases.map((k) => `${op.name}/${k.label}`));
    expect(tableNames.filter((n) => !byName.has(n))).toEqual([]);
    expect(fixture.cases.map((c) => c.name).filter((n) => !tableNames.includes(n))).toEqual([]);
  });

  it('every table op is exported from @proj/core under its name', () => {
    const exported = core as unknown as Record<string, unknown>;
    const missing = [...OP_TABLE.values()].filter((op) => exported[op.name] !== op.fn).map((op) => op.name);
    expect(missing).toEqual([]);
  });

  for (const op of OP_TABLE.values()) {
    describe(op.name, () => {
      for (const k of op.cases) {
        const name = `${op.name}/${k.label}`;
        const c = byName.get(name);
        it.skipIf(c === undefined)(k.label, () => runScoped(c!));
      }
    });
  }
});
