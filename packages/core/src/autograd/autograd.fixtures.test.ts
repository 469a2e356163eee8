// Higher-order autograd against PyTorch: gradient penalties (autograd.grad with createGraph,
// then backward through the gradient), second derivatives, double backward through
// cross-entropy, Hessians and Hessian-vector products. Cases: fixtures/autograd.json, written
// by tools/fixtures/autograd_cases.py.
import '@proj/backend-cpu';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { autograd, nn, onesLike, type Tensor, tensor } from '../index.js';

interface Json {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  inputs: Record<string, Json>;
  params: Record<string, Json>;
  expected: Record<string, Json | null>;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/autograd.json', import.meta.url), 'utf8'),
) as {
  torch: string;
  cases: Case[];
};
const byName = new Map(fixture.cases.map((c) => [c.name, c]));

const f64 = (j: Json): Tensor => tensor(j.data, { dtype: 'float64' }).reshape(j.shape);

function close(actual: Tensor | null, expected: Json | null, what: string): void {
  if (expected === null) {
    expect(actual, `${what}: PyTorch has no gradient`).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(actual!.shape, what).toEqual(expected.shape);
  const a = actual!.dataSync();
  expected.data.forEach((v, i) => {
    expect(Math.abs(a[i] - v), `${what}[${i}]: ${a[i]} vs ${v}`).toBeLessThanOrEqual(
      1e-10 + 1e-8 * Math.abs(v),
    );
  });
}

/** WGAN-GP: the critic's input gradient with createGraph, then backward through its norm. */
function gradientPenalty(c: Case, critic: nn.Module): void {
  critic.double();
  critic.loadStateDict(Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, f64(v)])));
  const x = f64(c.inputs.x).requiresGrad_();
  const out = critic.forward(x) as Tensor;
  const [g] = autograd.grad(out, x, { gradOutputs: onesLike(out), createGraph: true });
  const gp = g!.flatten(1).pow(2).sum(1).sqrt().sub(1).pow(2).mean();
  gp.backward();
  close(g, c.expected.grad, 'grad');
  close(gp, c.expected.gp, 'gp');
  close(x.grad, c.expected['x.grad'], 'x.grad');
  for (const [name, p] of critic.namedParameters()) close(p.grad, c.expected[`${name}.grad`], `${name}.grad`);
}

describe(`higher-order autograd matches PyTorch ${fixture.torch} (fixtures/autograd.json)`, () => {
  it('gradient penalty through Linear and LeakyReLU', () => {
    gradientPenalty(
      byName.get('gradient_penalty_mlp')!,
      new nn.Sequential(new nn.Linear(4, 8), new nn.LeakyReLU(0.2), new nn.Linear(8, 1)),
    );
  });

  it('gradient penalty through ReLU (zero second derivatives, not missing ones)', () => {
    gradientPenalty(
      byName.get('gradient_penalty_relu')!,
      new nn.Sequential(new nn.Linear(3, 8), new nn.ReLU(), new nn.Linear(8, 1)),
    );
  });

  it('gradient penalty through Conv2d, Tanh and MaxPool2d', () => {
    gradientPenalty(
      byName.get('gradient_penalty_conv')!,
      new nn.Sequential(
        new nn.Conv2d(1, 2, 3, { padding: 1 }),
        new nn.Tanh(),
        new nn.MaxPool2d(2),
        new nn.Flatten(),
        new nn.Linear(8, 1),
      ),
    );
  });

  it('gradient penalty through Conv2d, ReLU6 and AvgPool2d', () => {
    gradientPenalty(
      byName.get('gradient_penalty_conv_relu6_avgpool')!,
      new nn.Sequential(
        new nn.Conv2d(1, 2, 3, { padding: 1 }),
        new nn.ReLU6(),
        new nn.AvgPool2d(2),
        new nn.Flatten(),
        new nn.Linear(8, 1),
      ),
    );
  });

  it('gradient penalty through Hardshrink, Threshold, LeakyReLU and Softshrink', () => {
    gradientPenalty(
      byName.get('gradient_penalty_hardshrink_threshold_softshrink')!,
      new nn.Sequential(
        new nn.Linear(3, 6),
        new nn.Hardshrink(0.3),
        new nn.Linear(6, 6),
        new nn.Threshold(0.1, -0.5),
        new nn.Linear(6, 6),
        new nn.LeakyReLU(0.1),
        new nn.Linear(6, 6),
        new nn.Softshrink(0.2),
        new nn.Linear(6, 1),
      ),
    );
  });

  it('gradient penalty through Sigmoid and Softplus', () => {
    gradientPenalty(
      byName.get('gradient_penalty_mlp_sigmoid_softplus')!,
      new nn.Sequential(
        new nn.Linear(3, 6),
        new nn.Sigmoid(),
        new nn.Linear(6, 6),
        new nn.Softplus(),
        new nn.Linear(6, 1),
      ),
    );
  });

  it('second derivative of an elementwise chain', () => {
    const c = byName.get('second_derivative_chain')!;
    const x = f64(c.inputs.x).requiresGrad_();
    const y = x
      .sin()
      .mul(x.exp())
      .add(x.sigmoid().mul(x.tanh()))
      .add(x.pow(3).div(x.mul(x).add(1)))
      .sum();
    const [g1] = autograd.grad(y, x, { createGraph: true });
    const [g2] = autograd.grad(g1!.sum(), x);
    close(g1, c.expected.g1, 'g1');
    close(g2, c.expected.g2, 'g2');
  });

  it('double backward through cross-entropy', () => {
    const c = byName.get('double_backward_cross_entropy')!;
    const logits = f64(c.inputs.logits).requiresGrad_();
    const target = tensor(c.inputs.target.data, { dtype: 'int64' });
    const loss = nn.functional.crossEntropy(logits, target);
    const [gl] = autograd.grad(loss, logits, { createGraph: true });
    gl!.pow(2).sum().backward();
    close(gl, c.expected.grad, 'grad');
    close(logits.grad, c.expected['logits.grad'], 'logits.grad');
  });

  it('Hessian and Hessian-vector product', () => {
    const c = byName.get('hessian_quadratic_tanh')!;
    const A = f64(c.inputs.A);
    const f = (x: Tensor) => x.tanh().mul(x).sum().add(x.matmul(A).matmul(x)).add(x.softmax(0).mul(x).sum());
    const H = autograd.functional.hessian(f, f64(c.inputs.x)) as Tensor;
    close(H, c.expected.hessian, 'hessian');
    const [, hv] = autograd.functional.hvp(f, f64(c.inputs.x), f64(c.inputs.v));
    close(hv as Tensor, c.expected.hvp, 'hvp');
  });

  it('jacobian, jvp, vjp and hessian of a function of two inputs with two outputs', () => {
    const c = byName.get('functional_two_inputs')!;
    const [x, y, vx, vy, u0, u1] = ['x', 'y', 'vx', 'vy', 'u0', 'u1'].map((k) => f64(c.inputs[k]));
    const f2 = (a: Tensor, b: Tensor) => [a.sin().mul(b.sum()), a.pow(2).sum().mul(b.tanh())];
    const J = autograd.functional.jacobian(f2, [x, y]) as Tensor[][];
    for (const i of [0, 1]) for (const j of [0, 1]) close(J[i][j], c.expected[`J${i}${j}`], `J${i}${j}`);
    const [, jv] = autograd.functional.jvp(f2, [x, y], [vx, vy]);
    close((jv as Tensor[])[0], c.expected.jvp0, 'jvp0');
    close((jv as Tensor[])[1], c.expected.jvp1, 'jvp1');
    const [, vj] = autograd.functional.vjp(f2, [x, y], [u0, u1]);
    close((vj as Tensor[])[0], c.expected.vjp0, 'vjp0');
    close((vj as Tensor[])[1], c.expected.vjp1, 'vjp1');
    const H = autograd.functional.hessian(
      (a, b) => a.sin().mul(b.sum()).sum().add(a.pow(2).sum().mul(b.tanh()).sum()),
      [x, y],
    ) as Tensor[][];
    for (const i of [0, 1]) for (const j of [0, 1]) close(H[i][j], c.expected[`H${i}${j}`], `H${i}${j}`);
  });
});
