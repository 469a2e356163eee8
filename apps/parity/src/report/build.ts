// Assembles the Report (what parity.json holds) from the results.
import { BACKEND_OVERRIDES, PRESETS } from '../tolerances.js';
import type { CaseResult, Report, TargetInfo } from '../types.js';

/** Pass/fail counts per target, the failure lines and the overall verdict. */
export function buildReport(
  results: CaseResult[],
  targets: TargetInfo[],
  required: readonly string[],
  meta: { startedAt: Date; seconds: number; argv: string[] },
): Report {
  const summary: Report['summary'] = {};
  const failures: string[] = [];
  for (const t of targets) summary[t.name] = { pass: 0, fail: 0, error: 0, skip: 0 };
  for (const r of results) {
    for (const [name, c] of Object.entries(r.cells)) {
      summary[name] ??= { pass: 0, fail: 0, error: 0, skip: 0 };
      summary[name][c.status]++;
      if (c.status === 'fail') {
        const w = c.vsTorch?.pass === false ? `vs PyTorch ${c.vsTorch.worst}` : `vs cpu ${c.vsCpu?.worst}`;
        failures.push(`${r.id} @ ${name}: ${w}`);
      } else if (c.status === 'error') failures.push(`${r.id} @ ${name}: error: ${c.message}`);
    }
  }
  for (const name of required) {
    const t = targets.find((x) => x.name === name);
    if (!t?.started) failures.unshift(`required backend ${name} did not start: ${t?.detail ?? 'not loaded'}`);
    else if (t.fallback) failures.unshift(`required backend ${name} runs on a fallback: ${t.detail}`);
  }
  return {
    startedAt: meta.startedAt.toISOString(),
    seconds: meta.seconds,
    argv: meta.argv,
    targets,
    tolerances: { presets: PRESETS, backendOverrides: BACKEND_OVERRIDES },
    results,
    summary,
    failures,
    ok: failures.length === 0,
  };
}

/** Per family and target: pass count, total run, and the largest errors. */
export function familySummary(report: Report): {
  family: string;
  target: string;
  pass: number;
  run: number;
  maxAbs: number;
  maxRel: number;
}[] {
  const rows = new Map<
    string,
    { family: string; target: string; pass: number; run: number; maxAbs: number; maxRel: number }
  >();
  for (const r of report.results) {
    for (const [target, c] of Object.entries(r.cells)) {
      if (c.status === 'skip') continue;
      const key = `${r.family}|${target}`;
      const row = rows.get(key) ?? { family: r.family, target, pass: 0, run: 0, maxAbs: 0, maxRel: 0 };
      row.run++;
      if (c.status === 'pass') row.pass++;
      for (const d of [c.vsCpu, c.vsTorch]) {
        if (!d) continue;
        if (d.maxAbs > row.maxAbs || Number.isNaN(d.maxAbs)) row.maxAbs = d.maxAbs;
        if (d.maxRel > row.maxRel || Number.isNaN(d.maxRel)) row.maxRel = d.maxRel;
      }
      rows.set(key, row);
    }
  }
  return [...rows.values()];
}
