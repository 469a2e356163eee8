// Emitters for convolution, pooling and normalisation layers (NCHW, PyTorch's weight layouts,
// which are also ONNX's).
import { nn } from '@proj/core';
import { type Emitted, type ExportContext, key, type Value } from './context.js';
import { convPads, two } from './conv-attrs.js';
import type { Emitter } from './emit-basic.js';

const PAD_MODES: Record<string, string> = { reflect: 'reflect', replicate: 'edge' };

const conv: Emitter<nn.Conv1d | nn.Conv2d> = (cx, m, prefix, [x]) => {
  const w = cx.weight(m.weight, key(prefix, 'weight'));
  const b = m.bias ? cx.weight(m.bias, key(prefix, 'bias')) : null;
  let input = x.name;
  let pads = convPads(m);
  if (m.paddingMode !== 'zeros') {
    const mode = PAD_MODES[m.paddingMode];
    if (!mode) {
      throw new Error(
        `exportOnnx: ${m.constructor.name} at '${prefix}': paddingMode '${m.paddingMode}' has no ONNX Pad mode before opset 19`,
      );
    }
    // Pad's `pads` cover every axis: none on N and C.
    const k = m.kernelSize.length;
    input = cx.op('Pad', [x.name, cx.int64s([0, 0, ...pads.slice(0, k), 0, 0, ...pads.slice(k)])], { mode });
    pads = pads.map(() => 0);
  }
  const y = cx.op('Conv', b ? [input, w, b] : [input, w], {
    kernel_shape: m.kernelSize,
    strides: m.stride,
    pads,
    dilations: m.dilation,
    group: m.groups,
  });
  return [{ name: y, dyn: x.dyn }];
};

const convTranspose: Emitter<nn.ConvTranspose2d> = (cx, m, prefix, [x]) => {
  const w = cx.weight(m.weight, key(prefix, 'weight'));
  const b = m.bias ? cx.weight(m.bias, key(prefix, 'bias')) : null;
  const p = m.padding as number[];
  const y = cx.op('ConvTranspose', b ? [x.name, w, b] : [x.name, w], {
    kernel_shape: m.kernelSize,
    strides: m.stride,
    pads: [...p, ...p],
    dilations: m.dilation,
    output_padding: m.outputPadding,
    group: m.groups,
  });
  return [{ name: y, dyn: x.dyn }];
};

const maxPool: Emitter<nn.MaxPool2d> = (cx, m, _prefix, [x]) => {
  const p = two(m.padding);
  const y = cx.op('MaxPool', [x.name], {
    kernel_shape: two(m.kernelSize),
    strides: two(m.stride),
    pads: [...p, ...p],
    dilations: two(m.dilation),
    ceil_mode: m.ceilMode ? 1 : 0,
  });
  return [{ name: y, dyn: x.dyn }];
};

const avgPool: Emitter<nn.AvgPool2d> = (cx, m, prefix, [x]) => {
  if (m.divisorOverride !== null) {
    throw new Error(
      `exportOnnx: AvgPool2d at '${prefix}': divisorOverride has no ONNX AveragePool equivalent`,
    );
  }
  const p = two(m.padding);
  const y = cx.op('AveragePool', [x.name], {
    kernel_shape: two(m.kernelSize),
    strides: two(m.stride),
    pads: [...p, ...p],
    ceil_mode: m.ceilMode ? 1 : 0,
    count_include_pad: m.countIncludePad ? 1 : 0,
  });
  return [{ name: y, dyn: x.dyn }];
};

const adaptiveAvgPool: Emitter<nn.AdaptiveAvgPool2d> = (cx, _m, prefix, [x], [out]) => {
  const [H, W] = x.shape.slice(-2);
  const [oH, oW] = out.slice(-2);
  let y: string;
  if (oH === 1 && oW === 1) y = cx.op('GlobalAveragePool', [x.name]);
  else if (oH === H && oW === W) y = cx.op('Identity', [x.name]);
  else if (H % oH === 0 && W % oW === 0) {
    const k = [H / oH, W / oW];
    y = cx.op('AveragePool', [x.name], { kernel_shape: k, strides: k });
  } else {
    throw new Error(
      `exportOnnx: AdaptiveAvgPool2d at '${prefix}': output ${oH}x${oW} does not divide input ${H}x${W}; ` +
        'only global pooling (output 1) or evenly dividing sizes map to ONNX pooling',
    );
  }
  return [{ name: y, dyn: x.dyn }];
};

const batchNorm: Emitter<nn.BatchNorm1d | nn.BatchNorm2d> = (cx, m, prefix, [x]) => {
  if (!m.running_mean || !m.running_var) {
    throw new Error(
      `exportOnnx: ${m.constructor.name} at '${prefix}' has no running stats (trackRunningStats: false); ` +
        'its eval output depends on the batch, which ONNX BatchNormalization cannot express',
    );
  }
  const n = m.numFeatures;
  const scale = m.weight ? cx.weight(m.weight, key(prefix, 'weight')) : cx.filled(1, n, x.dtype);
  const bias = m.bias ? cx.weight(m.bias, key(prefix, 'bias')) : cx.filled(0, n, x.dtype);
  const mean = cx.weight(m.running_mean, key(prefix, 'running_mean'));
  const v = cx.weight(m.running_var, key(prefix, 'running_var'));
  const y = cx.op('BatchNormalization', [x.name, scale, bias, mean, v], { epsilon: cx.f(m.eps) });
  return [{ name: y, dyn: x.dyn }];
};

const layerNorm: Emitter<nn.LayerNorm> = (cx, m, prefix, [x]) => {
  const n = m.normalizedShape;
  const size = n.reduce((a, b) => a * b, 1);
  const scale = m.weight
    ? cx.weight(m.weight, key(prefix, 'weight'))
    : cx.reshape(cx.filled(1, size, x.dtype), n);
  const inputs = [x.name, scale];
  if (m.bias) inputs.push(cx.weight(m.bias, key(prefix, 'bias')));
  return [layerNormNode(cx, x, inputs, n.length, m.eps)];
};

/** LayerNormalization (opset 17) over the last `axes` dims. */
export function layerNormNode(
  cx: ExportContext,
  x: Value,
  inputs: string[],
  axes: number,
  eps: number,
): Emitted {
  if (cx.opset < 17)
    throw new Error(
      `exportOnnx: LayerNorm needs opset 17 or newer (LayerNormalization), got opset ${cx.opset}`,
    );
  return { name: cx.op('LayerNormalization', inputs, { axis: -axes, epsilon: cx.f(eps) }), dyn: x.dyn };
}

/** Emitters of the spatial and normalisation layers, by exact class. */
export const spatialEmitters: [abstract new (...a: any[]) => nn.Module, Emitter][] = [
  [nn.Conv1d, conv],
  [nn.Conv2d, conv],
  [nn.ConvTranspose2d, convTranspose],
  [nn.MaxPool2d, maxPool],
  [nn.AvgPool2d, avgPool],
  [nn.AdaptiveAvgPool2d, adaptiveAvgPool],
  [nn.BatchNorm1d, batchNorm],
  [nn.BatchNorm2d, batchNorm],
  [nn.LayerNorm, layerNorm],
];
