// The gpujs backend in a real browser: headless Chromium with WebGL2 from SwiftShader (no GPU,
// no X server). page-entry.ts is bundled with esbuild, served on loopback and driven by
// playwright-core; the page runs the same ops and training on 'gpujs' and 'cpu'.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserPage,
  launchBrowserPage,
  type OpenedPage,
} from '../../../../tools/testing/browser-page.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../../tools/testing/chromium.js';
import type { ParityResult } from './page-entry.js';

const haveChromium = existsSync(CHROMIUM);

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
  let browser: BrowserPage | undefined;
  let page: OpenedPage;

  beforeAll(async () => {
    browser = await launchBrowserPage({
      chromium,
      entry: fileURLToPath(new URL('./page-entry.ts', import.meta.url)),
      root: fileURLToPath(new URL('../..', import.meta.url)),
      // gpu.js's Node-only optional dependencies; its browser build does not load them
      external: ['gl', 'webgpu'],
      args: CHROMIUM_ARGS,
      title: 'gpujs',
    });
    page = await browser.open('/', 'runParity');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('runs on webgl2 and matches the CPU backend (ops and 5 SGD steps, 1e-4 relative)', async () => {
    const t = performance.now();
    const r = await page.call<ParityResult>();
    const runMs = performance.now() - t;
    const { log, timings } = browser as BrowserPage;
    console.log(
      `[browser] mode=${r.mode} renderer="${r.renderer}" ` +
        `bundle ${timings.bundleMs.toFixed(0)} ms, launch ${timings.launchMs.toFixed(0)} ms, ` +
        `page run ${runMs.toFixed(0)} ms (cpu ${r.ms.cpu.toFixed(0)} ms, gpujs ${r.ms.gpujs.toFixed(0)} ms)`,
    );
    if (r.mode !== 'webgl2') {
      throw new Error(
        `gpujs fell back to mode '${r.mode}' instead of 'webgl2': ${r.whyNotWebgl2}\n` +
          `renderer: ${r.renderer}\npage log:\n${log.join('\n')}`,
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
