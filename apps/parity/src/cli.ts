// Command-line flags of `pnpm parity`.
import { ALL_BACKENDS } from './backends.js';

/** Parsed flags. */
export interface CliOptions {
  /** Family name or id substring. */
  only?: string;
  backends: string[];
  require: string[];
  outDir: string;
  /** Print every case row (default) or only the summary. */
  table: boolean;
}

const USAGE = `usage: pnpm parity [--only <family|id substring>] [--backends cpu,onnx,gpujs,webgpu] [--require cpu,gpujs,onnx]
                   [--out <dir>] [--summary-only]`;

const list = (v: string | undefined, flag: string): string[] => {
  if (!v) throw new Error(`${flag} needs a value\n${USAGE}`);
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
};

/** Parses argv (without node and the script). */
export function parseArgs(argv: readonly string[], defaultOut: string): CliOptions {
  const o: CliOptions = { backends: [...ALL_BACKENDS], require: [], outDir: defaultOut, table: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? (a.split(/=(.*)/s) as [string, string]) : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--only') o.only = value();
    else if (flag === '--backends') o.backends = list(value(), flag);
    else if (flag === '--require') o.require = list(value(), flag);
    else if (flag === '--out') o.outDir = value() ?? o.outDir;
    else if (flag === '--summary-only') o.table = false;
    else if (flag === '--') continue;
    else throw new Error(`unknown argument '${a}'\n${USAGE}`);
  }
  for (const r of o.require) if (!o.backends.includes(r)) o.backends.push(r);
  return o;
}
