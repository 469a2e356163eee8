// TransformerDecoderLayer and TransformerDecoder with PyTorch 1.13's children (self_attn,
// multihead_attn, linear1, dropout, linear2, norm1..3, dropout1..3; layers.N) so state dicts match.
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
import type { Tensor } from '../../tensor/tensor.js';
import { ModuleList } from '../containers.js';
import { Module } from '../module.js';
import { MultiheadAttention } from './attention.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { LayerNorm } from './norm.js';
import { cloneLayer, resolveActivation, type TransformerEncoderLayerOptions } from './transformer.js';

/**
 * PyTorch's nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1,
 * activation=relu, layer_norm_eps=1e-5, batch_first=False, norm_first=False, device=None, dtype=None).
 */
const TRANSFORMER_DECODER_LAYER = signature('TransformerDecoderLayer', [
  req('dModel', int),
  req('nhead', int),
  opt('dimFeedforward', int),
  opt('dropout', num),
  opt('activation', either(oneOf('relu', 'gelu'), fn)),
  opt('layerNormEps', num),
  opt('batchFirst', bool),
  opt('normFirst', bool),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
]);

/** PyTorch's nn.TransformerDecoder(decoder_layer, num_layers, norm=None). */
const TRANSFORMER_DECODER = signature('TransformerDecoder', [
  req('decoderLayer', (v) => (v instanceof TransformerDecoderLayer ? null : 'an nn.TransformerDecoderLayer')),
  req('numLayers', int),
  opt(
    'norm',
    optional((v) => (v instanceof Module ? null : 'an nn.Module')),
  ),
]);

// Both forwards take (tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
// memory_key_padding_mask), positionally or by name (PyTorch 1.13 has no tgt_is_causal).
const MASK = optional(tensor);
const FORWARD_PARAMS = [
  req('tgt', any),
  req('memory', any),
  opt('tgtMask', MASK),
  opt('memoryMask', MASK),
  opt('tgtKeyPaddingMask', MASK),
  opt('memoryKeyPaddingMask', MASK),
];
const DECODER_LAYER_FORWARD = signature('TransformerDecoderLayer.forward', FORWARD_PARAMS);
const DECODER_FORWARD = signature('TransformerDecoder.forward', FORWARD_PARAMS);

/** Options of {@link TransformerDecoderLayer} (the encoder layer's). */
export type TransformerDecoderLayerOptions = TransformerEncoderLayerOptions;

/** The masks of the decoder forwards (PyTorch's keyword arguments). */
export interface TransformerDecoderForwardOptions {
  /** `[T, T]` or `[B·nhead, T, T]` on the target's self-attention: bool true = masked, or an additive float mask. */
  tgtMask?: Tensor | null;
  /** `[T, S]` or `[B·nhead, T, S]` on the attention to the memory. */
  memoryMask?: Tensor | null;
  /** `[B, T]`: bool true = padding target position (or additive float). */
  tgtKeyPaddingMask?: Tensor | null;
  /** `[B, S]`: bool true = padding memory position (or additive float). */
  memoryKeyPaddingMask?: Tensor | null;
}

/** The positional masks of the decoder forwards, in PyTorch's order. */
export type DecoderMasks = [
  tgtMask: Tensor | null,
  memoryMask: Tensor | null,
  tgtKeyPaddingMask: Tensor | null,
  memoryKeyPaddingMask: Tensor | null,
];

/**
 * One transformer decoder block (PyTorch's `nn.TransformerDecoderLayer`): self-attention on
 * the target, attention to the encoder's `memory`, and a feed-forward network, each with a
 * residual connection and LayerNorm (post-norm by default, pre-norm with `normFirst`). The
 * constructor throws as {@link MultiheadAttention}'s (dModel divisible by nhead) and for an
 * unknown activation.
 *
 * ```ts
 * const layer = new nn.TransformerDecoderLayer(512, 8, { batchFirst: true });
 * const y = layer.forward(tgt, memory, nn.Transformer.generateSquareSubsequentMask(tgt.shape[1]));
 * ```
 */
export class TransformerDecoderLayer extends Module {
  /** Self-attention on the target (dModel, nhead). */
  self_attn: MultiheadAttention;
  /** Attention from the target to the encoder's memory (dModel, nhead). */
  multihead_attn: MultiheadAttention;
  /** First feed-forward projection, dModel → dimFeedforward. */
  linear1: Linear;
  /** Dropout inside the feed-forward block (after the activation). */
  dropout: Dropout;
  /** Second feed-forward projection, dimFeedforward → dModel. */
  linear2: Linear;
  /** Pre-norm (true) or post-norm (false). */
  readonly normFirst: boolean;
  /** LayerNorm of the self-attention block. */
  norm1: LayerNorm;
  /** LayerNorm of the memory-attention block. */
  norm2: LayerNorm;
  /** LayerNorm of the feed-forward block. */
  norm3: LayerNorm;
  /** Dropout on the self-attention output, before the residual sum. */
  dropout1: Dropout;
  /** Dropout on the memory-attention output, before the residual sum. */
  dropout2: Dropout;
  /** Dropout on the feed-forward output, before the residual sum. */
  dropout3: Dropout;
  /** The feed-forward activation. */
  declare readonly activation: (x: Tensor) => Tensor;
  /** @internal The arguments it was built with (for {@link TransformerDecoder}'s copies). */
  declare readonly _args: [number, number, TransformerDecoderLayerOptions];

  constructor(
    dModel: number,
    nhead: number,
    ...rest: PosOrOpts<
      [
        dimFeedforward: number,
        dropout: number,
        activation: 'relu' | 'gelu' | ((x: Tensor) => Tensor),
        layerNormEps: number,
        batchFirst: boolean,
        normFirst: boolean,
        device: string,
        dtype: 'float32' | 'float64',
      ],
      TransformerDecoderLayerOptions
    >
  ) {
    super();
    const {
      dModel: d,
      nhead: h,
      ...opts
    } = TRANSFORMER_DECODER_LAYER.parse<TransformerDecoderLayerOptions & { dModel: number; nhead: number }>([
      dModel,
      nhead,
      ...rest,
    ]);
    Object.defineProperty(this, '_args', { value: [d, h, { ...opts }], enumerable: false });
    const p = opts.dropout ?? 0.1;
    const ff = opts.dimFeedforward ?? 2048;
    const t = { dtype: opts.dtype, device: opts.device };
    const eps = opts.layerNormEps ?? 1e-5;
    this.self_attn = new MultiheadAttention(d, h, { ...t, dropout: p, batchFirst: opts.batchFirst });
    this.multihead_attn = new MultiheadAttention(d, h, { ...t, dropout: p, batchFirst: opts.batchFirst });
    this.linear1 = new Linear(d, ff, t);
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, d, t);
    this.normFirst = opts.normFirst ?? false;
    this.norm1 = new LayerNorm(d, { ...t, eps });
    this.norm2 = new LayerNorm(d, { ...t, eps });
    this.norm3 = new LayerNorm(d, { ...t, eps });
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    this.dropout3 = new Dropout(p);
    Object.defineProperty(this, 'activation', {
      value: resolveActivation('TransformerDecoderLayer', opts.activation),
      enumerable: false,
    });
  }

  private _sa(x: Tensor, mask: Tensor | null | undefined, pad: Tensor | null | undefined): Tensor {
    const [y] = this.self_attn.forward(x, x, x, { attnMask: mask, keyPaddingMask: pad, needWeights: false });
    return this.dropout1.forward(y);
  }

  private _mha(
    x: Tensor,
    mem: Tensor,
    mask: Tensor | null | undefined,
    pad: Tensor | null | undefined,
  ): Tensor {
    const [y] = this.multihead_attn.forward(x, mem, mem, {
      attnMask: mask,
      keyPaddingMask: pad,
      needWeights: false,
    });
    return this.dropout2.forward(y);
  }

  private _ff(x: Tensor): Tensor {
    const h = this.dropout.forward(this.activation(this.linear1.forward(x)));
    return this.dropout3.forward(this.linear2.forward(h));
  }

  /**
   * `tgt` `[T, B, E]` (`[B, T, E]` with batchFirst, or unbatched `[T, E]`) attending to `memory`
   * `[S, B, E]` → the shape of `tgt`. Masks positionally in PyTorch's order or by name.
   */
  override forward(
    tgt: Tensor,
    memory: Tensor,
    ...rest: PosOrOpts<DecoderMasks, TransformerDecoderForwardOptions>
  ): Tensor {
    const o = DECODER_LAYER_FORWARD.parse<TransformerDecoderForwardOptions>([tgt, memory, ...rest]);
    let x = tgt;
    if (this.normFirst) {
      x = x.add(this._sa(this.norm1.forward(x), o.tgtMask, o.tgtKeyPaddingMask));
      x = x.add(this._mha(this.norm2.forward(x), memory, o.memoryMask, o.memoryKeyPaddingMask));
      return x.add(this._ff(this.norm3.forward(x)));
    }
    x = this.norm1.forward(x.add(this._sa(x, o.tgtMask, o.tgtKeyPaddingMask)));
    x = this.norm2.forward(x.add(this._mha(x, memory, o.memoryMask, o.memoryKeyPaddingMask)));
    return this.norm3.forward(x.add(this._ff(x)));
  }
}

/** Options of {@link TransformerDecoder}. */
export interface TransformerDecoderOptions {
  /** Applied to the output of the last layer. */
  norm?: Module | null;
}

/**
 * `torch.nn.TransformerDecoder`: a stack of `numLayers` copies of `decoderLayer` (each with its
 * own copy of the weights, as PyTorch's deepcopy; state-dict keys `layers.0.…`), then the
 * optional `norm`. `(decoderLayer, numLayers, norm)` as PyTorch's. Input and output as
 * {@link TransformerDecoderLayer}'s forward; the constructor throws unless numLayers is a
 * positive integer.
 *
 * ```ts
 * const dec = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(64, 4), 6);
 * const y = dec.forward(tgt, memory, { tgtMask: nn.Transformer.generateSquareSubsequentMask(tgt.shape[0]) });
 * ```
 */
export class TransformerDecoder extends Module {
  /** The {@link TransformerDecoderLayer} copies, run in order. */
  layers: ModuleList;
  /** Applied to the last layer's output, or null. */
  norm: Module | null;
  /** Number of layers. */
  readonly numLayers: number;

  constructor(
    decoderLayer: TransformerDecoderLayer,
    numLayers: number,
    ...rest: PosOrOpts<[norm: Module | null], TransformerDecoderOptions>
  ) {
    super();
    const o = TRANSFORMER_DECODER.parse<
      TransformerDecoderOptions & { decoderLayer: TransformerDecoderLayer; numLayers: number }
    >([decoderLayer, numLayers, ...rest]);
    if (!Number.isInteger(o.numLayers) || o.numLayers < 1) {
      throw new Error(`TransformerDecoder: numLayers must be a positive integer, got ${o.numLayers}`);
    }
    const layer = o.decoderLayer;
    const [d, h, a] = layer._args;
    const copies: TransformerDecoderLayer[] = [];
    for (let i = 0; i < o.numLayers; i++)
      copies.push(cloneLayer(layer, () => new TransformerDecoderLayer(d, h, a)));
    this.layers = new ModuleList(copies);
    this.norm = o.norm ?? null;
    this.numLayers = o.numLayers;
  }

  /** Runs every layer with the same memory and masks, then `norm`. */
  override forward(
    tgt: Tensor,
    memory: Tensor,
    ...rest: PosOrOpts<DecoderMasks, TransformerDecoderForwardOptions>
  ): Tensor {
    const o = DECODER_FORWARD.parse<TransformerDecoderForwardOptions>([tgt, memory, ...rest]);
    const masks = {
      tgtMask: o.tgtMask,
      memoryMask: o.memoryMask,
      tgtKeyPaddingMask: o.tgtKeyPaddingMask,
      memoryKeyPaddingMask: o.memoryKeyPaddingMask,
    };
    let x = tgt;
    for (const layer of this.layers) x = (layer as TransformerDecoderLayer).forward(x, memory, masks);
    return this.norm ? this.norm.forward(x) : x;
  }
}
