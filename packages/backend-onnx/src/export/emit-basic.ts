// Emitters for the dense layers, activations and shape layers: Linear, Embedding, Dropout,
// Identity, Flatten, Unflatten and every activation module.
import { nn } from '@proj/core';
import { type Emitted, type ExportContext, key, type Value } from './context.js';

/** Writes the nodes of one module for its inputs; returns its outputs. */
export type Emitter<M = any> = (
  cx: ExportContext,
  m: M,
  prefix: string,
  inputs: readonly Value[],
  outShapes: readonly (readonly number[])[],
) => Emitted[];

const same = (x: Value, name: string): Emitted[] => [{ name, dyn: x.dyn }];

/** Reshape to the example's output shape, with -1 at the symbolic axis `dyn` of the output. */
export function reshapeDyn(
  cx: ExportContext,
  x: Value,
  outShape: readonly number[],
  dyn: number | null,
): Emitted {
  const target = outShape.map((d, i) => (i === dyn ? -1 : d));
  return { name: cx.reshape(x.name, target), dyn };
}

const linear: Emitter<nn.Linear> = (cx, m, prefix, [x]) => {
  const w = cx.weight(m.weight, key(prefix, 'weight'));
  const b = m.bias ? cx.weight(m.bias, key(prefix, 'bias')) : null;
  return same(x, cx.linear(x.name, x.shape.length, w, b));
};

const embedding: Emitter<nn.Embedding> = (cx, m, prefix, [x]) => {
  const w = cx.weight(m.weight, key(prefix, 'weight'));
  return same(x, cx.op('Gather', [w, x.name], { axis: 0 }));
};

const identity: Emitter = (cx, _m, _prefix, [x]) => same(x, cx.op('Identity', [x.name]));

const flatten: Emitter<nn.Flatten> = (cx, m, _prefix, [x], [out]) => {
  const r = x.shape.length;
  const s = m.startDim < 0 ? m.startDim + r : m.startDim;
  const e = m.endDim < 0 ? m.endDim + r : m.endDim;
  let dyn = x.dyn;
  if (dyn !== null) dyn = dyn < s ? dyn : dyn <= e ? s : dyn - (e - s);
  return [reshapeDyn(cx, x, out, dyn)];
};

const unflatten: Emitter<nn.Unflatten> = (cx, m, _prefix, [x], [out]) => {
  const r = x.shape.length;
  const d = m.dim < 0 ? m.dim + r : m.dim;
  let dyn = x.dyn;
  if (dyn !== null && dyn > d) dyn += m.unflattenedSize.length - 1;
  return [reshapeDyn(cx, x, out, dyn)];
};

const unary =
  (opType: string): Emitter =>
  (cx, _m, _prefix, [x]) =>
    same(x, cx.op(opType, [x.name]));

const leakyRelu: Emitter<nn.LeakyReLU> = (cx, m, _p, [x]) =>
  same(x, cx.op('LeakyRelu', [x.name], { alpha: cx.f(m.negativeSlope) }));

const elu: Emitter<nn.ELU> = (cx, m, _p, [x]) => same(x, cx.op('Elu', [x.name], { alpha: cx.f(m.alpha) }));

const gelu: Emitter<nn.GELU> = (cx, m, _p, [x]) => same(x, cx.gelu(x.name, m.approximate, x.dtype));

const silu: Emitter = (cx, _m, _p, [x]) => same(x, cx.op('Mul', [x.name, cx.op('Sigmoid', [x.name])]));

const mish: Emitter = (cx, _m, _p, [x]) =>
  same(x, cx.op('Mul', [x.name, cx.op('Tanh', [cx.softplus(x.name, 1, 20, x.dtype)])]));

const softplus: Emitter<nn.Softplus> = (cx, m, _p, [x]) =>
  same(x, cx.softplus(x.name, m.beta, m.threshold, x.dtype));

const softmax =
  (opType: 'Softmax' | 'LogSoftmax'): Emitter<nn.Softmax | nn.LogSoftmax> =>
  (cx, m, _p, [x]) =>
    same(x, cx.op(opType, [x.name], { axis: m.dim ?? nn.implicitSoftmaxDim(x.shape.length) }));

const step: Emitter = (cx, _m, _p, [x]) => {
  const gt = cx.op('Greater', [x.name, cx.scalar(0, x.dtype)]);
  return same(x, cx.op('Cast', [gt], { to: x.dtype === 'float64' ? 11 : 1 }));
};

/** Emitters of the dense, shape and activation layers, by exact class. */
export const basicEmitters: [abstract new (...a: any[]) => nn.Module, Emitter][] = [
  [nn.Linear, linear],
  [nn.NonDynamicallyQuantizableLinear, linear],
  [nn.Embedding, embedding],
  [nn.Identity, identity],
  [nn.Dropout, identity],
  [nn.Flatten, flatten],
  [nn.Unflatten, unflatten],
  [nn.ReLU, unary('Relu')],
  [nn.Sigmoid, unary('Sigmoid')],
  [nn.Tanh, unary('Tanh')],
  [nn.LeakyReLU, leakyRelu],
  [nn.ELU, elu],
  [nn.GELU, gelu],
  [nn.SiLU, silu],
  [nn.Mish, mish],
  [nn.Softplus, softplus],
  [nn.Softmax, softmax('Softmax')],
  [nn.LogSoftmax, softmax('LogSoftmax')],
  [nn.Step, step],
];
