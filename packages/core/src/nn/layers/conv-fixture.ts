// Test helper (not exported): runs one case of fixtures/nn-spatial.json (PyTorch goldens) on
// our layer — loads PyTorch's state dict, forwards, backwards sum(y · g) — and compares.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { memory, type Tensor, tensor, tidy } from '../../index.js';
import type { Module } from '../module.js';
import {
  AdaptiveAvgPool2d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  LayerNorm,
  MaxPool2d,
  Upsample,
} from '../spatial.js';

interface Enc {
  shape: number[];
  dtype?: string;
  data: number[];
}

/** One recorded layer case. */
export interface SpatialCase {
  name: string;
  layer: keyof typeof LAYERS;
  args: unknown[];
  opts: Record<string, unknown>;
  repr: string;
  training: boolean;
  state: Record<string, Enc>;
  x: Enc;
  y: Enc;
  g: Enc;
  gx: Enc;
  gp: Record<string, Enc>;
  stateAfter: Record<string, Enc>;
}

const LAYERS = {
  AdaptiveAvgPool2d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  LayerNorm,
  MaxPool2d,
  Upsample,
};

let cached: SpatialCase[] | undefined;

/** The cases of nn-spatial.json whose name starts with `prefix`. */
export function spatialCases(prefix: string): SpatialCase[] {
  cached ??= JSON.parse(
    readFileSync(new URL('../../../fixtures/nn-spatial.json', import.meta.url), 'utf8'),
  ).cases;
  const out = (cached as SpatialCase[]).filter((c) => c.name.startsWith(prefix));
  if (out.length === 0) throw new Error(`no fixture cases start with ${prefix}`);
  return out;
}

function toTensor(e: Enc): Tensor {
  return tensor(e.data, { dtype: e.dtype === 'int32' ? 'int32' : 'float32' }).reshape(e.shape);
}

/** Asserts |actual − expected| <= atol + rtol·|expected| elementwise, naming the first bad entry. */
export function expectAllClose(what: string, actual: Tensor, expected: Enc, rtol = 1e-5, atol = 1e-5): void {
  expect(actual.shape, `${what} shape`).toEqual(expected.shape);
  const a = actual.dataSync();
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i];
    if (!(Math.abs(a[i] - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${what}: entry ${i} is ${a[i]}, PyTorch has ${e} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/** Builds the layer, loads PyTorch's state dict and checks forward, gradients, running stats and repr. */
export function runSpatialCase(c: SpatialCase, atol = 1e-5): void {
  const Ctor = LAYERS[c.layer] as unknown as new (...a: unknown[]) => Module;
  const args = c.layer === 'Upsample' ? [c.opts] : [...c.args, c.opts];
  const layer = new Ctor(...args);
  expect(layer.toString()).toBe(c.repr);
  const before = memory().numTensors;
  tidy(() => {
    const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, toTensor(v)]));
    expect(layer.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    layer.train(c.training);
    const x = toTensor(c.x).requiresGrad_(true);
    const y = layer.forward(x) as Tensor;
    expectAllClose('output', y, c.y, 1e-5, atol);
    y.mul(toTensor(c.g)).sum().backward();
    expectAllClose('input grad', x.grad!, c.gx, 1e-5, atol);
    const params = Object.fromEntries(layer.namedParameters());
    expect(Object.keys(params).sort()).toEqual(Object.keys(c.gp).sort());
    for (const [k, g] of Object.entries(c.gp)) expectAllClose(`grad of ${k}`, params[k].grad!, g, 1e-5, atol);
    const after = layer.stateDict();
    expect(Object.keys(after)).toEqual(Object.keys(c.stateAfter));
    for (const [k, v] of Object.entries(c.stateAfter)) expectAllClose(`state ${k}`, after[k], v, 1e-5, atol);
    layer.zeroGrad();
  });
  expect(memory().numTensors).toBe(before);
}
