import type { Tensor } from '@proj/core';
import type { Rank, Tensor2D } from '@tensorflow/tfjs-core';
import type { Apis } from '../types.js';
import {
  compiledTrainer,
  type OursSetup,
  oursBatch,
  oursTrainer,
  seededInputs,
  seededLabels,
  seedOurs,
  tfTrainer,
  tfWeight,
  trainingWorkload,
} from './training.js';

const BATCH = 16;
const STEPS = 32;
const FEATURES = 32;
const HIDDEN = 64;

/**
 * The LSTM classifier of ours (weights from `manualSeed`) and its fixed batch: an `nn.Module`
 * subclass, as PyTorch's `LstmHead` in `py/bench_torch.py`, so `compile` can trace it.
 */
function oursLstm(core: Apis['ours'], batch: number): OursSetup {
  const { nn } = core;
  seedOurs(core);
  class LstmHead extends nn.Module {
    lstm = new nn.LSTM(FEATURES, HIDDEN, { batchFirst: true });
    fc = new nn.Linear(HIDDEN, 10);
    override forward(x: Tensor): Tensor {
      const [, [h]] = this.lstm.forward(x) as [Tensor, [Tensor, Tensor]];
      return this.fc.forward(h.squeeze(0));
    }
  }
  return { model: new LstmHead(), ...oursBatch(core, batch, [STEPS, FEATURES]) };
}

/**
 * W4: one SGD step of LSTM(32, 64, batchFirst) on a fixed 16×32×32 batch, its last hidden state
 * → Linear(64, 10).
 */
export const w4Lstm = trainingWorkload('W4', 'LSTM', BATCH, {
  ours: (core, { batch }) => oursTrainer(core, oursLstm(core, batch)),
  onnxCompiled: (api, { batch }) => compiledTrainer(api, oursLstm(api.core, batch)),
  tfjs: (tf, { batch }) => {
    // tf.basicLSTMCell: one [in + hidden, 4·hidden] kernel, gates i, j, f, o; differentiable ops.
    const fanIn = HIDDEN; // PyTorch bounds every LSTM weight by 1/√hidden
    const kernel = tfWeight<Rank.R2>(tf, [FEATURES + HIDDEN, 4 * HIDDEN], fanIn, 0);
    const bias = tfWeight<Rank.R1>(tf, [4 * HIDDEN], fanIn, 1);
    const w = tfWeight(tf, [HIDDEN, 10], HIDDEN, 2);
    const b = tfWeight(tf, [10], HIDDEN, 3);
    const forgetBias = tf.scalar(0);
    const x = tf.tensor3d(seededInputs(batch, [STEPS, FEATURES]), [batch, STEPS, FEATURES]);
    const logits = () => {
      let c: Tensor2D = tf.zeros([batch, HIDDEN]);
      let h: Tensor2D = tf.zeros([batch, HIDDEN]);
      for (const xt of tf.unstack(x, 1) as Tensor2D[])
        [c, h] = tf.basicLSTMCell(forgetBias, kernel, bias, xt, c, h);
      return tf.add(tf.matMul(h, w), b);
    };
    return tfTrainer(tf, logits, seededLabels(batch), [kernel, bias, w, b], [x, forgetBias]);
  },
});
