// Spectral and weight normalisation against PyTorch (fixtures/parametrizations.json, written by
// tools/fixtures/parametrizations.py): state dicts load by PyTorch's keys, train-mode forwards
// run the same power iteration, gradients reach the stored tensors.
import '@proj/backend-cpu';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nn, type Tensor, tensor } from '../../index.js';

interface Json {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  layer: 'Linear' | 'Conv2d' | 'ConvTranspose2d';
  args: number[];
  kind: 'spectral' | 'weight';
  dim?: number | null;
  state: Record<string, Json>;
  x: Json;
  out: Json;
  out2?: Json;
  eval?: Json;
  grads: Record<string, Json>;
  u?: Json;
  v?: Json;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../../fixtures/parametrizations.json', import.meta.url), 'utf8'),
) as { torch: string; cases: Case[] };

const f64 = (j: Json): Tensor => tensor(j.data, { dtype: 'float64' }).reshape(j.shape);

function close(actual: Tensor, expected: Json, what: string): void {
  expect(actual.shape, what).toEqual(expected.shape);
  const a = actual.dataSync();
  expected.data.forEach((v, i) => {
    expect(Math.abs(a[i] - v), `${what}[${i}]: ${a[i]} vs ${v}`).toBeLessThanOrEqual(
      1e-9 + 1e-7 * Math.abs(v),
    );
  });
}

function layer(c: Case): nn.Module {
  const [a, b, k] = c.args;
  if (c.layer === 'Linear') return new nn.Linear(a, b).double();
  if (c.layer === 'Conv2d') return new nn.Conv2d(a, b, k).double();
  return new nn.ConvTranspose2d(a, b, k).double();
}

const { parametrizations, parametrize } = nn.utils;

describe(`nn.utils.parametrizations match PyTorch ${fixture.torch}`, () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const m =
        c.kind === 'spectral'
          ? parametrizations.spectralNorm(layer(c))
          : parametrizations.weightNorm(layer(c), 'weight', c.dim ?? null);
      expect(Object.keys(m.stateDict()).sort()).toEqual(Object.keys(c.state).sort());
      m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, f64(v)])));
      const x = f64(c.x);
      const out = m.forward(x) as Tensor;
      close(out, c.out, 'out');
      out.pow(2).sum().backward();
      for (const [k, p] of m.namedParameters()) close(p.grad!, c.grads[k], `${k}.grad`);
      if (c.kind === 'spectral') {
        close(m.forward(x) as Tensor, c.out2!, 'second train forward');
        m.eval();
        close(m.forward(x) as Tensor, c.eval!, 'eval forward');
        const p = m.getSubmodule('parametrizations.weight.0') as unknown as { _u: Tensor; _v: Tensor };
        close(p._u, c.u!, '_u');
        close(p._v, c.v!, '_v');
      }
    });
  }

  it('removeParametrizations leaves the current value as a plain parameter', () => {
    const m = parametrizations.weightNorm(new nn.Linear(3, 2).double());
    const w = (m as nn.Linear).weight.detach().clone();
    expect(parametrize.isParametrized(m, 'weight')).toBe(true);
    parametrize.removeParametrizations(m, 'weight');
    expect(parametrize.isParametrized(m)).toBe(false);
    expect(Object.keys(m.stateDict()).sort()).toEqual(['bias', 'weight']);
    expect(Array.from((m as nn.Linear).weight.dataSync())).toEqual(Array.from(w.dataSync()));
  });

  it('assigning to a parametrized tensor is an error, not a silent no-op', () => {
    const m = parametrizations.spectralNorm(new nn.Linear(3, 2));
    expect(() => {
      (m as any).weight = null;
    }).toThrow(/weight is parametrized/);
  });
});
