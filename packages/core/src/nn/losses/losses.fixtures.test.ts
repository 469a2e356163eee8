// The losses of contract v2 against PyTorch 1.13 (tools/fixtures/nn_losses.py): values and
// gradients of the functional form in float64, and the module giving the same value.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, nn, type Tensor, tensor, tidy } from '../../index.js';
import { expectCloseTo, type FixtureTensor, fixtureCases } from '../cases-fixture.js';

interface Operand extends FixtureTensor {
  name: string;
  requiresGrad: boolean;
}
interface LossCase {
  name: string;
  fn: string;
  inputs: Operand[];
  opts: Record<string, unknown>;
  module: [string, Record<string, unknown>];
  output: FixtureTensor;
  gradOutput: FixtureTensor;
  grads: Record<string, FixtureTensor>;
  /** CTC: this operand holds logits; the loss gets their logSoftmax. */
  logSoftmaxOf?: string;
  gradLogProbs?: FixtureTensor;
}

const F = nn.functional as unknown as Record<string, (...a: unknown[]) => Tensor>;
const modules = nn as unknown as Record<string, new (o?: Record<string, unknown>) => nn.Module>;

/** `multilabel_soft_margin_loss` → `multilabelSoftMarginLoss`. */
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function decode(e: FixtureTensor): Tensor {
  return tensor(e.data, { dtype: (e.dtype ?? 'float64') as 'float64' }).reshape(e.shape);
}

function decodeOpts(opts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts)) {
    out[k] =
      v && typeof v === 'object' && 'tensor' in v ? decode((v as { tensor: FixtureTensor }).tensor) : v;
  }
  return out;
}

function runCase(c: LossCase): void {
  const before = memory().numTensors;
  tidy(() => {
    const leaves: Record<string, Tensor> = {};
    const args = c.inputs.map((e) => {
      const t = decode(e);
      leaves[e.name] = e.requiresGrad ? t.requiresGrad_(true) : t;
      if (e.name !== c.logSoftmaxOf) return leaves[e.name];
      const lp = leaves[e.name].logSoftmax(-1);
      lp.retainGrad();
      return lp;
    });
    const fn = F[camel(c.fn)];
    expect(fn, `nn.functional.${camel(c.fn)}`).toBeTypeOf('function');
    const out = fn(...args, decodeOpts(c.opts));
    expectCloseTo('output', out, c.output, 1e-9, 1e-12);
    const [cls, mopts] = c.module;
    const mod = new modules[cls](decodeOpts(mopts));
    expectCloseTo(`${cls} output`, mod.forward(...args), c.output, 1e-9, 1e-12);
    out.mul(decode(c.gradOutput)).sum().backward();
    for (const [k, g] of Object.entries(c.grads))
      expectCloseTo(`grad of ${k}`, leaves[k].grad!, g, 1e-8, 1e-11);
    if (c.gradLogProbs)
      expectCloseTo('grad of the log-probabilities', args[0].grad!, c.gradLogProbs, 1e-8, 1e-11);
    // A weight buffer is kept (exempt from tidy) as the module's state.
    for (const b of mod.buffers()) b.dispose();
  });
  expect(memory().numTensors).toBe(before);
}

const groups = [
  'cosineEmbeddingLoss',
  'marginRankingLoss',
  'tripletMarginLoss',
  'hingeEmbeddingLoss',
  'softMarginLoss',
  'multilabelSoftMarginLoss',
  'multilabelMarginLoss',
  'multiMarginLoss',
  'poissonNllLoss',
  'gaussianNllLoss',
  'ctcLoss',
];

for (const g of groups) {
  describe(`${g} matches PyTorch (fixtures/nn-losses.json)`, () => {
    for (const c of fixtureCases<LossCase>('nn-losses.json', `${g}/`)) it(c.name, () => runCase(c));
  });
}
