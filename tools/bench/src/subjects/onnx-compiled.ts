import { jsSession, withLeakCheck } from '../harness.js';
import type { Compile, Subject } from '../types.js';
import { onnxDetails } from './backend-details.js';
import { loadBackendPackage } from './backend-packages.js';

type Core = typeof import('@proj/core');

/** Why a job that is not a training step has no compiled figure. */
const NOT_TRAINING = 'not a training step (ours-onnx runs it op by op)';

/**
 * `ours-onnx-compiled` (one ONNX Runtime intra-op thread) and `ours-onnx-compiled-2t` (two):
 * the training workloads through `compile` of `@proj/backend-onnx`, which traces the whole step
 * (zero grads, forward, loss, backward, update) into one ONNX graph run as one onnxruntime-node
 * session per step, with the model, batch and optimizer of the other subjects of ours (tensors
 * on 'onnx'). None when the 'onnx' backend is not registered; skipped with a note while the
 * package does not export `compile`.
 */
export async function onnxCompiledSubjects(core: Core): Promise<Subject[]> {
  if (!core.listBackends().includes('onnx')) return [];
  const onnx = await loadBackendPackage('@proj/backend-onnx').catch(() => null);
  const compile = onnx?.compile as Compile | undefined;
  return [1, 2].map((threads) => ({
    id: threads === 1 ? 'ours-onnx-compiled' : `ours-onnx-compiled-${threads}t`,
    title: `ours onnx, compiled training step, ${threads} intra-op thread${threads === 1 ? '' : 's'}`,
    async open() {
      if (typeof compile !== 'function')
        return '@proj/backend-onnx does not export compile (yet): no compiled training step to measure';
      core.setBackend('onnx');
      const { info } = onnxDetails() as { info: Record<string, string | number> };
      const session = withLeakCheck(
        jsSession(
          'onnxCompiled',
          { core, compile, intraOpNumThreads: threads },
          {
            ...info,
            backend: 'onnx',
            intraOpThreads: threads,
            execution: 'compile: one traced ONNX graph per training step',
          },
        ),
        () => core.memory().numTensors,
      );
      return {
        ...session,
        detail: `onnxruntime-node ${info.onnxruntimeNode}, ${threads} intra-op thread${threads === 1 ? '' : 's'}, one session run per training step (compile)`,
        async measure(job) {
          if (!job.workload.training) return { ok: false, note: NOT_TRAINING };
          return session.measure(job);
        },
      };
    },
  }));
}
