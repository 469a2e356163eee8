// Export cases: each model, trained a step on cpu, exported with exportOnnx and run by
// onnxruntime-node and onnxruntime-web; the reference is our eager forward (eval mode, cpu).
import { manualSeed, type nn, type Tensor, tidy } from '@proj/core';
import { release, releaseOptimizer, values } from '../fixtures.js';
import type { Case, Outputs } from '../types.js';
import type { CompileFn } from './compiled.js';
import { MODELS, type ModelSpec, OPTIMIZERS, SEED } from './models.js';

/** The export runtimes, shown as extra columns of the table. */
export const EXPORT_TARGETS = ['ort-node', 'ort-web'] as const;

/** What the export cases need from @proj/backend-onnx (loaded only when it imports). */
export interface OnnxExportApi {
  exportOnnx(module: nn.Module, inputs: readonly Tensor[]): Uint8Array;
  /** compile (absent in older builds: the compiled column is then down). */
  compile?: CompileFn;
  OnnxModel: {
    load(
      bytes: Uint8Array,
      opts: { runtime: 'node' | 'web' },
    ): Promise<{ run(inputs: readonly Tensor[]): Promise<Tensor[]>; dispose(): Promise<void> }>;
  };
}

/** `[out, [h, c]]` → `[out, h, c]`, as exportOnnx orders a module's outputs. */
function flatten(r: unknown, into: Tensor[] = []): Tensor[] {
  if (Array.isArray(r)) for (const x of r) flatten(x, into);
  else if (r !== null && r !== undefined) into.push(r as Tensor);
  return into;
}

function toOutputs(ts: Tensor[]): Outputs {
  return Object.fromEntries(ts.map((t, i) => [`out.${i}`, values(t)]));
}

async function exportCase(spec: ModelSpec, target: string, api: OnnxExportApi): Promise<Outputs> {
  manualSeed(SEED);
  // one training step so BatchNorm's running stats and the weights are not the initial ones
  const m = spec.build();
  const batch = spec.batch();
  const sets = spec.paramSets?.(m) ?? [[...m.parameters()] as nn.Parameter[]];
  const opts = sets.map((p) => OPTIMIZERS.adam!(p));
  tidy(() => spec.step(m, batch, opts));
  for (const o of opts) releaseOptimizer(o);
  m.eval();
  const { module, inputs } = spec.exported(m, batch);
  try {
    if (target === 'cpu') return tidy(() => toOutputs(flatten(module.forward(...inputs))));
    const bytes = api.exportOnnx(module, inputs);
    const session = await api.OnnxModel.load(bytes, { runtime: target === 'ort-web' ? 'web' : 'node' });
    try {
      const outs = await session.run(inputs);
      const res = toOutputs(outs);
      for (const t of outs) t.dispose();
      return res;
    } finally {
      await session.dispose();
    }
  } finally {
    release(m);
    for (const t of batch) t.dispose();
  }
}

/** One export case per model; `api` is null when @proj/backend-onnx (or its export) is missing. */
export function exportCases(api: () => OnnxExportApi | null): Case[] {
  return MODELS.map(
    (spec): Case => ({
      id: `export/${spec.name}`,
      family: 'export',
      tolerance: 'export',
      targets: EXPORT_TARGETS,
      run(target) {
        const a = api();
        if (!a) throw new Error('@proj/backend-onnx with exportOnnx is not available');
        return exportCase(spec, target, a);
      },
    }),
  );
}
