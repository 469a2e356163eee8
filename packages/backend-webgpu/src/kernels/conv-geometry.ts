// The convolution geometry as `params` words, one layout for the implicit-GEMM kernels (conv.ts,
// after gemm-tile's own words) and the direct ones (conv-direct.ts, from word 0).
import type { Conv2dGeometry, Conv2dParams } from '@proj/core';

/** WGSL names of the geometry words, in the order {@link geometryWords} lays them out. */
export const GEOMETRY = [
  'N',
  'C',
  'H',
  'W',
  'O',
  'kH',
  'kW',
  'oH',
  'oW',
  'Cg',
  'Og',
  'sH',
  'sW',
  'pH',
  'pW',
  'dH',
  'dW',
] as const;

/** The geometry words: shapes, groups' sizes, then stride, padding and dilation (H, W each). */
export function geometryWords(g: Conv2dGeometry, p: Conv2dParams): number[] {
  return [
    g.N,
    g.C,
    g.H,
    g.W,
    g.O,
    g.kH,
    g.kW,
    g.oH,
    g.oW,
    g.Cg,
    g.Og,
    p.stride[0],
    p.stride[1],
    p.padding[0],
    p.padding[1],
    p.dilation[0],
    p.dilation[1],
  ];
}
