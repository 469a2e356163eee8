import { seededFloat32 } from '../harness.js';
import type { Case, Workload } from '../types.js';
import { readFirstAsync, readsSync } from './reads.js';

const SIZES = [128, 256, 512, 1024];

/** N=1024 takes seconds per iteration on slow subjects, so its iterations fit a time budget. */
function plan(n: number, quick: boolean): Case['plan'] {
  if (quick) return { warmup: 1, iterations: 3, budgetS: 3, minIterations: 1 };
  if (n >= 1024) return { warmup: 5, iterations: 20, budgetS: 30, minIterations: 5 };
  return { warmup: 5, iterations: 20 };
}

/**
 * W1: N×N @ N×N float32 matmul; GFLOP/s = 2N³ / seconds. One element of the product is read back
 * in the timed call (so it exists, as PyTorch's synchronous product does when `torch.matmul` returns).
 */
export const w1Matmul: Workload = {
  id: 'W1',
  title: 'matmul NxN @ NxN',
  unit: 'GFLOP/s',
  higherIsBetter: true,
  cases: ({ quick }) => SIZES.map((n) => ({ label: `W1 N=${n}`, params: { n }, plan: plan(n, quick) })),
  figure: (p, seconds) => (2 * p.n ** 3) / seconds / 1e9,
  impls: {
    ours: (core, { n }) => {
      const flat = [core.tensor(seededFloat32(n * n, 1)), core.tensor(seededFloat32(n * n, 2))];
      const [a, b] = flat.map((t) => t.reshape([n, n]));
      const dispose = () => {
        for (const t of [a, b, ...flat]) t.dispose();
      };
      if (!readsSync(core)) {
        // A backend read only with await (WebGPU): one element of the product, read back
        // after the matmul ran; copying all N² values off the device would be timed too.
        return {
          async run() {
            const c = a.matmul(b);
            try {
              await readFirstAsync(core.tidy(() => c.narrow(0, 0, 1).narrow(1, 0, 1)));
            } finally {
              c.dispose();
            }
          },
          dispose,
        };
      }
      return {
        run() {
          // dataSync() makes a backend that defers work (gpu.js) finish; on the CPU it is a read.
          const c = a.matmul(b);
          c.dataSync();
          c.dispose();
        },
        dispose,
      };
    },
    tfjs: (tf, { n }) => {
      const a = tf.tensor2d(seededFloat32(n * n, 1), [n, n]);
      const b = tf.tensor2d(seededFloat32(n * n, 2), [n, n]);
      return {
        run() {
          const c = tf.matMul(a, b);
          const corner = tf.slice(c, [0, 0], [1, 1]);
          corner.dataSync();
          corner.dispose();
          c.dispose();
        },
        dispose() {
          a.dispose();
          b.dispose();
        },
      };
    },
  },
};
