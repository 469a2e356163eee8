// The module walker of exportOnnx: finds the emitter of each module by its exact class,
// recurses into Sequential, and runs each module eagerly on the example values so every
// emitter knows the shapes it works on.
import { nn, type Tensor } from '@proj/core';
import type { OnnxDType } from '../proto/dtypes.js';
import { type ExportContext, key, type Value } from './context.js';
import { attentionEmitters } from './emit-attention.js';
import { basicEmitters, type Emitter } from './emit-basic.js';
import { recurrentEmitters } from './emit-recurrent.js';
import { spatialEmitters } from './emit-spatial.js';

/** A value of the exported graph with the eager tensor it holds for the example inputs. */
export interface Traced {
  readonly value: Value;
  readonly example: Tensor;
}

const EMITTERS = new Map<abstract new (...a: any[]) => nn.Module, Emitter>([
  ...basicEmitters,
  ...spatialEmitters,
  ...recurrentEmitters,
  ...attentionEmitters((cx, m, prefix, x) => {
    const [out] = emitModule(cx, m, prefix, [{ value: x, example: null as unknown as Tensor }], false);
    return { name: out.value.name, dyn: out.value.dyn };
  }),
]);

/** Class names the exporter knows (for error messages). */
export function supportedModules(): string[] {
  return ['Sequential', ...new Set([...EMITTERS.keys()].map((c) => c.name))];
}

/** The eager results of `m` on the examples, flattened (`[out, [h, c]]` → `[out, h, c]`). */
function forwardEager(m: nn.Module, examples: readonly Tensor[]): Tensor[] {
  const args =
    m instanceof nn.MultiheadAttention && examples.length === 1
      ? [examples[0], examples[0], examples[0]]
      : examples;
  const flat: Tensor[] = [];
  const visit = (r: unknown) => {
    if (Array.isArray(r)) r.forEach(visit);
    else if (r !== null && r !== undefined) flat.push(r as Tensor);
  };
  visit(m.forward(...args));
  return flat;
}

function unsupported(m: nn.Module, prefix: string): Error {
  const cls = m.constructor.name;
  const at = prefix ? ` at '${prefix}'` : '';
  if (m instanceof nn.ModuleList || m instanceof nn.ModuleDict) {
    return new Error(
      `exportOnnx: ${cls}${at} has no forward() of its own and cannot be exported; wrap the layers in an nn.Sequential`,
    );
  }
  return new Error(
    `exportOnnx: cannot export module ${cls}${at}: only built-in layers and nn.Sequential of them can be exported ` +
      `(a custom forward() cannot be converted structurally). Supported: ${supportedModules().join(', ')}`,
  );
}

/**
 * Emits `m` (the module at state-dict `prefix`) on `inputs`; returns its outputs. With
 * `eager`, each module also runs on the example tensors, which gives the output shapes.
 */
export function emitModule(
  cx: ExportContext,
  m: nn.Module,
  prefix: string,
  inputs: readonly Traced[],
  eager = true,
): Traced[] {
  if (m.constructor === nn.Sequential) {
    let cur = [...inputs];
    const children = (m as nn.Sequential)._items;
    let i = 0;
    for (const [name, child] of children) {
      if (i > 0 && cur.length !== 1) {
        throw new Error(
          `exportOnnx: Sequential${prefix ? ` at '${prefix}'` : ''}: child '${[...children.keys()][i - 1]}' returns ${cur.length} outputs; only the last child may return several`,
        );
      }
      cur = emitModule(cx, child, key(prefix, name), cur, eager);
      i++;
    }
    return cur;
  }
  const emitter = EMITTERS.get(m.constructor as abstract new (...a: any[]) => nn.Module);
  if (!emitter) throw unsupported(m, prefix);
  const outs = eager
    ? forwardEager(
        m,
        inputs.map((t) => t.example),
      )
    : null;
  const emitted = emitter(
    cx,
    m,
    prefix,
    inputs.map((t) => t.value),
    outs ? outs.map((o) => o.shape) : inputs.map((t) => t.value.shape),
  );
  if (outs && outs.length !== emitted.length) {
    throw new Error(
      `exportOnnx: internal: ${m.constructor.name} emitted ${emitted.length} outputs, its forward returns ${outs.length}`,
    );
  }
  return emitted.map((e, i) => {
    const ex = outs ? outs[i] : inputs[0].example;
    const shape = outs ? outs[i].shape : inputs[0].value.shape;
    const dtype = (outs ? outs[i].dtype : inputs[0].value.dtype) as OnnxDType;
    return { value: { name: e.name, dyn: e.dyn, shape, dtype }, example: ex };
  });
}
