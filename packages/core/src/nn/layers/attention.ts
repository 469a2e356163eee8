// nn.MultiheadAttention with PyTorch's parameters (in_proj_weight [3E, E] or q/k/v_proj_weight
// when kdim/vdim differ, in_proj_bias, out_proj) and mask semantics.
import { noGrad } from '../../autograd/grad-mode.js';
import {
  any,
  bool,
  ext,
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
  tensor,
} from '../../signature/signature.js';
import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { attentionWeights, boolMaskToAdditive, causalAllowed } from '../functional/attention.js';
import { dropout, linear } from '../functional/layers.js';
import { xavierUniform_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { empty } from './empty.js';
import { Linear, type LinearOptions } from './linear.js';

/** PyTorch's NonDynamicallyQuantizableLinear(in_features, out_features, bias=True, device=None, dtype=None). */
const NDQ_LINEAR = signature('NonDynamicallyQuantizableLinear', [
  req('inFeatures', int),
  req('outFeatures', int),
  opt('bias', bool),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
]);

/**
 * PyTorch's nn.MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True,
 * add_bias_kv=False, add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None,
 * dtype=None); add_bias_kv and add_zero_attn only at their defaults.
 */
const MULTIHEAD_ATTENTION = signature('MultiheadAttention', [
  req('embedDim', int),
  req('numHeads', int),
  opt('dropout', num),
  opt('bias', bool),
  opt('addBiasKv', onlyDefault(false, 'bias_k/bias_v (add_bias_kv) are not supported')),
  opt('addZeroAttn', onlyDefault(false, 'add_zero_attn is not supported')),
  opt('kdim', optional(int)),
  opt('vdim', optional(int)),
  opt('batchFirst', bool),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
]);

/**
 * PyTorch 1.13's MultiheadAttention.forward(query, key, value, key_padding_mask=None,
 * need_weights=True, attn_mask=None, average_attn_weights=True): the masks may come
 * positionally too; isCausal (PyTorch 2's) is ours, by name only.
 */
const MHA_FORWARD = signature('MultiheadAttention.forward', [
  req('query', any),
  req('key', any),
  req('value', any),
  opt('keyPaddingMask', optional(tensor)),
  opt('needWeights', bool),
  opt('attnMask', optional(tensor)),
  opt('averageAttnWeights', bool),
  ext('isCausal', bool),
]);

/**
 * `torch.nn.modules.linear.NonDynamicallyQuantizableLinear`: PyTorch's name for the output
 * projection of {@link MultiheadAttention}, a plain {@link Linear} (same arguments).
 */
export class NonDynamicallyQuantizableLinear extends Linear {
  constructor(
    inFeatures: number,
    outFeatures: number,
    ...rest: PosOrOpts<[bias: boolean, device: string, dtype: 'float32' | 'float64'], LinearOptions>
  ) {
    const o = NDQ_LINEAR.parse<LinearOptions & { inFeatures: number; outFeatures: number }>([
      inFeatures,
      outFeatures,
      ...rest,
    ]);
    super(o.inFeatures, o.outFeatures, { bias: o.bias, device: o.device, dtype: o.dtype });
  }
}

/** Options of {@link MultiheadAttention}. */
export interface MultiheadAttentionOptions {
  /** Dropout on the attention weights in training (default 0). */
  dropout?: number;
  /** Learn in_proj_bias and out_proj.bias (default true). */
  bias?: boolean;
  /** Inputs and output are `[B, L, E]` instead of `[L, B, E]` (default false). */
  batchFirst?: boolean;
  /** Must be false (not supported). */
  addBiasKv?: false;
  /** Must be false (not supported). */
  addZeroAttn?: false;
  /** Features of the keys (default embedDim). */
  kdim?: number | null;
  /** Features of the values (default embedDim). */
  vdim?: number | null;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/** Options of {@link MultiheadAttention.forward} (PyTorch's keyword arguments). */
export interface MultiheadAttentionForwardOptions {
  /** `[B, S]` (or `[S]` unbatched): bool true = ignore that key (padding); a float mask is added. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /**
   * `[L, S]` or `[B·numHeads, L, S]`: bool true = NOT allowed to attend (PyTorch's
   * nn.MultiheadAttention semantics); a float mask is added to the scores.
   */
  attnMask?: Tensor | null;
  /** Average the returned weights over heads (default true): `[B, L, S]`, else `[B, numHeads, L, S]`. */
  averageAttnWeights?: boolean;
  /** Causal attention. With attnMask it is only a hint (the mask is used); without, a causal mask is built. */
  isCausal?: boolean;
}

/**
 * `torch.nn.MultiheadAttention`: softmax(Q·Kᵀ/√d + mask)·V per head, heads concatenated and
 * projected by `out_proj`. State-dict keys and layouts are PyTorch's, so weights exported
 * from PyTorch load unchanged. `forward(query, key, value, opts)` returns
 * `[output, weights | null]`; a query whose keys are all masked gets zero weights.
 *
 * Shapes (N batch, L target length, S source length, E = embedDim): query `(L, N, E)`, key
 * `(S, N, kdim)`, value `(S, N, vdim)` (batch first with `batchFirst`; no N dim unbatched);
 * output like query; weights `(N, L, S)`, or `(N, numHeads, L, S)` without averaging.
 * The constructor throws unless embedDim is divisible by numHeads and dropout is in [0, 1].
 *
 * ```ts
 * const mha = new nn.MultiheadAttention(64, 8, { batchFirst: true });
 * const [y, w] = mha.forward(x, x, x, { keyPaddingMask: pad }); // y [B, L, 64], w [B, L, L]
 * ```
 */
export class MultiheadAttention extends Module {
  /**
   * The packed q, k and v projections `[3·embedDim, embedDim]`; null when kdim or vdim differ from
   * embedDim.
   */
  in_proj_weight: Parameter | null = null;
  /** The query projection `[embedDim, embedDim]` when kdim or vdim differ from embedDim, else null. */
  q_proj_weight: Parameter | null = null;
  /** The key projection `[embedDim, kdim]` when kdim or vdim differ from embedDim, else null. */
  k_proj_weight: Parameter | null = null;
  /** The value projection `[embedDim, vdim]` when kdim or vdim differ from embedDim, else null. */
  v_proj_weight: Parameter | null = null;
  /** The packed q, k and v biases `[3·embedDim]`; null without bias. */
  in_proj_bias: Parameter | null = null;
  /** The output projection, embedDim → embedDim. */
  out_proj: NonDynamicallyQuantizableLinear;
  /** Features of the queries and of the output (E). */
  readonly embedDim: number;
  /** Number of parallel attention heads. */
  readonly numHeads: number;
  /** Features per head: embedDim / numHeads. */
  readonly headDim: number;
  /** Features of the keys. */
  readonly kdim: number;
  /** Features of the values. */
  readonly vdim: number;
  /** Dropout probability on the attention weights in training. */
  readonly dropout: number;
  /** Inputs and output are `[N, L, E]` instead of `[L, N, E]`. */
  readonly batchFirst: boolean;

  constructor(
    embedDim: number,
    numHeads: number,
    ...rest: PosOrOpts<
      [
        dropout: number,
        bias: boolean,
        addBiasKv: false,
        addZeroAttn: false,
        kdim: number | null,
        vdim: number | null,
        batchFirst: boolean,
        device: string,
        dtype: 'float32' | 'float64',
      ],
      MultiheadAttentionOptions
    >
  ) {
    super();
    const opts = MULTIHEAD_ATTENTION.parse<
      MultiheadAttentionOptions & { embedDim: number; numHeads: number }
    >([embedDim, numHeads, ...rest]);
    embedDim = opts.embedDim;
    numHeads = opts.numHeads;
    if (!Number.isInteger(embedDim) || embedDim < 1 || !Number.isInteger(numHeads) || numHeads < 1) {
      throw new Error(
        `MultiheadAttention: embedDim and numHeads must be positive integers, got ${embedDim} and ${numHeads}`,
      );
    }
    if (embedDim % numHeads !== 0) {
      throw new Error(`MultiheadAttention: embedDim ${embedDim} must be divisible by numHeads ${numHeads}`);
    }
    const p = opts.dropout ?? 0;
    if (!(p >= 0 && p <= 1)) throw new Error(`MultiheadAttention: dropout must be in [0, 1], got ${p}`);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.kdim = opts.kdim ?? embedDim;
    this.vdim = opts.vdim ?? embedDim;
    this.dropout = p;
    this.batchFirst = opts.batchFirst ?? false;
    const t = { dtype: opts.dtype, device: opts.device };
    if (this._qkvSameEmbedDim) {
      this.in_proj_weight = Parameter._adopt(empty([3 * embedDim, embedDim], t));
    } else {
      this.q_proj_weight = Parameter._adopt(empty([embedDim, embedDim], t));
      this.k_proj_weight = Parameter._adopt(empty([embedDim, this.kdim], t));
      this.v_proj_weight = Parameter._adopt(empty([embedDim, this.vdim], t));
    }
    if (opts.bias !== false) this.in_proj_bias = Parameter._adopt(empty([3 * embedDim], t));
    this.out_proj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, {
      ...t,
      bias: opts.bias !== false,
    });
    this.resetParameters();
  }

  /** Whether keys and values have embedDim features (one packed `in_proj_weight`). */
  get _qkvSameEmbedDim(): boolean {
    return this.kdim === this.embedDim && this.vdim === this.embedDim;
  }

  /** PyTorch's init: xavier_uniform projections, zero biases (out_proj.weight keeps Linear's init). */
  resetParameters(): void {
    for (const w of [this.in_proj_weight, this.q_proj_weight, this.k_proj_weight, this.v_proj_weight]) {
      if (w) xavierUniform_(w);
    }
    noGrad(() => {
      this.in_proj_bias?.zero_();
      this.out_proj.bias?.zero_();
    });
  }

  /** The q, k and v projections (one matmul when query, key and value are the same tensor). */
  private _project(query: Tensor, key: Tensor, value: Tensor): [Tensor, Tensor, Tensor] {
    const E = this.embedDim;
    const b = this.in_proj_bias;
    const bs = b ? b.split(E, 0) : [null, null, null];
    if (this.in_proj_weight) {
      const w = this.in_proj_weight;
      if (query === key && key === value) {
        const [q, k, v] = linear(query, w, b).chunk(3, -1);
        return [q, k, v];
      }
      const [wq, wk, wv] = w.split(E, 0);
      return [linear(query, wq, bs[0]), linear(key, wk, bs[1]), linear(value, wv, bs[2])];
    }
    return [
      linear(query, this.q_proj_weight!, bs[0]),
      linear(key, this.k_proj_weight!, bs[1]),
      linear(value, this.v_proj_weight!, bs[2]),
    ];
  }

  /**
   * Attends `query` to `key`/`value` (shapes in the class comment); returns the output and the
   * attention weights (null when `needWeights` is false). Throws when the ranks, feature sizes,
   * batch sizes or mask shapes disagree.
   */
  override forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    ...rest: PosOrOpts<
      [
        keyPaddingMask: Tensor | null,
        needWeights: boolean,
        attnMask: Tensor | null,
        averageAttnWeights: boolean,
      ],
      MultiheadAttentionForwardOptions
    >
  ): [Tensor, Tensor | null] {
    const opts = MHA_FORWARD.parse<MultiheadAttentionForwardOptions>([query, key, value, ...rest]);
    const name = 'MultiheadAttention';
    const batched = query?.ndim === 3;
    if ((query?.ndim !== 2 && !batched) || key?.ndim !== query.ndim || value?.ndim !== query.ndim) {
      throw new Error(
        `${name}: query, key and value must all be 3-D (batched) or 2-D (unbatched), got ${fmtShape(query?.shape ?? [])}, ${fmtShape(key?.shape ?? [])} and ${fmtShape(value?.shape ?? [])}`,
      );
    }
    const lastDims: [Tensor, number, string][] = [
      [query, this.embedDim, 'query'],
      [key, this.kdim, 'key'],
      [value, this.vdim, 'value'],
    ];
    for (const [t, d, what] of lastDims) {
      if (t.shape[t.ndim - 1] !== d) {
        throw new Error(
          `${name}: expected ${what} with ${d} features in the last dim, got ${fmtShape(t.shape)}`,
        );
      }
    }
    // Work in [L, B, E] like PyTorch; the same-tensor test above must see the caller's objects.
    const same = query === key && key === value;
    const toLBE = (x: Tensor) => (!batched ? x.unsqueeze(1) : this.batchFirst ? x.transpose(0, 1) : x);
    const q0 = toLBE(query);
    const k0 = same ? q0 : toLBE(key);
    const v0 = same ? q0 : toLBE(value);
    const [L, B] = [q0.shape[0], q0.shape[1]];
    const S = k0.shape[0];
    if (k0.shape[1] !== B || v0.shape[1] !== B || v0.shape[0] !== S) {
      throw new Error(
        `${name}: query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} disagree in batch size or key length`,
      );
    }
    const [q, k, v] = this._project(q0, k0, v0);
    const H = this.numHeads;
    const hd = this.headDim;
    // [L, B, E] -> [B, H, L, hd]
    const heads = (x: Tensor, n: number) => x.reshape([n, B, H, hd]).permute(1, 2, 0, 3);
    const mask = this._mask(opts, B, L, S, batched, q.dtype === 'float64' ? 'float64' : 'float32', q.device);
    let w = attentionWeights(heads(q, L).mul(1 / Math.sqrt(hd)), heads(k, S), mask);
    if (this.dropout > 0 && this.training) w = dropout(w, this.dropout);
    const o = w.matmul(heads(v, S)).permute(2, 0, 1, 3).reshape([L, B, this.embedDim]);
    let out = this.out_proj.forward(o);
    out = !batched ? out.squeeze(1) : this.batchFirst ? out.transpose(0, 1) : out;
    if (opts.needWeights === false) return [out, null];
    let weights = opts.averageAttnWeights === false ? w : w.mean(1);
    if (!batched) weights = weights.squeeze(0);
    return [out, weights];
  }

  /** The merged additive mask, broadcastable to [B, H, L, S], or null. */
  private _mask(
    opts: MultiheadAttentionForwardOptions,
    B: number,
    L: number,
    S: number,
    batched: boolean,
    dtype: 'float32' | 'float64',
    device: string,
  ): Tensor | null {
    const name = 'MultiheadAttention';
    const H = this.numHeads;
    const additive = (m: Tensor) => (m.dtype === 'bool' ? boolMaskToAdditive(m, false, dtype) : m);
    let attn: Tensor | null = null;
    const am = opts.attnMask ?? null;
    if (am !== null) {
      if (am.ndim === 2) {
        if (am.shape[0] !== L || am.shape[1] !== S) {
          throw new Error(
            `${name}: the shape of the 2D attnMask is ${fmtShape(am.shape)}, but should be [${L}, ${S}]`,
          );
        }
        attn = additive(am);
      } else if (am.ndim === 3) {
        if (am.shape[0] !== B * H || am.shape[1] !== L || am.shape[2] !== S) {
          throw new Error(
            `${name}: the shape of the 3D attnMask is ${fmtShape(am.shape)}, but should be [${B * H}, ${L}, ${S}]`,
          );
        }
        attn = additive(am).reshape([B, H, L, S]);
      } else {
        throw new Error(`${name}: attnMask must be 2-D or 3-D, got ${fmtShape(am.shape)}`);
      }
    } else if (opts.isCausal) {
      attn = boolMaskToAdditive(causalAllowed(L, S, device), true, dtype);
    }
    const kpm = opts.keyPaddingMask ?? null;
    if (kpm === null) return attn;
    const want = batched ? [B, S] : [S];
    if (kpm.ndim !== want.length || kpm.shape.some((d, i) => d !== want[i])) {
      throw new Error(
        `${name}: expected keyPaddingMask of shape ${fmtShape(want)}, got ${fmtShape(kpm.shape)}`,
      );
    }
    const pad = additive(kpm).reshape([B, 1, 1, S]);
    return attn === null ? pad : attn.add(pad);
  }
}
