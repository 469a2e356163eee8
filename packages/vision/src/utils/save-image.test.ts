import '@proj/backend-cpu';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor, tidy } from '@proj/core';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../io/read-image.js';
import { expectNoLeak } from '../test-support/fixtures.js';
import { makeGrid } from './make-grid.js';
import { saveImage } from './save-image.js';

describe('saveImage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'save-image-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the grid as an RGB PNG, making the folder', () => {
    expectNoLeak(() => {
      const images = tidy(() => tensor([0, 0.5, 1, 0.25]).reshape(4, 1, 1, 1));
      const path = join(dir, 'sub', 'grid.png');
      saveImage(images, path, { nrow: 2, padding: 1, padValue: 1 });
      const img = decodeImage(readFileSync(path), path);
      expect([img.width, img.height]).toEqual([5, 5]);
      // row 1: pad, image 0 (0), pad, image 1 (0.5 → 128), pad; grey images repeat in R, G, B
      expect(Array.from(img.data.subarray(15, 30))).toEqual([
        255, 255, 255, 0, 0, 0, 255, 255, 255, 128, 128, 128, 255, 255, 255,
      ]);
      images.dispose();
    });
  });

  it('writes JPEG for .jpg and refuses unknown formats and non-float images', () => {
    tidy(() => {
      const x = tensor([
        [
          [0.2, 0.4],
          [0.6, 0.8],
        ],
      ]);
      saveImage(x, join(dir, 'a.jpg'));
      expect(decodeImage(readFileSync(join(dir, 'a.jpg'))).width).toBe(2);
      expect(() => saveImage(x, join(dir, 'a.gif'))).toThrow(
        /cannot tell the format of .*a.gif: use a .png, .jpg or .jpeg name/,
      );
      expect(() => saveImage(tensor(new Uint8Array([1])).reshape(1, 1, 1), join(dir, 'u.png'))).toThrow(
        /expected float images with values in \[0, 1\], got uint8/,
      );
      expect(() => makeGrid(tensor([1, 2]).reshape(1, 1, 1, 1, 2))).toThrow(/expected images \[B, C, H, W\]/);
      expect(() => makeGrid(x, { nrow: 0 })).toThrow(/nrow must be a positive integer, got 0/);
    });
  });
});
