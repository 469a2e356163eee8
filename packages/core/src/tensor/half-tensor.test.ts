import '@proj/backend-cpu';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { memory, nn, optim, randn, tensor, tidy, zeros } from '../index.js';
import { promoteTypes } from './dtype.js';
import { roundToHalf } from './half.js';

const r16 = (v: number) => roundToHalf(v, 'float16');
const rbf = (v: number) => roundToHalf(v, 'bfloat16');

describe('float16 / bfloat16 tensors', () => {
  it('store the rounded values and read back a Float32Array of them', () => {
    const x = tensor([1 / 3, 70000, 65504, 1e-8, -0], { dtype: 'float16' });
    expect(x.dtype).toBe('float16');
    const v = x.dataSync();
    expect(v).toBeInstanceOf(Float32Array);
    expect([...v]).toEqual([0.333251953125, Infinity, 65504, 0, -0]);
    expect(Object.is(v[4], -0)).toBe(true);
    expect(tensor([1 / 3], { dtype: 'bfloat16' }).item()).toBe(0.333984375);
    expect(x.toArray()).toEqual([0.333251953125, Infinity, 65504, 0, -0]);
  });

  it('half(), bfloat16(), double(), float() and to() cast as PyTorch', () => {
    const x = tensor([70000, 1 / 3, 2 ** -25, 3 * 2 ** -25]);
    expect([...x.half().dataSync()]).toEqual([Infinity, r16(1 / 3), 0, 2 ** -23]);
    expect(x.half().dtype).toBe('float16');
    expect(x.bfloat16().dtype).toBe('bfloat16');
    expect([...x.bfloat16().dataSync()]).toEqual([70144, rbf(1 / 3), 2 ** -25, 3 * 2 ** -25]);
    expect(x.to('half').dtype).toBe('float16');
    expect(x.to('bfloat16').dtype).toBe('bfloat16');
    expect(x.half().double().dtype).toBe('float64');
    expect(x.half().float().dtype).toBe('float32');
    expect(tensor([7, -3], { dtype: 'int32' }).half().toArray()).toEqual([7, -3]);
    expect(tensor([2.9, -2.9], { dtype: 'float16' }).int().toArray()).toEqual([2, -2]);
    expect(tensor([0.1]).half().bfloat16().item()).toBe(rbf(r16(0.1)));
    expect(zeros(2, { dtype: 'bfloat16' }).dtype).toBe('bfloat16');
  });

  it('promote as PyTorch', () => {
    expect(promoteTypes('float16', 'bfloat16')).toBe('float32');
    expect(promoteTypes('bfloat16', 'float16')).toBe('float32');
    expect(promoteTypes('float16', 'float32')).toBe('float32');
    expect(promoteTypes('int32', 'bfloat16')).toBe('bfloat16');
    expect(promoteTypes('bool', 'float16')).toBe('float16');
    expect(promoteTypes('float64', 'float16')).toBe('float64');
    const h = tensor([1, 2], { dtype: 'float16' });
    const b = tensor([1, 2], { dtype: 'bfloat16' });
    expect(h.add(b).dtype).toBe('float32');
    expect(h.add(tensor([1, 2])).dtype).toBe('float32');
    expect(h.add(tensor([1, 2], { dtype: 'int32' })).dtype).toBe('float16');
    expect(h.mul(2.5).dtype).toBe('float16'); // a Python float scalar keeps the half type
    expect(h.add(tensor(0.5, { dtype: 'float64' })).dtype).toBe('float16'); // 0-d of the same category
    expect(tensor([1, 2], { dtype: 'int32' }).add(tensor(0.5, { dtype: 'float16' })).dtype).toBe('float16');
    expect(tensor([true]).add(b).dtype).toBe('bfloat16');
  });

  it('round each op result once (computed in float32)', () => {
    const a = tensor([1, 2049, 0.1], { dtype: 'float16' });
    const y = a.add(tensor([2 ** -11, 1, 0.2], { dtype: 'float16' }));
    // 2049 is stored as 2048 (a tie, to even); 2048 + 1 ties back to 2048; 0.1 + 0.2 ties to even
    expect([...y.dataSync()]).toEqual([1, 2048, 0.2998046875]);
    expect(r16(Math.fround(r16(0.1) + r16(0.2)))).toBe(0.2998046875);
    // 60000 * 2 overflows float16 but the mean of [60000, 60000] does not: mean is one kernel
    const big = tensor([60000, 60000], { dtype: 'float16' });
    expect(big.sum().item()).toBe(Infinity);
    expect(big.mean().item()).toBe(60000);
    expect(big.mean().dtype).toBe('float16');
    // softmax, var, std, logsumexp in float32 then rounded once
    const x = randn([3, 7]);
    const h = x.half();
    expect([...h.softmax(1).dataSync()]).toEqual([...h.float().softmax(1).half().dataSync()]);
    expect([...h.logSoftmax(0).dataSync()]).toEqual([...h.float().logSoftmax(0).half().dataSync()]);
    expect([...h.var(1).dataSync()]).toEqual([...h.float().var(1).half().dataSync()]);
    expect([...h.std().dataSync()]).toEqual([...h.float().std().half().dataSync()]);
    expect([...h.logsumexp(1).dataSync()]).toEqual([...h.float().logsumexp(1).half().dataSync()]);
    // linear (PyTorch's addmm) rounds once, not once for @ and once for +
    const lin = new nn.Linear(7, 5).bfloat16();
    const xb = x.bfloat16();
    const want = nn.functional.linear(xb.float(), lin.weight.float(), lin.bias?.float()).bfloat16();
    expect([...lin.forward(xb).dataSync()]).toEqual([...want.dataSync()]);
  });

  it('may require grad; gradients are of the half dtype', () => {
    const x = tensor([1.5, -2, 3], { dtype: 'float16', requiresGrad: true });
    const y = x.mul(x).sum();
    expect(y.dtype).toBe('float16');
    y.backward();
    expect(x.grad?.dtype).toBe('float16');
    expect(x.grad?.toArray()).toEqual([3, -4, 6]);
    const w = tensor([0.5, 0.25], { requiresGrad: true });
    w.bfloat16().mul(3).sum().backward(); // ToCopyBackward casts the gradient back to float32
    expect(w.grad?.dtype).toBe('float32');
    expect(w.grad?.toArray()).toEqual([3, 3]);
  });

  it('Module.half(), bfloat16(), float() and double() convert parameters and buffers', () => {
    const m = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3));
    const w0 = [...(m.parameters()[0].dataSync() as Float32Array)];
    m.half();
    for (const p of m.parameters()) expect(p.dtype).toBe('float16');
    const bn = m.get(1) as nn.BatchNorm1d;
    expect(bn.running_mean?.dtype).toBe('float16');
    const sd = m.stateDict();
    expect(sd['1.running_var'].dtype).toBe('float16');
    expect(sd['1.num_batches_tracked'].dtype).not.toBe('float16'); // integer buffers stay
    expect([...m.parameters()[0].dataSync()]).toEqual(w0.map(r16));
    const y = m.forward(randn([5, 4]).half());
    expect(y.dtype).toBe('float16');
    m.bfloat16();
    expect(m.parameters()[0].dtype).toBe('bfloat16');
    m.float();
    expect(m.parameters()[0].dtype).toBe('float32');
    m.double();
    expect(m.parameters()[0].dtype).toBe('float64');
  });

  it('in-place ops, init, dropout and an optimizer step keep the half dtype and its values', () => {
    const x = tensor([1, 2, 3], { dtype: 'float16' });
    x.add_(0.1);
    expect(x.dtype).toBe('float16');
    expect([...x.dataSync()]).toEqual([1.099609375, 2.099609375, 3.099609375]);
    const w = zeros([4, 3], { dtype: 'bfloat16' });
    nn.init.normal_(w);
    expect(w.dtype).toBe('bfloat16');
    for (const v of w.dataSync() as Float32Array) expect(v).toBe(rbf(v));
    const d = nn.functional.dropout(tensor([1, 1, 1, 1], { dtype: 'float16' }), 0.1);
    expect(d.dtype).toBe('float16');
    for (const v of d.dataSync() as Float32Array) expect([0, r16(1 / 0.9)]).toContain(v);
    const m = new nn.Linear(3, 1).half();
    const opt = new optim.SGD(m.parameters(), 0.1);
    m.forward(randn([2, 3]).half())
      .sum()
      .backward();
    opt.step();
    for (const p of m.parameters()) {
      expect(p.dtype).toBe('float16');
      for (const v of p.dataSync() as Float32Array) expect(v).toBe(r16(v));
    }
  });

  it('count 2 bytes an element and print their dtype', () => {
    tidy(() => {
      const before = memory().numBytes;
      const x = zeros([10], { dtype: 'float16' });
      expect(memory().numBytes - before).toBe(20);
      x.dispose();
    });
    expect(inspect(tensor([1.5, 2], { dtype: 'float16' }))).toBe(
      'tensor([1.5000, 2.0000], dtype=torch.float16)',
    );
    expect(inspect(tensor([1, 2], { dtype: 'bfloat16' }))).toBe('tensor([1., 2.], dtype=torch.bfloat16)');
  });
});
