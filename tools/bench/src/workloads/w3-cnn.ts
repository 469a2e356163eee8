import type { Rank, Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
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

const BATCH = 32;
const SIDE = 28;
/** Flattened features after two conv(3) + pool(2) stages: 16 × 5 × 5. */
const FLAT = 400;

/** The CNN of ours (weights from `manualSeed`) and its fixed batch. */
function oursCnn(core: Apis['ours'], batch: number): OursSetup {
  const { nn } = core;
  seedOurs(core);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 8, 3),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(FLAT, 10),
  );
  return { model, ...oursBatch(core, batch, [1, SIDE, SIDE]) };
}

/**
 * W3: one SGD step of the CNN 1×28×28 → Conv2d(1,8,3) → ReLU → MaxPool2d(2) → Conv2d(8,16,3) →
 * ReLU → MaxPool2d(2) → Flatten → Linear(400,10) on a fixed batch of 32.
 */
export const w3Cnn = trainingWorkload('W3', 'CNN', BATCH, {
  ours: (core, { batch }) => oursTrainer(core, oursCnn(core, batch)),
  onnxCompiled: (api, { batch }) => compiledTrainer(api, oursCnn(api.core, batch)),
  tfjs: (tf, { batch }) => {
    // tfjs convolves NHWC with [h, w, in, out] filters; one channel makes NHWC and NCHW data the same.
    const f1 = tfWeight<Rank.R4>(tf, [3, 3, 1, 8], 9, 0);
    const b1 = tfWeight<Rank.R1>(tf, [8], 9, 1);
    const f2 = tfWeight<Rank.R4>(tf, [3, 3, 8, 16], 72, 2);
    const b2 = tfWeight<Rank.R1>(tf, [16], 72, 3);
    const w = tfWeight(tf, [FLAT, 10], FLAT, 4);
    const b = tfWeight(tf, [10], FLAT, 5);
    const x = tf.tensor4d(seededInputs(batch, [SIDE, SIDE, 1]), [batch, SIDE, SIDE, 1]);
    const stage = (h: Tensor4D, f: Tensor4D, bias: Tensor1D): Tensor4D =>
      tf.maxPool(tf.relu(tf.add(tf.conv2d(h, f, 1, 'valid'), bias) as Tensor4D), 2, 2, 'valid');
    const logits = () => {
      const h = stage(stage(x, f1, b1), f2, b2);
      return tf.add(tf.matMul(tf.reshape(h, [batch, FLAT]), w), b);
    };
    return tfTrainer(tf, logits, seededLabels(batch), [f1, b1, f2, b2, w, b], [x]);
  },
});
