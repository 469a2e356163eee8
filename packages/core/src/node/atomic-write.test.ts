import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';
import { isAlive, tempPathFor, tempWriter } from './stale-temps.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'proj-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited (spawned and reaped, so it is certainly gone). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  expect(r.status).toBe(0);
  expect(isAlive(r.pid!)).toBe(false);
  return r.pid!;
}

/**
 * Starts a Node process that saves 32 MB to `path` with our writer, writing 1 MB per call and
 * stopping for good after the first one; resolves with the process once that MB is on disk.
 */
function startKilledWriter(path: string): Promise<import('node:child_process').ChildProcess> {
  const script = join(dir, 'writer.mjs');
  const atomic = pathToFileURL(join(import.meta.dirname, 'atomic-write.ts')).href;
  writeFileSync(
    script,
    `import * as fs from 'node:fs';
import { writeFileAtomicSync } from ${JSON.stringify(atomic)};
const io = {
  writeSync(fd, data, offset, length) {
    const n = fs.writeSync(fd, data, offset, Math.min(length, 1 << 20));
    fs.writeSync(1, 'writing\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // hangs here until killed
    return n;
  },
};
writeFileAtomicSync(${JSON.stringify(path)}, new Uint8Array(32 << 20).fill(7), io);
`,
  );
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const child = spawn(process.execPath, ['--import', pathToFileURL(tsx).href, script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.stdout!.on('data', (d) => {
      if (String(d).includes('writing')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`writer exited (${code}) before writing: ${err}`)));
  });
}

describe('atomic writes clean up after dead writers', () => {
  it('a save removes the temp file of a writer killed with SIGKILL mid-write', async () => {
    const path = join(dir, 'ckpt.safetensors');
    writeFileSync(path, 'old');
    const child = await startKilledWriter(path);
    const exited = new Promise((r) => child.on('exit', r));
    const temps = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    expect(temps).toHaveLength(1);
    expect(tempWriter('ckpt.safetensors', temps[0])?.pid).toBe(child.pid);
    expect(statSync(join(dir, temps[0])).size).toBe(1 << 20);
    // While the writer lives, a save leaves its temp alone.
    writeFileAtomicSync(path, new Uint8Array([1]));
    expect(readdirSync(dir)).toContain(temps[0]);
    child.kill('SIGKILL');
    await exited;
    expect(readFileSync(path)).toEqual(Buffer.from([1])); // the killed save changed nothing
    await writeFileAtomic(path, new Uint8Array([2]));
    expect(readdirSync(dir).sort()).toEqual(['ckpt.safetensors', 'writer.mjs']);
    expect(readFileSync(path)).toEqual(Buffer.from([2]));
  }, 30_000);

  it("removes only dead writers' temps of the same path, in the current and the earlier name format", () => {
    const path = join(dir, 'model.safetensors');
    const dead = deadPid();
    const deadTemp = tempPathFor(path, dead);
    const legacyDeadTemp = join(dir, `.model.safetensors.${dead}.lq2x1.tmp`);
    const liveTemp = tempPathFor(path, process.ppid); // our parent: alive, not us
    const ownTemp = tempPathFor(path); // this process: maybe a save in progress
    const otherHostTemp = join(dir, `.model.safetensors.elsewhere.${dead}.lq2x1.tmp`);
    const otherFileTemp = tempPathFor(join(dir, 'other.safetensors'), dead);
    const unrelated = join(dir, '.model.safetensors.notes.tmp');
    for (const f of [deadTemp, legacyDeadTemp, liveTemp, ownTemp, otherHostTemp, otherFileTemp, unrelated])
      writeFileSync(f, 'x');
    writeFileAtomicSync(path, new Uint8Array([1, 2, 3]));
    const left = readdirSync(dir);
    for (const gone of [deadTemp, legacyDeadTemp]) expect(left).not.toContain(gone.slice(dir.length + 1));
    for (const kept of [liveTemp, ownTemp, otherHostTemp, otherFileTemp, unrelated])
      expect(left).toContain(kept.slice(dir.length + 1));
    expect(left).toHaveLength(6);
  });

  it('parses temp names: writer pid and host, nothing for other names', () => {
    const base = 'a.b';
    expect(tempWriter(base, `.a.b.myhost.123.lq2x17.tmp`)).toEqual({ host: 'myhost', pid: 123 });
    expect(tempWriter(base, `.a.b.123.lq2x17.tmp`)).toEqual({ host: undefined, pid: 123 });
    expect(tempWriter(base, `.a.b.tmp`)).toBeNull();
    expect(tempWriter(base, `.a.b.host.0.x.tmp`)).toBeNull();
    expect(tempWriter(base, `.a.b.host.12.x.txt`)).toBeNull();
    expect(tempWriter(base, `.a.bc.host.12.x.tmp`)).toBeNull();
    expect(tempWriter(base, `.a.b.h.o.12.x.tmp`)).toBeNull();
    const mine = tempPathFor(join(dir, base));
    expect(tempWriter(base, mine.slice(dir.length + 1))?.pid).toBe(process.pid);
  });
});
