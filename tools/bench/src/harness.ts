import type { ApiName, Apis, CompileCost, Job, JobResult, Losses, Plan, Session, Summary } from './types.js';

/** The `q`-quantile (0..1) of sorted values, linearly interpolated. */
function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median, 10th and 90th percentiles of per-iteration seconds. */
export function summarize(samples: number[], warmup: number): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples');
  const s = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(s, 0.5),
    p10: quantile(s, 0.1),
    p90: quantile(s, 0.9),
    iterations: s.length,
    warmup,
  };
}

/**
 * Fits a plan to its time budget given the seconds one iteration took: keeps the plan when it
 * fits, else lowers warm-ups and iterations (never below `minIterations`).
 */
export function fitPlan(plan: Plan, secondsPerIteration: number): { warmup: number; iterations: number } {
  if (plan.budgetS === undefined) return { warmup: plan.warmup, iterations: plan.iterations };
  const fits = Math.floor(plan.budgetS / secondsPerIteration);
  if (fits >= plan.warmup + plan.iterations) return { warmup: plan.warmup, iterations: plan.iterations };
  const min = plan.minIterations ?? 5;
  const iterations = Math.max(min, Math.min(plan.iterations, fits - 1));
  return { warmup: Math.max(1, Math.min(plan.warmup, fits - iterations)), iterations };
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

/**
 * Times `run` by the plan: warm-ups, then timed iterations. The first warm-up also measures
 * how long one iteration takes, to fit a plan with a budget. When that first iteration alone
 * would lower the plan, a second warm-up is timed and the faster of the two decides: a first
 * iteration that compiles kernels (gpu.js, ONNX sessions) is not what the rest will take.
 */
export async function timeIterations(
  run: () => void | Promise<void>,
  plan: Plan,
  /** Seconds; injectable so tests of the budget rule do not depend on the machine's load. */
  clock: () => number = now,
): Promise<{ samples: number[]; warmup: number; reduced: boolean }> {
  const once = async () => {
    const t0 = clock();
    const r = run();
    if (r) await r;
    return clock() - t0;
  };
  let perIteration = await once();
  let done = 1;
  const full = fitPlan(plan, 0);
  const lowered = (f: { iterations: number }) => f.iterations < full.iterations;
  if (plan.warmup > 1 && lowered(fitPlan(plan, perIteration))) {
    perIteration = Math.min(perIteration, await once());
    done = 2;
  }
  const fitted = fitPlan(plan, perIteration);
  fitted.warmup = Math.max(fitted.warmup, done);
  for (let i = done; i < fitted.warmup; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < fitted.iterations; i++) samples.push(await once());
  // Fewer warm-ups than planned is a lowered plan too: marked like fewer iterations.
  const reduced = fitted.iterations < plan.iterations || fitted.warmup < plan.warmup;
  return { samples, warmup: fitted.warmup, reduced };
}

/** Measures a job with a workload's implementation for `api`, or notes that there is none. */
export async function measureJs<K extends ApiName>(api: K, lib: Apis[K], job: Job): Promise<JobResult> {
  const impl = job.workload.impls[api];
  if (!impl)
    return {
      ok: false,
      note: job.workload.cannot?.[api] ?? `${job.workload.id} has no '${api}' implementation`,
    };
  const prepared = await impl(lib, job.case.params);
  try {
    const { samples, warmup, reduced } = await timeIterations(() => prepared.run(), job.case.plan);
    const losses = prepared.losses?.();
    const compiled = prepared.compiled?.();
    const note = [losses && lossNote(losses), compiled && retraceNote(compiled)].filter(Boolean).join('; ');
    return {
      ok: true,
      samples,
      summary: summarize(samples, warmup),
      reduced,
      ...(losses ? { losses } : {}),
      ...(compiled ? { compiled } : {}),
      ...(note ? { note } : {}),
    };
  } finally {
    prepared.dispose();
  }
}

/** A note when a training run's loss did not fall from its first step to its last (a broken step). */
export function lossNote({ first, last }: Losses): string | undefined {
  if (Number.isFinite(first) && Number.isFinite(last) && last < first) return undefined;
  return `loss did not fall: ${first} -> ${last}`;
}

/**
 * A note when a compiled step traced a graph after its second step: every step runs on the same
 * batch, so only the optimizer's first step may trace one more graph (see {@link CompileCost}).
 */
export function retraceNote({ traces, lastTraceStep }: CompileCost): string | undefined {
  if (lastTraceStep <= 2) return undefined;
  return `traced a graph at step ${lastTraceStep} (${traces} traces in all): on a fixed batch only the optimizer's first step may trace one more`;
}

/** `r` with `note` appended to its notes. */
export function withNote(r: JobResult, note: string): JobResult {
  return { ...r, note: r.note ? `${r.note}; ${note}` : note };
}

/**
 * Wraps a session so each job checks that the library's live tensor count (`numTensors`) is
 * back where it started: every workload disposes what it makes, so a leak is a bug in it or in
 * the library.
 */
export function withLeakCheck(session: Session, numTensors: () => number): Session {
  return {
    ...session,
    async measure(job) {
      const before = numTensors();
      const r = await session.measure(job);
      const leaked = numTensors() - before;
      return r.ok && leaked !== 0 ? withNote(r, `${leaked} tensors leaked`) : r;
    },
  };
}

/** A session for a JavaScript subject: every job goes through {@link measureJs}. */
export function jsSession<K extends ApiName>(
  api: K,
  lib: Apis[K],
  info: Session['info'],
  close: () => Promise<void> = async () => {},
): Session {
  return { info, measure: (job) => measureJs(api, lib, job), close };
}

/**
 * Seeded float32 values, uniform in [-1, 1), filled row-major (mulberry32). Every JS subject
 * gets the same inputs for the same seed.
 */
export function seededFloat32(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}
