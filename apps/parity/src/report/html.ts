// The self-contained HTML report: targets, the family summary, the full case table (hover a
// cell for both comparisons and the first failing value) and the failures. No external assets.
import type { CellResult, Report } from '../types.js';
import { familySummary } from './build.js';
import { STATUS, sci, worstOf } from './cells.js';
import { columns } from './terminal.js';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

function title(c: CellResult): string {
  const parts: string[] = [];
  for (const [what, d] of [
    ['vs cpu', c.vsCpu],
    ['vs PyTorch', c.vsTorch],
  ] as const) {
    if (d)
      parts.push(
        `${what}: abs ${sci(d.maxAbs)}, rel ${sci(d.maxRel)}${d.worst ? `, first bad ${d.worst}` : ''}`,
      );
  }
  if (c.message) parts.push(c.message);
  parts.push(`${c.ms.toFixed(1)} ms${c.leaked ? `, ${c.leaked} tensors leaked` : ''}`);
  return parts.join('\n');
}

function td(c: CellResult | undefined): string {
  if (!c) return '<td></td>';
  const w = worstOf(c);
  const text =
    c.status === 'pass' || c.status === 'fail'
      ? `${STATUS[c.status]} ${sci(w.abs)} / ${sci(w.rel)}`
      : STATUS[c.status];
  return `<td class="${c.status}" title="${esc(title(c))}">${esc(text)}</td>`;
}

const STYLE = `body{font:13px system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:2px 6px;text-align:left}
th{background:#f3f3f3;position:sticky;top:0}td{font-family:ui-monospace,monospace;white-space:nowrap}
.pass{background:#e8f6e8}.fail{background:#fbd9d9;font-weight:bold}.error{background:#f9c0c0}.skip{color:#999}
.ok{color:#185c18}.bad{color:#a00}input{margin:.3em 0;padding:3px;width:25em}`;

const SCRIPT = `const f=document.getElementById('filter');f.addEventListener('input',()=>{const q=f.value.toLowerCase();
for(const tr of document.querySelectorAll('#cases tbody tr'))tr.style.display=tr.textContent.toLowerCase().includes(q)?'':'none'});`;

/** The whole report as one HTML document. */
export function htmlReport(report: Report): string {
  const cols = columns(report);
  const targets = report.targets
    .map(
      (t) =>
        `<tr><td>${esc(t.name)}</td><td class="${t.started ? 'pass' : 'fail'}">${t.started ? 'up' : 'down'}</td><td>${esc(t.detail)}</td></tr>`,
    )
    .join('');
  const fam = familySummary(report)
    .map(
      (r) =>
        `<tr><td>${r.family}</td><td>${esc(r.target)}</td><td class="${r.pass === r.run ? 'pass' : 'fail'}">${r.pass}/${r.run}</td><td>${sci(r.maxAbs)}</td><td>${sci(r.maxRel)}</td></tr>`,
    )
    .join('');
  const presets = Object.entries(
    (report.tolerances as { presets: Record<string, { rtol: number; atol: number }> }).presets,
  )
    .map(([k, v]) => `<tr><td>${k}</td><td>${v.rtol}</td><td>${v.atol}</td></tr>`)
    .join('');
  const rows = report.results
    .map(
      (r) =>
        `<tr><td>${esc(r.id)}</td><td>${r.tolerance}</td>${cols.map((n) => td(r.cells[n])).join('')}</tr>`,
    )
    .join('\n');
  const failures = report.failures.length
    ? `<ul>${report.failures.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>`
    : '<p>None.</p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>@proj parity report</title>
<style>${STYLE}</style></head><body>
<h1>@proj parity: <span class="${report.ok ? 'ok' : 'bad'}">${report.ok ? 'OK' : 'FAILED'}</span></h1>
<p>${esc(report.startedAt)} · ${report.seconds.toFixed(1)} s · ${report.results.length} cases · <code>${esc(report.argv.join(' '))}</code></p>
<h2>Targets</h2><table><tr><th>target</th><th>state</th><th>detail</th></tr>${targets}</table>
<h2>Summary</h2><table><tr><th>family</th><th>target</th><th>pass/run</th><th>max abs</th><th>max rel</th></tr>${fam}</table>
<h2>Tolerances</h2><p>A value passes when |got − want| ≤ atol + rtol·|want|; max rel is taken over |want| &gt; atol.</p>
<table><tr><th>preset</th><th>rtol</th><th>atol</th></tr>${presets}</table>
<h2>Mismatches</h2>${failures}
<h2>Cases</h2><p>Each cell: status, max abs error / max relative error (the larger of vs cpu and vs PyTorch). Hover for details.</p>
<input id="filter" placeholder="filter cases…">
<table id="cases"><thead><tr><th>case</th><th>tolerance</th>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>
${rows}
</tbody></table><script>${SCRIPT}</script></body></html>
`;
}
