// Where the examples write their pictures and models: apps/examples/out.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSvg } from '@proj/plot';
import { writePlot } from '@proj/plot/node';
import type { TopLevelSpec } from 'vega-lite';

/** `apps/examples/out`, where examples write their pictures and models. */
export const OUT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../out');

/** Renders `spec` and writes it to `out/<name>` (.svg or .png; creating the folder); returns the path. */
export async function writeSvg(name: string, spec: TopLevelSpec): Promise<string> {
  return writePlot(resolve(OUT_DIR, name), await renderSvg(spec));
}
