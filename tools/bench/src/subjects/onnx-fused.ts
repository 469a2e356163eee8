import { jsSession, withLeakCheck } from '../harness.js';
import type { CompileTrainStep, Subject } from '../types.js';
import { onnxDetails } from './backend-details.js';
import { loadBackendPackage } from './backend-packages.js';

type Core = typeof import('@proj/core');

/** Why a workload has no fused implementation. */
const NOT_FUSED: Record<string, string> = {
  W0: 'not a training step (ours-onnx runs it op by op)',
  W1: 'not a training step (ours-onnx runs it op by op)',
  W4: 'compileTrainStep compiles Sequential models of Linear/Conv2d/pooling/activations; it refuses LSTM',
};

/**
 * `ours-onnx-fused`: W2 and W3 with `compileTrainStep` from `@proj/backend-onnx`, which runs the
 * whole training step (forward, loss, backward, SGD) as one ONNX graph in one onnxruntime-node
 * session, with the model, batch and lr of the other subjects of ours (tensors on 'onnx').
 * Null when the package did not load or has no `compileTrainStep`.
 */
export async function onnxFusedSubject(core: Core): Promise<Subject | null> {
  const onnx = await loadBackendPackage('@proj/backend-onnx').catch(() => null);
  const compileTrainStep = onnx?.compileTrainStep as CompileTrainStep | undefined;
  if (typeof compileTrainStep !== 'function' || !core.listBackends().includes('onnx')) return null;
  return {
    id: 'ours-onnx-fused',
    title: 'ours onnx, fused training step',
    async open() {
      core.setBackend('onnx');
      const { info, detail } = onnxDetails() as { info: Record<string, string | number>; detail: string };
      const session = withLeakCheck(
        jsSession(
          'onnxFused',
          { core, compileTrainStep },
          { ...info, backend: 'onnx', execution: 'compileTrainStep: one ONNX graph per step' },
        ),
        () => core.memory().numTensors,
      );
      return {
        ...session,
        detail: detail.replace('one cached session per primitive', 'one session per whole training step'),
        async measure(job) {
          const why = NOT_FUSED[job.workload.id];
          if (why && !job.workload.impls.onnxFused) return { ok: false, note: why };
          return session.measure(job);
        },
      };
    },
  };
}
