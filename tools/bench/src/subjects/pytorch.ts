import { spawn, spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { lossNote, summarize } from '../harness.js';
import type { Job, JobResult, Losses, Subject } from '../types.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../py/bench_torch.py', import.meta.url));

/** `threads` threads everywhere (torch, OpenBLAS, OpenMP) and OpenBLAS's AVX-512 kernels, as BENCH.md prescribes. */
function pythonEnv(threads: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    OPENBLAS_CORETYPE: 'SkylakeX',
    OPENBLAS_NUM_THREADS: String(threads),
    OMP_NUM_THREADS: String(threads),
  };
}

interface PyOutput {
  info: Record<string, string | number>;
  results: ({ samples: number[]; warmup: number; losses?: Losses } | { note: string })[];
}

/** Runs all jobs in one Python process (importing torch takes seconds) and parses its JSON. */
function runPython(jobs: Job[], threads: number): Promise<PyOutput> {
  const input = JSON.stringify({
    threads,
    jobs: jobs.map((j) => ({ workload: j.workload.id, params: j.case.params, plan: j.case.plan })),
  });
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT], { env: pythonEnv(threads), stdio: ['pipe', 'pipe', 'pipe'] });
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

/** Why the two-thread reference skips a job: it is a reference for training steps only. */
const TRAINING_ONLY = 'the two-thread reference measures W1 and the training workloads only';

/**
 * A multi-threaded figure depends on what else runs: each parallel region (OpenMP) waits for
 * its slowest thread, and a thread the OS has descheduled for another process stalls it for a
 * time slice. On a 2-core machine shared with other work, W2 with two threads was seen anywhere
 * from 1 to 40 ms per step (one thread: 0.7 ms), so the line says how loaded the machine was.
 */
function threadsDetail(threads: number): string {
  return (
    `${threads} threads on ${cpus().length} cores; 1-minute load average ${loadavg()[0].toFixed(2)} after it ran: ` +
    'other work on the cores stalls its parallel regions, so this figure swings with that load'
  );
}

/**
 * PyTorch CPU through `/usr/bin/python3` with `threads` threads. One thread (`pytorch`) is the
 * reference every ratio is taken to; two threads (`pytorch-2t`) is the reference of the
 * two-thread subjects (ONNX Runtime, the CPU backend's worker threads) and runs W1 and the
 * training workloads (W2–W4, W6) only.
 */
export function pytorchSubject(threads: 1 | 2): Subject {
  return {
    id: threads === 1 ? 'pytorch' : `pytorch-${threads}t`,
    title: `PyTorch ${threads} thread${threads === 1 ? '' : 's'}`,
    async open(jobs) {
      const env = pythonEnv(threads);
      const probe = spawnSync(PYTHON, ['-c', 'import torch'], { env, encoding: 'utf8' });
      if (probe.error || probe.status !== 0) {
        return `${PYTHON} cannot import torch (Debian: apt-get install python3-torch libopenblas0-pthread)`;
      }
      const mine = threads === 1 ? jobs : jobs.filter((j) => j.workload.training || j.workload.id === 'W1');
      let out: PyOutput;
      try {
        out = await runPython(mine, threads);
      } catch (e) {
        return (e as Error).message;
      }
      const byJob = new Map<Job, JobResult>();
      mine.forEach((job, i) => {
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
      const skipped = (job: Job): JobResult =>
        jobs.includes(job)
          ? { ok: false, note: TRAINING_ONLY }
          : { ok: false, note: 'job was not given to open()' };
      const blas = `PyTorch ${out.info.version} on ${out.info.blas}: 512x512 matmul ${out.info.matmul512Gflops} GFLOP/s`;
      return {
        info: out.info,
        detail: threads > 1 ? `${blas}; ${threadsDetail(threads)}` : blas,
        measure: async (job) => byJob.get(job) ?? skipped(job),
        close: async () => {},
      };
    },
  };
}

/** PyTorch one thread (the reference of every ratio), then two threads (training workloads). */
export async function pytorchSubjects(): Promise<Subject[]> {
  return [pytorchSubject(1), pytorchSubject(2)];
}
