import { describe, expect, it } from 'vitest';
import { retraceNote, summarize } from './harness.js';
import { compileComparison, cpuTargetLines, formatTable, type Run, untrustedReference } from './report.js';
import type { CompileCost, Job, JobResult } from './types.js';
import { trainingWorkload } from './workloads/training.js';
import { w1Matmul } from './workloads/w1-matmul.js';

/** A result whose every sample took `ms` milliseconds. */
function took(ms: number, compiled?: CompileCost): JobResult {
  const samples = Array(5).fill(ms / 1e3);
  return {
    ok: true,
    samples,
    summary: summarize(samples, 1),
    reduced: false,
    ...(compiled ? { compiled } : {}),
  };
}

/** A run of one training job over the given subjects' results. */
function runOf(results: Record<string, JobResult>): { run: Run; job: Job } {
  const workload = trainingWorkload('W9', 'Toy', 4, {});
  const job: Job = { workload, case: workload.cases({ quick: true })[0] };
  const run: Run = {
    startedAt: new Date(0),
    argv: [],
    jobs: [job],
    subjects: Object.keys(results).map((id) => ({ id, title: id })),
    results: new Map(Object.entries(results).map(([id, r]) => [id, new Map([[job, r]])])),
  };
  return { run, job };
}

/** Compile cost of an SGD step (one graph, traced by compile) or, with `stepTraceMs`, of Adam (a second graph traced by step 2). */
const stats = (compileMs: number, stepTraceMs?: number): CompileCost =>
  stepTraceMs === undefined
    ? { traces: 1, sessionsCreated: 1, compileMs, stepTraces: 0, lastTraceStep: 0, stepTraceMs: 0 }
    : { traces: 2, sessionsCreated: 2, compileMs, stepTraces: 1, lastTraceStep: 2, stepTraceMs };

describe('compileComparison', () => {
  it('sets compile time beside 50 eager steps and judges by the fastest eager subject', () => {
    const { run, job } = runOf({
      'ours-cpu': took(30),
      'ours-onnx': took(10),
      'ours-onnx-compiled': took(2, stats(400)),
    });
    expect(compileComparison(run, 'ours-onnx-compiled', job)).toEqual({
      ...stats(400),
      totalMs: 400,
      eagerMs: { 'ours-onnx': 500, 'ours-cpu': 1500 },
      met: true,
    });
    run.results.get('ours-onnx-compiled')!.set(job, took(2, stats(600)));
    expect(compileComparison(run, 'ours-onnx-compiled', job)?.met).toBe(false);
    // A graph traced by a step counts too: 400 + 150 ms > 50 × 10 ms.
    run.results.get('ours-onnx-compiled')!.set(job, took(2, stats(400, 150)));
    expect(compileComparison(run, 'ours-onnx-compiled', job)).toMatchObject({ totalMs: 550, met: false });
    expect(compileComparison(run, 'ours-cpu', job)).toBeUndefined();
  });

  it('leaves the verdict open when no eager subject ran the case', () => {
    const { run, job } = runOf({ 'ours-onnx-compiled': took(2, stats(400)) });
    expect(compileComparison(run, 'ours-onnx-compiled', job)).toEqual({
      ...stats(400),
      totalMs: 400,
      eagerMs: {},
    });
  });
});

describe('formatTable', () => {
  it('prints the compile comparison and the compiled targets against PyTorch 1 and 2 threads', () => {
    const { run } = runOf({
      'ours-onnx': took(10),
      'ours-onnx-compiled': took(0.7, stats(400)),
      'ours-onnx-compiled-2t': took(0.6, stats(300, 20)),
      pytorch: took(1),
      'pytorch-2t': took(0.5),
    });
    const table = formatTable(run);
    expect(table).toContain(
      'ours-onnx-compiled 400 ms (1 trace, 1 session) vs ours-onnx 500 ms: met; ' +
        'ours-onnx-compiled-2t 300 ms + 20.0 ms for 1 graph traced by step 2 (2 traces, 2 sessions) vs ours-onnx 500 ms: met',
    );
    expect(table).toContain(
      'ours-onnx-compiled 0.70x pytorch (<= 0.8: met); ours-onnx-compiled-2t 1.2x pytorch-2t (<= 1: NOT met)',
    );
  });
});

describe('cpuTargetLines', () => {
  it("judges issue 16's targets: W1 N=512 GFLOP/s, W2-W4 against PyTorch, tfjs-wasm against ours", () => {
    const w2 = trainingWorkload('W2', 'MLP', 64, {});
    const w4 = trainingWorkload('W4', 'LSTM', 16, {});
    const w1 = {
      workload: w1Matmul,
      case: w1Matmul.cases({ quick: true }).find((c) => c.label === 'W1 N=512'),
    } as Job;
    const j2: Job = { workload: w2, case: w2.cases({ quick: true })[0] };
    const j4: Job = { workload: w4, case: w4.cases({ quick: true })[0] };
    const of = (m: [Job, JobResult][]) => new Map(m);
    const run: Run = {
      startedAt: new Date(0),
      argv: [],
      jobs: [w1, j2, j4],
      subjects: [],
      results: new Map([
        // 2·512³ flop in 2.5 ms: 107 GFLOP/s
        [
          'ours-cpu',
          of([
            [w1, took(2.5)],
            [j2, took(2)],
            [j4, took(10)],
          ]),
        ],
        [
          'pytorch',
          of([
            [j2, took(1)],
            [j4, took(3)],
          ]),
        ],
        [
          'tfjs-wasm',
          of([
            [j2, took(20)],
            [j4, took(40)],
          ]),
        ],
      ]),
    };
    expect(cpuTargetLines(run)).toEqual([
      '',
      'CPU backend targets (time ratios, or the figure):',
      '  W1 N=512: ours-cpu 107 GFLOP/s (>= 70: met)',
      "  W2 MLP step: ours-cpu 2.0x pytorch's time (<= 2.5: met)",
      "  W4 LSTM step: ours-cpu 3.3x pytorch's time (<= 2.5: NOT met)",
      "  W2 MLP step: tfjs-wasm 10.0x ours-cpu's time (>= 5: met)",
      "  W4 LSTM step: tfjs-wasm 4.0x ours-cpu's time (>= 5: NOT met)",
    ]);
  });
});

describe('retraceNote', () => {
  it("is silent up to the optimizer's first step's graph, and names a later trace", () => {
    expect(retraceNote(stats(1))).toBeUndefined();
    expect(retraceNote(stats(1, 5))).toBeUndefined();
    expect(retraceNote({ ...stats(1, 5), traces: 3, stepTraces: 2, lastTraceStep: 7 })).toBe(
      "traced a graph at step 7 (3 traces in all): on a fixed batch only the optimizer's first step may trace one more",
    );
  });
});

describe('untrustedReference', () => {
  it('refuses ratios to a PyTorch whose 512x512 matmul is implausibly slow (the reference BLAS)', () => {
    const { run, job } = runOf({ 'ours-cpu': took(2), pytorch: took(1) });
    run.subjects = [
      { id: 'ours-cpu', title: 'ours-cpu' },
      {
        id: 'pytorch',
        title: 'pytorch',
        info: { matmul512Gflops: 6.1, blas: '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3' },
      },
    ];
    expect(untrustedReference(run, 'pytorch')).toMatch(
      /6.1 GFLOP\/s on \/usr\/lib\/x86_64-linux-gnu\/blas\/libblas.so.3: not an optimised BLAS/,
    );
    const table = formatTable(run);
    expect(table).toContain('NO RATIOS: pytorch');
    expect(table).not.toContain('(2.0x)');
    run.subjects[1].info = { matmul512Gflops: 190, blas: 'openblas' };
    expect(untrustedReference(run, 'pytorch')).toBeUndefined();
    expect(formatTable(run)).toContain('(2.0x)');
    void job;
  });
});
