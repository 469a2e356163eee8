// End-to-end test of the playground in headless Chromium (the `test` script runs it after the
// unit tests): packs the MNIST subset, builds the app with Vite, serves dist/ with `vite
// preview`, and drives the page through `window.__playground`. On each backend it trains a
// fresh model for a few batches, checks that the loss falls and that the backend really ran
// (gpu.js on WebGL, not its CPU fallback; onnxruntime-web sessions), paints a test digit onto
// the drawing canvas and checks the prediction and the saliency map. Writes
// out/playground.png and prints one summary line per backend.
//
//   tsx scripts/e2e.ts            (PLAYGROUND_E2E_BATCHES, PLAYGROUND_E2E_BATCH_SIZE to change the run)
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../tools/testing/chromium.js';
import type { HookClassifyReport, HookTrainReport } from '../src/hook.js';
import { packMnist } from './pack-mnist.js';

/** What each backend trains: batches, batch size, test images to measure accuracy on after. */
interface Plan {
  batches: number;
  batchSize: number;
  evalCount: number;
}

/**
 * The whole test fits ~90 s on a 2-core machine. Chromium's WebGL without a GPU is SwiftShader,
 * a CPU emulation of one: there a batch of 32 takes ~1.5-2 s (8 s of kernel compiles first),
 * and onnx-web runs ~100 wasm sessions a step (~0.6 s a batch of 32). Those two run 12 batches
 * of 32 (the same seeded batches on both, so their losses can be compared), enough for the
 * loss to halve; the CPU runs 30 batches of 64.
 */
const PLANS: Record<string, Plan> = {
  cpu: { batches: 30, batchSize: 64, evalCount: 500 },
  gpujs: { batches: 12, batchSize: 32, evalCount: 256 },
  'onnx-web': { batches: 12, batchSize: 32, evalCount: 256 },
};
const BACKENDS = (process.env.PLAYGROUND_E2E_BACKENDS ?? 'cpu,gpujs,onnx-web').split(',');
/** Overrides every plan (a longer local run: PLAYGROUND_E2E_BATCHES=100). */
const override = {
  batches: process.env.PLAYGROUND_E2E_BATCHES ? Number(process.env.PLAYGROUND_E2E_BATCHES) : undefined,
  batchSize: process.env.PLAYGROUND_E2E_BATCH_SIZE
    ? Number(process.env.PLAYGROUND_E2E_BATCH_SIZE)
    : undefined,
};
/** The loss must fall at least this much (mean of the last 3 batches vs the first 3). */
const MIN_DROP = 0.25;
/** Test accuracy that must be beaten after training (chance is 0.1). */
const MIN_ACCURACY = 0.3;
/** One backend's training, evaluation and classification together. */
const BACKEND_TIMEOUT_MS = 60_000;

const appDir = fileURLToPath(new URL('..', import.meta.url));
const configFile = join(appDir, 'vite.config.ts');
const outDir = join(appDir, 'out');

const pageLog: string[] = [];
const failures: string[] = [];

function check(ok: boolean, what: string): void {
  if (!ok) failures.push(what);
}

/** `page.evaluate` with a deadline (Playwright's has none). */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : String(v));

/** Trains, evaluates and classifies on one backend; returns the summary line. */
async function runBackend(
  page: Page,
  backend: string,
  earlier: Map<string, HookTrainReport>,
): Promise<HookTrainReport> {
  const tag = `[${backend}]`;
  const plan = PLANS[backend];
  if (!plan) throw new Error(`${tag} no plan for this backend (known: ${Object.keys(PLANS).join(', ')})`);
  const batches = override.batches ?? plan.batches;
  const batchSize = override.batchSize ?? plan.batchSize;
  const t0 = performance.now();
  const r = await within(
    BACKEND_TIMEOUT_MS,
    `${tag} training`,
    page.evaluate((o) => window.__playground!.train(o), {
      backend,
      batches,
      batchSize,
      evalCount: plan.evalCount,
    }),
  );
  check(r.backend.name === backend, `${tag} the page trained on '${r.backend.name}'`);
  check(r.backend.real, `${tag} did not really run: ${r.backend.detail}`);
  if (backend === 'gpujs') {
    check(/gpu\.js webgl2?\b/.test(r.backend.detail), `${tag} gpu.js is not on WebGL: ${r.backend.detail}`);
    check((r.backend.counters.kernelRuns ?? 0) > 0, `${tag} no gpu.js kernel ran`);
  }
  if (backend === 'onnx-web') {
    check((r.backend.counters.runs ?? 0) > 0, `${tag} no onnxruntime-web session ran`);
  }
  check(r.batches === batches, `${tag} trained ${r.batches} batches, asked for ${batches}`);
  check(r.losses.every(Number.isFinite), `${tag} a loss is not finite: ${r.losses.join(', ')}`);
  check(
    r.lossEnd < r.lossStart * (1 - MIN_DROP),
    `${tag} the loss did not fall by ${100 * MIN_DROP}%: ${fmt(r.lossStart)} → ${fmt(r.lossEnd)}`,
  );
  check(
    r.testAccuracy > MIN_ACCURACY,
    `${tag} test accuracy ${fmt(r.testAccuracy)} after ${batches} batches (chance is 0.1)`,
  );
  check(
    r.chartPoints.loss === r.batches && r.chartPoints.accuracy === r.batches,
    `${tag} the charts hold ${r.chartPoints.loss} / ${r.chartPoints.accuracy} points for ${r.batches} batches`,
  );
  check(r.chartSvgs === 2, `${tag} ${r.chartSvgs} of the 2 charts were drawn`);

  const index = 0;
  const label = await page.evaluate((i) => window.__playground!.drawTestImage(i), index);
  const c: HookClassifyReport = await within(
    BACKEND_TIMEOUT_MS,
    `${tag} classify`,
    page.evaluate(() => window.__playground!.classify()),
  );
  check(c.backend === backend, `${tag} classified on '${c.backend}'`);
  check(
    c.probs.length === 10 && c.probs.every((p) => p >= 0 && p <= 1),
    `${tag} probabilities: ${c.probs.join(', ')}`,
  );
  check(Math.abs(c.probSum - 1) < 1e-4, `${tag} probabilities sum to ${c.probSum}`);
  check(c.saliencyMax > 0 && Number.isFinite(c.saliencyMax), `${tag} saliency max |grad| ${c.saliencyMax}`);
  check(c.saliencyCanvasLit >= 20, `${tag} the saliency canvas shows ${c.saliencyCanvasLit} lit pixels`);

  // The weights through IndexedDB and back (io.saveToIndexedDB / loadFromIndexedDB), read
  // asynchronously off the backend: the same prediction after, not the fresh model's.
  const rt = await within(
    BACKEND_TIMEOUT_MS,
    `${tag} storage`,
    page.evaluate(() => window.__playground!.storageRoundTrip()),
  );
  const gap = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  check(
    gap(rt.after, rt.before) < 1e-6,
    `${tag} IndexedDB round trip changed the prediction by ${gap(rt.after, rt.before)}`,
  );
  check(
    gap(rt.fresh, rt.before) > 1e-3,
    `${tag} a fresh model predicted what the trained one did (the round trip proves nothing)`,
  );

  // Same seed, same batches: a backend that ran the same plan as an earlier one should follow
  // the same losses up to float32 rounding, which Adam amplifies over the steps: 5e-7 seen
  // after 12 steps, so 1e-3 leaves room for rounding and none for a wrong kernel.
  const twin = [...earlier.values()].find((e) => e.batchSize === r.batchSize && e.batches === r.batches);
  const twinDiff = twin ? Math.max(...r.losses.map((l, i) => Math.abs(l - twin.losses[i]))) : 0;
  if (twin) {
    check(
      twinDiff < 1e-3,
      `${tag} losses differ from ${twin.backend.name}'s by up to ${twinDiff} (same seed and batches)`,
    );
  }
  const vsTwin = twin ? `, max |loss - ${twin.backend.name} loss| ${twinDiff.toExponential(1)}` : '';
  console.log(
    `[playground] ${backend.padEnd(8)} ${r.batches} batches of ${r.batchSize}: loss ${fmt(r.lossStart)} → ${fmt(r.lossEnd)}, ` +
      `test accuracy ${(100 * r.testAccuracy).toFixed(1)}% (${r.testCount} images), ` +
      `train ${(r.trainMs / 1000).toFixed(1)} s (${(r.trainMs / r.batches).toFixed(0)} ms/batch), eval ${(r.evalMs / 1000).toFixed(1)} s, ` +
      `digit ${label} → ${c.predicted} (p ${fmt(c.probs[c.predicted])}, ${c.ms.toFixed(0)} ms with saliency), ` +
      `${fmt((performance.now() - t0) / 1000, 1)} s in all${vsTwin} — ${r.backend.detail}`,
  );
  if (process.env.PLAYGROUND_E2E_VERBOSE)
    console.log(`${tag} ms per batch: ${r.batchMs.map((m) => m.toFixed(0)).join(' ')}`);
  return r;
}

/**
 * The weights `pnpm demo` trained (@proj/vision's `mnistCnn({ pretrained: true })`) classify
 * the first test digits painted on the canvas: nearly all right, through the page's drawing
 * preprocessing.
 */
async function checkPretrained(page: Page): Promise<void> {
  await within(
    BACKEND_TIMEOUT_MS,
    'loading the pretrained model',
    page.evaluate(() => window.__playground!.loadPretrained('cpu')),
  );
  const n = 20;
  let right = 0;
  for (let i = 0; i < n; i++) {
    const label = await page.evaluate((k) => window.__playground!.drawTestImage(k), i);
    const c = await page.evaluate(() => window.__playground!.classify());
    if (c.predicted === label) right++;
  }
  check(right >= n - 1, `[pretrained] ${right} of ${n} test digits drawn on the canvas classified right`);
  console.log(
    `[playground] pretrained (cpu): ${right}/${n} test digits drawn on the canvas classified right`,
  );
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const lap = (what: string) =>
    console.log(`[playground] ${what} at ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (!existsSync(CHROMIUM)) {
    const msg = `${CHROMIUM} does not exist (apt-get install chromium, or set PROJ_CHROMIUM)`;
    if (process.env.CI) throw new Error(`e2e: ${msg}`);
    console.log(`[playground] e2e skipped: ${msg}`);
    return;
  }
  packMnist();
  await build({ configFile, logLevel: 'warn' });
  lap('built');
  let server: PreviewServer | undefined;
  let context: BrowserContext | undefined;
  const profile = mkdtempSync(join(tmpdir(), 'proj-playground-'));
  try {
    server = await preview({ configFile, logLevel: 'warn', preview: { port: 0, strictPort: false } });
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('e2e: vite preview gave no local URL');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    page.on('console', (m) => pageLog.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => pageLog.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => pageLog.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
    const open = async () => {
      await page.goto(url);
      await page.waitForFunction(() => window.__playground || window.__playgroundError, undefined, {
        timeout: 30_000,
      });
      const startError = await page.evaluate(() => window.__playgroundError);
      if (startError) throw new Error(`the page failed to start: ${startError}`);
    };
    await open();
    lap('page ready');

    const reports = new Map<string, HookTrainReport>();
    for (const backend of BACKENDS) {
      try {
        reports.set(backend, await runBackend(page, backend, reports));
      } catch (e) {
        failures.push(`[${backend}] ${(e as Error).message}`);
        await open(); // a run that timed out may still be going: the next backend starts on a fresh page
      }
    }
    mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path: join(outDir, 'playground.png'), fullPage: true });
    lap('screenshot out/playground.png written');
    try {
      await checkPretrained(page);
    } catch (e) {
      failures.push(`[pretrained] ${(e as Error).message}`);
    }
    lap('done');
  } finally {
    await context?.close();
    await server?.close();
    rmSync(profile, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    throw new Error(`e2e failed:\n  ${failures.join('\n  ')}\npage log:\n  ${pageLog.join('\n  ')}`);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    if (pageLog.length && failures.length === 0) console.error(`page log:\n  ${pageLog.join('\n  ')}`);
    process.exit(1);
  },
);
