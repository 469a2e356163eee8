// gradcheck and gradgradcheck (float64 central differences of the gradient, and of the
// gradient's gradient) of every differentiable case of the op table (ops/table.ts): the cases
// whose fixture records a gradient, on the fixture's own inputs (chosen away from kinks)
// widened to float64.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { gradcheck, gradgradcheck, memory, type Tensor, tidy } from '../index.js';
import { isFloat } from '../tensor/dtype.js';
import {
  callTableOp,
  opTableFixture,
  type TableFixtureCase,
  tableInputs,
  tableOpOf,
  tableOutputs,
} from '../testing/op-table.js';

const fixture = opTableFixture();
const differentiable = fixture.cases.filter((c) => (c.gradOutputs ?? []).some((g) => g !== null));

function check(c: TableFixtureCase, second = false): boolean {
  const op = tableOpOf(c);
  const { leaves, view } = tableInputs(c, (f) =>
    f.dtype !== undefined && isFloat(f.dtype) ? 'float64' : f.dtype!,
  );
  const fn = (...ls: Tensor[]): Tensor[] =>
    tableOutputs(callTableOp(op, c, view(ls), 'function')).filter(
      (o, i): o is Tensor => typeof o === 'object' && (c.gradOutputs ?? [])[i] != null,
    );
  return second ? gradgradcheck(fn, leaves) : gradcheck(fn, leaves);
}

describe('gradcheck of every differentiable op-table case (fixtures/op-table.json inputs in float64)', () => {
  it('covers the differentiable ops', () => {
    expect(differentiable.length).toBeGreaterThan(0);
  });
  for (const c of differentiable) {
    it(c.name, () => {
      const before = memory().numTensors;
      expect(tidy(() => check(c))).toBe(true);
      expect(memory().numTensors - before, 'tensors leaked').toBe(0);
    });
  }
});

/** The cases whose entry does not mark them once-differentiable only (`noGradgrad`). */
const twice = differentiable.filter(
  (c) => !tableOpOf(c).cases.find((k) => `${c.op}/${k.label}` === c.name)?.noGradgrad,
);

describe('gradgradcheck (double backward) of every differentiable op-table case', () => {
  for (const c of twice) {
    it(c.name, () => {
      const before = memory().numTensors;
      expect(tidy(() => check(c, true))).toBe(true);
      expect(memory().numTensors - before, 'tensors leaked').toBe(0);
    });
  }
});
