import { describe, expect, it } from 'vitest';
import { Image } from '../image.js';
import { decodeJpeg, encodeJpeg } from './jpeg.js';
import { decodePng, encodePng } from './png.js';
import { decodeImage } from './read-image.js';

const rgb = new Image(
  3,
  2,
  'RGB',
  Uint8Array.from({ length: 18 }, (_, i) => i * 14),
);

describe('image files', () => {
  it('PNG round-trips RGB and grayscale (which decodes as RGB, as PIL convert("RGB"))', () => {
    expect(decodePng(encodePng(rgb))).toEqual(rgb);
    const gray = new Image(2, 2, 'L', new Uint8Array([0, 90, 180, 255]));
    expect(decodePng(encodePng(gray))).toEqual(gray.convert('RGB'));
  });

  it('JPEG decodes close to what was encoded (lossy)', () => {
    const flat = new Image(
      8,
      8,
      'RGB',
      new Uint8Array(192).fill(0).map((_, i) => [200, 120, 40][i % 3]),
    );
    const back = decodeJpeg(encodeJpeg(flat, 100));
    expect([back.width, back.height, back.mode]).toEqual([8, 8, 'RGB']);
    expect(Math.max(...back.data.map((v, i) => Math.abs(v - flat.data[i])))).toBeLessThanOrEqual(3);
  });

  it('tells formats apart by content and refuses damaged or other files, naming them', () => {
    expect(decodeImage(encodePng(rgb), 'a.jpg')).toEqual(rgb); // content, not the name, decides
    expect(() => decodeImage(new Uint8Array([0x42, 0x4d, 1, 2]), 'x.bmp')).toThrow(
      /decodeImage: x.bmp is neither PNG nor JPEG \(it starts with 42 4d 01 02\)/,
    );
    expect(() => decodeImage(new Uint8Array(0), 'e.png')).toThrow(
      /e.png is neither PNG nor JPEG \(it starts with nothing: the file is empty\)/,
    );
    const png = encodePng(rgb);
    expect(() => decodePng(png.subarray(0, png.length - 20), 'cut.png')).toThrow(
      /decodePng: cut.png is not a readable PNG file/,
    );
    const jpg = encodeJpeg(rgb);
    expect(() => decodeJpeg(jpg.subarray(0, jpg.length / 2), 'cut.jpg')).toThrow(
      /decodeJpeg: cut.jpg is not a readable JPEG file/,
    );
  });
});
