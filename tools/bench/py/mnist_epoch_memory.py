"""Peak RSS of one epoch (938 steps of batch 64) of pytorch/examples' mnist/main.py network on
random data, one thread: the PyTorch twin of src/memory/mnist-epoch.ts.
Usage: python3 py/mnist_epoch_memory.py [steps] [batch]"""
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = torch.flatten(self.dropout1(x), 1)
        x = self.dropout2(F.relu(self.fc1(x)))
        return F.log_softmax(self.fc2(x), dim=1)


steps = int(sys.argv[1]) if len(sys.argv) > 1 else 938
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 64
torch.manual_seed(1)
model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.rand(batch, 1, 28, 28)
y = torch.randint(0, 10, (batch,))
t0 = time.time()
for step in range(1, steps + 1):
    opt.zero_grad()
    loss = F.nll_loss(model(x), y)
    loss.backward()
    opt.step()
    loss.item()
print(f"pytorch: {steps} steps of batch {batch} in {time.time() - t0:.1f} s, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
