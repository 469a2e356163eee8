import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, nn, noGrad, randn, tidy } from '../../index.js';

describe('convolution layers', () => {
  it("use PyTorch's state-dict keys, layouts and default init bounds", () => {
    manualSeed(0);
    const conv = new nn.Conv2d(4, 6, 3, { groups: 2 });
    const sd = conv.stateDict();
    expect(Object.keys(sd)).toEqual(['weight', 'bias']);
    expect(sd.weight.shape).toEqual([6, 2, 3, 3]);
    // kaiming_uniform(a=√5) and the bias both give U(±1/√fanIn), fanIn = 2·3·3
    const bound = 1 / Math.sqrt(18);
    for (const v of [...conv.weight.dataSync(), ...conv.bias!.dataSync()])
      expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    expect(Math.max(...conv.weight.dataSync().map(Math.abs))).toBeGreaterThan(bound * 0.8);
    const t = new nn.ConvTranspose2d(4, 6, [2, 3], { groups: 2, bias: false });
    expect(Object.keys(t.stateDict())).toEqual(['weight']);
    expect(t.weight.shape).toEqual([4, 3, 2, 3]);
    expect(new nn.Conv1d(3, 5, 4).weight.shape).toEqual([5, 3, 4]);
  });

  it('print like PyTorch', () => {
    expect(new nn.Conv2d(1, 32, 3, { padding: 'same' }).toString()).toBe(
      'Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1), padding=same)',
    );
    expect(new nn.Conv1d(16, 33, 3, { stride: 2, bias: false }).toString()).toBe(
      'Conv1d(16, 33, kernel_size=(3,), stride=(2,), bias=False)',
    );
    expect(new nn.ConvTranspose2d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1 }).toString()).toBe(
      'ConvTranspose2d(16, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))',
    );
  });

  it('check their arguments', () => {
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow(
      /inChannels \(3\) must be divisible by groups \(2\)/,
    );
    expect(() => new nn.Conv2d(3, 4, 3, { stride: 2, padding: 'same' })).toThrow(/not supported for strided/);
    expect(() => new nn.Conv2d(3, 4, 0)).toThrow(/kernelSize must be an integer >= 1/);
    expect(() => new nn.ConvTranspose2d(3, 4, 3, { stride: 2, outputPadding: 2 })).toThrow(
      /smaller than either stride or dilation/,
    );
    expect(() => new nn.Conv2d(3, 8, 3).forward(randn([2, 1, 28, 28]))).toThrow(
      'conv2d: expected input [N, C, H, W] with C = 3 (weight [8, 3, 3, 3], groups 1), got [2, 1, 28, 28]',
    );
  });

  it('a small CNN trains a step without leaking tensors', () => {
    manualSeed(1);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 4, 3, { padding: 1 }),
      new nn.BatchNorm2d(4),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Conv2d(4, 4, 3, { padding: 'same' }),
      new nn.AdaptiveAvgPool2d(1),
      new nn.Flatten(),
      new nn.Linear(4, 2),
    );
    const x = randn([3, 1, 8, 8]);
    const step = () =>
      tidy(() => {
        model.zeroGrad();
        const loss = model.forward(x).pow(2).mean();
        loss.backward();
        noGrad(() => {
          for (const p of model.parameters()) if (p.grad) p.sub_(p.grad.mul(0.1));
        });
        return loss.item();
      });
    const first = step();
    const before = memory().numTensors;
    let last = first;
    for (let i = 0; i < 5; i++) last = step();
    expect(last).toBeLessThan(first);
    expect(memory().numTensors).toBe(before);
  });
});
