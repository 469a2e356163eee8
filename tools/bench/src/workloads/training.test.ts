import '@proj/backend-cpu';
import * as core from '@proj/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { retraceNote } from '../harness.js';
import { loadBackendPackage } from '../subjects/backend-packages.js';
import { registerTfGradients } from '../subjects/tfjs-gradients.js';
import type { Compile, Prepared, Workload } from '../types.js';
import { seededLabels } from './training.js';
import { w2Mlp } from './w2-mlp.js';
import { w3Cnn } from './w3-cnn.js';
import { w4Lstm } from './w4-lstm.js';
import { oursTransformer, SEQ, seededTokens, VOCAB, w6Transformer } from './w6-transformer.js';

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

describe('W6 transformer on ours (cpu)', () => {
  it("is PyTorch's model: 394,250 parameters, [batch, 64] token ids to [batch, 10] logits", () => {
    const before = core.memory().numTensors;
    const { model, x, y, also } = oursTransformer(core, 2);
    // sum(p.numel() for p in TransformerClassifier().parameters()) in py/bench_torch.py
    expect(model.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(394_250);
    expect(x.shape).toEqual([2, SEQ]);
    const logits = core.tidy(() => model.forward(x));
    expect(logits.shape).toEqual([2, 10]);
    for (const t of [logits, ...model.parameters(), ...model.buffers(), x, y, ...also]) t.dispose();
    expect(core.memory().numTensors).toBe(before);
  });

  it('draws reproducible token ids covering [0, 1000)', () => {
    const t = seededTokens(32);
    expect(seededTokens(32)).toEqual(t);
    expect(t.length).toBe(32 * SEQ);
    expect(Math.min(...t)).toBe(0);
    expect(Math.max(...t)).toBeLessThan(VOCAB);
    expect(new Set(t).size).toBeGreaterThan(800);
  });

  it('the Adam step with dropout lowers the loss and leaks nothing (batch 4)', async () => {
    await steps(
      () => w6Transformer.impls.ours!(core, { batch: 4 }),
      () => core.memory().numTensors,
    );
  });
});

// Loaded as the bench loads it (by name, else from the workspace source).
const onnx = await loadBackendPackage('@proj/backend-onnx');
const compile = onnx.compile as Compile | undefined;

/** The compiled cases and their batch (W6 smaller than the bench's to keep this test quick). */
const compiledCases: [Workload, number | undefined][] = [
  [w2Mlp, undefined],
  [w3Cnn, undefined],
  [w4Lstm, undefined],
  [w6Transformer, 4],
];

describe.skipIf(typeof compile !== 'function')('compiled training workloads (compile, onnx)', () => {
  for (const [w, batch] of compiledCases) {
    it(`${w.id}: matches the eager step on the CPU backend and leaks nothing`, async () => {
      const params = { ...w.cases({ quick: true })[0].params, ...(batch ? { batch } : {}) };
      const eager = await w.impls.ours!(core, params);
      for (let i = 0; i < 3; i++) await eager.run();
      const want = eager.losses!();
      eager.dispose();
      core.setBackend('onnx');
      try {
        const api = { core, compile: compile!, intraOpNumThreads: 1 };
        let got: ReturnType<Prepared['losses'] & {}> | undefined;
        let stats: ReturnType<Prepared['compiled'] & {}> | undefined;
        await steps(
          async () => {
            const p = await w.impls.onnxCompiled!(api, params);
            return {
              ...p,
              losses: () => (got = p.losses!()),
              dispose: () => {
                stats = p.compiled!();
                p.dispose();
              },
            };
          },
          () => core.memory().numTensors,
        );
        // Same model, batch, optimizer and dropout masks as the eager step: the same losses, to round-off.
        expect(got!.first).toBeCloseTo(want.first, 4);
        expect(got!.last).toBeCloseTo(want.last, 4);
        // compile's graph, plus at most one traced by the optimizer's second step (Adam's state).
        expect(retraceNote(stats!)).toBeUndefined();
        expect(stats!.traces).toBe(1 + stats!.stepTraces);
        expect(stats!.stepTraces).toBeLessThanOrEqual(1);
        expect(stats!.compileMs).toBeGreaterThan(0);
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
