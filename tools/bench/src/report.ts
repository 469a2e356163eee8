import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { summarize } from './harness.js';
import type { CompileCost, Job, JobResult, Session } from './types.js';

/** The reference every ratio is taken to. */
export const REFERENCE = 'pytorch';

/** Everything one `pnpm bench` run measured. */
export interface Run {
  startedAt: Date;
  argv: string[];
  jobs: Job[];
  /** Subjects in column order, each with its session info or the note saying why it did not run. */
  subjects: {
    id: string;
    title: string;
    info?: Session['info'];
    detail?: string;
    caveat?: string;
    skipped?: string;
  }[];
  /** results.get(subjectId)?.get(job) */
  results: Map<string, Map<Job, JobResult>>;
}

/** Marks the column of a subject whose figures carry a caveat (a software GPU adapter). */
export const CAVEAT_MARK = '†';

const figureOf = (job: Job, seconds: number) => job.workload.figure(job.case.params, seconds);

/**
 * Targets of the compiled training step (issue 15), checked per training case: its median time
 * ÷ the reference's must not exceed `max`.
 */
export const COMPILED_TARGETS = [
  { subject: 'ours-onnx-compiled', reference: 'pytorch', max: 0.8 },
  { subject: 'ours-onnx-compiled-2t', reference: 'pytorch-2t', max: 1 },
] as const;

/**
 * Targets of the CPU backend (issue 16), each on the cases it names: a time ratio of `subject`
 * to `reference` at most `maxRatio` or at least `minRatio`, or a figure (GFLOP/s) at least `minFigure`.
 */
export const CPU_TARGETS: readonly {
  subject: string;
  cases: readonly string[];
  reference?: string;
  maxRatio?: number;
  minRatio?: number;
  minFigure?: number;
}[] = [
  { subject: 'ours-cpu', cases: ['W1 N=512'], minFigure: 70 },
  {
    subject: 'ours-cpu',
    reference: 'pytorch',
    cases: ['W2 MLP step', 'W3 CNN step', 'W4 LSTM step'],
    maxRatio: 2.5,
  },
  { subject: 'tfjs-wasm', reference: 'ours-cpu', cases: ['W2 MLP step', 'W4 LSTM step'], minRatio: 5 },
];

/** Compiling may take at most this many eager steps of the same workload. */
export const COMPILE_BUDGET_STEPS = 50;
/** The eager subjects whose steps a compile time is compared to. */
export const EAGER_SUBJECTS = ['ours-onnx', 'ours-cpu'] as const;

/** A compiled subject's compile time beside 50 eager steps of the same case, per eager subject that ran it. */
export interface CompileComparison extends CompileCost {
  /** What compiling cost in all: `compileMs` + `stepTraceMs` (graphs traced by steps). */
  totalMs: number;
  /** `COMPILE_BUDGET_STEPS` × the eager subject's median step, in ms. */
  eagerMs: Partial<Record<(typeof EAGER_SUBJECTS)[number], number>>;
  /** totalMs ≤ the smallest of `eagerMs` (the strictest); undefined when no eager subject ran. */
  met?: boolean;
}

/** The compile-time comparison of a subject on a job, when the subject reported compile stats. */
export function compileComparison(run: Run, subject: string, job: Job): CompileComparison | undefined {
  const r = run.results.get(subject)?.get(job);
  if (!r?.ok || !r.compiled) return undefined;
  const eagerMs: CompileComparison['eagerMs'] = {};
  for (const id of EAGER_SUBJECTS) {
    const e = run.results.get(id)?.get(job);
    if (e?.ok) eagerMs[id] = COMPILE_BUDGET_STEPS * e.summary.median * 1e3;
  }
  const eager = Object.values(eagerMs);
  const totalMs = r.compiled.compileMs + r.compiled.stepTraceMs;
  return {
    ...r.compiled,
    totalMs,
    eagerMs,
    ...(eager.length ? { met: totalMs <= Math.min(...eager) } : {}),
  };
}

/**
 * PyTorch's 512x512 matmul (measured by its subject at start) below this many GFLOP/s means it
 * is not on an optimised BLAS: Debian's python3-torch without libopenblas0-pthread runs the
 * reference BLAS at ~6 GFLOP/s (OpenBLAS: ~190 on these machines), and every ratio to it would
 * flatter us by 30x.
 */
export const MIN_REFERENCE_GFLOPS = 30;

/** Why ratios to PyTorch subject `id` are not printed, if they are not. */
export function untrustedReference(run: Run, id: string): string | undefined {
  const info = run.subjects.find((s) => s.id === id)?.info;
  const g = Number(info?.matmul512Gflops);
  if (info === undefined || !Number.isFinite(g) || g >= MIN_REFERENCE_GFLOPS) return undefined;
  return (
    `${id}'s 512x512 matmul ran at ${g} GFLOP/s on ${info.blas}: not an optimised BLAS ` +
    `(install libopenblas0-pthread), so no ratio to it is printed`
  );
}

/** Time ratio of `subject` to `reference` on a job, when both ran (and the reference is on an optimised BLAS). */
function ratioTo(run: Run, subject: string, reference: string, job: Job): number | undefined {
  if (untrustedReference(run, reference) !== undefined || untrustedReference(run, subject) !== undefined) {
    return undefined;
  }
  const r = run.results.get(subject)?.get(job);
  const ref = run.results.get(reference)?.get(job);
  if (!r?.ok || !ref?.ok) return undefined;
  return r.summary.median / ref.summary.median;
}

/** Subject time ÷ PyTorch time for a job (> 1: slower than PyTorch), when both ran. */
function ratio(run: Run, subject: string, job: Job): number | undefined {
  return ratioTo(run, subject, REFERENCE, job);
}

function fmt(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toPrecision(2);
}

/** The terminal table: one row per case, one column per subject; cells are medians. */
export function formatTable(run: Run): string {
  const cols = run.subjects.filter((s) => !s.skipped);
  const header = ['case', 'unit', ...cols.map((s) => (s.caveat ? `${s.id} ${CAVEAT_MARK}` : s.id))];
  const rows: string[][] = [];
  const notes = new Set<string>();
  // A subject that cannot run several cases for one reason gets one line listing them.
  const cannot = new Map<string, string[]>();
  for (const job of run.jobs) {
    const row = [job.case.label, job.workload.unit];
    for (const s of cols) {
      const r = run.results.get(s.id)?.get(job);
      if (!r) row.push('');
      else if (!r.ok) {
        row.push('n/a');
        const key = `${s.id}\u0000${r.note}`;
        cannot.set(key, [...(cannot.get(key) ?? []), job.case.label]);
      } else {
        const q = ratio(run, s.id, job);
        let cell = fmt(figureOf(job, r.summary.median));
        if (r.note) notes.add(`! ${s.id} ${job.case.label}: ${r.note}`);
        if (q !== undefined && s.id !== REFERENCE) cell += ` (${fmt(q)}x)`;
        if (r.reduced) {
          cell += '*';
          notes.add(
            `* ${s.id} ${job.case.label}: ${r.summary.iterations} timed iterations after ${r.summary.warmup} warm-ups (lowered to fit a ${job.case.plan.budgetS} s budget)`,
          );
        }
        row.push(cell);
      }
    }
    rows.push(row);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  out.push('', `Medians. (Nx) = time relative to PyTorch 1 thread on the same case (>1: slower).`);
  out.push(`JavaScript subjects ran in Node ${process.version} with ${nodeFlagsNote()}.`);
  for (const s of cols) {
    const why = untrustedReference(run, s.id);
    if (why) out.push(`NO RATIOS: ${why}.`);
  }
  for (const s of cols) if (s.detail) out.push(`${s.id}: ${s.detail}`);
  for (const s of cols) if (s.caveat) out.push(`${CAVEAT_MARK} ${s.id}: ${s.caveat}`);
  for (const s of run.subjects) if (s.skipped) out.push(`skipped ${s.id}: ${s.skipped}`);
  for (const [key, labels] of cannot) {
    const [id, note] = key.split('\u0000');
    out.push(`${id} ${labels.join(', ')}: ${note}`);
  }
  out.push(...notes);
  out.push(...lossLines(run, cols));
  out.push(...compileLines(run, cols));
  out.push(...targetLines(run));
  out.push(...cpuTargetLines(run));
  return out.join('\n');
}

/** `1 trace`, `2 traces`. */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Compiled subjects: compile time per case beside 50 eager steps of ours-onnx and ours-cpu. */
function compileLines(run: Run, cols: Run['subjects']): string[] {
  const lines: string[] = [];
  for (const job of run.jobs) {
    const cells: string[] = [];
    for (const s of cols) {
      const c = compileComparison(run, s.id, job);
      if (!c) continue;
      const eager = Object.entries(c.eagerMs).map(([id, ms]) => `${id} ${fmt(ms)} ms`);
      const verdict = c.met === undefined ? 'no eager subject of ours ran it' : c.met ? 'met' : 'NOT met';
      const later = c.stepTraces
        ? ` + ${fmt(c.stepTraceMs)} ms for ${c.stepTraces} graph${c.stepTraces > 1 ? 's' : ''} traced by step ${c.lastTraceStep}`
        : '';
      cells.push(
        `${s.id} ${fmt(c.compileMs)} ms${later} (${count(c.traces, 'trace')}, ${count(c.sessionsCreated, 'session')}) ` +
          `vs ${eager.join(', ') || '–'}: ${verdict}`,
      );
    }
    if (cells.length) lines.push(`  ${job.case.label}: ${cells.join('; ')}`);
  }
  if (!lines.length) return [];
  return [
    '',
    `Compile time (trace + session of the first graph, + graphs traced by steps) vs ${COMPILE_BUDGET_STEPS} ` +
      `eager steps (${EAGER_SUBJECTS.join(', ')}; met: all compiling <= the fastest of them):`,
    ...lines,
  ];
}

/** The compiled step's targets per training case: met, not met, or which figure is missing. */
function targetLines(run: Run): string[] {
  const lines: string[] = [];
  for (const job of run.jobs) {
    if (!job.workload.training) continue;
    const cells: string[] = [];
    for (const t of COMPILED_TARGETS) {
      if (!run.results.has(t.subject)) continue;
      const q = ratioTo(run, t.subject, t.reference, job);
      cells.push(
        q === undefined
          ? `${t.subject} vs ${t.reference}: no figure`
          : `${t.subject} ${fmt(q)}x ${t.reference} (<= ${t.max}: ${q <= t.max ? 'met' : 'NOT met'})`,
      );
    }
    if (cells.length) lines.push(`  ${job.case.label}: ${cells.join('; ')}`);
  }
  return lines.length ? ['', 'Compiled step vs PyTorch (time ratio, target):', ...lines] : [];
}

/** The CPU backend's targets per case they name: met, not met, or which figure is missing. */
export function cpuTargetLines(run: Run): string[] {
  const lines: string[] = [];
  for (const t of CPU_TARGETS) {
    if (!run.results.has(t.subject)) continue;
    for (const job of run.jobs.filter((j) => t.cases.includes(j.case.label))) {
      const r = run.results.get(t.subject)?.get(job);
      let line: string;
      if (t.minFigure !== undefined) {
        const f = r?.ok ? figureOf(job, r.summary.median) : undefined;
        line =
          f === undefined
            ? `${t.subject}: no figure`
            : `${t.subject} ${fmt(f)} ${job.workload.unit} (>= ${t.minFigure}: ${f >= t.minFigure ? 'met' : 'NOT met'})`;
      } else {
        const ref = t.reference ?? REFERENCE;
        const q = ratioTo(run, t.subject, ref, job);
        const [op, bound, ok] =
          t.maxRatio !== undefined
            ? ['<=', t.maxRatio, q !== undefined && q <= t.maxRatio]
            : ['>=', t.minRatio, q !== undefined && q >= (t.minRatio ?? 0)];
        line =
          q === undefined
            ? `${t.subject} vs ${ref}: no figure`
            : `${t.subject} ${fmt(q)}x ${ref}'s time (${op} ${bound}: ${ok ? 'met' : 'NOT met'})`;
      }
      lines.push(`  ${job.case.label}: ${line}`);
    }
  }
  return lines.length ? ['', 'CPU backend targets (time ratios, or the figure):', ...lines] : [];
}

/** Training workloads: the loss at the first and the last step, per case and subject. */
function lossLines(run: Run, cols: Run['subjects']): string[] {
  const lines: string[] = [];
  for (const job of run.jobs) {
    const cells: string[] = [];
    for (const s of cols) {
      const r = run.results.get(s.id)?.get(job);
      if (r?.ok && r.losses)
        cells.push(`${s.id} ${r.losses.first.toFixed(4)} -> ${r.losses.last.toFixed(4)}`);
    }
    if (cells.length) lines.push(`  ${job.case.label}: ${cells.join(', ')}`);
  }
  return lines.length ? ['', 'Loss at the first -> last step (warm-ups included):', ...lines] : [];
}

/**
 * The V8 flags the JavaScript subjects ran with. `pnpm bench` starts Node with
 * `--min-semi-space-size=16`: with V8's default 1 MiB young generation, garbage collection took
 * a third of a training step, and how much depended on what ran before in the process (the
 * same subject measured 3.4 ms first and 2.5 ms after another). The backend-cpu README
 * recommends the flag to users for the same reason.
 */
export function nodeFlagsNote(): string {
  const flags = process.execArgv.filter(
    (a) => a.startsWith('--') && !a.startsWith('--conditions') && !a.startsWith('--import'),
  );
  return flags.length ? `V8 flags ${flags.join(' ')}` : "V8's default flags";
}

/** Host facts recorded with every run. */
export function machineInfo() {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    nodeFlags: process.execArgv,
    platform: `${process.platform}-${process.arch}`,
    /** 1, 5 and 15-minute load averages when the JSON is written: other work skews the figures. */
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Writes `bench-results/bench-<timestamp>.json` under `dir` and returns its path. */
export function writeJson(run: Run, dir: string): string {
  const results = [];
  for (const job of run.jobs) {
    for (const s of run.subjects) {
      const r = run.results.get(s.id)?.get(job);
      if (!r) continue;
      const base = {
        workload: job.workload.id,
        case: job.case.label,
        params: job.case.params,
        subject: s.id,
      };
      if (!r.ok) {
        results.push({ ...base, note: r.note });
        continue;
      }
      const figures = summarize(
        r.samples.map((t) => figureOf(job, t)),
        r.summary.warmup,
      );
      results.push({
        ...base,
        unit: job.workload.unit,
        figure: { median: figureOf(job, r.summary.median), p10: figures.p10, p90: figures.p90 },
        seconds: r.summary,
        reduced: r.reduced,
        ...(r.note ? { note: r.note } : {}),
        ...(r.losses ? { losses: r.losses } : {}),
        ...(r.compiled ? { compiled: compileComparison(run, s.id, job) } : {}),
        timeRatioToPytorch: ratio(run, s.id, job) ?? null,
        samples: r.samples,
      });
    }
  }
  const stamp = run.startedAt.toISOString().replace(/[:.]/g, '-');
  const outDir = join(dir, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `bench-${stamp}.json`);
  const body = {
    startedAt: run.startedAt.toISOString(),
    argv: run.argv,
    machine: machineInfo(),
    subjects: run.subjects,
    results,
  };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
  return path;
}
