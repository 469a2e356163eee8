// A package's page in headless Chromium, as the browser tests run it: the page entry is bundled
// with esbuild (workspace packages from their TypeScript sources), served on 127.0.0.1 (a secure
// context, as navigator.gpu and SharedArrayBuffer require) and driven by playwright-core.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { CHROMIUM } from './chromium.js';

/**
 * The part of playwright-core's `chromium` used here. The caller passes its own: playwright-core
 * is a devDependency of each package that tests in a browser, not of the root this folder
 * resolves from.
 */
export interface ChromiumLauncher {
  launchPersistentContext(
    userDataDir: string,
    options: { executablePath: string; headless: boolean; args: string[] },
  ): Promise<{ newPage(): Promise<PageDriver>; close(): Promise<void> }>;
}

/** The part of playwright-core's `Page` used here. */
interface PageDriver {
  on(event: 'console', listener: (m: { type(): string; text(): string }) => void): unknown;
  on(event: 'pageerror', listener: (e: Error) => void): unknown;
  goto(url: string): Promise<unknown>;
  waitForFunction(
    fn: (name: string) => boolean,
    name: string,
    options: { timeout: number },
  ): Promise<unknown>;
  evaluate(fn: (name: string) => unknown, name: string): Promise<unknown>;
  close(): Promise<void>;
}

/** What {@link launchBrowserPage} bundles, serves and launches. */
export interface BrowserPageOptions {
  /** playwright-core's `chromium`, from the calling package (see {@link ChromiumLauncher}). */
  chromium: ChromiumLauncher;
  /** The page's module (a file path); bundled as an ES module for the browser. */
  entry: string;
  /** The package root: esbuild's working directory. */
  root: string;
  /** Modules left out of the bundle (Node-only imports the browser build never loads). */
  external?: string[];
  /** Chromium's launch arguments (`CHROMIUM_ARGS`, `CHROMIUM_WEBGPU_ARGS`). */
  args: string[];
  /** The page's `<title>`. */
  title: string;
  /** The paths the page is served at (default `['/']`). */
  paths?: string[];
  /**
   * Those of `paths` served cross-origin isolated (COOP/COEP headers on the page and on the
   * bundle it loads), so that the page has SharedArrayBuffer.
   */
  isolated?: string[];
}

/** One page opened by {@link BrowserPage.open}. */
export interface OpenedPage {
  /** Calls the page's global function (the one `open` waited for) and returns what it resolves to. */
  call<T>(): Promise<T>;
  close(): Promise<void>;
}

/** The served bundle and the launched Chromium; {@link BrowserPage.close} ends both. */
export interface BrowserPage {
  /** Console lines and page errors of every page opened, for failure messages. */
  readonly log: string[];
  /** How long bundling and launching Chromium took (ms). */
  readonly timings: { bundleMs: number; launchMs: number };
  /**
   * Opens a new page at `path` and waits up to 20 s until it defines `globalThis[ready]` (the
   * entry defines it last, once its imports have run).
   */
  open(path: string, ready: string): Promise<OpenedPage>;
  close(): Promise<void>;
}

/** The headers that make a page cross-origin isolated (and its SharedArrayBuffer available). */
const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

async function bundle(o: BrowserPageOptions): Promise<string> {
  const out = await build({
    entryPoints: [o.entry],
    absWorkingDir: o.root,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    conditions: ['source'],
    external: o.external ?? [],
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

/** The page at each of `paths`, the bundle at `/page.js`; a request for the bundle is isolated when its page is. */
async function serve(js: string, o: BrowserPageOptions): Promise<Server> {
  const paths = o.paths ?? ['/'];
  const html = `<!doctype html><meta charset="utf-8"><title>${o.title}</title><script type="module" src="/page.js"></script>`;
  const isolatedPath = (req: IncomingMessage): boolean => {
    const from = req.headers.referer ? new URL(req.headers.referer).pathname : undefined;
    return (o.isolated ?? []).some((p) => p === req.url || p === from);
  };
  const server = createServer((req, res) => {
    const [status, type, body] =
      req.url !== undefined && paths.includes(req.url)
        ? [200, 'text/html', html]
        : req.url === '/page.js'
          ? [200, 'text/javascript', js]
          : req.url === '/favicon.ico'
            ? [204, 'text/plain', ''] // keeps the page log free of a 404
            : [404, 'text/plain', 'not found'];
    res.writeHead(status, { 'content-type': type, ...(isolatedPath(req) ? ISOLATION : {}) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * Bundles `entry`, serves it on loopback and launches headless Chromium (a fresh profile) on it.
 *
 * @example
 * ```ts
 * const browser = await launchBrowserPage({ chromium, entry, root, args: CHROMIUM_ARGS, title: 'cpu' });
 * const page = await browser.open('/', 'runParity');
 * const result = await page.call<ParityResult>();
 * await browser.close();
 * ```
 */
export async function launchBrowserPage(o: BrowserPageOptions): Promise<BrowserPage> {
  let t = performance.now();
  const js = await bundle(o);
  const bundleMs = performance.now() - t;
  const server = await serve(js, o);
  const profile = mkdtempSync(join(tmpdir(), 'proj-chromium-'));
  const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
  t = performance.now();
  const context = await o.chromium
    .launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: o.args })
    .catch(async (e: unknown) => {
      await closeServer();
      rmSync(profile, { recursive: true, force: true });
      throw e;
    });
  const launchMs = performance.now() - t;
  const { port } = server.address() as AddressInfo;
  const log: string[] = [];

  return {
    log,
    timings: { bundleMs, launchMs },
    async open(path, ready) {
      const page = await context.newPage();
      page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
      await page.goto(`http://127.0.0.1:${port}${path}`);
      await page
        .waitForFunction((name) => name in globalThis, ready, { timeout: 20_000 })
        .catch(() => {
          throw new Error(`the page never defined ${ready}; page log:\n${log.join('\n')}`);
        });
      return {
        call: async <T>() =>
          (await page.evaluate(
            (name) => (globalThis as unknown as Record<string, () => unknown>)[name](),
            ready,
          )) as T,
        close: () => page.close(),
      };
    },
    async close() {
      await context.close();
      await closeServer();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
