// Layer cases from PyTorch's nn-spatial.json (conv, pool, upsample, norms) and nn-sequence.json
// (RNN, LSTM, GRU, attention, Transformer): PyTorch's weights through loadStateDict, forward,
// backward of sum(y · g), and the outputs, input and parameter gradients and running stats.
import { nn, type Tensor } from '@proj/core';
import { dec, type Enc, encValues, loadFixture, release, values } from '../fixtures.js';
import type { Case, Outputs } from '../types.js';
import { extraLayerCases } from './layers-extra.js';

interface SpatialCase {
  name: string;
  layer: string;
  args: unknown[];
  opts: Record<string, unknown>;
  training: boolean;
  state: Record<string, Enc>;
  x: Enc;
  y: Enc;
  g: Enc;
  gx: Enc;
  gp: Record<string, Enc>;
  stateAfter: Record<string, Enc>;
}

type Ctor = new (...a: unknown[]) => nn.Module;
const ctor = (name: string): Ctor => {
  const c = (nn as unknown as Record<string, Ctor>)[name];
  if (!c) throw new Error(`nn.${name} does not exist`);
  return c;
};

const loadState = (m: nn.Module, state: Record<string, Enc>) =>
  m.loadStateDict(Object.fromEntries(Object.entries(state).map(([k, v]) => [k, dec(v)])));

function spatialCase(c: SpatialCase): Case {
  const expected: Outputs = { out: encValues(c.y), 'grad.x': encValues(c.gx) };
  for (const [k, g] of Object.entries(c.gp)) expected[`grad.${k}`] = encValues(g);
  for (const [k, v] of Object.entries(c.stateAfter)) expected[`state.${k}`] = encValues(v);
  return {
    id: `layer/${c.name}`,
    family: 'layer',
    tolerance: 'layer',
    expected,
    run() {
      const Layer = ctor(c.layer);
      const m = c.layer === 'Upsample' ? new Layer(c.opts) : new Layer(...c.args, c.opts);
      loadState(m, c.state);
      m.train(c.training);
      const x = dec(c.x, true);
      const y = m.forward(x) as Tensor;
      const res: Outputs = { out: values(y) };
      y.mul(dec(c.g)).sum().backward();
      res['grad.x'] = values(x.grad!);
      for (const [k, p] of m.namedParameters()) res[`grad.${k}`] = values(p.grad!);
      for (const [k, v] of Object.entries(m.stateDict())) res[`state.${k}`] = values(v);
      release(m);
      return res;
    },
  };
}

interface SequenceCase {
  name: string;
  layer: string;
  args: number[];
  opts: Record<string, unknown>;
  forwardOpts: { selfAttention?: boolean; averageAttnWeights?: boolean };
  state: Record<string, Enc>;
  inputs: Record<string, Enc | { squareSubsequentMask: number }>;
  outputs: Enc[];
  gradOutputs: Enc[];
  gradInputs: Record<string, Enc>;
  gradParams: Record<string, Enc>;
}

function buildSequence(c: SequenceCase): nn.Module {
  const o = c.opts as Record<string, never>;
  if (c.layer === 'TransformerEncoder') {
    const { numLayers, norm, ...layerOpts } = c.opts as Record<string, unknown>;
    const layer = new nn.TransformerEncoderLayer(c.args[0]!, c.args[1]!, layerOpts);
    return new nn.TransformerEncoder(layer, numLayers as number, {
      norm: norm ? new nn.LayerNorm(c.args[0]!) : null,
    });
  }
  return new (ctor(c.layer))(c.args[0], c.args[1], o);
}

function runSequence(c: SequenceCase, m: nn.Module, i: Record<string, Tensor>): Tensor[] {
  switch (c.layer) {
    case 'RNN':
    case 'GRU': {
      const [out, h] = (m as nn.GRU).forward(i.x!, i.h0 ?? null);
      return [out, h];
    }
    case 'LSTM': {
      const [out, [h, cN]] = (m as nn.LSTM).forward(i.x!, i.h0 ? [i.h0, i.c0!] : null);
      return [out, h, cN];
    }
    case 'MultiheadAttention': {
      const [q, k, v] = c.forwardOpts.selfAttention ? [i.x!, i.x!, i.x!] : [i.query!, i.key!, i.value!];
      const [out, w] = (m as nn.MultiheadAttention).forward(q, k, v, {
        attnMask: i.attnMask,
        keyPaddingMask: i.keyPaddingMask,
        averageAttnWeights: c.forwardOpts.averageAttnWeights,
      });
      return [out, w!];
    }
    case 'TransformerEncoderLayer':
      return [
        (m as nn.TransformerEncoderLayer).forward(i.x!, {
          srcMask: i.srcMask,
          srcKeyPaddingMask: i.srcKeyPaddingMask,
        }),
      ];
    default:
      return [
        (m as nn.TransformerEncoder).forward(i.x!, { mask: i.mask, srcKeyPaddingMask: i.srcKeyPaddingMask }),
      ];
  }
}

function sequenceCase(c: SequenceCase): Case {
  const expected: Outputs = {};
  c.outputs.forEach((o, j) => {
    expected[`out.${j}`] = encValues(o);
  });
  for (const [k, g] of Object.entries(c.gradInputs)) expected[`grad.${k}`] = encValues(g);
  for (const [k, g] of Object.entries(c.gradParams)) expected[`grad.${k}`] = encValues(g);
  return {
    id: `layer/${c.name}`,
    family: 'layer',
    tolerance: 'sequence',
    expected,
    run() {
      const m = buildSequence(c);
      loadState(m, c.state);
      m.eval();
      const inputs: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(c.inputs)) {
        inputs[k] =
          'squareSubsequentMask' in v
            ? nn.functional.generateSquareSubsequentMask(v.squareSubsequentMask)
            : dec(v, k in c.gradInputs);
      }
      const outs = runSequence(c, m, inputs);
      const res: Outputs = {};
      outs.forEach((o, j) => {
        res[`out.${j}`] = values(o);
      });
      outs
        .map((o, j) => o.mul(dec(c.gradOutputs[j]!)).sum())
        .reduce((a, b) => a.add(b))
        .backward();
      for (const k of Object.keys(c.gradInputs)) res[`grad.${k}`] = values(inputs[k]!.grad!);
      for (const [k, p] of m.namedParameters()) res[`grad.${k}`] = values(p.grad!);
      release(m);
      return res;
    },
  };
}

/** All layer cases. */
export function layerCases(): Case[] {
  return [
    ...loadFixture<{ cases: SpatialCase[] }>('nn-spatial.json').cases.map(spatialCase),
    ...loadFixture<{ cases: SequenceCase[] }>('nn-sequence.json').cases.map(sequenceCase),
    ...extraLayerCases(),
  ];
}
