import { currentBackendName, memory, setBackend, tidy } from '@proj/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE, TOLERANCES, type ToleranceName } from '../tolerance.js';
import type { ValueDomain } from './arbitraries.js';
import { FUZZ_PROPERTIES, type FuzzProperty } from './properties.js';

/** How a backend runs the fuzz suite. */
export interface FuzzOptions {
  /** Registered backend name. */
  backend: string;
  /** Float tolerance preset (the backend's conformance preset). */
  tolerance?: ToleranceName;
  /** Draws per property (default 300; `PROJ_FUZZ_RUNS` overrides). */
  numRuns?: number;
  /** Wall-clock budget per property in ms (default 8000); a property stops early, passing, at the limit. */
  timeLimitMs?: number;
  /**
   * Values the backend cannot represent, each with the reason (e.g. WebGL flushes float32
   * subnormals to zero). Everything else is drawn.
   */
  exclude?: { subnormals?: string; nonFinite?: string };
  /**
   * A backend that holds int32 exactly only for |v| < `bound` (and refuses the rest with an
   * error), with the reason; values and results beyond are then expected to be refused.
   */
  intBound?: { bound: number; reason: string };
}

/** The seed of a property: fixed per name (reproducible in CI), or `PROJ_FUZZ_SEED`. */
function seedOf(name: string): number {
  const base = Number(process.env.PROJ_FUZZ_SEED ?? 20261205);
  let h = base;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

/** Runs one property on the current backend; returns the number of draws checked. */
export function runProperty(
  p: FuzzProperty<unknown>,
  opts: FuzzOptions,
): { runs: number; failure: string | null } {
  const tol = TOLERANCES[opts.tolerance ?? DEFAULT_TOLERANCE];
  const domain: ValueDomain = {
    subnormals: !opts.exclude?.subnormals,
    nonFinite: !opts.exclude?.nonFinite,
    intBound: opts.intBound?.bound ?? 2 ** 31,
  };
  let runs = 0;
  const result = fc.check(
    fc.property(p.arb(domain), (input) => {
      runs++;
      const before = memory().numTensors;
      const verdict = tidy(() => p.check(input, tol, domain));
      const leaked = memory().numTensors - before;
      if (verdict !== null) throw new Error(verdict);
      if (leaked !== 0) throw new Error(`${leaked} tensor(s) leaked`);
    }),
    {
      seed: seedOf(p.name),
      numRuns: Number(process.env.PROJ_FUZZ_RUNS ?? opts.numRuns ?? 300),
      interruptAfterTimeLimit: opts.timeLimitMs ?? 8000,
      markInterruptAsFailure: false,
    },
  );
  if (!result.failed) return { runs, failure: null };
  const input = JSON.stringify(result.counterexample?.[0], (_, v) =>
    typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  );
  const err =
    result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
  return {
    runs,
    failure: `${p.name} on ${opts.backend}: ${err}\n  smallest failing input: ${input}\n  reproduce: seed ${result.seed}, path "${result.counterexample ? result.counterexamplePath : ''}"`,
  };
}

/**
 * Registers the fuzz suite with vitest: one test per property, each checking seeded random
 * draws (shapes including empty and 0-d, dtypes, broadcasting, scalar operands, special
 * values) on `opts.backend` against the float64 reference, bounded in time.
 */
export function runFuzz(opts: FuzzOptions): void {
  describe(`fuzz [${opts.backend}]`, () => {
    for (const p of FUZZ_PROPERTIES) {
      it(p.name, () => {
        const previous = currentBackendName();
        setBackend(opts.backend);
        try {
          const { runs, failure } = runProperty(p, opts);
          console.log(`fuzz [${opts.backend}] ${p.name}: ${runs} draws`);
          if (failure !== null) expect.fail(failure);
        } finally {
          setBackend(previous);
        }
      });
    }
  });
}
