// What every transform shares: the function type, Compose, and running a tensor computation on
// either input kind (an Image goes through a uint8 tensor [C, H, W] and comes back an Image).
import { Tensor, tidy } from '@proj/core';
import { Image, imageToTensor, tensorToImage } from '../image.js';

/**
 * A transform: a function of one value, as torchvision's transform objects are callables.
 * `String(t)` gives torchvision's repr, e.g. `Resize(size=[32], interpolation=bilinear)`.
 */
export type Transform<A = any, B = any> = (x: A) => B;

/** What image transforms take: an {@link Image} or a tensor image [..., C, H, W] (any dtype). */
export type ImageLike = Image | Tensor;

/** Gives `fn` torchvision's repr as its `toString`. */
export function withRepr<F extends (...args: any[]) => any>(fn: F, repr: string): F {
  Object.defineProperty(fn, 'toString', { value: () => repr, enumerable: false });
  return fn;
}

/**
 * `transforms.Compose([...])`: applies each transform in turn. Tensors made between the steps
 * are freed (the chain runs in `tidy`); the result is kept when it is a tensor, or tensors in an
 * array or plain object.
 *
 * @throws Error if `transforms` is not an array of functions.
 *
 * @example
 * ```ts
 * const t = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.1307], [0.3081])]);
 * const x = t(image); // float32 [1, 28, 28]
 * String(t); // torchvision's repr, one transform per line
 * ```
 */
export function Compose(transforms: readonly Transform[]): Transform {
  if (!Array.isArray(transforms) || transforms.some((t) => typeof t !== 'function')) {
    throw new Error('Compose: expected an array of transforms (functions)');
  }
  const list = [...transforms];
  return withRepr(
    (x) => tidy(() => list.reduce((v, t) => t(v), x)),
    `Compose(\n${list.map((t) => `    ${String(t).split('\n')[0]}`).join('\n')}\n)`,
  );
}

/** A short description of a transform's input for error messages. */
export function describeInput(x: unknown): string {
  if (x instanceof Tensor) return `a ${x.dtype} tensor [${x.shape.join(', ')}]`;
  if (x instanceof Image) return `an Image ${x.width}x${x.height} ${x.mode}`;
  if (x === null) return 'null';
  return Array.isArray(x) ? 'an array' : `a ${typeof x}`;
}

/**
 * Runs `fn` on the tensor form of `img`: a tensor as given (at least [H, W], torchvision's
 * "tensor image"), an Image as a uint8 tensor [C, H, W] whose result becomes an Image again.
 * Intermediate tensors of the Image path are freed.
 */
export function onImage<T extends ImageLike>(
  op: string,
  img: T,
  fn: (t: Tensor, fromImage: boolean) => Tensor,
): T {
  if (img instanceof Image) return tidy(() => tensorToImage(op, fn(imageToTensor(img), true))) as T;
  if (img instanceof Tensor) {
    if (img.ndim < 2)
      throw new Error(`${op}: expected an Image or a tensor image [..., H, W], got ${describeInput(img)}`);
    // Every step's intermediate tensors are freed; a view returned keeps its storage alive.
    return tidy(() => fn(img, false)) as T;
  }
  throw new Error(`${op}: expected an Image or a tensor image [..., C, H, W], got ${describeInput(img)}`);
}

/** `[channels, height, width]` of an image or tensor image (torchvision's `get_dimensions`). */
export function dimensions(op: string, img: ImageLike): [number, number, number] {
  if (img instanceof Image) return [img.channels, img.height, img.width];
  if (img instanceof Tensor && img.ndim >= 2) {
    const [h, w] = img.shape.slice(-2);
    return [img.ndim === 2 ? 1 : img.shape[img.ndim - 3], h, w];
  }
  throw new Error(`${op}: expected an Image or a tensor image [..., C, H, W], got ${describeInput(img)}`);
}

/**
 * A tensor image as [N, C, H, W] (leading dims folded into N; [H, W] as [1, 1, H, W]) and
 * the function that gives a result [N, C', H', W'] the input's leading dims back.
 */
export function asBatch(x: Tensor): [Tensor, (y: Tensor) => Tensor] {
  const lead = x.shape.slice(0, -3);
  if (x.ndim === 2) return [x.reshape(1, 1, ...x.shape), (y) => y.reshape(y.shape[2], y.shape[3])];
  if (x.ndim === 4) return [x, (y) => y];
  const [c, h, w] = x.shape.slice(-3);
  return [x.reshape(-1, c, h, w), (y) => y.reshape(...lead, ...y.shape.slice(1))];
}
