import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type CheckpointInput, decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint.js';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';

/** Options of {@link load} and {@link loadSync}. */
export interface LoadOptions {
  /** Backend to create the tensors on; the current backend when omitted. */
  device?: string;
}

function withPath(op: string, path: string, e: unknown): Error {
  const err = e as Error & { code?: string };
  const msg = err.message.startsWith(`${op}:`) ? err.message.slice(op.length + 1).trim() : err.message;
  return new Error(`${op}: ${path}: ${msg}`, { cause: e });
}

/**
 * Writes a state dict, or a checkpoint `{ model, optimizer, epoch, … }`, to `path` as one
 * safetensors file, atomically: a crash or error mid-write leaves the previous file intact
 * (temp file in the same directory, fsync, rename). See `io.encodeCheckpoint` for the layout.
 * PyTorch's `torch.save(obj, path)`, in a format PyTorch's `safetensors` reads.
 *
 * @throws Error (the promise rejects) naming `path`, for an object a checkpoint cannot hold
 *   or a failed write.
 *
 * @example
 * ```ts
 * import { load, save } from '@proj/core/node';
 *
 * await save('ckpt.safetensors', { model, optimizer: opt, epoch });
 * const ckpt = await load<{ model: Record<string, Tensor>; optimizer: optim.OptimizerStateDict }>('ckpt.safetensors');
 * model.loadStateDict(ckpt.model);
 * opt.loadStateDict(ckpt.optimizer);
 * ```
 */
export async function save(path: string, obj: CheckpointInput): Promise<void> {
  const bytes = encodeCheckpoint(obj, 'save');
  try {
    await writeFileAtomic(path, bytes);
  } catch (e) {
    throw withPath('save', path, e);
  }
}

/**
 * The synchronous {@link save}.
 *
 * @throws Error naming `path`, for an object a checkpoint cannot hold or a failed write.
 */
export function saveSync(path: string, obj: CheckpointInput): void {
  const bytes = encodeCheckpoint(obj, 'save');
  try {
    writeFileAtomicSync(path, bytes);
  } catch (e) {
    throw withPath('save', path, e);
  }
}

/**
 * Reads a file written by {@link save} (or any safetensors file): the checkpoint object with
 * its tensors, or a plain state dict. Corrupt files are refused with the reason. PyTorch's
 * `torch.load(path)` (for files of this format); `T` types the result, unchecked.
 *
 * @throws Error (the promise rejects) naming `path`, when it cannot be read or is not a valid
 *   safetensors checkpoint.
 */
export async function load<T = Record<string, unknown>>(path: string, opts: LoadOptions = {}): Promise<T> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw withPath('load', path, e);
  }
  return decode<T>(path, bytes, opts);
}

/**
 * The synchronous {@link load}.
 *
 * @throws Error naming `path`, when it cannot be read or is not a valid safetensors checkpoint.
 */
export function loadSync<T = Record<string, unknown>>(path: string, opts: LoadOptions = {}): T {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw withPath('load', path, e);
  }
  return decode<T>(path, bytes, opts);
}

function decode<T>(path: string, bytes: Uint8Array, opts: LoadOptions): T {
  try {
    return decodeCheckpoint<T>(bytes, opts, 'load');
  } catch (e) {
    throw withPath('load', path, e);
  }
}
