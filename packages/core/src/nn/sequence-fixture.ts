// Test helper (not exported): runs one case of fixtures/nn-sequence.json (PyTorch goldens) on
// our sequence layers — loads PyTorch's state dict, forwards in eval mode, backwards
// sum_i(out_i · g_i) — and compares outputs, input gradients and parameter gradients.
import { expect } from 'vitest';
import { memory, type Tensor, tensor, tidy } from '../index.js';
import { type FixtureTensor as Enc, expectCloseTo, fixtureCases } from './cases-fixture.js';
import { LayerNorm } from './layers/norm.js';
import type { Module } from './module.js';
import * as nn from './sequence.js';

/** One recorded case (see tools/fixtures/nn_sequence.py). */
export interface SequenceCase {
  name: string;
  layer: string;
  args: number[];
  opts: Record<string, unknown>;
  forwardOpts: { selfAttention?: boolean; averageAttnWeights?: boolean };
  repr: string;
  state: Record<string, Enc>;
  inputs: Record<string, Enc | { squareSubsequentMask: number }>;
  outputs: Enc[];
  gradOutputs: Enc[];
  gradInputs: Record<string, Enc>;
  gradParams: Record<string, Enc>;
}

/** The cases of nn-sequence.json whose name starts with `prefix`. */
export function sequenceCases(prefix: string): SequenceCase[] {
  return fixtureCases('nn-sequence.json', prefix);
}

function toTensor(e: Enc | { squareSubsequentMask: number }): Tensor {
  if ('squareSubsequentMask' in e) return nn.generateSquareSubsequentMask(e.squareSubsequentMask);
  if (e.dtype === 'bool') return tensor(e.data.map(Boolean), { dtype: 'bool' }).reshape(e.shape);
  return tensor(e.data, { dtype: 'float32' }).reshape(e.shape);
}

/** {@link expectCloseTo} with this file's default tolerances. */
export function expectClose(what: string, actual: Tensor, expected: Enc, rtol = 1e-4, atol = 1e-5): void {
  expectCloseTo(what, actual, expected, rtol, atol);
}

function build(c: SequenceCase): Module {
  const o = c.opts as Record<string, any>;
  switch (c.layer) {
    case 'RNN':
      return new nn.RNN(c.args[0], c.args[1], o);
    case 'LSTM':
      return new nn.LSTM(c.args[0], c.args[1], o);
    case 'GRU':
      return new nn.GRU(c.args[0], c.args[1], o);
    case 'MultiheadAttention':
      return new nn.MultiheadAttention(c.args[0], c.args[1], o);
    case 'TransformerEncoderLayer':
      return new nn.TransformerEncoderLayer(c.args[0], c.args[1], o);
    case 'TransformerEncoder': {
      const { numLayers, norm, ...layerOpts } = o;
      const layer = new nn.TransformerEncoderLayer(c.args[0], c.args[1], layerOpts);
      return new nn.TransformerEncoder(layer, numLayers, {
        norm: norm ? new LayerNorm(c.args[0]) : null,
      });
    }
    default:
      throw new Error(`unknown layer ${c.layer}`);
  }
}

function run(c: SequenceCase, m: Module, i: Record<string, Tensor>): Tensor[] {
  switch (c.layer) {
    case 'RNN':
    case 'GRU': {
      const [out, h] = (m as nn.RNN).forward(i.x, i.h0 ?? null);
      return [out, h];
    }
    case 'LSTM': {
      const [out, [h, cN]] = (m as nn.LSTM).forward(i.x, i.h0 ? [i.h0, i.c0] : null);
      return [out, h, cN];
    }
    case 'MultiheadAttention': {
      const [q, k, v] = c.forwardOpts.selfAttention ? [i.x, i.x, i.x] : [i.query, i.key, i.value];
      const [out, w] = (m as nn.MultiheadAttention).forward(q, k, v, {
        attnMask: i.attnMask,
        keyPaddingMask: i.keyPaddingMask,
        averageAttnWeights: c.forwardOpts.averageAttnWeights,
      });
      return [out, w!];
    }
    case 'TransformerEncoderLayer':
      return [
        (m as nn.TransformerEncoderLayer).forward(i.x, {
          srcMask: i.srcMask,
          srcKeyPaddingMask: i.srcKeyPaddingMask,
        }),
      ];
    default:
      return [
        (m as nn.TransformerEncoder).forward(i.x, { mask: i.mask, srcKeyPaddingMask: i.srcKeyPaddingMask }),
      ];
  }
}

/** Builds the layer, loads PyTorch's state dict and checks repr, outputs and gradients. */
export function runSequenceCase(c: SequenceCase, rtol = 1e-4): void {
  const layer = build(c);
  expect(layer.toString()).toBe(c.repr);
  const before = memory().numTensors;
  tidy(() => {
    const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, toTensor(v)]));
    expect(layer.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    layer.eval();
    const inputs: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(c.inputs)) {
      inputs[k] = toTensor(v);
      if (k in c.gradInputs) inputs[k].requiresGrad_(true);
    }
    const outs = run(c, layer, inputs);
    expect(outs.length).toBe(c.outputs.length);
    for (const [j, o] of outs.entries()) expectClose(`output ${j}`, o, c.outputs[j], rtol);
    outs
      .map((o, j) => o.mul(toTensor(c.gradOutputs[j])).sum())
      .reduce((a, b) => a.add(b))
      .backward();
    for (const [k, g] of Object.entries(c.gradInputs))
      expectClose(`grad of input ${k}`, inputs[k].grad!, g, rtol);
    const params = Object.fromEntries(layer.namedParameters());
    expect(Object.keys(params).sort()).toEqual(Object.keys(c.gradParams).sort());
    for (const [k, g] of Object.entries(c.gradParams)) expectClose(`grad of ${k}`, params[k].grad!, g, rtol);
    layer.zeroGrad();
  });
  expect(memory().numTensors).toBe(before);
}
