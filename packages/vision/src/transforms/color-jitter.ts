// transforms.ColorJitter.
import { defaultGenerator, type Generator, tidy } from '@proj/core';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation } from './functional/color.js';
import { type RandomOptions, uniform } from './random.js';
import { type ImageLike, type Transform, withRepr } from './transform.js';

/** A jitter amount: `x` for the range [max(0, 1 - x), 1 + x] (hue: [-x, x]), or `[min, max]`. */
export type JitterRange = number | readonly [number, number];

/** Options of {@link ColorJitter}; each omitted (or 0) adjustment is skipped. */
export interface ColorJitterOptions extends RandomOptions {
  /** Brightness factor range (0: black, 1: unchanged), from `x`: [max(0, 1 - x), 1 + x]. */
  brightness?: JitterRange;
  /** Contrast factor range (0: flat grey, 1: unchanged). */
  contrast?: JitterRange;
  /** Saturation factor range (0: grey, 1: unchanged). */
  saturation?: JitterRange;
  /** Hue shift range in turns: `x` in [0, 0.5] for [-x, x], or a range inside [-0.5, 0.5]. */
  hue?: JitterRange;
}

/** torchvision's `ColorJitter._check_input`: the factor range, or null when the adjustment is a no-op. */
function checkInput(
  name: string,
  value: JitterRange | undefined,
  center: number,
  bound: [number, number],
  clipFirstOnZero: boolean,
): [number, number] | null {
  if (value === undefined) return null;
  let r: [number, number];
  if (typeof value === 'number') {
    if (!(value >= 0))
      throw new Error(`ColorJitter: if ${name} is a single number, it must be non negative, got ${value}`);
    r = [center - value, center + value];
    if (clipFirstOnZero) r[0] = Math.max(r[0], 0);
  } else {
    if (!Array.isArray(value) || value.length !== 2) {
      throw new Error(
        `ColorJitter: ${name} should be a single number or a list/tuple with length 2, got ${JSON.stringify(value)}`,
      );
    }
    r = [value[0], value[1]];
  }
  if (!(bound[0] <= r[0] && r[0] <= r[1] && r[1] <= bound[1])) {
    throw new Error(
      `ColorJitter: ${name} values should be between [${bound.join(', ')}], got [${r.join(', ')}]`,
    );
  }
  return r[0] === center && r[1] === center ? null : r;
}

/** One draw of {@link ColorJitter}'s parameters: the order of the four adjustments and their factors. */
export interface ColorJitterParams {
  /** A permutation of 0 (brightness), 1 (contrast), 2 (saturation), 3 (hue). */
  order: number[];
  /** The brightness factor, or null when brightness is not jittered. */
  brightness: number | null;
  /** The contrast factor, or null. */
  contrast: number | null;
  /** The saturation factor, or null. */
  saturation: number | null;
  /** The hue shift, or null. */
  hue: number | null;
}

/**
 * `transforms.ColorJitter({ brightness, contrast, saturation, hue })`: adjusts the four in a
 * random order, each by a factor drawn uniformly from its range (torchvision's `get_params`:
 * a random permutation, then the four factors). The adjustments are {@link adjustBrightness},
 * {@link adjustContrast}, {@link adjustSaturation} and {@link adjustHue}.
 *
 * @throws Error if an amount is a negative number, a range is not `[min, max]` with min <= max,
 * or a range leaves its bounds ([0, ∞) for brightness, contrast and saturation; [-0.5, 0.5]
 * for hue).
 *
 * ```ts
 * transforms.ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 });
 * ```
 */
export function ColorJitter(opts: ColorJitterOptions = {}): Transform<ImageLike, ImageLike> {
  const b = checkInput('brightness', opts.brightness, 1, [0, Number.POSITIVE_INFINITY], true);
  const c = checkInput('contrast', opts.contrast, 1, [0, Number.POSITIVE_INFINITY], true);
  const s = checkInput('saturation', opts.saturation, 1, [0, Number.POSITIVE_INFINITY], true);
  const h = checkInput('hue', opts.hue, 0, [-0.5, 0.5], false);
  const g = opts.generator ?? defaultGenerator;
  const fmt = (r: [number, number] | null) => (r === null ? 'None' : `(${r.join(', ')})`);
  return withRepr(
    <T extends ImageLike>(input: T): T => {
      const p = colorJitterParams(b, c, s, h, g);
      return tidy(() => {
        let img = input;
        for (const k of p.order) {
          if (k === 0 && p.brightness !== null) img = adjustBrightness(img, p.brightness);
          else if (k === 1 && p.contrast !== null) img = adjustContrast(img, p.contrast);
          else if (k === 2 && p.saturation !== null) img = adjustSaturation(img, p.saturation);
          else if (k === 3 && p.hue !== null) img = adjustHue(img, p.hue);
        }
        return img;
      });
    },
    `ColorJitter(brightness=${fmt(b)}, contrast=${fmt(c)}, saturation=${fmt(s)}, hue=${fmt(h)})`,
  );
}

/** torchvision's `ColorJitter.get_params` on the checked ranges (null: that adjustment is skipped). */
export function colorJitterParams(
  brightness: readonly [number, number] | null,
  contrast: readonly [number, number] | null,
  saturation: readonly [number, number] | null,
  hue: readonly [number, number] | null,
  generator: Generator = defaultGenerator,
): ColorJitterParams {
  const order = Array.from(generator.permutation(4));
  const draw = (r: readonly [number, number] | null) => (r === null ? null : uniform(r[0], r[1], generator));
  return {
    order,
    brightness: draw(brightness),
    contrast: draw(contrast),
    saturation: draw(saturation),
    hue: draw(hue),
  };
}
