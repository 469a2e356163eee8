/**
 * Prints float32 N x N matmul throughput (GFLOP/s, median and best of several runs) of the CPU backend.
 * Run: pnpm exec tsx --conditions=source scripts/matmul-speed.ts [--js] [N ...]
 * (--js times the pure-JS fallback kernel instead of the dispatching `matmul`).
 */

import { matmul } from '../src/kernels/matmul.js';
import { matmulJs } from '../src/kernels/matmul-js.js';

const useJs = process.argv.includes('--js');
const f = useJs ? matmulJs : matmul;
const sizes = process.argv
  .slice(2)
  .filter((s) => /^\d+$/.test(s))
  .map(Number);
for (const n of sizes.length > 0 ? sizes : [128, 256, 512, 1024]) {
  const a = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
  const out = new Float32Array(n * n);
  const flop = 2 * n * n * n;
  // Enough repetitions for ~0.3 s per size after a warm-up.
  f(a, b, out, 1, n, n, n, 0, 0, false, false);
  const t0 = performance.now();
  f(a, b, out, 1, n, n, n, 0, 0, false, false);
  const once = Math.max(performance.now() - t0, 0.01);
  const runs = Math.max(5, Math.min(50, Math.round(300 / once)));
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const s = performance.now();
    f(a, b, out, 1, n, n, n, 0, 0, false, false);
    times.push(performance.now() - s);
  }
  times.sort((x, y) => x - y);
  const med = times[Math.floor(times.length / 2)];
  // The best run is shown too: on a shared machine it is the figure least disturbed by other load.
  const gflops = (ms: number): string => (flop / ms / 1e6).toFixed(2);
  console.log(
    `${useJs ? 'js  ' : 'auto'} N=${n}: ${gflops(med)} GFLOP/s median, ${gflops(times[0])} best (median ${med.toFixed(2)} ms of ${runs})`,
  );
}
