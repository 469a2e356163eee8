import type { Tensor } from '@tensorflow/tfjs-core';
import { seededFloat32 } from '../harness.js';
import type { Apis, Workload } from '../types.js';
import {
  fusedTrainer,
  type OursSetup,
  oursTrainer,
  seededLabels,
  seedOurs,
  tfTrainer,
  tfWeight,
  trainingPlan,
  X_SEED,
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
  const flat = core.tensor(seededFloat32(batch * SIZES[0], X_SEED));
  const x = flat.reshape([batch, SIZES[0]]);
  const y = core.tensor(seededLabels(batch));
  return { model, x, y, also: [flat] };
}

/** W2: one SGD step of the MLP 784 → 256 → ReLU → 128 → ReLU → 10 on a fixed 64×784 batch. */
export const w2Mlp: Workload = {
  id: 'W2',
  title: 'MLP training step',
  unit: 'ms/step',
  higherIsBetter: false,
  cases: ({ quick }) => [{ label: 'W2 MLP step', params: { batch: BATCH }, plan: trainingPlan(quick) }],
  figure: (_p, seconds) => seconds * 1e3,
  impls: {
    ours: (core, { batch }) => {
      const { model, x, y, also } = oursMlp(core, batch);
      return oursTrainer(core, model, x, y, also);
    },
    onnxFused: (api, { batch }) => fusedTrainer(api, oursMlp(api.core, batch)),
    tfjs: (tf, { batch }) => {
      // Weights as [in, out] so the forward is x @ W + b without a transpose.
      const layers = SIZES.slice(1).map((out, i) => {
        const fanIn = SIZES[i];
        return [tfWeight(tf, [fanIn, out], fanIn, 2 * i), tfWeight(tf, [out], fanIn, 2 * i + 1)] as const;
      });
      const x = tf.tensor2d(seededFloat32(batch * SIZES[0], X_SEED), [batch, SIZES[0]]);
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
  },
};
