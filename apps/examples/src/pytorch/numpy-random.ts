// NumPy's legacy global generator (np.random.seed / np.random.randint), bit for bit: MT19937
// seeded as `init_genrand(seed)`, and randint's masked rejection sampling on 32-bit draws.
// PyTorch's examples generate data with it (time_sequence_prediction's sine waves).

const N = 624;
const M = 397;

/** The Mersenne Twister MT19937 that NumPy's legacy generator and Python's `random` share. */
export class MT19937 {
  private readonly mt = new Uint32Array(N);
  private pos = N;

  /** `init_genrand(seed)`: NumPy's `np.random.seed(int)`. */
  initGenrand(seed: number): void {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.pos = N;
  }

  /** `init_by_array(key)`: Python's `random.seed(int)` (the key: the integer's 32-bit words, low first). */
  initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.pos = N;
  }

  /** The next 32-bit output (genrand_int32). */
  nextUint32(): number {
    const mt = this.mt;
    if (this.pos >= N) {
      for (let i = 0; i < N; i++) {
        const y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
        mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.pos = 0;
    }
    let y = mt[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

/** NumPy's `np.random.RandomState(seed)` (MT19937), for the calls the examples make. */
export class RandomState {
  private readonly mt = new MT19937();

  constructor(seed: number) {
    this.seed(seed);
  }

  /** `np.random.seed(seed)` with an integer in [0, 2^32). */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`RandomState.seed: seed must be an integer between 0 and 2**32 - 1, got ${seed}`);
    }
    this.mt.initGenrand(seed);
  }

  /** The next 32-bit output of MT19937 (genrand_int32). */
  nextUint32(): number {
    return this.mt.nextUint32();
  }

  /**
   * `np.random.randint(low, high, size)`: `size` integers uniform in [low, high), drawn as
   * NumPy draws them (mask the 32-bit output to the range's bit width, reject values past it).
   */
  randint(low: number, high: number, size: number): number[] {
    const rng = high - low - 1;
    if (!(rng >= 0) || rng > 0xfffffffe) {
      throw new Error(
        `RandomState.randint: need low < high within 2^32 of each other, got [${low}, ${high})`,
      );
    }
    let mask = rng;
    for (const s of [1, 2, 4, 8, 16]) mask |= mask >>> s;
    mask >>>= 0;
    const out: number[] = [];
    for (let i = 0; i < size; i++) {
      let v = rng === 0 ? 0 : (this.nextUint32() & mask) >>> 0;
      while (v > rng) v = (this.nextUint32() & mask) >>> 0;
      out.push(low + v);
    }
    return out;
  }
}
