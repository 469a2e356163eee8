import type { DataArray, DType } from '@proj/core';
import type { GpuTexture } from './gpujs.js';

/**
 * The storage handle of a gpujs tensor: a gpu.js texture (WebGL modes) or a Float32Array (the
 * CPU fallback) holding `n` values as float32, one per texel in the red channel, laid out by
 * gpu.js as a near-square 2-D texture. int32, int64, uint8 and bool values are stored as exact floats, so
 * integers are exact up to 2^24. Empty tensors have no texture.
 */
export class GpuData {
  private deleted = false;

  constructor(
    readonly data: GpuTexture | Float32Array | null,
    readonly n: number,
    readonly dtype: DType,
  ) {}

  /** Bytes held on the device: RGBA float32 texels of the texture (4 bytes per value on CPU). */
  get bytes(): number {
    const d = this.data;
    if (d === null) return 0;
    if (d instanceof Float32Array) return d.byteLength;
    return d.size[0] * d.size[1] * 16;
  }

  /** Whether this handle owns a GL texture. */
  get isTexture(): boolean {
    return this.data !== null && !(this.data instanceof Float32Array);
  }

  /** A second handle on the same values (gpu.js counts references on the GL texture). */
  share(dtype: DType = this.dtype): GpuData {
    const d = this.data;
    if (d === null || d instanceof Float32Array) return new GpuData(d, this.n, dtype);
    return new GpuData(d.clone(), this.n, dtype);
  }

  /** The kernel argument for this tensor. */
  get arg(): unknown {
    return this.data;
  }

  /** Frees the texture (once). */
  delete(): void {
    if (this.deleted) return;
    this.deleted = true;
    const d = this.data;
    if (d !== null && !(d instanceof Float32Array)) d.delete();
  }

  /** Downloads the values as float32 (a fresh array). */
  readFloats(): Float32Array {
    const d = this.data;
    if (d === null) return new Float32Array(0);
    if (d instanceof Float32Array) return d.slice(0, this.n);
    const raw = d.renderRawOutput();
    const out = new Float32Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = raw[4 * i];
    return out;
  }

  /** Downloads the values in their dtype's array (a BigInt64Array for int64). */
  read(): DataArray {
    const f = this.readFloats();
    switch (this.dtype) {
      case 'int32':
        return Int32Array.from(f, (v) => Math.round(v));
      case 'int64':
        return BigInt64Array.from(f, (v) => BigInt(Math.round(v)));
      case 'uint8':
        return Uint8Array.from(f, (v) => Math.round(v));
      case 'bool':
        return Uint8Array.from(f, (v) => (v !== 0 ? 1 : 0));
      default:
        return f;
    }
  }
}
