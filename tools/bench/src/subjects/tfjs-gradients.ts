/**
 * Registers tfjs's gradient functions, which training (W2–W4) needs. tfjs-core's Node bundle
 * (`main`) has the gradient registry but registers no gradients: the `@tensorflow/tfjs` union
 * package does that by importing `dist/register_all_gradients.js`, an ES module whose imports
 * name files without `.js` and folders without `/index.js`, which Node's ESM loader refuses.
 * A resolve hook for those specifiers (under tfjs-core's `dist/` only) lets us import it. Its
 * second copy of tfjs-core shares the first's engine and registries (tfjs keeps them global).
 */
import { register } from 'node:module';

const HOOK = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (!specifier.startsWith('.') || !context.parentURL?.includes('/tfjs-core/dist/')) throw e;
    for (const suffix of ['.js', '/index.js']) {
      try {
        return await next(specifier + suffix, context);
      } catch {}
    }
    throw e;
  }
}`;

let done: Promise<void> | undefined;

/** Imports tfjs-core's gradient registrations once. */
export function registerTfGradients(): Promise<void> {
  done ??= (async () => {
    register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  })();
  return done;
}
