import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lossNote, summarize } from '../harness.js';
import type { Job, JobResult, Losses, Subject } from '../types.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../py/bench_torch.py', import.meta.url));
/** One thread, and OpenBLAS's AVX-512 kernels, as BENCH.md prescribes. */
const ENV = {
  ...process.env,
  OPENBLAS_CORETYPE: 'SkylakeX',
  OPENBLAS_NUM_THREADS: '1',
  OMP_NUM_THREADS: '1',
};

interface PyOutput {
  info: Record<string, string | number>;
  results: ({ samples: number[]; warmup: number; losses?: Losses } | { note: string })[];
}

/** Runs all jobs in one Python process (importing torch takes seconds) and parses its JSON. */
function runPython(jobs: Job[]): Promise<PyOutput> {
  const input = JSON.stringify({
    jobs: jobs.map((j) => ({ workload: j.workload.id, params: j.case.params, plan: j.case.plan })),
  });
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT], { env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`bench_torch.py exited with ${code}: ${err.trim().slice(-500)}`));
      else resolve(JSON.parse(out) as PyOutput);
    });
    child.stdin.end(input);
  });
}

/** PyTorch CPU, one thread, through `/usr/bin/python3` — the reference every ratio is taken to. */
export const pytorchSubject: Subject = {
  id: 'pytorch',
  title: 'PyTorch 1 thread',
  async open(jobs) {
    const probe = spawnSync(PYTHON, ['-c', 'import torch'], { env: ENV, encoding: 'utf8' });
    if (probe.error || probe.status !== 0) return `${PYTHON} cannot import torch`;
    let out: PyOutput;
    try {
      out = await runPython(jobs);
    } catch (e) {
      return (e as Error).message;
    }
    const byJob = new Map<Job, JobResult>();
    jobs.forEach((job, i) => {
      const r = out.results[i];
      if ('note' in r) byJob.set(job, { ok: false, note: r.note });
      else {
        const note = r.losses ? lossNote(r.losses) : undefined;
        byJob.set(job, {
          ok: true,
          samples: r.samples,
          summary: summarize(r.samples, r.warmup),
          reduced: r.samples.length < job.case.plan.iterations,
          ...(r.losses ? { losses: r.losses } : {}),
          ...(note ? { note } : {}),
        });
      }
    });
    return {
      info: out.info,
      measure: async (job) => byJob.get(job) ?? { ok: false, note: 'job was not given to open()' },
      close: async () => {},
    };
  },
};

export async function pytorchSubjects(): Promise<Subject[]> {
  return [pytorchSubject];
}
