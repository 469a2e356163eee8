// Runs cases on targets and compares: every target against the cpu result, and every target
// (cpu included) against PyTorch where the case has a fixture.
import { backendByName, memory, setBackend, tidy } from '@proj/core';
import { compareOutputs } from './compare.js';
import { collectingValues, DeferredValues, flushDeferredChecks } from './deferred-values.js';
import { toleranceFor } from './tolerances.js';
import type { Case, CaseResult, CellResult, Diff, Outputs, TargetInfo } from './types.js';

/** The reference every other target is compared with. */
export const REFERENCE = 'cpu';

/**
 * Errors that mean "this backend does not offer that": a dtype (DESIGN: float64 where it can), or,
 * on a backend that reads only asynchronously (webgpu), an op core computes on the host from a
 * synchronous read (sorting, unpooling, L-BFGS's line search); the cell shows the message.
 */
const UNSUPPORTED = /does not support dtype|can only be read asynchronously/;

interface Ran {
  outputs?: Outputs;
  error?: string;
  ms: number;
  leaked: number;
}

/** Runs `c` on `target` (on cpu for export runtimes, which are not backends). */
async function runOn(c: Case, target: string, isBackend: boolean): Promise<Ran> {
  const device = isBackend ? target : REFERENCE;
  setBackend(device);
  const before = memory().numTensors;
  const t0 = performance.now();
  // on a backend that reads only asynchronously, values() are read after the synchronous body
  const reads = new DeferredValues();
  const deferred = backendByName(device).readsSync === false;
  try {
    // async cases (export) hold tensors across awaits, so they manage their own memory
    const outputs =
      c.family === 'export' || c.family === 'compiled'
        ? await c.run(target)
        : collectingValues(reads, () => tidy(() => c.run(target) as Outputs));
    await reads.fill();
    reads.dispose();
    return { outputs, ms: performance.now() - t0, leaked: memory().numTensors - before };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { error: msg.split('\n')[0]!.slice(0, 300), ms: performance.now() - t0, leaked: 0 };
  } finally {
    reads.dispose();
    if (deferred) await flushDeferredChecks(device);
    setBackend(REFERENCE);
  }
}

function cell(ran: Ran, vsCpu: Diff | undefined, vsTorch: Diff | undefined): CellResult {
  // a dtype the backend declares it lacks (float64 off the CPU) is a capability, not a mismatch
  if (ran.error !== undefined && UNSUPPORTED.test(ran.error))
    return { status: 'skip', message: ran.error, ms: ran.ms };
  if (ran.error !== undefined) return { status: 'error', message: ran.error, ms: ran.ms };
  const pass = (vsCpu?.pass ?? true) && (vsTorch?.pass ?? true);
  return { status: pass ? 'pass' : 'fail', vsCpu, vsTorch, ms: ran.ms, leaked: ran.leaked };
}

/** Options of {@link runCases}. */
export interface RunOptions {
  /** Called after each case (progress). */
  onCase?: (r: CaseResult, index: number, total: number) => void;
}

/**
 * Runs every case on its targets: the started backends, or the case's own `targets` (export
 * runtimes) next to the cpu reference. A target that did not start gets a 'skip' cell.
 */
export async function runCases(
  cases: Case[],
  targets: TargetInfo[],
  opts: RunOptions = {},
): Promise<CaseResult[]> {
  const started = new Map(targets.map((t) => [t.name, t]));
  const backends = targets.filter((t) => t.kind === 'backend').map((t) => t.name);
  const results: CaseResult[] = [];
  for (const [i, c] of cases.entries()) {
    const names = c.targets ? [REFERENCE, ...c.targets] : backends;
    const ref = await runOn(c, REFERENCE, true);
    const cells: Record<string, CellResult> = {};
    for (const name of names) {
      const info = started.get(name);
      if (!info?.started) {
        cells[name] = {
          status: 'skip',
          message: info ? `${name} did not start` : `${name} not selected`,
          ms: 0,
        };
        continue;
      }
      const ran = name === REFERENCE ? ref : await runOn(c, name, info.kind === 'backend');
      const tol = toleranceFor(c.tolerance, name);
      const vsTorch = ran.outputs && c.expected ? compareOutputs(ran.outputs, c.expected, tol) : undefined;
      let vsCpu: Diff | undefined;
      if (name !== REFERENCE && ran.outputs) {
        vsCpu = ref.outputs
          ? compareOutputs(ran.outputs, ref.outputs, tol)
          : {
              maxAbs: Number.NaN,
              maxRel: Number.NaN,
              pass: false,
              worst: `cpu reference failed: ${ref.error}`,
            };
      }
      cells[name] = cell(ran, vsCpu, vsTorch);
    }
    const r: CaseResult = { id: c.id, family: c.family, tolerance: c.tolerance, cells };
    results.push(r);
    opts.onCase?.(r, i, cases.length);
  }
  return results;
}
