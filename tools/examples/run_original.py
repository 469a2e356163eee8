#!/usr/bin/env python3
"""Runs one of PyTorch's original examples (pytorch/examples) unchanged, on torch 1.13, single
threaded, with the stand-ins it needs here, and prints one JSON line `@@RESULT {...}` with the
wall and CPU seconds of the run (imports excluded) for compare.py.

    run_original.py EXAMPLE [harness flags] -- [the original's own flags]

Harness flags (they mirror the TypeScript ports' `ours` flags, so both sides see the same data):
  --limit N / --test-limit N   the first N items of the 1st / 2nd DataLoader's dataset
                               (torch.utils.data.Subset, as the ports' --limit)
  --length L                   time_sequence_prediction: the first L steps of each wave
  --max-iter K                 time_sequence_prediction: LBFGS max_iter
  --seed S                     regression: torch.manual_seed(S) first (the original is unseeded)
  --pair-seed S                siamese_network: random.seed(S) (the original is unseeded)
  --token-limit N              word_language_model: the first N tokens of each split
  --repo PATH                  the pytorch/examples git directory or checkout
                               (default /work/.mirror/pytorch+examples/repo)

Stand-ins: torchvision (not installed; tools/examples/pyshim), matplotlib (a no-op when missing),
torch.accelerator (absent in 1.13: reports no accelerator), torch.serialization.safe_globals
(absent in 1.13: a no-op context) and, under NumPy 1, np.array's NumPy 2 `copy=None`.
"""
import argparse
import contextlib
import json
import os
import random
import runpy
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))

# Which files each example needs, and which one runs.
EXAMPLES = {
    'mnist': ('mnist', ['main.py'], 'main.py'),
    'regression': ('regression', ['main.py'], 'main.py'),
    'time_sequence_prediction': ('time_sequence_prediction', ['generate_sine_wave.py', 'train.py'], 'train.py'),
    'vae': ('vae', ['main.py'], 'main.py'),
    'dcgan': ('dcgan', ['main.py'], 'main.py'),
    'mnist_rnn': ('mnist_rnn', ['main.py'], 'main.py'),
    'word_language_model': ('word_language_model', ['main.py', 'model.py', 'data.py'], 'main.py'),
    'siamese_network': ('siamese_network', ['main.py'], 'main.py'),
}


def read_source(repo, path):
    if os.path.isdir(os.path.join(repo, '.git')) or not os.path.exists(os.path.join(repo, path)):
        return subprocess.run(['git', '-C', repo, 'show', f'HEAD:{path}'], check=True, capture_output=True, text=True).stdout
    with open(os.path.join(repo, path), encoding='utf8') as f:
        return f.read()


def install_shims():
    sys.path.insert(0, os.path.join(HERE, 'pyshim'))
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        sys.path.insert(0, os.path.join(HERE, 'pyshim-matplotlib'))
    import torch
    if not hasattr(torch, 'accelerator'):
        class _Accelerator:
            @staticmethod
            def is_available():
                return False
        torch.accelerator = _Accelerator()
    if not hasattr(torch.serialization, 'safe_globals'):
        torch.serialization.safe_globals = lambda *a, **k: contextlib.nullcontext()
    import numpy as np
    if int(np.__version__.split('.')[0]) < 2:
        # NumPy 2's np.array(..., copy=None) ("copy if needed") is NumPy 1's copy=False.
        array = np.array

        def array_v2(*args, copy=True, **kwargs):
            return array(*args, copy=False if copy is None else copy, **kwargs)
        np.array = array_v2


def limit_loaders(limits):
    """The n-th DataLoader built gets Subset(dataset, range(limits[n])) when limits[n] is set."""
    import torch.utils.data as tud
    original = tud.DataLoader
    count = [0]

    class LimitedDataLoader(original):
        def __init__(self, dataset, *args, **kwargs):
            n = limits[count[0]] if count[0] < len(limits) else None
            count[0] += 1
            if n is not None:
                dataset = tud.Subset(dataset, range(min(n, len(dataset))))
            super().__init__(dataset, *args, **kwargs)

    tud.DataLoader = LimitedDataLoader


def main():
    argv = sys.argv[1:]
    own, script_argv = (argv[:argv.index('--')], argv[argv.index('--') + 1:]) if '--' in argv else (argv, [])
    p = argparse.ArgumentParser(description='Run an original PyTorch example under the stand-ins')
    p.add_argument('example', choices=sorted(EXAMPLES))
    p.add_argument('--limit', type=int)
    p.add_argument('--test-limit', type=int)
    p.add_argument('--length', type=int)
    p.add_argument('--max-iter', type=int)
    p.add_argument('--seed', type=int)
    p.add_argument('--pair-seed', type=int)
    p.add_argument('--token-limit', type=int)
    p.add_argument('--repo', default='/work/.mirror/pytorch+examples/repo')
    a = p.parse_args(own)

    install_shims()
    import torch
    torch.set_num_threads(1)

    folder, files, entry = EXAMPLES[a.example]
    work = tempfile.mkdtemp(prefix=f'orig-{a.example}-')
    for f in files:
        with open(os.path.join(work, f), 'w', encoding='utf8') as out:
            out.write(read_source(a.repo, f'{folder}/{f}'))
    os.makedirs(os.path.join(work, 'results'), exist_ok=True)
    os.chdir(work)
    sys.path.insert(0, work)

    limit_loaders([a.limit, a.test_limit])
    if a.example == 'time_sequence_prediction':
        runpy.run_path('generate_sine_wave.py', run_name='__main__')
        if a.length is not None:
            data = torch.load('traindata.pt')
            torch.save(data[:, :a.length], open('traindata.pt', 'wb'))
        if a.max_iter is not None:
            base = torch.optim.LBFGS

            class LBFGS(base):
                def __init__(self, params, **kw):
                    super().__init__(params, **{**kw, 'max_iter': a.max_iter})
            torch.optim.LBFGS = LBFGS
    if a.seed is not None:
        torch.manual_seed(a.seed)
    if a.pair_seed is not None:
        random.seed(a.pair_seed)
    if a.token_limit is not None:
        import data as wlm_data
        tokenize = wlm_data.Corpus.tokenize

        def limited(self, path):
            ids = tokenize(self, path)
            return ids[:a.token_limit]
        wlm_data.Corpus.tokenize = limited

    sys.argv = [entry, *script_argv]
    wall, cpu = time.perf_counter(), time.process_time()
    runpy.run_path(entry, run_name='__main__')
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print('@@RESULT ' + json.dumps({'wall': wall, 'cpu': cpu, 'threads': torch.get_num_threads(), 'torch': torch.__version__}), flush=True)


if __name__ == '__main__':
    main()
