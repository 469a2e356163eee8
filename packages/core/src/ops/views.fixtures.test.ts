// Views sharing storage and in-place ops through them, against PyTorch: each case below is the
// program of the same name in tools/fixtures/views_cases.py, and fixtures/views.json holds what
// PyTorch computed (values after the writes, strides, offsets, gradients).
import '@proj/backend-cpu';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Tensor, tensor, zeros } from '../index.js';
import { asStrided, diagonal, select, unfold } from './view.js';

interface T {
  shape: number[];
  values: number[];
}
type Case = Record<string, unknown> & { name: string };

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/views.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: Case[];
};
const cases = new Map(fixture.cases.map((c) => [c.name, c]));

/** 0, 1, …, n-1 (arange without depending on its integer dtype). */
function seq(n: number, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  return tensor(
    Array.from({ length: n }, (_, i) => i),
    { dtype },
  );
}

function input(c: Case, key: string, requiresGrad = false): Tensor {
  const v = c[key] as T;
  return tensor(v.values, { dtype: 'float64' }).reshape(v.shape).clone().requiresGrad_(requiresGrad);
}

function expectT(actual: Tensor, expected: unknown, exact = true): void {
  const e = expected as T;
  expect(actual.shape).toEqual(e.shape);
  const got = Array.from(actual.dataSync() as ArrayLike<number>);
  if (exact) expect(got).toEqual(e.values);
  else for (const [i, v] of got.entries()) expect(v).toBeCloseTo(e.values[i], 12);
}

const programs: Record<string, (c: Case) => void> = {
  transpose_add(c) {
    const x = seq(6).reshape(2, 3);
    const y = x.t();
    y.add_(1);
    expectT(x, c.x);
    expectT(y, c.y);
    expect(y.stride()).toEqual(c.y_stride);
    expect(y.isContiguous()).toBe(c.y_contiguous);
  },
  narrow_fill(c) {
    const x = seq(12).reshape(3, 4);
    const v = x.narrow(1, 1, 2);
    v.fill_(0);
    expectT(x, c.x);
    expect(v.stride()).toEqual(c.v_stride);
    expect(v.storageOffset()).toBe(c.v_offset);
  },
  select_mul(c) {
    const x = seq(12).reshape(3, 4);
    select(x, 0, 1).mul_(10);
    select(x, 1, -1).sub_(1);
    expectT(x, c.x);
  },
  diagonal_fill(c) {
    const x = seq(16).reshape(4, 4);
    const d = diagonal(x, 1);
    d.fill_(-1);
    expectT(x, c.x);
    expectT(d, c.d);
    expect(d.stride()).toEqual(c.d_stride);
    expect(d.storageOffset()).toBe(c.d_offset);
  },
  unfold(c) {
    const u = unfold(seq(7), 0, 3, 2);
    expectT(u, c.u);
    expect(u.stride()).toEqual(c.u_stride);
  },
  expand_strides(c) {
    const e = seq(4).reshape(2, 2).unsqueeze(0).expand(3, 2, 2);
    expectT(e, c.e);
    expect(e.stride()).toEqual(c.e_stride);
  },
  as_strided(c) {
    expectT(asStrided(seq(9), [2, 2], [3, 1], 1), c.y);
  },
  as_strided_grad(c) {
    const a = seq(5, 'float64').requiresGrad_();
    const y = asStrided(a, [3, 3], [1, 1]);
    y.mul(seq(9, 'float64').reshape(3, 3)).sum().backward();
    expectT(y, c.y);
    expectT(a.grad!, c.a_grad);
  },
  reshape_view_or_copy(c) {
    const x = seq(6).reshape(2, 3);
    x.t().reshape(-1).fill_(0);
    const v = x.view(3, 2);
    select(select(v, 0, 0), 0, 0).fill_(100);
    x.narrow(0, 1, 1).reshape(-1).mul_(2);
    expectT(x, c.x);
  },
  inplace_view_grad(c) {
    const a = input(c, 'a', true);
    const w = input(c, 'w', true);
    const b = a.mul(2);
    select(b, 0, 1).mul_(3);
    b.narrow(1, 0, 2).add_(1);
    select(b, 0, 2).mul_(w);
    b.mul(input(c, 'c')).sum().backward();
    expectT(b, c.b, false);
    expectT(a.grad!, c.a_grad, false);
    expectT(w.grad!, c.w_grad, false);
  },
  copy_into_constant(c) {
    const w = input(c, 'w', true);
    const z = zeros([3, 4], { dtype: 'float64' });
    select(z, 1, 2).copy_(w);
    z.mul(input(c, 'c')).sum().backward();
    expectT(z, c.z);
    expect(z.requiresGrad).toBe(c.z_requires_grad);
    expectT(w.grad!, c.w_grad, false);
  },
  stale_view(c) {
    const a = input(c, 'a', true);
    const b = a.mul(1);
    const v = b.t();
    b.mul_(2);
    v.mul(input(c, 'c')).sum().backward();
    expectT(v, c.v, false);
    expectT(a.grad!, c.a_grad, false);
  },
  overwrite_constant(c) {
    const a = input(c, 'a', true);
    const b = a.mul(2);
    b.narrow(1, 0, 1).fill_(5);
    b.sum().backward();
    expectT(b, c.b, false);
    expectT(a.grad!, c.a_grad, false);
  },
  history_before_inplace(c) {
    const a = input(c, 'a', true);
    const x = a.mul(2);
    const z = x.add(3);
    x.mul_(5);
    z.sum().add(x.sum()).backward();
    expectT(a.grad!, c.a_grad, false);
  },
  inplace_saves_old_values(c) {
    const a = input(c, 'a', true);
    const w = input(c, 'w', true);
    const x = a.mul(2);
    x.mul_(w);
    x.div_(w.add(3));
    x.mul(input(c, 'c')).sum().backward();
    expectT(x, c.x, false);
    expectT(a.grad!, c.a_grad, false);
    expectT(w.grad!, c.w_grad, false);
    const y = a.mul(1);
    y.mul_(y);
    expect(c.self_other).toBe('modified by an inplace operation');
    expect(() => y.sum().backward()).toThrow(/modified by an in-place operation/);
  },
  inplace_saves_output(c) {
    const a = input(c, 'a', true);
    const cc = input(c, 'c');
    const b = a.mul(0.5);
    b.exp_();
    b.mul(cc).sum().backward();
    expectT(b, c.b, false);
    expectT(a.grad!, c.exp_grad, false);
    a.grad = null;
    const d = a.mul(0.5);
    select(d, 0, 1).sigmoid_();
    d.mul(cc).sum().backward(undefined, { retainGraph: true });
    expectT(a.grad!, c.d_grad, false);
    d.tanh_();
    expect(c.after_tanh).toBe('modified by an inplace operation');
    expect(() => d.mul(cc).sum().backward()).toThrow(/modified by an in-place operation/);
  },
  write_then_sum(c) {
    const a = input(c, 'a', true);
    const b = a.mul(1);
    select(b, 0, 0).mul_(3);
    b.sum().backward();
    expectT(a.grad!, c.a_grad);
  },
  matmul_transposed(c) {
    const x = input(c, 'x', true);
    const w = input(c, 'w', true);
    const y = x.matmul(w.t());
    y.backward(input(c, 'g'));
    expectT(y, c.y, false);
    expectT(x.grad!, c.x_grad, false);
    expectT(w.grad!, c.w_grad, false);
    const wt = w.detach().t().contiguous().requiresGrad_();
    expectT(x.detach().t().t().matmul(wt.t().t()), c.y2, false);
  },
};

describe(`views and in-place ops through them match PyTorch ${fixture.torch} (fixtures/views.json)`, () => {
  it('every fixture case has a program here and every program a case', () => {
    expect([...cases.keys()].sort()).toEqual(Object.keys(programs).sort());
  });
  for (const [name, run] of Object.entries(programs)) {
    it(name, () => {
      const c = cases.get(name);
      expect(c, `fixture case ${name}`).toBeDefined();
      run(c!);
    });
  }
});
