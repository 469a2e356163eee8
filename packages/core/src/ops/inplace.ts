import { isGradEnabled } from '../autograd/grad-mode.js';
import { Node } from '../autograd/node.js';
import { isFloat, promoteTypes } from '../tensor/dtype.js';
import { fmtShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { cast, clone } from './convert.js';

/**
 * Runs an in-place op: `compute()` builds the result out of place (recorded as usual, with
 * `t` among its inputs), then `t` takes over the result's storage and history. Every view
 * sharing `t`'s storage sees the new values, and the storage version moves on so that
 * autograd refuses to backward through nodes that saved the old values.
 */
export function inplace(op: string, t: Tensor, compute: () => Tensor): Tensor {
  t._check(op);
  if (isGradEnabled() && t._requiresGrad && t.gradFn === null) {
    throw new Error(
      `${op}: a leaf tensor that requires grad is being used in an in-place operation ` +
        '(wrap the update in noGrad(), or use the out-of-place op)',
    );
  }
  const leaf = t._storage.gradLeaf;
  if (
    isGradEnabled() &&
    t.gradFn !== null &&
    leaf !== null &&
    leaf !== t &&
    leaf._requiresGrad &&
    !leaf.isDisposed
  ) {
    throw new Error(
      `${op}: a view of a leaf tensor that requires grad is being used in an in-place operation ` +
        `(view ${fmtShape(t.shape)}); wrap the update in noGrad(), or clone() the view first`,
    );
  }
  const copyOf = t._storage.copyOf;
  if (copyOf !== null) {
    throw new Error(
      `${op}: in-place on the result of ${copyOf} ${fmtShape(t.shape)} would not write through to its source: ` +
        `PyTorch's ${copyOf} returns a view sharing storage, ours returns a copy. Use the out-of-place op ` +
        '(or clone() first, if the source must stay unchanged)',
    );
  }
  let r = compute();
  if (!shapesEqual(r.shape, t.shape)) {
    throw new Error(
      `${op}: output with shape ${fmtShape(t.shape)} doesn't match the broadcast shape ${fmtShape(r.shape)}`,
    );
  }
  if (r.dtype !== t.dtype) {
    if (promoteTypes(r.dtype, t.dtype) !== t.dtype && isFloat(r.dtype) && !isFloat(t.dtype)) {
      throw new Error(`${op}: result type ${r.dtype} can't be cast to the desired output type ${t.dtype}`);
    }
    r = cast(r, t.dtype);
  }
  if (r === t) return t;
  // The buffer is handed over, so it must belong to r alone (not be a view of another tensor).
  if (r._storage.refs > 1) r = clone(r);
  const st = t._storage;
  const sr = r._storage;
  if (st.backend !== sr.backend)
    throw new Error(`${op}: result is on ${r.device} but the tensor is on ${t.device}`);
  // Swap buffers: t gets the new values, r keeps the old ones.
  const h = st.handle;
  st.handle = sr.handle;
  sr.handle = h;
  st.version++;
  const node = r.gradFn as Node | null;
  if (node instanceof Node) {
    // The node's inputs refer to t as it was: hand them a tensor holding the old values and history.
    const prev = new Tensor(sr, t.shape, t.dtype);
    prev.gradFn = t.gradFn;
    prev._requiresGrad = t._requiresGrad;
    node.inputs = node.inputs.map((x) => (x === t ? prev : x));
    node.saved = node.saved.map((x) => (x === t ? prev : x === r ? t : x));
    node.savedVersions = node.saved.map((x) => x._storage.version);
    t.gradFn = node;
    t._requiresGrad = true;
    r.gradFn = null;
  }
  r.dispose();
  return t;
}
