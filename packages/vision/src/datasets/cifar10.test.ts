import '@proj/backend-cpu';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '../test-support/fixtures.js';
import { CIFAR_RECORD_BYTES, parseCifarBatch } from './cifar-format.js';
import { CIFAR10 } from './cifar10.js';

/** A record whose red plane is all `r`, green all `g`, blue the pixel index mod 256. */
function record(label: number, r: number, g: number): Uint8Array {
  const out = new Uint8Array(CIFAR_RECORD_BYTES);
  out[0] = label;
  out.fill(r, 1, 1025);
  out.fill(g, 1025, 2049);
  for (let p = 0; p < 1024; p++) out[2049 + p] = p % 256;
  return out;
}

const batch = (...recs: Uint8Array[]) => Buffer.concat(recs);

describe('CIFAR10', () => {
  const root = mkdtempSync(join(tmpdir(), 'cifar-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'cifar-10-batches-bin');
  mkdirSync(dir);
  for (let k = 1; k <= 5; k++)
    writeFileSync(join(dir, `data_batch_${k}.bin`), batch(record(k, 10 * k, 1), record(9, 0, 2)));
  writeFileSync(join(dir, 'test_batch.bin'), batch(record(3, 200, 100)));

  it('reads the five training batches in order, as RGB 32x32 Images', () => {
    const ds = new CIFAR10(root);
    expect(ds.length).toBe(10);
    expect(ds.targets).toEqual([1, 9, 2, 9, 3, 9, 4, 9, 5, 9]);
    expect(ds.classes[ds.targets[0]]).toBe('automobile');
    expect(ds.classToIdx.truck).toBe(9);
    const [img, label] = ds.getItem(2);
    expect([img.width, img.height, img.mode, label]).toEqual([32, 32, 'RGB', 2]);
    // pixel 1 (row 0, column 1): R = 20, G = 1, B = 1
    expect(Array.from(img.data.subarray(3, 6))).toEqual([20, 1, 1]);
    expectNoLeak(() => {
      expect(ds.data.shape).toEqual([10, 32, 32, 3]);
      ds.data.dispose();
    });
  });

  it('reads the test batch, also straight from the batches folder', () => {
    const test = new CIFAR10(dir, { train: false, transform: (img) => img.data[0] });
    expect(test.length).toBe(1);
    expect(test.getItem(0)).toEqual([200, 3]);
  });

  it('refuses missing files, a size that is not whole records and labels above 9', () => {
    const empty = mkdtempSync(join(tmpdir(), 'cifar-empty-'));
    expect(() => new CIFAR10(empty, { download: true })).toThrow(
      /CIFAR10: data_batch_1.bin, .* not found in .*cifar-10-batches-bin; nothing is downloaded here: extract the binary version/,
    );
    rmSync(empty, { recursive: true });
    expect(() => parseCifarBatch(new Uint8Array(3073 + 5), 'b.bin')).toThrow(
      /b.bin is 3078 bytes, not a whole number of 3073-byte records/,
    );
    expect(() => parseCifarBatch(record(10, 0, 0), 'b.bin')).toThrow(
      /record 0 of b.bin has label 10, expected 0..9/,
    );
  });
});
