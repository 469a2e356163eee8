// Cases of PyTorch's nn-spatial-more.json (tools/fixtures/nn_spatial_more.py): the 3-D and
// transposed convolutions, 1-D/3-D/adaptive-max/LP pooling and unpooling as layers (PyTorch's
// weights through loadStateDict) and as nn.functional calls, interpolate's bicubic/area/trilinear
// modes, gridSample and affineGrid — outputs, indices, input and parameter gradients.
import { nn, type Tensor } from '@proj/core';
import { dec, type Enc, encValues, loadFixture, release, values } from '../fixtures.js';
import type { Case, Outputs } from '../types.js';

interface LayerCase {
  kind: 'layer';
  name: string;
  layer: string;
  args: unknown[];
  opts: Record<string, unknown>;
  state: Record<string, Enc>;
  x: Enc;
  extra?: (Enc | number[])[];
  y: Enc;
  indices?: Enc;
  g: Enc;
  gx: Enc;
  gp: Record<string, Enc>;
}

interface FunctionalCase {
  kind: 'functional';
  name: string;
  fn: string;
  inputs: Enc[];
  args: unknown[];
  opts: Record<string, unknown>;
  output: Enc;
  indices?: Enc;
  gradOutput: Enc;
  grads: (Enc | null)[];
}

type Result = Tensor | [Tensor, Tensor];
const isEnc = (v: unknown): v is Enc => v !== null && typeof v === 'object' && 'shape' in v && 'data' in v;

/** out (and indices) of a result that may be [values, indices], then the backward of sum(out · g). */
function finish(r: Result, g: Enc, res: Outputs): Tensor {
  const [y, idx] = Array.isArray(r) ? r : [r, null];
  res.out = values(y);
  if (idx) res.indices = values(idx);
  y.mul(dec(g)).sum().backward();
  return y;
}

function layerCase(c: LayerCase): Case {
  const expected: Outputs = { out: encValues(c.y), 'grad.x': encValues(c.gx) };
  if (c.indices) expected.indices = encValues(c.indices);
  for (const [k, g] of Object.entries(c.gp)) expected[`grad.${k}`] = encValues(g);
  return {
    id: `layer/${c.name}`,
    family: 'layer',
    tolerance: 'layer',
    expected,
    run() {
      const Layer = (nn as unknown as Record<string, new (...a: unknown[]) => nn.Module>)[c.layer]!;
      const m = c.layer === 'Upsample' ? new Layer(c.opts) : new Layer(...c.args, c.opts);
      m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, dec(v)])));
      const x = dec(c.x, true);
      const extra = (c.extra ?? []).map((e) => (isEnc(e) ? dec(e) : e));
      const res: Outputs = {};
      finish(m.forward(x, ...extra) as Result, c.g, res);
      res['grad.x'] = values(x.grad!);
      for (const [k, p] of m.namedParameters()) res[`grad.${k}`] = values(p.grad!);
      release(m);
      return res;
    },
  };
}

function functionalCase(c: FunctionalCase): Case {
  const expected: Outputs = { out: encValues(c.output) };
  if (c.indices) expected.indices = encValues(c.indices);
  c.grads.forEach((g, i) => {
    if (g) expected[`grad.${i}`] = encValues(g);
  });
  return {
    id: `functional/${c.name.slice(2)}`,
    family: 'functional',
    tolerance: 'layer',
    expected,
    run() {
      const fn = (nn.functional as unknown as Record<string, (...a: unknown[]) => Result>)[c.fn]!;
      const xs = c.inputs.map((e) => dec(e, e.requiresGrad === true));
      const opts = Object.keys(c.opts).length > 0 ? [c.opts] : [];
      const res: Outputs = {};
      finish(fn(...xs, ...c.args, ...opts), c.gradOutput, res);
      c.grads.forEach((g, i) => {
        if (g) res[`grad.${i}`] = values(xs[i]!.grad!);
      });
      return res;
    },
  };
}

/** Every case of nn-spatial-more.json. */
export function spatialMoreCases(): Case[] {
  const cases = loadFixture<{ cases: (LayerCase | FunctionalCase)[] }>('nn-spatial-more.json').cases;
  return cases.map((c) => (c.kind === 'layer' ? layerCase(c) : functionalCase(c)));
}
