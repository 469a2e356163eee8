// `pnpm docs`: the API site of every published package, in docs/api (git-ignored).
// One TypeScript program over the packages' sources (the `source` export condition, as the
// packages' own tsconfigs use), so nothing needs building first. Type errors are `pnpm
// typecheck`'s job (skipErrorChecking); any TypeDoc warning fails the run.
import { entryPoints } from './entry-points.mjs';

const entries = entryPoints();

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: '@proj',
  entryPoints: entries.map((e) => e.file),
  tsconfig: './tsconfig.json',
  plugin: ['./module-names.mjs', './referenced-exports.mjs', './table-methods.mjs', './required-docs.mjs'],
  out: '../../docs/api',
  readme: '../../README.md',
  projectDocuments: ['../../docs/*.md'],
  skipErrorChecking: true,
  excludeInternal: true,
  excludePrivate: true,
  disableSources: true,
  sort: ['kind', 'instance-first', 'alphabetical-ignoring-documents'],
  treatWarningsAsErrors: true,
  // notExported covers every package here (referenced-exports.mjs); notDocumented is enforced
  // per folder (required-docs.mjs): every published package's sources now.
  validation: { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: false },
  requireDocsIn: [
    '@proj/core/src/',
    '@proj/backend-cpu/src/',
    '@proj/backend-gpujs/src/',
    '@proj/backend-onnx/src/',
    '@proj/backend-webgpu/src/',
    '@proj/vision/src/',
    '@proj/plot/src/',
  ],
  // Unexported types that documented symbols may refer to (none now): the check fails on a
  // line that is no longer needed, so this list only shrinks.
  notExportedAllowed: [],
  highlightLanguages: [
    'bash',
    'console',
    'css',
    'html',
    'javascript',
    'json',
    'python',
    'sh',
    'tsx',
    'typescript',
    'yaml',
  ],
  logLevel: 'Warn',
};
