import { noGrad } from '../../autograd/grad-mode.js';
import { where } from '../../ops/binary.js';
import { arange } from '../../tensor/creation.js';
import { tidy } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';
import { embedding } from '../functional/layers.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { empty } from './empty.js';

/** Options of {@link Embedding}. */
export interface EmbeddingLayerOptions {
  /** This row starts at zero and never receives a gradient (a padding token). */
  paddingIdx?: number | null;
  dtype?: 'float32' | 'float64';
  device?: string;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, initialised from
 * N(0, 1) (PyTorch's default). Input: int32 indices of any shape.
 */
export class Embedding extends Module {
  weight: Parameter;
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    opts: EmbeddingLayerOptions = {},
  ) {
    super();
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad >= numEmbeddings || pad < -numEmbeddings) {
        throw new Error(`Embedding: paddingIdx must be within numEmbeddings (${numEmbeddings}), got ${pad}`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    this.weight = Parameter._adopt(empty([numEmbeddings, embeddingDim], opts));
    this.resetParameters();
  }

  /** Re-draws the table from N(0, 1) and zeroes the padding row. */
  resetParameters(): void {
    this.weight.normal_(0, 1);
    const pad = this.paddingIdx;
    if (pad === null) return;
    const w = this.weight;
    tidy(() =>
      noGrad(() =>
        w.copy_(where(arange(0, this.numEmbeddings, 1, { device: w.device }).ne(pad).unsqueeze(1), w, 0)),
      ),
    );
  }

  override forward(input: Tensor): Tensor {
    return embedding(input, this.weight, { paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ''}`;
  }
}
