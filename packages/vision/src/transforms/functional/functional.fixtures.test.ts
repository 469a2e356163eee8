// The functional transforms against torchvision 0.14 (tensor path) and PIL (Image path), from
// packages/vision/fixtures/vision.json (tools/fixtures/vision.py).
import '@proj/backend-cpu';
import type { DType } from '@proj/core';
import { describe, expect, it } from 'vitest';
import type { Image } from '../../image.js';
import {
  cases,
  expectNoLeak,
  expectTensorClose,
  type FixtureImage,
  fromFixture,
  imageFromFixture,
} from '../../test-support/fixtures.js';
import * as F from './index.js';
import { expandedSize, inverseRotationMatrix } from './rotate.js';

/** Runs `fn` on the case's input tensor, compares with the output, and checks nothing leaks. */
function check(
  c: ReturnType<typeof cases>[number],
  fn: (x: ReturnType<typeof fromFixture>) => ReturnType<typeof fromFixture>,
  atol = 1e-5,
) {
  expectNoLeak(() => {
    const x = fromFixture(c.input);
    const y = fn(x);
    try {
      expectTensorClose(y, c.output, atol);
    } finally {
      if (y !== x) y.dispose();
      x.dispose();
    }
  });
}

describe('resize matches torchvision (F.interpolate, antialias)', () => {
  for (const c of cases('resize')) {
    it(c.name, () => {
      const { size, interpolation, antialias, maxSize } = c.args;
      // uint8: where the exact value is a tie (x.5), float32 sums in another order than
      // PyTorch's kernel can round the other way; off by 1 at most.
      check(
        c,
        (x) => F.resize(x, size, { interpolation, antialias, maxSize }),
        c.input.dtype === 'uint8' ? 1 : 2e-5,
      );
    });
  }
});

describe('pad, crop and centerCrop match torchvision', () => {
  for (const c of cases('pad')) {
    it(c.name, () => check(c, (x) => F.pad(x, c.args.padding, c.args.fill, c.args.paddingMode)));
  }
  for (const c of cases('crop')) {
    it(c.name, () => check(c, (x) => F.crop(x, ...(c.args.box as [number, number, number, number]))));
  }
  for (const c of cases('center_crop')) {
    it(c.name, () => check(c, (x) => F.centerCrop(x, c.args.size)));
  }
});

describe('rotate matches torchvision (grid_sample with its affine grid and fill mask)', () => {
  for (const c of cases('rotate')) {
    it(c.name, () => {
      const { angle, interpolation, expand, center, fill } = c.args;
      check(c, (x) => F.rotate(x, angle, { interpolation, expand, center, fill }), 2e-5);
    });
  }
});

describe('colour adjustments, normalize and convertImageDtype match torchvision', () => {
  const fns = {
    brightness: F.adjustBrightness,
    contrast: F.adjustContrast,
    saturation: F.adjustSaturation,
    hue: F.adjustHue,
  } as const;
  for (const c of cases('color')) {
    it(c.name, () => check(c, (x) => fns[c.args.fn as keyof typeof fns](x, c.args.factor), 2e-6));
  }
  for (const c of cases('normalize')) {
    it(c.name, () => check(c, (x) => F.normalize(x, c.args.mean, c.args.std)));
  }
  for (const c of cases('convert_dtype')) {
    it(c.name, () => check(c, (x) => F.convertImageDtype(x, c.args.dtype as DType)));
  }
});

/** Bytes where two images differ, and the largest difference. */
function byteDiff(a: Image, b: FixtureImage): { count: number; max: number } {
  expect([a.width, a.height, a.mode]).toEqual([b.width, b.height, b.mode]);
  let count = 0;
  let max = 0;
  a.data.forEach((v, i) => {
    const d = Math.abs(v - b.data[i]);
    if (d > 0) count++;
    max = Math.max(max, d);
  });
  return { count, max };
}

describe('the Image path follows PIL', () => {
  for (const c of cases('pil_resize')) {
    it(c.name, () => {
      expectNoLeak(() => {
        const out = F.resize(imageFromFixture(c.input), c.args.size, { interpolation: c.args.interpolation });
        const { count, max } = byteDiff(out, c.output);
        // PIL rounds after each pass in fixed point; we round once: an odd byte may be off by 1.
        expect(max).toBeLessThanOrEqual(1);
        expect(count).toBeLessThanOrEqual(Math.ceil(out.data.length * 0.35));
      });
    });
  }

  it("Image.convert('L') uses PIL's luma", () => {
    const [c] = cases('pil_convert');
    expect(byteDiff(imageFromFixture(c.input).convert('L'), c.output)).toEqual({ count: 0, max: 0 });
  });

  for (const c of cases('pil_expand_size')) {
    it(c.name, () => {
      const { width, height, angle } = c.args;
      const size = expandedSize(inverseRotationMatrix([0, 0], -angle), width, height);
      expect(size).toEqual(c.torchvision);
      // PIL transposes exactly at multiples of 90 degrees; torchvision's float bounding box
      // (which we follow, for tensors and Images alike) grows by a pixel there.
      if (angle % 90 !== 0) expect(size).toEqual(c.output);
    });
  }

  for (const c of cases('pil_rotate')) {
    it(c.name, () => {
      const out = F.rotate(imageFromFixture(c.input), c.args.angle, { fill: 0 });
      const { count } = byteDiff(out, c.output);
      // torchvision's grid and PIL's inverse mapping agree except where a sample falls near a
      // pixel boundary (a few pixels along the edges of the rotated image).
      expect(count).toBeLessThanOrEqual(Math.ceil(out.data.length * 0.1));
    });
  }
});
