import '@proj/backend-cpu';
import * as core from '@proj/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackendPackage } from '../subjects/backend-packages.js';
import { registerTfGradients } from '../subjects/tfjs-gradients.js';
import type { CompileTrainStep, Prepared, Workload } from '../types.js';
import { seededLabels } from './training.js';
import { w2Mlp } from './w2-mlp.js';
import { w3Cnn } from './w3-cnn.js';
import { w4Lstm } from './w4-lstm.js';

/** Runs a few steps; the loss must fall and nothing may outlive `dispose`. */
async function steps(prepare: () => Prepared | Promise<Prepared>, count: () => number, n = 3) {
  const before = count();
  const p = await prepare();
  for (let i = 0; i < n; i++) await p.run();
  const losses = p.losses?.();
  p.dispose();
  expect(count()).toBe(before);
  expect(losses).toBeDefined();
  expect(losses!.last).toBeLessThan(losses!.first);
  expect(losses!.first).toBeGreaterThan(1.5); // about ln 10 for a fresh 10-class model
  expect(losses!.first).toBeLessThan(3.5);
}

const cases: Workload[] = [w2Mlp, w3Cnn, w4Lstm];

describe('training workloads on ours (cpu)', () => {
  for (const w of cases) {
    it(`${w.id}: the loss falls and no tensor leaks`, async () => {
      const { params } = w.cases({ quick: true })[0];
      await steps(
        () => w.impls.ours!(core, params),
        () => core.memory().numTensors,
      );
    });
  }
});

describe('training workloads on tfjs (cpu)', () => {
  beforeAll(async () => {
    await registerTfGradients();
    await tf.setBackend('cpu');
    tf.enableProdMode();
  });
  // tfjs-cpu takes 0.1–2 s per step: the MLP covers the shared step and the leak check.
  for (const w of [w2Mlp]) {
    it(`${w.id}: the loss falls and no tensor leaks`, async () => {
      const { params } = w.cases({ quick: true })[0];
      await steps(
        () => w.impls.tfjs!(tf, params),
        () => tf.memory().numTensors,
        2,
      );
    });
  }
});

describe('fused training workloads (compileTrainStep, onnx)', () => {
  for (const w of [w2Mlp, w3Cnn]) {
    it(`${w.id}: matches the eager step on the CPU backend and leaks nothing`, async () => {
      const { params } = w.cases({ quick: true })[0];
      const eager = await w.impls.ours!(core, params);
      for (let i = 0; i < 3; i++) await eager.run();
      const want = eager.losses!();
      eager.dispose();
      // Loaded as the bench loads it (by name, else from the workspace source).
      const onnx = await loadBackendPackage('@proj/backend-onnx');
      core.setBackend('onnx');
      try {
        const api = { core, compileTrainStep: onnx.compileTrainStep as CompileTrainStep };
        let got: ReturnType<Prepared['losses'] & {}> | undefined;
        await steps(
          async () => {
            const p = await w.impls.onnxFused!(api, params);
            return { ...p, losses: () => (got = p.losses!()) };
          },
          () => core.memory().numTensors,
        );
        // Same model, batch and lr as the eager step: the same losses, to float32 round-off.
        expect(got!.first).toBeCloseTo(want.first, 4);
        expect(got!.last).toBeCloseTo(want.last, 4);
      } finally {
        core.setBackend('cpu');
      }
    });
  }
});

describe('seededLabels', () => {
  it('draws reproducible integers in [0, 10) covering every class', () => {
    const y = seededLabels(1000);
    expect(seededLabels(1000)).toEqual(y);
    expect(new Set(y).size).toBe(10);
    expect(Math.min(...y)).toBe(0);
    expect(Math.max(...y)).toBe(9);
  });
});
