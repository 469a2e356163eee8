import { noGrad } from '../../autograd/grad-mode.js';
import { where } from '../../ops/binary.js';
import {
  bool,
  int,
  num,
  oneOf,
  onlyDefault,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  str,
} from '../../signature/signature.js';
import { arange } from '../../tensor/creation.js';
import { tidy } from '../../tensor/scope.js';
import { fmtShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { embedding } from '../functional/layers.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { empty } from './empty.js';

/**
 * PyTorch's nn.Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None,
 * norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None, device=None, dtype=None).
 * max_norm, scale_grad_by_freq and sparse are accepted at their defaults only; norm_type only
 * matters with max_norm.
 */
const EMBEDDING = signature('Embedding', [
  req('numEmbeddings', int),
  req('embeddingDim', int),
  opt('paddingIdx', optional(int)),
  opt('maxNorm', onlyDefault(null, 'maxNorm (renormalising looked-up rows in place) is not supported')),
  opt('normType', num),
  opt('scaleGradByFreq', onlyDefault(false, 'scaling gradients by word frequency is not supported')),
  opt('sparse', onlyDefault(false, 'sparse gradients are not supported; the weight gets a dense gradient')),
  opt(
    '_weight',
    optional((v) => (v instanceof Tensor ? null : 'a Tensor')),
  ),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
]);

/**
 * PyTorch's nn.Embedding.from_pretrained(embeddings, freeze=True, padding_idx=None,
 * max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False).
 */
const FROM_PRETRAINED = signature('Embedding.fromPretrained', [
  req('embeddings', (v) => (v instanceof Tensor ? null : 'a Tensor')),
  opt('freeze', bool),
  opt('paddingIdx', optional(int)),
  opt('maxNorm', onlyDefault(null, 'maxNorm (renormalising looked-up rows in place) is not supported')),
  opt('normType', num),
  opt('scaleGradByFreq', onlyDefault(false, 'scaling gradients by word frequency is not supported')),
  opt('sparse', onlyDefault(false, 'sparse gradients are not supported; the weight gets a dense gradient')),
]);

/** Options of {@link Embedding.fromPretrained}. */
export interface EmbeddingFromPretrainedOptions {
  /** The weight does not require grad (default true). */
  freeze?: boolean;
  /** This row never receives a gradient (its values are kept as given). */
  paddingIdx?: number | null;
  /** Must be null (not supported). */
  maxNorm?: null;
  /** Default 2 (only used with maxNorm). */
  normType?: number;
  /** Must be false (not supported). */
  scaleGradByFreq?: false;
  /** Must be false (not supported). */
  sparse?: false;
}

/** Options of {@link Embedding}. */
export interface EmbeddingLayerOptions {
  /** This row starts at zero and never receives a gradient (a padding token). */
  paddingIdx?: number | null;
  /** Must be null (not supported). */
  maxNorm?: null;
  /** Default 2 (only used with maxNorm). */
  normType?: number;
  /** Must be false (not supported). */
  scaleGradByFreq?: false;
  /** Must be false (not supported). */
  sparse?: false;
  /** Use this `[numEmbeddings, embeddingDim]` tensor as the weight (shared, not copied or re-initialised). */
  _weight?: Tensor | null;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/**
 * `torch.nn.Embedding`: a lookup table of `numEmbeddings` vectors of size `embeddingDim`,
 * initialised from N(0, 1) (PyTorch's default). Input: int64 or int32 indices of any shape
 * `(∗)`; output `(∗, embeddingDim)`. The constructor throws for a paddingIdx outside
 * [−numEmbeddings, numEmbeddings).
 *
 * ```ts
 * const emb = new nn.Embedding(1000, 64, { paddingIdx: 0 });
 * emb.forward(tokens); // int64 [N, L] -> [N, L, 64]
 * ```
 */
export class Embedding extends Module {
  /** The learnable table `[numEmbeddings, embeddingDim]`. */
  weight: Parameter;
  /** The row that gets no gradient (made non-negative), or null. */
  readonly paddingIdx: number | null;

  /** Number of rows of the table (the size of the vocabulary). */
  readonly numEmbeddings: number;
  /** Size of each row. */
  readonly embeddingDim: number;

  constructor(
    numEmbeddings: number,
    embeddingDim: number,
    ...rest: PosOrOpts<
      [
        paddingIdx: number | null,
        maxNorm: null,
        normType: number,
        scaleGradByFreq: false,
        sparse: false,
        _weight: Tensor | null,
        device: string,
        dtype: 'float32' | 'float64',
      ],
      EmbeddingLayerOptions
    >
  ) {
    super();
    const opts = EMBEDDING.parse<EmbeddingLayerOptions & { numEmbeddings: number; embeddingDim: number }>([
      numEmbeddings,
      embeddingDim,
      ...rest,
    ]);
    numEmbeddings = opts.numEmbeddings;
    embeddingDim = opts.embeddingDim;
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad >= numEmbeddings || pad < -numEmbeddings) {
        throw new Error(`Embedding: paddingIdx must be within numEmbeddings (${numEmbeddings}), got ${pad}`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    const w = opts._weight ?? null;
    if (w !== null) {
      // PyTorch: Parameter(_weight), shared and not re-initialised.
      if (w.ndim !== 2 || w.shape[0] !== numEmbeddings || w.shape[1] !== embeddingDim) {
        throw new Error(
          `Embedding: Shape of weight does not match num_embeddings and embedding_dim (expected [${numEmbeddings}, ${embeddingDim}], got ${fmtShape(w.shape)})`,
        );
      }
      this.weight = new Parameter(w);
      return;
    }
    this.weight = Parameter._adopt(empty([numEmbeddings, embeddingDim], opts));
    this.resetParameters();
  }

  /**
   * An Embedding whose weight is `embeddings` `[num, dim]` (shared, not copied; the padding row
   * keeps its values), frozen unless `freeze` is false. PyTorch's order:
   * `(embeddings, freeze, paddingIdx, maxNorm, normType, scaleGradByFreq, sparse)`.
   *
   * ```ts
   * const emb = nn.Embedding.fromPretrained(vectors, { freeze: false, paddingIdx: 0 });
   * ```
   */
  static fromPretrained(
    embeddings: Tensor,
    ...rest: PosOrOpts<
      [
        freeze: boolean,
        paddingIdx: number | null,
        maxNorm: null,
        normType: number,
        scaleGradByFreq: false,
        sparse: false,
      ],
      EmbeddingFromPretrainedOptions
    >
  ): Embedding {
    const o = FROM_PRETRAINED.parse<EmbeddingFromPretrainedOptions & { embeddings: Tensor }>([
      embeddings,
      ...rest,
    ]);
    const w = o.embeddings;
    if (w.ndim !== 2) {
      throw new Error(
        `Embedding.fromPretrained: Embeddings parameter is expected to be 2-dimensional, got ${fmtShape(w.shape)}`,
      );
    }
    const e = new Embedding(w.shape[0], w.shape[1], {
      _weight: w,
      paddingIdx: o.paddingIdx ?? null,
      normType: o.normType,
    });
    e.weight.requiresGrad_(!(o.freeze ?? true));
    return e;
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
