// Layer cases from PyTorch's nn-extra.json (the v2 activations, norms, padding, shuffles,
// distances, Unfold/Fold; tools/fixtures/nn_extra.py): PyTorch's state dict through
// loadStateDict, the forward of one or two inputs, backward of sum(y · g), and the output, input
// and parameter gradients and state after.
import { nn, type Tensor } from '@proj/core';
import { dec, type Enc, encValues, loadFixture, release, values } from '../fixtures.js';
import type { Case, Outputs } from '../types.js';

interface ExtraLayerCase {
  name: string;
  layer: string;
  args: unknown[];
  opts: Record<string, unknown>;
  training: boolean;
  state: Record<string, Enc>;
  inputs: Enc[];
  y: Enc;
  g: Enc;
  gx: Enc[];
  gp: Record<string, Enc>;
  stateAfter: Record<string, Enc>;
}

type Ctor = new (...a: unknown[]) => nn.Module;

function extraCase(c: ExtraLayerCase): Case {
  const expected: Outputs = { out: encValues(c.y) };
  c.gx.forEach((g, i) => {
    expected[`grad.${i}`] = encValues(g);
  });
  for (const [k, g] of Object.entries(c.gp)) expected[`grad.${k}`] = encValues(g);
  for (const [k, v] of Object.entries(c.stateAfter)) expected[`state.${k}`] = encValues(v);
  return {
    // The fixture's names start with "layer/" already.
    id: c.name,
    family: 'layer',
    tolerance: 'layer',
    expected,
    run() {
      const Layer = (nn as unknown as Record<string, Ctor>)[c.layer];
      if (!Layer) throw new Error(`nn.${c.layer} does not exist`);
      const m = new Layer(...c.args, c.opts);
      m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, dec(v)])));
      m.train(c.training);
      const xs = c.inputs.map((e) => dec(e, true));
      const y = m.forward(...xs) as Tensor;
      const res: Outputs = { out: values(y) };
      y.mul(dec(c.g)).sum().backward();
      xs.forEach((x, i) => {
        res[`grad.${i}`] = values(x.grad!);
      });
      for (const [k, p] of m.namedParameters()) res[`grad.${k}`] = values(p.grad!);
      for (const [k, v] of Object.entries(m.stateDict())) res[`state.${k}`] = values(v);
      release(m);
      return res;
    },
  };
}

/** Every layer case of nn-extra.json. */
export function extraLayerCases(): Case[] {
  return loadFixture<{ cases: ExtraLayerCase[] }>('nn-extra.json')
    .cases.filter((c) => c.name.startsWith('layer/'))
    .map(extraCase);
}
