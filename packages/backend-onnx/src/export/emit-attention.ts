// Emitters for MultiheadAttention, TransformerEncoderLayer/Encoder and PositionalEncoding,
// expanded into MatMul/Add/Reshape/Transpose/Softmax/LayerNormalization nodes in the same
// order of operations as the eager forward (so float32 results agree closely).
import { nn } from '@proj/core';
import { type Emitted, type ExportContext, key, type Value } from './context.js';
import type { Emitter } from './emit-basic.js';
import { layerNormNode } from './emit-spatial.js';

/**
 * Self- or cross-attention of `mha` on 3-D inputs in its own layout; returns the output
 * (same layout) and, when `weights`, the head-averaged attention weights `[B, L, S]`.
 */
function attention(
  cx: ExportContext,
  mha: nn.MultiheadAttention,
  prefix: string,
  q0: Value,
  k0: Value,
  v0: Value,
  weights: boolean,
): { out: string; weights: string | null } {
  const E = mha.embedDim;
  const H = mha.numHeads;
  const hd = mha.headDim;
  const dt = q0.dtype;
  // Work in [B, L, E].
  const toBatchFirst = (v: Value) => (mha.batchFirst ? v.name : cx.transpose(v.name, [1, 0, 2]));
  const q = toBatchFirst(q0);
  const k = k0.name === q0.name ? q : toBatchFirst(k0);
  const v = v0.name === q0.name ? q : v0.name === k0.name ? k : toBatchFirst(v0);
  let wq: string;
  let wk: string;
  let wv: string;
  if (mha.in_proj_weight) {
    [wq, wk, wv] = cx.split(cx.weight(mha.in_proj_weight, key(prefix, 'in_proj_weight')), 3, E, 0);
  } else {
    wq = cx.weight(mha.q_proj_weight!, key(prefix, 'q_proj_weight'));
    wk = cx.weight(mha.k_proj_weight!, key(prefix, 'k_proj_weight'));
    wv = cx.weight(mha.v_proj_weight!, key(prefix, 'v_proj_weight'));
  }
  const bs = mha.in_proj_bias
    ? cx.split(cx.weight(mha.in_proj_bias, key(prefix, 'in_proj_bias')), 3, E, 0)
    : [null, null, null];
  const proj = (x: string, w: string, b: string | null) => cx.linear(x, 3, w, b);
  // [B, n, E] -> [B, H, n, hd]
  const heads = (x: string) => cx.transpose(cx.reshape(x, [0, 0, H, hd]), [0, 2, 1, 3]);
  const qh = cx.op('Mul', [heads(proj(q, wq, bs[0])), cx.scalar(1 / Math.sqrt(hd), dt)]);
  const kh = heads(proj(k, wk, bs[1]));
  const vh = heads(proj(v, wv, bs[2]));
  const scores = cx.op('MatMul', [qh, cx.transpose(kh, [0, 1, 3, 2])]);
  const w = cx.op('Softmax', [scores], { axis: -1 });
  const o = cx.reshape(cx.transpose(cx.op('MatMul', [w, vh]), [0, 2, 1, 3]), [0, 0, E]);
  const ow = cx.weight(mha.out_proj.weight, key(prefix, 'out_proj.weight'));
  const ob = mha.out_proj.bias ? cx.weight(mha.out_proj.bias, key(prefix, 'out_proj.bias')) : null;
  let out = proj(o, ow, ob);
  if (!mha.batchFirst) out = cx.transpose(out, [1, 0, 2]);
  return { out, weights: weights ? cx.reduceMean(w, [1], false) : null };
}

const multiheadAttention: Emitter<nn.MultiheadAttention> = (cx, m, prefix, inputs) => {
  const [q, k, v] = inputs.length === 1 ? [inputs[0], inputs[0], inputs[0]] : inputs;
  if (!q || !k || !v || inputs.length === 2 || inputs.length > 3) {
    throw new Error(
      `exportOnnx: MultiheadAttention takes 1 (self-attention) or 3 (query, key, value) inputs, got ${inputs.length}`,
    );
  }
  const unbatched = q.shape.length === 2;
  if (unbatched) {
    // PyTorch's unbatched [L, E]: attend with a batch of one, in the module's layout.
    const axis = m.batchFirst ? 0 : 1;
    const lift = (x: Value): Value => ({ ...x, name: cx.unsqueeze(x.name, [axis]) });
    const lq = lift(q);
    const lk = k.name === q.name ? lq : lift(k);
    const lv = v.name === q.name ? lq : v.name === k.name ? lk : lift(v);
    const r = attention(cx, m, prefix, lq, lk, lv, true);
    return [
      { name: cx.squeeze(r.out, [axis]), dyn: q.dyn },
      { name: cx.squeeze(r.weights!, [0]), dyn: q.dyn },
    ];
  }
  const r = attention(cx, m, prefix, q, k, v, true);
  // Weights are [B, L, S]: the symbolic dim is B or L, wherever it sat in the query.
  const bAxis = m.batchFirst ? 0 : 1;
  const wDyn = q.dyn === null ? null : q.dyn === bAxis ? 0 : 1;
  return [
    { name: r.out, dyn: q.dyn },
    { name: r.weights!, dyn: wDyn },
  ];
};

function checkActivation(m: nn.TransformerEncoderLayer, prefix: string): 'relu' | 'gelu' {
  const act = m._args[2].activation ?? 'relu';
  if (act !== 'relu' && act !== 'gelu') {
    throw new Error(
      `exportOnnx: TransformerEncoderLayer at '${prefix}' uses a custom activation function; only 'relu' and 'gelu' can be exported`,
    );
  }
  return act;
}

function encoderLayer(cx: ExportContext, m: nn.TransformerEncoderLayer, prefix: string, x: Value): Emitted {
  const act = checkActivation(m, prefix);
  const ln = (ln: nn.LayerNorm, name: string, v: Value): Value => {
    const p = key(prefix, name);
    const inputs = [v.name, cx.weight(ln.weight!, key(p, 'weight'))];
    if (ln.bias) inputs.push(cx.weight(ln.bias, key(p, 'bias')));
    if (!ln.weight)
      throw new Error(
        `exportOnnx: LayerNorm at '${p}' without elementwise affine is not supported inside a transformer layer`,
      );
    return { ...v, name: layerNormNode(cx, v, inputs, ln.normalizedShape.length, ln.eps).name };
  };
  const sa = (v: Value) => attention(cx, m.self_attn, key(prefix, 'self_attn'), v, v, v, false).out;
  const lin = (l: nn.Linear, name: string, v: string) =>
    cx.linear(
      v,
      3,
      cx.weight(l.weight, key(prefix, `${name}.weight`)),
      l.bias ? cx.weight(l.bias, key(prefix, `${name}.bias`)) : null,
    );
  const ff = (v: Value) => {
    const h1 = lin(m.linear1, 'linear1', v.name);
    const a = act === 'relu' ? cx.op('Relu', [h1]) : cx.gelu(h1, 'none', v.dtype);
    return lin(m.linear2, 'linear2', a);
  };
  let h: Value = x;
  if (m.normFirst) {
    h = { ...h, name: cx.op('Add', [h.name, sa(ln(m.norm1, 'norm1', h))]) };
    return { name: cx.op('Add', [h.name, ff(ln(m.norm2, 'norm2', h))]), dyn: x.dyn };
  }
  h = ln(m.norm1, 'norm1', { ...h, name: cx.op('Add', [h.name, sa(h)]) });
  return { name: ln(m.norm2, 'norm2', { ...h, name: cx.op('Add', [h.name, ff(h)]) }).name, dyn: x.dyn };
}

function checkBatched(kind: string, prefix: string, x: Value): void {
  if (x.shape.length !== 3) {
    throw new Error(
      `exportOnnx: ${kind} at '${prefix}': only batched 3-D input can be exported, got shape [${x.shape.join(', ')}]`,
    );
  }
}

const transformerEncoderLayer: Emitter<nn.TransformerEncoderLayer> = (cx, m, prefix, [x]) => {
  checkBatched('TransformerEncoderLayer', prefix, x);
  return [encoderLayer(cx, m, prefix, x)];
};

/** The encoder's optional final norm: a LayerNorm (anything else goes through the walker). */
export type NormEmitter = (cx: ExportContext, m: nn.Module, prefix: string, x: Value) => Emitted;

const transformerEncoder =
  (emitChild: NormEmitter): Emitter<nn.TransformerEncoder> =>
  (cx, m, prefix, [x]) => {
    checkBatched('TransformerEncoder', prefix, x);
    let h: Value = x;
    m.layers.children().forEach((layer, i) => {
      h = {
        ...h,
        name: encoderLayer(cx, layer as nn.TransformerEncoderLayer, key(prefix, `layers.${i}`), h).name,
      };
    });
    if (m.norm) return [emitChild(cx, m.norm, key(prefix, 'norm'), h)];
    return [{ name: h.name, dyn: x.dyn }];
  };

const positionalEncoding: Emitter<nn.PositionalEncoding> = (cx, m, prefix, [x]) => {
  const tDim = m.batchFirst ? 1 : 0;
  const pe = cx.weight(m.pe, key(prefix, 'pe'));
  // pe[:T] with T read from the input, so the sequence length may differ from the example's.
  const T = cx.op('Gather', [cx.op('Shape', [x.name]), cx.int64s([tDim])], { axis: 0 });
  let slice = cx.op('Slice', [pe, cx.int64s([0]), T, cx.int64s([0])]);
  if (m.batchFirst) slice = cx.transpose(slice, [1, 0, 2]);
  return [{ name: cx.op('Add', [x.name, slice]), dyn: x.dyn }];
};

/** Emitters of the attention layers, by exact class; `emitChild` emits the encoder's final norm. */
export function attentionEmitters(
  emitChild: NormEmitter,
): [abstract new (...a: any[]) => nn.Module, Emitter][] {
  return [
    [nn.MultiheadAttention, multiheadAttention],
    [nn.TransformerEncoderLayer, transformerEncoderLayer],
    [nn.TransformerEncoder, transformerEncoder(emitChild)],
    [nn.PositionalEncoding, positionalEncoding],
  ];
}
