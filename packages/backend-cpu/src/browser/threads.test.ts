// The CPU backend in headless Chromium: on a cross-origin isolated page (COOP/COEP headers) its
// GEMMs run on worker threads and give the one-thread bits; on a plain page it runs on one
// thread and says why. page-entry.ts is bundled with esbuild, served on loopback and driven by
// playwright-core.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../../tools/testing/chromium.js';
import type { ThreadsResult } from './page-entry.js';

const haveChromium = existsSync(CHROMIUM);
const pkgRoot = fileURLToPath(new URL('../..', import.meta.url));

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./page-entry.ts', import.meta.url))],
    absWorkingDir: pkgRoot,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    conditions: ['source'],
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

const HTML =
  '<!doctype html><meta charset="utf-8"><title>cpu</title><script type="module" src="/page.js"></script>';
/** The headers that make a page cross-origin isolated (and its SharedArrayBuffer available). */
const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/** `/isolated` and `/plain` serve the page with and without isolation; `/page.js` the bundle. */
async function serve(js: string): Promise<Server> {
  const server = createServer((req, res) => {
    const isolated = req.headers.referer?.includes('/isolated') || req.url === '/isolated';
    const headers = { ...(isolated ? ISOLATION : {}) };
    if (req.url === '/isolated' || req.url === '/plain') {
      res.writeHead(200, { 'content-type': 'text/html', ...headers });
      res.end(HTML);
    } else if (req.url === '/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', ...headers });
      res.end(js);
    } else {
      res.writeHead(req.url === '/favicon.ico' ? 204 : 404, headers);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const title = haveChromium
  ? 'the CPU backend in headless Chromium'
  : `the CPU backend in headless Chromium — skipped: ${CHROMIUM} does not exist (apt-get install chromium)`;

describe.skipIf(!haveChromium)(title, () => {
  let server: Server | undefined;
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  const pageLog: string[] = [];

  beforeAll(async () => {
    server = await serve(await bundle());
    profile = mkdtempSync(join(tmpdir(), 'proj-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function run(path: string): Promise<ThreadsResult> {
    const page = await (context as BrowserContext).newPage();
    page.on('console', (m) => pageLog.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => pageLog.push(`pageerror: ${e.message}`));
    const { port } = (server as Server).address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}${path}`);
    await page
      .waitForFunction(() => 'runThreads' in globalThis, undefined, { timeout: 20_000 })
      .catch(() => {
        throw new Error(`the page never defined runThreads; page log:\n${pageLog.join('\n')}`);
      });
    const r = await page.evaluate(() =>
      (globalThis as unknown as { runThreads(): Promise<ThreadsResult> }).runThreads(),
    );
    await page.close();
    return r;
  }

  it('on a cross-origin isolated page: worker threads, the one-thread bits, and the SIMD level named', async () => {
    const r = await run('/isolated');
    console.log(`[browser, isolated] ${JSON.stringify(r.info)}`);
    expect(r.isolated).toBe(true);
    expect(['simd', 'relaxed-simd']).toContain(r.info.simd);
    expect(r.threads).toBe(2);
    expect(r.info.workersReady).toBeGreaterThanOrEqual(1);
    expect(r.parallelGemms).toBeGreaterThan(0);
    expect(r.two).toEqual(r.one);
  }, 60_000);

  it('on a plain page: one thread, and the reason', async () => {
    const r = await run('/plain');
    console.log(`[browser, plain] ${JSON.stringify(r.info)}`);
    expect(r.isolated).toBe(false);
    expect(r.threads).toBe(1);
    expect(r.info.singleThreadedReason).toMatch(/cross-origin isolated/);
    expect(r.parallelGemms).toBe(0);
    expect(r.two).toEqual(r.one);
  }, 60_000);
});
