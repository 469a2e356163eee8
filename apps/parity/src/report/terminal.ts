// The terminal table: one row per case, one column per target (status, max abs, max rel).
import type { Report } from '../types.js';
import { familySummary } from './build.js';
import { STATUS, sci, worstOf } from './cells.js';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The columns of the tables: every target that appears in a cell, in target order. */
export function columns(report: Report): string[] {
  return report.targets.map((t) => t.name);
}

/** Full table: `case | target: STATUS abs rel | …`. */
export function caseTable(report: Report): string {
  const cols = columns(report);
  const idW = Math.min(60, Math.max(4, ...report.results.map((r) => r.id.length)));
  const cw = 24;
  const lines = [
    `${pad('case', idW)}  ${cols.map((c) => pad(`${c}: status abs rel`, cw)).join(' ')}`,
    `${'-'.repeat(idW)}  ${cols.map(() => '-'.repeat(cw)).join(' ')}`,
  ];
  for (const r of report.results) {
    const cells = cols.map((name) => {
      const c = r.cells[name];
      if (!c) return pad('', cw);
      if (c.status === 'skip' || c.status === 'error') return pad(STATUS[c.status], cw);
      const w = worstOf(c);
      return pad(`${STATUS[c.status]} ${sci(w.abs)} ${sci(w.rel)}`, cw);
    });
    lines.push(`${pad(r.id.slice(0, idW), idW)}  ${cells.join(' ')}`);
  }
  return lines.join('\n');
}

/** Family × target: passed/run and the largest errors. */
export function summaryTable(report: Report): string {
  const rows = familySummary(report);
  const lines = [
    `${pad('family', 11)} ${pad('target', 9)} ${pad('pass/run', 10)} ${pad('max abs', 9)} max rel`,
    `${'-'.repeat(11)} ${'-'.repeat(9)} ${'-'.repeat(10)} ${'-'.repeat(9)} -------`,
  ];
  for (const r of rows) {
    lines.push(
      `${pad(r.family, 11)} ${pad(r.target, 9)} ${pad(`${r.pass}/${r.run}`, 10)} ${pad(sci(r.maxAbs), 9)} ${sci(r.maxRel)}`,
    );
  }
  return lines.join('\n');
}

/** Targets, the full table, the summary and the failures. */
export function terminalReport(report: Report, full = true): string {
  const parts = [
    report.targets.map((t) => `${pad(t.name, 9)} ${t.started ? 'up  ' : 'DOWN'} ${t.detail}`).join('\n'),
  ];
  if (full) parts.push(caseTable(report));
  parts.push(summaryTable(report));
  const per = Object.entries(report.summary)
    .map(([n, s]) => `${n}: ${s.pass} pass, ${s.fail} fail, ${s.error} error, ${s.skip} skip`)
    .join('\n');
  parts.push(per);
  if (report.failures.length > 0) {
    parts.push(`${report.failures.length} mismatches:\n${report.failures.map((f) => `  ${f}`).join('\n')}`);
  }
  parts.push(`${report.ok ? 'PARITY OK' : 'PARITY FAILED'} in ${report.seconds.toFixed(1)} s`);
  return parts.join('\n\n');
}
