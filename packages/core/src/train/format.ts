// Number formatting shared by the report, file names and loggers. Python rounds exact ties
// to even ('{:.2f}'.format(0.125) == '0.12') where JavaScript's toFixed rounds them up, so
// scikit-learn's and Keras' texts need this to match digit for digit.

/** `x` with `digits` decimals, rounded as Python's `'{:.Nf}'` does. */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const plain = x.toFixed(digits);
  // toFixed(100) is the exact decimal expansion of the double far enough to see a tie.
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 40));
  const dot = exact.indexOf('.');
  const tail = exact.slice(dot + 1 + digits);
  if (!/^50*$/.test(tail)) return plain;
  const kept = exact.slice(0, dot + 1 + digits).replace(/\.$/, '');
  const lastDigit = Number(kept[kept.length - 1]);
  if (lastDigit % 2 === 0) return (x < 0 ? '-' : '') + kept;
  return plain;
}

/** `x` as Python's `'{:.Ne}'`: mantissa with N decimals and a two-digit signed exponent. */
export function formatExp(x: number, digits: number): string {
  if (!Number.isFinite(x)) return formatFixed(x, digits);
  const [m, e] = x.toExponential(digits).split('e');
  const sign = e.startsWith('-') ? '-' : '+';
  return `${m}e${sign}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
}

/** A metric value the way Keras prints it: 4 decimals, or exponent form for tiny values. */
export function formatLogValue(v: number): string {
  return Math.abs(v) > 1e-3 || v === 0 ? formatFixed(v, 4) : formatExp(v, 4);
}

/**
 * Fills `{name}` and `{name:spec}` placeholders from `values`, with a subset of Python's
 * format spec: `[0][width][.precision][d|f|e]` (`'ckpt-{epoch:02d}-{val_loss:.4f}.safetensors'`),
 * as Keras fills `ModelCheckpoint`'s file path.
 *
 * @throws Error naming a placeholder that has no value, or an unsupported format spec.
 *
 * @example
 * ```ts
 * train.formatTemplate('ckpt-{epoch:02d}-{val_loss:.4f}', { epoch: 3, val_loss: 0.12345 }); // 'ckpt-03-0.1235'
 * ```
 */
export function formatTemplate(template: string, values: Record<string, number | string>): string {
  return template.replace(
    /\{([A-Za-z_][\w]*)(?::([^}]*))?\}/g,
    (_, name: string, spec: string | undefined) => {
      if (!(name in values)) {
        throw new Error(
          `formatTemplate: '${template}' names {${name}} but the logs hold only: ${Object.keys(values).join(', ')}`,
        );
      }
      const v = values[name];
      if (spec === undefined || spec === '') return String(v);
      const m = /^(0?)(\d*)(?:\.(\d+))?([dfe]?)$/.exec(spec);
      if (!m) throw new Error(`formatTemplate: unsupported format spec '${spec}' for {${name}}`);
      const [, zero, width, precision, type] = m;
      let s: string;
      if (typeof v === 'string') s = v;
      else if (type === 'd') s = String(Math.trunc(v));
      else if (type === 'e') s = formatExp(v, precision === undefined ? 6 : Number(precision));
      else if (type === 'f' || precision !== undefined)
        s = formatFixed(v, precision === undefined ? 6 : Number(precision));
      else s = String(v);
      const w = width === '' ? 0 : Number(width);
      if (s.length >= w) return s;
      if (zero && typeof v === 'number') {
        const neg = s.startsWith('-');
        return (neg ? '-' : '') + (neg ? s.slice(1) : s).padStart(w - (neg ? 1 : 0), '0');
      }
      return s.padStart(w, ' ');
    },
  );
}
