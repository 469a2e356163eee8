// nn.EmbeddingBag (PyTorch 1.13): a lookup table whose rows are reduced per bag (sum, mean or
// max) without materialising the per-index embeddings as a [B, N, dim] tensor.
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
import { type EmbeddingBagMode, embeddingBag } from '../functional/embedding-bag.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { empty } from './empty.js';

const TENSOR = optional((v) => (v instanceof Tensor ? null : 'a Tensor'));
const MAX_NORM = onlyDefault(null, 'maxNorm (renormalising looked-up rows in place) is not supported');
const SCALE = onlyDefault(false, 'scaling gradients by word frequency is not supported');
const SPARSE = onlyDefault(false, 'sparse gradients are not supported; the weight gets a dense gradient');
const MODE = oneOf('sum', 'mean', 'max');

/**
 * PyTorch's nn.EmbeddingBag(num_embeddings, embedding_dim, max_norm=None, norm_type=2.0,
 * scale_grad_by_freq=False, mode='mean', sparse=False, _weight=None, include_last_offset=False,
 * padding_idx=None, device=None, dtype=None).
 */
const EMBEDDING_BAG = signature('EmbeddingBag', [
  req('numEmbeddings', int),
  req('embeddingDim', int),
  opt('maxNorm', MAX_NORM),
  opt('normType', num),
  opt('scaleGradByFreq', SCALE),
  opt('mode', MODE),
  opt('sparse', SPARSE),
  opt('_weight', TENSOR),
  opt('includeLastOffset', bool),
  opt('paddingIdx', optional(int)),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
]);
/** PyTorch's EmbeddingBag.from_pretrained(embeddings, freeze=True, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, mode='mean', sparse=False, include_last_offset=False, padding_idx=None). */
const FROM_PRETRAINED = signature('EmbeddingBag.fromPretrained', [
  req('embeddings', (v) => (v instanceof Tensor ? null : 'a Tensor')),
  opt('freeze', bool),
  opt('maxNorm', MAX_NORM),
  opt('normType', num),
  opt('scaleGradByFreq', SCALE),
  opt('mode', MODE),
  opt('sparse', SPARSE),
  opt('includeLastOffset', bool),
  opt('paddingIdx', optional(int)),
]);
const FORWARD = signature('EmbeddingBag.forward', [
  req('input', (v) => (v instanceof Tensor ? null : 'a Tensor')),
  opt('offsets', TENSOR),
  opt('perSampleWeights', TENSOR),
]);

/** Options of {@link EmbeddingBag} (PyTorch's keyword arguments). */
export interface EmbeddingBagLayerOptions {
  /** Must be null (not supported). */
  maxNorm?: null;
  /** Default 2 (only used with maxNorm). */
  normType?: number;
  /** Must be false (not supported). */
  scaleGradByFreq?: false;
  /** 'sum', 'mean' (default) or 'max'. */
  mode?: EmbeddingBagMode;
  /** Must be false (not supported). */
  sparse?: false;
  /** Use this `[numEmbeddings, embeddingDim]` tensor as the weight (shared, not re-initialised). */
  _weight?: Tensor | null;
  /** Offsets have B + 1 entries, the last the end of the last bag (default false). */
  includeLastOffset?: boolean;
  /** Entries equal to it are left out of their bag; its row starts at zero and gets no gradient. */
  paddingIdx?: number | null;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/** Options of {@link EmbeddingBag.fromPretrained}. */
export interface EmbeddingBagFromPretrainedOptions
  extends Omit<EmbeddingBagLayerOptions, '_weight' | 'dtype' | 'device'> {
  /** The weight does not require grad (default true). */
  freeze?: boolean;
}

/** Options of {@link EmbeddingBag.forward}. */
export interface EmbeddingBagForwardOptions {
  /**
   * With 1-D input: the start of each bag in it, `[B]` (or `[B + 1]` with includeLastOffset); null for 2-D
   * input.
   */
  offsets?: Tensor | null;
  /** Weights of the input's shape that scale each looked-up row (mode `'sum'` only); null: all 1. */
  perSampleWeights?: Tensor | null;
}

/**
 * `torch.nn.EmbeddingBag`: a table of `numEmbeddings` vectors of size `embeddingDim` (N(0, 1)
 * as PyTorch's) whose looked-up rows are summed, averaged or max-reduced per bag:
 * `forward(input, offsets?, perSampleWeights?)` takes `[B, N]` indices (B bags of N) or 1-D
 * indices with `offsets` → `[B, embeddingDim]`.
 *
 * ```ts
 * const bag = new nn.EmbeddingBag(10, 3, { mode: 'sum' });
 * const y = bag.forward(tensor([1, 2, 4, 5, 4, 3, 2, 9], { dtype: 'int64' }), tensor([0, 4], { dtype: 'int64' }));
 * ```
 */
export class EmbeddingBag extends Module {
  /** The learnable table `[numEmbeddings, embeddingDim]`. */
  weight: Parameter;
  /** Number of rows of the table. */
  readonly numEmbeddings: number;
  /** Size of each row. */
  readonly embeddingDim: number;
  /** How a bag's rows are reduced: `'sum'`, `'mean'` or `'max'`. */
  readonly mode: EmbeddingBagMode;
  /** Offsets have B + 1 entries, the last the end of the last bag. */
  readonly includeLastOffset: boolean;
  /** Index left out of its bag (made non-negative), or null. */
  readonly paddingIdx: number | null;

  constructor(
    numEmbeddings: number,
    embeddingDim: number,
    ...rest: PosOrOpts<
      [
        maxNorm: null,
        normType: number,
        scaleGradByFreq: false,
        mode: EmbeddingBagMode,
        sparse: false,
        _weight: Tensor | null,
        includeLastOffset: boolean,
        paddingIdx: number | null,
        device: string,
        dtype: 'float32' | 'float64',
      ],
      EmbeddingBagLayerOptions
    >
  ) {
    super();
    const o = EMBEDDING_BAG.parse<EmbeddingBagLayerOptions & { numEmbeddings: number; embeddingDim: number }>(
      [numEmbeddings, embeddingDim, ...rest],
    );
    const n = o.numEmbeddings;
    const d = o.embeddingDim;
    this.numEmbeddings = n;
    this.embeddingDim = d;
    this.mode = o.mode ?? 'mean';
    this.includeLastOffset = o.includeLastOffset ?? false;
    let pad = o.paddingIdx ?? null;
    if (pad !== null) {
      if (pad >= n || pad < -n)
        throw new Error(`EmbeddingBag: paddingIdx must be within num_embeddings (${n}), got ${pad}`);
      if (pad < 0) pad += n;
    }
    this.paddingIdx = pad;
    const w = o._weight ?? null;
    if (w !== null) {
      if (w.ndim !== 2 || w.shape[0] !== n || w.shape[1] !== d) {
        throw new Error(
          `EmbeddingBag: Shape of weight does not match num_embeddings and embedding_dim (expected [${n}, ${d}], got ${fmtShape(w.shape)})`,
        );
      }
      this.weight = new Parameter(w);
      return;
    }
    this.weight = Parameter._adopt(empty([n, d], o));
    this.resetParameters();
  }

  /**
   * An EmbeddingBag whose weight is `embeddings` (shared), frozen unless `freeze` is false.
   * `(embeddings, freeze, maxNorm, normType, scaleGradByFreq, mode, sparse, includeLastOffset,
   * paddingIdx)` as PyTorch's.
   */
  static fromPretrained(
    embeddings: Tensor,
    ...rest: PosOrOpts<
      [
        freeze: boolean,
        maxNorm: null,
        normType: number,
        scaleGradByFreq: false,
        mode: EmbeddingBagMode,
        sparse: false,
        includeLastOffset: boolean,
        paddingIdx: number | null,
      ],
      EmbeddingBagFromPretrainedOptions
    >
  ): EmbeddingBag {
    const {
      embeddings: w,
      freeze,
      ...o
    } = FROM_PRETRAINED.parse<EmbeddingBagFromPretrainedOptions & { embeddings: Tensor }>([
      embeddings,
      ...rest,
    ]);
    if (w.ndim !== 2) {
      throw new Error(
        `EmbeddingBag.fromPretrained: Embeddings parameter is expected to be 2-dimensional, got ${fmtShape(w.shape)}`,
      );
    }
    const bag = new EmbeddingBag(w.shape[0], w.shape[1], { ...o, _weight: w });
    bag.weight.requiresGrad_(!(freeze ?? true));
    return bag;
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

  /** `(input, offsets, perSampleWeights)` as PyTorch's forward. */
  override forward(
    input: Tensor,
    ...rest: PosOrOpts<[offsets: Tensor | null, perSampleWeights: Tensor | null], EmbeddingBagForwardOptions>
  ): Tensor {
    const o = FORWARD.parse<EmbeddingBagForwardOptions & { input: Tensor }>([input, ...rest]);
    return embeddingBag(o.input, this.weight, {
      offsets: o.offsets,
      mode: this.mode,
      perSampleWeights: o.perSampleWeights,
      includeLastOffset: this.includeLastOffset,
      paddingIdx: this.paddingIdx,
    });
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}, mode=${this.mode}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    return s;
  }
}
