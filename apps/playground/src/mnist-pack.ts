// The playground's data file: a subset of MNIST as raw bytes behind a small header, gzipped.
// scripts/pack-mnist.ts writes it at build time (the page cannot read node_modules); the page
// fetches it from its own origin and decodes it here.

/** Images and labels of one split: `count` images of `rows x cols` bytes (0 = background, 255 = ink). */
export interface MnistSplitBytes {
  count: number;
  pixels: Uint8Array;
  labels: Uint8Array;
}

/** A decoded pack. */
export interface MnistPack {
  rows: number;
  cols: number;
  train: MnistSplitBytes;
  test: MnistSplitBytes;
}

const MAGIC = 0x4b504e4d; // 'MNPK' read as a little-endian u32
const VERSION = 1;
/** magic, version, rows, cols, train count, test count: six little-endian u32. */
const HEADER_BYTES = 24;

/** The file name the page fetches (relative to the app's base URL) and the build script writes. */
export const PACK_FILE = 'mnist-subset.mnpk';

/**
 * Lays out a pack: header, train pixels, train labels, test pixels, test labels (uncompressed;
 * the build script gzips it).
 */
export function encodePack(pack: MnistPack): Uint8Array {
  const px = pack.rows * pack.cols;
  for (const [name, s] of [
    ['train', pack.train],
    ['test', pack.test],
  ] as const) {
    if (s.pixels.length !== s.count * px || s.labels.length !== s.count) {
      throw new Error(
        `encodePack: ${name} has ${s.count} images of ${pack.rows}x${pack.cols} but ${s.pixels.length} pixel bytes and ${s.labels.length} labels`,
      );
    }
  }
  const out = new Uint8Array(HEADER_BYTES + (pack.train.count + pack.test.count) * (px + 1));
  const head = new DataView(out.buffer);
  const fields = [MAGIC, VERSION, pack.rows, pack.cols, pack.train.count, pack.test.count];
  for (const [i, v] of fields.entries()) head.setUint32(4 * i, v, true);
  let at = HEADER_BYTES;
  for (const part of [pack.train.pixels, pack.train.labels, pack.test.pixels, pack.test.labels]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Reads a pack written by {@link encodePack}; the arrays are views into `bytes`. */
export function decodePack(bytes: Uint8Array): MnistPack {
  if (bytes.length < HEADER_BYTES) {
    throw new Error(`decodePack: ${bytes.length} bytes is too short for the ${HEADER_BYTES}-byte header`);
  }
  const head = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const [magic, version, rows, cols, nTrain, nTest] = Array.from({ length: 6 }, (_, i) =>
    head.getUint32(4 * i, true),
  );
  if (magic !== MAGIC) throw new Error(`decodePack: not an MNIST pack (magic 0x${magic.toString(16)})`);
  if (version !== VERSION) throw new Error(`decodePack: pack version ${version}, this page reads ${VERSION}`);
  const px = rows * cols;
  const want = HEADER_BYTES + (nTrain + nTest) * (px + 1);
  if (bytes.length !== want) {
    throw new Error(
      `decodePack: header declares ${nTrain} + ${nTest} images of ${rows}x${cols} (${want} bytes), file has ${bytes.length}`,
    );
  }
  let at = HEADER_BYTES;
  const take = (n: number) => {
    const v = bytes.subarray(at, at + n);
    at += n;
    return v;
  };
  const train = { count: nTrain, pixels: take(nTrain * px), labels: take(nTrain) };
  const test = { count: nTest, pixels: take(nTest * px), labels: take(nTest) };
  return { rows, cols, train, test };
}

/** True when `bytes` starts with gzip's magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Fetches and decodes the pack at `url`. The file is gzipped; a server that already sent it
 * with `Content-Encoding: gzip` hands over the plain bytes, which are read as they are.
 */
export async function fetchPack(url: string): Promise<MnistPack> {
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(
      `fetchPack: GET ${url} answered ${res.status} ${res.statusText} (run \`pnpm --filter @proj/playground data\` to write it)`,
    );
  }
  let bytes = new Uint8Array(await res.arrayBuffer());
  if (isGzip(bytes)) {
    const plain = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    bytes = new Uint8Array(await new Response(plain).arrayBuffer());
  }
  return decodePack(bytes);
}
