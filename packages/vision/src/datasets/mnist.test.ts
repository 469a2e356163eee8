import '@proj/backend-cpu';
import { tidy } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { Image } from '../image.js';
import { expectNoLeak } from '../test-support/fixtures.js';
import { ToTensor } from '../transforms/to-tensor.js';
import { MNIST } from './mnist.js';
import { packageDir } from './package-dir.js';

describe('MNIST', () => {
  it("gives torchvision's items: a 28x28 'L' Image (the PIL image) and the label", () => {
    const ds = new MNIST({ train: false });
    expect(ds.length).toBe(10_000);
    expect(ds.train).toBe(false);
    expect(ds.root).toBeNull();
    expect(ds.classes[7]).toBe('7 - seven');
    expect(ds.classToIdx['3 - three']).toBe(3);
    const [img, label] = ds.getItem(0);
    expect(img).toBeInstanceOf(Image);
    expect([img.width, img.height, img.mode]).toEqual([28, 28, 'L']);
    expect(label).toBe(7); // the first test digit
    expect(ds.getItem(-1)[1]).toBe(6); // the last one
    expect(() => ds.getItem(10_000)).toThrow(/MNIST: index 10000 is out of range for 10000 items/);
  });

  it('has data uint8 [N, 28, 28] and targets int64 [N], and applies the transforms', () => {
    expectNoLeak(() => {
      const ds = new MNIST<ReturnType<ReturnType<typeof ToTensor>>, string>('../data', {
        train: false,
        transform: ToTensor(),
        targetTransform: (y) => `digit ${y}`,
      });
      expect(ds.root).toBe('../data'); // torchvision's root: accepted, unused
      expect(ds.data.shape).toEqual([10_000, 28, 28]);
      expect(ds.data.dtype).toBe('uint8');
      expect(ds.targets.dtype).toBe('int64');
      const [x, y] = ds.getItem(0);
      expect(x.shape).toEqual([1, 28, 28]);
      expect(y).toBe('digit 7');
      // The transformed image is the data row scaled to [0, 1].
      expect(
        tidy(() => x.mul(255).round().to('uint8').flatten().eq(ds.data.index(0).flatten()).all().item()),
      ).toBe(true);
      x.dispose();
      ds.data.dispose();
      ds.targets.dispose();
    });
  });

  it('says how to install a missing optional package', () => {
    expect(() => packageDir('MNIST', 'no-such-mnist-package', 'the MNIST images')).toThrow(
      /MNIST: the MNIST images come from the npm package 'no-such-mnist-package', an optional peer dependency of @proj\/vision that is not installed; install it next to @proj\/vision \(npm install no-such-mnist-package, or pnpm add no-such-mnist-package\)/,
    );
  });
});
