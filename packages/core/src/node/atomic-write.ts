import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { dirname } from 'node:path';
import { removeStaleTemps, removeStaleTempsSync, tempPathFor } from './stale-temps.js';

/** The file-system calls {@link writeFileAtomic} makes; tests substitute failing ones. */
export interface AtomicFs {
  /** `fs.writeSync(fd, data, offset, length)`: writes some of the bytes, returns how many. */
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
}

const nodeFs: AtomicFs = { writeSync: (fd, data, offset, length) => fs.writeSync(fd, data, offset, length) };

/**
 * Writes `data` to `path` so that readers see either the old file or the complete new one,
 * never a partial write: the bytes go to a temp file in the same directory, which is
 * fsync-ed and then renamed over `path` (an atomic replace on POSIX and on NTFS). On any
 * error the temp file is removed and `path` is left as it was. Temp files of `path` left by
 * writers that died mid-write (kill -9) are removed first (see `stale-temps.ts`). `save`
 * writes through it; no PyTorch counterpart (`torch.save` writes in place).
 *
 * @throws The file system's error (`ENOENT` for a missing directory, `EACCES` …), after
 *   removing the temp file.
 *
 * @example
 * ```ts
 * import { writeFileAtomicSync } from '@proj/core/node';
 *
 * writeFileAtomicSync('weights.safetensors', io.saveSafetensors(model.stateDict()));
 * ```
 */
export function writeFileAtomicSync(path: string, data: Uint8Array, io: AtomicFs = nodeFs): void {
  removeStaleTempsSync(path);
  const tmp = tempPathFor(path);
  let fd: number | null = null;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    for (let off = 0; off < data.length; ) off += io.writeSync(fd, data, off, data.length - off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) closeQuietly(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  syncDirSync(dirname(path));
}

/**
 * The asynchronous {@link writeFileAtomicSync}.
 *
 * @throws The file system's error (the promise rejects), after removing the temp file.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  await removeStaleTemps(path);
  const tmp = tempPathFor(path);
  let handle: fsp.FileHandle | null = null;
  try {
    handle = await fsp.open(tmp, 'wx', 0o644);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = null;
    await fsp.rename(tmp, path);
  } catch (e) {
    if (handle !== null) await handle.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  // Persist the rename itself; not every platform can open a directory, hence best effort.
  try {
    const dir = await fsp.open(dirname(path), 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    /* best effort */
  }
}

function syncDirSync(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* best effort: e.g. Windows cannot fsync a directory */
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    /* already failing; the original error matters */
  }
}
