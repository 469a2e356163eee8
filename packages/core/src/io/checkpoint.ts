import { tidy } from '../tensor/scope.js';
import { Tensor } from '../tensor/tensor.js';
import { loadSafetensors, readSafetensorsHeader } from './safetensors-read.js';
import { saveSafetensors } from './safetensors-write.js';

/** `__metadata__` keys of a checkpoint file. */
const FORMAT_KEY = 'proj.format';
const VERSION_KEY = 'proj.version';
const DATA_KEY = 'proj.checkpoint';
const FORMAT_VERSION = '1';

/** What a checkpoint holds: modules/optimizers (anything with `stateDict()`), tensors and JSON-able values. */
export type CheckpointInput = Record<string, unknown>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isStateDict(v: unknown): v is Record<string, Tensor> {
  return isPlainObject(v) && Object.values(v).every((t) => t instanceof Tensor);
}

/**
 * Serialises a state dict, or a checkpoint `{ model, optimizer, epoch, … }`, to one safetensors
 * file. A plain state dict is written as is (PyTorch loads it with `safetensors.torch.load_file`).
 * In a checkpoint, objects with a `stateDict()` method (modules, optimizers, schedulers) are
 * replaced by their state dict, every tensor becomes a safetensors entry named by its path
 * (`model.fc1.weight`, `optimizer.state.0.expAvg`), and everything else (epoch, param groups,
 * extras) is stored as JSON in `__metadata__`. Non-finite numbers survive; functions and class
 * instances without `stateDict()` are refused.
 */
export function encodeCheckpoint(obj: CheckpointInput, op = 'save'): Uint8Array {
  if (!isPlainObject(obj))
    throw new Error(`${op}: expected a state dict or a plain object like { model, optimizer, epoch }`);
  return tidy(() => {
    if (isStateDict(obj)) return saveSafetensors(obj);
    const tensors: Record<string, Tensor> = {};
    const walk = (v: unknown, path: string): unknown => {
      if (v instanceof Tensor) {
        if (Object.hasOwn(tensors, path))
          throw new Error(`${op}: two tensors would be stored under the name '${path}'`);
        tensors[path] = v;
        return { $tensor: path };
      }
      if (typeof v === 'number') return Number.isFinite(v) ? v : { $number: String(v) };
      if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
      if (Array.isArray(v)) return v.map((x, i) => walk(x, join(path, String(i))));
      if (isPlainObject(v)) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
          if (k === '$tensor' || k === '$number')
            throw new Error(`${op}: the key '${k}' at '${path}' is reserved`);
          if (x !== undefined) out[k] = walk(x, join(path, k));
        }
        return out;
      }
      if (
        v !== null &&
        typeof v === 'object' &&
        typeof (v as { stateDict?: unknown }).stateDict === 'function'
      ) {
        return walk((v as { stateDict(): unknown }).stateDict(), path);
      }
      const kind = typeof v === 'object' ? ((v as object).constructor?.name ?? 'object') : typeof v;
      throw new Error(
        `${op}: cannot store a value of type ${kind} at '${path || '<root>'}' (expected tensors, JSON values or objects with stateDict())`,
      );
    };
    const json = walk(obj, '');
    const metadata = {
      [FORMAT_KEY]: 'checkpoint',
      [VERSION_KEY]: FORMAT_VERSION,
      [DATA_KEY]: JSON.stringify(json),
    };
    return saveSafetensors(tensors, metadata);
  });
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * Reads what {@link encodeCheckpoint} wrote: the checkpoint object with its tensors in place
 * (a module's or optimizer's entry comes back as its state dict, for `loadStateDict`), or a
 * plain state dict for a file without checkpoint metadata (e.g. one written by PyTorch).
 */
export function decodeCheckpoint<T = Record<string, unknown>>(
  bytes: Uint8Array | ArrayBuffer,
  opts: { device?: string } = {},
  op = 'load',
): T {
  const wrap = (e: unknown): Error => new Error((e as Error).message.replace(/^loadSafetensors:/, `${op}:`));
  let meta: Record<string, string>;
  try {
    meta = readSafetensorsHeader(bytes, op).metadata;
  } catch (e) {
    throw wrap(e);
  }
  if (meta[FORMAT_KEY] !== 'checkpoint') return loadSafetensors(bytes, opts) as T;
  if (meta[VERSION_KEY] !== FORMAT_VERSION) {
    throw new Error(
      `${op}: checkpoint format version ${meta[VERSION_KEY]} is not supported (expected ${FORMAT_VERSION})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(meta[DATA_KEY] ?? '');
  } catch (e) {
    throw new Error(
      `${op}: the checkpoint's '${DATA_KEY}' metadata is not valid JSON (${(e as Error).message})`,
    );
  }
  const tensors = loadSafetensors(bytes, opts);
  const used = new Set<string>();
  const rebuild = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rebuild);
    if (!isPlainObject(v)) return v;
    if (typeof v.$tensor === 'string') {
      const t = tensors[v.$tensor];
      if (!t)
        throw new Error(
          `${op}: the checkpoint refers to tensor '${v.$tensor}', which the file does not contain`,
        );
      used.add(v.$tensor);
      return t;
    }
    if (typeof v.$number === 'string') return Number(v.$number);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rebuild(x)]));
  };
  try {
    const out = rebuild(json) as T;
    const extra = Object.keys(tensors).filter((k) => !used.has(k));
    if (extra.length)
      throw new Error(`${op}: the file holds tensors the checkpoint does not use: ${extra.join(', ')}`);
    return out;
  } catch (e) {
    for (const t of Object.values(tensors)) t.dispose();
    throw e;
  }
}
