// Tests only (excluded from the build): an independent PNG reader, so a test checks the bytes
// resvg or our encoder wrote rather than trusting the writer's own view of its pixels. pngjs
// would do, but it is not a dependency of this package (see README, "Tests").
import { inflateSync } from 'node:zlib';

/** A decoded PNG: RGBA pixels, row-major. */
export interface DecodedPng {
  width: number;
  height: number;
  /** 4 bytes per pixel. */
  rgba: Uint8Array;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Decodes a non-interlaced 8-bit PNG of colour type 0 (gray), 2 (RGB) or 6 (RGBA), checking the
 * signature and every chunk's CRC; throws on anything else.
 */
export function decodePng(bytes: Uint8Array): DecodedPng {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!sig.every((b, i) => bytes[i] === b)) throw new Error('decodePng: not a PNG signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Uint8Array[] = [];
  for (let o = 8; o < bytes.length; ) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    const data = bytes.subarray(o + 8, o + 8 + len);
    if (crc32(bytes.subarray(o + 4, o + 8 + len)) !== view.getUint32(o + 8 + len)) {
      throw new Error(`decodePng: bad CRC in chunk ${type}`);
    }
    if (type === 'IHDR') {
      width = view.getUint32(o + 8);
      height = view.getUint32(o + 12);
      colorType = data[9];
      if (data[8] !== 8 || data[12] !== 0) throw new Error('decodePng: only 8-bit non-interlaced PNGs');
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    o += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 6: 4 }[colorType];
  if (channels === undefined) throw new Error(`decodePng: colour type ${colorType} not supported`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) throw new Error('decodePng: image data has the wrong length');
  const px = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? px[y * stride + x - channels] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter];
      if (pred === undefined) throw new Error(`decodePng: unknown filter ${filter}`);
      px[y * stride + x] = (v + pred) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = px.subarray(i * channels, (i + 1) * channels);
    rgba.set(channels === 1 ? [s[0], s[0], s[0], 255] : channels === 3 ? [s[0], s[1], s[2], 255] : s, i * 4);
  }
  return { width, height, rgba };
}

/** The RGBA of pixel (x, y). */
export function pixelAt(png: DecodedPng, x: number, y: number): [number, number, number, number] {
  const i = (y * png.width + x) * 4;
  return [png.rgba[i], png.rgba[i + 1], png.rgba[i + 2], png.rgba[i + 3]];
}

/** How many pixels of the rectangle [x0, x1) x [y0, y1) are dark (every channel < 128, opaque). */
export function darkPixels(png: DecodedPng, x0 = 0, y0 = 0, x1 = png.width, y1 = png.height): number {
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const [r, g, b, a] = pixelAt(png, x, y);
      if (a > 128 && r < 128 && g < 128 && b < 128) n++;
    }
  }
  return n;
}
