// The op table's mechanism (ops/table.ts): registration, method installation, typed methods
// that carry their function's TSDoc.
import '@proj/backend-cpu';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { cumsum, type Tensor, tensor } from '../index.js';
import { c, defineOps, OP_TABLE, t } from './table.js';

describe('the op table', () => {
  it('makes each entry a method calling the function with the tensor first', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(x.cumsum(1).toArray()).toEqual(cumsum(x, 1).toArray());
    expect(x.cumsum(0, { dtype: 'float64' }).dtype).toBe('float64');
    // typed methods of several areas (checked by tsc: these lines compile)
    const y: Tensor = x
      .atan2(x)
      .add(x.nanToNum({ posinf: 1 }))
      .add(x.div(x, { roundingMode: 'floor' }));
    const { min, max } = x.aminmax({ dim: 1 });
    const [std, mean] = x.stdMean(1);
    expect([y.shape, min.shape, max.shape, std.shape, mean.shape]).toEqual([[2, 2], [2], [2], [2], [2]]);
  });

  it('refuses a second registration, duplicate case labels and a clash with a hand-written method', () => {
    expect(() => defineOps({ cumsum: { fn: cumsum, cases: [] } })).toThrow(/'cumsum' is registered twice/);
    const f = (x: Tensor) => x;
    expect(() => defineOps({ tableTestDup: { fn: f, cases: [c('a', [t([1])]), c('a', [t([2])])] } })).toThrow(
      /two cases labelled 'a'/,
    );
    expect(() => defineOps({ matmul: { fn: f, cases: [] } })).toThrow(/already has a method 'matmul'/);
  });

  it('registers every area (names unique, each with cases)', () => {
    const names = [...OP_TABLE.keys()];
    expect(new Set(names).size).toBe(names.length);
    for (const op of OP_TABLE.values()) expect(op.cases.length, op.name).toBeGreaterThan(0);
  });

  it("types the methods (overloads kept) and shows each function's TSDoc on its method", () => {
    // A language service over a probe file that calls two methods: their quick info carries
    // the TSDoc written on the functions cumsum (cumulative.ts) and atan2 (trig.ts).
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const probe = `${dir}__probe__.ts`;
    const text = [
      "import { tensor } from '../index.js';",
      'const x = tensor([1]);',
      'x.cumsum(0);',
      'x.atan2(x);',
      // overloaded functions keep every overload as methods
      "x.cumsum({ dim: 0, dtype: 'float64' });",
      'x.flip([0]);',
      'x.flip({ dims: 0 });',
      'x.logcumsumexp(0);',
      '',
    ].join('\n');
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      skipLibCheck: true,
      types: [],
    };
    const host: ts.LanguageServiceHost = {
      getScriptFileNames: () => [probe],
      getScriptVersion: () => '1',
      getScriptSnapshot: (f) =>
        f === probe
          ? ts.ScriptSnapshot.fromString(text)
          : ts.sys.fileExists(f)
            ? ts.ScriptSnapshot.fromString(readFileSync(f, 'utf8'))
            : undefined,
      getCurrentDirectory: () => dir,
      getCompilationSettings: () => options,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => f === probe || ts.sys.fileExists(f),
      readFile: (f) => (f === probe ? text : ts.sys.readFile(f)),
    };
    const service = ts.createLanguageService(host);
    const doc = (method: string): string => {
      const info = service.getQuickInfoAtPosition(probe, text.indexOf(`x.${method}`) + 2);
      return ts.displayPartsToString(info?.documentation ?? []);
    };
    const errors = service
      .getSemanticDiagnostics(probe)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
    expect(errors).toEqual([]);
    expect(doc('cumsum')).toMatch(/^The running sum along `dim`/);
    expect(doc('atan2')).toMatch(/^The angle of the point/);
  }, 60_000);
});
