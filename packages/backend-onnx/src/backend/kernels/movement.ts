// Graphs of the movement primitives: permute, expand, slice, pad, gather, scatter-add, concat.
import type { DType, Shape } from '@proj/core';
import { GraphBuilder, type OnnxDType } from '../../proto/index.js';

/** Transpose with `perm`. */
export function permuteGraph(dtype: DType, shape: Shape, perm: readonly number[]): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const x = g.input('x', dtype as OnnxDType, shape);
  g.output(g.op('Transpose', [x], { perm }), dtype as OnnxDType);
  return g;
}

/** Expand (broadcast) to `outShape`. */
export function expandGraph(dtype: DType, shape: Shape, outShape: Shape): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const x = g.input('x', dtype as OnnxDType, shape);
  g.output(g.op('Expand', [x, g.int64s(outShape)]), dtype as OnnxDType);
  return g;
}

/** Strided slice: `sizes[i]` elements of dim i from `begin[i]` every `steps[i]`. */
export function sliceGraph(
  dtype: DType,
  shape: Shape,
  begin: readonly number[],
  sizes: readonly number[],
  steps: readonly number[],
): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const x = g.input('x', dtype as OnnxDType, shape);
  const ends = begin.map((b, i) => b + (sizes[i] - 1) * steps[i] + 1);
  const axes = shape.map((_, i) => i);
  g.output(
    g.op('Slice', [x, g.int64s(begin), g.int64s(ends), g.int64s(axes), g.int64s(steps)]),
    dtype as OnnxDType,
  );
  return g;
}

/** Constant padding; the pad value is a scalar input so one session serves every value. */
export function padGraph(
  dtype: DType,
  shape: Shape,
  pads: readonly (readonly [number, number])[],
): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const x = g.input('x', dtype as OnnxDType, shape);
  const value = g.input('value', dtype as OnnxDType, []);
  const onnxPads = [...pads.map((p) => p[0]), ...pads.map((p) => p[1])];
  g.output(g.op('Pad', [x, g.int64s(onnxPads), value], { mode: 'constant' }), dtype as OnnxDType);
  return g;
}

/**
 * torch.gather as GatherElements. The index may be smaller than x along the other dims
 * (torch allows it); x is sliced down to the index's extent there first.
 */
export function gatherGraph(dtype: DType, shape: Shape, axis: number, indexShape: Shape): GraphBuilder {
  const g = new GraphBuilder('primitive');
  let x = g.input('x', dtype as OnnxDType, shape);
  const index = g.input('index', 'int32', indexShape);
  const ends = shape.map((d, i) => (i === axis ? d : indexShape[i]));
  if (ends.some((e, i) => e !== shape[i])) {
    x = g.op('Slice', [x, g.int64s(shape.map(() => 0)), g.int64s(ends), g.int64s(shape.map((_, i) => i))]);
  }
  g.output(g.op('GatherElements', [x, index], { axis }), dtype as OnnxDType);
  return g;
}

/** torch.scatter_add as ScatterElements with reduction 'add'. */
export function scatterAddGraph(dtype: DType, shape: Shape, axis: number, indexShape: Shape): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  let target = g.input('target', t, shape);
  const index = g.input('index', 'int32', indexShape);
  let src = g.input('src', t, indexShape);
  if (t === 'bool') {
    target = g.op('Cast', [target], { to: 6 });
    src = g.op('Cast', [src], { to: 6 });
  }
  let y = g.op('ScatterElements', [target, index, src], { axis, reduction: 'add' });
  if (t === 'bool') y = g.op('Cast', [y], { to: 9 });
  g.output(y, t);
  return g;
}

/** Concat along `axis`. */
export function concatGraph(dtype: DType, shapes: readonly Shape[], axis: number): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const xs = shapes.map((s, i) => g.input(`x${i}`, dtype as OnnxDType, s));
  g.output(g.op('Concat', xs, { axis }), dtype as OnnxDType);
  return g;
}
