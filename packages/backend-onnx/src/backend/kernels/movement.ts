// Graphs of the movement primitives: permute, expand, slice, pad, gather, scatter-add, concat.
import type { DType, Shape } from '@proj/core';
import { GraphBuilder, type OnnxType } from '../graph.js';

/** Transpose with `perm`. */
export function permuteGraph(dtype: DType, shape: Shape, perm: readonly number[]): GraphBuilder {
  const g = new GraphBuilder();
  const x = g.input(dtype as OnnxType, shape);
  g.output(g.node('Transpose', [x], { perm }), dtype as OnnxType);
  return g;
}

/** Expand (broadcast) to `outShape`. */
export function expandGraph(dtype: DType, shape: Shape, outShape: Shape): GraphBuilder {
  const g = new GraphBuilder();
  const x = g.input(dtype as OnnxType, shape);
  g.output(g.node('Expand', [x, g.ints(outShape)]), dtype as OnnxType);
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
  const g = new GraphBuilder();
  const x = g.input(dtype as OnnxType, shape);
  const ends = begin.map((b, i) => b + (sizes[i] - 1) * steps[i] + 1);
  const axes = shape.map((_, i) => i);
  g.output(g.node('Slice', [x, g.ints(begin), g.ints(ends), g.ints(axes), g.ints(steps)]), dtype as OnnxType);
  return g;
}

/** Constant padding; the pad value is a scalar input so one session serves every value. */
export function padGraph(
  dtype: DType,
  shape: Shape,
  pads: readonly (readonly [number, number])[],
): GraphBuilder {
  const g = new GraphBuilder();
  const x = g.input(dtype as OnnxType, shape);
  const value = g.input(dtype as OnnxType, []);
  const onnxPads = [...pads.map((p) => p[0]), ...pads.map((p) => p[1])];
  g.output(g.node('Pad', [x, g.ints(onnxPads), value], { mode: 'constant' }), dtype as OnnxType);
  return g;
}

/**
 * torch.gather as GatherElements. The index may be smaller than x along the other dims
 * (torch allows it); x is sliced down to the index's extent there first.
 */
export function gatherGraph(dtype: DType, shape: Shape, axis: number, indexShape: Shape): GraphBuilder {
  const g = new GraphBuilder();
  let x = g.input(dtype as OnnxType, shape);
  const index = g.input('int32', indexShape);
  const ends = shape.map((d, i) => (i === axis ? d : indexShape[i]));
  if (ends.some((e, i) => e !== shape[i])) {
    x = g.node('Slice', [x, g.ints(shape.map(() => 0)), g.ints(ends), g.ints(shape.map((_, i) => i))]);
  }
  g.output(g.node('GatherElements', [x, index], { axis }), dtype as OnnxType);
  return g;
}

/** torch.scatter_add as ScatterElements with reduction 'add'. */
export function scatterAddGraph(dtype: DType, shape: Shape, axis: number, indexShape: Shape): GraphBuilder {
  const g = new GraphBuilder();
  const t = dtype as OnnxType;
  let target = g.input(t, shape);
  const index = g.input('int32', indexShape);
  let src = g.input(t, indexShape);
  if (t === 'bool') {
    target = g.node('Cast', [target], { to: 6 });
    src = g.node('Cast', [src], { to: 6 });
  }
  let y = g.node('ScatterElements', [target, index, src], { axis, reduction: 'add' });
  if (t === 'bool') y = g.node('Cast', [y], { to: 9 });
  g.output(y, t);
  return g;
}

/** Concat along `axis`. */
export function concatGraph(dtype: DType, shapes: readonly Shape[], axis: number): GraphBuilder {
  const g = new GraphBuilder();
  const xs = shapes.map((s) => g.input(dtype as OnnxType, s));
  g.output(g.node('Concat', xs, { axis }), dtype as OnnxType);
  return g;
}
