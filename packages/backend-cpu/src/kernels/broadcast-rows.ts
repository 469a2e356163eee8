import type { Shape, TypedArray } from '@proj/core';
import { broadcastStrides, collapseDims } from './broadcast.js';

type A = TypedArray;
/** Both operands walk along: `o[oo+i] = f(a[ao+i], b[bo+i])`. */
export type VV = (a: A, ao: number, b: A, bo: number, o: A, oo: number, n: number) => void;
/** Right operand fixed: `o[oo+i] = f(a[ao+i], s)`. */
export type VS = (a: A, ao: number, s: number, o: A, oo: number, n: number) => void;
/** Left operand fixed: `o[oo+i] = f(s, b[bo+i])`. */
export type SV = (s: number, b: A, bo: number, o: A, oo: number, n: number) => void;

/** The three row loops of one binary op. Each is its own function so V8 inlines the math. */
export interface BinaryLoops {
  vv: VV;
  vs: VS;
  sv: SV;
}

/**
 * Walks the collapsed loop nest of a broadcast binary op row by row, running one of `loops`
 * per row (the row loop is picked once per call).
 */
export function broadcastRows(
  loops: BinaryLoops,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  outShape: Shape,
  out: TypedArray,
): void {
  const c = collapseDims(outShape, [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]);
  const shape = c.shape;
  const sa = c.strides[0];
  const sb = c.strides[1];
  const r = shape.length;
  const n = shape[r - 1];
  const rows = out.length / n;
  const ia = sa[r - 1];
  const ib = sb[r - 1];
  // 0: both walk; 1: b fixed; 2: a fixed; 3: both fixed along the row (one value repeated,
  // as when both operands have a size-1 last dim but the output does not).
  const mode = ia !== 0 && ib === 0 ? 1 : ia === 0 && ib !== 0 ? 2 : ia === 0 && ib === 0 ? 3 : 0;
  const idx = new Array<number>(r).fill(0);
  let ao = 0;
  let bo = 0;
  for (let row = 0, oo = 0; row < rows; row++, oo += n) {
    if (mode === 0) loops.vv(a, ao, b, bo, out, oo, n);
    else if (mode === 1) loops.vs(a, ao, b[bo], out, oo, n);
    else if (mode === 2) loops.sv(a[ao], b, bo, out, oo, n);
    else {
      loops.vv(a, ao, b, bo, out, oo, 1);
      out.fill(out[oo], oo + 1, oo + n);
    }
    for (let d = r - 2; d >= 0; d--) {
      ao += sa[d];
      bo += sb[d];
      if (++idx[d] < shape[d]) break;
      ao -= sa[d] * shape[d];
      bo -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
}
