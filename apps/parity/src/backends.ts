// Loading and starting the backends and export runtimes. A backend that fails to import or to
// start is reported, not fatal: the run goes on without it (main fails if it was --require'd).
import '@proj/backend-cpu';
import { backendByName, nn, optim, setBackend, tensor, tidy } from '@proj/core';
import type { OnnxExportApi } from './catalogue/index.js';
import type { TargetInfo } from './types.js';

/** Every backend the app knows, in column order. */
export const ALL_BACKENDS = ['cpu', 'onnx', 'gpujs', 'webgpu'] as const;

const PACKAGES: Record<string, string> = {
  onnx: '@proj/backend-onnx',
  gpujs: '@proj/backend-gpujs',
  webgpu: '@proj/backend-webgpu',
};

/** What `initWebGPU()` of @proj/backend-webgpu resolves with (the parts the detail line shows). */
interface AdapterReport {
  vendor: string;
  description: string;
  software?: boolean;
}

/**
 * Registers a backend that needs asynchronous set-up before it exists: WebGPU finds an adapter
 * and opens a device (`initWebGPU()`, which registers 'webgpu'). Returns the detail line, or
 * undefined for a package that registers on import.
 */
async function initialise(name: string, mod: Record<string, unknown>): Promise<string | undefined> {
  if (name !== 'webgpu') return undefined;
  const init = mod.initWebGPU as (() => Promise<AdapterReport>) | undefined;
  if (typeof init !== 'function') throw new Error('@proj/backend-webgpu exports no initWebGPU()');
  const a = await init();
  return `WebGPU on ${a.description || '(no description)'} (vendor ${a.vendor || '?'}${a.software ? ', software adapter' : ''})`;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/** 2·[1,2,3]+1 on the current backend, read synchronously or, where it cannot, asynchronously. */
async function smokeTest(name: string): Promise<number[]> {
  const y = tidy(() => tensor([1, 2, 3]).mul(2).add(1));
  try {
    const data = backendByName(name).readsSync === false ? await y.data() : y.dataSync();
    return Array.from(data as ArrayLike<number>);
  } finally {
    y.dispose();
  }
}

/** Creates the backend and runs one op on it; the detail line says how it runs. */
export async function startBackend(name: string, initDetail?: string): Promise<TargetInfo> {
  try {
    const b = backendByName(name) as unknown as { mode?: string; stats?: () => { renderer?: string } };
    setBackend(name);
    const got = await smokeTest(name);
    if (got.join(',') !== '3,5,7') throw new Error(`smoke test 2·[1,2,3]+1 gave [${got}]`);
    let detail = initDetail ?? 'started';
    if (name === 'gpujs') {
      const renderer = (() => {
        try {
          return b.stats?.().renderer;
        } catch {
          return undefined;
        }
      })();
      detail = `gpu.js mode ${b.mode ?? '?'}${renderer ? ` (${renderer})` : ''}`;
      // the CPU fallback runs the same kernels in JS: useful, but not the WebGL path under test
      if (b.mode === 'cpu') return { name, kind: 'backend', started: true, fallback: true, detail };
    }
    return { name, kind: 'backend', started: true, detail };
  } catch (e) {
    return { name, kind: 'backend', started: false, detail: `failed to start: ${message(e)}` };
  } finally {
    setBackend('cpu');
  }
}

/** The started backends, and the export API when @proj/backend-onnx imported with it. */
export interface Loaded {
  targets: TargetInfo[];
  onnxApi: OnnxExportApi | null;
}

/** Imports and starts each of `names` (cpu always: it is the reference). */
export async function loadBackends(names: readonly string[]): Promise<Loaded> {
  const targets: TargetInfo[] = [];
  let onnxApi: OnnxExportApi | null = null;
  for (const name of ['cpu', ...names.filter((n) => n !== 'cpu')]) {
    const pkg = PACKAGES[name];
    let initDetail: string | undefined;
    if (pkg) {
      let mod: Partial<OnnxExportApi> & Record<string, unknown>;
      try {
        mod = (await import(pkg)) as Partial<OnnxExportApi> & Record<string, unknown>;
        if (name === 'onnx' && mod.exportOnnx && mod.OnnxModel) onnxApi = mod as OnnxExportApi;
      } catch (e) {
        targets.push({
          name,
          kind: 'backend',
          started: false,
          detail: `import ${pkg} failed: ${message(e)}`,
        });
        continue;
      }
      try {
        initDetail = await initialise(name, mod);
      } catch (e) {
        targets.push({ name, kind: 'backend', started: false, detail: `failed to start: ${message(e)}` });
        continue;
      }
    } else if (name !== 'cpu') {
      targets.push({ name, kind: 'backend', started: false, detail: `unknown backend '${name}'` });
      continue;
    }
    targets.push(await startBackend(name, initDetail));
  }
  if (names.includes('onnx')) targets.push(...(await startExport(onnxApi)));
  return { targets, onnxApi };
}

/** Exports a tiny Linear and runs it in each runtime, so the export columns say whether they work. */
async function startExport(api: OnnxExportApi | null): Promise<TargetInfo[]> {
  const out: TargetInfo[] = [];
  for (const [name, runtime] of [
    ['ort-node', 'node'],
    ['ort-web', 'web'],
  ] as const) {
    if (!api) {
      out.push({
        name,
        kind: 'export',
        started: false,
        detail: '@proj/backend-onnx has no exportOnnx/OnnxModel',
      });
      continue;
    }
    try {
      const m = new nn.Linear(2, 2);
      const x = tensor([[1, 2]], { dtype: 'float32' });
      const session = await api.OnnxModel.load(api.exportOnnx(m, [x]), { runtime });
      const [y] = await session.run([x]);
      const n = y!.numel();
      y!.dispose();
      await session.dispose();
      x.dispose();
      if (n !== 2) throw new Error(`smoke export gave ${n} values`);
      out.push({ name, kind: 'export', started: true, detail: `onnxruntime-${runtime}` });
    } catch (e) {
      out.push({ name, kind: 'export', started: false, detail: `failed: ${message(e)}` });
    }
  }
  out.push(startCompiled(api));
  return out;
}

/** Compiles one SGD step of a tiny Linear, so the compiled column says whether compile works. */
function startCompiled(api: OnnxExportApi | null): TargetInfo {
  const name = 'compiled';
  if (!api?.compile)
    return { name, kind: 'export', started: false, detail: '@proj/backend-onnx has no compile' };
  try {
    const m = new nn.Linear(2, 1);
    const opt = new optim.SGD(m.parameters(), { lr: 0.1 });
    const [x, y] = [tensor([[1, 2]]), tensor([[3]])];
    const c = api.compile(m, {
      loss: (o, t) => o.sub(t).pow(2).mean(),
      optimizer: opt,
      exampleInputs: [x, y],
    });
    const loss = tidy(() => c.step(x, y).item() as number);
    c.dispose();
    for (const t of [x, y, ...m.parameters()]) t.dispose();
    if (!Number.isFinite(loss)) throw new Error(`smoke step gave loss ${loss}`);
    return {
      name,
      kind: 'export',
      started: true,
      detail: 'compile: one traced graph per step on onnxruntime-node',
    };
  } catch (e) {
    return { name, kind: 'export', started: false, detail: `failed: ${message(e)}` };
  }
}
