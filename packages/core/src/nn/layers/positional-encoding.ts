import { fromArray } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import { Dropout } from './dropout.js';

/** Options of {@link PositionalEncoding}. */
export interface PositionalEncodingOptions {
  /** Dropout after adding the encoding, in training (default 0.1). */
  dropout?: number;
  /** Longest sequence supported (default 5000). */
  maxLen?: number;
  /** Input is `[B, T, dModel]` instead of `[T, B, dModel]` (default false). */
  batchFirst?: boolean;
  /** Dtype of the `pe` table: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the `pe` table is created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/**
 * Adds the sinusoidal position encoding of "Attention Is All You Need" and applies dropout,
 * as the PyTorch transformer tutorial's module (not part of PyTorch itself):
 * pe[pos, 2i] = sin(pos / 10000^(2i/dModel)), pe[pos, 2i+1] = cos(…). The table is the
 * registered buffer `pe` of shape `[maxLen, 1, dModel]`, like the tutorial's. The constructor
 * throws unless dModel and maxLen are positive integers; forward throws for input that is not
 * `[T, B, dModel]` (`[B, T, dModel]` with batchFirst) or longer than maxLen.
 *
 * ```ts
 * const pos = new nn.PositionalEncoding(512, { dropout: 0.1 });
 * const y = pos.forward(x); // x [T, B, 512]
 * ```
 */
export class PositionalEncoding extends Module {
  /** The dropout applied after adding the encoding. */
  dropout: Dropout;
  /** Features of each position (the last dim of the input). */
  readonly dModel: number;
  /** Longest sequence supported. */
  readonly maxLen: number;
  /** Input is `[B, T, dModel]` instead of `[T, B, dModel]`. */
  readonly batchFirst: boolean;
  /** Buffer: the encoding table `[maxLen, 1, dModel]`. */
  declare readonly pe: Tensor;

  constructor(dModel: number, opts: PositionalEncodingOptions = {}) {
    super();
    const maxLen = opts.maxLen ?? 5000;
    for (const [n, v] of [
      ['dModel', dModel],
      ['maxLen', maxLen],
    ] as const) {
      if (!Number.isInteger(v) || v < 1)
        throw new Error(`PositionalEncoding: ${n} must be a positive integer, got ${v}`);
    }
    this.dModel = dModel;
    this.maxLen = maxLen;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = new Dropout(opts.dropout ?? 0.1);
    const dtype = opts.dtype ?? 'float32';
    const pe = dtype === 'float64' ? new Float64Array(maxLen * dModel) : new Float32Array(maxLen * dModel);
    const k = -Math.log(10000) / dModel;
    for (let i = 0; i < dModel; i += 2) {
      const div = Math.exp(i * k);
      for (let pos = 0; pos < maxLen; pos++) {
        pe[pos * dModel + i] = Math.sin(pos * div);
        if (i + 1 < dModel) pe[pos * dModel + i + 1] = Math.cos(pos * div);
      }
    }
    this.registerBuffer(
      'pe',
      fromArray('PositionalEncoding', pe, [maxLen, 1, dModel], dtype, { device: opts.device }),
    );
  }

  /** `x` `[T, B, dModel]` (or `[B, T, dModel]` with batchFirst) → x + pe[:T], then dropout. */
  override forward(x: Tensor): Tensor {
    const tDim = this.batchFirst ? 1 : 0;
    if (x?.ndim !== 3 || x.shape[2] !== this.dModel) {
      throw new Error(
        `PositionalEncoding: expected input [${this.batchFirst ? 'B, T' : 'T, B'}, ${this.dModel}], got [${x?.shape?.join(', ')}]`,
      );
    }
    const T = x.shape[tDim];
    if (T > this.maxLen) {
      throw new Error(`PositionalEncoding: sequence length ${T} exceeds maxLen ${this.maxLen}`);
    }
    const pe = this.pe.narrow(0, 0, T);
    return this.dropout.forward(x.add(this.batchFirst ? pe.transpose(0, 1) : pe));
  }
}
