// Graphs of the fused kernels: matmul, softmax/logSoftmax, conv2d and its two backward
// kernels, max and average pooling (float32; see conv-im2col.ts for float64).
import type { Conv2dParams, DType, Pool2dParams, Shape } from '@proj/core';
import { GraphBuilder, type OnnxType } from '../graph.js';

/** Batched matmul of a [Ba, ., .] and b [Bb, ., .] with optional transposes of the last two dims. */
export function matmulGraph(
  dtype: DType,
  aShape: Shape,
  bShape: Shape,
  transA: boolean,
  transB: boolean,
): GraphBuilder {
  const g = new GraphBuilder();
  const t = dtype as OnnxType;
  let a = g.input(t, aShape);
  let b = g.input(t, bShape);
  if (transA) a = g.node('Transpose', [a], { perm: [0, 2, 1] });
  if (transB) b = g.node('Transpose', [b], { perm: [0, 2, 1] });
  g.output(g.node('MatMul', [a, b]), t);
  return g;
}

/** Softmax or LogSoftmax along `axis`. */
export function softmaxGraph(dtype: DType, shape: Shape, axis: number, log: boolean): GraphBuilder {
  const g = new GraphBuilder();
  const x = g.input(dtype as OnnxType, shape);
  g.output(g.node(log ? 'LogSoftmax' : 'Softmax', [x], { axis }), dtype as OnnxType);
  return g;
}

/** Output extent of a convolution/pooling window along one dim (PyTorch's formula). */
export function windowOut(size: number, k: number, s: number, p: number, d: number, ceil = false): number {
  const span = size + 2 * p - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // PyTorch drops a last window that would start inside the right padding
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

function convAttrs(p: Conv2dParams) {
  return {
    strides: p.stride,
    pads: [p.padding[0], p.padding[1], p.padding[0], p.padding[1]],
    dilations: p.dilation,
    group: p.groups,
  };
}

/** Conv (no bias): x [N, C, H, W], w [O, C/g, kH, kW]. */
export function conv2dGraph(xShape: Shape, wShape: Shape, p: Conv2dParams): GraphBuilder {
  const g = new GraphBuilder();
  const x = g.input('float32', xShape);
  const w = g.input('float32', wShape);
  g.output(g.node('Conv', [x, w], { ...convAttrs(p), kernel_shape: wShape.slice(2) }), 'float32');
  return g;
}

/** dL/dx of conv2d as ConvTranspose of dy with the same weight, padded out to `xShape`. */
export function conv2dBackwardInputGraph(
  dyShape: Shape,
  wShape: Shape,
  xShape: Shape,
  p: Conv2dParams,
): GraphBuilder {
  const g = new GraphBuilder();
  const dy = g.input('float32', dyShape);
  const w = g.input('float32', wShape);
  const outPad = [0, 1].map((i) => {
    const natural =
      (dyShape[2 + i] - 1) * p.stride[i] - 2 * p.padding[i] + p.dilation[i] * (wShape[2 + i] - 1) + 1;
    return xShape[2 + i] - natural;
  });
  g.output(
    g.node('ConvTranspose', [dy, w], {
      ...convAttrs(p),
      kernel_shape: wShape.slice(2),
      output_padding: outPad,
    }),
    'float32',
  );
  return g;
}

/**
 * dL/dw of conv2d as one Conv: the batch becomes the channel dim, dy becomes the kernel, and
 * stride and dilation swap roles. x [N, g·Cg, H, W] → [Cg, g·N, H, W]; dy [N, O, oH, oW] →
 * [O, N, oH, oW]; Conv with `group` g gives [Cg, O, kH', kW'] (kH' >= kH), sliced and
 * transposed to [O, Cg, kH, kW].
 */
export function conv2dBackwardFilterGraph(
  xShape: Shape,
  dyShape: Shape,
  wShape: Shape,
  p: Conv2dParams,
): GraphBuilder {
  const g = new GraphBuilder();
  const [N, C, H, W] = xShape;
  const G = p.groups;
  const Cg = C / G;
  const x = g.input('float32', xShape);
  const dy = g.input('float32', dyShape);
  const x5 = g.node('Reshape', [x, g.ints([N, G, Cg, H, W])]);
  const xt = g.node('Reshape', [
    g.node('Transpose', [x5], { perm: [2, 1, 0, 3, 4] }),
    g.ints([Cg, G * N, H, W]),
  ]);
  const dyt = g.node('Transpose', [dy], { perm: [1, 0, 2, 3] });
  const full = g.node('Conv', [xt, dyt], {
    strides: p.dilation,
    dilations: p.stride,
    pads: [p.padding[0], p.padding[1], p.padding[0], p.padding[1]],
    group: G,
    kernel_shape: dyShape.slice(2),
  });
  const cut = g.node('Slice', [full, g.ints([0, 0]), g.ints([wShape[2], wShape[3]]), g.ints([2, 3])]);
  g.output(g.node('Transpose', [cut], { perm: [1, 0, 2, 3] }), 'float32');
  return g;
}

function poolAttrs(p: Pool2dParams) {
  return {
    kernel_shape: p.kernel,
    strides: p.stride,
    pads: [p.padding[0], p.padding[1], p.padding[0], p.padding[1]],
    ceil_mode: p.ceilMode ? 1 : 0,
  };
}

/** Crops a pooled [N, C, h, w] result to PyTorch's output extent (ORT's ceil mode may add a window). */
function cropTo(g: GraphBuilder, y: string, oh: number, ow: number): string {
  return g.node('Slice', [y, g.ints([0, 0]), g.ints([oh, ow]), g.ints([2, 3])]);
}

/** Pooled output extents of an input of `shape`. */
export function poolOut(shape: Shape, p: Pool2dParams): [number, number] {
  return [0, 1].map((i) =>
    windowOut(shape[2 + i], p.kernel[i], p.stride[i], p.padding[i], p.dilation[i], p.ceilMode),
  ) as [number, number];
}

/** MaxPool returning values and the per-plane flat index (h·W + w) as int32. */
export function maxPool2dGraph(dtype: DType, shape: Shape, p: Pool2dParams): GraphBuilder {
  const g = new GraphBuilder();
  const t = dtype as OnnxType;
  const x = g.input(t, shape);
  const [y, idx] = g.nodeN('MaxPool', [x], 2, { ...poolAttrs(p), dilations: p.dilation, storage_order: 0 });
  const [oh, ow] = poolOut(shape, p);
  // ORT's indices are flat over the whole NCHW tensor: keep the offset within the plane
  const plane = g.node('Mod', [cropTo(g, idx, oh, ow), g.constant('int64', [shape[2] * shape[3]], [])]);
  g.output(cropTo(g, y, oh, ow), t);
  g.output(g.node('Cast', [plane], { to: 6 }), 'int32');
  return g;
}

/** AveragePool (dilations need opset 19). */
export function avgPool2dGraph(shape: Shape, p: Pool2dParams): GraphBuilder {
  const dilated = p.dilation[0] !== 1 || p.dilation[1] !== 1;
  const g = new GraphBuilder(dilated ? 19 : 17);
  const x = g.input('float32', shape);
  const attrs = {
    ...poolAttrs(p),
    count_include_pad: p.countIncludePad === false ? 0 : 1,
    ...(dilated ? { dilations: p.dilation } : {}),
  };
  const [oh, ow] = poolOut(shape, p);
  g.output(cropTo(g, g.node('AveragePool', [x], attrs), oh, ow), 'float32');
  return g;
}
