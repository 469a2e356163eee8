import '@proj/backend-cpu';
import { Generator, manualSeed, tensor, tidy } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { Image } from '../image.js';
import { expectNoLeak } from '../test-support/fixtures.js';
import * as transforms from './index.js';

const gray = (w: number, h: number, f: (i: number) => number) =>
  new Image(
    w,
    h,
    'L',
    Uint8Array.from({ length: w * h }, (_, i) => f(i)),
  );

describe('ToTensor, Normalize and the conversions', () => {
  it('ToTensor scales an Image to float32 [C, H, W] in [0, 1]', () => {
    expectNoLeak(() => {
      const t = transforms.ToTensor()(new Image(2, 1, 'RGB', new Uint8Array([0, 51, 102, 153, 204, 255])));
      expect(t.dtype).toBe('float32');
      expect(t.shape).toEqual([3, 1, 2]);
      expect(t.toArray()).toEqual(
        [[[0, 0.6]], [[0.2, 0.8]], [[0.4, 1]]].map((c) => c.map((r) => r.map(Math.fround))),
      );
      t.dispose();
    });
    const x = tensor([1]);
    expect(() => transforms.ToTensor()(x as never)).toThrow(
      /toTensor: expected an Image .* got a float32 tensor \[1\]; for a uint8 tensor/,
    );
    x.dispose();
  });

  it('Normalize checks its input and its statistics', () => {
    tidy(() => {
      const n = transforms.Normalize([0.5], [0.25])(tensor([[[0, 0.5, 1]]]));
      expect(n.toArray()).toEqual([[[-2, 0, 2]]]);
      expect(() => transforms.Normalize([0.5, 0.5], [1, 1])(tensor([[[0]], [[0]], [[0]]]))).toThrow(
        /mean needs 1 or 3 values \(one per channel of a float32 tensor \[3, 1, 1\]\), got \[0.5,0.5\]/,
      );
      expect(() => transforms.Normalize([0], [0])(tensor([[[1]]]))).toThrow(/std evaluated to zero/);
      expect(() => transforms.Normalize([0], [1])(tensor(new Uint8Array([1])).reshape(1, 1, 1))).toThrow(
        /should be a float tensor/,
      );
      expect(() => transforms.Normalize([0], [1])(gray(1, 1, () => 0) as never)).toThrow(
        /got an Image 1x1 L \(apply ToTensor first\)/,
      );
      expect(() => transforms.Normalize([], [1])).toThrow(/mean must be a non-empty array/);
    });
  });

  it('PILToTensor, ToPILImage and ConvertImageDtype', () => {
    expectNoLeak(() => {
      const img = gray(2, 2, (i) => i * 60);
      const u8 = transforms.PILToTensor()(img);
      expect(Array.from(u8.dataSync())).toEqual([0, 60, 120, 180]);
      const f = transforms.ConvertImageDtype('float32')(u8);
      expect(tidy(() => f.max().item())).toBeCloseTo(180 / 255, 6);
      const back = transforms.ToPILImage()(f);
      // x.mul(255).byte() truncates: 60/255·255 may land just below 60.
      expect(Array.from(back.data)).toEqual(Array.from(tidy(() => f.mul(255).to('uint8').dataSync())));
      expect(() => tidy(() => transforms.ToPILImage()(f.add(1)))).toThrow(/must lie in \[0, 1\]/);
      u8.dispose();
      f.dispose();
    });
  });
});

describe('geometry', () => {
  it('Resize keeps an Image an Image (anti-aliased, as PIL) and a tensor a tensor', () => {
    expectNoLeak(() => {
      const img = gray(8, 4, (i) => (i % 8) * 30);
      const small = transforms.Resize(2)(img) as Image;
      expect(small).toBeInstanceOf(Image);
      expect([small.width, small.height, small.mode]).toEqual([4, 2, 'L']);
      // Halving, PIL's triangle filter spans 4 columns: (0.75·0 + 0.75·30 + 0.25·60) / 1.75 = 21, …
      expect(Array.from(small.data)).toEqual([21, 75, 135, 189, 21, 75, 135, 189]);
      expect(transforms.Resize(4)(img)).toBe(img); // already that size
      expect(String(transforms.Resize([3, 5]))).toBe(
        'Resize(size=[3, 5], interpolation=bilinear, max_size=None, antialias=None)',
      );
      expect(() => transforms.Resize(0)).toThrow(/size must be a positive integer/);
      expect(() => transforms.Resize([2, 2], { maxSize: 5 })).toThrow(
        /maxSize should only be passed if size specifies the length of the smaller edge/,
      );
      const x = tensor([
        [
          [1, 2],
          [3, 4],
        ],
      ]);
      expect(() => transforms.Resize(3, { interpolation: 'nearest', antialias: true })(x)).toThrow(
        /antialias is supported for bilinear and bicubic/,
      );
      x.dispose();
    });
  });

  it('CenterCrop, Pad and RandomCrop', () => {
    expectNoLeak(() => {
      const img = gray(4, 3, (i) => i + 1);
      expect(Array.from((transforms.CenterCrop(2)(img) as Image).data)).toEqual([2, 3, 6, 7]);
      const padded = transforms.Pad([1, 0], { fill: 9 })(img) as Image;
      expect([padded.width, padded.height]).toEqual([6, 3]);
      expect(Array.from(padded.data.subarray(0, 6))).toEqual([9, 1, 2, 3, 4, 9]);
      const g = new Generator(3);
      const crop = transforms.RandomCrop(3, { padding: 1, generator: g });
      const seen = new Set<string>();
      for (let i = 0; i < 40; i++) seen.add(Array.from((crop(img) as Image).data).join(','));
      expect(seen.size).toBeGreaterThan(4); // 3 x 4 positions in the padded 6 x 5 image
      // padIfNeeded pads both sides by the shortfall, as torchvision.
      const big = transforms.RandomCrop([3, 6], { padIfNeeded: true, generator: g })(img) as Image;
      expect([big.width, big.height]).toEqual([6, 3]);
      expect(() => transforms.RandomCrop(5)(img)).toThrow(
        /required crop size \(5, 5\) is larger than input image size \(3, 4\)/,
      );
    });
  });

  it('flips with probability p, reproducibly with manualSeed', () => {
    const img = gray(3, 1, (i) => i);
    expect(Array.from((transforms.RandomHorizontalFlip(1)(img) as Image).data)).toEqual([2, 1, 0]);
    expect(transforms.RandomVerticalFlip(0)(img)).toBe(img);
    const run = () => {
      manualSeed(7);
      const t = transforms.RandomHorizontalFlip();
      return Array.from({ length: 20 }, () => (t(img) as Image).data[0]);
    };
    const a = run();
    expect(run()).toEqual(a);
    expect(new Set(a)).toEqual(new Set([0, 2]));
    expect(() => transforms.RandomHorizontalFlip(2)).toThrow(/p must be a probability in \[0, 1\], got 2/);
  });

  it('RandomRotation turns by an angle from its range', () => {
    expectNoLeak(() => {
      // A single bright pixel right of the centre of a 5x5 image; 90 degrees counter-clockwise
      // moves it above the centre.
      const img = gray(5, 5, (i) => (i === 13 ? 255 : 0));
      const r = transforms.RandomRotation([90, 90])(img) as Image;
      expect(r.data.indexOf(255)).toBe(7);
      expect(() => transforms.RandomRotation(-1)).toThrow(/must be positive, got -1/);
      expect(() => transforms.RandomRotation([5, 1])).toThrow(/min <= max/);
    });
  });

  it('RandomResizedCrop falls back to the central crop with the ratio clamped', () => {
    // Area fraction 1 at aspect 2 never fits a square: after 10 tries, the central crop of
    // aspect 2 (the ratio clamped into [2, 2]).
    const img = gray(8, 8, (i) => i);
    expect(transforms.randomResizedCropParams(img, [1, 1], [2, 2])).toEqual([2, 0, 4, 8]);
    const g = new Generator(1);
    for (let i = 0; i < 20; i++) {
      const [top, left, h, w] = transforms.randomResizedCropParams(img, [0.25, 1], [3 / 4, 4 / 3], g);
      expect(top + h).toBeLessThanOrEqual(8);
      expect(left + w).toBeLessThanOrEqual(8);
      expect((h * w) / 64).toBeGreaterThanOrEqual(0.2);
    }
    const out = transforms.RandomResizedCrop(4, { generator: g })(img) as Image;
    expect([out.width, out.height]).toEqual([4, 4]);
    expect(() => transforms.RandomResizedCrop(4, { scale: [1, 0.5] })).toThrow(
      /scale should be a positive range/,
    );
  });
});

describe('ColorJitter', () => {
  it('draws factors from its ranges in a random order', () => {
    const g = new Generator(5);
    for (let i = 0; i < 20; i++) {
      const p = transforms.colorJitterParams([0.6, 1.4], null, [0, 2], [-0.1, 0.1], g);
      expect([...p.order].sort()).toEqual([0, 1, 2, 3]);
      expect(p.brightness).toBeGreaterThanOrEqual(0.6);
      expect(p.brightness).toBeLessThan(1.4);
      expect(p.contrast).toBeNull();
      expect(Math.abs(p.hue as number)).toBeLessThanOrEqual(0.1);
    }
  });

  it('checks its ranges as torchvision does', () => {
    expect(String(transforms.ColorJitter({ brightness: 0.5, hue: 0 }))).toBe(
      'ColorJitter(brightness=(0.5, 1.5), contrast=None, saturation=None, hue=None)',
    );
    expect(String(transforms.ColorJitter({ contrast: 2 }))).toContain('contrast=(0, 3)');
    expect(() => transforms.ColorJitter({ hue: 0.6 })).toThrow(
      /hue values should be between \[-0.5, 0.5\], got \[-0.6, 0.6\]/,
    );
    expect(() => transforms.ColorJitter({ brightness: -1 })).toThrow(/must be non negative/);
  });

  it('brightness 0 makes an image black; an Image goes through and comes back', () => {
    expectNoLeak(() => {
      const img = new Image(1, 1, 'RGB', new Uint8Array([10, 200, 90]));
      const out = transforms.ColorJitter({ brightness: [0, 0.0001] })(img) as Image;
      expect(Array.from(out.data)).toEqual([0, 0, 0]);
    });
  });
});

describe('Compose', () => {
  it('applies in order and prints as torchvision', () => {
    const t = transforms.Compose([
      transforms.CenterCrop(2),
      transforms.ToTensor(),
      transforms.Normalize([0.5], [0.5]),
    ]);
    expect(String(t)).toBe(
      'Compose(\n    CenterCrop(size=(2, 2))\n    ToTensor()\n    Normalize(mean=[0.5], std=[0.5])\n)',
    );
    expectNoLeak(() => {
      const x = t(gray(4, 4, () => 255));
      expect(x.shape).toEqual([1, 2, 2]);
      expect(tidy(() => x.sum().item())).toBe(4);
      x.dispose();
    });
    expect(() => transforms.Compose([1 as never])).toThrow(/expected an array of transforms/);
  });
});
