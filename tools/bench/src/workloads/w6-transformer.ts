import type { Tensor } from '@proj/core';
import type { Apis } from '../types.js';
import {
  CLASSES,
  compiledTrainer,
  type MakeOptimizer,
  type OursSetup,
  oursTrainer,
  seededInputs,
  seededLabels,
  seedOurs,
  trainingWorkload,
} from './training.js';

const BATCH = 32;
/** Tokens per sequence. */
export const SEQ = 64;
export const VOCAB = 1000;
const D_MODEL = 128;
const HEADS = 4;
const FEEDFORWARD = 256;
const LAYERS = 2;
const DROPOUT = 0.1;
/** BENCH.md: W6 is the one training workload with Adam (lr 1e-3). */
const ADAM_LR = 1e-3;

/** Token ids in [0, 1000), row-major `[batch, 64]`, from the bench's seeded stream. */
export function seededTokens(batch: number): Int32Array {
  return Int32Array.from(seededInputs(batch, [SEQ]), (v) =>
    Math.min(VOCAB - 1, Math.floor((v + 1) * (VOCAB / 2))),
  );
}

const adam: MakeOptimizer = (core, params) => new core.optim.Adam(params, { lr: ADAM_LR });

/**
 * The transformer classifier of ours (weights from `manualSeed`) and its fixed batch, as
 * `TransformerClassifier` in `py/bench_torch.py`: Embedding(1000, 128) + the sinusoidal table of
 * `nn.PositionalEncoding` (no dropout of its own and no √d scaling: BENCH.md names neither) →
 * TransformerEncoder of 2 post-norm layers (128 wide, 4 heads, feed-forward 256, ReLU,
 * dropout 0.1, batch first) → mean over the 64 positions → Linear(128, 10). An `nn.Module`
 * subclass, so `compile` can trace it.
 */
export function oursTransformer(core: Apis['ours'], batch: number): OursSetup {
  const { nn } = core;
  seedOurs(core);
  // TransformerEncoder copies the layer it is given (PyTorch's deepcopy): the original is not
  // part of the model, so its parameters are freed once the copies exist.
  const layer = new nn.TransformerEncoderLayer(D_MODEL, HEADS, {
    dimFeedforward: FEEDFORWARD,
    dropout: DROPOUT,
    batchFirst: true,
  });
  class TransformerClassifier extends nn.Module {
    embedding = new nn.Embedding(VOCAB, D_MODEL);
    positions = new nn.PositionalEncoding(D_MODEL, { dropout: 0, maxLen: SEQ, batchFirst: true });
    encoder = new nn.TransformerEncoder(layer, LAYERS);
    head = new nn.Linear(D_MODEL, CLASSES);
    override forward(tokens: Tensor): Tensor {
      const h = this.encoder.forward(this.positions.forward(this.embedding.forward(tokens)));
      return this.head.forward(h.mean(1));
    }
  }
  const model = new TransformerClassifier();
  for (const p of layer.parameters()) p.dispose();
  const flat = core.tensor(seededTokens(batch), { dtype: 'int32' });
  return {
    model,
    x: flat.reshape([batch, SEQ]),
    y: core.tensor(seededLabels(batch), { dtype: 'int32' }),
    also: [flat],
    optimizer: adam,
  };
}

/**
 * W6: one Adam step (lr 1e-3) of the transformer classifier above on a fixed batch of 32
 * sequences of 64 token ids, dropout active (training mode).
 */
export const w6Transformer = trainingWorkload(
  'W6',
  'Transformer',
  BATCH,
  {
    ours: (core, { batch }) => oursTrainer(core, oursTransformer(core, batch)),
    onnxCompiled: (api, { batch }) => compiledTrainer(api, oursTransformer(api.core, batch)),
  },
  {
    tfjs:
      'cannot: tfjs has no TransformerEncoder (the bench uses tfjs-core ops only, as for W2–W4, and ' +
      'tfjs-core has no attention or transformer layer); a hand-built one would measure our code, not tfjs',
  },
);
