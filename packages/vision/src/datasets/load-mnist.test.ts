import '@proj/backend-cpu';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFashionClass, readFashion } from './fashion.js';
import { loadMnist } from './load-mnist.js';

describe('loadMnist', () => {
  it('reads the real MNIST test images with labels 0..9', () => {
    const { images, labels } = loadMnist('t10k', { limit: 100 });
    expect(images.shape).toEqual([100, 1, 28, 28]);
    const ys = labels.toArray() as number[];
    expect(Math.min(...ys)).toBe(0);
    expect(Math.max(...ys)).toBe(9);
    // MNIST's first test image is a 7.
    expect(ys[0]).toBe(7);
    images.dispose();
    labels.dispose();
  });

  it('splits the per-class Fashion-MNIST files into interleaved train and test sets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fashion-'));
    // Image i of class c has every pixel set to 10c + i, so we can tell where it came from.
    for (let c = 0; c < 10; c++) {
      const rows = Array.from({ length: 7 }, (_, i) => new Array(784).fill(10 * c + i));
      writeFileSync(join(dir, `${c}.json`), JSON.stringify({ data: rows }));
    }
    const test = readFashion('t10k', dir, { train: 5, test: 2 });
    expect(test.count).toBe(20);
    const seen: number[] = [];
    for (let i = 0; i < test.count; i++) {
      const v = test.pixels[i * 784];
      expect(Math.floor(v / 10)).toBe(test.labels[i]);
      expect(v % 10).toBeGreaterThanOrEqual(5);
      seen.push(v);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10 }, (_, c) => [10 * c + 5, 10 * c + 6]).flat(),
    );
    // a seeded shuffle mixes the classes
    expect(Array.from(test.labels)).not.toEqual([...test.labels].sort((a, b) => a - b));
    expect(() => readFashion('t10k', dir, { train: 6, test: 2 })).toThrow(/has 7 images, need 8/);
    expect(() => parseFashionClass('{"data":[[1,2]]}', 'x.json')).toThrow(
      /x.json image 0 has 2 values, expected 784/,
    );
    expect(() => parseFashionClass('{"data":[[1,2.5]]}', 'x.json')).toThrow(
      /image 0 value 1 is not an integer 0..255/,
    );
    expect(() => parseFashionClass('{"data":[[256]]}', 'x.json')).toThrow(/value 0 is not an integer 0..255/);
    expect(() => parseFashionClass('{"pixels":[]}', 'x.json')).toThrow(/x.json has no 'data' array/);
    // the package's empty separator rows are skipped, other rows kept in order
    const row = Array.from({ length: 784 }, (_, i) => i % 256);
    const rows = parseFashionClass(JSON.stringify({ data: [row, [], row.map((v) => 255 - v)] }, null, 1));
    expect(rows).toHaveLength(2);
    expect(Array.from(rows[0])).toEqual(row);
    expect(rows[1][0]).toBe(255);
  });
});
