/**
 * The conformance suite every @proj backend runs against itself. A backend package adds
 * one vitest file:
 *
 * ```ts
 * import { runConformance } from '@proj/backend-tests';
 * import { cpuSkips } from './conformance.skips.js';
 * import './index.js';
 *
 * runConformance({ backend: 'cpu', skip: cpuSkips });
 * ```
 */
import { describe, expect, it } from 'vitest';
import { familyOf, unknownSkips } from './case.js';
import { ALL_CASES } from './cases/index.js';
import {
  type ConformanceOptions,
  readsSync,
  runCase,
  runCaseAsync,
  selectedCases,
  skipReason,
} from './run-case.js';

export type { ConformanceCase, Requirement } from './case.js';
export { declaredSkip, tcase } from './case.js';
export { ALL_CASES } from './cases/index.js';
export { ConformanceError, type Nested, Tols } from './checks.js';
export { HOST_READ_SKIPS } from './host-reads.js';
export type { ConformanceOptions } from './run-case.js';
export { readsSync, runCase, runCaseAsync, selectedCases, skipReason } from './run-case.js';
export { DEFAULT_TOLERANCE, TOLERANCES, type Tolerance, type ToleranceName } from './tolerance.js';

/**
 * Registers the suite with vitest: one `describe` per op family and one `it` per case,
 * each run on `opts.backend` inside a leak-checking memory scope. Skipped cases (declared
 * in `opts.skip`, or needing a dtype / second backend / synchronous reads the backend lacks)
 * show up as skipped tests whose name carries the reason. A skip key matching no case fails
 * the suite. The backend must be registered when this is called. On a backend that reads only
 * asynchronously each test is async ({@link runCaseAsync}); `opts.only` narrows the cases.
 */
export function runConformance(opts: ConformanceOptions): void {
  describe(`conformance [${opts.backend}]`, () => {
    const run = readsSync(opts.backend) ? runCase : runCaseAsync;
    const cases = selectedCases(opts, ALL_CASES);
    const families = [...new Set(cases.map((c) => familyOf(c.id)))];
    for (const family of families) {
      describe(family, () => {
        for (const c of cases.filter((x) => familyOf(x.id) === family)) {
          const reason = skipReason(c, opts);
          if (reason !== undefined) it.skip(`${c.id} — skipped: ${reason}`, () => {});
          else it(c.id, () => run(c, opts));
        }
      });
    }
    it('skip map names only existing cases', () => {
      expect(
        unknownSkips(
          ALL_CASES.map((c) => c.id),
          opts.skip ?? {},
        ),
      ).toEqual([]);
    });
  });
}
export type { FuzzOptions } from './fuzz/run-fuzz.js';
export { runFuzz, runProperty } from './fuzz/run-fuzz.js';
export { checkPlainLoopBounded, type LoopSample, MnistNet, plainLoop } from './plain-loop.js';
export { dynamicShapeSoak, type SoakReport } from './soak.js';
