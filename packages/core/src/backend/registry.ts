import type { Backend } from './backend.js';
import { withHalfStorage } from './half-storage.js';

interface Entry {
  factory: () => Backend;
  priority: number;
  instance?: Backend;
}

const entries = new Map<string, Entry>();
let current: string | undefined;

/**
 * Makes a backend available under `name`. Backend packages call this on import
 * (`import '@proj/backend-cpu'`). The instance is created lazily on first use.
 * When no backend was chosen with {@link setBackend}, the one with the highest
 * `priority` is used; 'cpu' registers with priority 1 as the embedded default. Registering
 * a name again replaces the backend (destroying the old instance). TF.js's
 * `tf.registerBackend`; PyTorch's devices are built in.
 *
 * @example
 * ```ts
 * import { CpuBackend } from '@proj/backend-cpu';
 *
 * registerBackend('cpu-test', () => new CpuBackend(), { priority: 2 }); // preferred over 'cpu'
 * ```
 */
export function registerBackend(
  name: string,
  factory: () => Backend,
  opts: { priority?: number } = {},
): void {
  const old = entries.get(name);
  if (old?.instance) old.instance.destroy?.();
  entries.set(name, { factory, priority: opts.priority ?? 0 });
}

/** Removes a backend (tests; TF.js's `tf.removeBackend`). Tensors still on it become unusable. */
export function removeBackend(name: string): void {
  const e = entries.get(name);
  e?.instance?.destroy?.();
  entries.delete(name);
  if (current === name) current = undefined;
}

/** Names of all registered backends, in registration order. */
export function listBackends(): string[] {
  return [...entries.keys()];
}

/**
 * Selects the backend new tensors are created on (TF.js's `tf.setBackend`; PyTorch 2's
 * `torch.set_default_device`).
 *
 * @throws Error when `name` is not registered (the message lists the registered ones).
 *
 * @example
 * ```ts
 * import '@proj/backend-cpu';
 * setBackend('cpu');
 * ```
 */
export function setBackend(name: string): void {
  backendByName(name);
  current = name;
}

/**
 * The backend new tensors go to (its instance), creating it on first use (TF.js's
 * `tf.backend()`).
 *
 * @throws Error when no backend is registered.
 */
export function getBackend(): Backend {
  return backendByName(currentBackendName());
}

/**
 * Name of the backend new tensors go to (TF.js's `tf.getBackend()`): the one chosen with
 * {@link setBackend}, else the registered one of highest priority.
 *
 * @throws Error when no backend is registered.
 */
export function currentBackendName(): string {
  if (current !== undefined) return current;
  let best: string | undefined;
  let bestPriority = Number.NEGATIVE_INFINITY;
  for (const [name, e] of entries) {
    if (e.priority > bestPriority) {
      best = name;
      bestPriority = e.priority;
    }
  }
  if (best === undefined) {
    throw new Error(
      "no backend registered: import a backend package first, e.g. `import '@proj/backend-cpu'`",
    );
  }
  current = best;
  return best;
}

/**
 * The instance of backend `name`, creating it on first use.
 *
 * @throws Error when `name` is not registered (the message lists the registered ones).
 */
export function backendByName(name: string): Backend {
  const e = entries.get(name);
  if (!e) {
    const known = listBackends();
    throw new Error(
      `backend '${name}' is not registered (registered: ${known.length ? known.join(', ') : 'none'}); ` +
        `import its package, e.g. \`import '@proj/backend-${name}'\``,
    );
  }
  // float16/bfloat16 are stored as float32 on every backend (one mechanism, in core)
  if (!e.instance) e.instance = withHalfStorage(e.factory());
  return e.instance;
}
