import type { Tensor } from '@tensorflow/tfjs-core';
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

const BATCH = 64;
const SIZES = [784, 256, 128, 10];

/** The MLP of ours (weights from `manualSeed`) and its fixed batch. */
function oursMlp(core: Apis['ours'], batch: number): OursSetup {
  const { nn } = core;
  seedOurs(core);
  const model = new nn.Sequential(
    new nn.Linear(SIZES[0], SIZES[1]),
    new nn.ReLU(),
    new nn.Linear(SIZES[1], SIZES[2]),
    new nn.ReLU(),
    new nn.Linear(SIZES[2], SIZES[3]),
  );
  return { model, ...oursBatch(core, batch, [SIZES[0]]) };
}

/** W2: one SGD step of the MLP 784 → 256 → ReLU → 128 → ReLU → 10 on a fixed 64×784 batch. */
export const w2Mlp = trainingWorkload('W2', 'MLP', BATCH, {
  ours: (core, { batch }) => oursTrainer(core, oursMlp(core, batch)),
  onnxCompiled: (api, { batch }) => compiledTrainer(api, oursMlp(api.core, batch)),
  tfjs: (tf, { batch }) => {
    // Weights as [in, out] so the forward is x @ W + b without a transpose.
    const layers = SIZES.slice(1).map((out, i) => {
      const fanIn = SIZES[i];
      return [tfWeight(tf, [fanIn, out], fanIn, 2 * i), tfWeight(tf, [out], fanIn, 2 * i + 1)] as const;
    });
    const x = tf.tensor2d(seededInputs(batch, [SIZES[0]]), [batch, SIZES[0]]);
    const logits = () => {
      let h: Tensor = x;
      layers.forEach(([w, b], i) => {
        h = tf.add(tf.matMul(h, w), b);
        if (i < layers.length - 1) h = tf.relu(h);
      });
      return h;
    };
    return tfTrainer(tf, logits, seededLabels(batch), layers.flat(), [x]);
  },
});
