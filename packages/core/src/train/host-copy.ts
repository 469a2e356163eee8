// Metrics and logs read numbers synchronously; on a backend that only reads asynchronously
// (onnx-web) fit first copies what they read to one that does.
import { backendByName, listBackends } from '../backend/registry.js';
import type { Tensor } from '../tensor/tensor.js';

/** Whether `t`'s backend reads synchronously (`dataSync`, `item`). */
export function readsSync(t: Tensor): boolean {
  return t._backend.readsSync !== false;
}

/**
 * @internal `t` itself on a backend that reads synchronously; else an asynchronous copy on one
 * that does ('cpu' when registered), for the metrics. The caller disposes a copy it got.
 */
export async function readable(op: string, t: Tensor): Promise<Tensor> {
  if (readsSync(t)) return t;
  const names = listBackends().filter((n) => backendByName(n).readsSync !== false);
  const host = names.includes('cpu') ? 'cpu' : names[0];
  if (host === undefined) {
    throw new Error(
      `${op}: metrics on '${t.device}' (read asynchronously only) are computed on a backend that reads synchronously, and none is registered: import '@proj/backend-cpu'`,
    );
  }
  return t.toAsync(host);
}
