/** An IDX array (the MNIST file format): unsigned-byte data with its dimensions. */
export interface IdxArray {
  /** The size of each dimension. */
  dims: number[];
  /** The elements, row-major (a view of the file's bytes). */
  data: Uint8Array;
}

const UBYTE = 0x08;

/**
 * Parses an IDX file: two zero bytes, a type byte (0x08 = unsigned byte, the only one MNIST
 * uses), a dimension count, big-endian u32 sizes, then the data row-major. `name` labels the
 * file in errors. The data is a view of `bytes`, not a copy.
 *
 * @throws Error if the header is short or lacks the magic number, the element type is not
 * unsigned byte, or the data does not hold exactly the elements the dims declare.
 *
 * @example
 * ```ts
 * const { dims, data } = parseIdx(bytes, 't10k-images-idx3-ubyte'); // dims [10000, 28, 28]
 * ```
 */
export function parseIdx(bytes: Uint8Array, name = 'idx'): IdxArray {
  if (bytes.length < 4)
    throw new Error(`parseIdx: ${name} is ${bytes.length} bytes, too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0) throw new Error(`parseIdx: ${name} does not start with an IDX magic number`);
  const type = bytes[2];
  if (type !== UBYTE)
    throw new Error(
      `parseIdx: ${name} has element type 0x${type.toString(16)}; only unsigned byte (0x08) is supported`,
    );
  const ndim = bytes[3];
  const headerLen = 4 + 4 * ndim;
  if (bytes.length < headerLen)
    throw new Error(`parseIdx: ${name} header needs ${headerLen} bytes, file has ${bytes.length}`);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i));
  const n = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - headerLen !== n) {
    throw new Error(
      `parseIdx: ${name} declares ${n} elements (dims ${dims.join('x')}) but holds ${bytes.length - headerLen}`,
    );
  }
  return { dims, data: bytes.subarray(headerLen) };
}
