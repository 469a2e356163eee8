// The onnxruntime-web variant (wasm, run in Node): deferred ops realised by `await data()`.
import '@proj/backend-cpu';
import { manualSeed, nn, randn, registerBackend, setBackend, tensor, tidy } from '@proj/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxWebBackend } from './onnx-web-backend.js';

let web: OnnxWebBackend;

beforeAll(() => {
  registerBackend('onnx-web', () => (web = new OnnxWebBackend()), { priority: -1 });
});
afterAll(() => setBackend('cpu'));

describe('OnnxWebBackend', () => {
  it('defers ops until await data(), and matches the CPU backend', async () => {
    manualSeed(3);
    const model = new nn.Sequential(
      new nn.Linear(5, 7),
      new nn.Tanh(),
      new nn.Linear(7, 3),
      new nn.Softmax(1),
    );
    const x = randn([4, 5]);
    const want = tidy(() => model.forward(x).dataSync());
    setBackend('onnx-web');
    model.to('onnx-web');
    const xw = x.to('onnx-web');
    const y = model.forward(xw);
    expect(web.stats().runs).toBe(0);
    const got = await y.data();
    expect(web.stats().runs).toBeGreaterThan(0);
    const worst = Math.max(...Array.from(got as Float32Array, (v, i) => Math.abs(v - Number(want[i]))));
    expect(worst).toBeLessThan(1e-6);
    setBackend('cpu');
  });

  it('throws from the sync readers, naming the async ones', () => {
    setBackend('onnx-web');
    const t = tensor([1, 2, 3]).exp();
    expect(() => t.dataSync()).toThrow(/await t\.data\(\).*toArrayAsync/);
    t.dispose();
    setBackend('cpu');
  });

  it('runs backward and reads gradients asynchronously', async () => {
    setBackend('onnx-web');
    const w = tensor([0.5, -1, 2], { requiresGrad: true });
    w.mul(w).sum().backward();
    expect(Array.from(await (w.grad as NonNullable<typeof w.grad>).data())).toEqual([1, -2, 4]);
    setBackend('cpu');
  });
});
