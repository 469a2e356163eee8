// Debian's Chromium as the browser tests launch it (playwright-core, executablePath): headless
// Chromium without a GPU gets WebGL2 from SwiftShader only when asked for explicitly
// (`--use-angle=swiftshader --enable-unsafe-swiftshader`); the rest keeps runs quiet and offline.

/** The Chromium binary: `PROJ_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM: string = process.env.PROJ_CHROMIUM ?? '/usr/bin/chromium';

/** Launch arguments for headless Chromium with WebGL2 on SwiftShader. */
export const CHROMIUM_ARGS: string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Launch arguments for headless Chromium with WebGPU on SwiftShader (no GPU needed; Chromium 156
 * on Linux exposes `navigator.gpu` with these alone, Vulkan included: no `--enable-features`).
 * `adapter.info` then reads vendor 'google', architecture 'swiftshader', `isFallbackAdapter` true.
 */
export const CHROMIUM_WEBGPU_ARGS: string[] = [
  '--headless',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
