// Graphs of the movement primitives: permute, expand, slice, pad, gather, scatter-add, concat.
// Sizes, offsets and pads are int64 inputs, not constants, so a session serves every shape of
// the same rank (see dims.ts).
import type { DType } from '@proj/core';
import { GraphBuilder, ONNX_DATA_TYPE, type OnnxDType } from '../../proto/index.js';
import { symbolic } from './dims.js';

/** Transpose with `perm`. */
export function permuteGraph(dtype: DType, perm: readonly number[]): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const x = g.input('x', dtype as OnnxDType, symbolic('x', perm.length));
  g.output(g.op('Transpose', [x], { perm }), dtype as OnnxDType);
  return g;
}

/** Expand (broadcast) a rank-`rank` input to the shape fed as input `shape` (int64 [outRank]). */
export function expandGraph(dtype: DType, rank: number, outRank: number): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const x = g.input('x', dtype as OnnxDType, symbolic('x', rank));
  const shape = g.input('shape', 'int64', [outRank]);
  g.output(g.op('Expand', [x, shape]), dtype as OnnxDType);
  return g;
}

/** Strided slice over every axis; `starts`, `ends`, `steps` are int64 [rank] inputs. */
export function sliceGraph(dtype: DType, rank: number): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const x = g.input('x', dtype as OnnxDType, symbolic('x', rank));
  const starts = g.input('starts', 'int64', [rank]);
  const ends = g.input('ends', 'int64', [rank]);
  const steps = g.input('steps', 'int64', [rank]);
  const axes = g.int64s(Array.from({ length: rank }, (_, i) => i));
  g.output(g.op('Slice', [x, starts, ends, axes, steps]), dtype as OnnxDType);
  return g;
}

/** The Slice inputs taking `sizes[i]` elements of dim i from `begin[i]` every `steps[i]`. */
export function sliceEnds(
  begin: readonly number[],
  sizes: readonly number[],
  steps: readonly number[],
): number[] {
  return begin.map((b, i) => b + (sizes[i] - 1) * steps[i] + 1);
}

/**
 * Constant padding; `pads` (int64 [2·rank], ONNX order: all begins, then all ends) and the pad
 * value (a scalar) are inputs, so one session serves every size, padding and value.
 */
export function padGraph(dtype: DType, rank: number): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const x = g.input('x', dtype as OnnxDType, symbolic('x', rank));
  const pads = g.input('pads', 'int64', [2 * rank]);
  const value = g.input('value', dtype as OnnxDType, []);
  g.output(g.op('Pad', [x, pads, value], { mode: 'constant' }), dtype as OnnxDType);
  return g;
}

/**
 * torch.gather as GatherElements. The index may be smaller than x along the other dims
 * (torch allows it); with `sliced`, x is first cut down to the extents fed as input `ends`.
 */
export function gatherGraph(dtype: DType, rank: number, axis: number, sliced: boolean): GraphBuilder {
  const g = new GraphBuilder('primitive');
  let x = g.input('x', dtype as OnnxDType, symbolic('x', rank));
  const index = g.input('index', 'int32', symbolic('i', rank));
  if (sliced) {
    const ends = g.input('ends', 'int64', [rank]);
    const all = Array.from({ length: rank }, (_, i) => i);
    x = g.op('Slice', [x, g.int64s(all.map(() => 0)), ends, g.int64s(all)]);
  }
  g.output(g.op('GatherElements', [x, index], { axis }), dtype as OnnxDType);
  return g;
}

/**
 * torch.scatter_add as ScatterElements with reduction 'add'. With `wide`, int32 is summed in
 * float64 and returned as float64 for the host to narrow with a range check (ORT's int32 add wraps).
 */
export function scatterAddGraph(dtype: DType, rank: number, axis: number, wide = false): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  let target = g.input('target', t, symbolic('t', rank));
  const index = g.input('index', 'int32', symbolic('i', rank));
  let src = g.input('src', t, symbolic('s', rank));
  const ct = wide ? ONNX_DATA_TYPE.float64 : t === 'bool' ? ONNX_DATA_TYPE.int32 : null;
  if (ct !== null) {
    target = g.op('Cast', [target], { to: ct });
    src = g.op('Cast', [src], { to: ct });
  }
  let y = g.op('ScatterElements', [target, index, src], { axis, reduction: 'add' });
  if (t === 'bool') y = g.op('Cast', [y], { to: ONNX_DATA_TYPE.bool });
  g.output(y, wide ? 'float64' : t);
  return g;
}

/** Concat of `count` rank-`rank` inputs along `axis`. */
export function concatGraph(dtype: DType, count: number, rank: number, axis: number): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const xs = Array.from({ length: count }, (_, i) =>
    g.input(`x${i}`, dtype as OnnxDType, symbolic(`x${i}_`, rank)),
  );
  g.output(g.op('Concat', xs, { axis }), dtype as OnnxDType);
  return g;
}
