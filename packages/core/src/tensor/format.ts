import type { DataArray, DType, Shape, TypedArray } from '../backend/types.js';

interface FormatOpts {
  device: string;
  requiresGrad: boolean;
  gradFn: string | undefined;
}

const SUMMARIZE_AT = 1000;
const EDGE = 3;

/** PyTorch-style repr of tensor values. */
export function formatTensor(data: DataArray, shape: Shape, dtype: DType, opts: FormatOpts): string {
  const n = data.length;
  const summarize = n > SUMMARIZE_AT;
  const fmt = makeFormatter(data, dtype);
  const indent = 'tensor('.length;
  let body: string;
  if (shape.length === 0) body = fmt(data[0]);
  else if (n === 0) body = '[]';
  else body = formatDim(data, shape, 0, 0, fmt, indent, summarize);
  const extras: string[] = [];
  if (opts.device !== 'cpu') extras.push(`device='${opts.device}'`);
  if (n === 0 && shape.length !== 1)
    extras.push(`size=(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`);
  // PyTorch names every dtype but its defaults (float32, int64, bool).
  if (
    dtype === 'float64' ||
    dtype === 'float16' ||
    dtype === 'bfloat16' ||
    dtype === 'int32' ||
    dtype === 'uint8'
  )
    extras.push(`dtype=torch.${dtype}`);
  if (opts.gradFn) extras.push(`grad_fn=<${opts.gradFn}>`);
  else if (opts.requiresGrad) extras.push('requires_grad=True');
  return `tensor(${body}${extras.length ? `, ${extras.join(', ')}` : ''})`;
}

type Fmt = (v: number | bigint) => string;

function formatDim(
  data: DataArray,
  shape: Shape,
  d: number,
  offset: number,
  fmt: Fmt,
  indent: number,
  summarize: boolean,
): string {
  const n = shape[d];
  let stride = 1;
  for (let i = d + 1; i < shape.length; i++) stride *= shape[i];
  const idx: (number | null)[] = [];
  if (summarize && n > 2 * EDGE) {
    for (let i = 0; i < EDGE; i++) idx.push(i);
    idx.push(null);
    for (let i = n - EDGE; i < n; i++) idx.push(i);
  } else for (let i = 0; i < n; i++) idx.push(i);
  if (d === shape.length - 1) {
    return `[${idx.map((i) => (i === null ? '...' : fmt(data[offset + i]))).join(', ')}]`;
  }
  const pad = ' '.repeat(indent + d + 1);
  const sep = `,${'\n'.repeat(shape.length - d - 1)}${pad}`;
  const parts = idx.map((i) =>
    i === null ? '...' : formatDim(data, shape, d + 1, offset + i * stride, fmt, indent, summarize),
  );
  return `[${parts.join(sep)}]`;
}

function makeFormatter(data: DataArray, dtype: DType): Fmt {
  if (dtype === 'bool') return (v) => (v ? 'True' : 'False');
  if (data instanceof BigInt64Array || dtype === 'int32' || dtype === 'int64' || dtype === 'uint8') {
    let w = 1;
    for (let i = 0; i < data.length; i++) w = Math.max(w, String(data[i]).length);
    return (v) => String(v).padStart(w);
  }
  return floatFormatter(data);
}

function floatFormatter(data: TypedArray): Fmt {
  let allInt = true;
  let maxAbs = 0;
  let minAbs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) allInt = false;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a !== 0 && a < minAbs) minAbs = a;
  }
  const sci =
    maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Number.POSITIVE_INFINITY) || maxAbs / minAbs > 1000;
  let raw: (v: number) => string;
  if (allInt && maxAbs < 1e8) raw = (v) => (Number.isFinite(v) ? `${v}.` : fmtSpecial(v));
  else if (sci && !allInt)
    raw = (v) => (Number.isFinite(v) ? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2') : fmtSpecial(v));
  else raw = (v) => (Number.isFinite(v) ? v.toFixed(4) : fmtSpecial(v));
  let w = 1;
  for (let i = 0; i < data.length; i++) w = Math.max(w, raw(data[i]).length);
  return (v) => raw(Number(v)).padStart(w);
}

function fmtSpecial(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  return v > 0 ? 'inf' : '-inf';
}
