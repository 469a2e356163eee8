// PyTorch's examples/time_sequence_prediction/generate_sine_wave.py, in process: 100 sine
// waves of 1000 steps, each shifted by a random integer drawn by NumPy's seeded generator
// (reproduced bit for bit), so the data are the original's traindata.pt.
import { type Tensor, tensor } from '@proj/core';
import { RandomState } from '../../pytorch/numpy-random.js';

/** The [N, L] float64 tensor `generate_sine_wave.py` saves (N = 100 waves, L = 1000 steps). */
export function generateSineWave(): Tensor {
  const np = { random: new RandomState(2) }; // np.random.seed(2)

  const T = 20;
  const L = 1000;
  const N = 100;

  // x[:] = np.array(range(L)) + np.random.randint(-4 * T, 4 * T, N).reshape(N, 1)
  const shift = np.random.randint(-4 * T, 4 * T, N);
  const data = new Float64Array(N * L);
  for (let n = 0; n < N; n++) {
    for (let l = 0; l < L; l++) data[n * L + l] = Math.sin((l + shift[n]) / 1.0 / T); // np.sin(x / 1.0 / T)
  }
  return tensor(data).reshape(N, L);
}
