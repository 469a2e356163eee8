// Test helper (not exported): runs one case of fixtures/nn-spatial.json (PyTorch goldens) on
// our layer — loads PyTorch's state dict, forwards, backwards sum(y · g) — and compares.
import { expect } from 'vitest';
import { memory, type Tensor, tensor, tidy } from '../../index.js';
import { type FixtureTensor as Enc, expectCloseTo, fixtureCases } from '../cases-fixture.js';
import type { Module } from '../module.js';
import * as spatial from '../spatial.js';

/** Every layer of the spatial barrel, by class name (the fixture's `layer`). */
const LAYERS = { ...spatial };

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

/** The cases of nn-spatial.json whose name starts with `prefix`. */
export function spatialCases(prefix: string): SpatialCase[] {
  return fixtureCases('nn-spatial.json', prefix);
}

function toTensor(e: Enc): Tensor {
  const dtype = e.dtype === 'int32' || e.dtype === 'int64' ? e.dtype : 'float32';
  return tensor(e.data, { dtype }).reshape(e.shape);
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
    expectCloseTo('output', y, c.y, 1e-5, atol);
    y.mul(toTensor(c.g)).sum().backward();
    expectCloseTo('input grad', x.grad!, c.gx, 1e-5, atol);
    const params = Object.fromEntries(layer.namedParameters());
    expect(Object.keys(params).sort()).toEqual(Object.keys(c.gp).sort());
    for (const [k, g] of Object.entries(c.gp)) expectCloseTo(`grad of ${k}`, params[k].grad!, g, 1e-5, atol);
    const after = layer.stateDict();
    expect(Object.keys(after)).toEqual(Object.keys(c.stateAfter));
    for (const [k, v] of Object.entries(c.stateAfter)) expectCloseTo(`state ${k}`, after[k], v, 1e-5, atol);
    layer.zeroGrad();
  });
  expect(memory().numTensors).toBe(before);
}
