import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

// A writer killed mid-save (kill -9, power loss) leaves its temp file behind; nothing is lost,
// but the disk fills up. Temp names carry the writer's host and pid so that the next save of the
// same path can tell a dead writer's leftovers from a live writer's file in progress.

/** This host, reduced to characters that cannot contain the name's '.' separators. */
const HOST =
  hostname()
    .replace(/[^A-Za-z0-9-]/g, '_')
    .slice(0, 32) || 'host';

let counter = 0;

/**
 * A fresh temp path beside `path` (same directory, so the rename cannot cross devices):
 * `.<name>.<host>.<pid>.<unique>.tmp`.
 */
export function tempPathFor(path: string, pid: number = process.pid): string {
  counter = (counter + 1) % 1e9;
  return join(dirname(path), `.${basename(path)}.${HOST}.${pid}.${Date.now().toString(36)}${counter}.tmp`);
}

/**
 * The writer of temp file `entry` of `path`'s basename `base`: `{ host, pid }`, or null when
 * `entry` is not one of its temp files. `host` is undefined for names of the earlier format
 * `.<name>.<pid>.<unique>.tmp`, which had no host.
 */
export function tempWriter(base: string, entry: string): { host?: string; pid: number } | null {
  const prefix = `.${base}.`;
  if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) return null;
  const m = /^(?:([A-Za-z0-9_-]+)\.)?(\d+)\.[0-9a-z]+$/.exec(entry.slice(prefix.length, -4));
  if (m === null) return null;
  const pid = Number(m[2]);
  return Number.isSafeInteger(pid) && pid > 0 ? { host: m[1], pid } : null;
}

/** Whether process `pid` exists (EPERM: it does, but belongs to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether temp file `entry` of `base` belongs to a writer that is certainly gone. Kept when in
 * doubt: another host's writer (a shared network directory) cannot be checked; our own pid may be
 * a save in progress in this process or one of its worker threads; a pid that was reused since
 * only keeps the leftover until that process ends.
 */
function isStale(base: string, entry: string): boolean {
  const w = tempWriter(base, entry);
  if (w === null) return false;
  if (w.host !== undefined && w.host !== HOST) return false;
  return w.pid !== process.pid && !isAlive(w.pid);
}

/** Removes the temp files of `path` left by dead writers; best effort, returns the paths removed. */
export function removeStaleTempsSync(path: string): string[] {
  const dir = dirname(path);
  const base = basename(path);
  const removed: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return removed; // the save itself will report an unusable directory
  }
  for (const d of entries) {
    if (!d.isFile() || !isStale(base, d.name)) continue;
    try {
      fs.rmSync(join(dir, d.name));
      removed.push(join(dir, d.name));
    } catch {
      /* another save removed it first, or no permission: not this save's concern */
    }
  }
  return removed;
}

/** The asynchronous {@link removeStaleTempsSync}. */
export async function removeStaleTemps(path: string): Promise<string[]> {
  const dir = dirname(path);
  const base = basename(path);
  const removed: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const d of entries) {
    if (!d.isFile() || !isStale(base, d.name)) continue;
    try {
      await fsp.rm(join(dir, d.name));
      removed.push(join(dir, d.name));
    } catch {
      /* see removeStaleTempsSync */
    }
  }
  return removed;
}
