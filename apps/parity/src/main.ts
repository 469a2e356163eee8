// `pnpm parity`: runs the catalogue on every backend that starts, prints the table, writes
// out/parity.json and out/parity.html, and exits 1 on any mismatch or missing required backend.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadBackends } from './backends.js';
import { catalogue, selectCases } from './catalogue/index.js';
import { parseArgs } from './cli.js';
import { buildReport } from './report/build.js';
import { htmlReport } from './report/html.js';
import { terminalReport } from './report/terminal.js';
import { runCases } from './runner.js';

/** gpu.js needs an X display for headless-gl: without one, rerun this command under xvfb-run. */
function reexecUnderXvfb(backends: string[]): number | null {
  if (!backends.includes('gpujs') || process.env.DISPLAY || process.env.PARITY_NO_XVFB) return null;
  if (spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status !== 0) return null;
  const r = spawnSync('xvfb-run', ['-a', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, PARITY_NO_XVFB: '1' },
  });
  return r.status ?? 1;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const opts = parseArgs(args, fileURLToPath(new URL('../out', import.meta.url)));
  const status = reexecUnderXvfb(opts.backends);
  if (status !== null) return status;

  const t0 = performance.now();
  const startedAt = new Date();
  const { targets, onnxApi } = await loadBackends(opts.backends);
  for (const t of targets) console.log(`${t.name.padEnd(9)} ${t.started ? 'up  ' : 'DOWN'} ${t.detail}`);
  const cases = selectCases(
    catalogue(() => onnxApi),
    opts.only,
  );
  if (cases.length === 0) throw new Error(`--only ${opts.only} matches no case`);
  console.log(`running ${cases.length} cases…`);
  const results = await runCases(cases, targets, {
    onCase: (r, i, n) => {
      const bad = Object.entries(r.cells).filter(([, c]) => c.status === 'fail' || c.status === 'error');
      if (bad.length) console.log(`  ${r.id}: ${bad.map(([t, c]) => `${t} ${c.status}`).join(', ')}`);
      if ((i + 1) % 100 === 0) console.log(`  … ${i + 1}/${n}`);
    },
  });
  const report = buildReport(results, targets, opts.require, {
    startedAt,
    seconds: (performance.now() - t0) / 1000,
    argv: ['parity', ...args],
  });
  mkdirSync(opts.outDir, { recursive: true });
  writeFileSync(`${opts.outDir}/parity.json`, `${JSON.stringify(report, null, 1)}\n`);
  writeFileSync(`${opts.outDir}/parity.html`, htmlReport(report));
  console.log(`\n${terminalReport(report, opts.table)}`);
  console.log(`\nwrote ${opts.outDir}/parity.json and parity.html`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
    // onnxruntime and gpu.js may keep handles open: leave once the report is written
    setTimeout(() => process.exit(code), 100).unref();
  },
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
