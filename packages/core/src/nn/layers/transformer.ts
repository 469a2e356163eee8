// TransformerEncoderLayer and TransformerEncoder with PyTorch's children (self_attn, linear1,
// dropout, linear2, norm1, norm2, dropout1, dropout2; layers.N) so state dicts match.
import {
  any,
  bool,
  either,
  ext,
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
import { defaultGenerator } from '../../tensor/random.js';
import { tidy } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';
import { ModuleList } from '../containers.js';
import { gelu, relu } from '../functional/activations.js';
import { Module } from '../module.js';
import { MultiheadAttention } from './attention.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { LayerNorm } from './norm.js';

/**
 * PyTorch's nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1,
 * activation=relu, layer_norm_eps=1e-5, batch_first=False, norm_first=False, device=None,
 * dtype=None).
 */
const TRANSFORMER_ENCODER_LAYER = signature('TransformerEncoderLayer', [
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

/**
 * PyTorch's nn.TransformerEncoder(encoder_layer, num_layers, norm=None,
 * enable_nested_tensor=True, mask_check=True). The last two only select PyTorch's nested-tensor
 * fast path (inference with a padding mask); they are accepted and this always computes the
 * regular path.
 */
const TRANSFORMER_ENCODER = signature('TransformerEncoder', [
  req('encoderLayer', (v) => (v instanceof TransformerEncoderLayer ? null : 'an nn.TransformerEncoderLayer')),
  req('numLayers', int),
  opt(
    'norm',
    optional((v) => (v instanceof Module ? null : 'an nn.Module')),
  ),
  opt('enableNestedTensor', bool),
  opt('maskCheck', bool),
]);

// The forwards take PyTorch 1.13's positional masks too (`layer(x, mask)`); isCausal is ours
// (PyTorch 2's), by name only.
const MASK = optional(tensor);
const ENCODER_LAYER_FORWARD = signature('TransformerEncoderLayer.forward', [
  req('src', any),
  opt('srcMask', MASK),
  opt('srcKeyPaddingMask', MASK),
  ext('isCausal', bool),
]);
const ENCODER_FORWARD = signature('TransformerEncoder.forward', [
  req('src', any),
  opt('mask', MASK),
  opt('srcKeyPaddingMask', MASK),
  ext('isCausal', bool),
]);

/** Options of {@link TransformerEncoderLayer}. */
export interface TransformerEncoderLayerOptions {
  /** Hidden size of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout in attention, feed-forward and residual branches (default 0.1). */
  dropout?: number;
  /** Feed-forward activation (default 'relu'); a function is used as is. */
  activation?: 'relu' | 'gelu' | ((x: Tensor) => Tensor);
  /** LayerNorm eps (default 1e-5). */
  layerNormEps?: number;
  /** Input and output are `[B, T, E]` instead of `[T, B, E]` (default false). */
  batchFirst?: boolean;
  /** Pre-norm: x + sa(norm1(x)), then x + ff(norm2(x)) (default false: post-norm). */
  normFirst?: boolean;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/** Options of the encoder forwards (PyTorch's keyword arguments). */
export interface TransformerEncoderLayerForwardOptions {
  /** `[T, T]` or `[B·nhead, T, T]`: bool true = not allowed; a float mask is added. */
  srcMask?: Tensor | null;
  /** `[B, T]`: bool true = padding, ignored as a key. */
  srcKeyPaddingMask?: Tensor | null;
  /** Causal self-attention (with srcMask only a hint; without, a causal mask is built). */
  isCausal?: boolean;
}

/** @internal The feed-forward activation of a transformer layer: 'relu' (default), 'gelu' or a function. */
export function resolveActivation(
  name: string,
  act: 'relu' | 'gelu' | ((x: Tensor) => Tensor) | undefined,
): (x: Tensor) => Tensor {
  const a = act ?? 'relu';
  if (a !== 'relu' && a !== 'gelu' && typeof a !== 'function') {
    throw new Error(`${name}: activation should be relu/gelu or a function, not ${String(a)}`);
  }
  return a === 'relu' ? relu : a === 'gelu' ? (x: Tensor) => gelu(x) : a;
}

/**
 * One transformer encoder block (PyTorch's `nn.TransformerEncoderLayer`): self-attention and
 * a feed-forward network, each with a residual connection and LayerNorm (post-norm by
 * default, pre-norm with `normFirst`). The constructor throws as {@link MultiheadAttention}'s
 * (dModel divisible by nhead) and for an unknown activation.
 *
 * ```ts
 * const layer = new nn.TransformerEncoderLayer(512, 8, { batchFirst: true });
 * const y = layer.forward(x, { srcKeyPaddingMask: pad }); // x [B, T, 512]
 * ```
 */
export class TransformerEncoderLayer extends Module {
  /** The self-attention block (dModel, nhead). */
  self_attn: MultiheadAttention;
  /** First feed-forward projection, dModel → dimFeedforward. */
  linear1: Linear;
  /** Dropout inside the feed-forward block (after the activation). */
  dropout: Dropout;
  /** Second feed-forward projection, dimFeedforward → dModel. */
  linear2: Linear;
  /** LayerNorm of the self-attention block. */
  norm1: LayerNorm;
  /** LayerNorm of the feed-forward block. */
  norm2: LayerNorm;
  /** Dropout on the self-attention output, before the residual sum. */
  dropout1: Dropout;
  /** Dropout on the feed-forward output, before the residual sum. */
  dropout2: Dropout;
  /** Pre-norm (true) or post-norm (false). */
  readonly normFirst: boolean;
  /** @internal The arguments it was built with (for {@link TransformerEncoder}'s copies). */
  declare readonly _args: [number, number, TransformerEncoderLayerOptions];

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
      TransformerEncoderLayerOptions
    >
  ) {
    super();
    const {
      dModel: d,
      nhead: h,
      ...given
    } = TRANSFORMER_ENCODER_LAYER.parse<TransformerEncoderLayerOptions & { dModel: number; nhead: number }>([
      dModel,
      nhead,
      ...rest,
    ]);
    dModel = d;
    nhead = h;
    const opts: TransformerEncoderLayerOptions = given;
    Object.defineProperty(this, '_args', { value: [dModel, nhead, { ...opts }], enumerable: false });
    const p = opts.dropout ?? 0.1;
    const ff = opts.dimFeedforward ?? 2048;
    const t = { dtype: opts.dtype, device: opts.device };
    const eps = opts.layerNormEps ?? 1e-5;
    this.self_attn = new MultiheadAttention(dModel, nhead, { ...t, dropout: p, batchFirst: opts.batchFirst });
    this.linear1 = new Linear(dModel, ff, t);
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, dModel, t);
    this.normFirst = opts.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, { ...t, eps });
    this.norm2 = new LayerNorm(dModel, { ...t, eps });
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    Object.defineProperty(this, 'activation', {
      value: resolveActivation('TransformerEncoderLayer', opts.activation),
      enumerable: false,
    });
  }

  /** The feed-forward activation. */
  declare readonly activation: (x: Tensor) => Tensor;

  private _sa(x: Tensor, opts: TransformerEncoderLayerForwardOptions): Tensor {
    const [y] = this.self_attn.forward(x, x, x, {
      attnMask: opts.srcMask,
      keyPaddingMask: opts.srcKeyPaddingMask,
      isCausal: opts.isCausal,
      needWeights: false,
    });
    return this.dropout1.forward(y);
  }

  private _ff(x: Tensor): Tensor {
    const h = this.dropout.forward(this.activation(this.linear1.forward(x)));
    return this.dropout2.forward(this.linear2.forward(h));
  }

  /** `src` `[T, B, E]` (`[B, T, E]` with batchFirst, or unbatched `[T, E]`) → same shape. */
  override forward(
    src: Tensor,
    ...rest: PosOrOpts<
      [srcMask: Tensor | null, srcKeyPaddingMask: Tensor | null],
      TransformerEncoderLayerForwardOptions
    >
  ): Tensor {
    const opts = ENCODER_LAYER_FORWARD.parse<TransformerEncoderLayerForwardOptions>([src, ...rest]);
    let x = src;
    if (this.normFirst) {
      x = x.add(this._sa(this.norm1.forward(x), opts));
      return x.add(this._ff(this.norm2.forward(x)));
    }
    x = this.norm1.forward(x.add(this._sa(x, opts)));
    return this.norm2.forward(x.add(this._ff(x)));
  }
}

/** Options of {@link TransformerEncoder}. */
export interface TransformerEncoderOptions {
  /** Applied to the output of the last layer (e.g. a LayerNorm for pre-norm stacks). */
  norm?: Module | null;
  /** PyTorch's nested-tensor fast path switch: accepted, no effect here (default true). */
  enableNestedTensor?: boolean;
  /** PyTorch's mask check for the nested-tensor fast path: accepted, no effect here (default true). */
  maskCheck?: boolean;
}

/** Options of {@link TransformerEncoder.forward}. */
export interface TransformerEncoderForwardOptions {
  /** Attention mask passed to every layer (see {@link TransformerEncoderLayerForwardOptions}). */
  mask?: Tensor | null;
  /** `[B, T]`: bool true = padding, ignored as a key (passed to every layer). */
  srcKeyPaddingMask?: Tensor | null;
  /** Causal self-attention in every layer (with mask only a hint; without, a causal mask is built). */
  isCausal?: boolean;
}

/**
 * `torch.nn.TransformerEncoder`: a stack of `numLayers` copies of `encoderLayer` (each with its
 * own copy of the weights, as PyTorch's deepcopy; state-dict keys `layers.0.…`), then the
 * optional `norm`. Input and output `[T, B, E]` (`[B, T, E]` with the layer's batchFirst). The
 * constructor throws unless numLayers is a positive integer.
 *
 * ```ts
 * const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(64, 4), 6);
 * const y = enc.forward(x, { mask: nn.generateSquareSubsequentMask(x.shape[0]) });
 * ```
 */
export class TransformerEncoder extends Module {
  /** The {@link TransformerEncoderLayer} copies, run in order. */
  layers: ModuleList;
  /** Applied to the last layer's output, or null. */
  norm: Module | null;
  /** Number of layers. */
  readonly numLayers: number;

  constructor(
    encoderLayer: TransformerEncoderLayer,
    numLayers: number,
    ...rest: PosOrOpts<
      [norm: Module | null, enableNestedTensor: boolean, maskCheck: boolean],
      TransformerEncoderOptions
    >
  ) {
    super();
    const opts = TRANSFORMER_ENCODER.parse<
      TransformerEncoderOptions & { encoderLayer: TransformerEncoderLayer; numLayers: number }
    >([encoderLayer, numLayers, ...rest]);
    encoderLayer = opts.encoderLayer;
    numLayers = opts.numLayers;
    if (!(encoderLayer instanceof TransformerEncoderLayer)) {
      throw new Error('TransformerEncoder: encoderLayer must be an nn.TransformerEncoderLayer');
    }
    if (!Number.isInteger(numLayers) || numLayers < 1) {
      throw new Error(`TransformerEncoder: numLayers must be a positive integer, got ${numLayers}`);
    }
    const copies: TransformerEncoderLayer[] = [];
    for (let i = 0; i < numLayers; i++) copies.push(copyLayer(encoderLayer));
    this.layers = new ModuleList(copies);
    this.norm = opts.norm ?? null;
    this.numLayers = numLayers;
  }

  /** Runs `src` through every layer (same masks for each), then `norm`; output of src's shape. */
  override forward(
    src: Tensor,
    ...rest: PosOrOpts<
      [mask: Tensor | null, srcKeyPaddingMask: Tensor | null],
      TransformerEncoderForwardOptions
    >
  ): Tensor {
    const opts = ENCODER_FORWARD.parse<TransformerEncoderForwardOptions>([src, ...rest]);
    let x = src;
    const layerOpts = {
      srcMask: opts.mask,
      srcKeyPaddingMask: opts.srcKeyPaddingMask,
      isCausal: opts.isCausal,
    };
    for (const layer of this.layers) x = (layer as TransformerEncoderLayer).forward(x, layerOpts);
    return this.norm ? this.norm.forward(x) : x;
  }
}

/**
 * @internal A copy of `layer` with its own parameters holding the same values (PyTorch's
 * deepcopy in `_get_clones`): rebuilt by `make` (from the layer's constructor arguments), then
 * given the layer's state, device, dtype and training mode.
 */
export function cloneLayer<M extends Module>(layer: M, make: () => M): M {
  // Building the copy draws init values; restore the generator so copying consumes no randomness.
  const state = defaultGenerator.getState();
  const copy = make();
  defaultGenerator.setState(state);
  const p0 = layer.parameters()[0];
  copy.to(p0.device, p0.dtype);
  tidy(() => {
    copy.loadStateDict(layer.stateDict());
  });
  copy.train(layer.training);
  return copy;
}

/** A copy of an encoder layer (see {@link cloneLayer}). */
function copyLayer(layer: TransformerEncoderLayer): TransformerEncoderLayer {
  const [d, h, o] = layer._args;
  return cloneLayer(layer, () => new TransformerEncoderLayer(d, h, o));
}
