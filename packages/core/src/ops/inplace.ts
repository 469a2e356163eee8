import { isGradEnabled } from '../autograd/grad-mode.js';
import { Node } from '../autograd/node.js';
import { ITEM_SIZE, isFloat, promoteTypes } from '../tensor/dtype.js';
import { fmtShape, shapesEqual, sizeOf, stridesOf } from '../tensor/shape.js';
import { Storage } from '../tensor/storage.js';
import { writeStrided } from '../tensor/strided-io.js';
import { type Geometry, hasInternalOverlap } from '../tensor/strides.js';
import { setTensorViewRefresh, Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { cast } from './convert.js';
import { scalarLike, wrap } from './util.js';
import { placeInZeros, readView } from './view.js';

/**
 * Runs an in-place op as PyTorch does: `compute()` builds the result out of place (recorded as
 * usual, with `t` among its inputs), then the result is written into `t`'s elements of the
 * storage, so the base and every view sharing it see the new values, and the storage version
 * moves on (autograd refuses to backward through nodes that saved the old values).
 *
 * Autograd: `t` takes the result's history. When `t` is a view, its base gets a `CopySlices`
 * history (the base with the view's region replaced) and `t` becomes a view of that base
 * again; other views of the base pick up the new history when next used (see
 * `refreshView`).
 */
export function inplace(op: string, t: Tensor, compute: (self: Tensor) => Tensor): Tensor {
  t._check(op);
  const grad = isGradEnabled();
  if (grad && t._requiresGrad && t.gradFn === null) {
    throw new Error(
      `${op}: a leaf tensor that requires grad is being used in an in-place operation ` +
        '(wrap the update in noGrad(), or use the out-of-place op)',
    );
  }
  const base = t._base;
  if (grad && base?._requiresGrad && base.gradFn === null && !base.isDisposed) {
    throw new Error(
      `${op}: a view of a leaf tensor that requires grad is being used in an in-place operation ` +
        `(view ${fmtShape(t.shape)} of ${fmtShape(base.shape)}); wrap the update in noGrad(), or clone() the view first`,
    );
  }
  if (grad && t._multiView !== null && t._requiresGrad) {
    throw new Error(
      `${op}: output ${fmtShape(t.shape)} of ${t._multiView} is a view and is being modified in place. This view is ` +
        `the output of a function that returns multiple views; such functions do not allow the output views to be ` +
        'modified in place. clone() the output first (or write under noGrad()).',
    );
  }
  if (hasInternalOverlap(t.shape, t._strides)) {
    throw new Error(
      `${op}: unsupported operation: more than one element of the written-to tensor ${fmtShape(t.shape)} ` +
        `(strides ${fmtShape(t._strides)}) refers to a single memory location (an expanded view). ` +
        'Please clone() the tensor before performing the operation.',
    );
  }
  // While recording, the op reads `t` through a stand-in with t's values and history: if its
  // backward saved them (mul_ needs the old values for the other operand's gradient), the
  // stand-in keeps them after t is overwritten (PyTorch saves `original_self` likewise).
  const self = grad ? standIn(t) : t;
  let r: Tensor;
  try {
    r = compute(self);
  } catch (e) {
    if (self !== t) self.dispose();
    throw e;
  }
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
  if (t._storage.backend !== r._storage.backend)
    throw new Error(`${op}: result is on ${r.device} but the tensor is on ${t.device}`);
  const node = grad && r.gradFn instanceof Node ? r.gradFn : null;
  const rebase = grad && base !== null && (node !== null || base._requiresGrad);
  if (rebase && !base._dense) {
    throw new Error(
      `${op}: in-place on a view of a non-contiguous detached tensor while recording gradients is not supported ` +
        `(view ${fmtShape(t.shape)}); clone() the detached tensor first`,
    );
  }
  if (self !== t) {
    if (node?.saved.includes(self)) keepOldValues(self);
    else self.dispose();
  }
  write(t, r);
  if (rebase) rebaseView(op, t, base, node !== null ? r : null);
  else if (node !== null) {
    t.gradFn = node;
    t._requiresGrad = true;
  } else if (grad && t._requiresGrad) {
    // A constant overwrote every element: nothing flows back to the old history.
    t.gradFn = new Node(`${capital(op)}Backward`, [t], (g) => [zerosOf(g)], []);
  }
  if (node !== null) {
    r.gradFn = null;
    // The op's backward may read its output (exp_ saves it): the result tensor becomes another
    // view of t's elements, so it sees t's values and version, and a later in-place write to t
    // is caught at backward as in PyTorch. Other saved tensors keep the version they were
    // saved at: `y.mul_(y)` saved y as the other operand, which this write changed.
    const savesOutput = node.saved.includes(r);
    if (savesOutput) shareElements(r, t);
    const recorded = node.savedVersions;
    node.savedVersions = node.saved.map((x, i) => (x === r || x === self ? x._storage.version : recorded[i]));
    if (savesOutput) return t;
  }
  r.dispose();
  return t;
}

/** A tensor with `t`'s storage, geometry and history: what the op's closure captures. */
function standIn(t: Tensor): Tensor {
  const s = new Tensor(t._storage, t.shape, t.dtype, t._strides, t._offset);
  s.gradFn = t.gradFn;
  s._requiresGrad = t._requiresGrad;
  s._base = t._base;
  s._viewVersion = t._viewVersion;
  return s;
}

/** Moves the stand-in onto a copy of its current values (the storage is about to change). */
function keepOldValues(s: Tensor): void {
  const old = s._storage;
  const copy = new Storage(old.backend, old.device, s._materialize(), sizeOf(s.shape) * ITEM_SIZE[s.dtype]);
  copy.retain();
  s._storage = copy;
  s._strides = stridesOf(s.shape);
  s._offset = 0;
  s._dense = true;
  s._base = null;
  old.release();
}

/** Makes `r` see `t`'s elements (its storage and geometry) instead of its own buffer. */
function shareElements(r: Tensor, t: Tensor): void {
  const own = r._storage;
  r._mat?.free();
  r._mat = null;
  r._storage = t._storage;
  t._storage.retain();
  r._strides = t._strides;
  r._offset = t._offset;
  r._dense = t._dense;
  r._base = null;
  own.release();
}

/** Writes `r`'s values into `t`'s elements of its storage (a new buffer for the storage). */
function write(t: Tensor, r: Tensor): void {
  const st = t._storage;
  if (t._dense) {
    if (r._dense && r._storage.refs === 1) {
      // t is its whole storage and r owns a dense buffer: hand it over (r keeps the old one).
      const h = st.handle;
      st.handle = r._storage.handle;
      r._storage.handle = h;
      st.version++;
    } else st.replace(r._materialize());
    return;
  }
  const g: Geometry = { shape: t.shape, strides: t._strides, offset: t._offset };
  st.replace(writeStrided(st.backend, st.handle, t._storageNumel(), t.dtype, g, r));
}

/**
 * After writing `r` into the view `t` of `base`: the base's history becomes CopySlices (its old
 * history outside the view, `r`'s inside), and `t` a view of the new base.
 */
function rebaseView(op: string, t: Tensor, base: Tensor, r: Tensor | null): void {
  const g: Geometry = { shape: t.shape, strides: t._strides, offset: t._offset };
  const baseShape = base.shape;
  const inputs = r !== null ? [base, r] : [base];
  const copySlices = new Node(
    `CopySlices(${op})`,
    inputs,
    (gradIn) => {
      // Both parts are recorded ops, so CopySlices is differentiable again (createGraph).
      const gView = readView(gradIn, g, false);
      const outside = where(insideMask(gradIn, baseShape, g), scalarLike(gradIn, 0, gradIn.dtype), gradIn);
      return r !== null ? [outside, gView] : [outside];
    },
    [],
  );
  base.gradFn = copySlices;
  base._requiresGrad = true;
  asViewOf(t, base, g);
}

/** A bool tensor of `shape`, true at the elements of the view `g` (over its dense layout). */
function insideMask(like: Tensor, shape: readonly number[], g: Geometry): Tensor {
  const b = like._backend;
  const n = sizeOf(shape);
  const zeros = b.fill([n], 'bool', 0);
  const ones = wrap(like, b.fill(g.shape, 'bool', 1), g.shape, 'bool');
  try {
    return wrap(like, writeStrided(b, zeros, n, 'bool', g, ones), shape, 'bool');
  } finally {
    b.disposeData(zeros);
    ones.dispose();
  }
}

/** Gives the view `t` the history "elements `g` of `base`" (PyTorch's regenerated view grad_fn). */
function asViewOf(t: Tensor, base: Tensor, g: Geometry): void {
  const baseShape = base.shape;
  t.gradFn = new Node('AsStridedBackward', [base], (grad) => [placeInZeros(grad, baseShape, g, false)], []);
  t._requiresGrad = true;
  t._viewVersion = t._storage.version;
}

/**
 * Called by autograd before a view is used as an op's input (and before backward from it):
 * when its storage was written since its history was made, and its base requires grad, the
 * view's history becomes "these elements of the base as it is now" (PyTorch regenerates a
 * view's grad_fn the same way).
 */
export function refreshView(t: Tensor): void {
  const base = t._base!;
  t._viewVersion = t._storage.version;
  if (!base._requiresGrad || !base._dense || base.isDisposed) return;
  asViewOf(t, base, { shape: t.shape, strides: t._strides, offset: t._offset });
}

setTensorViewRefresh(refreshView);

function zerosOf(g: Tensor): Tensor {
  return wrap(g, g._backend.fill(g.shape, g.dtype, 0), g.shape, g.dtype);
}

function capital(op: string): string {
  const name = op.endsWith('_') ? op.slice(0, -1) : op;
  return name.charAt(0).toUpperCase() + name.slice(1);
}
