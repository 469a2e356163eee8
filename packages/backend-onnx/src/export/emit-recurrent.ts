// Emitters for RNN, LSTM and GRU as ONNX's RNN/LSTM/GRU operators. The weights stay the
// state-dict tensors (initialisers weight_ih_l0, …); the gate reordering and direction stacking
// ONNX wants are graph nodes over them, which the runtime folds once at load.
import { nn } from '@proj/core';
import { type Emitted, type ExportContext, key } from './context.js';
import type { Emitter } from './emit-basic.js';

/**
 * PyTorch gate order → ONNX gate order, as indices into PyTorch's blocks:
 * LSTM i,f,g,o → i,o,f,c; GRU r,z,n → z,r,h; RNN has one block.
 */
const GATE_ORDER: Record<string, number[]> = {
  LSTM: [0, 3, 1, 2],
  GRU: [1, 0, 2],
  RNN_TANH: [0],
  RNN_RELU: [0],
};

/** A weight `[gates·H, ·]` or bias `[gates·H]` with its gate blocks in ONNX order. */
function reorder(cx: ExportContext, t: string, order: number[], H: number): string {
  if (order.length === 1) return t;
  const blocks = cx.split(t, order.length, H, 0);
  return cx.concat(
    order.map((i) => blocks[i]),
    0,
  );
}

const recurrent: Emitter<nn.RNN | nn.LSTM | nn.GRU> = (cx, m, prefix, [x0]) => {
  const mode = m._mode;
  const order = GATE_ORDER[mode];
  const H = m.hiddenSize;
  const D = m.bidirectional ? 2 : 1;
  const rank = x0.shape.length;
  // To ONNX's layout 0: [T, B, I].
  let x = x0.name;
  let dyn = x0.dyn;
  if (rank === 2) x = cx.unsqueeze(x, [1]);
  else if (m.batchFirst) {
    x = cx.transpose(x, [1, 0, 2]);
    if (dyn !== null && dyn < 2) dyn = 1 - dyn;
  }
  const opType = mode === 'LSTM' ? 'LSTM' : mode === 'GRU' ? 'GRU' : 'RNN';
  const hs: string[] = [];
  const cs: string[] = [];
  const self = m as unknown as Record<string, nn.Parameter | null | undefined>;
  for (let layer = 0; layer < m.numLayers; layer++) {
    const W: string[] = [];
    const R: string[] = [];
    const Bs: string[] = [];
    for (let d = 0; d < D; d++) {
      const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
      const p = (n: string) => cx.weight(self[`${n}${sfx}`]!, key(prefix, `${n}${sfx}`));
      W.push(cx.unsqueeze(reorder(cx, p('weight_ih'), order, H), [0]));
      R.push(cx.unsqueeze(reorder(cx, p('weight_hh'), order, H), [0]));
      if (m.bias) {
        const wb = reorder(cx, p('bias_ih'), order, H);
        const rb = reorder(cx, p('bias_hh'), order, H);
        Bs.push(cx.unsqueeze(cx.concat([wb, rb], 0), [0]));
      }
    }
    const attrs: Record<string, any> = {
      hidden_size: H,
      direction: D === 2 ? 'bidirectional' : 'forward',
    };
    if (mode === 'GRU') attrs.linear_before_reset = 1;
    if (opType === 'RNN') attrs.activations = new Array(D).fill(mode === 'RNN_RELU' ? 'Relu' : 'Tanh');
    const inputs = [x, cx.concat(W, 0), cx.concat(R, 0), m.bias ? cx.concat(Bs, 0) : ''];
    const outs = cx.ops(opType, inputs, mode === 'LSTM' ? 3 : 2, attrs);
    // Y [T, D, B, H] -> [T, B, D·H], the next layer's input and the module's output.
    x = cx.reshape(cx.transpose(outs[0], [0, 2, 1, 3]), [0, 0, D * H]);
    hs.push(outs[1]);
    if (mode === 'LSTM') cs.push(outs[2]);
  }
  // States [D, B, H] per layer -> [L·D, B, H], layer-major as PyTorch's h_n.
  const stateDyn = dyn === 1 ? 1 : null;
  let h = cx.concat(hs, 0);
  let c = mode === 'LSTM' ? cx.concat(cs, 0) : null;
  let out: Emitted;
  if (rank === 2) {
    out = { name: cx.squeeze(x, [1]), dyn: dyn === 0 ? 0 : null };
    h = cx.squeeze(h, [1]);
    if (c) c = cx.squeeze(c, [1]);
  } else if (m.batchFirst) {
    out = { name: cx.transpose(x, [1, 0, 2]), dyn: dyn !== null && dyn < 2 ? 1 - dyn : dyn };
  } else {
    out = { name: x, dyn };
  }
  const states: Emitted[] = [{ name: h, dyn: rank === 2 ? null : stateDyn }];
  if (c) states.push({ name: c, dyn: rank === 2 ? null : stateDyn });
  return [out, ...states];
};

/** Emitters of the recurrent layers, by exact class. */
export const recurrentEmitters: [abstract new (...a: any[]) => nn.Module, Emitter][] = [
  [nn.RNN, recurrent],
  [nn.LSTM, recurrent],
  [nn.GRU, recurrent],
];
