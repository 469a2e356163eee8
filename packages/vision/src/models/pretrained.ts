// Pretrained weights ship inside the package as base64 safetensors bytes in a generated module
// (scripts/embed-weights.ts), so `{ pretrained: true }` stays synchronous and works in every
// bundler and in the browser: no file system, no fetch, no asset loader.
import { io, type nn, type Tensor, tidy } from '@proj/core';

/** Weights embedded in the package, as the generated `weights/*.ts` modules hold them. */
export interface EmbeddedWeights {
  /** The safetensors file, base64-encoded. */
  readonly base64: string;
  /** SHA-256 of the safetensors bytes (hex), to tell which training run they come from. */
  readonly sha256: string;
  /** Accuracy on the dataset's test split when the weights were embedded, in [0, 1]. */
  readonly testAccuracy: number;
  /** How many test images {@link testAccuracy} counts. */
  readonly testImages: number;
  /** The command that trained them. */
  readonly trainedWith: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/**
 * Decodes standard base64 (with or without `=` padding) to bytes. Written out rather than
 * `atob` or `Buffer` so it behaves the same in every runtime and refuses bad input.
 */
export function decodeBase64(text: string): Uint8Array {
  const s = text.replace(/=+$/, '');
  if (s.length % 4 === 1) throw new Error(`decodeBase64: ${text.length} characters is not a base64 length`);
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? DECODE[c] : -1;
    if (v < 0) throw new Error(`decodeBase64: character '${s[i]}' at ${i} is not base64`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/**
 * Loads embedded weights into `module` (strictly: every key of the module must be there, and,
 * after `keep` filters the file's keys, nothing else). The decoded tensors are freed after
 * the copy.
 */
export function loadEmbeddedWeights(
  op: string,
  module: nn.Module,
  weights: EmbeddedWeights,
  opts: { keep?: (key: string) => boolean } = {},
): void {
  tidy(() => {
    const all = io.loadSafetensors(decodeBase64(weights.base64));
    const dict: Record<string, Tensor> = {};
    for (const [k, t] of Object.entries(all)) if (!opts.keep || opts.keep(k)) dict[k] = t;
    try {
      module.loadStateDict(dict);
    } catch (e) {
      throw new Error(
        `${op}({ pretrained: true }): the embedded weights do not fit: ${(e as Error).message}`,
      );
    }
  });
}
