// einsum, linalg.vectorNorm / matrixNorm / norm and cdist of a tensor against itself, against
// PyTorch: output shape, dtype and values, and the gradient of every input; then gradcheck
// (float64) of each case away from a kink. Cases are data in fixtures/linalg.json, written by
// tools/fixtures/linalg.py (which documents the record format).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '@proj/backend-cpu';
import {
  cdist,
  type DataArray,
  type DType,
  einsum,
  gradcheck,
  linalg,
  memory,
  type SublistEntry,
  type Tensor,
  tensor,
  tidy,
} from '../index.js';
import type { CdistOptions } from './cdist.js';

interface FixtureTensor {
  shape: number[];
  dtype?: DType;
  data: (number | boolean)[];
  requiresGrad?: boolean;
  transposed?: boolean;
}

type Ord = number | 'inf' | '-inf' | 'fro' | 'nuc';

interface FixtureCase {
  name: string;
  op: 'einsum' | 'vectorNorm' | 'matrixNorm' | 'norm' | 'cdistSelf' | 'cdist';
  args: {
    equation?: string;
    sublists?: SublistEntry[][];
    output?: SublistEntry[];
    ord?: Ord;
    dim?: number | number[];
    keepdim?: boolean;
    dtype?: DType;
    p?: number | 'inf';
    computeMode?: CdistOptions['computeMode'];
  };
  inputs: FixtureTensor[];
  output: FixtureTensor;
  gradOutput: FixtureTensor | null;
  grads: (FixtureTensor | null)[];
}

const fixture: { torch: string; cases: FixtureCase[] } = JSON.parse(
  readFileSync(new URL('../../fixtures/linalg.json', import.meta.url), 'utf8'),
);

/** Float comparison: |got - want| <= atol + rtol * |want| (composites sum in another order than PyTorch's kernels). */
const TOL = { rtol: 1e-4, atol: 1e-5 };

/**
 * No gradcheck: cases at a point where the gradient is a convention (zero distances or elements,
 * ties), and the empty ones (nothing to perturb).
 */
const NO_GRADCHECK = new Set([
  'einsum/empty-contraction',
  'vector/empty',
  'vector/zero-vector',
  'vector/zero-element-ord0.5',
  'vector/zero-element-ord-1',
  'vector/inf-ties',
  'vector/ord0',
  'matrix/ord1-ties',
  'cdist/self-pairwise-zero-distances',
  'cdist/self-by-product',
  'cdist/self-p1',
  'cdist/self-p3',
  'cdist/self-p0.5',
  'cdist/self-p-inf',
  'cdist/inf-ties',
  'cdist/p0.5-equal-coordinate',
]);

const ord = (o: Ord | undefined): number | 'fro' | 'nuc' | undefined =>
  o === 'inf' ? Number.POSITIVE_INFINITY : o === '-inf' ? Number.NEGATIVE_INFINITY : o;

/** Our call of the case's op on `xs`. */
function run(c: FixtureCase, xs: Tensor[]): Tensor {
  const a = c.args;
  const opts = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  switch (c.op) {
    case 'einsum': {
      if (a.equation !== undefined) return einsum(a.equation, ...xs);
      const args: (Tensor | SublistEntry[])[] = xs.flatMap((x, i) => [x, a.sublists![i]]);
      return einsum(...(a.output ? [...args, a.output] : args));
    }
    case 'vectorNorm':
      return linalg.vectorNorm(
        xs[0],
        opts({ ord: ord(a.ord) as number, dim: a.dim, keepdim: a.keepdim, dtype: a.dtype }),
      );
    case 'matrixNorm':
      return linalg.matrixNorm(
        xs[0],
        opts({ ord: ord(a.ord), dim: a.dim as number[] | undefined, keepdim: a.keepdim, dtype: a.dtype }),
      );
    case 'norm':
      return linalg.norm(xs[0], opts({ ord: ord(a.ord), dim: a.dim, keepdim: a.keepdim }));
    case 'cdistSelf':
    case 'cdist': {
      const p = a.p === 'inf' ? Number.POSITIVE_INFINITY : a.p;
      return cdist(xs[0], c.op === 'cdist' ? xs[1] : xs[0], opts({ p, computeMode: a.computeMode }));
    }
  }
}

/** The case's leaves (contiguous, requiring grad as in PyTorch) in `dtype` for floats, and the operands (transposed back). */
function inputs(c: FixtureCase, float: DType = 'float32'): { leaves: Tensor[]; xs: Tensor[] } {
  const leaves = c.inputs.map((f) => {
    const dtype = f.dtype === 'float32' ? float : f.dtype!;
    let shape = f.shape;
    let data = f.data as number[];
    if (f.transposed) {
      const [r, k] = shape.slice(-2);
      shape = [...shape.slice(0, -2), k, r];
      data = Array.from({ length: data.length }, (_, i) => data[(i % r) * k + Math.floor(i / r)]);
    }
    const x = tensor(data, { dtype }).reshape(shape);
    return f.requiresGrad ? x.requiresGrad_(true) : x;
  });
  const xs = leaves.map((l, i) => (c.inputs[i].transposed ? l.transpose(-1, -2) : l));
  return { leaves, xs };
}

function expectClose(what: string, got: Tensor, want: FixtureTensor): void {
  expect([...got.shape], `${what} shape`).toEqual(want.shape);
  const values = Array.from(got.dataSync<DataArray>(), Number);
  const bad: string[] = [];
  want.data.forEach((w, i) => {
    const e = Number(w);
    if (!(Math.abs(values[i] - e) <= TOL.atol + TOL.rtol * Math.abs(e)))
      bad.push(`[${i}] expected ${e}, got ${values[i]}`);
  });
  if (bad.length > 0)
    throw new Error(`${what}: ${bad.length}/${want.data.length} differ: ${bad.slice(0, 5).join('; ')}`);
}

function scoped(fn: () => void): void {
  const before = memory().numTensors;
  tidy(fn);
  expect(memory().numTensors - before, 'tensors leaked').toBe(0);
}

describe(`einsum, linalg norms and cdist match PyTorch ${fixture.torch} (fixtures/linalg.json)`, () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    scoped(() => {
      const { leaves, xs } = inputs(c);
      const y = run(c, xs);
      expect(y.dtype).toBe(c.output.dtype);
      expectClose('output', y, c.output);
      if (c.gradOutput === null) return;
      y.backward(tensor(c.gradOutput.data as number[], { dtype: y.dtype }).reshape(c.gradOutput.shape));
      c.grads.forEach((want, i) => {
        if (want === null) return;
        const g = leaves[i].grad;
        expect(g, `grad of input ${i}`).not.toBeNull();
        expectClose(`grad of input ${i}`, c.inputs[i].transposed ? g!.transpose(-1, -2) : g!, want);
      });
    });
  });
});

describe('gradcheck (float64) of the differentiable fixture cases away from kinks', () => {
  const cases = fixture.cases.filter((c) => c.gradOutput !== null && !NO_GRADCHECK.has(c.name));
  it('covers einsum, the norms and cdist', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(['einsum', 'vectorNorm', 'matrixNorm', 'norm']));
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    scoped(() => {
      const { leaves } = inputs(c, 'float64');
      const fn = (...ls: Tensor[]): Tensor =>
        run(
          c,
          ls.map((l, i) => (c.inputs[i].transposed ? l.transpose(-1, -2) : l)),
        );
      expect(gradcheck(fn, leaves)).toBe(true);
    });
  });
});
