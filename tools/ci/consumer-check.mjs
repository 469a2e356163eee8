#!/usr/bin/env node
// Clean-consumer check of the published packages: builds them, packs each one as npm would
// publish it (pnpm pack applies publishConfig and rewrites workspace: ranges), lints the
// tarballs (contents, publint, attw), then installs them into fresh projects outside the
// workspace and uses them as a user would: an ESM script (train, export ONNX, run it on both
// ONNX Runtimes), a CommonJS script (require), strict TypeScript (skipLibCheck: false; node16
// and bundler resolution) and an esbuild browser bundle that must import no Node module.
//
//   node tools/ci/consumer-check.mjs               everything (CI: .ci/run)
//   node tools/ci/consumer-check.mjs --lint-only   build, pack and lint only (pnpm release)
//   node tools/ci/consumer-check.mjs --sizes       also npm-install each package set, print sizes/times
//   options: --no-build (use dist/ as it is), --keep (keep the temp dir), --out=DIR (copy the
//   tarballs there), --packages=core,backend-cpu,...
//
// Installs take package files from pnpm's store (filled by the workspace's own install) with
// --prefer-offline: CI fetches only registry metadata and versions newer than the store's, not
// the ~400 MB of ONNX Runtime again; only --sizes uses npm (and its own cache).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const consumerFiles = path.join(root, 'tools/ci/consumer');
const ALL = ['core', 'backend-cpu', 'backend-gpujs', 'backend-onnx', 'backend-webgpu', 'vision', 'plot'];
/** The ONNX Runtime packages a consumer adds for the onnx checks (optional peers of backend-onnx). */
const ORT = ['onnxruntime-node@1.30.0', 'onnxruntime-web@1.30.0'];
/**
 * Third-party type packages whose .d.ts do not compile without `lib: ["DOM"]`, reached through
 * our public types: their errors are reported in the check's line but do not fail it.
 */
const KNOWN_TYPE_GAPS = {};

const args = process.argv.slice(2);
const flag = (f) => args.includes(f);
const listArg = args.find((a) => a.startsWith('--packages='));
const selected = listArg ? listArg.slice('--packages='.length).split(',') : ALL;
for (const p of selected)
  if (!ALL.includes(p)) throw new Error(`consumer-check: unknown package '${p}' (known: ${ALL})`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proj-consumer-'));
// removed however the run ends (a check that throws included), unless --keep
process.on('exit', () => {
  if (flag('--keep')) console.log(`kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
});
const failures = [];
const t0 = Date.now();

/** Runs a command; returns its output, or throws with the output's tail. */
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, {
    cwd: opts.cwd ?? root,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 && !opts.allowFail) {
    const tail = out.trim().split('\n').slice(-25).join('\n');
    throw new Error(
      `${cmd} ${argv.join(' ')} (in ${opts.cwd ?? root}) exited ${r.status ?? r.signal}:\n${tail}`,
    );
  }
  return opts.allowFail ? { status: r.status, out } : out;
}

/** Runs one named check and prints one line: ok (with what it found) or FAIL (with why). */
async function check(name, fn) {
  const start = Date.now();
  try {
    const detail = await fn();
    console.log(`ok   ${name}: ${detail} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    return true;
  } catch (e) {
    failures.push(name);
    console.log(`FAIL ${name}: ${e.message}`);
    return false;
  }
}

const pkgDir = (p) => path.join(root, 'packages', p);
const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** `exports` without the `source` condition (which points at src/, not shipped). */
function withoutSource(v) {
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.entries(v).flatMap(([k, x]) => (k === 'source' ? [] : [[k, withoutSource(x)]])),
  );
}

/** Every file target of an exports map. */
function exportTargets(v) {
  if (typeof v === 'string') return [v];
  return Object.values(v ?? {}).flatMap(exportTargets);
}

// ---- 1. build ----------------------------------------------------------------------------
if (!flag('--no-build')) {
  await check('build', () => {
    // turbo reuses what typecheck and test already built in this run
    const filters = selected.map((p) => `--filter=@proj/${p}`);
    run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only', ...filters]);
    return `${selected.length} packages`;
  });
}

// ---- 2. package.json in the repo -----------------------------------------------------------
const license = fs.readFileSync(path.join(root, 'LICENSE'), 'utf8');
await check('package.json metadata', () => {
  const problems = [];
  const repos = new Set();
  for (const p of selected) {
    const pj = readJson(path.join(pkgDir(p), 'package.json'));
    const where = `packages/${p}/package.json`;
    for (const field of ['description', 'license', 'author', 'keywords', 'homepage', 'repository', 'bugs']) {
      if (!pj[field]) problems.push(`${where}: no "${field}"`);
    }
    repos.add(pj.repository?.url);
    if (pj.repository?.directory !== `packages/${p}`)
      problems.push(`${where}: repository.directory is not packages/${p}`);
    if (!pj.files?.includes('LICENSE')) problems.push(`${where}: "files" lacks LICENSE`);
    if (fs.readFileSync(path.join(pkgDir(p), 'LICENSE'), 'utf8') !== license)
      problems.push(`packages/${p}/LICENSE differs from the root LICENSE`);
    // publishConfig.exports replaces exports at pack time; it must be exports minus `source`
    if (!isDeepStrictEqual(pj.publishConfig?.exports, withoutSource(pj.exports)))
      problems.push(`${where}: publishConfig.exports is not "exports" without the "source" condition`);
    for (const [dep, range] of Object.entries(pj.peerDependencies ?? {})) {
      if (dep.startsWith('@proj/') && !/^workspace:\^\d/.test(range))
        problems.push(`${where}: peer ${dep} "${range}" should be workspace:^x.y.z (bounded)`);
    }
  }
  if (repos.size !== 1) problems.push(`repository.url differs between packages: ${[...repos].join(', ')}`);
  // every package `pnpm publish -r` would publish is one this check covers
  const published = ['packages', 'apps', 'tools'].flatMap((group) =>
    fs
      .readdirSync(path.join(root, group))
      .map((d) => path.join(root, group, d, 'package.json'))
      .filter((f) => fs.existsSync(f) && !readJson(f).private)
      .map((f) => path.relative(path.join(root, 'packages'), path.dirname(f))),
  );
  const unchecked = published.filter((p) => !ALL.includes(p));
  if (unchecked.length) problems.push(`public packages this check does not cover: ${unchecked.join(', ')}`);
  if (problems.length) throw new Error(problems.join('; '));
  return `${selected.length} packages: fields, LICENSE, publishConfig.exports, bounded peer ranges`;
});

// ---- 3. pack and lint the tarballs -----------------------------------------------------------
const tarDir = path.join(tmp, 'tarballs');
fs.mkdirSync(tarDir);
/** Tarball path and packed package.json, by package folder name. */
const packed = {};
const bin = (name) => path.join(root, 'node_modules/.bin', name);

for (const p of selected) {
  await check(`pack @proj/${p}`, () => {
    const pj = readJson(path.join(pkgDir(p), 'package.json'));
    // built above; prepack would only run turbo again
    run('pnpm', ['pack', '--config.ignore-scripts=true', '--pack-destination', tarDir], { cwd: pkgDir(p) });
    const tgz = path.join(tarDir, `${pj.name.slice(1).replace('/', '-')}-${pj.version}.tgz`);
    const unpacked = path.join(tmp, 'unpacked', p);
    fs.mkdirSync(unpacked, { recursive: true });
    run('tar', ['-xzf', tgz, '-C', unpacked]);
    const dir = path.join(unpacked, 'package');
    const files = run('tar', ['-tzf', tgz])
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
    const manifest = readJson(path.join(dir, 'package.json'));
    packed[p] = { tgz, manifest, dir, files };

    const problems = [];
    for (const f of ['LICENSE', 'README.md', 'package.json'])
      if (!files.includes(f)) problems.push(`no ${f}`);
    const stray = files.filter((f) => !/^(dist\/|LICENSE$|README\.md$|package\.json$)/.test(f));
    if (stray.length) problems.push(`unexpected files: ${stray.slice(0, 5).join(', ')}`);
    const tests = files.filter((f) => /\.test\.|\.d\.ts\.map$/.test(f));
    if (tests.length) problems.push(`tests or declaration maps shipped: ${tests.slice(0, 5).join(', ')}`);
    const text = JSON.stringify(manifest);
    if (text.includes('"source"')) problems.push('the packed package.json still has a "source" condition');
    if (text.includes('workspace:')) problems.push('the packed package.json still has workspace: ranges');
    for (const t of [...exportTargets(manifest.exports), manifest.main, manifest.types]) {
      if (t && !fs.existsSync(path.join(dir, t))) problems.push(`exports target ${t} is not in the tarball`);
    }
    for (const f of files.filter((x) => x.endsWith('.js.map'))) {
      const map = readJson(path.join(dir, f));
      if (!map.sourcesContent?.every((s) => typeof s === 'string')) {
        problems.push(`${f} has no sourcesContent (its sources are not shipped)`);
        break;
      }
    }
    const readme = files.includes('README.md') ? fs.readFileSync(path.join(dir, 'README.md'), 'utf8') : '';
    const relative = [...readme.matchAll(/\]\(([^)#][^)]*)\)/g)]
      .map((m) => m[1])
      .filter((u) => !/^[a-z]+:/.test(u));
    if (relative.length) problems.push(`README links that break on npm: ${relative.join(', ')}`);
    if (fs.readFileSync(path.join(dir, 'LICENSE'), 'utf8') !== license)
      problems.push('LICENSE differs from the root');

    const publint = run(bin('publint'), ['run', tgz, '--strict'], { allowFail: true });
    if (publint.status !== 0)
      problems.push(`publint: ${publint.out.trim().split('\n').slice(2).join(' | ')}`);
    const suggestions = (publint.out.match(/^\s*\d+\. /gm) ?? []).length;
    // esm-only: Node >= 20.19 require()s ESM, which attw's TypeScript (node16 from CJS) predates
    const attw = run(bin('attw'), [tgz, '--profile', 'esm-only', '--format', 'ascii', '--no-color'], {
      allowFail: true,
    });
    if (attw.status !== 0) problems.push(`attw: ${attw.out.trim().split('\n').slice(-12).join(' | ')}`);
    if (problems.length) throw new Error(problems.join('; '));
    const size = fs.statSync(tgz).size;
    return `${files.length} files, ${mb(size)} packed; contents ok; publint ok${suggestions ? ` (${suggestions} suggestions)` : ''}; attw ok (esm-only)`;
  });
}

// ---- 4. clean consumers --------------------------------------------------------------------
const storeDir = run('pnpm', ['store', 'path']).trim();
const typesNode = readJson(path.join(root, 'node_modules/@types/node/package.json')).version;

/** Installs tarballs and registry packages (name@version) into a new project; returns its path. */
function install(name, tarballs, extra) {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  const dependencies = {};
  for (const p of tarballs) dependencies[packed[p].manifest.name] = `file:${packed[p].tgz}`;
  for (const spec of extra) {
    const at = spec.lastIndexOf('@');
    dependencies[spec.slice(0, at)] = spec.slice(at + 1);
  }
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: `proj-${name}`, private: true, type: 'module', dependencies }, null, 2)}\n`,
  );
  run(
    'pnpm',
    ['install', '--prefer-offline', '--store-dir', storeDir, '--config.confirmModulesPurge=false'],
    {
      cwd: dir,
      env: { ONNXRUNTIME_NODE_INSTALL: 'skip', CI: 'true' },
    },
  );
  return dir;
}

const installable = (list) => list.filter((p) => packed[p]);
const has = (...ps) => ps.every((p) => packed[p]);

if (!flag('--lint-only')) {
  // core + cpu + onnx with no ONNX Runtime at all: nothing pulls it in, the package still imports
  if (has('core', 'backend-cpu', 'backend-onnx')) {
    await check('consumer without onnxruntime', () => {
      const dir = install('no-runtime', ['core', 'backend-cpu', 'backend-onnx'], []);
      const ort = fs
        .readdirSync(path.join(dir, 'node_modules/.pnpm'))
        .filter((d) => d.startsWith('onnxruntime'));
      if (ort.length) throw new Error(`onnxruntime installed though nobody asked for it: ${ort.join(', ')}`);
      fs.copyFileSync(path.join(consumerFiles, 'no-runtime.mjs'), path.join(dir, 'no-runtime.mjs'));
      return `${mb(dirSize(path.join(dir, 'node_modules/.pnpm')))} installed; ${run('node', ['no-runtime.mjs'], { cwd: dir }).trim()}`;
    });
  }

  let dir;
  const ok = await check('consumer install', () => {
    dir = install('app', installable(selected), [...ORT, `@types/node@${typesNode}`]);
    for (const f of fs.readdirSync(consumerFiles))
      fs.copyFileSync(path.join(consumerFiles, f), path.join(dir, f));
    return `${installable(selected).length} tarballs + ${ORT.join(', ')} (pnpm store, --prefer-offline)`;
  });

  if (ok && has('core', 'backend-cpu', 'backend-onnx')) {
    await check('ESM script', () => run('node', ['esm.mjs'], { cwd: dir }).trim());
  }
  if (ok && has('core', 'backend-cpu')) {
    await check('CommonJS script', () => run('node', ['cjs.cjs'], { cwd: dir }).trim());
  }
  if (ok) {
    for (const resolution of ['node16', 'bundler']) {
      await check(`tsc strict (${resolution})`, () => typecheck(dir, resolution));
    }
    await check('browser bundle (esbuild)', () => bundle(dir));
  }
}

// ---- 5. install sizes (local, --sizes) ------------------------------------------------------
if (flag('--sizes')) await sizes();

const outArg = args.find((a) => a.startsWith('--out='));
if (outArg) {
  const out = path.resolve(outArg.slice('--out='.length));
  fs.mkdirSync(out, { recursive: true });
  for (const { tgz } of Object.values(packed)) fs.copyFileSync(tgz, path.join(out, path.basename(tgz)));
  console.log(`tarballs: ${out}`);
}
const total = ((Date.now() - t0) / 1000).toFixed(0);
if (failures.length) {
  console.log(`consumer-check: ${failures.length} failed (${failures.join(', ')}) in ${total} s`);
  process.exitCode = 1;
} else {
  console.log(`consumer-check: all passed in ${total} s`);
}

// ---- helpers ---------------------------------------------------------------------------------

function dirSize(d) {
  let n = 0;
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const f = path.join(d, e.name);
    if (e.isDirectory()) n += dirSize(f);
    else if (e.isFile()) n += fs.statSync(f).size;
  }
  return n;
}

/**
 * Compiles a file importing every entry point of every package (and usage.ts) with
 * `skipLibCheck: false`. node16: with Node's types; bundler: the browser-safe entries only,
 * without Node's types. No .d.ts of onnx-proto or the (optional) ONNX Runtimes may be loaded.
 */
function typecheck(dir, resolution) {
  const node = resolution === 'node16';
  const specifiers = [];
  for (const p of installable(selected)) {
    const { name, exports } = packed[p].manifest;
    for (const sub of Object.keys(exports ?? { '.': null })) {
      if (!node && /node/.test(sub)) continue;
      specifiers.push(sub === '.' ? name : `${name}/${sub.slice(2)}`);
    }
  }
  const entries = specifiers.map((s, i) => `import * as entry${i} from '${s}';`).join('\n');
  const file = `entries-${resolution}.ts`;
  fs.writeFileSync(
    path.join(dir, file),
    `${entries}\nexport const entries: object[] = [${specifiers.map((_, i) => `entry${i}`).join(', ')}];\n`,
  );
  const files = [file];
  if (has('core', 'backend-cpu', 'backend-onnx')) files.push('usage.ts');
  const compilerOptions = {
    strict: true,
    skipLibCheck: false,
    noEmit: true,
    target: 'ES2022',
    lib: node ? ['ES2022'] : ['ES2022', 'DOM'],
    types: node ? ['node'] : [],
    module: node ? 'node16' : 'esnext',
    moduleResolution: node ? 'node16' : 'bundler',
  };
  const tsconfig = `tsconfig-${resolution}.json`;
  fs.writeFileSync(path.join(dir, tsconfig), JSON.stringify({ compilerOptions, files }, null, 2));
  const r = run(bin('tsc'), ['-p', tsconfig, '--listFiles'], { cwd: dir, allowFail: true });
  const lines = r.out.split('\n');
  const errors = lines.filter((l) => /error TS\d+/.test(l));
  const gapOf = (l) => Object.keys(KNOWN_TYPE_GAPS).find((pkg) => l.includes(`/node_modules/${pkg}/`));
  const unknown = errors.filter((l) => !gapOf(l));
  if (unknown.length || (r.status !== 0 && errors.length === 0))
    throw new Error(
      `${unknown.length} errors: ${(unknown.length ? unknown : lines).slice(0, 6).join(' | ')}`,
    );
  const gaps = [...new Set(errors.map(gapOf))].map((pkg) => {
    const n = errors.filter((l) => gapOf(l) === pkg).length;
    return `; known: ${n} errors in ${pkg} (${KNOWN_TYPE_GAPS[pkg]})`;
  });
  const loaded = lines.filter((l) => l.endsWith('.d.ts'));
  const forbidden = loaded.filter((l) => /node_modules\/(onnx-proto|onnxruntime-|protobufjs)/.test(l));
  if (forbidden.length) throw new Error(`loads optional/unsafe types: ${forbidden.slice(0, 3).join(', ')}`);
  const ours = loaded.filter((l) => /node_modules\/(\.pnpm\/)?@proj\+|node_modules\/@proj\//.test(l)).length;
  const clean = errors.length ? `0 errors in ours${gaps.join('')}` : '0 errors';
  return `${specifiers.length} entry points${files.length > 1 ? ' + usage.ts' : ''}, ${ours} of our .d.ts files, skipLibCheck false: ${clean}`;
}

/** Resolves esbuild: the root's, or the gpujs package's (a dev dependency there). */
async function loadEsbuild() {
  for (const from of [root, pkgDir('backend-gpujs'), path.join(root, 'apps/playground')]) {
    const dir = path.join(from, 'node_modules/esbuild');
    if (fs.existsSync(dir)) return (await import(path.join(dir, 'lib/main.js'))).default;
  }
  throw new Error('esbuild is not installed (root devDependency)');
}

/**
 * Bundles core + cpu + onnx (+ vision and plot) for browsers with esbuild and checks that no
 * Node built-in module is imported, and that onnxruntime-web comes in as its wasm-only build.
 */
async function bundle(dir) {
  const esbuild = await loadEsbuild();
  const extra = installable(['vision', 'plot']).map((p) => packed[p].manifest.name);
  const entry = [
    "import './browser-entry.mjs';",
    ...extra.map((name, i) => `import * as extra${i} from '${name}';`),
    `globalThis.__projEntries = [${extra.map((_, i) => `extra${i}`).join(', ')}];`,
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'bundle-entry.mjs'), entry);
  const result = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: ['bundle-entry.mjs'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    outfile: path.join(dir, 'out/bundle.js'),
    metafile: true,
    logLevel: 'silent',
    // onnxruntime-web's wasm files are fetched at run time, not bundled
    loader: { '.wasm': 'file' },
  });
  const inputs = Object.keys(result.metafile.inputs);
  const externals = Object.values(result.metafile.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external)
    .map((i) => i.path);
  const nodeImports = externals.filter((p) => p.startsWith('node:') || !p.startsWith('.'));
  if (nodeImports.length) throw new Error(`the bundle imports ${nodeImports.join(', ')}`);
  const code = fs.readFileSync(path.join(dir, 'out/bundle.js'), 'utf8');
  const literal = code.match(
    /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)["']node:[^"']+["']/g,
  );
  if (literal) throw new Error(`the bundle imports ${[...new Set(literal)].join(', ')}`);
  const onnxEntry = inputs.find((i) => i.includes('backend-onnx') && i.endsWith('dist/browser.js'));
  const nodeEntry = inputs.find((i) => i.includes('backend-onnx') && i.endsWith('dist/index.js'));
  if (!onnxEntry || nodeEntry) throw new Error("@proj/backend-onnx's browser entry was not the one bundled");
  const ort = inputs.filter((i) => i.includes('onnxruntime-web')).map((i) => path.basename(i));
  if (!ort.every((f) => /^ort\.wasm\./.test(f) || f.endsWith('.wasm')))
    throw new Error(`onnxruntime-web is not its wasm-only build: ${ort.join(', ')}`);
  const wasm = fs.readdirSync(path.join(dir, 'out')).filter((f) => f.endsWith('.wasm'));
  const names = ['@proj/core', '@proj/backend-cpu', '@proj/backend-onnx', ...extra].join(' + ');
  return `${names}: ${mb(code.length)} of JS (${ort.join(', ')}${wasm.length ? `, ${wasm.length} .wasm asset` : ''}), no node: import`;
}

/** npm-installs each package set into a fresh project and prints its size and time (--sizes). */
async function sizes() {
  const sets = [
    ['core + cpu', ['core', 'backend-cpu'], []],
    ['core + cpu + gpujs', ['core', 'backend-cpu', 'backend-gpujs'], []],
    ['core + cpu + onnx (no runtime)', ['core', 'backend-cpu', 'backend-onnx'], []],
    ['core + cpu + onnx + onnxruntime-node', ['core', 'backend-cpu', 'backend-onnx'], [ORT[0]]],
    ['core + cpu + onnx + onnxruntime-web', ['core', 'backend-cpu', 'backend-onnx'], [ORT[1]]],
    ['core + cpu + onnx + both runtimes (as before)', ['core', 'backend-cpu', 'backend-onnx'], ORT],
  ];
  for (const [label, pkgs, extra] of sets) {
    if (!has(...pkgs)) continue;
    await check(`npm install ${label}`, () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'npm-'));
      fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"sizes","private":true,"type":"module"}\n');
      const start = Date.now();
      const r = run(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
          ...pkgs.map((p) => packed[p].tgz),
          ...extra,
        ],
        { cwd: dir, env: { ONNXRUNTIME_NODE_INSTALL: 'skip' }, allowFail: true },
      );
      const seconds = ((Date.now() - start) / 1000).toFixed(1);
      if (r.status !== 0)
        throw new Error(
          `npm install failed after ${seconds} s: ${r.out.trim().split('\n').slice(-4).join(' | ')}`,
        );
      const count = (r.out.match(/added (\d+) packages?/) ?? [])[1];
      return `${mb(dirSize(path.join(dir, 'node_modules')))} in node_modules, ${count} packages, ${seconds} s`;
    });
  }
}
