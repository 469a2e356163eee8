/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32). Random
 * tensors are drawn here in core and uploaded, so every backend sees the same numbers.
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;
  private seed_ = 0;

  constructor(seed = 0x2545f491) {
    this.manualSeed(seed);
  }

  /** Resets the stream; the same seed gives the same sequence. Returns this. */
  manualSeed(seed: number): this {
    if (!Number.isFinite(seed)) throw new Error(`manualSeed: seed must be a finite number (got ${seed})`);
    this.seed_ = seed;
    let x = (Math.floor(seed) ^ Math.floor(seed / 2 ** 32)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spare = null;
    return this;
  }

  /** The seed last given to {@link manualSeed}. */
  initialSeed(): number {
    return this.seed_;
  }

  /**
   * @internal 32-bit draws taken from every generator so far: a tracer compares it before and
   * after a step to prove that each draw went through `hostDraw` (and is drawn again per run).
   */
  static drawCount = 0;

  /**
   * @internal While a tracer runs code (see `watchHostDraws`), each generator that draws and
   * its state before the first draw, so that tracing consumes no random numbers.
   */
  static rehearsal: Map<Generator, number[]> | null = null;

  private touch(): void {
    const r = Generator.rehearsal;
    if (r !== null && !r.has(this)) r.set(this, this.getState());
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    Generator.drawCount++;
    if (Generator.rehearsal !== null) this.touch();
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * `n` uniforms in [0, 1): exactly the numbers `n` calls of {@link random} would give, drawn
   * in one tight loop (dropout masks draw millions per step).
   */
  randoms(n: number): Float64Array {
    if (Generator.rehearsal !== null) this.touch();
    const out = new Float64Array(n);
    let { s0, s1, s2, s3 } = this;
    // nextUint32 twice, inlined (no call, no counter per number): four times faster
    for (let i = 0; i < n; i++) {
      let x = Math.imul(s1, 5);
      const hi = Math.imul((x << 7) | (x >>> 25), 9) >>> 5;
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      x = Math.imul(s1, 5);
      const lo = Math.imul((x << 7) | (x >>> 25), 9) >>> 6;
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[i] = (hi * 67108864 + lo) / 9007199254740992;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    Generator.drawCount += 2 * n;
    return out;
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (Generator.rehearsal !== null) this.touch();
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [low, high). */
  int(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low));
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Snapshot of the stream, to restore with {@link setState}. */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.spare ?? Number.NaN, this.seed_];
  }

  /** Restores a snapshot taken by {@link getState}, so the same numbers come again. */
  setState(state: readonly number[]): void {
    [this.s0, this.s1, this.s2, this.s3] = state;
    this.spare = Number.isNaN(state[4]) ? null : state[4];
    this.seed_ = state[5];
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator used when none is passed. */
export const defaultGenerator = new Generator();

/** Seeds the default generator (initialisation, dropout, shuffling, rand/randn). */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
