// Test helper (not exported): runs one case of fixtures/nn-sequence-more.json (PyTorch goldens of
// the contract-v2 sequence layers) — loads PyTorch's state dict, forwards in eval mode, backwards
// sum_i(out_i · g_i) — and compares repr, outputs, input gradients and parameter gradients.
import { expect } from 'vitest';
import { memory, nn, type Tensor, tensor, tidy } from '../index.js';
import { type FixtureTensor as Enc, expectCloseTo, fixtureCases } from './cases-fixture.js';
import type { Module } from './module.js';

/** One recorded case (see tools/fixtures/nn_sequence_more.py and nn_sequence.py). */
export interface SequenceMoreCase {
  name: string;
  layer: string;
  args: number[];
  opts: Record<string, unknown>;
  forwardOpts: { lengths?: number[]; enforceSorted?: boolean; batchFirst?: boolean };
  repr: string;
  state: Record<string, Enc>;
  inputs: Record<string, Enc | { squareSubsequentMask: number }>;
  outputs: Enc[];
  gradOutputs: Enc[];
  gradInputs: Record<string, Enc>;
  gradParams: Record<string, Enc>;
}

/** The cases of nn-sequence-more.json whose name starts with `prefix`. */
export function sequenceMoreCases(prefix: string): SequenceMoreCase[] {
  return fixtureCases('nn-sequence-more.json', prefix);
}

function toTensor(e: Enc | { squareSubsequentMask: number }): Tensor {
  if ('squareSubsequentMask' in e) return nn.Transformer.generateSquareSubsequentMask(e.squareSubsequentMask);
  if (e.dtype === 'bool') return tensor(e.data.map(Boolean), { dtype: 'bool' }).reshape(e.shape);
  if (e.dtype === 'int64') return tensor(e.data, { dtype: 'int64' }).reshape(e.shape);
  return tensor(e.data, { dtype: 'float32' }).reshape(e.shape);
}

function build(c: SequenceMoreCase, state: Record<string, Tensor>): Module {
  const o = c.opts as Record<string, any>;
  const [a, b] = c.args;
  switch (c.layer) {
    case 'RNNCell':
      return new nn.RNNCell(a, b, o);
    case 'LSTMCell':
      return new nn.LSTMCell(a, b, o);
    case 'GRUCell':
      return new nn.GRUCell(a, b, o);
    case 'RNN':
      return new nn.RNN(a, b, o);
    case 'LSTM':
      return new nn.LSTM(a, b, o);
    case 'GRU':
      return new nn.GRU(a, b, o);
    case 'TransformerDecoderLayer':
      return new nn.TransformerDecoderLayer(a, b, o);
    case 'TransformerDecoder': {
      const { numLayers, norm, ...layerOpts } = o;
      const template = new nn.TransformerDecoderLayer(a, b, layerOpts);
      const dec = new nn.TransformerDecoder(template, numLayers, { norm: norm ? new nn.LayerNorm(a) : null });
      for (const p of template.parameters()) p.dispose();
      return dec;
    }
    case 'Transformer':
      return new nn.Transformer(o);
    case 'EmbeddingBag':
      return new nn.EmbeddingBag(a, b, o);
    case 'EmbeddingFromPretrained':
      // A copy: the module shares the tensor it is given, and the state is disposed after the case.
      return nn.Embedding.fromPretrained(state.weight.clone(), o);
    default:
      throw new Error(`unknown layer ${c.layer}`);
  }
}

function run(c: SequenceMoreCase, m: Module, i: Record<string, Tensor>): Tensor[] {
  const { rnn } = nn.utils;
  switch (c.layer) {
    case 'RNNCell':
    case 'GRUCell':
      return [m.forward(i.x, i.h0 ?? null)];
    case 'LSTMCell':
      return (m as nn.LSTMCell).forward(i.x, i.h0 ? [i.h0, i.c0] : null);
    case 'RNN':
    case 'LSTM':
    case 'GRU': {
      const f = c.forwardOpts;
      const packed = rnn.packPaddedSequence(i.x, f.lengths!, {
        batchFirst: f.batchFirst,
        enforceSorted: f.enforceSorted,
      });
      const state = c.layer === 'LSTM' ? (i.h0 ? [i.h0, i.c0] : null) : (i.h0 ?? null);
      const [out, hn] = m.forward(packed, state) as [nn.utils.rnn.PackedSequence, Tensor | Tensor[]];
      const [padded] = rnn.padPackedSequence(out, { batchFirst: f.batchFirst });
      return [out.data, padded, ...(Array.isArray(hn) ? hn : [hn])];
    }
    case 'TransformerDecoderLayer':
    case 'TransformerDecoder':
      return [
        m.forward(i.tgt, i.memory, {
          tgtMask: i.tgtMask,
          memoryMask: i.memoryMask,
          tgtKeyPaddingMask: i.tgtKeyPaddingMask,
          memoryKeyPaddingMask: i.memoryKeyPaddingMask,
        }),
      ];
    case 'Transformer':
      return [
        m.forward(i.src, i.tgt, {
          srcMask: i.srcMask,
          tgtMask: i.tgtMask,
          srcKeyPaddingMask: i.srcKeyPaddingMask,
          memoryKeyPaddingMask: i.memoryKeyPaddingMask,
        }),
      ];
    case 'EmbeddingBag':
      return [(m as nn.EmbeddingBag).forward(i.input, i.offsets ?? null, i.perSampleWeights ?? null)];
    default:
      return [m.forward(i.input)];
  }
}

/** Builds the layer, loads PyTorch's state dict and checks repr, outputs and gradients. */
export function runSequenceMoreCase(c: SequenceMoreCase, rtol = 1e-4, atol = 1e-5): void {
  const before = memory().numTensors;
  tidy(() => {
    const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, toTensor(v)]));
    const layer = build(c, state);
    expect(layer.toString()).toBe(c.repr);
    expect(layer.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    layer.eval();
    const inputs: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(c.inputs)) {
      inputs[k] = toTensor(v);
      if (k in c.gradInputs) inputs[k].requiresGrad_(true);
    }
    const outs = run(c, layer, inputs);
    expect(outs.length).toBe(c.outputs.length);
    for (const [j, o] of outs.entries()) expectCloseTo(`output ${j}`, o, c.outputs[j], rtol, atol);
    outs
      .map((o, j) => o.mul(toTensor(c.gradOutputs[j])).sum())
      .reduce((x, y) => x.add(y))
      .backward();
    for (const [k, g] of Object.entries(c.gradInputs))
      expectCloseTo(`grad of input ${k}`, inputs[k].grad!, g, rtol, atol);
    const params = Object.fromEntries(layer.namedParameters());
    expect(Object.keys(params).sort()).toEqual(Object.keys(c.gradParams).sort());
    for (const [k, g] of Object.entries(c.gradParams))
      expectCloseTo(`grad of ${k}`, params[k].grad!, g, rtol, atol);
    // The module's parameters are kept (exempt from tidy): free them with the case.
    for (const p of layer.parameters()) p.dispose();
  });
  expect(memory().numTensors).toBe(before);
}
