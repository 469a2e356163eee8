import { alloc, type FloatArray } from '../storage.js';
import { reluBackwardWasm } from './elementwise-wasm.js';

/**
 * Gradient of ReLU, `y > 0 ? g : 0` (+0 where `y <= 0` or NaN), in one pass over same-length
 * float arrays. ReLU masks are close to random, so a per-element branch mispredicts about half
 * the time; instead the comparison becomes an all-ones or all-zeros integer mask that is ANDed
 * with the bits of `g` (through Int32 views), which is exact for every value of `g`.
 *
 * @example
 * reluBackwardOp(new Float32Array([5, 6]), new Float32Array([0, 2])); // Float32Array [0, 6]
 */
export function reluBackwardOp(g: FloatArray, y: FloatArray): FloatArray {
  const n = g.length;
  if (g instanceof Float32Array) {
    const out = alloc('float32', n) as Float32Array;
    if (y instanceof Float32Array && reluBackwardWasm(g, y, out)) return out;
    const gi = new Int32Array(g.buffer, g.byteOffset, n);
    const oi = new Int32Array(out.buffer, 0, n);
    for (let i = 0; i < n; i++) oi[i] = gi[i] & -+(y[i] > 0);
    return out;
  }
  // float64: two 32-bit words per element share the mask.
  const out = alloc('float64', n) as Float64Array;
  const gi = new Int32Array(g.buffer, g.byteOffset, 2 * n);
  const oi = new Int32Array(out.buffer, 0, 2 * n);
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    const m = -+(y[i] > 0);
    oi[j] = gi[j] & m;
    oi[j + 1] = gi[j + 1] & m;
  }
  return out;
}
