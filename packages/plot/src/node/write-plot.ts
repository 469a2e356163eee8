import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from './render.js';

/** `apps/examples/out`, where examples write their pictures and models. */
export const OUT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../out');

/** Renders `spec` and writes it to `out/<name>` (creating the folder); returns the path. */
export async function writeSvg(name: string, spec: TopLevelSpec): Promise<string> {
  const path = resolve(OUT_DIR, name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await renderSvg(spec));
  return path;
}
