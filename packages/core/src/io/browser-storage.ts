// Checkpoints in the browser: IndexedDB (a transaction either stores the whole file or nothing,
// so a save is atomic as `save()` is on disk) and a download of the same safetensors bytes.
import { type CheckpointInput, decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';

/**
 * The DOM's `IDBFactory` where the DOM lib is loaded; where it is not (a Node project without
 * `lib: ["DOM"]`), the one method used here, so the published .d.ts compiles there too.
 */
export type IDBFactoryType = typeof globalThis extends { indexedDB: infer F }
  ? F
  : { open(name: string, version?: number): unknown };

/** Options of the IndexedDB helpers. */
export interface IndexedDBOptions {
  /** Database name (default `'proj'`); the files live in its object store `'checkpoints'`. */
  dbName?: string;
  /** The IndexedDB factory (default `globalThis.indexedDB`; e.g. fake-indexeddb in Node tests). */
  indexedDB?: IDBFactoryType;
}

const STORE = 'checkpoints';

function factory(op: string, opts: IndexedDBOptions): IDBFactory {
  const f = opts.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!f) {
    throw new Error(
      `${op}: IndexedDB is not available here (it is a browser API); in Node use save()/load() from '@proj/core/node'`,
    );
  }
  return f;
}

function request<T>(op: string, r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(new Error(`${op}: IndexedDB request failed: ${r.error?.message ?? r.error}`));
  });
}

async function open(op: string, opts: IndexedDBOptions): Promise<IDBDatabase> {
  const r = factory(op, opts).open(opts.dbName ?? 'proj', 1);
  r.onupgradeneeded = () => {
    if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE);
  };
  return request(op, r);
}

/** Runs `fn` in one transaction on the store; resolves once the transaction committed. */
async function inStore<T>(
  op: string,
  opts: IndexedDBOptions,
  mode: IDBTransactionMode,
  fn: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await open(op, opts);
  try {
    const tx = db.transaction(STORE, mode);
    const result = request(op, fn(tx.objectStore(STORE)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () =>
        reject(new Error(`${op}: IndexedDB transaction failed: ${tx.error?.message ?? 'aborted'}`));
    });
    return await result;
  } finally {
    db.close();
  }
}

/**
 * Stores a state dict, or a checkpoint `{ model, optimizer, epoch, … }`, in the page's
 * IndexedDB under `key`, as the same safetensors bytes `save()` writes in Node (one transaction:
 * the previous entry stays intact if it fails). Tensors are read synchronously: move a model
 * off an asynchronous backend first (`await model.toAsync('cpu')`). The browser's counterpart of
 * `torch.save`.
 *
 * @throws Error (the promise rejects) when IndexedDB is unavailable, the object holds a value
 *   a checkpoint cannot (a function, a class instance without `stateDict()`), or the
 *   transaction fails.
 *
 * @example
 * ```ts
 * await io.saveToIndexedDB('mnist-cnn', { model, optimizer: opt, epoch });
 * const ckpt = await io.loadFromIndexedDB<{ model: Record<string, Tensor> }>('mnist-cnn');
 * model.loadStateDict(ckpt.model);
 * ```
 */
export async function saveToIndexedDB(
  key: string,
  obj: CheckpointInput,
  opts: IndexedDBOptions = {},
): Promise<void> {
  const bytes = encodeCheckpoint(obj, 'saveToIndexedDB');
  await inStore('saveToIndexedDB', opts, 'readwrite', (s) => s.put(bytes, key));
}

/**
 * Reads what {@link saveToIndexedDB} stored under `key`: the checkpoint object with its tensors
 * (on `device`, default the current backend), or a plain state dict. A missing key or a corrupt
 * entry is refused with the reason. The browser's counterpart of `torch.load`.
 *
 * @throws Error (the promise rejects) when IndexedDB is unavailable, `key` is missing, or the
 *   stored bytes are not a valid checkpoint.
 */
export async function loadFromIndexedDB<T = Record<string, unknown>>(
  key: string,
  opts: IndexedDBOptions & { device?: string } = {},
): Promise<T> {
  const op = 'loadFromIndexedDB';
  const value = await inStore(op, opts, 'readonly', (s) => s.get(key));
  if (value === undefined) {
    const keys = await listIndexedDB(opts);
    throw new Error(
      `${op}: no entry '${key}' in IndexedDB database '${opts.dbName ?? 'proj'}' (stored: ${keys.length ? keys.join(', ') : 'none'})`,
    );
  }
  if (!(value instanceof Uint8Array || value instanceof ArrayBuffer)) {
    throw new Error(
      `${op}: the entry '${key}' is not checkpoint bytes (found ${Object.prototype.toString.call(value)})`,
    );
  }
  return decodeCheckpoint<T>(value, { device: opts.device }, op);
}

/** The keys stored by {@link saveToIndexedDB}, sorted. */
export async function listIndexedDB(opts: IndexedDBOptions = {}): Promise<string[]> {
  const keys = await inStore('listIndexedDB', opts, 'readonly', (s) => s.getAllKeys());
  return keys.map(String).sort();
}

/** Deletes the entry `key` (nothing happens when it does not exist). */
export async function deleteFromIndexedDB(key: string, opts: IndexedDBOptions = {}): Promise<void> {
  await inStore('deleteFromIndexedDB', opts, 'readwrite', (s) => s.delete(key));
}

/**
 * Offers a checkpoint (or raw bytes) to the user as a file download, named `filename`: the
 * same safetensors bytes `save()` writes, which PyTorch's `safetensors.torch.load_file` reads
 * for a plain state dict. Browser only.
 *
 * @example
 * ```ts
 * io.download('mnist-cnn.safetensors', model.stateDict());
 * ```
 */
export function download(filename: string, obj: CheckpointInput | Uint8Array): void {
  const doc = (globalThis as { document?: Document }).document;
  if (!doc || typeof URL.createObjectURL !== 'function') {
    throw new Error(`download: needs a browser page (document); in Node use save() from '@proj/core/node'`);
  }
  const bytes = obj instanceof Uint8Array ? obj : encodeCheckpoint(obj, 'download');
  const url = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
  );
  try {
    const a = doc.createElement('a');
    a.href = url;
    a.download = filename;
    a.style.display = 'none';
    doc.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // the click has started the download; the URL is no longer needed once this task ends
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
