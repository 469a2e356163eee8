// The onnxruntime-web variant (wasm, run in Node): deferred ops realised by `await data()`.
import '@proj/backend-cpu';
import {
  backendByName,
  manualSeed,
  nn,
  randn,
  registerBackend,
  setBackend,
  tensor,
  tidy,
  truncDiv,
} from '@proj/core';
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

  it('refuses float16/bfloat16 by name (they are rounded on the host, which needs sync reads)', () => {
    const be = backendByName('onnx-web'); // as core sees it (half dtypes are core's storage dtypes)
    expect(be.supportsDtype('float16')).toBe(false);
    expect(be.supportsDtype('bfloat16')).toBe(false);
    expect(be.supportsDtype('float32')).toBe(true);
    expect(backendByName('cpu').supportsDtype('float16')).toBe(true);
    expect(() => tensor([1, 2], { dtype: 'float16', device: 'onnx-web' })).toThrow(
      /does not support dtype float16/,
    );
  });

  it('runs backward and reads gradients asynchronously', async () => {
    setBackend('onnx-web');
    const w = tensor([0.5, -1, 2], { requiresGrad: true });
    w.mul(w).sum().backward();
    expect(Array.from(await (w.grad as NonNullable<typeof w.grad>).data())).toEqual([1, -2, 4]);
    setBackend('cpu');
  });

  it('keeps at most maxSessions onnxruntime-web sessions (LRU) and reports them in memory()', async () => {
    const be = new OnnxWebBackend({ maxSessions: 2 });
    const x = {
      handle: be.write(Float32Array.of(1, 4, 9), [3], 'float32'),
      shape: [3],
      dtype: 'float32' as const,
    };
    const results: number[][] = [];
    for (const op of ['sqrt', 'neg', 'abs', 'sqrt'] as const) {
      const h = be.unary(op, x);
      results.push(Array.from(await be.read({ handle: h, shape: [3], dtype: 'float32' })));
    }
    expect(results).toEqual([
      [1, 2, 3],
      [-1, -4, -9],
      [1, 4, 9],
      [1, 2, 3],
    ]);
    // sqrt was evicted by abs and built again
    expect(be.memory()).toMatchObject({
      sessions: 2,
      sessionLimit: 2,
      sessionsCreated: 4,
      sessionEvictions: 2,
    });
    be.destroy();
  });

  it('refuses int32 overflow, x/0 and float → int32 casts that do not fit, when the result is read', async () => {
    setBackend('onnx-web');
    const i32 = (v: number[]) => tensor(v, { dtype: 'int32' });
    await expect(i32([2147483647]).add(1).data()).rejects.toThrow(
      /^add: value 2147483648 does not fit int32/,
    );
    await expect(truncDiv(i32([7]), i32([0])).data()).rejects.toThrow(/div: integer division by zero/);
    // integer sums are int64 (as PyTorch's): 2^31 fits, 2^53 would not be exact
    expect(Array.from(await i32([2147483647, 1]).sum().data<BigInt64Array>())).toEqual([2147483648n]);
    // the float input is itself deferred (exp), so the cast's check runs when the result is read
    await expect(tensor([0, 30]).exp().int().data()).rejects.toThrow(
      /^cast: value 1068647\d+ does not fit int32/,
    );
    // a deferred negative exponent follows PyTorch's integer pow (0 for |base| > 1)
    expect(
      Array.from(
        await i32([2, -1])
          .pow(i32([1, 1]).neg())
          .data(),
      ),
    ).toEqual([0, -1]);
    // neg of a deferred -2^31 (ORT's Neg would give -2^31 back)
    await expect(i32([-2147483647]).sub(1).neg().data()).rejects.toThrow(
      /^neg: value 2147483648 does not fit int32/,
    );
    expect(Array.from(await i32([2147483646, -5]).add(1).data())).toEqual([2147483647, -4]);
    expect(Array.from(await tensor([0, 2]).exp().int().data())).toEqual([1, 7]);
    setBackend('cpu');
  });

  it('computes int64 and uint8 through float64, narrowed with the range check when read', async () => {
    setBackend('onnx-web');
    const a = tensor([7n, -7n, 3n]);
    const sum = a.add(tensor([2n, 2n, -5n])).mul(3);
    expect(sum.dtype).toBe('int64');
    expect(Array.from(await sum.data<BigInt64Array>())).toEqual([27n, -15n, -6n]);
    expect(Array.from(await a.sum().data<BigInt64Array>())).toEqual([3n]);
    const idx = tensor([1.5, 9, -2]).argmax();
    expect(idx.dtype).toBe('int64');
    expect(Array.from(await idx.data<BigInt64Array>())).toEqual([1n]);
    // a deferred float → int64 cast is checked when read
    await expect(tensor([0, 50]).exp().long().data()).rejects.toThrow(/does not fit int64|beyond/);
    const u = tensor(new Uint8Array([250, 3]));
    expect(Array.from(await u.add(5).data())).toEqual([255, 8]);
    await expect(u.add(10).data()).rejects.toThrow(/^add: value 260 does not fit uint8/);
    setBackend('cpu');
  });
});
