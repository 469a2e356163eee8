// Graphs of the fused kernels: matmul, softmax/logSoftmax, conv2d and its two backward
// kernels, max and average pooling (onnx-backend.ts admits only float32 to conv and average pooling).
import { type Conv2dParams, type DType, type Pool2dParams, pool2dOutputShape, type Shape } from '@proj/core';
import { GraphBuilder, ONNX_DATA_TYPE, type OnnxDType } from '../../proto/index.js';
import { symbolic } from './dims.js';

// Batch sizes (and, for conv2d, the image size) are symbolic in these models: the callers key
// their sessions without them, so these builders must not depend on them.

/** `shape` with its batch dim (dim 0) symbolic. */
const anyBatch = (shape: Shape) => ['n', ...shape.slice(1)];

/**
 * Batched matmul of a [Ba, ., .] and b [Bb, ., .] (any sizes; MatMul broadcasts Ba against Bb)
 * with optional transposes of the last two dims.
 */
export function matmulGraph(dtype: DType, transA: boolean, transB: boolean): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  let a = g.input('a', t, symbolic('a', 3));
  let b = g.input('b', t, symbolic('b', 3));
  if (transA) a = g.op('Transpose', [a], { perm: [0, 2, 1] });
  if (transB) b = g.op('Transpose', [b], { perm: [0, 2, 1] });
  g.output(g.op('MatMul', [a, b]), t);
  return g;
}

/**
 * Softmax or LogSoftmax along `axis` of a rank-`rank` input. With `wide`, float32 is computed
 * in float64 and rounded once: ORT's float32 kernels sum exp(x - max) in float32, and over a
 * long axis small terms are lost (a logit of 20 among 2^17 zeros: log-probability -2.53e-4
 * instead of -2.70e-4).
 */
export function softmaxGraph(
  dtype: DType,
  rank: number,
  axis: number,
  log: boolean,
  wide = false,
): GraphBuilder {
  const g = new GraphBuilder('primitive');
  let x = g.input('x', dtype as OnnxDType, symbolic('x', rank));
  if (wide) x = g.op('Cast', [x], { to: ONNX_DATA_TYPE.float64 });
  let y = g.op(log ? 'LogSoftmax' : 'Softmax', [x], { axis });
  if (wide) y = g.op('Cast', [y], { to: ONNX_DATA_TYPE[dtype as OnnxDType] });
  g.output(y, dtype as OnnxDType);
  return g;
}

function convAttrs(p: Conv2dParams) {
  return {
    strides: p.stride,
    pads: [p.padding[0], p.padding[1], p.padding[0], p.padding[1]],
    dilations: p.dilation,
    group: p.groups,
  };
}

/** Conv (no bias): x [N, C, H, W] (N, H, W any), w [O, C/g, kH, kW]. */
export function conv2dGraph(wShape: Shape, p: Conv2dParams): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const x = g.input('x', 'float32', ['n', wShape[1] * p.groups, 'h', 'w']);
  const w = g.input('w', 'float32', wShape);
  g.output(g.op('Conv', [x, w], { ...convAttrs(p), kernel_shape: wShape.slice(2) }), 'float32');
  return g;
}

/**
 * Geometry of a 2-D convolution in ONNX terms: `pads` is [top, left, bottom, right] (PyTorch's
 * symmetric padding, or the asymmetric split of padding 'same').
 */
export interface ConvGeometry {
  stride: readonly number[];
  dilation: readonly number[];
  pads: readonly number[];
  groups: number;
}

/** The ONNX geometry of the backend's conv parameters (symmetric padding). */
export function geometryOf(p: Conv2dParams): ConvGeometry {
  return {
    stride: p.stride,
    dilation: p.dilation,
    pads: [p.padding[0], p.padding[1], p.padding[0], p.padding[1]],
    groups: p.groups,
  };
}

/**
 * Emits dL/dx of conv2d: ConvTranspose of `dy` with the same weight, its output padded out to
 * `xShape` (the rows a strided window never reached get zero gradient).
 */
export function emitConvBackwardInput(
  g: GraphBuilder,
  dy: string,
  w: string,
  dyShape: Shape,
  wShape: Shape,
  xShape: Shape,
  c: ConvGeometry,
): string {
  const outPad = [0, 1].map((i) => {
    const natural =
      (dyShape[2 + i] - 1) * c.stride[i] -
      c.pads[i] -
      c.pads[2 + i] +
      c.dilation[i] * (wShape[2 + i] - 1) +
      1;
    return xShape[2 + i] - natural;
  });
  return g.op('ConvTranspose', [dy, w], {
    strides: [...c.stride],
    pads: [...c.pads],
    dilations: [...c.dilation],
    group: c.groups,
    kernel_shape: wShape.slice(2),
    output_padding: outPad,
  });
}

/**
 * Emits dL/dw of conv2d as one Conv: the batch becomes the channel dim, dy becomes the kernel,
 * and stride and dilation swap roles. x [N, g·Cg, H, W] → [Cg, g·N, H, W]; dy [N, O, oH, oW] →
 * [O, N, oH, oW]; Conv with `group` g gives [Cg, O, kH', kW'] (kH' >= kH), sliced and
 * transposed to [O, Cg, kH, kW].
 */
export function emitConvBackwardFilter(
  g: GraphBuilder,
  x: string,
  dy: string,
  xShape: Shape,
  dyShape: Shape,
  wShape: Shape,
  c: ConvGeometry,
): string {
  const [, C, H, W] = xShape;
  const G = c.groups;
  const Cg = C / G;
  let xt: string;
  // -1 stands for the batch: the backend's model has a symbolic one
  if (Cg === 1 && G === 1) xt = g.op('Reshape', [x, g.int64s([1, -1, H, W])]);
  else {
    const x5 = g.op('Reshape', [x, g.int64s([-1, G, Cg, H, W])]);
    xt = g.op('Reshape', [g.op('Transpose', [x5], { perm: [2, 1, 0, 3, 4] }), g.int64s([Cg, -1, H, W])]);
  }
  const dyt = g.op('Transpose', [dy], { perm: [1, 0, 2, 3] });
  let full = g.op('Conv', [xt, dyt], {
    strides: [...c.dilation],
    dilations: [...c.stride],
    pads: [...c.pads],
    group: G,
    kernel_shape: dyShape.slice(2),
  });
  const fullH =
    Math.floor((H + c.pads[0] + c.pads[2] - c.stride[0] * (dyShape[2] - 1) - 1) / c.dilation[0]) + 1;
  const fullW =
    Math.floor((W + c.pads[1] + c.pads[3] - c.stride[1] * (dyShape[3] - 1) - 1) / c.dilation[1]) + 1;
  if (fullH !== wShape[2] || fullW !== wShape[3]) {
    full = g.op('Slice', [full, g.int64s([0, 0]), g.int64s([wShape[2], wShape[3]]), g.int64s([2, 3])]);
  }
  return wShape[1] === 1 && G === 1
    ? g.op('Reshape', [full, g.int64s([...wShape])])
    : g.op('Transpose', [full], { perm: [1, 0, 2, 3] });
}

/** dL/dx of conv2d as ConvTranspose of dy with the same weight, padded out to `xShape`. */
export function conv2dBackwardInputGraph(
  dyShape: Shape,
  wShape: Shape,
  xShape: Shape,
  p: Conv2dParams,
): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const dy = g.input('dy', 'float32', anyBatch(dyShape));
  const w = g.input('w', 'float32', wShape);
  g.output(emitConvBackwardInput(g, dy, w, dyShape, wShape, xShape, geometryOf(p)), 'float32');
  return g;
}

/** dL/dw of conv2d (see {@link emitConvBackwardFilter}). */
export function conv2dBackwardFilterGraph(
  xShape: Shape,
  dyShape: Shape,
  wShape: Shape,
  p: Conv2dParams,
): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const x = g.input('x', 'float32', anyBatch(xShape));
  const dy = g.input('dy', 'float32', anyBatch(dyShape));
  g.output(emitConvBackwardFilter(g, x, dy, xShape, dyShape, wShape, geometryOf(p)), 'float32');
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
  return g.op('Slice', [y, g.int64s([0, 0]), g.int64s([oh, ow]), g.int64s([2, 3])]);
}

/** MaxPool (N and C any) returning values and the per-plane flat index (h·W + w) as int32. */
export function maxPool2dGraph(dtype: DType, shape: Shape, p: Pool2dParams): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  const x = g.input('x', t, ['n', 'c', shape[2], shape[3]]);
  const [y, idx] = g.node('MaxPool', [x], 2, { ...poolAttrs(p), dilations: p.dilation, storage_order: 0 });
  const [, , oh, ow] = pool2dOutputShape(shape, p);
  // ORT's indices are flat over the whole NCHW tensor: keep the offset within the plane
  const plane = g.op('Mod', [cropTo(g, idx, oh, ow), g.scalar(shape[2] * shape[3], 'c', 'int64')]);
  g.output(cropTo(g, y, oh, ow), t);
  g.output(g.op('Cast', [plane], { to: 6 }), 'int32');
  return g;
}

/** AveragePool, N and C any (dilations need opset 19). */
export function avgPool2dGraph(shape: Shape, p: Pool2dParams): GraphBuilder {
  const dilated = p.dilation[0] !== 1 || p.dilation[1] !== 1;
  const g = new GraphBuilder('primitive');
  if (dilated) g.requireOpset(19);
  const x = g.input('x', 'float32', ['n', 'c', shape[2], shape[3]]);
  const attrs = {
    ...poolAttrs(p),
    count_include_pad: p.countIncludePad === false ? 0 : 1,
    ...(dilated ? { dilations: p.dilation } : {}),
  };
  const [, , oh, ow] = pool2dOutputShape(shape, p);
  g.output(cropTo(g, g.op('AveragePool', [x], attrs), oh, ow), 'float32');
  return g;
}
