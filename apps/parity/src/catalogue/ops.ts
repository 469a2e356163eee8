// Op cases: every case of PyTorch's ops.json (forward, gradients, broadcasting, size-1 and
// transposed inputs; compared with PyTorch and with cpu), plus generated cases for the Tensor
// methods that fixture does not cover (compared with cpu only).
import type { Tensor } from '@proj/core';
import { FIXTURE_OPS, type FixtureOpArgs } from '@proj/core/testing';
import { dec, type Enc, encValues, loadFixture, swapLastTwo, values } from '../fixtures.js';
import type { Case, Outputs } from '../types.js';
import { type GenInput, generatedCase } from './generated.js';

interface OpCase {
  name: string;
  op: string;
  args: FixtureOpArgs;
  inputs: Enc[];
  output: Enc;
  gradOutput: Enc | null;
  grads: (Enc | null)[];
}

/** An input of an ops.json case: the operand and the leaf holding its gradient. */
function buildInput(f: Enc): { x: Tensor; leaf: Tensor } {
  if (!f.transposed) {
    const x = dec(f, f.requiresGrad ?? false);
    return { x, leaf: x };
  }
  const [data, shape] = swapLastTwo(f.data, f.shape);
  const leaf = dec({ ...f, data, shape }, f.requiresGrad ?? false);
  return { x: leaf.transpose(-1, -2), leaf };
}

function fixtureCase(c: OpCase): Case {
  const fn = FIXTURE_OPS[c.op];
  const expected: Outputs = { out: encValues(c.output) };
  c.grads.forEach((g, i) => {
    if (g && c.gradOutput) expected[`grad.${i}`] = encValues({ ...g, dtype: c.inputs[i]!.dtype });
  });
  return {
    id: `op/${c.name}`,
    family: 'op',
    tolerance: 'op',
    expected,
    run() {
      if (!fn) throw new Error(`no entry for op '${c.op}' in the FIXTURE_OPS table of @proj/core/testing`);
      const built = c.inputs.map(buildInput);
      const out = fn(
        built.map((b) => b.x),
        c.args,
      );
      const res: Outputs = { out: values(out) };
      if (!c.gradOutput) return res;
      out.backward(dec({ ...c.gradOutput, dtype: out.dtype }));
      c.grads.forEach((want, i) => {
        if (!want) return;
        const { leaf } = built[i]!;
        if (!leaf.grad) throw new Error(`input ${i} got no gradient`);
        res[`grad.${i}`] = values(c.inputs[i]!.transposed ? leaf.grad.transpose(-1, -2) : leaf.grad);
      });
      return res;
    },
  };
}

const f = (shape: number[], more: Partial<GenInput> = {}): GenInput => ({ shape, grad: true, ...more });
const pos = (shape: number[], more: Partial<GenInput> = {}): GenInput =>
  f(shape, { lo: 0.5, hi: 3, ...more });
const idx = (shape: number[], hi: number): GenInput => ({ shape, kind: 'int', lo: 0, hi });
const bool = (shape: number[]): GenInput => ({ shape, kind: 'bool' });

/** Tensor methods without a PyTorch fixture case: [name, inputs, call]. */
const GENERATED: [string, GenInput[], (xs: Tensor[]) => Tensor][] = [
  ['erf/2d', [f([3, 4])], ([x]) => x!.erf()],
  ['erf/transposed', [f([4, 3], { t: true })], ([x]) => x!.erf()],
  ['square/broadcast_size1', [f([1, 4])], ([x]) => x!.square()],
  ['reciprocal/2d', [f([3, 4], { lo: 0.5, hi: 2 })], ([x]) => x!.reciprocal()],
  ['logsumexp/dim1', [f([3, 5])], ([x]) => x!.logsumexp(1)],
  ['logsumexp/dim0_keepdim', [f([4, 3], { t: true })], ([x]) => x!.logsumexp(0, true)],
  ['prod/dim1', [f([3, 4], { lo: 0.5, hi: 1.5 })], ([x]) => x!.prod(1)],
  ['prod/all', [f([2, 3], { lo: 0.5, hi: 1.5 })], ([x]) => x!.prod()],
  ['floor/2d', [f([3, 4], { grad: false })], ([x]) => x!.floor()],
  ['ceil/2d', [f([3, 4], { grad: false })], ([x]) => x!.ceil()],
  ['round/2d', [f([3, 4], { grad: false })], ([x]) => x!.round()],
  ['sign/2d', [f([3, 4])], ([x]) => x!.sign()],
  ['isnan/2d', [f([3, 4], { grad: false })], ([x]) => x!.log().isnan()],
  ['logicalAnd/broadcast', [bool([3, 4]), bool([1, 4])], ([a, b]) => a!.logicalAnd(b!)],
  ['logicalOr/broadcast', [bool([3, 1]), bool([3, 4])], ([a, b]) => a!.logicalOr(b!)],
  ['logicalNot/2d', [bool([3, 4])], ([a]) => a!.logicalNot()],
  ['t/2d', [f([3, 4])], ([x]) => x!.t().mul(2)],
  ['contiguous/transposed', [f([4, 3], { t: true })], ([x]) => x!.contiguous().mul(3)],
  ['clone/2d', [f([3, 4])], ([x]) => x!.clone().mul(x!)],
  ['expandAs/size1', [f([3, 1]), f([3, 4], { grad: false })], ([x, y]) => x!.expandAs(y!).mul(y!)],
  ['split/dim1', [f([3, 5])], ([x]) => x!.split(2, 1)[2]!.mul(2)],
  ['chunk/dim0', [f([6, 2])], ([x]) => x!.chunk(3, 0)[1]!.exp()],
  ['scatterAdd/dim1', [f([3, 5]), idx([3, 4], 5), f([3, 4])], ([x, i, s]) => x!.scatterAdd(1, i!, s!)],
  ['scatterAdd/dim0', [f([4, 3]), idx([6, 3], 4), f([6, 3])], ([x, i, s]) => x!.scatterAdd(0, i!, s!)],
  ['float/from_int', [idx([3, 4], 9)], ([x]) => x!.float()],
  ['int/from_float', [f([3, 4], { grad: false, lo: -9, hi: 9 })], ([x]) => x!.int()],
  ['bool/from_float', [f([3, 4], { grad: false })], ([x]) => x!.relu().bool()],
  ['add_/broadcast', [f([3, 4], { grad: false }), f([4], { grad: false })], ([x, y]) => x!.clone().add_(y!)],
  ['sub_/scalar', [f([3, 4], { grad: false })], ([x]) => x!.clone().sub_(0.5)],
  [
    'mul_/broadcast',
    [f([3, 4], { grad: false }), f([3, 1], { grad: false })],
    ([x, y]) => x!.clone().mul_(y!),
  ],
  ['div_/scalar', [f([3, 4], { grad: false })], ([x]) => x!.clone().div_(3)],
  ['pow_/scalar', [pos([3, 4], { grad: false })], ([x]) => x!.clone().pow_(1.5)],
  ['neg_/2d', [f([3, 4], { grad: false })], ([x]) => x!.clone().neg_()],
  ['exp_/2d', [f([3, 4], { grad: false })], ([x]) => x!.clone().exp_()],
  ['sqrt_/2d', [pos([3, 4], { grad: false })], ([x]) => x!.clone().sqrt_()],
  ['tanh_/2d', [f([3, 4], { grad: false })], ([x]) => x!.clone().tanh_()],
  ['sigmoid_/2d', [f([3, 4], { grad: false })], ([x]) => x!.clone().sigmoid_()],
  ['relu_/2d', [f([3, 4], { grad: false })], ([x]) => x!.clone().relu_()],
  ['clamp_/2d', [f([3, 4], { grad: false })], ([x]) => x!.clone().clamp_(-0.5, 0.5)],
  ['zero_/2d', [f([3, 4], { grad: false })], ([x]) => x!.clone().zero_()],
  ['fill_/2d', [f([3, 4], { grad: false })], ([x]) => x!.clone().fill_(2.5)],
  [
    'copy_/broadcast',
    [f([3, 4], { grad: false }), f([4], { grad: false })],
    ([x, y]) => x!.clone().copy_(y!),
  ],
  ['add_/grad_through_clone', [f([3, 4]), f([3, 4])], ([x, y]) => x!.mul(1).add_(y!)],
];

/** All op cases. */
export function opCases(): Case[] {
  const fixture = loadFixture<{ cases: OpCase[] }>('ops.json');
  return [
    ...fixture.cases.map(fixtureCase),
    ...GENERATED.map(([name, inputs, fn]) => generatedCase(`op/${name}`, 'op', 'op', inputs, fn)),
  ];
}
