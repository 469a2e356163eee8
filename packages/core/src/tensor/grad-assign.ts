import { fmtShape, shapesEqual } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Checks `t.grad = g` as PyTorch does: a wrong gradient is refused where it is assigned, not
 * later in an optimizer step or, worse, silently broadcast into the update.
 */
export function checkGradAssignment(t: Tensor, g: unknown, isTensor: boolean): void {
  if (g === null) return;
  // `isTensor` comes from the caller: tensor.ts imports this file, so no instanceof here.
  if (!isTensor) {
    const kind = g === undefined ? 'undefined' : Array.isArray(g) ? 'an array' : typeof g;
    throw new TypeError(`grad: assigned grad expected to be a Tensor or null, got ${kind}`);
  }
  const grad = g as Tensor;
  const of = `for a tensor of shape ${fmtShape(t.shape)} ${t.dtype} on ${t.device}`;
  if (grad === t) throw new Error(`grad: can't assign a tensor as its own grad (${fmtShape(t.shape)})`);
  // A disposed grad is not refused: backward treats one as absent, and gradcheck restores
  // whatever grad a tensor had, disposed or not.
  if (!shapesEqual(grad.shape, t.shape)) {
    throw new Error(`grad: assigned grad has data of a different size: ${fmtShape(grad.shape)} ${of}`);
  }
  if (grad.dtype !== t.dtype) {
    throw new Error(
      `grad: assigned grad has data of a different type: ${grad.dtype} ${of} (cast it with .to('${t.dtype}'))`,
    );
  }
  if (grad.device !== t.device) {
    throw new Error(
      `grad: assigned grad has data located on a different device: ${grad.device} ${of} (use .to('${t.device}'))`,
    );
  }
}
