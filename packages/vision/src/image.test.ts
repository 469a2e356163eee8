import '@proj/backend-cpu';
import { tidy } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { Image, imageToTensor, tensorToImage } from './image.js';
import { expectNoLeak } from './test-support/fixtures.js';

describe('Image', () => {
  it('holds rows of interleaved channels and checks its size', () => {
    const img = new Image(2, 1, 'RGB', new Uint8Array([1, 2, 3, 4, 5, 6]));
    expect([img.width, img.height, img.channels, img.size]).toEqual([2, 1, 3, [2, 1]]);
    expect(new Image(3, 2, 'L').data).toEqual(new Uint8Array(6));
    expect(() => new Image(2, 2, 'L', new Uint8Array(3))).toThrow(
      /2x2 L image needs a Uint8Array of 4 bytes, got 3 bytes/,
    );
    expect(() => new Image(0, 2, 'L')).toThrow(/positive integers, got 0 x 2/);
    expect(() => new Image(1, 1, 'RGBA' as never)).toThrow(/mode must be 'L' or 'RGB', got 'RGBA'/);
  });

  it('converts RGBA (canvas ImageData) by dropping alpha, and between L and RGB', () => {
    const img = Image.fromRGBA(2, 1, [10, 20, 30, 255, 40, 50, 60, 0]);
    expect(Array.from(img.data)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(() => Image.fromRGBA(2, 2, [1, 2, 3])).toThrow(/needs 16 bytes, got 3/);
    const gray = new Image(2, 1, 'L', new Uint8Array([7, 200]));
    expect(Array.from(gray.convert('RGB').data)).toEqual([7, 7, 7, 200, 200, 200]);
    // PIL's L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16
    expect(Array.from(new Image(1, 1, 'RGB', new Uint8Array([255, 0, 0])).convert('L').data)).toEqual([76]);
  });

  it('goes to a uint8 tensor [C, H, W] and back', () => {
    expectNoLeak(() => {
      const img = new Image(
        3,
        2,
        'RGB',
        Uint8Array.from({ length: 18 }, (_, i) => i),
      );
      const t = imageToTensor(img);
      expect(t.dtype).toBe('uint8');
      expect(t.shape).toEqual([3, 2, 3]);
      // channel 0 holds bytes 0, 3, 6, ... (the R of each pixel)
      expect(Array.from(t.dataSync()).slice(0, 6)).toEqual([0, 3, 6, 9, 12, 15]);
      const back = tensorToImage('test', t);
      expect(back.mode).toBe('RGB');
      expect(back.data).toEqual(img.data);
      expect(() => tidy(() => tensorToImage('op', t.float()))).toThrow(
        /op: expected a uint8 tensor \[1 or 3, H, W\] to make an image, got float32 \[3, 2, 3\]/,
      );
      t.dispose();
    });
  });
});
