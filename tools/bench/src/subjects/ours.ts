import { jsSession, withLeakCheck } from '../harness.js';
import type { Session, Subject } from '../types.js';
import { cpuDetails, gpujsDetails, onnxDetails } from './backend-details.js';
import { loadBackendPackage, loadBackendPackages } from './backend-packages.js';
import { onnxCompiledSubjects } from './onnx-compiled.js';
import { webgpuSubject } from './webgpu.js';

type Core = typeof import('@proj/core');

/** What a backend adds to its session info, or a note saying why its subject cannot run. */
type Details = (core: Core, name: string) => { info: Session['info']; detail?: string } | string;

const DETAILS: Record<string, Details> = { gpujs: gpujsDetails, onnx: onnxDetails };

/**
 * One subject per backend registered with @proj/core, named `ours-<backend>`, after importing
 * the backend packages of `backend-packages.ts`; `ours-webgpu`, which finds its adapter when it
 * opens (`webgpu.ts`); plus `ours-onnx-compiled` and `ours-onnx-compiled-2t` (whole training
 * steps as one traced ONNX graph) when 'onnx' is registered.
 */
export async function oursSubjects(): Promise<Subject[]> {
  const core = await import('@proj/core');
  const failures = await loadBackendPackages();
  for (const f of failures) console.warn(`bench: ${f}`);
  if (core.listBackends().length === 0) throw new Error(`no backend registered. ${failures.join('; ')}`);
  const registered = core.listBackends().filter((name) => name !== 'webgpu');
  const subjects: Subject[] = registered.map((name) => ({
    id: `ours-${name}`,
    title: `ours ${name}`,
    async open() {
      try {
        core.setBackend(name);
      } catch (e) {
        return `setBackend('${name}') failed: ${(e as Error).message}`;
      }
      const details = DETAILS[name]?.(core, name) ?? { info: {} };
      if (typeof details === 'string') return details;
      const session = jsSession('ours', core, { backend: name, ...details.info });
      return { ...withLeakCheck(session, () => core.memory().numTensors), detail: details.detail };
    },
  }));
  if (core.listBackends().includes('cpu')) {
    const cpu = await loadBackendPackage('@proj/backend-cpu');
    DETAILS.cpu = () => cpuDetails(cpu);
    if (typeof cpu.setNumThreads === 'function') {
      subjects.splice(subjects.findIndex((s) => s.id === 'ours-cpu') + 1, 0, cpuOneThread(core, cpu));
    }
  }
  subjects.push(webgpuSubject(core));
  subjects.push(...(await onnxCompiledSubjects(core)));
  return subjects;
}

/**
 * `ours-cpu-1t`: the CPU backend with `setNumThreads(1)` (as PyTorch one-thread), beside
 * `ours-cpu` on every core, so one run shows what the worker threads add. Restores the thread
 * count on close.
 */
function cpuOneThread(core: Core, cpu: Record<string, unknown>): Subject {
  const setNumThreads = cpu.setNumThreads as (n: number) => void;
  const getNumThreads = cpu.getNumThreads as () => number;
  return {
    id: 'ours-cpu-1t',
    title: 'ours cpu, 1 thread',
    async open() {
      const before = getNumThreads();
      core.setBackend('cpu');
      setNumThreads(1);
      const details = cpuDetails(cpu);
      if (typeof details === 'string') return details;
      const session = jsSession('ours', core, { backend: 'cpu', ...details.info }, async () =>
        setNumThreads(before),
      );
      return { ...withLeakCheck(session, () => core.memory().numTensors), detail: details.detail };
    },
  };
}
