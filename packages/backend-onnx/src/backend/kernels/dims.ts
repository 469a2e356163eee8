// Symbolic dims of the primitive models. A primitive whose result does not depend on the
// concrete sizes (elementwise, reductions over given axes, matmul, softmax, movement with the
// sizes fed as int64 inputs) declares its inputs with named symbolic dims, so its session key
// leaves the sizes out and one session serves every batch size. Names are distinct per input
// dim ('a0', 'a1', 'b0', …): a shared name would tell ORT the two sizes are equal.
import type { Dim } from '../../proto/index.js';

/** `rank` symbolic dims named `${prefix}0`, `${prefix}1`, …. */
export function symbolic(prefix: string, rank: number): Dim[] {
  return Array.from({ length: rank }, (_, i) => `${prefix}${i}`);
}
