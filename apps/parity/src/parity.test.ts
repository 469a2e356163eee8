// A small slice of the catalogue on cpu and onnx: the runner, the comparisons and the report
// structure. The full run is `pnpm parity`.
import { describe, expect, it } from 'vitest';
import { loadBackends } from './backends.js';
import { catalogue, selectCases } from './catalogue/index.js';
import { compareOutputs } from './compare.js';
import { buildReport } from './report/build.js';
import { htmlReport } from './report/html.js';
import { terminalReport } from './report/terminal.js';
import { runCases } from './runner.js';
import { PRESETS } from './tolerances.js';
import type { Case } from './types.js';

const PICK = [
  'op/add/broadcast_row',
  'op/matmul/broadcast_batch_4d_3d',
  'op/sum/dim1_2d_keepdim',
  'op/relu/noncontiguous',
  'op/erf/transposed',
  'functional/crossEntropy/labelSmoothing=0.2',
  'layer/conv2d/basic',
  'layer/lstm/basic',
  'optim/adam_plain',
  'model/mlp/adam',
];

describe('parity app', () => {
  it('the catalogue has unique ids, every family, and a run function per case', () => {
    const cases = catalogue(() => null);
    const ids = cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const families = new Set(cases.map((c) => c.family));
    expect([...families].sort()).toEqual([
      'compiled',
      'export',
      'functional',
      'layer',
      'model',
      'op',
      'optim',
    ]);
    for (const c of cases) expect(Object.keys(PRESETS)).toContain(c.tolerance);
    for (const id of PICK) expect(ids, id).toContain(id);
    expect(selectCases(cases, 'model').every((c) => c.family === 'model')).toBe(true);
    expect(selectCases(cases, 'lstm').length).toBeGreaterThan(3);
  });

  it('compareOutputs measures errors and fails outside the tolerance', () => {
    const want = { out: { shape: [3], data: [1, 2, 0] } };
    const near = compareOutputs({ out: { shape: [3], data: [1 + 1e-6, 2, 1e-7] } }, want, PRESETS.op);
    expect(near.pass).toBe(true);
    expect(near.maxAbs).toBeCloseTo(1e-6, 12);
    const far = compareOutputs({ out: { shape: [3], data: [1.001, 2, 0] } }, want, PRESETS.op);
    expect(far.pass).toBe(false);
    expect(far.worst).toMatch(/^out\[0\]/);
    expect(compareOutputs({ out: { shape: [1, 3], data: [1, 2, 0] } }, want, PRESETS.op).pass).toBe(false);
    expect(compareOutputs({}, want, PRESETS.op).pass).toBe(false);
    const exact = { i: { shape: [1], data: [3], exact: true } };
    expect(compareOutputs({ i: { shape: [1], data: [3 + 1e-9] } }, exact, PRESETS.op).pass).toBe(false);
  });

  it('runs a subset on cpu and onnx and reports it in the table, JSON and HTML', async () => {
    const { targets } = await loadBackends(['cpu', 'onnx']);
    const onnx = targets.find((t) => t.name === 'onnx')!;
    expect(onnx.started, onnx.detail).toBe(true);
    const cases = catalogue(() => null).filter((c) => PICK.includes(c.id));
    // a deliberately wrong case must be caught as a mismatch against its expected values
    const wrong: Case = {
      id: 'op/selftest/wrong_expected',
      family: 'op',
      tolerance: 'op',
      expected: { out: { shape: [1], data: [1] } },
      run: () => ({ out: { shape: [1], data: [1.01] } }),
    };
    const results = await runCases(
      [...cases, wrong],
      targets.filter((t) => t.kind === 'backend'),
    );
    const report = buildReport(results, targets, ['cpu', 'onnx'], {
      startedAt: new Date(),
      seconds: 1,
      argv: ['test'],
    });
    for (const r of results.filter((x) => x.id !== wrong.id)) {
      for (const [name, cell] of Object.entries(r.cells)) {
        expect(
          cell.status,
          `${r.id} @ ${name}: ${cell.message ?? cell.vsCpu?.worst ?? cell.vsTorch?.worst}`,
        ).toBe('pass');
      }
      expect(r.cells.onnx?.vsCpu, r.id).toBeDefined();
      const fromFixture = cases.find((c) => c.id === r.id)!.expected !== undefined;
      expect(r.cells.cpu?.vsTorch !== undefined, r.id).toBe(fromFixture);
      expect(r.cells.cpu?.leaked, r.id).toBe(0);
    }
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([
      expect.stringMatching(/^op\/selftest\/wrong_expected @ cpu: vs PyTorch out\[0\]/),
      expect.stringMatching(/^op\/selftest\/wrong_expected @ onnx: vs PyTorch/),
    ]);
    expect(report.summary.cpu).toEqual({ pass: PICK.length, fail: 1, error: 0, skip: 0 });
    const json = JSON.parse(JSON.stringify(report));
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['targets', 'tolerances', 'results', 'summary', 'failures', 'ok', 'seconds']),
    );
    const text = terminalReport(report);
    expect(text).toContain('layer/conv2d/basic');
    expect(text).toMatch(/PARITY FAILED/);
    const html = htmlReport(report);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<td>optim/adam_plain</td>');
    expect(html).not.toMatch(/<(script|link)[^>]+src=/);
  });
});
