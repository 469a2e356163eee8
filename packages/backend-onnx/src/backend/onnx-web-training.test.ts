// Training on onnxruntime-web (wasm, run in Node): several optimizer steps, each reading its loss
// asynchronously, must follow the CPU backend's trajectory. One forward/backward was all the
// earlier tests ran; step 2 used to fail with ORT-web's "Session mismatch" because reads started
// concurrent InferenceSession.run calls.
import '@proj/backend-cpu';
import {
  manualSeed,
  nn,
  optim,
  randint,
  randn,
  registerBackend,
  setBackend,
  tensor,
  train,
} from '@proj/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxWebBackend } from './onnx-web-backend.js';

beforeAll(() => {
  registerBackend('onnx-web-train', () => new OnnxWebBackend(), { priority: -1 });
});
afterAll(() => setBackend('cpu'));

/** Losses of `steps` Adam steps of a small CNN classifier on `device`, read with `await data()`. */
async function trajectory(device: string, steps: number): Promise<number[]> {
  manualSeed(11);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(4 * 4 * 4, 10),
  );
  const x = randn([8, 1, 8, 8]);
  const y = randint(0, 10, [8]);
  model.to(device);
  const xd = x.to(device);
  const yd = y.to(device);
  const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const lossFn = new nn.CrossEntropyLoss();
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(xd), yd);
    loss.backward();
    opt.step();
    losses.push((await loss.data())[0] as number);
    loss.dispose();
  }
  // the parameters after the last step, read concurrently (as a user's Promise.all would)
  const params = await Promise.all(model.parameters().map((p) => p.data()));
  losses.push(...params.map((p) => Array.from(p as Float32Array).reduce((a, b) => a + b, 0)));
  for (const p of model.parameters()) p.dispose();
  return losses;
}

describe('OnnxWebBackend training', () => {
  it('follows the CPU trajectory over 5 Adam steps with async loss reads', async () => {
    const want = await trajectory('cpu', 5);
    setBackend('onnx-web-train');
    const got = await trajectory('onnx-web-train', 5);
    setBackend('cpu');
    expect(got.length).toBe(want.length);
    for (const [i, g] of got.entries())
      expect(Math.abs(g - want[i])).toBeLessThan(1e-4 * (1 + Math.abs(want[i])));
    // the loss falls
    expect(got[4]).toBeLessThan(got[0]);
  });

  it("surfaces core's value checks (a class target out of range) at the next read", async () => {
    setBackend('onnx-web-train');
    const logits = randn([3, 4]);
    // building the loss cannot read the target, so nothing throws yet ...
    const loss = new nn.CrossEntropyLoss().forward(logits, tensor([0n, 4n, 1n]));
    // ... but no value comes back without the error: not the loss's, not an unrelated tensor's
    await expect(loss.data()).rejects.toThrow(/nllLoss: target values must be in \[0, 4\)/);
    const ok = new nn.CrossEntropyLoss().forward(logits, tensor([0n, 3n, 1n]));
    expect(Number.isFinite((await ok.data())[0])).toBe(true);
    const probs = tensor([0.5, 1.5]);
    const bce = new nn.BCELoss().forward(probs, tensor([0, 1]));
    await expect(randn([2]).data()).rejects.toThrow(
      /binaryCrossEntropy: all elements of input should be between 0 and 1/,
    );
    // the check ran once: later reads succeed
    expect((await bce.data()).length).toBe(1);
    setBackend('cpu');
  });

  it('moves a trained model off onnx-web with await toAsync (to() says so)', async () => {
    manualSeed(5);
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4), new nn.Linear(4, 2));
    const want = model.stateDict();
    const wantValues = Object.fromEntries(
      Object.entries(want).map(([k, v]) => [k, Array.from(v.dataSync())]),
    );
    model.to('onnx-web-train');
    expect(() => model.to('cpu')).toThrow(
      /to: a tensor on 'onnx-web-train' can only be read asynchronously.*await model\.toAsync\('cpu'\)/,
    );
    expect(model.parameters()[0].device).toBe('onnx-web-train');
    model.eval(); // a training-mode forward would update the running statistics
    const x = randn([5, 3]).to('onnx-web-train');
    const y = await model.forward(x).toAsync('cpu');
    expect(y.device).toBe('cpu');
    expect(y.shape).toEqual([5, 2]);
    expect(await model.toAsync('cpu', 'float64')).toBe(model);
    for (const [k, v] of Object.entries(model.stateDict())) {
      expect(v.device).toBe('cpu');
      const expected = wantValues[k];
      if (v.dtype === 'int64') expect(Array.from(v.dataSync())).toEqual(expected);
      else {
        expect(v.dtype).toBe('float64');
        expect(Array.from(v.dataSync())).toEqual(expected.map(Number));
      }
    }
  });

  it("runs train.fit (metrics, validation) with the CPU backend's history", async () => {
    const history = async (device: string) => {
      manualSeed(2);
      const model = new nn.Sequential(new nn.Linear(6, 8), new nn.ReLU(), new nn.Linear(8, 3));
      const x = randn([40, 6]);
      const y = randint(0, 3, [40]);
      setBackend(device);
      model.to(device);
      const h = await train.fit(model, {
        train: [x.to(device), y.to(device)],
        epochs: 2,
        batchSize: 8,
        shuffle: false,
        validationSplit: 0.25,
        loss: new nn.CrossEntropyLoss(),
        optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }),
        metrics: ['accuracy'],
        verbose: 0,
      });
      setBackend('cpu');
      return h.history;
    };
    const want = await history('cpu');
    const got = await history('onnx-web-train');
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const k of Object.keys(want)) {
      for (const [i, v] of want[k].entries()) expect(Math.abs(got[k][i] - v)).toBeLessThan(1e-5);
    }
    expect(want.val_accuracy.length).toBe(2);
  });
});
