// nn.functional cases: activations, losses, Linear and Embedding from PyTorch's nn-basic.json,
// plus generated calls of every other nn.functional op (compared with cpu only).
import { Generator, nn, type Tensor } from '@proj/core';
import { dec, type Enc, encValues, loadFixture, release, values } from '../fixtures.js';
import type { Case, Outputs } from '../types.js';
import { type GenInput, generatedCase } from './generated.js';

const F = nn.functional;

interface Run {
  name: string;
  opts: Record<string, unknown>;
  y: Enc;
  g: Enc;
  gx: (Enc | null)[];
  gp?: Record<string, Enc>;
}
interface Basic {
  activations: (Run & { x: Enc })[];
  losses: (Run & { input: Enc; target: Enc })[];
  layers: Record<string, Run & { state: Record<string, Enc>; x: Enc }>;
}

/** Backward of sum(y · g), as the fixture script does (plain backward for a scalar). */
function backwardWith(y: Tensor, g: Enc): void {
  if (y.ndim === 0) y.backward();
  else y.mul(dec(g)).sum().backward();
}

function decodeOpts(opts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts))
    out[k] = v && typeof v === 'object' && 'shape' in v ? dec(v as Enc) : v;
  return out;
}

function activation(x: Tensor, name: string, o: Record<string, unknown>): Tensor {
  switch (name) {
    case 'geluTanh':
      return F.gelu(x, { approximate: 'tanh' });
    case 'leakyRelu':
      return F.leakyRelu(x, o.negativeSlope as number);
    case 'elu':
      return F.elu(x, o.alpha as number);
    case 'softplus':
      return F.softplus(x, o.beta as number, o.threshold as number);
    case 'softmax':
      return F.softmax(x, o.dim as number);
    case 'logSoftmax':
      return F.logSoftmax(x, o.dim as number);
    default:
      return (F as unknown as Record<string, (t: Tensor) => Tensor>)[name]!(x);
  }
}

const label = (o: Record<string, unknown>): string =>
  Object.entries(o)
    .map(([k, v]) => (v && typeof v === 'object' ? k : `${k}=${v}`))
    .join(',') || 'default';

function fixtureCases(): Case[] {
  const fx = loadFixture<Basic>('nn-basic.json');
  const seen = new Map<string, number>();
  const uniqueId = (id: string) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}#${n}`;
  };
  const acts = fx.activations.map(
    (c): Case => ({
      id: uniqueId(`functional/${c.name}/${label(c.opts)}`),
      family: 'functional',
      tolerance: 'layer',
      expected: { out: encValues(c.y), 'grad.x': encValues(c.gx[0]!) },
      run() {
        const x = dec(c.x, true);
        const y = activation(x, c.name, c.opts);
        const res: Outputs = { out: values(y) };
        backwardWith(y, c.g);
        res['grad.x'] = values(x.grad!);
        return res;
      },
    }),
  );
  const losses = fx.losses.map(
    (c): Case => ({
      id: uniqueId(`functional/${c.name}/${label(c.opts)}`),
      family: 'functional',
      tolerance: 'layer',
      expected: { out: encValues(c.y), 'grad.input': encValues(c.gx[0]!) },
      run() {
        const x = dec(c.input, true);
        const fn = (F as unknown as Record<string, (...a: unknown[]) => Tensor>)[c.name]!;
        const y = fn(x, dec(c.target), decodeOpts(c.opts));
        const res: Outputs = { out: values(y) };
        backwardWith(y, c.g);
        res['grad.input'] = values(x.grad!);
        return res;
      },
    }),
  );
  const layerCtors: Record<string, () => nn.Module> = {
    linear: () => new nn.Linear(5, 4),
    linearNoBias: () => new nn.Linear(3, 2, { bias: false }),
    embedding: () => new nn.Embedding(6, 3, { paddingIdx: 2 }),
  };
  const layers = Object.entries(layerCtors).map(([name, make]): Case => {
    const c = fx.layers[name]!;
    const floatInput = name !== 'embedding';
    const expected: Outputs = { out: encValues(c.y) };
    if (floatInput) expected['grad.x'] = encValues(c.gx[0]!);
    for (const [k, g] of Object.entries(c.gp ?? {})) expected[`grad.${k}`] = encValues(g);
    return {
      id: `functional/${name}`,
      family: 'functional',
      tolerance: 'layer',
      expected,
      run() {
        const m = make();
        m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, dec(v)])));
        const x = dec(c.x, floatInput);
        const y = m.forward(x) as Tensor;
        const res: Outputs = { out: values(y) };
        backwardWith(y, c.g);
        if (floatInput) res['grad.x'] = values(x.grad!);
        for (const [k, p] of m.namedParameters()) res[`grad.${k}`] = values(p.grad!);
        release(m);
        return res;
      },
    };
  });
  return [...acts, ...losses, ...layers];
}

const f = (shape: number[], more: Partial<GenInput> = {}): GenInput => ({ shape, grad: true, ...more });
const idx = (shape: number[], hi: number): GenInput => ({ shape, kind: 'int', lo: 0, hi });

/** Calls of the nn.functional ops that nn-basic.json does not cover, or covers only through a layer. */
const GENERATED: [string, GenInput[], (xs: Tensor[]) => Tensor][] = [
  ['relu/4d', [f([2, 3, 2, 2])], ([x]) => F.relu(x!)],
  ['step/2d', [f([3, 4])], ([x]) => F.step(x!).add(x!)],
  ['softmax/transposed', [f([4, 3], { t: true })], ([x]) => F.softmax(x!, 1)],
  ['dropout/seeded_mask', [f([4, 6])], ([x]) => F.dropout(x!, 0.3, { generator: new Generator(5) })],
  ['dropout/eval_identity', [f([4, 6])], ([x]) => F.dropout(x!, 0.3, { training: false }).mul(2)],
  [
    'dropout2d/seeded_mask',
    [f([2, 4, 3, 3])],
    ([x]) => F.dropout2d(x!, 0.3, true, { generator: new Generator(5) }),
  ],
  [
    'alphaDropout/seeded_mask',
    [f([4, 6])],
    ([x]) => F.alphaDropout(x!, 0.3, true, { generator: new Generator(5) }),
  ],
  ['linear/broadcast_batch', [f([2, 3, 5]), f([4, 5]), f([4])], ([x, w, b]) => F.linear(x!, w!, b!)],
  ['embedding/2d_index', [idx([2, 3], 5), f([5, 4])], ([i, w]) => F.embedding(i!, w!)],
  ['oneHot/classes', [idx([5], 4)], ([i]) => F.oneHot(i!, 4)],
  [
    'conv1d/stride_pad',
    [f([2, 3, 9]), f([4, 3, 3]), f([4])],
    ([x, w, b]) => F.conv1d(x!, w!, b!, { stride: 2, padding: 1 }),
  ],
  [
    'conv2d/groups_dilation',
    [f([1, 4, 7, 6]), f([6, 2, 3, 3]), f([6])],
    ([x, w, b]) => F.conv2d(x!, w!, b!, { padding: 2, dilation: 2, groups: 2 }),
  ],
  [
    'convTranspose2d/stride2',
    [f([2, 3, 4, 4]), f([3, 2, 3, 3]), f([2])],
    ([x, w, b]) => F.convTranspose2d(x!, w!, b!, { stride: 2, padding: 1, outputPadding: 1 }),
  ],
  ['maxPool2d/k3_s2_p1', [f([2, 2, 7, 7])], ([x]) => F.maxPool2d(x!, 3, { stride: 2, padding: 1 })],
  ['avgPool2d/k2', [f([2, 3, 6, 5])], ([x]) => F.avgPool2d(x!, 2)],
  ['adaptiveAvgPool2d/3x3', [f([1, 2, 7, 5])], ([x]) => F.adaptiveAvgPool2d(x!, [3, 3])],
  [
    'batchNorm/train',
    [f([4, 3, 2, 2]), f([3], { lo: 0.5, hi: 1.5 }), f([3])],
    ([x, w, b]) => F.batchNorm(x!, null, null, w!, b!, true),
  ],
  ['layerNorm/last2', [f([2, 3, 4]), f([3, 4]), f([3, 4])], ([x, w, b]) => F.layerNorm(x!, [3, 4], w!, b!)],
  ['pad/constant', [f([2, 3, 4])], ([x]) => F.pad(x!, [1, 2, 0, 1], 'constant', 0.5)],
  ['pad/reflect', [f([1, 2, 4, 5])], ([x]) => F.pad(x!, [2, 1, 1, 2], 'reflect')],
  ['pad/replicate', [f([1, 2, 3, 4])], ([x]) => F.pad(x!, [1, 1, 2, 0], 'replicate')],
  ['pad/circular', [f([1, 2, 3, 4])], ([x]) => F.pad(x!, [1, 2, 1, 1], 'circular')],
  ['interpolate/nearest', [f([1, 2, 3, 4])], ([x]) => F.interpolate(x!, { scaleFactor: 2 })],
  [
    'interpolate/bilinear',
    [f([1, 2, 3, 4])],
    ([x]) => F.interpolate(x!, { size: [5, 6], mode: 'bilinear', alignCorners: true }),
  ],
  [
    'scaledDotProductAttention/causal',
    [f([2, 4, 3]), f([2, 4, 3]), f([2, 4, 5])],
    ([q, k, v]) => F.scaledDotProductAttention(q!, k!, v!, { isCausal: true }),
  ],
  [
    'scaledDotProductAttention/broadcast_heads',
    [f([2, 2, 3, 4]), f([1, 2, 5, 4]), f([1, 2, 5, 4])],
    ([q, k, v]) => F.scaledDotProductAttention(q!, k!, v!),
  ],
  ['generateSquareSubsequentMask/5', [], () => F.generateSquareSubsequentMask(5).clamp(-1e4, 0)],
  [
    'recurrentLayer/gru',
    [f([4, 2, 3]), f([12, 3]), f([12, 4]), f([12]), f([12]), f([2, 4])],
    ([x, wi, wh, bi, bh, h0]) =>
      F.recurrentLayer('GRU', x!, { weightIh: wi!, weightHh: wh!, biasIh: bi!, biasHh: bh! }, h0!).output,
  ],
  [
    'mseLoss/transposed_input',
    [f([3, 4], { t: true }), f([3, 4], { grad: false })],
    ([x, y]) => F.mseLoss(x!, y!),
  ],
  [
    'crossEntropy/transposed_logits',
    [f([5, 4], { t: true }), idx([5], 4)],
    ([x, y]) => F.crossEntropy(x!, y!),
  ],
];

/** All nn.functional cases. */
export function functionalCases(): Case[] {
  return [
    ...fixtureCases(),
    ...GENERATED.map(([name, inputs, fn]) =>
      generatedCase(`functional/${name}`, 'functional', 'layer', inputs, fn),
    ),
  ];
}
