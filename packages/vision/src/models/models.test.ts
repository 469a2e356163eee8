import '@proj/backend-cpu';
import { noGrad, stack, tidy, zeros } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { MNIST } from '../datasets/mnist.js';
import { expectNoLeak } from '../test-support/fixtures.js';
import * as models from './index.js';
import { decodeBase64 } from './pretrained.js';

describe('pretrained MNIST CNN', () => {
  it('classifies at least 98% of the first 1,000 MNIST test digits', () => {
    const model = models.mnistCnn({ pretrained: true }).eval();
    const ds = new MNIST({ train: false, transform: models.mnistCnnWeights.transforms() });
    let correct = 0;
    expectNoLeak(() => {
      tidy(() => {
        const items = Array.from({ length: 1000 }, (_, i) => ds.getItem(i));
        const x = stack(items.map(([img]) => img));
        const pred = noGrad(() => model.forward(x).argmax(1)).toArray() as number[];
        correct = pred.filter((p, i) => p === items[i][1]).length;
      });
    });
    expect(correct / 1000).toBeGreaterThanOrEqual(0.98);
    expect(models.mnistCnnWeights.meta.testAccuracy).toBeGreaterThanOrEqual(0.985);
    expect(models.mnistCnnWeights.meta.testImages).toBe(10_000);
  });

  it('mnistCnnFeatures({ pretrained: true }) holds the first seven layers of the pretrained CNN', () => {
    const full = models.mnistCnn({ pretrained: true });
    const features = models.mnistCnnFeatures({ pretrained: true });
    const sd = features.stateDict();
    expect(Object.keys(sd)).toEqual(['0.weight', '0.bias', '3.weight', '3.bias']);
    const fullSd = full.stateDict();
    tidy(() => {
      for (const k of Object.keys(sd)) expect(sd[k].eq(fullSd[k]).all().item()).toBe(true);
    });
    // Untrained models differ from the pretrained one.
    tidy(() =>
      expect(models.mnistCnn().stateDict()['0.weight'].eq(fullSd['0.weight']).all().item()).toBe(false),
    );
  });

  it('decodes base64 exactly and refuses what is not base64', () => {
    expect(Array.from(decodeBase64('AAECAwT/'))).toEqual([0, 1, 2, 3, 4, 255]);
    expect(new TextDecoder().decode(decodeBase64('aGVsbG8='))).toBe('hello');
    expect(() => decodeBase64('ab$c')).toThrow(/character '\$' at 2 is not base64/);
    expect(() => decodeBase64('abcde')).toThrow(/5 characters is not a base64 length/);
  });
});

describe('architectures', () => {
  it("resnet18 has torchvision's 11,689,512 parameters and layer names", () => {
    const m = models.resnet18();
    expect(m.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(11_689_512);
    expect(Object.keys(m.stateDict())).toContain('layer2.0.downsample.1.running_var');
    expect(m.children()).toHaveLength(10);
    expect(() => models.resnet18({ weights: 'IMAGENET1K_V1' as never })).toThrow(
      /pretrained weights are not available/,
    );
  });

  it('small models take 28x28 and 32x32 images', () => {
    const cases = [
      [models.lenet5(), [2, 1, 28, 28]],
      [models.lenet5({ inChannels: 3, inputSize: 32 }), [2, 3, 32, 32]],
      [models.resnet8({ inChannels: 1 }), [2, 1, 28, 28]],
      [models.vgg(), [2, 3, 32, 32]],
      [models.vgg({ inChannels: 1 }), [2, 1, 28, 28]],
    ] as const;
    for (const [m, shape] of cases) {
      m.eval();
      expectNoLeak(() =>
        tidy(() => expect(noGrad(() => m.forward(zeros([...shape]))).shape).toEqual([2, 10])),
      );
    }
    expect(() => models.lenet5({ inputSize: 30 as never })).toThrow(/inputSize must be 28 or 32, got 30/);
    expect(() => new models.CifarResNet([1, 1] as never)).toThrow(/three positive block counts/);
    expect(() => models.vgg({ cfg: ['M'] })).toThrow(/cfg needs at least one convolution/);
  });
});
