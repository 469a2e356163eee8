// Compiled cases: each model trained by one loss and one optimizer, five steps through
// `compile` from @proj/backend-onnx (one traced ONNX graph per step, run by onnxruntime-node),
// against the same five eager steps on cpu: the losses of every step, the final parameters and
// buffers. Dropout masks come from the same seeded generator, so the two see the same masks.
import { manualSeed, type nn, type optim, type Tensor, tidy } from '@proj/core';
import { release, releaseOptimizer, values } from '../fixtures.js';
import type { Case, Outputs, Values } from '../types.js';
import {
  MODELS,
  MORE_OPTIMIZER_MODELS,
  MORE_OPTIMIZERS,
  type ModelSpec,
  OPTIMIZERS,
  REALISTIC_STEPS,
  SEED,
  STEPS,
  train,
  trainedOutputs,
} from './models.js';

/** The compiled target, an extra column of the table. */
export const COMPILED_TARGETS = ['compiled'] as const;

/** What the compiled cases need from @proj/backend-onnx. */
export type CompileFn = (
  model: nn.Module,
  opts: {
    loss: (output: Tensor, target: Tensor) => Tensor;
    optimizer: optim.Optimizer<any>;
    exampleInputs: readonly Tensor[];
  },
) => { step(x: Tensor, target: Tensor): Tensor; dispose(): void };

/** LBFGS re-evaluates a closure inside its step: no graph holds that; refused by compile. */
const NOT_COMPILED = new Set(['lbfgs', 'lbfgs-strong-wolfe']);

function trainCompiled(spec: ModelSpec, optName: string, compile: CompileFn): Outputs {
  manualSeed(SEED);
  const m = spec.build();
  const batch = spec.batch();
  const opt = (OPTIMIZERS[optName] ?? MORE_OPTIMIZERS[optName])!([...m.parameters()] as nn.Parameter[]);
  m.train(true);
  const [x, y] = batch as [Tensor, Tensor];
  const step = compile(m, { loss: spec.loss!, optimizer: opt, exampleInputs: [x, y] });
  const steps = spec.realistic ? REALISTIC_STEPS : STEPS;
  try {
    const losses: Values[] = [];
    for (let s = 0; s < steps; s++) losses.push(tidy(() => values(step.step(x, y))));
    return trainedOutputs(spec, m, losses, 1, steps);
  } finally {
    step.dispose();
    release(m);
    releaseOptimizer(opt);
    for (const t of batch) t.dispose();
  }
}

/** One compiled case per model with a single loss × optimizer (the model family's pairs). */
export function compiledCases(compile: () => CompileFn | null): Case[] {
  return MODELS.filter((spec) => spec.loss && !spec.paramSets).flatMap((spec) =>
    (spec.realistic
      ? ['sgd']
      : [
          ...Object.keys(OPTIMIZERS),
          ...(MORE_OPTIMIZER_MODELS.includes(spec.name) ? Object.keys(MORE_OPTIMIZERS) : []),
        ]
    )
      .filter((o) => !NOT_COMPILED.has(o))
      .map(
        (optName): Case => ({
          id: `compiled/${spec.name}/${optName}`,
          family: 'compiled',
          tolerance: 'training',
          targets: COMPILED_TARGETS,
          run(target) {
            if (target !== 'compiled') return train(spec, optName);
            const c = compile();
            if (!c) throw new Error('@proj/backend-onnx with compile is not available');
            return trainCompiled(spec, optName, c);
          },
        }),
      ),
  );
}
