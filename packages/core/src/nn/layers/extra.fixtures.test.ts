// The activations, dropout variants, norms, padding, shuffle, distance and fold layers of the v2
// surface against PyTorch 1.13 (fixtures/nn-extra.json, tools/fixtures/nn_extra.py): each layer
// loads PyTorch's state dict and must give its output, input and parameter gradients, running
// statistics and repr; each nn.functional call its output and input gradients. RMSNorm and
// ZeroPad1d/3d are not in 1.13: their records ("reference": "hand") come from PyTorch 2.4's /
// 2.1's definitions written out in the fixture script.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, nn, type Tensor, tensor, tidy } from '../../index.js';
import { type FixtureTensor as Enc, expectCloseTo, fixtureCases } from '../cases-fixture.js';
import type { Module } from '../module.js';

const FILE = 'nn-extra.json';
const F = nn.functional as unknown as Record<string, (...a: unknown[]) => Tensor>;
const LAYERS = nn as unknown as Record<string, new (...a: unknown[]) => Module>;

interface LayerCase {
  name: string;
  layer: string;
  args: unknown[];
  opts: Record<string, unknown>;
  repr: string;
  training: boolean;
  state: Record<string, Enc>;
  inputs: Enc[];
  y: Enc;
  g: Enc;
  gx: Enc[];
  gp: Record<string, Enc>;
  stateAfter: Record<string, Enc>;
}

interface FunctionalCase {
  name: string;
  fn: string;
  args: unknown[];
  inputs: (Enc & { requiresGrad: boolean })[];
  y: Enc;
  g: Enc;
  gx: (Enc | null)[];
}

interface DropoutCase {
  name: string;
  p: number;
  x: number;
  shape: number[];
  values: number[];
}

function dec(e: Enc): Tensor {
  const dtype = e.dtype === 'float64' || e.dtype === 'int64' || e.dtype === 'int32' ? e.dtype : 'float32';
  return tensor(e.data, { dtype }).reshape(e.shape);
}

/** A fixture argument as our call takes it: {"$input": i} → inputs[i], "Infinity" → Infinity. */
function resolve(v: unknown, inputs: Tensor[]): unknown {
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (Array.isArray(v)) return v.map((x) => resolve(x, inputs));
  if (v !== null && typeof v === 'object') {
    if ('$input' in v) return inputs[(v as { $input: number }).$input];
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, inputs)]));
  }
  return v;
}

function runLayer(c: LayerCase): void {
  const Ctor = LAYERS[c.layer];
  expect(Ctor, `nn.${c.layer}`).toBeDefined();
  const layer = new Ctor(...c.args, c.opts);
  expect(layer.toString()).toBe(c.repr);
  const before = memory().numTensors;
  tidy(() => {
    const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, dec(v)]));
    expect(layer.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    layer.train(c.training);
    const xs = c.inputs.map((e) => dec(e).requiresGrad_(true));
    const y = layer.forward(...xs) as Tensor;
    expectCloseTo('output', y, c.y, 1e-5, 1e-5);
    y.mul(dec(c.g)).sum().backward();
    xs.forEach((x, i) => {
      expectCloseTo(`grad of input ${i}`, x.grad!, c.gx[i], 1e-5, 1e-5);
    });
    const params = Object.fromEntries(layer.namedParameters());
    expect(Object.keys(params).sort()).toEqual(Object.keys(c.gp).sort());
    for (const [k, g] of Object.entries(c.gp)) expectCloseTo(`grad of ${k}`, params[k].grad!, g, 1e-5, 1e-5);
    const after = layer.stateDict();
    expect(Object.keys(after)).toEqual(Object.keys(c.stateAfter));
    for (const [k, v] of Object.entries(c.stateAfter)) expectCloseTo(`state ${k}`, after[k], v, 1e-5, 1e-5);
    layer.zeroGrad();
  });
  expect(memory().numTensors).toBe(before);
}

function runFunctional(c: FunctionalCase): void {
  const fn = F[c.fn];
  expect(fn, `F.${c.fn}`).toBeDefined();
  const before = memory().numTensors;
  tidy(() => {
    const xs = c.inputs.map((e) => (e.requiresGrad ? dec(e).requiresGrad_(true) : dec(e)));
    const y = fn(...(resolve(c.args, xs) as unknown[]));
    expectCloseTo('output', y, c.y, 1e-5, 1e-5);
    y.mul(dec(c.g)).sum().backward();
    xs.forEach((x, i) => {
      const g = c.gx[i];
      if (g) expectCloseTo(`grad of input ${i}`, x.grad!, g, 1e-5, 1e-5);
    });
  });
  expect(memory().numTensors).toBe(before);
}

describe(`nn layers match PyTorch (fixtures/${FILE})`, () => {
  for (const c of fixtureCases<LayerCase>(FILE, 'layer/')) it(c.name, () => runLayer(c));
});

describe(`nn.functional matches PyTorch (fixtures/${FILE})`, () => {
  for (const c of fixtureCases<FunctionalCase>(FILE, 'functional/')) it(c.name, () => runFunctional(c));
});

describe('dropout variants produce exactly PyTorch’s kept and dropped values', () => {
  for (const c of fixtureCases<DropoutCase>(FILE, 'dropout/')) {
    it(c.name, () => {
      manualSeed(7);
      tidy(() => {
        const fn = F[c.name.slice('dropout/'.length)];
        const y = fn(tensor(c.x).expand(c.shape).contiguous(), c.p, true);
        const seen = new Set(Array.from(y.dataSync(), (v) => Math.fround(v)));
        // Both values occur (the mask is neither all-kept nor all-dropped) and nothing else.
        expect([...seen].sort((a, b) => a - b)).toEqual(c.values.map((v) => Math.fround(v)));
      });
    });
  }
});
