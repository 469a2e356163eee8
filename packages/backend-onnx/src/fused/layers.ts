// Forward and backward ONNX nodes of each layer a fused training step supports. ONNX has no
// autodiff, so every emitter writes its forward nodes and returns a closure that writes the
// backward nodes (dL/dx, and dL/dparam into the context) once dL/dy is known.
import { nn, sizeOf } from '@proj/core';
import { emitConvBackwardFilter, emitConvBackwardInput } from '../backend/kernels/nn.js';
import { convPads, two } from '../export/conv-attrs.js';
import { floatAttr } from '../proto/graph-builder.js';
import type { TrainContext, Value } from './context.js';

/** The forward output of a layer and the writer of its backward nodes. */
export interface Emitted {
  readonly y: string;
  /** Writes the backward nodes for dL/dy `dy`; returns dL/dx when `needDx`, else null. */
  backward(dy: string, needDx: boolean): string | null;
}

/** Writes one layer's forward nodes for input `x`; `outShape` is its output shape. */
export type LayerEmitter<M = any> = (
  cx: TrainContext,
  m: M,
  at: string,
  x: Value,
  outShape: readonly number[],
) => Emitted;

const linear: LayerEmitter<nn.Linear> = (cx, m, _at, x, outShape) => {
  const w = cx.param(m.weight);
  const b = m.bias ? cx.param(m.bias) : null;
  const [outF, inF] = m.weight.shape;
  const rows = sizeOf(x.shape) / inF;
  // Gemm is 2-D: higher-rank inputs are seen as [rows, in]
  const flat = x.shape.length !== 2;
  const x2 = flat ? cx.reshape(x.name, [rows, inF]) : x.name;
  const y2 = cx.op('Gemm', b ? [x2, w, b] : [x2, w], { transB: 1 });
  return {
    y: flat ? cx.reshape(y2, outShape) : y2,
    backward(dy, needDx) {
      const dy2 = flat ? cx.reshape(dy, [rows, outF]) : dy;
      cx.addGrad(m.weight, cx.op('Gemm', [dy2, x2], { transA: 1 }));
      if (m.bias) cx.addGrad(m.bias, cx.sum(dy2, [0]));
      if (!needDx) return null;
      const dx2 = cx.op('MatMul', [dy2, w]);
      return flat ? cx.reshape(dx2, x.shape) : dx2;
    },
  };
};

/** dx = dy where x > 0, else dy·slope (0 for ReLU). */
function rectifier(opType: 'Relu' | 'LeakyRelu', slope: number): LayerEmitter {
  return (cx, _m, _at, x) => {
    const y =
      opType === 'Relu' ? cx.op('Relu', [x.name]) : cx.op('LeakyRelu', [x.name], { alpha: floatAttr(slope) });
    return {
      y,
      backward(dy, needDx) {
        if (!needDx) return null;
        const pos = cx.op('Greater', [x.name, cx.scalar(0)]);
        const neg = slope === 0 ? cx.scalar(0) : cx.op('Mul', [dy, cx.scalar(slope)]);
        return cx.op('Where', [pos, dy, neg]);
      },
    };
  };
}

const relu = rectifier('Relu', 0);

const leakyRelu: LayerEmitter<nn.LeakyReLU> = (cx, m, at, x, out) =>
  rectifier('LeakyRelu', m.negativeSlope)(cx, m, at, x, out);

const sigmoid: LayerEmitter = (cx, _m, _at, x) => {
  const y = cx.op('Sigmoid', [x.name]);
  return {
    y,
    backward: (dy, needDx) =>
      needDx ? cx.op('Mul', [dy, cx.op('Mul', [y, cx.op('Sub', [cx.scalar(1), y])])]) : null,
  };
};

const tanh: LayerEmitter = (cx, _m, _at, x) => {
  const y = cx.op('Tanh', [x.name]);
  return {
    y,
    backward: (dy, needDx) =>
      needDx ? cx.op('Mul', [dy, cx.op('Sub', [cx.scalar(1), cx.op('Mul', [y, y])])]) : null,
  };
};

/**
 * GELU as core computes it (opset 17 has no Gelu): exact, 0.5x(1 + erf(x/√2)) with derivative
 * 0.5(1 + erf(x/√2)) + x·φ(x); or the tanh approximation 0.5x(1 + tanh u), u = √(2/π)(x + 0.044715x³),
 * with derivative 0.5(1 + t) + 0.5x(1 − t²)·√(2/π)(1 + 3·0.044715x²).
 */
const gelu: LayerEmitter<nn.GELU> = (cx, m, _at, x) => {
  const s = (v: number) => cx.scalar(v);
  const xn = x.name;
  const half = cx.op('Mul', [xn, s(0.5)]);
  let y: string;
  let deriv: () => string;
  if (m.approximate === 'tanh') {
    const x2 = cx.op('Mul', [xn, xn]);
    const inner = cx.op('Mul', [
      cx.op('Add', [xn, cx.op('Mul', [cx.op('Mul', [x2, xn]), s(0.044715)])]),
      s(Math.sqrt(2 / Math.PI)),
    ]);
    const t = cx.op('Tanh', [inner]);
    y = cx.op('Mul', [half, cx.op('Add', [t, s(1)])]);
    deriv = () => {
      const du = cx.op('Mul', [
        cx.op('Add', [cx.op('Mul', [x2, s(3 * 0.044715)]), s(1)]),
        s(Math.sqrt(2 / Math.PI)),
      ]);
      const sech2 = cx.op('Sub', [s(1), cx.op('Mul', [t, t])]);
      return cx.op('Add', [
        cx.op('Mul', [cx.op('Add', [t, s(1)]), s(0.5)]),
        cx.op('Mul', [half, cx.op('Mul', [sech2, du])]),
      ]);
    };
  } else {
    const erf1 = cx.op('Add', [cx.op('Erf', [cx.op('Mul', [xn, s(Math.SQRT1_2)])]), s(1)]);
    y = cx.op('Mul', [half, erf1]);
    deriv = () => {
      const pdf = cx.op('Mul', [
        cx.op('Exp', [cx.op('Mul', [cx.op('Mul', [xn, xn]), s(-0.5)])]),
        s(1 / Math.sqrt(2 * Math.PI)),
      ]);
      return cx.op('Add', [cx.op('Mul', [erf1, s(0.5)]), cx.op('Mul', [xn, pdf])]);
    };
  }
  return { y, backward: (dy, needDx) => (needDx ? cx.op('Mul', [dy, deriv()]) : null) };
};

const identity: LayerEmitter = (_cx, _m, _at, x) => ({
  y: x.name,
  backward: (dy, needDx) => (needDx ? dy : null),
});

const dropout: LayerEmitter<nn.Dropout> = (cx, m, at, x, out) => {
  if (m.training && m.p > 0) {
    throw new Error(
      `compileTrainStep: Dropout${at ? ` at '${at}'` : ''} has p=${m.p} in training mode; a fused step has no ` +
        'dropout masks (use p=0, call .eval() on it, or train it eagerly)',
    );
  }
  return identity(cx, m, at, x, out);
};

const flatten: LayerEmitter<nn.Flatten> = (cx, _m, _at, x, outShape) => ({
  y: cx.reshape(x.name, outShape),
  backward: (dy, needDx) => (needDx ? cx.reshape(dy, x.shape) : null),
});

const conv2d: LayerEmitter<nn.Conv2d> = (cx, m, at, x, outShape) => {
  if (m.paddingMode !== 'zeros') {
    throw new Error(
      `compileTrainStep: Conv2d${at ? ` at '${at}'` : ''}: paddingMode '${m.paddingMode}' is not supported (only 'zeros')`,
    );
  }
  const w = cx.param(m.weight);
  const b = m.bias ? cx.param(m.bias) : null;
  const geom = { stride: m.stride, dilation: m.dilation, pads: convPads(m), groups: m.groups };
  const y = cx.op('Conv', b ? [x.name, w, b] : [x.name, w], {
    kernel_shape: m.kernelSize,
    strides: m.stride,
    pads: geom.pads,
    dilations: m.dilation,
    group: m.groups,
  });
  return {
    y,
    backward(dy, needDx) {
      const wShape = m.weight.shape;
      cx.addGrad(m.weight, emitConvBackwardFilter(cx.g, x.name, dy, x.shape, outShape, wShape, geom));
      if (m.bias) cx.addGrad(m.bias, cx.sum(dy, [0, 2, 3]));
      return needDx ? emitConvBackwardInput(cx.g, dy, w, outShape, wShape, x.shape, geom) : null;
    },
  };
};

/** Crops a pooled [N, C, h, w] result to PyTorch's extent (ONNX's ceil mode may add a window). */
function crop(cx: TrainContext, y: string, natural: readonly number[], want: readonly number[]): string {
  if (natural[0] === want[0] && natural[1] === want[1]) return y;
  return cx.op('Slice', [y, cx.g.int64s([0, 0]), cx.g.int64s([want[0], want[1]]), cx.g.int64s([2, 3])]);
}

/** Output extents ONNX's pooling gives (before cropping to PyTorch's). */
function onnxPoolOut(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = size + 2 * p - d * (k - 1) - 1;
  return (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
}

const maxPool2d: LayerEmitter<nn.MaxPool2d> = (cx, m, _at, x, outShape) => {
  const [k, s, p, d] = [two(m.kernelSize), two(m.stride), two(m.padding), two(m.dilation)];
  const [H, W] = x.shape.slice(2);
  const want = outShape.slice(2);
  const natural = [0, 1].map((i) => onnxPoolOut([H, W][i], k[i], s[i], p[i], d[i], m.ceilMode));
  const [yRaw, idxRaw] = cx.g.node('MaxPool', [x.name], 2, {
    kernel_shape: k,
    strides: s,
    pads: [...p, ...p],
    dilations: d,
    ceil_mode: m.ceilMode ? 1 : 0,
    storage_order: 0,
  });
  const y = crop(cx, yRaw, natural, want);
  return {
    y,
    backward(dy, needDx) {
      if (!needDx) return null;
      // ORT's indices are flat over the whole NCHW input
      const idx = crop(cx, idxRaw, natural, want);
      const overlapping = k.some((kk, i) => (kk - 1) * d[i] + 1 > s[i]);
      if (!overlapping)
        return cx.op('MaxUnpool', [dy, idx, cx.g.int64s(x.shape, 'shape')], { kernel_shape: k, strides: s });
      const zeros = cx.op('ConstantOfShape', [cx.g.int64s([sizeOf(x.shape)], 'shape')]);
      const flat = cx.op('ScatterElements', [zeros, cx.reshape(idx, [-1]), cx.reshape(dy, [-1])], {
        axis: 0,
        reduction: 'add',
      });
      return cx.reshape(flat, x.shape);
    },
  };
};

/** PyTorch's avg_pool2d divisor of each output position along one dim, as [start, end, padded size]. */
function windows(size: number, out: number, k: number, s: number, p: number): [number, number, number][] {
  return Array.from({ length: out }, (_, o) => {
    const start = o * s - p;
    const end = Math.min(start + k, size + p);
    return [Math.max(start, 0), Math.min(end, size), end - start];
  });
}

const avgPool2d: LayerEmitter<nn.AvgPool2d> = (cx, m, at, x, outShape) => {
  if (m.divisorOverride !== null) {
    throw new Error(
      `compileTrainStep: AvgPool2d${at ? ` at '${at}'` : ''}: divisorOverride is not supported`,
    );
  }
  const [k, s, p] = [two(m.kernelSize), two(m.stride), two(m.padding)];
  const [N, C, H, W] = x.shape;
  const want = outShape.slice(2);
  const natural = [0, 1].map((i) => onnxPoolOut([H, W][i], k[i], s[i], p[i], 1, m.ceilMode));
  const yRaw = cx.op('AveragePool', [x.name], {
    kernel_shape: k,
    strides: s,
    pads: [...p, ...p],
    ceil_mode: m.ceilMode ? 1 : 0,
    count_include_pad: m.countIncludePad ? 1 : 0,
  });
  return {
    y: crop(cx, yRaw, natural, want),
    backward(dy, needDx) {
      if (!needDx) return null;
      // dy / divisor, spread over each window by a ConvTranspose with a ones kernel
      const rows = windows(H, want[0], k[0], s[0], p[0]);
      const cols = windows(W, want[1], k[1], s[1], p[1]);
      const div = new Float32Array(want[0] * want[1]);
      for (const [i, [h0, h1, hp]] of rows.entries()) {
        for (const [j, [w0, w1, wp]] of cols.entries()) {
          div[i * want[1] + j] = 1 / (m.countIncludePad ? hp * wp : (h1 - h0) * (w1 - w0));
        }
      }
      const uniform = div.every((v) => v === div[0]);
      const scale = uniform
        ? cx.scalar(div[0])
        : cx.g.constant('inv_divisor', div, [want[0], want[1]], 'float32');
      const scaled = cx.reshape(cx.op('Mul', [dy, scale]), [N * C, 1, want[0], want[1]]);
      const ones = cx.g.constant(
        'ones',
        new Float32Array(k[0] * k[1]).fill(1),
        [1, 1, k[0], k[1]],
        'float32',
      );
      const pads: number[] = [p[0], p[1], 0, 0];
      const outPad = [0, 0];
      for (const i of [0, 1]) {
        const rest = (want[i] - 1) * s[i] + k[i] - p[i] - [H, W][i];
        if (rest >= 0) pads[2 + i] = rest;
        else outPad[i] = -rest;
      }
      const dx = cx.op('ConvTranspose', [scaled, ones], {
        kernel_shape: k,
        strides: s,
        pads,
        output_padding: outPad,
      });
      return cx.reshape(dx, x.shape);
    },
  };
};

/** The emitter of each supported layer, by exact class. */
export const LAYERS = new Map<abstract new (...a: any[]) => nn.Module, LayerEmitter>([
  [nn.Linear, linear],
  [nn.ReLU, relu],
  [nn.LeakyReLU, leakyRelu],
  [nn.Sigmoid, sigmoid],
  [nn.Tanh, tanh],
  [nn.GELU, gelu],
  [nn.Identity, identity],
  [nn.Dropout, dropout],
  [nn.Flatten, flatten],
  [nn.Conv2d, conv2d],
  [nn.MaxPool2d, maxPool2d],
  [nn.AvgPool2d, avgPool2d],
]);
