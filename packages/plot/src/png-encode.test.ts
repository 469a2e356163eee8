import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dataUrl, encodePng } from './png-encode.js';
import { decodePng, pixelAt } from './test-support/decode-png.js';

describe('encodePng', () => {
  it('writes gray, RGB and RGBA images that an independent decoder reads back exactly', () => {
    const gray = encodePng(3, 2, 1, new Uint8Array([0, 128, 255, 10, 20, 30]));
    const g = decodePng(gray);
    expect([g.width, g.height]).toEqual([3, 2]);
    expect(pixelAt(g, 1, 0)).toEqual([128, 128, 128, 255]);
    expect(pixelAt(g, 2, 1)).toEqual([30, 30, 30, 255]);
    const rgb = decodePng(encodePng(2, 1, 3, new Uint8Array([255, 0, 0, 0, 0, 255])));
    expect(pixelAt(rgb, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(pixelAt(rgb, 1, 0)).toEqual([0, 0, 255, 255]);
    const rgba = decodePng(encodePng(1, 1, 4, new Uint8Array([1, 2, 3, 4])));
    expect(pixelAt(rgba, 0, 0)).toEqual([1, 2, 3, 4]);
  });

  it('splits data over 64 KiB into several stored blocks that zlib accepts (checksum included)', () => {
    const w = 200;
    const h = 150; // 200 * 3 + 1 bytes a row, 90 150 in all: two blocks
    const px = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7) % 251);
    const png = encodePng(w, h, 3, px);
    const d = decodePng(png); // inflateSync checks the Adler-32
    expect(pixelAt(d, 199, 149).slice(0, 3)).toEqual([...px.subarray(px.length - 3)]);
    expect(() => inflateSync(Buffer.from([0x78, 0x01, 1, 0, 0, 0xff, 0xff, 0, 0, 0, 0]))).toThrow(); // sanity: a bad checksum is caught
  });

  it('refuses a pixel buffer of the wrong size', () => {
    expect(() => encodePng(2, 2, 3, new Uint8Array(5))).toThrow(
      'encodePng: 2x2 pixels of 3 channels need 12 bytes, got 5',
    );
  });

  it('makes base64 data URLs', () => {
    expect(dataUrl('image/png', new Uint8Array([1, 2, 3]))).toBe('data:image/png;base64,AQID');
  });
});
