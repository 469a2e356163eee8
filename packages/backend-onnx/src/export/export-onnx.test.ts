import '@proj/backend-cpu';
import { manualSeed, memory, nn, noGrad, randint, randn, type Tensor, tidy } from '@proj/core';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxModel } from '../model/onnx-model.js';
import { checkModel } from '../proto/check-model.js';
import { exportOnnx } from './export-onnx.js';

const RUNTIMES = ['node', 'web'] as const;
const loaded: OnnxModel[] = [];
afterAll(async () => {
  for (const m of loaded) await m.dispose();
});

/** Largest |a - b| and largest |a - b| / max(|b|, 1e-3) over all elements. */
function diff(a: Tensor, b: Tensor): { abs: number; rel: number } {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let abs = 0;
  let rel = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]);
    abs = Math.max(abs, d);
    rel = Math.max(rel, d / Math.max(Math.abs(y[i]), 1e-3));
  }
  return { abs, rel };
}

const flat = (r: unknown): Tensor[] => (Array.isArray(r) ? r.flatMap(flat) : r === null ? [] : [r as Tensor]);

/**
 * Exports `model`, checks the file, runs it in both runtimes on `runInputs` (default: the
 * examples) and compares every output with the eager forward; returns the worst differences.
 */
async function roundTrip(
  model: nn.Module,
  examples: Tensor[],
  runInputs: Tensor[] = examples,
  opts: Parameters<typeof exportOnnx>[2] = {},
): Promise<{ abs: number; rel: number; names: string[] }> {
  model.eval();
  const before = memory().numTensors;
  const bytes = exportOnnx(model, examples, opts);
  expect(memory().numTensors).toBe(before);
  const summary = checkModel(bytes);
  const expected = noGrad(() => flat(model.forward(...runInputs)));
  let abs = 0;
  let rel = 0;
  for (const runtime of RUNTIMES) {
    const m = await OnnxModel.load(bytes, { runtime });
    loaded.push(m);
    const got = await m.run(runInputs);
    expect(got.length).toBe(expected.length);
    got.forEach((g, i) => {
      const d = diff(g, expected[i]);
      abs = Math.max(abs, d.abs);
      rel = Math.max(rel, d.rel);
    });
    for (const g of got) g.dispose();
  }
  for (const e of expected) e.dispose();
  return { abs, rel, names: summary.initializers };
}

/** State-dict keys the exported graph must carry (num_batches_tracked is not used in eval). */
const weightKeys = (m: nn.Module) =>
  Object.keys(m.stateDict()).filter((k) => !k.endsWith('num_batches_tracked'));

describe('exportOnnx', () => {
  it('exports an MLP that matches eager in onnxruntime-node and -web, with a dynamic batch', async () => {
    manualSeed(1);
    const model = new nn.Sequential(
      new nn.Linear(8, 16),
      new nn.ReLU(),
      new nn.Linear(16, 16),
      new nn.Tanh(),
      new nn.Linear(16, 4),
    );
    const x = randn([3, 8]);
    const r = await roundTrip(model, [x]);
    expect(r.abs).toBeLessThan(1e-5);
    expect(r.names.sort()).toEqual(weightKeys(model).sort());
    // Exported with batch 3, run with batch 7.
    const x7 = randn([7, 8]);
    const r7 = await roundTrip(model, [x], [x7]);
    expect(r7.abs).toBeLessThan(1e-5);
    for (const t of [x, x7]) t.dispose();
  });

  it('exports a CNN (conv, batch norm in eval, pooling, linear)', async () => {
    manualSeed(2);
    const model = new nn.Sequential(
      new nn.Conv2d(2, 4, 3, { padding: 1 }),
      new nn.BatchNorm2d(4),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Conv2d(4, 6, 3, { stride: 2, padding: 'valid', groups: 2 }),
      new nn.AvgPool2d(2, { stride: 1 }),
      new nn.AdaptiveAvgPool2d(1),
      new nn.Flatten(),
      new nn.Linear(6, 3),
    );
    // A few training-mode passes give the batch norm non-trivial running stats.
    tidy(() => {
      for (let i = 0; i < 3; i++) model.forward(randn([4, 2, 12, 12]).mul(2).add(1));
    });
    const x = randn([2, 2, 12, 12]);
    const r = await roundTrip(model, [x], [randn([5, 2, 12, 12])]);
    expect(r.abs).toBeLessThan(1e-5);
    expect(r.names.sort()).toEqual(weightKeys(model).sort());
  });

  it('exports the other spatial layers: Conv1d, ConvTranspose2d, BatchNorm1d, LayerNorm, Unflatten', async () => {
    manualSeed(3);
    const model = new nn.Sequential(
      new nn.Conv1d(3, 4, 3, { padding: 'same', paddingMode: 'reflect' }),
      new nn.Unflatten(2, [2, 5]),
      new nn.ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
      new nn.AdaptiveAvgPool2d([2, 5]),
      new nn.Flatten(1, 2),
      new nn.LayerNorm(5),
      new nn.Flatten(),
      new nn.BatchNorm1d(20),
      new nn.Dropout(0.5),
    );
    tidy(() => model.forward(randn([4, 3, 10])));
    const r = await roundTrip(model, [randn([2, 3, 10])], [randn([3, 3, 10])]);
    expect(r.abs).toBeLessThan(1e-5);
  });

  it('exports every activation', async () => {
    manualSeed(4);
    const model = new nn.Sequential(
      new nn.Linear(6, 12),
      new nn.LeakyReLU(0.1),
      new nn.ELU(0.7),
      new nn.GELU(),
      new nn.GELU({ approximate: 'tanh' }),
      new nn.SiLU(),
      new nn.Mish(),
      new nn.Softplus(2, 3),
      new nn.Sigmoid(),
      new nn.Linear(12, 5),
      new nn.Softmax(-1),
      new nn.LogSoftmax(1),
    );
    const x = randn([4, 6]).mul(4);
    const r = await roundTrip(model, [x]);
    expect(r.abs).toBeLessThan(1e-5);
    const step = new nn.Sequential(new nn.Identity(), new nn.Step());
    expect((await roundTrip(step, [x])).abs).toBe(0);
  });

  it('exports an Embedding (int32 indices)', async () => {
    manualSeed(5);
    const model = new nn.Sequential(new nn.Embedding(10, 4), new nn.Flatten(), new nn.Linear(12, 2));
    const r = await roundTrip(model, [randint(0, 10, [2, 3])], [randint(0, 10, [5, 3])]);
    expect(r.abs).toBeLessThan(1e-5);
  });

  it('exports LSTM (2 layers, bidirectional, batch-first), GRU and RNN', async () => {
    manualSeed(6);
    const lstm = new nn.LSTM(5, 7, { numLayers: 2, batchFirst: true, bidirectional: true });
    const rl = await roundTrip(lstm, [randn([3, 6, 5])], [randn([4, 6, 5])]);
    expect(rl.names.sort()).toEqual(weightKeys(lstm).sort());
    // sequence-first: the first dim is time, over which the trace unrolls the recurrence, so it
    // cannot be symbolic: a clear error, and the export at a fixed length
    const gru = new nn.GRU(5, 7, { numLayers: 2 });
    expect(() => exportOnnx(gru, [randn([6, 3, 5])])).toThrow(
      /operators differ with the size.*dynamicBatch: false/,
    );
    const rg = await roundTrip(gru, [randn([6, 3, 5])], undefined, { dynamicBatch: false });
    const rnn = new nn.RNN(5, 7, { bidirectional: true, nonlinearity: 'relu', batchFirst: true });
    const rr = await roundTrip(rnn, [randn([3, 6, 5])], [randn([8, 6, 5])]);
    for (const r of [rl, rg, rr]) expect(r.abs).toBeLessThan(1e-5);
  });

  it('exports a 2-layer Transformer encoder with PositionalEncoding in front', async () => {
    manualSeed(7);
    const model = new nn.Sequential(
      new nn.Linear(6, 16),
      new nn.PositionalEncoding(16, { maxLen: 32 }),
      new nn.TransformerEncoder(new nn.TransformerEncoderLayer(16, 4, { dimFeedforward: 32 }), 2),
      new nn.Linear(16, 3),
    );
    // [T, B, E]: the symbolic first dim is the sequence; run a longer one than exported.
    const r = await roundTrip(model, [randn([5, 2, 6])], [randn([9, 2, 6])]);
    expect(r.abs).toBeLessThan(1e-5);
    expect(r.names.sort()).toEqual(weightKeys(model).sort());
    expect(r.names).toContain('2.layers.0.self_attn.in_proj_weight');
    expect(r.names).toContain('1.pe');
  });

  it('exports batch-first pre-norm gelu encoders and MultiheadAttention with weights', async () => {
    manualSeed(8);
    const enc = new nn.TransformerEncoder(
      new nn.TransformerEncoderLayer(8, 2, {
        dimFeedforward: 16,
        batchFirst: true,
        normFirst: true,
        activation: 'gelu',
      }),
      2,
      { norm: new nn.LayerNorm(8) },
    );
    const re = await roundTrip(enc, [randn([3, 4, 8])], [randn([2, 4, 8])]);
    expect(re.abs).toBeLessThan(1e-5);
    const mha = new nn.MultiheadAttention(8, 2);
    // Cross-attention: query [L=4, B=3, E], key and value [S=6, B=3, E]; outputs [out, weights].
    const rm = await roundTrip(mha, [randn([4, 3, 8]), randn([6, 3, 8]), randn([6, 3, 8])], undefined, {
      dynamicBatch: false,
    });
    expect(rm.abs).toBeLessThan(1e-5);
    // Opset 18 moved Split sizes and ReduceMean axes from attributes to inputs.
    const r18 = await roundTrip(mha, [randn([4, 3, 8]), randn([6, 3, 8]), randn([6, 3, 8])], undefined, {
      opset: 18,
      dynamicBatch: false,
    });
    expect(r18.abs).toBeLessThan(1e-5);
  });

  it('names inputs and outputs, and exports custom forwards (any module that runs eagerly)', async () => {
    const mlp = new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout());
    mlp.train();
    const s = checkModel(exportOnnx(mlp, [randn([1, 2])], { inputNames: ['x'], outputNames: ['logits'] }));
    expect([s.inputs, s.outputs]).toEqual([['x'], ['logits']]);
    expect(mlp.modules().every((m) => m.training)).toBe(true); // exported in eval, mode restored
    class MyNet extends nn.Module {
      fc = new nn.Linear(3, 4);
      override forward(x: Tensor): Tensor {
        // control flow fixed for the traced shapes, views, reductions, a residual
        const h = this.fc.forward(x).relu();
        const g = x.shape[1] > 2 ? h.softmax(-1) : h;
        return g.mul(2).add(h.mean(-1, true)).transpose(0, 1).reshape([-1]);
      }
    }
    manualSeed(9);
    const net = new MyNet();
    expect((await roundTrip(net, [randn([5, 3])], [randn([2, 3])])).abs).toBeLessThan(1e-5);
    const seq = new nn.Sequential(new nn.Linear(3, 3), new MyNet());
    expect((await roundTrip(seq, [randn([4, 3])])).abs).toBeLessThan(1e-5);
    const layer = new nn.TransformerEncoderLayer(4, 2, { activation: (x) => x.tanh() });
    expect((await roundTrip(layer, [randn([3, 1, 4])], [randn([6, 1, 4])])).abs).toBeLessThan(1e-5);
    expect(() => exportOnnx(mlp, [randn([1, 2])], { opset: 11 })).toThrow('opset must be 17 or 18');
    class Reads extends nn.Module {
      fc = new nn.Linear(2, 2);
      override forward(x: Tensor): Tensor {
        return this.fc.forward(x).sum().item() > 0 ? x : x.neg();
      }
    }
    expect(() => exportOnnx(new Reads(), [randn([1, 2])])).toThrow(
      /reads the value of a float32 \[\] tensor/,
    );
    // a graph that depends on the batch size in a way it cannot compute: a clear error, and
    // the static export works
    class BatchMean extends nn.Module {
      override forward(x: Tensor): Tensor {
        return x.mean(0);
      }
    }
    expect(() => exportOnnx(new BatchMean(), [randn([3, 2])])).toThrow(/dynamicBatch: false/);
    class Noisy extends nn.Module {
      override forward(x: Tensor): Tensor {
        return x.add(randn(x.shape));
      }
    }
    expect(() => exportOnnx(new Noisy(), [randn([3, 2])])).toThrow(/draws random numbers in eval mode/);
    expect(
      (await roundTrip(new BatchMean(), [randn([3, 2])], undefined, { dynamicBatch: false })).abs,
    ).toBeLessThan(1e-6);
  });
});
