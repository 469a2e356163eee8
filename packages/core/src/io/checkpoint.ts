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
 * instances without `stateDict()` are refused. The in-memory half of `torch.save` (Node's
 * `save` and the browser helpers write these bytes).
 *
 * @throws Error, naming `op`, when `obj` is not a plain object or state dict, or holds a value
 *   that cannot be stored (a function, a class instance without `stateDict()`), a reserved key,
 *   or two tensors that would share a name.
 *
 * @example
 * ```ts
 * const bytes = io.encodeCheckpoint({ model, optimizer: opt, epoch: 3 });
 * const back = io.decodeCheckpoint<{ epoch: number }>(bytes);
 * ```
 */
export function encodeCheckpoint(obj: CheckpointInput, op = 'save'): Uint8Array {
  if (!isPlainObject(obj))
    throw new Error(`${op}: expected a state dict or a plain object like { model, optimizer, epoch }`);
  return tidy(() => {
    if (isStateDict(obj)) return saveSafetensors(obj);
    // Null-prototype records: a user key '__proto__' is stored as a key, not as a prototype.
    const tensors: Record<string, Tensor> = Object.create(null);
    const walk = (v: unknown, path: string): unknown => {
      if (v instanceof Tensor) {
        if (Object.hasOwn(tensors, path))
          throw new Error(`${op}: two tensors would be stored under the name '${path}'`);
        tensors[path] = v;
        return { $tensor: path };
      }
      // JSON has no NaN, ±Infinity or -0 (JSON.stringify(-0) is "0"): those go as strings.
      if (typeof v === 'number')
        return Number.isFinite(v) && !Object.is(v, -0) ? v : { $number: Object.is(v, -0) ? '-0' : String(v) };
      if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
      if (Array.isArray(v)) return v.map((x, i) => walk(x, join(path, String(i))));
      if (isPlainObject(v)) {
        const out: Record<string, unknown> = Object.create(null);
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
 * plain state dict for a file without checkpoint metadata (e.g. one written by PyTorch). The
 * in-memory half of `torch.load`. Objects come back with null prototypes (see the package README).
 *
 * @throws Error, naming `op`, when the bytes are not a valid safetensors file or the checkpoint
 *   metadata does not match its tensors.
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
  if (meta[FORMAT_KEY] !== 'checkpoint') {
    try {
      return loadSafetensors(bytes, opts) as T;
    } catch (e) {
      throw wrap(e);
    }
  }
  if (meta[VERSION_KEY] !== FORMAT_VERSION) {
    throw new Error(
      `${op}: checkpoint format version ${meta[VERSION_KEY]} is not supported (expected ${FORMAT_VERSION})`,
    );
  }
  if (!Object.hasOwn(meta, DATA_KEY))
    throw new Error(`${op}: the checkpoint has no '${DATA_KEY}' metadata (file corrupt)`);
  let json: unknown;
  try {
    json = JSON.parse(meta[DATA_KEY]);
  } catch (e) {
    throw new Error(
      `${op}: the checkpoint's '${DATA_KEY}' metadata is not valid JSON (${(e as Error).message})`,
    );
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new Error(`${op}: the checkpoint's '${DATA_KEY}' metadata must be a JSON object`);
  let tensors: Record<string, Tensor>;
  try {
    tensors = loadSafetensors(bytes, opts);
  } catch (e) {
    throw wrap(e);
  }
  try {
    return rebuildCheckpoint(json, tensors, op) as T;
  } catch (e) {
    for (const t of Object.values(tensors)) t.dispose();
    throw e;
  }
}

/** The numbers JSON cannot hold, as {@link encodeCheckpoint} spells them. */
const SPECIAL_NUMBERS: Readonly<Record<string, number>> = Object.freeze(
  Object.assign(Object.create(null), {
    NaN: Number.NaN,
    Infinity: Number.POSITIVE_INFINITY,
    '-Infinity': Number.NEGATIVE_INFINITY,
    '-0': -0,
  }),
);

/**
 * Puts the file's tensors back in place of their `{ $tensor: name }` references. Everything here
 * comes from the file: objects are rebuilt with null prototypes (a key '__proto__' stays a key),
 * references are looked up as own names only (never 'constructor' or 'toString' of a prototype),
 * each tensor is used exactly once, and every tensor of the file must be used.
 */
function rebuildCheckpoint(json: unknown, tensors: Record<string, Tensor>, op: string): unknown {
  const used = new Set<string>();
  const rebuild = (v: unknown, path: string): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => rebuild(x, join(path, String(i))));
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    const at = path || '<root>';
    if (Object.hasOwn(o, '$tensor')) {
      const name = o.$tensor;
      if (typeof name !== 'string' || keys.length !== 1) {
        throw new Error(`${op}: malformed tensor reference at '${at}' (expected { "$tensor": "<name>" })`);
      }
      if (!Object.hasOwn(tensors, name)) {
        throw new Error(
          `${op}: the checkpoint refers to tensor ${JSON.stringify(name)} at '${at}', which the file does not contain`,
        );
      }
      if (used.has(name))
        throw new Error(`${op}: the checkpoint refers to tensor ${JSON.stringify(name)} more than once`);
      used.add(name);
      return tensors[name];
    }
    if (Object.hasOwn(o, '$number')) {
      const text = o.$number;
      if (typeof text !== 'string' || keys.length !== 1 || !Object.hasOwn(SPECIAL_NUMBERS, text)) {
        throw new Error(
          `${op}: malformed number at '${at}' (expected { "$number": "NaN" | "Infinity" | "-Infinity" | "-0" })`,
        );
      }
      return SPECIAL_NUMBERS[text];
    }
    const out: Record<string, unknown> = Object.create(null);
    for (const k of keys) out[k] = rebuild(o[k], join(path, k));
    return out;
  };
  const out = rebuild(json, '');
  const extra = Object.keys(tensors).filter((k) => !used.has(k));
  if (extra.length)
    throw new Error(`${op}: the file holds tensors the checkpoint does not use: ${extra.join(', ')}`);
  return out;
}
