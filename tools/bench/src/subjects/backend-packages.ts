import { fileURLToPath } from 'node:url';

/**
 * Backend packages of ours to load. Each registers its backends on import (but
 * @proj/backend-webgpu, whose `initWebGPU()` the `ours-webgpu` subject calls when it opens); one
 * that is not installed is skipped. A new backend package is one entry here (and a dependency of
 * this package).
 */
export const BACKEND_PACKAGES = [
  '@proj/backend-cpu',
  '@proj/backend-gpujs',
  '@proj/backend-onnx',
  '@proj/backend-webgpu',
] as const;

/**
 * The TypeScript entry of a workspace package, for when this package's `node_modules` does not
 * link it yet (a dependency added since the last `pnpm install`). The package resolves its own
 * dependencies (`@proj/core` included) from its own folder, so it shares our core instance.
 */
const sourceEntry = (pkg: string): string =>
  fileURLToPath(new URL(`../../../../packages/${pkg.replace('@proj/', '')}/src/index.ts`, import.meta.url));

const loaded = new Map<string, Promise<Record<string, unknown>>>();

const isMissing = (e: unknown, what: string) =>
  (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && (e as Error).message.includes(what);

/**
 * Imports a backend package once (by name, else from its workspace source); rejects with the
 * import error, whose `code` is `ERR_MODULE_NOT_FOUND` when the package is not there at all.
 */
export function loadBackendPackage(pkg: string): Promise<Record<string, unknown>> {
  let p = loaded.get(pkg);
  if (!p) {
    p = import(pkg).catch(async (e: unknown) => {
      if (!isMissing(e, pkg)) throw e;
      try {
        return (await import(sourceEntry(pkg))) as Record<string, unknown>;
      } catch (e2) {
        // Report the source entry's own failure only when that file exists but does not load.
        throw isMissing(e2, sourceEntry(pkg)) ? e : e2;
      }
    });
    loaded.set(pkg, p);
  }
  return p;
}

/** Imports every backend package; returns one line per package that is installed but failed to load. */
export async function loadBackendPackages(): Promise<string[]> {
  const failures: string[] = [];
  for (const pkg of BACKEND_PACKAGES) {
    try {
      await loadBackendPackage(pkg);
    } catch (e) {
      if (!isMissing(e, pkg)) failures.push(`${pkg}: ${(e as Error).message}`);
    }
  }
  return failures;
}
