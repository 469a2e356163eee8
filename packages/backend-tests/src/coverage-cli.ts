/**
 * Builds the coverage table: finds every `packages/<pkg>/src/conformance.skips.ts`, imports
 * that backend package (registering the backend named after `backend-<name>`), runs the
 * whole suite on it with its declared skips, prints Markdown and writes COVERAGE.md.
 *
 *   pnpm --filter @proj/backend-tests coverage-table [--check]
 *
 * `--check` exits with status 1 when any case fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BackendReport, coverageMarkdown, runSuite } from './coverage.js';
import { TOLERANCES, type ToleranceName } from './tolerance.js';

const here = dirname(fileURLToPath(import.meta.url));
const packagesDir = resolve(here, '../..');

/**
 * A backend's declarations: the export ending in `Skips`, optionally one ending in `Tolerance`,
 * and optionally a function ending in `Init` that registers a backend needing asynchronous
 * set-up (WebGPU finds an adapter: `export const webgpuInit = () => initWebGPU();`).
 */
interface Declared {
  skip: Record<string, string>;
  tolerance?: ToleranceName;
  init?: () => Promise<unknown>;
}

function readDeclarations(mod: Record<string, unknown>, file: string): Declared {
  const skipKey = Object.keys(mod).find((k) => k.endsWith('Skips'));
  if (skipKey === undefined) throw new Error(`${file}: exports no constant named '<backend>Skips'`);
  const skip = mod[skipKey] as Record<string, string>;
  const tolKey = Object.keys(mod).find((k) => k.endsWith('Tolerance'));
  const tolerance = tolKey === undefined ? undefined : (mod[tolKey] as ToleranceName);
  if (tolerance !== undefined && !(tolerance in TOLERANCES)) {
    throw new Error(
      `${file}: ${tolKey} is '${tolerance}', expected one of ${Object.keys(TOLERANCES).join(', ')}`,
    );
  }
  const initKey = Object.keys(mod).find((k) => k.endsWith('Init') && typeof mod[k] === 'function');
  const init = initKey === undefined ? undefined : (mod[initKey] as () => Promise<unknown>);
  return { skip, tolerance, init };
}

async function main(): Promise<void> {
  const reports: BackendReport[] = [];
  const dirs = readdirSync(packagesDir)
    .filter((d) => d.startsWith('backend-') && existsSync(join(packagesDir, d, 'src/conformance.skips.ts')))
    .sort();
  for (const dir of dirs) {
    const backend = dir.slice('backend-'.length);
    const skipsFile = join(packagesDir, dir, 'src/conformance.skips.ts');
    const entry = join(packagesDir, dir, 'src/index.ts');
    try {
      await import(pathToFileURL(entry).href);
    } catch (e) {
      throw new Error(`could not import ${entry} to register backend '${backend}': ${String(e)}`);
    }
    const declared = readDeclarations(await import(pathToFileURL(skipsFile).href), skipsFile);
    try {
      await declared.init?.();
    } catch (e) {
      throw new Error(`${skipsFile}: setting up backend '${backend}' failed: ${String(e)}`);
    }
    const report = await runSuite({ backend, skip: declared.skip, tolerance: declared.tolerance });
    reports.push(report);
  }
  if (reports.length === 0)
    throw new Error(`no packages/backend-*/src/conformance.skips.ts under ${packagesDir}`);
  const markdown = coverageMarkdown(reports);
  process.stdout.write(markdown);
  const out = resolve(here, '../COVERAGE.md');
  writeFileSync(out, markdown);
  // the repository's formatter aligns the tables, so `biome check .` accepts the file as written
  const biome = resolve(packagesDir, '../node_modules/.bin/biome');
  if (existsSync(biome)) spawnSync(biome, ['format', '--write', out], { stdio: 'ignore' });
  const failed = reports.flatMap((r) =>
    r.results.filter((x) => x.status === 'failed').map((x) => `${r.backend}: ${x.id}`),
  );
  process.stderr.write(
    `\nwrote COVERAGE.md (${reports.length} backend(s), ${failed.length} failing case(s))\n`,
  );
  if (failed.length > 0 && process.argv.includes('--check')) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
