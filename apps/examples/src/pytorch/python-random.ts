// Python's `random` module (the calls PyTorch's examples make), bit for bit: MT19937 seeded by
// `init_by_array` of the seed's 32-bit words, `randint` by rejection on `getrandbits`.
import { MT19937 } from './numpy-random.js';

/** A Python `random.Random` instance. */
export class PyRandom {
  private readonly mt = new MT19937();

  /** Seeded like Python's: from `seed`, or from `Math.random` (Python: from os.urandom) when omitted. */
  constructor(seed?: number) {
    this.seed(seed);
  }

  /** `random.seed(a)` with a non-negative safe integer (Python takes |a|), or a random seed. */
  seed(a?: number): void {
    if (a === undefined) a = Math.floor(Math.random() * 2 ** 32);
    if (!Number.isSafeInteger(a)) throw new Error(`random.seed: expected a safe integer, got ${a}`);
    a = Math.abs(a);
    const key: number[] = [];
    do {
      key.push(a % 2 ** 32);
      a = Math.floor(a / 2 ** 32);
    } while (a > 0);
    this.mt.initByArray(key);
  }

  /** `random.getrandbits(k)` for 0 < k ≤ 32. */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k <= 0 || k > 32)
      throw new Error(`random.getrandbits: k must be in 1..32 here, got ${k}`);
    return this.mt.nextUint32() >>> (32 - k);
  }

  /** `random.randint(a, b)`: an integer in [a, b], both included. */
  randint(a: number, b: number): number {
    const n = b - a + 1;
    if (!Number.isInteger(a) || !Number.isInteger(b) || n <= 0 || n > 2 ** 32) {
      throw new Error(`random.randint: empty or too wide range (${a}, ${b})`);
    }
    const k = Math.floor(Math.log2(n)) + 1; // n.bit_length()
    let r = this.getrandbits(Math.min(k, 32));
    while (r >= n) r = this.getrandbits(Math.min(k, 32));
    return a + r;
  }
}

/** Python's module-level `random` (one shared, unseeded generator). */
export const random = new PyRandom();
