import { spawnSync } from 'node:child_process';

/** The environment variable that stops {@link reexecUnderXvfb} (set in the re-executed child). */
export const NO_XVFB = 'BENCH_NO_XVFB';

/**
 * gpu.js runs WebGL in Node through headless-gl, which needs an X display. Without one (and
 * with `xvfb-run` installed) this reruns the whole bench under `xvfb-run -a` and returns its
 * exit status; it returns null to go on in this process: a display is there, the gpujs subject
 * is not wanted, `BENCH_NO_XVFB` is set, or there is no `xvfb-run` (gpu.js then falls back to
 * its CPU mode and the subject says so).
 */
export function reexecUnderXvfb(wantsGpujs: boolean): number | null {
  if (!wantsGpujs || process.env.DISPLAY || process.env[NO_XVFB]) return null;
  if (spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status !== 0) return null;
  console.error('bench: no DISPLAY for gpu.js (headless-gl): rerunning under xvfb-run -a');
  const r = spawnSync('xvfb-run', ['-a', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [NO_XVFB]: '1' },
  });
  return r.status ?? 1;
}
