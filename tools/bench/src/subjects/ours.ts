import { jsSession, withNote } from '../harness.js';
import type { Subject } from '../types.js';

/**
 * Backend packages of ours to load. Each registers its backends on import; one that is not
 * installed is skipped. A new backend package is one entry here.
 */
const BACKEND_PACKAGES = ['@proj/backend-cpu', '@proj/backend-gpujs', '@proj/backend-onnx'];

/** One subject per backend registered with @proj/core, named `ours-<backend>`. */
export async function oursSubjects(): Promise<Subject[]> {
  const core = await import('@proj/core');
  const failures: string[] = [];
  for (const pkg of BACKEND_PACKAGES) {
    try {
      await import(pkg);
    } catch (e) {
      const message = (e as Error).message;
      // Not installed is normal; a package that is installed but fails to load is worth a word.
      const missing = (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && message.includes(pkg);
      if (!missing) failures.push(`${pkg}: ${message}`);
    }
  }
  for (const f of failures) console.warn(`bench: ${f}`);
  if (core.listBackends().length === 0) throw new Error(`no backend registered. ${failures.join('; ')}`);
  return core.listBackends().map((name) => ({
    id: `ours-${name}`,
    title: `ours ${name}`,
    async open() {
      try {
        core.setBackend(name);
      } catch (e) {
        return `setBackend('${name}') failed: ${(e as Error).message}`;
      }
      const session = jsSession('ours', core, { backend: name });
      return {
        ...session,
        // Each workload disposes what it makes; a leak here is a bug in it or in core.
        async measure(job) {
          const before = core.memory().numTensors;
          const r = await session.measure(job);
          const leaked = core.memory().numTensors - before;
          return r.ok && leaked !== 0 ? withNote(r, `${leaked} tensors leaked`) : r;
        },
      };
    },
  }));
}
