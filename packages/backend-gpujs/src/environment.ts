// Where gpu.js runs: which mode can start here, why WebGL could not, which GL renders.
import { type GlContext, GPU } from './gpujs.js';

/** The gpu.js modes this backend can run in, best first. */
export type GpujsMode = 'headlessgl' | 'webgl2' | 'webgl' | 'cpu';

type Proc = {
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
  platform?: string;
};
export const proc = (globalThis as { process?: Proc }).process;

/** The first mode gpu.js can start here, or 'cpu'. */
export function pickMode(): GpujsMode {
  const checks: [GpujsMode, () => boolean][] = [
    ['headlessgl', () => GPU.isHeadlessGLSupported],
    ['webgl2', () => GPU.isWebGL2Supported],
    ['webgl', () => GPU.isWebGLSupported],
  ];
  for (const [mode, ok] of checks) {
    try {
      if (ok()) return mode;
    } catch {
      // a probe that throws means "not here"
    }
  }
  return 'cpu';
}

/** Why no WebGL context could be created, for the fallback warning. */
export function whyNoGl(): string {
  if (proc?.getBuiltinModule === undefined) return 'this browser offers neither WebGL2 nor WebGL';
  const reasons: string[] = [];
  try {
    const { createRequire } = proc.getBuiltinModule('node:module') as {
      createRequire(url: string): NodeJS.Require;
    };
    const req = createRequire(import.meta.url);
    const gpuDir = req.resolve('gpu.js').replace(/src[\\/]index\.js$/, '');
    req(req.resolve('gl', { paths: [gpuDir] }));
  } catch {
    reasons.push(
      'the headless-gl package `gl` is missing or failed to build (install build-essential python3 pkg-config libxi-dev libglu1-mesa-dev libglew-dev, then reinstall)',
    );
  }
  if (proc.platform === 'linux' && !proc.env?.DISPLAY) {
    reasons.push('no X server: DISPLAY is unset (run under `xvfb-run -a`)');
  }
  if (reasons.length === 0)
    reasons.push('headless-gl could not create a context (no X server or GL driver?)');
  return reasons.join('; ');
}

/** Names the GL implementation: ANGLE hides the driver, so in Node look at the loaded DRI module. */
export function describeRenderer(gl: GlContext | null, mode: GpujsMode): string {
  if (gl === null || mode === 'cpu') return 'gpu.js CPU fallback (no WebGL)';
  const parts = [String(gl.getParameter(gl.RENDERER)), String(gl.getParameter(gl.VERSION))];
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  if (dbg) parts.push(String(gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL)));
  if (proc?.platform === 'linux' && proc.getBuiltinModule) {
    try {
      const fs = proc.getBuiltinModule('node:fs') as { readFileSync(p: string, e: string): string };
      const dri = fs.readFileSync('/proc/self/maps', 'utf8').match(/\/([\w-]+_dri)\.so/);
      if (dri)
        parts.push(dri[1] === 'swrast_dri' ? 'Mesa llvmpipe (swrast_dri, software)' : `Mesa ${dri[1]}`);
    } catch {
      // not essential
    }
  }
  return parts.join(' / ');
}
