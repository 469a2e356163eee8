// The WebGPU backend in a real browser: headless Chromium's own `navigator.gpu` on SwiftShader (no
// GPU needed). page-entry.ts is bundled with esbuild, served on loopback and driven by
// playwright-core; the page computes the same things on 'cpu' and 'webgpu' and this test compares
// them within the 'balanced' tolerance the backend is held to.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TOLERANCES } from '@proj/backend-tests';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserPage,
  launchBrowserPage,
  type OpenedPage,
} from '../../../../tools/testing/browser-page.js';
import { CHROMIUM, CHROMIUM_WEBGPU_ARGS } from '../../../../tools/testing/chromium.js';
import type { Check, WebGPUPageResult } from './page-entry.js';

const haveChromium = existsSync(CHROMIUM);
const TOL = TOLERANCES.balanced;

/** Compares a check element by element within the balanced tolerance; returns the largest |difference|. */
function expectClose(name: string, c: Check): number {
  expect(c.webgpu.length, `${name}: length`).toBe(c.cpu.length);
  expect(c.cpu.length, `${name}: no values`).toBeGreaterThan(0);
  let worst = 0;
  for (let i = 0; i < c.cpu.length; i++) {
    // every value here is finite: a NaN or an infinity fails the comparison
    if (!(Math.abs(c.webgpu[i] - c.cpu[i]) <= TOL.atol + TOL.rtol * Math.abs(c.cpu[i]))) {
      const part = c.parts.filter((p) => p.at <= i).at(-1);
      throw new Error(
        `${name}, ${part?.name}[${i - (part?.at ?? 0)}]: webgpu ${c.webgpu[i]} vs cpu ${c.cpu[i]} ` +
          `(balanced: |d| <= ${TOL.atol} + ${TOL.rtol}|cpu|)`,
      );
    }
    worst = Math.max(worst, Math.abs(c.webgpu[i] - c.cpu[i]));
  }
  return worst;
}

const title = haveChromium
  ? 'webgpu in headless Chromium (navigator.gpu on SwiftShader)'
  : `webgpu in headless Chromium — skipped: ${CHROMIUM} does not exist (apt-get install chromium)`;

describe.skipIf(!haveChromium)(title, () => {
  let browser: BrowserPage | undefined;
  let page: OpenedPage;

  beforeAll(async () => {
    browser = await launchBrowserPage({
      chromium,
      entry: fileURLToPath(new URL('./page-entry.ts', import.meta.url)),
      root: fileURLToPath(new URL('../..', import.meta.url)),
      // Dawn's Node bindings: the Node path of initWebGPU loads them by a computed name, never in a page
      external: ['webgpu'],
      args: CHROMIUM_WEBGPU_ARGS,
      title: 'webgpu',
    });
    page = await browser.open('/', 'runWebGPU');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('starts on navigator.gpu (SwiftShader), matches the CPU backend, and refuses dataSync naming data()', async () => {
    const t = performance.now();
    const r = await page.call<WebGPUPageResult>();
    const runMs = performance.now() - t;
    const { log, timings } = browser as BrowserPage;
    if (!r.adapter) {
      throw new Error(
        `initWebGPU() failed in the page (navigator.gpu ${r.hasNavigatorGpu ? 'present' : 'absent'}): ` +
          `${r.startError}\npage log:\n${log.join('\n')}`,
      );
    }
    console.log(
      `[browser] adapter: ${r.adapter.summary} (isFallbackAdapter ${r.fallbackAdapter}); ` +
        `bundle ${timings.bundleMs.toFixed(0)} ms, launch ${timings.launchMs.toFixed(0)} ms, ` +
        `page run ${runMs.toFixed(0)} ms (cpu ${r.ms.cpu.toFixed(0)} ms, webgpu ${r.ms.webgpu.toFixed(0)} ms)`,
    );
    expect(r.adapter.implementation).toBe('navigator.gpu');
    expect(r.adapter.architecture).toBe('swiftshader');
    expect(r.adapter.software).toBe(true);

    expect(Object.keys(r.checks)).toHaveLength(5);
    const failed = Object.entries(r.checks).filter(([, c]) => c.error !== undefined);
    if (failed.length) {
      throw new Error(
        `threw on 'webgpu' in the page:\n${failed.map(([n, c]) => `  ${n}: ${c.error}`).join('\n')}`,
      );
    }
    for (const [name, c] of Object.entries(r.checks)) {
      const worst = expectClose(name, c);
      console.log(
        `[browser] ${name}: ${c.cpu.length} values, largest |webgpu - cpu| ${worst.toExponential(2)}, ${c.ms.toFixed(0)} ms (${c.pipelinesBuilt} pipelines built)`,
      );
    }
    // the MLP's loss and the gradients of both layers' weights and biases
    expect(r.checks['mlp forward+backward'].parts.map((p) => p.name)).toEqual([
      'loss',
      'grad 0.weight',
      'grad 0.bias',
      'grad 2.weight',
      'grad 2.bias',
    ]);
    expect(r.dataSyncError).toMatch(/data\(\)/);
    expect(r.leaked).toBe(0);
    // the page run is mostly SwiftShader compiling each kernel's shader on first use: 8–25 s seen
    // on these 2-core machines depending on their load, hence the margin below
  }, 120_000);
});
