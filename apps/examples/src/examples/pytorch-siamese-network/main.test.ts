import { nn, noGrad, optim, type Tensor, tensor } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../pytorch/expect-close.js';
import { formulaInit, PORT_FIXTURE, sums, waveTensor } from '../../pytorch/formula.js';
import { random } from '../../pytorch/python-random.js';
import { APP_MATCHER, run, SiameseNetwork } from './main.js';

describe("PyTorch's siamese_network example, ported", () => {
  it("builds PyTorch's SiameseNetwork: ResNet-18 trunk (1-channel conv1, no fc) and the pair head", () => {
    const model = new SiameseNetwork();
    const sd = Object.entries(model.stateDict()).map(([k, v]) => `${k} [${v.shape.join(', ')}]`);
    // From /usr/bin/python3 with torchvision's resnet18: 124 entries, 11,432,897 parameters.
    expect(sd).toHaveLength(124);
    expect(model.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(11_432_897);
    expect(sd.slice(0, 2)).toEqual(['resnet.0.weight [64, 1, 7, 7]', 'resnet.1.weight [64]']);
    expect(sd.slice(-6)).toEqual([
      'resnet.7.1.bn2.running_var [512]',
      'resnet.7.1.bn2.num_batches_tracked []',
      'fc.0.weight [256, 1024]',
      'fc.0.bias [256]',
      'fc.2.weight [1, 256]',
      'fc.2.bias [1]',
    ]);
  });

  it('pairs two images of one digit at even indices and of two digits at odd ones', () => {
    random.seed(3);
    const ds = new APP_MATCHER('../data', false);
    const labels = ds.dataset.targets.toArray() as number[];
    // Each test image's label, found by its pixels (the dataset returns pixels, not indices).
    const bytes = ds.data.contiguous().dataSync() as Uint8Array;
    const byPixels = new Map<string, number>();
    for (let k = 0; k < labels.length; k++)
      byPixels.set(Buffer.from(bytes.subarray(k * 784, (k + 1) * 784)).toString('base64'), labels[k]);
    const label = (img: Tensor) =>
      byPixels.get(Buffer.from(Uint8Array.from(img.dataSync() as Float32Array)).toString('base64'));
    for (const i of [0, 1, 2, 3]) {
      const [a, b, t] = ds.getItem(i);
      expect(a.shape).toEqual([1, 28, 28]);
      expect(t.item()).toBe(i % 2 === 0 ? 1 : 0);
      expect(label(a)).toBeDefined();
      expect(label(a) === label(b)).toBe(i % 2 === 0);
    }
  });

  it('trains and tests end to end on a few pairs (the real run takes minutes here)', async () => {
    const r = await run({ fast: true });
    expect(r.trainSize).toBe(16);
    expect(r.testSize).toBe(16);
    expect(Number.isFinite(r.testLoss[0])).toBe(true);
    expect(r.accuracy[0]).toBeGreaterThanOrEqual(0);
    expect(r.accuracy[0]).toBeLessThanOrEqual(1);
  });

  it("computes what PyTorch's SiameseNetwork computes: same weights and pairs, one Adadelta step, eval", () => {
    const fx = PORT_FIXTURE.siamese_network;
    const model = new SiameseNetwork();
    formulaInit(model);
    const x1 = waveTensor([4, 1, 28, 28], 0.1, 127).add(128);
    const x2 = waveTensor([4, 1, 28, 28], 2.1, 127).add(128);
    const targets = tensor([1, 0, 1, 0]);
    const optimizer = new optim.Adadelta(model.parameters(), { lr: 1.0 });
    model.train();
    optimizer.zeroGrad();
    const outputs = model.forward(x1, x2).squeeze();
    const loss = new nn.BCELoss().forward(outputs, targets);
    loss.backward();
    optimizer.step();
    model.eval();
    const after = noGrad(() => model.forward(x1, x2).squeeze());
    expectClose(outputs.toArray() as number[], fx.trainOutputs, 1e-4, 'outputs in training mode');
    expectClose([loss.item()], [fx.loss], 1e-4, 'BCE loss');
    expectClose(after.toArray() as number[], fx.evalOutputs, 1e-4, 'outputs after the step, eval mode');
    // A sum over 262,144 float32 weights after a step whose size, for near-zero gradients, hangs on
    // float32 rounding (Adadelta's first step is g·√eps/√(0.1·g² + eps)): a looser tolerance.
    expectClose(sums((model.fc.children()[0] as nn.Linear).weight), fx.fc0Weight, 1e-3, 'fc.0.weight sums');
  });
});
