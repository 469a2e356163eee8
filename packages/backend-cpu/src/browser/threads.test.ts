// The CPU backend in headless Chromium: on a cross-origin isolated page (COOP/COEP headers) its
// GEMMs run on worker threads and give the one-thread bits; on a plain page it runs on one
// thread and says why. page-entry.ts is bundled with esbuild, served on loopback and driven by
// playwright-core.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserPage, launchBrowserPage } from '../../../../tools/testing/browser-page.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../../tools/testing/chromium.js';
import type { ThreadsResult } from './page-entry.js';

const haveChromium = existsSync(CHROMIUM);

const title = haveChromium
  ? 'the CPU backend in headless Chromium'
  : `the CPU backend in headless Chromium — skipped: ${CHROMIUM} does not exist (apt-get install chromium)`;

describe.skipIf(!haveChromium)(title, () => {
  let browser: BrowserPage | undefined;

  beforeAll(async () => {
    browser = await launchBrowserPage({
      chromium,
      entry: fileURLToPath(new URL('./page-entry.ts', import.meta.url)),
      root: fileURLToPath(new URL('../..', import.meta.url)),
      args: CHROMIUM_ARGS,
      title: 'cpu',
      // the same page with and without the COOP/COEP headers that make it cross-origin isolated
      paths: ['/isolated', '/plain'],
      isolated: ['/isolated'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function run(path: string): Promise<ThreadsResult> {
    const page = await (browser as BrowserPage).open(path, 'runThreads');
    const r = await page.call<ThreadsResult>();
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
