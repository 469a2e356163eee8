/**
 * `pnpm --filter @proj/bench profile W3 [--backend cpu] [--steps 50]`: where a training step's
 * time goes, per backend call. Runs a workload of ours (W2, W3, W4, W6) on one backend, wraps
 * every method of the backend to time it, and prints per kernel (unary/binary/reduce ops by op
 * and shapes, matmul by shapes and transposes) the milliseconds per step and the calls per
 * step, against the whole step. The wrapper adds ~0.3 µs per call and the step time includes
 * garbage collection, so read the table as shares, not as the bench's figures.
 */
import { parseArgs } from 'node:util';
import { loadBackendPackages } from './subjects/backend-packages.js';
import type { Prepared } from './types.js';
import { WORKLOADS } from './workloads/index.js';

type Method = (...args: unknown[]) => unknown;
interface Info {
  shape: readonly number[];
}

/** The table key of a backend call: the method, and for the per-op methods the op and shapes. */
function keyOf(method: string, args: unknown[]): string {
  const shape = (i: number) => `[${(args[i] as Info).shape.join(',')}]`;
  if (method === 'unary' || method === 'reduce') return `${method} ${args[0]} ${shape(1)}`;
  if (method === 'binary') return `binary ${args[0]} ${shape(1)} ${shape(2)}`;
  if (method === 'matmul')
    return `matmul ${shape(0)}${args[2] ? 'ᵀ' : ''} @ ${shape(1)}${args[3] ? 'ᵀ' : ''}`;
  return method;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { backend: { type: 'string', default: 'cpu' }, steps: { type: 'string', default: '50' } },
});
const id = positionals[0] ?? 'W3';
const workload = WORKLOADS.find((w) => w.id === id && w.training);
if (workload?.impls.ours === undefined) {
  throw new Error(`profile: expected a training workload of ours (W2, W3, W4, W6), got '${id}'`);
}
const core = await import('@proj/core');
for (const f of await loadBackendPackages()) console.warn(`profile: ${f}`);
core.setBackend(values.backend);
const job = workload.cases({ quick: false })[0];
const prepared: Prepared = await workload.impls.ours(core, job.params);
for (let i = 0; i < 10; i++) prepared.run();

const backend = core.backendByName(values.backend) as unknown as Record<string, Method>;
const stats = new Map<string, { calls: number; ms: number }>();
const proto = Object.getPrototypeOf(backend) as Record<string, Method>;
for (const name of Object.getOwnPropertyNames(proto)) {
  const f = proto[name];
  // `track` is the CPU backend's private bookkeeping, called inside the kernels' own calls
  if (name === 'constructor' || typeof f !== 'function' || name === 'memory' || name === 'track') continue;
  backend[name] = function (this: unknown, ...args: unknown[]) {
    const t = performance.now();
    const r = f.apply(this, args);
    const key = keyOf(name, args);
    const s = stats.get(key) ?? { calls: 0, ms: 0 };
    s.calls++;
    s.ms += performance.now() - t;
    stats.set(key, s);
    return r;
  };
}
const steps = Number(values.steps);
const t0 = performance.now();
for (let i = 0; i < steps; i++) prepared.run();
const stepMs = (performance.now() - t0) / steps;
for (const name of Object.keys(backend)) delete backend[name];
prepared.dispose();

const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms);
const inBackend = rows.reduce((a, [, s]) => a + s.ms, 0) / steps;
const calls = rows.reduce((a, [, s]) => a + s.calls, 0) / steps;
console.log(
  `${job.label} on '${values.backend}': ${stepMs.toFixed(2)} ms per step, ${inBackend.toFixed(2)} ms of it in ` +
    `${calls.toFixed(0)} backend calls (the rest: core, autograd, garbage collection)\n`,
);
console.log(`${'ms/step'.padStart(8)} ${'share'.padStart(6)} ${'calls'.padStart(6)}  kernel`);
for (const [key, s] of rows.slice(0, 25)) {
  const ms = s.ms / steps;
  console.log(
    `${ms.toFixed(3).padStart(8)} ${`${((ms / stepMs) * 100).toFixed(1)}%`.padStart(6)} ${String(s.calls / steps).padStart(6)}  ${key}`,
  );
}
