// Writing a chart to disk: .svg as is, .png through resvg, atomically either way.
import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { writeFileAtomic as writeBytesAtomic } from '@proj/core/node';
import { type SvgToPngOptions, svgToPng } from './svg-to-png.js';

/**
 * Writes an SVG chart to `path` as SVG or PNG, chosen by the extension (`.svg`, `.png`; any
 * case): atomically (a viewer never sees half a file) and creating the parent folders. PNG
 * takes {@link svgToPng}'s options (`scale`, fonts). Resolves to `path`.
 *
 * @throws Error if the extension is neither `.svg` nor `.png`, `svg` is not text, or (PNG)
 * {@link svgToPng} fails; file-system errors are passed on.
 *
 * @example
 * ```ts
 * const svg = await historySvg(history);
 * await writePlot('out/history.svg', svg);
 * await writePlot('out/history.png', svg, { scale: 2 });
 * ```
 */
export async function writePlot(path: string, svg: string, options: SvgToPngOptions = {}): Promise<string> {
  const ext = extname(path).toLowerCase();
  if (ext === '.svg') {
    if (typeof svg !== 'string')
      throw new Error(`writePlot: expected SVG text for '${path}', got ${typeof svg}`);
    await writeFileAtomic(path, svg);
  } else if (ext === '.png') {
    await writeFileAtomic(path, await svgToPng(svg, options));
  } else {
    throw new Error(`writePlot: cannot tell the format of '${path}': the path must end in .svg or .png`);
  }
  return path;
}

/** Writes `data` atomically (core's writer: temp file, fsync, rename), creating the parent folders. */
async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeBytesAtomic(path, typeof data === 'string' ? new TextEncoder().encode(data) : data);
}
