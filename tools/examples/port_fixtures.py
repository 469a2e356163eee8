#!/usr/bin/env python3
"""Reference numbers for the PyTorch ports: each original's own classes (read from the
pytorch/examples sources, nothing else of the script runs), given the same weights and inputs
as the port's test gives its classes, run the same few training steps as the original's loop;
the printed numbers (losses, D(x), closure losses, ...) and a few parameter sums are written to
apps/examples/fixtures/pytorch-ports.json. Dropout is replaced by p = 0 where a model has it (its
masks come from different generators), everything else is the original's code and optimizer.

Weights and inputs come from a formula both sides evaluate (no weights are stored):
parameter k (in named_parameters order), element i: bound * sin(0.731 i + 1.37 k + 0.5), with
bound = 1 / sqrt(fan_in) for matrices and kernels, 0.5 for vectors; inputs likewise from
`wave(n, phase, scale)`. apps/examples/src/pytorch/formula.ts is the TypeScript side.

    /usr/bin/python3 tools/examples/port_fixtures.py [--repo PATH]
"""
import argparse
import ast
import json
import math
import os
import subprocess
import sys
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
OUT = os.path.join(ROOT, 'apps', 'examples', 'fixtures', 'pytorch-ports.json')
sys.path.insert(0, os.path.join(HERE, 'pyshim'))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import torch.optim as optim  # noqa: E402
import torchvision  # noqa: E402  (the stand-in)

torch.set_num_threads(1)


def source(repo, path):
    return subprocess.run(['git', '-C', repo, 'show', f'HEAD:{path}'], check=True, capture_output=True, text=True).stdout


def definitions(repo, path, names, extra=None):
    """The named top-level classes and functions of an example file, without running the rest."""
    g = {'torch': torch, 'nn': nn, 'F': F, 'optim': optim, 'math': math, 'torchvision': torchvision, **(extra or {})}
    for node in ast.parse(source(repo, path)).body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)) and node.name in names:
            exec(compile(ast.Module([node], []), path, 'exec'), g)
    return g


def wave(n, phase, scale=1.0):
    i = np.arange(n, dtype=np.float64)
    return scale * np.sin(0.731 * i + phase)


def formula_init(model):
    with torch.no_grad():
        for k, (_, p) in enumerate(model.named_parameters()):
            bound = 1 / math.sqrt(p.numel() // p.shape[0]) if p.dim() > 1 else 0.5
            v = wave(p.numel(), 1.37 * k + 0.5, bound)
            p.copy_(torch.from_numpy(v).view(p.shape).to(p.dtype))


def sums(t):
    t = t.detach().double()
    return [float(t.sum()), float(t.pow(2).sum())]


def mnist_cases(repo):
    g = definitions(repo, 'mnist/main.py', ['Net'])
    model = g['Net']()
    formula_init(model)
    model.dropout1, model.dropout2 = nn.Dropout(0), nn.Dropout(0)
    x = torch.from_numpy(wave(3 * 8 * 784, 0.3, 1.5)).float().view(3, 8, 1, 28, 28)
    y = torch.tensor([[i % 10 for i in range(8 * b, 8 * b + 8)] for b in range(3)])
    optimizer = optim.Adadelta(model.parameters(), lr=1.0)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)
    losses = []
    model.train()
    for b in range(2):
        optimizer.zero_grad()
        loss = F.nll_loss(model(x[b]), y[b])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        scheduler.step()
    model.eval()
    with torch.no_grad():
        out = model(x[2])
    return {'losses': losses, 'testLossSum': F.nll_loss(out, y[2], reduction='sum').item(),
            'pred': out.argmax(dim=1).tolist(), 'fc1Weight': sums(model.fc1.weight)}


def mnist_rnn_cases(repo):
    g = definitions(repo, 'mnist_rnn/main.py', ['Net'])
    model = g['Net']()
    formula_init(model)
    model.dropout1, model.dropout2 = nn.Dropout2d(0), nn.Dropout2d(0)
    x = torch.from_numpy(wave(3 * 8 * 784, 0.9, 1.5)).float().view(3, 8, 1, 28, 28)
    y = torch.tensor([[(3 * i) % 10 for i in range(8 * b, 8 * b + 8)] for b in range(3)])
    optimizer = optim.Adadelta(model.parameters(), lr=0.1)
    losses = []
    model.train()
    for b in range(2):
        optimizer.zero_grad()
        loss = F.nll_loss(model(x[b]), y[b])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        out = model(x[2])
    return {'losses': losses, 'testLossSum': F.nll_loss(out, y[2], reduction='sum').item(),
            'runningMean': model.batchnorm.running_mean.tolist(), 'rnnWeight': sums(model.rnn.weight_hh_l0)}


def vae_cases(repo):
    g = definitions(repo, 'vae/main.py', ['VAE', 'loss_function'])
    model = g['VAE']()
    formula_init(model)
    x = torch.from_numpy(0.5 + 0.5 * wave(4 * 784, 0.2)).float().view(4, 1, 28, 28)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(2):
        optimizer.zero_grad()
        mu, logvar = model.encode(x.view(-1, 784))
        recon = model.decode(mu)  # reparameterize's noise set to 0: z = mu
        loss = g['loss_function'](recon, x, mu, logvar)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return {'losses': losses, 'fc4Weight': sums(model.fc4.weight)}


def dcgan_cases(repo):
    nz, ngf, ndf, nc = 8, 4, 4, 1
    g = definitions(repo, 'dcgan/main.py', ['Generator', 'Discriminator', 'weights_init'],
                    {'nz': nz, 'ngf': ngf, 'ndf': ndf, 'nc': nc})
    netG, netD = g['Generator'](1), g['Discriminator'](1)
    formula_init(netG)
    formula_init(netD)
    criterion = nn.BCELoss()
    optimizerD = optim.Adam(netD.parameters(), lr=0.0002, betas=(0.5, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=0.0002, betas=(0.5, 0.999))
    real_cpu = torch.from_numpy(wave(4 * 64 * 64, 0.4)).float().view(4, 1, 64, 64)
    noise = torch.from_numpy(wave(4 * nz, 0.8)).float().view(4, nz, 1, 1)
    rows = []
    for _ in range(2):  # the original's loop body, twice on the same batch
        netD.zero_grad()
        label = torch.full((4,), 1, dtype=real_cpu.dtype)
        output = netD(real_cpu)
        errD_real = criterion(output, label)
        errD_real.backward()
        D_x = output.mean().item()
        fake = netG(noise)
        label.fill_(0)
        output = netD(fake.detach())
        errD_fake = criterion(output, label)
        errD_fake.backward()
        D_G_z1 = output.mean().item()
        errD = errD_real + errD_fake
        optimizerD.step()
        netG.zero_grad()
        label.fill_(1)
        output = netD(fake)
        errG = criterion(output, label)
        errG.backward()
        D_G_z2 = output.mean().item()
        optimizerG.step()
        rows.append([errD.item(), errG.item(), D_x, D_G_z1, D_G_z2])
    return {'rows': rows, 'netG0': sums(netG.main[0].weight), 'netDbn': netD.main[3].running_var.tolist()}


def time_sequence_cases(repo):
    g = definitions(repo, 'time_sequence_prediction/train.py', ['Sequence'])
    np.random.seed(2)
    T, L, N = 20, 1000, 100
    x = np.empty((N, L), 'int64')
    x[:] = np.array(range(L)) + np.random.randint(-4 * T, 4 * T, N).reshape(N, 1)
    data = np.sin(x / 1.0 / T).astype('float64')[:8, :16]
    inp, target = torch.from_numpy(data[3:, :-1]), torch.from_numpy(data[3:, 1:])
    test_input, test_target = torch.from_numpy(data[:3, :-1]), torch.from_numpy(data[:3, 1:])
    seq = g['Sequence']()
    seq.double()
    formula_init(seq)
    criterion = nn.MSELoss()
    optimizer = optim.LBFGS(seq.parameters(), lr=0.8)
    losses = []

    def closure():
        optimizer.zero_grad()
        out = seq(inp)
        loss = criterion(out, target)
        losses.append(loss.item())
        loss.backward()
        return loss
    optimizer.step(closure)
    with torch.no_grad():
        future = 5
        pred = seq(test_input, future=future)
        test_loss = criterion(pred[:, :-future], test_target).item()
    return {'losses': losses, 'testLoss': test_loss, 'future': pred[:, -future:].tolist()}


def word_language_model_cases(repo):
    mod = types.ModuleType('model')
    exec(source(repo, 'word_language_model/model.py'), mod.__dict__)
    tokens = torch.tensor([(7 * i + i // 5) % 30 for i in range(4 * 16)], dtype=torch.int64)
    source_data = tokens.view(4, -1).t().contiguous()  # batchify(data, 4)
    out = {}
    for rnn_type in ['LSTM', 'GRU', 'RNN_TANH']:
        model = mod.RNNModel(rnn_type, 30, 8, 8, 2, 0.0)
        formula_init(model)
        criterion = nn.NLLLoss()
        hidden = model.init_hidden(4)
        losses = []
        model.train()
        for i in range(0, 15, 5):
            data, targets = source_data[i:i + 5], source_data[i + 1:i + 6].reshape(-1)
            model.zero_grad()
            hidden = tuple(h.detach() for h in hidden) if isinstance(hidden, tuple) else hidden.detach()
            output, hidden = model(data, hidden)
            loss = criterion(output, targets)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
            for p in model.parameters():
                p.data.add_(p.grad, alpha=-20)
            losses.append(loss.item())
        out[rnn_type] = {'losses': losses, 'decoder': sums(model.decoder.weight)}
    model = mod.TransformerModel(30, 8, 2, 16, 2, 0.0)
    formula_init(model)
    model.eval()  # nn.Transformer's own layers keep dropout 0.1 (the original passes no dropout to them)
    criterion = nn.NLLLoss()
    losses = []
    for i in range(0, 10, 5):
        data, targets = source_data[i:i + 5], source_data[i + 1:i + 6].reshape(-1)
        model.zero_grad()
        output = model(data).view(-1, 30)
        loss = criterion(output, targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-20)
        losses.append(loss.item())
    out['Transformer'] = {'losses': losses, 'decoder': sums(model.decoder.weight)}
    return out


def siamese_cases(repo):
    g = definitions(repo, 'siamese_network/main.py', ['SiameseNetwork'])
    model = g['SiameseNetwork']()
    formula_init(model)
    x1 = torch.from_numpy(128 + 127 * wave(4 * 784, 0.1)).float().view(4, 1, 28, 28)
    x2 = torch.from_numpy(128 + 127 * wave(4 * 784, 2.1)).float().view(4, 1, 28, 28)
    targets = torch.tensor([1.0, 0.0, 1.0, 0.0])
    optimizer = optim.Adadelta(model.parameters(), lr=1.0)
    model.train()
    optimizer.zero_grad()
    outputs = model(x1, x2).squeeze()
    loss = nn.BCELoss()(outputs, targets)
    loss.backward()
    optimizer.step()
    model.eval()
    with torch.no_grad():
        after = model(x1, x2).squeeze()
    return {'trainOutputs': outputs.tolist(), 'loss': loss.item(), 'evalOutputs': after.tolist(),
            'fc0Weight': sums(model.fc[0].weight)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--repo', default='/work/.mirror/pytorch+examples/repo')
    a = p.parse_args()
    commit = subprocess.run(['git', '-C', a.repo, 'rev-parse', 'HEAD'], capture_output=True, text=True).stdout.strip()
    fixture = {
        'generator': 'tools/examples/port_fixtures.py',
        'torch': torch.__version__,
        'examples_commit': commit,
        'mnist': mnist_cases(a.repo),
        'mnist_rnn': mnist_rnn_cases(a.repo),
        'vae': vae_cases(a.repo),
        'dcgan': dcgan_cases(a.repo),
        'time_sequence_prediction': time_sequence_cases(a.repo),
        'word_language_model': word_language_model_cases(a.repo),
        'siamese_network': siamese_cases(a.repo),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(fixture, f, indent=1)
        f.write('\n')
    print(f'wrote {os.path.relpath(OUT, ROOT)}')


if __name__ == '__main__':
    main()
