// The gpujs backend in a real browser: headless Chromium with WebGL2 from SwiftShader (no GPU,
// no X server). page-entry.ts is bundled with esbuild, served on loopback and driven by
// playwright-core; the page runs the same ops and training on 'gpujs' and 'cpu'.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../../tools/testing/chromium.js';
import type { ParityResult } from './page-entry.js';

const haveChromium = existsSync(CHROMIUM);

const pkgRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The page bundle: workspace packages from their TypeScript sources (`source` condition). */
async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./page-entry.ts', import.meta.url))],
    absWorkingDir: pkgRoot,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    conditions: ['source'],
    // gpu.js's Node-only optional dependencies; its browser build does not load them
    external: ['gl', 'webgpu'],
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

const HTML =
  '<!doctype html><meta charset="utf-8"><title>gpujs</title><script type="module" src="/page.js"></script>';

/** Serves the page and its bundle on 127.0.0.1 at a random port. */
async function serve(js: string): Promise<Server> {
  const server = createServer((req, res) => {
    const [status, type, body] =
      req.url === '/'
        ? [200, 'text/html', HTML]
        : req.url === '/page.js'
          ? [200, 'text/javascript', js]
          : req.url === '/favicon.ico'
            ? [204, 'text/plain', ''] // keeps the page log free of a 404
            : [404, 'text/plain', 'not found'];
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

let maxRel = 0;

/** Compares element by element, 1e-4 relative (values under 1e-3 against 1e-3). */
function expectClose(got: number[], want: number[], what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const scale = Math.max(Math.abs(want[i]), 1e-3);
    const rel = Math.abs(got[i] - want[i]) / scale;
    if (!(rel <= 1e-4)) {
      throw new Error(`${what}[${i}]: gpujs ${got[i]} vs cpu ${want[i]} (tolerance ${1e-4 * scale})`);
    }
    maxRel = Math.max(maxRel, rel);
  }
}

const title = haveChromium
  ? 'gpujs in headless Chromium (WebGL2 via SwiftShader)'
  : `gpujs in headless Chromium — skipped: ${CHROMIUM} does not exist (apt-get install chromium)`;

describe.skipIf(!haveChromium)(title, () => {
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  let page: Page;
  const pageLog: string[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    let t = performance.now();
    const js = await bundle();
    timings.bundleMs = performance.now() - t;
    server = await serve(js);
    t = performance.now();
    profile = mkdtempSync(join(tmpdir(), 'proj-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    timings.launchMs = performance.now() - t;
    page = await context.newPage();
    page.on('console', (m) => pageLog.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => pageLog.push(`pageerror: ${e.message}`));
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page
      .waitForFunction(() => 'runParity' in globalThis, undefined, { timeout: 20_000 })
      .catch(() => {
        throw new Error(`the page never defined runParity; page log:\n${pageLog.join('\n')}`);
      });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('runs on webgl2 and matches the CPU backend (ops and 5 SGD steps, 1e-4 relative)', async () => {
    const t = performance.now();
    const r = await page.evaluate(() => (globalThis as unknown as { runParity(): ParityResult }).runParity());
    timings.runMs = performance.now() - t;
    console.log(
      `[browser] mode=${r.mode} renderer="${r.renderer}" ` +
        `bundle ${timings.bundleMs.toFixed(0)} ms, launch ${timings.launchMs.toFixed(0)} ms, ` +
        `page run ${timings.runMs.toFixed(0)} ms (cpu ${r.ms.cpu.toFixed(0)} ms, gpujs ${r.ms.gpujs.toFixed(0)} ms)`,
    );
    if (r.mode !== 'webgl2') {
      throw new Error(
        `gpujs fell back to mode '${r.mode}' instead of 'webgl2': ${r.whyNotWebgl2}\n` +
          `renderer: ${r.renderer}\npage log:\n${pageLog.join('\n')}`,
      );
    }
    expect(r.renderer).toMatch(/WebGL 2\.0/);

    for (const name of Object.keys(r.ops.cpu)) expectClose(r.ops.gpujs[name], r.ops.cpu[name], name);

    const { cpu, gpujs } = r.train;
    expect(cpu.losses).toHaveLength(5);
    expect(cpu.losses[4]).toBeLessThan(cpu.losses[0]);
    expect(gpujs.losses[4]).toBeLessThan(gpujs.losses[0]);
    expectClose(gpujs.losses, cpu.losses, 'loss');
    expect(gpujs.weights).toHaveLength(cpu.weights.length);
    for (const [i, w] of cpu.weights.entries()) expectClose(gpujs.weights[i], w, `param ${i}`);
    console.log(
      `[browser] losses cpu ${cpu.losses.join(', ')}; largest relative difference ${maxRel.toExponential(2)}`,
    );
  }, 60_000);
});
