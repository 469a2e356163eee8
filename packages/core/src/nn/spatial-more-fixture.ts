// Test helper (not exported): runs the cases of fixtures/nn-spatial-more.json (PyTorch goldens
// from tools/fixtures/nn_spatial_more.py) — layers through PyTorch's state dict, and
// nn.functional calls with PyTorch's arguments — and compares values, indices and gradients.
import { expect } from 'vitest';
import { type DataArray, memory, nn, type Tensor, tensor, tidy } from '../index.js';
import { type FixtureTensor as Enc, expectCloseTo, fixtureCases } from './cases-fixture.js';
import type { Module } from './module.js';

/** A layer case (the nn_spatial.py record, plus indices and extra forward arguments). */
export interface LayerCase {
  kind: 'layer';
  name: string;
  layer: string;
  args: unknown[];
  opts: Record<string, unknown>;
  repr: string;
  state: Record<string, Enc>;
  x: Enc;
  extra?: (Enc | number[])[];
  y: Enc;
  indices?: Enc;
  g: Enc;
  gx: Enc;
  gp: Record<string, Enc>;
}

/** A functional case: F[fn](...inputs, ...args, opts). */
export interface FunctionalCase {
  kind: 'functional';
  name: string;
  fn: string;
  inputs: (Enc & { requiresGrad: boolean })[];
  args: unknown[];
  opts: Record<string, unknown>;
  output: Enc;
  indices?: Enc;
  gradOutput: Enc;
  grads: (Enc | null)[];
}

const FILE = 'nn-spatial-more.json';

/** The layer cases whose name starts with `prefix`. */
export const layerCases = (prefix: string): LayerCase[] =>
  fixtureCases<LayerCase>(FILE, prefix).filter((c) => c.kind === 'layer');

/** The functional cases whose name starts with `prefix` (names start with `F.`). */
export const functionalCases = (prefix: string): FunctionalCase[] =>
  fixtureCases<FunctionalCase>(FILE, prefix).filter((c) => c.kind === 'functional');

function dec(e: Enc, requiresGrad = false): Tensor {
  const dtype = e.dtype === 'int64' || e.dtype === 'int32' ? e.dtype : 'float32';
  const t = tensor(e.data, { dtype }).reshape(e.shape);
  return requiresGrad ? t.requiresGrad_(true) : t;
}

const isEnc = (v: unknown): v is Enc => v !== null && typeof v === 'object' && 'shape' in v && 'data' in v;

/** Values and (optionally) indices of a result that may be `[values, indices]`. */
function split(out: Tensor | [Tensor, Tensor]): [Tensor, Tensor | null] {
  return Array.isArray(out) ? [out[0], out[1]] : [out, null];
}

function checkIndices(got: Tensor | null, want: Enc | undefined): void {
  if (want === undefined) {
    expect(got, 'the result has no indices').toBeNull();
    return;
  }
  expect(got, 'indices').not.toBeNull();
  expect(got!.dtype).toBe('int64');
  expect(got!.shape).toEqual(want.shape);
  expect(Array.from(got!.dataSync<DataArray>(), Number)).toEqual(want.data);
}

/** Builds the layer, loads PyTorch's state dict and checks repr, forward (and indices) and gradients. */
export function runLayerCase(c: LayerCase, atol = 1e-5, rtol = 1e-5): void {
  const Ctor = (nn as unknown as Record<string, new (...a: unknown[]) => Module>)[c.layer];
  expect(Ctor, `nn.${c.layer}`).toBeDefined();
  const layer = new Ctor(...(c.layer === 'Upsample' ? [c.opts] : [...c.args, c.opts]));
  expect(layer.toString()).toBe(c.repr);
  const before = memory().numTensors;
  tidy(() => {
    const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, dec(v)]));
    expect(layer.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const x = dec(c.x, true);
    const extra = (c.extra ?? []).map((e) => (isEnc(e) ? dec(e) : e));
    const [y, idx] = split(layer.forward(x, ...extra));
    expectCloseTo('output', y, c.y, rtol, atol);
    checkIndices(idx, c.indices);
    y.mul(dec(c.g)).sum().backward();
    expectCloseTo('input grad', x.grad!, c.gx, rtol, atol);
    const params = Object.fromEntries(layer.namedParameters());
    expect(Object.keys(params).sort()).toEqual(Object.keys(c.gp).sort());
    for (const [k, g] of Object.entries(c.gp)) expectCloseTo(`grad of ${k}`, params[k].grad!, g, rtol, atol);
    layer.zeroGrad();
  });
  expect(memory().numTensors).toBe(before);
}

/** Calls F[fn] with PyTorch's arguments and checks output (and indices) and input gradients. */
export function runFunctionalCase(c: FunctionalCase, atol = 1e-5, rtol = 1e-5): void {
  const fn = (nn.functional as unknown as Record<string, (...a: unknown[]) => Tensor | [Tensor, Tensor]>)[
    c.fn
  ];
  expect(fn, `F.${c.fn}`).toBeDefined();
  const before = memory().numTensors;
  tidy(() => {
    const xs = c.inputs.map((e) => dec(e, e.requiresGrad));
    const hasOpts = Object.keys(c.opts).length > 0;
    const [y, idx] = split(fn(...xs, ...c.args, ...(hasOpts ? [c.opts] : [])));
    expectCloseTo('output', y, c.output, rtol, atol);
    checkIndices(idx, c.indices);
    y.mul(dec(c.gradOutput)).sum().backward();
    c.grads.forEach((g, i) => {
      if (g === null) return;
      expectCloseTo(`grad of input ${i}`, xs[i].grad!, g, rtol, atol);
    });
  });
  expect(memory().numTensors).toBe(before);
}
