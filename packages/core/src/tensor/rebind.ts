// The seam a tracer (compile in @proj/backend-onnx) needs: run a step with the model's tensors
// standing for symbolic values of another backend, put them back, then give them the values
// the compiled program computed; without reaching into Tensor's storage from outside core.
import { backendByName } from '../backend/registry.js';
import { Storage } from './storage.js';
import { Tensor } from './tensor.js';

function requireDense(op: string, t: Tensor): void {
  if (!t._dense) {
    throw new Error(
      `${op}: the tensor must own its storage in row-major order (a view of shape [${t.shape.join(', ')}] was given)`,
    );
  }
}

/**
 * Makes `t` (which must own its storage densely: a parameter, buffer or optimizer state)
 * hold `handle` of the backend registered as `device` until the returned function is called,
 * which puts its own storage back (untouched) and frees the temporary one. For tracers.
 *
 * @throws Error when `t` is a view or `device` is not a registered backend.
 */
export function swapStorage(t: Tensor, device: string, handle: unknown): () => void {
  requireDense('swapStorage', t);
  const own = t._storage;
  const temp = new Storage(backendByName(device), device, handle, own.bytes);
  temp.retain();
  t._storage = temp;
  return () => {
    // the tensor may have been rebound again while swapped (an in-place op replaces the
    // handle of `temp`, not the storage): whatever it holds now is released
    const now = t._storage;
    t._storage = own;
    now.release();
  };
}

/**
 * Gives `t` new values: `handle`, a buffer of `t`'s own backend with `t`'s shape and dtype,
 * replaces its storage's buffer (the old one is freed; views of `t` see the new values, as
 * after an in-place op). For compiled programs handing back what they computed.
 *
 * @throws Error when `t` is a view.
 */
export function replaceHandle(t: Tensor, handle: unknown): void {
  requireDense('replaceHandle', t);
  t._storage.replace(handle);
}

/**
 * A new tensor over `handle`, a buffer of the backend registered as `device` holding
 * `shape`'s elements of `dtype` in row-major order (the tensor takes ownership of it).
 *
 * @throws Error when `device` is not a registered backend.
 */
export function tensorFromHandle(
  device: string,
  handle: unknown,
  shape: readonly number[],
  dtype: Tensor['dtype'],
): Tensor {
  return Tensor._fromHandle(backendByName(device), device, handle, [...shape], dtype);
}
