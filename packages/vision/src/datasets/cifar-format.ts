// The CIFAR-10 binary format (cifar-10-batches-bin): records of 1 label byte and 3,072 pixel
// bytes, the 1,024 red values of the 32x32 image row by row, then green, then blue.

/** Bytes per CIFAR-10 record: 1 label + 3 x 32 x 32 pixels. */
export const CIFAR_RECORD_BYTES = 1 + 3 * 32 * 32;

/** torchvision's `CIFAR10.classes`, in label order. */
export const CIFAR10_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

/** One CIFAR-10 batch file decoded: images as [N, 32, 32, 3] bytes (torchvision's HWC `data`) and labels. */
export interface CifarBatch {
  /** N · 32 · 32 · 3 bytes, each image row-major with R, G, B interleaved. */
  pixels: Uint8Array;
  /** One label 0..9 per image. */
  labels: Uint8Array;
  /** The number of images. */
  count: number;
}

/**
 * Decodes a CIFAR-10 binary batch (`data_batch_1.bin` … `test_batch.bin`), refusing a size
 * that is not a whole number of records and labels above 9, naming `name` in the error.
 */
export function parseCifarBatch(bytes: Uint8Array, name = 'CIFAR-10 batch'): CifarBatch {
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD_BYTES !== 0) {
    throw new Error(
      `parseCifarBatch: ${name} is ${bytes.length} bytes, not a whole number of ${CIFAR_RECORD_BYTES}-byte records (1 label + 3072 pixels); is it the binary version (cifar-10-batches-bin)?`,
    );
  }
  const count = bytes.length / CIFAR_RECORD_BYTES;
  const pixels = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const rec = k * CIFAR_RECORD_BYTES;
    const label = bytes[rec];
    if (label > 9)
      throw new Error(`parseCifarBatch: record ${k} of ${name} has label ${label}, expected 0..9`);
    labels[k] = label;
    const out = k * 3072;
    for (let p = 0; p < 1024; p++) {
      pixels[out + 3 * p] = bytes[rec + 1 + p];
      pixels[out + 3 * p + 1] = bytes[rec + 1 + 1024 + p];
      pixels[out + 3 * p + 2] = bytes[rec + 1 + 2048 + p];
    }
  }
  return { pixels, labels, count };
}
