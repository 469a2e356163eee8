/**
 * `pnpm bench`: runs the workloads of BENCH.md on every subject that starts and prints a table
 * of medians with ratios to PyTorch one-thread, then writes the raw figures as JSON.
 *
 *   pnpm bench [--only W0,W1] [--subjects ours-cpu,tfjs-wasm,pytorch] [--quick]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatTable, type Run, writeJson } from './report.js';
import { SUBJECT_SOURCES } from './subjects/index.js';
import type { Job, JobResult, Subject } from './types.js';
import { WORKLOADS } from './workloads/index.js';
import { reexecUnderXvfb } from './xvfb.js';

const split = (s: string | undefined) =>
  s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      subjects: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  });
  const wanted = split(values.subjects);
  const xvfbStatus = reexecUnderXvfb(!wanted || wanted.includes('ours-gpujs'));
  if (xvfbStatus !== null) process.exit(xvfbStatus);
  const only = split(values.only);
  const unknownW = only?.filter((id) => !WORKLOADS.some((w) => w.id === id));
  if (unknownW?.length)
    fail(`unknown workload ${unknownW.join(', ')} (known: ${WORKLOADS.map((w) => w.id).join(', ')})`);
  const workloads = only ? WORKLOADS.filter((w) => only.includes(w.id)) : WORKLOADS;
  const jobs: Job[] = workloads.flatMap((workload) =>
    workload.cases({ quick: values.quick }).map((c) => ({ workload, case: c })),
  );

  const run: Run = { startedAt: new Date(), argv, jobs, subjects: [], results: new Map() };
  const subjects: Subject[] = [];
  for (const source of SUBJECT_SOURCES) {
    try {
      subjects.push(...(await source.list()));
    } catch (e) {
      run.subjects.push({
        id: source.name,
        title: source.name,
        skipped: `failed to load: ${(e as Error).message}`,
      });
    }
  }
  const unknownS = wanted?.filter(
    (id) => !subjects.some((s) => s.id === id) && !run.subjects.some((s) => s.id === id),
  );
  if (unknownS?.length)
    fail(`unknown subject ${unknownS.join(', ')} (available: ${subjects.map((s) => s.id).join(', ')})`);
  if (wanted) run.subjects = run.subjects.filter((s) => wanted.includes(s.id));

  for (const subject of subjects.filter((s) => !wanted || wanted.includes(s.id))) {
    console.error(`bench: ${subject.id} …`);
    const session = await subject.open(jobs).catch((e: Error) => `failed to start: ${e.message}`);
    if (typeof session === 'string') {
      run.subjects.push({ id: subject.id, title: subject.title, skipped: session });
      console.error(`bench: ${subject.id} skipped: ${session}`);
      continue;
    }
    run.subjects.push({
      id: subject.id,
      title: subject.title,
      info: session.info,
      detail: session.detail,
      ...(session.caveat ? { caveat: session.caveat } : {}),
    });
    if (session.detail) console.error(`bench: ${subject.id}: ${session.detail}`);
    if (session.caveat) console.error(`bench: ${subject.id}: ${session.caveat}`);
    const results = new Map<Job, JobResult>();
    run.results.set(subject.id, results);
    for (const job of jobs) {
      const r = await session
        .measure(job)
        .catch((e: Error): JobResult => ({ ok: false, note: `error: ${e.message}` }));
      results.set(job, r);
      const shown = r.ok
        ? `${job.workload.figure(job.case.params, r.summary.median).toPrecision(4)} ${job.workload.unit}`
        : r.note;
      console.error(`bench:   ${job.case.label}: ${shown}`);
    }
    await session.close();
  }

  console.log(formatTable(run));
  const path = writeJson(run, fileURLToPath(new URL('..', import.meta.url)));
  console.log(
    `\nraw results: ${path}${values.quick ? ' (--quick: fewer iterations, a smoke test only)' : ''}`,
  );
}

await main();
