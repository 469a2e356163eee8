// nn.Transformer (PyTorch 1.13): an encoder stack and a decoder stack, each ending in a
// LayerNorm, with PyTorch's children (encoder.layers.N…, encoder.norm, decoder.…).
import {
  any,
  bool,
  either,
  fn,
  int,
  num,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  str,
  tensor,
} from '../../signature/signature.js';
import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { generateSquareSubsequentMask } from '../functional/attention.js';
import { xavierUniform_ } from '../init.js';
import { Module } from '../module.js';
import { LayerNorm } from './norm.js';
import { TransformerEncoder, TransformerEncoderLayer } from './transformer.js';
import { TransformerDecoder, TransformerDecoderLayer } from './transformer-decoder.js';

const MODULE = optional((v) => (v instanceof Module ? null : 'an nn.Module'));
/**
 * PyTorch's nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
 * dim_feedforward=2048, dropout=0.1, activation=relu, custom_encoder=None, custom_decoder=None,
 * layer_norm_eps=1e-5, batch_first=False, norm_first=False, device=None, dtype=None).
 */
const TRANSFORMER = signature('Transformer', [
  opt('dModel', int),
  opt('nhead', int),
  opt('numEncoderLayers', int),
  opt('numDecoderLayers', int),
  opt('dimFeedforward', int),
  opt('dropout', num),
  opt('activation', either(oneOf('relu', 'gelu'), fn)),
  opt('customEncoder', MODULE),
  opt('customDecoder', MODULE),
  opt('layerNormEps', num),
  opt('batchFirst', bool),
  opt('normFirst', bool),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
]);
const MASK = optional(tensor);
const TRANSFORMER_FORWARD = signature('Transformer.forward', [
  req('src', any),
  req('tgt', any),
  opt('srcMask', MASK),
  opt('tgtMask', MASK),
  opt('memoryMask', MASK),
  opt('srcKeyPaddingMask', MASK),
  opt('tgtKeyPaddingMask', MASK),
  opt('memoryKeyPaddingMask', MASK),
]);

/** Options of {@link Transformer} (PyTorch's keyword arguments). */
export interface TransformerOptions {
  /** Model width (default 512). */
  dModel?: number;
  /** Attention heads (default 8). */
  nhead?: number;
  /** Encoder layers (default 6). */
  numEncoderLayers?: number;
  /** Decoder layers (default 6). */
  numDecoderLayers?: number;
  /** Hidden size of the feed-forward blocks (default 2048). */
  dimFeedforward?: number;
  /** Dropout everywhere (default 0.1). */
  dropout?: number;
  /** Feed-forward activation (default 'relu'). */
  activation?: 'relu' | 'gelu' | ((x: Tensor) => Tensor);
  /** Used instead of the built encoder stack (called as `forward(src, { mask, srcKeyPaddingMask })`). */
  customEncoder?: Module | null;
  /** Used instead of the built decoder stack (called as `forward(tgt, memory, masks)`). */
  customDecoder?: Module | null;
  /** LayerNorm eps (default 1e-5). */
  layerNormEps?: number;
  /** Inputs and output are `[B, T, E]` (default false: `[T, B, E]`). */
  batchFirst?: boolean;
  /** Pre-norm layers (default false). */
  normFirst?: boolean;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/** The masks of {@link Transformer.forward} (PyTorch's keyword arguments). */
export interface TransformerForwardOptions {
  /** `[S, S]` on the encoder's self-attention (bool true = masked, or additive float). */
  srcMask?: Tensor | null;
  /** `[T, T]` on the decoder's self-attention (e.g. {@link Transformer.generateSquareSubsequentMask}). */
  tgtMask?: Tensor | null;
  /** `[T, S]` on the decoder's attention to the memory. */
  memoryMask?: Tensor | null;
  /** `[B, S]`: bool true = padding source position. */
  srcKeyPaddingMask?: Tensor | null;
  /** `[B, T]`: bool true = padding target position. */
  tgtKeyPaddingMask?: Tensor | null;
  /** `[B, S]`: bool true = padding memory position (usually srcKeyPaddingMask). */
  memoryKeyPaddingMask?: Tensor | null;
}

type Masks = [
  srcMask: Tensor | null,
  tgtMask: Tensor | null,
  memoryMask: Tensor | null,
  srcKeyPaddingMask: Tensor | null,
  tgtKeyPaddingMask: Tensor | null,
  memoryKeyPaddingMask: Tensor | null,
];

/**
 * The encoder–decoder transformer of "Attention Is All You Need" (PyTorch's `nn.Transformer`):
 * `forward(src, tgt, masks)` encodes `src` and decodes `tgt` attending to it. Every weight
 * matrix is re-initialised with xavierUniform_, as PyTorch's.
 *
 * ```ts
 * const model = new nn.Transformer({ dModel: 64, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, batchFirst: true });
 * const out = model.forward(src, tgt, { tgtMask: nn.Transformer.generateSquareSubsequentMask(tgt.shape[1]) });
 * ```
 */
export class Transformer extends Module {
  /** The encoder: a {@link TransformerEncoder} with a final LayerNorm, or customEncoder. */
  encoder: Module;
  /** The decoder: a {@link TransformerDecoder} with a final LayerNorm, or customDecoder. */
  decoder: Module;
  /** Model width E: the last dim of src, tgt and the output. */
  readonly dModel: number;
  /** Number of attention heads. */
  readonly nhead: number;
  /** Inputs and output are `[B, T, E]` instead of `[T, B, E]`. */
  readonly batchFirst: boolean;

  constructor(
    ...args: PosOrOpts<
      [
        dModel: number,
        nhead: number,
        numEncoderLayers: number,
        numDecoderLayers: number,
        dimFeedforward: number,
        dropout: number,
        activation: 'relu' | 'gelu' | ((x: Tensor) => Tensor),
        customEncoder: Module | null,
        customDecoder: Module | null,
        layerNormEps: number,
        batchFirst: boolean,
        normFirst: boolean,
        device: string,
        dtype: 'float32' | 'float64',
      ],
      TransformerOptions
    >
  ) {
    super();
    const o = TRANSFORMER.parse<TransformerOptions>(args);
    const dModel = o.dModel ?? 512;
    const nhead = o.nhead ?? 8;
    const t = { dtype: o.dtype, device: o.device };
    const eps = o.layerNormEps ?? 1e-5;
    const layerOpts = {
      dimFeedforward: o.dimFeedforward,
      dropout: o.dropout,
      activation: o.activation,
      layerNormEps: o.layerNormEps,
      batchFirst: o.batchFirst,
      normFirst: o.normFirst,
      ...t,
    };
    // The stacks hold copies of the template layers; the templates' weights are freed at once.
    const stack = (template: Module, build: (m: Module) => Module): Module => {
      const built = build(template);
      for (const p of template.parameters()) p.dispose();
      return built;
    };
    this.encoder =
      o.customEncoder ??
      stack(
        new TransformerEncoderLayer(dModel, nhead, layerOpts),
        (layer) =>
          new TransformerEncoder(
            layer as TransformerEncoderLayer,
            o.numEncoderLayers ?? 6,
            new LayerNorm(dModel, { ...t, eps }),
          ),
      );
    this.decoder =
      o.customDecoder ??
      stack(
        new TransformerDecoderLayer(dModel, nhead, layerOpts),
        (layer) =>
          new TransformerDecoder(
            layer as TransformerDecoderLayer,
            o.numDecoderLayers ?? 6,
            new LayerNorm(dModel, { ...t, eps }),
          ),
      );
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = o.batchFirst ?? false;
  }

  /**
   * `src` `[S, B, E]` and `tgt` `[T, B, E]` (`[B, ·, E]` with batchFirst, or unbatched
   * `[·, E]`) → `[T, B, E]`. Masks positionally in PyTorch's order or by name.
   */
  override forward(src: Tensor, tgt: Tensor, ...rest: PosOrOpts<Masks, TransformerForwardOptions>): Tensor {
    const o = TRANSFORMER_FORWARD.parse<TransformerForwardOptions>([src, tgt, ...rest]);
    const batched = src.ndim === 3;
    const bDim = this.batchFirst ? 0 : 1;
    if (batched && src.shape[bDim] !== tgt.shape[bDim]) {
      throw new Error(
        `Transformer: the batch number of src and tgt must be equal (src ${fmtShape(src.shape)}, tgt ${fmtShape(tgt.shape)}${this.batchFirst ? ', batchFirst' : ''})`,
      );
    }
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new Error(
        `Transformer: the feature number of src and tgt must be equal to d_model ${this.dModel} (src ${fmtShape(src.shape)}, tgt ${fmtShape(tgt.shape)})`,
      );
    }
    const memory = this.encoder.forward(src, { mask: o.srcMask, srcKeyPaddingMask: o.srcKeyPaddingMask });
    return this.decoder.forward(tgt, memory, {
      tgtMask: o.tgtMask,
      memoryMask: o.memoryMask,
      tgtKeyPaddingMask: o.tgtKeyPaddingMask,
      memoryKeyPaddingMask: o.memoryKeyPaddingMask,
    });
  }

  /** A float `[n, n]` mask, -Infinity above the diagonal (PyTorch's static method). */
  static generateSquareSubsequentMask(
    sz: number,
    opts: { dtype?: 'float32' | 'float64'; device?: string } = {},
  ): Tensor {
    return generateSquareSubsequentMask(sz, opts);
  }
}
