// A small stand-in for Python's argparse, so the ported examples declare their flags with the
// same lines as PyTorch's (`parser.addArgument('--batch-size', { type: 'int', default: 64 })`)
// and read them as `args.batchSize` (the dest, snake_case → camelCase).

/** What one flag holds: `type` converts the text after it; `store_true` takes no value. */
export interface ArgumentOptions {
  type?: 'int' | 'float' | 'str';
  default?: unknown;
  action?: 'store_true';
  required?: boolean;
  help?: string;
  metavar?: string;
}

interface Argument extends ArgumentOptions {
  flag: string;
  dest: string;
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Python's `argparse.ArgumentParser(description)`, for `--flag value`, `--flag=value` and switches. */
export class ArgumentParser {
  readonly description: string;
  private readonly args = new Map<string, Argument>();

  constructor(opts: { description?: string } = {}) {
    this.description = opts.description ?? '';
  }

  /** `parser.add_argument('--flag', type=…, default=…, action=…, help=…)`. */
  addArgument(flag: string, opts: ArgumentOptions = {}): void {
    if (!flag.startsWith('--')) throw new Error(`ArgumentParser: only --flags are supported, got '${flag}'`);
    // argparse's dest: the flag without its dashes, inner dashes as underscores; then camelCase.
    const dest = camel(flag.slice(2).replace(/-/g, '_'));
    this.args.set(flag, { flag, dest, ...opts });
  }

  /** Parses `argv` (the arguments only, not the program); unknown flags are errors listing the known ones. */
  parseArgs<T = Record<string, any>>(argv: readonly string[] = []): T {
    const out: Record<string, unknown> = {};
    for (const a of this.args.values())
      out[a.dest] = a.action === 'store_true' ? (a.default ?? false) : (a.default ?? null);
    const given = new Set<string>();
    for (let i = 0; i < argv.length; i++) {
      const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
      const a = this.args.get(flag);
      if (!a) throw new Error(`${this.usage()}\nerror: unrecognized arguments: ${argv[i]}`);
      given.add(a.dest);
      if (a.action === 'store_true') {
        out[a.dest] = true;
        continue;
      }
      const text = inline ?? argv[++i];
      if (text === undefined)
        throw new Error(`${this.usage()}\nerror: argument ${flag}: expected one argument`);
      out[a.dest] = convert(a, text);
    }
    for (const a of this.args.values()) {
      if (a.required && !given.has(a.dest)) {
        throw new Error(`${this.usage()}\nerror: the following arguments are required: ${a.flag}`);
      }
    }
    return out as T;
  }

  /** The flags and their defaults, as argparse's usage line. */
  usage(): string {
    const flags = [...this.args.values()].map((a) =>
      a.action ? `[${a.flag}]` : `[${a.flag} ${a.metavar ?? a.dest.toUpperCase()}]`,
    );
    return `usage: ${flags.join(' ')}`;
  }
}

function convert(a: Argument, text: string): unknown {
  if (a.type === 'int') {
    if (!/^[+-]?\d+$/.test(text)) throw new Error(`error: argument ${a.flag}: invalid int value: '${text}'`);
    return Number.parseInt(text, 10);
  }
  if (a.type === 'float') {
    const v = Number(text);
    if (text.trim() === '' || Number.isNaN(v))
      throw new Error(`error: argument ${a.flag}: invalid float value: '${text}'`);
    return v;
  }
  return text;
}
