import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { jsSession, withNote } from '../harness.js';
import type { JobResult, Subject } from '../types.js';
import { registerTfGradients } from './tfjs-gradients.js';

type Tf = typeof import('@tensorflow/tfjs-core');

/** Loads tfjs-core once; its engine is shared by both backends. */
async function loadTf(): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs-core');
  await registerTfGradients();
  await import('@tensorflow/tfjs-backend-cpu');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // In Node the .wasm files are read from disk: point the loader at the package's dist folder.
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  wasm.setWasmPaths(`${dist}/`);
  return tf;
}

function tfjsSubject(backend: 'cpu' | 'wasm'): Subject {
  return {
    id: `tfjs-${backend}`,
    title: `tfjs ${backend}`,
    async open() {
      let tf: Tf;
      try {
        tf = await loadTf();
      } catch (e) {
        return `tfjs not loadable: ${(e as Error).message}`;
      }
      if (!(await tf.setBackend(backend))) return `tf.setBackend('${backend}') failed`;
      await tf.ready();
      // Production mode, as tfjs advises for deployment: fewer debug checks per op.
      tf.enableProdMode();
      // The cpu backend greets Node users on its first write with advice to install tfjs-node.
      const warn = console.warn;
      console.warn = () => {};
      tf.tensor1d([0]).dispose();
      console.warn = warn;
      const info: Record<string, string | boolean> = { version: tf.version_core, backend: tf.getBackend() };
      if (backend === 'wasm') {
        info.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
        info.threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
      }
      const session = jsSession('tfjs', tf, info);
      return {
        ...session,
        async measure(job) {
          const before = tf.memory().numTensors;
          let r: JobResult;
          try {
            r = await session.measure(job);
          } catch (e) {
            // A kernel the backend lacks (wasm has no Conv2DBackpropFilter) is a limit of tfjs, not a crash.
            const message = (e as Error).message;
            if (/not registered for backend/.test(message)) return { ok: false, note: `cannot: ${message}` };
            throw e;
          }
          const leaked = tf.memory().numTensors - before;
          return r.ok && leaked !== 0 ? withNote(r, `${leaked} tensors leaked`) : r;
        },
      };
    },
  };
}

/** tfjs 4.22 with its pure-JS 'cpu' and its 'wasm' backends (references). */
export async function tfjsSubjects(): Promise<Subject[]> {
  return [tfjsSubject('cpu'), tfjsSubject('wasm')];
}
