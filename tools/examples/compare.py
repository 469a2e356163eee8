#!/usr/bin/env python3
"""Runs each ported PyTorch example twice, back to back, on the same data subset with the same
hyperparameters and epochs: the Python original (torch 1.13, one thread, run_original.py) and
the TypeScript port (apps/examples/src/examples/pytorch-<name>, CPU backend, measure.ts). Prints
the metric each prints and the seconds (wall and CPU) of each run, as a Markdown table.

    /usr/bin/python3 tools/examples/compare.py                 # every example
    /usr/bin/python3 tools/examples/compare.py mnist vae       # some
    /usr/bin/python3 tools/examples/compare.py --json out.json # also write the raw numbers

Seconds cover the run itself (data loading, training, testing), not interpreter start or
imports. Both sides are single-threaded; on a busy machine wall time grows, CPU time less so.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
EXAMPLES_APP = os.path.join(ROOT, 'apps', 'examples')
WIKITEXT = os.path.join(EXAMPLES_APP, 'data', 'wikitext-2-slice')


def last(pattern, text, cast=float):
    found = re.findall(pattern, text)
    if not found:
        return None
    v = found[-1]
    return tuple(cast(x) for x in v) if isinstance(v, tuple) else cast(v)


def mnist_metrics(out):
    m = last(r'Test set: Average loss: ([\d.]+), Accuracy: (\d+)/(\d+)', out)
    return None if m is None else {'test loss': m[0], 'test accuracy': m[1] / m[2]}


def regression_metrics(out):
    m = last(r'Loss: ([\d.]+) after (\d+) batches', out)
    return None if m is None else {'final loss': m[0], 'batches to converge': int(m[1])}


def time_sequence_metrics(out):
    losses = [float(x) for x in re.findall(r'^loss:? ([\d.e-]+)', out, re.M)]
    test = last(r'test loss:? ([\d.e-]+)', out)
    return None if test is None else {'first train loss': losses[0], 'last train loss': losses[-1],
                                      'closure calls': len(losses), 'test loss': test}


def vae_metrics(out):
    tr = last(r'====> Epoch: \d+ Average loss: ([\d.]+)', out)
    te = last(r'====> Test set loss: ([\d.]+)', out)
    return None if te is None else {'train loss/image': tr, 'test loss/image': te}


def dcgan_metrics(out):
    rows = re.findall(r'Loss_D: ([\d.]+) Loss_G: ([\d.]+) D\(x\): ([\d.]+) D\(G\(z\)\): ([\d.]+) / ([\d.]+)', out)
    if not rows:
        return None
    tail = [tuple(map(float, r)) for r in rows[-5:]]
    mean = lambda k: sum(r[k] for r in tail) / len(tail)  # noqa: E731
    return {'iterations': len(rows), 'Loss_D (mean of last 5)': mean(0), 'Loss_G (last 5)': mean(1),
            'D(x) (last 5)': mean(2), 'D(G(z)) (last 5)': mean(3)}


def wlm_metrics(out):
    v = last(r'valid loss\s+([\d.]+) \| valid ppl\s+([\d.]+)', out)
    t = last(r'test loss\s+([\d.]+) \| test ppl\s+([\d.]+)', out)
    return None if t is None else {'valid ppl': v[1], 'test ppl': t[1]}


# name: (TypeScript port, harness flags for the original, the original's own flags, metrics).
# The ports take the original's flags plus their `ours` flags (--limit, ...), which the
# harness applies to the original the same way.
CONFIGS = {
    'mnist': ('mnist', ['--limit', '2000', '--test-limit', '1000'], ['--epochs', '1'],
              ['--limit', '2000', '--test-limit', '1000'], mnist_metrics),
    'regression': ('regression', ['--seed', '1'], [], ['--seed', '1'], regression_metrics),
    'time_sequence_prediction': ('time-sequence-prediction', ['--length', '200'], ['--steps', '1'],
                                 ['--length', '200', '--no-plot'], time_sequence_metrics),
    'vae': ('vae', ['--limit', '2000', '--test-limit', '1000'], ['--epochs', '1'],
            ['--limit', '2000', '--test-limit', '1000'], vae_metrics),
    'dcgan': ('dcgan', ['--limit', '640'],
              ['--dataset', 'mnist', '--dataroot', '../data', '--ngf', '16', '--ndf', '16', '--niter', '1',
               '--manualSeed', '1', '--workers', '0'], ['--limit', '640'], dcgan_metrics),
    'mnist_rnn': ('mnist-rnn', ['--limit', '2000', '--test-limit', '1000'], ['--epochs', '1'],
                  ['--limit', '2000', '--test-limit', '1000'], mnist_metrics),
    'word_language_model': ('word-language-model', [], ['--epochs', '1', '--data', WIKITEXT], [],
                            wlm_metrics),
    'siamese_network': ('siamese-network', ['--limit', '256', '--test-limit', '256', '--pair-seed', '1'],
                        ['--epochs', '1'], ['--limit', '256', '--test-limit', '256', '--pair-seed', '1'],
                        mnist_metrics),
}


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    out = p.stdout + p.stderr
    m = re.search(r'^@@RESULT (.*)$', out, re.M)
    if p.returncode != 0 or not m:
        return {'error': out[-3000:]}, out
    return json.loads(m.group(1)), out


def compare(name, repo):
    port, harness, original_flags, ours, metrics = CONFIGS[name]
    py, py_out = run([sys.executable, os.path.join(HERE, 'run_original.py'), name, '--repo', repo, *harness, '--',
                      *original_flags], ROOT)
    ts, ts_out = run(['pnpm', '-s', 'exec', 'tsx', '--conditions=source', 'src/pytorch/measure.ts', port,
                      *original_flags, *ours], EXAMPLES_APP)
    return {
        'example': name,
        'flags': ' '.join(original_flags).replace(WIKITEXT, '<wikitext-2-slice>'),
        'subset': ' '.join(ours),
        'python': {**py, 'metrics': metrics(py_out) if 'error' not in py else None},
        'typescript': {**{k: v for k, v in ts.items() if k != 'result'},
                       'metrics': metrics(ts_out) if 'error' not in ts else None},
    }


def fmt(v):
    if v is None:
        return '—'
    if isinstance(v, int):
        return str(v)
    return f'{v:.4g}' if abs(v) < 1000 and v != 0 and not math.isclose(v, round(v)) else f'{v:.6g}'


def secs(s):
    return f'{s:.2f}' if s < 10 else f'{s:.1f}'


def table(rows):
    lines = ['| example | flags (both) | metric | PyTorch 1.13 | port | PyTorch s (wall / CPU) | port s (wall / CPU) | CPU ratio |',
             '| --- | --- | --- | --- | --- | --- | --- | --- |']
    for r in rows:
        py, ts = r['python'], r['typescript']
        if 'error' in py or 'error' in ts:
            which = 'python' if 'error' in py else 'port'
            lines.append(f"| {r['example']} | {r['flags']} {r['subset']} | {which} failed | | | | | |")
            continue
        keys = list((py['metrics'] or {}).keys())
        for i, k in enumerate(keys):
            head = f"| {r['example']} | {r['flags']} {r['subset']} " if i == 0 else '| | '
            times = (f"| {secs(py['wall'])} / {secs(py['cpu'])} | {secs(ts['wall'])} / {secs(ts['cpu'])} | {ts['cpu'] / py['cpu']:.1f}x |"
                     if i == 0 else '| | | |')
            lines.append(f"{head}| {k} | {fmt(py['metrics'][k])} | {fmt((ts['metrics'] or {}).get(k))} {times}")
    return '\n'.join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('examples', nargs='*', choices=[[], *CONFIGS], default=[])
    p.add_argument('--repo', default='/work/.mirror/pytorch+examples/repo', help='pytorch/examples git dir or checkout')
    p.add_argument('--json', help='also write the raw results here')
    a = p.parse_args()
    rows = []
    for name in a.examples or list(CONFIGS):
        print(f'running {name} ...', file=sys.stderr, flush=True)
        rows.append(compare(name, a.repo))
        r = rows[-1]
        for side in ('python', 'typescript'):
            if 'error' in r[side]:
                print(f'{name} ({side}) failed:\n{r[side]["error"]}', file=sys.stderr)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(rows, f, indent=2)
    print(table(rows))


if __name__ == '__main__':
    main()
