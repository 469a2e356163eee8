import type { Backend } from '../backend/backend.js';
import type { DType, TensorInfo } from '../backend/types.js';
import { flatPositions, type Geometry } from './strides.js';

// Reading and writing strided views through a backend: its native asStrided/asStridedScatter
// when it has them, otherwise a composite of required primitives (gather, scatterAdd, where)
// with the storage positions computed here, so that a new backend gets views for free.

/** The whole storage buffer behind `handle`, seen as 1-D (what the strided primitives take). */
function flat(handle: unknown, numel: number, dtype: DType): TensorInfo {
  return { handle, shape: [numel], dtype };
}

/** A dense copy of the view `g` of a storage buffer of `numel` elements. */
export function readStrided(b: Backend, handle: unknown, numel: number, dtype: DType, g: Geometry): unknown {
  const base = flat(handle, numel, dtype);
  if (b.asStrided) return b.asStrided(base, g.shape, g.strides, g.offset);
  const pos = flatPositions(g);
  if (pos.length === 0) return b.fill(g.shape, dtype, 0);
  const idx = b.write(pos, [pos.length], 'int32');
  try {
    // gather's 1-D result is the row-major layout of the view (shapes are core's bookkeeping).
    return b.gather(base, 0, { handle: idx, shape: [pos.length], dtype: 'int32' });
  } finally {
    b.disposeData(idx);
  }
}

/**
 * A copy of a storage buffer of `numel` elements in which the view `g` (distinct elements)
 * holds `src`'s values (dense, `g.shape`).
 */
export function writeStrided(
  b: Backend,
  handle: unknown,
  numel: number,
  dtype: DType,
  g: Geometry,
  src: TensorInfo,
): unknown {
  const base = flat(handle, numel, dtype);
  if (b.asStridedScatter) return b.asStridedScatter(base, src, g.shape, g.strides, g.offset);
  const pos = flatPositions(g);
  const mask = new Uint8Array(numel);
  for (let i = 0; i < pos.length; i++) mask[pos[i]] = 1;
  const n = pos.length;
  // scatterAdd onto zeros places each value once (positions are distinct); where() keeps the rest.
  const work: DType = dtype === 'bool' ? 'int32' : dtype;
  const temps: unknown[] = [];
  const tmp = (h: unknown): unknown => {
    temps.push(h);
    return h;
  };
  try {
    const idx = tmp(b.write(pos, [n], 'int32'));
    const s = work === dtype ? src.handle : tmp(b.cast(src, work));
    const zeros = tmp(b.fill([numel], work, 0));
    const placed = tmp(
      b.scatterAdd(
        { handle: zeros, shape: [numel], dtype: work },
        0,
        { handle: idx, shape: [n], dtype: 'int32' },
        { handle: s, shape: [n], dtype: work },
      ),
    );
    const cond = tmp(b.write(mask, [numel], 'bool'));
    const placedInfo = { handle: placed, shape: [numel], dtype: work };
    const p = work === dtype ? placed : tmp(b.cast(placedInfo, dtype));
    return b.where(
      { handle: cond, shape: [numel], dtype: 'bool' },
      { handle: p, shape: [numel], dtype },
      base,
      [numel],
    );
  } finally {
    for (const h of temps) b.disposeData(h);
  }
}
