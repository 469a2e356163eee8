// Loading the optional peer @resvg/resvg-js (a native SVG renderer) only when a PNG is asked for.
import type * as Resvg from '@resvg/resvg-js';

/** The part of @resvg/resvg-js that svgToPng uses. */
export type ResvgModule = Pick<typeof Resvg, 'renderAsync'>;

/** The package PNG output needs. */
export const RESVG = '@resvg/resvg-js';

/**
 * @internal Imports @resvg/resvg-js through `importer`; a missing package (or a platform
 * without its native binary) is an error that says what to install.
 */
export async function importResvg(importer: () => Promise<unknown>): Promise<ResvgModule> {
  let mod: unknown;
  try {
    mod = await importer();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const missing = err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND';
    throw new Error(
      missing
        ? `@proj/plot: PNG output needs the optional peer dependency ${RESVG}, which is not installed: npm install ${RESVG}@^2.6.2 (SVG output works without it)`
        : `@proj/plot: PNG output needs ${RESVG}, which failed to load (is there a prebuilt binary for ${process.platform}-${process.arch}?): ${err?.message ?? String(e)}`,
      { cause: e },
    );
  }
  // A CommonJS package: its exports may sit on `default`.
  const m = mod as Partial<ResvgModule> & { default?: Partial<ResvgModule> };
  const renderAsync = m.renderAsync ?? m.default?.renderAsync;
  if (typeof renderAsync !== 'function') {
    throw new Error(`@proj/plot: ${RESVG} has no renderAsync (version ^2.6.2 expected)`);
  }
  return { renderAsync };
}

let cached: Promise<ResvgModule> | undefined;

/** @internal {@link importResvg} of the real package, once (a failure is retried next time). */
export function loadResvg(): Promise<ResvgModule> {
  cached ??= importResvg(() => import(RESVG)).catch((e) => {
    cached = undefined;
    throw e;
  });
  return cached;
}
