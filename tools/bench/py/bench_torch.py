"""PyTorch side of `pnpm bench`: runs the jobs it is given and prints the timings as JSON.

Usage: python3 bench_torch.py < jobs.json, where jobs.json is
  {"jobs": [{"workload": "W1", "params": {"n": 512}, "plan": {"warmup": 5, "iterations": 20, ...}}]}
Prints {"info": {...}, "results": [{"samples": [seconds, ...], "warmup": k} | {"note": "..."}]}.
A new workload is one `prepare_*` function registered in WORKLOADS under the workload's id.
An optional "threads": n beside "jobs" (default 1) sets torch.set_num_threads(n); the caller sets
OPENBLAS_CORETYPE, OPENBLAS_NUM_THREADS and OMP_NUM_THREADS to match.
"""

import json
import math
import sys
import time

import torch


def seeded(shape, seed):
    """Uniform [-1, 1) float32 from a seeded generator (not the JS stream; same distribution)."""
    g = torch.Generator().manual_seed(seed)
    return torch.rand(*shape, generator=g, dtype=torch.float32) * 2 - 1


def prepare_w0(p):
    a = torch.tensor([[0.5]])
    b = torch.tensor([[0.25]])
    ops = int(p["ops"])

    def run():
        for _ in range(ops):
            c = a.add(b)
            del c  # freed here: the result is disposed like the JS subjects'

    return run


def prepare_w1(p):
    n = int(p["n"])
    a = seeded((n, n), 1)
    b = seeded((n, n), 2)

    def run():
        torch.matmul(a, b)  # synchronous on the CPU: the product exists on return

    return run


def labels(n, seed=2):
    """Integer labels in [0, 10) from a seeded generator."""
    return torch.randint(0, 10, (n,), generator=torch.Generator().manual_seed(seed))


class Trainer:
    """One training step per call: zero grads + forward + cross-entropy (mean) + backward +
    update (SGD lr 0.01 unless `make_opt` says otherwise) + reading the loss back; remembers
    the first and the latest loss."""

    def __init__(self, model, x, y, make_opt=lambda ps: torch.optim.SGD(ps, lr=0.01)):
        self.model, self.x, self.y = model, x, y
        self.opt = make_opt(model.parameters())
        self.loss_fn = torch.nn.CrossEntropyLoss()
        self.first = self.last = None

    def __call__(self):
        self.opt.zero_grad()
        loss = self.loss_fn(self.model(self.x), self.y)
        loss.backward()
        self.opt.step()
        v = loss.item()
        if self.first is None:
            self.first = v
        self.last = v

    def losses(self):
        return {"first": self.first, "last": self.last}


def prepare_w2(p):
    b = int(p["batch"])
    torch.manual_seed(100)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    return Trainer(model, seeded((b, 784), 1), labels(b))


def prepare_w3(p):
    b = int(p["batch"])
    torch.manual_seed(100)
    nn = torch.nn
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 10),
    )  # fmt: skip
    return Trainer(model, seeded((b, 1, 28, 28), 1), labels(b))


class LstmHead(torch.nn.Module):
    """LSTM(32, 64, batch_first) -> last hidden state -> Linear(64, 10)."""

    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(32, 64, batch_first=True)
        self.fc = torch.nn.Linear(64, 10)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.fc(h[0])


def prepare_w4(p):
    b = int(p["batch"])
    torch.manual_seed(100)
    return Trainer(LstmHead(), seeded((b, 32, 32), 1), labels(b))


def sinusoid_table(max_len, d_model):
    """The sinusoidal position table of "Attention Is All You Need" (PyTorch has none built in):
    pe[pos, 2i] = sin(pos * exp(-2i ln(10000) / d)), pe[pos, 2i+1] = cos(...), as core's
    nn.PositionalEncoding computes it: in float64, then rounded to float32, so both tables are
    bit-equal (the transformer tutorial computes it in float32: off by up to 3e-6 here)."""
    pos = torch.arange(max_len, dtype=torch.float64).unsqueeze(1)
    div = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float64) * (-math.log(10000.0) / d_model))
    pe = torch.zeros(max_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)
    return pe.to(torch.float32)


class TransformerClassifier(torch.nn.Module):
    """Embedding(1000, 128) + sinusoidal positions (no dropout of their own, no sqrt(d) scaling)
    -> TransformerEncoder(2 x TransformerEncoderLayer(128, 4, 256, dropout 0.1, batch_first))
    -> mean over time -> Linear(128, 10); as oursTransformer in src/workloads/w6-transformer.ts."""

    def __init__(self, seq=64):
        super().__init__()
        self.embedding = torch.nn.Embedding(1000, 128)
        self.register_buffer("pe", sinusoid_table(seq, 128))
        layer = torch.nn.TransformerEncoderLayer(128, 4, dim_feedforward=256, dropout=0.1, batch_first=True)
        self.encoder = torch.nn.TransformerEncoder(layer, 2)
        self.head = torch.nn.Linear(128, 10)

    def forward(self, tokens):
        h = self.embedding(tokens) + self.pe[: tokens.shape[1]]
        return self.head(self.encoder(h).mean(1))


def prepare_w6(p):
    b = int(p["batch"])
    torch.manual_seed(100)
    tokens = torch.randint(0, 1000, (b, 64), generator=torch.Generator().manual_seed(1))
    model = TransformerClassifier()  # training mode: dropout active
    return Trainer(model, tokens, labels(b), lambda ps: torch.optim.Adam(ps, lr=1e-3))


WORKLOADS = {
    "W0": prepare_w0,
    "W1": prepare_w1,
    "W2": prepare_w2,
    "W3": prepare_w3,
    "W4": prepare_w4,
    "W6": prepare_w6,
}


def fit_plan(plan, seconds):
    """Same rule as fitPlan in src/harness.ts."""
    warmup, iterations = plan["warmup"], plan["iterations"]
    budget = plan.get("budgetS")
    if budget is None:
        return warmup, iterations
    fits = int(budget // seconds)
    if fits >= warmup + iterations:
        return warmup, iterations
    its = max(plan.get("minIterations", 5), min(iterations, fits - 1))
    return max(1, min(warmup, fits - its)), its


def once(run):
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0


def measure(job):
    prepare = WORKLOADS.get(job["workload"])
    if prepare is None:
        return {"note": f"{job['workload']} not implemented in bench_torch.py"}
    run = prepare(job["params"])
    first = once(run)
    warmup, iterations = fit_plan(job["plan"], first)
    for _ in range(warmup - 1):
        once(run)
    out = {"samples": [once(run) for _ in range(iterations)], "warmup": warmup}
    if isinstance(run, Trainer):
        out["losses"] = run.losses()
    return out


def blas_library():
    """The BLAS shared library this process runs PyTorch's matmul on (Linux: read from
    /proc/self/maps after a product), or what torch's build config says elsewhere."""
    a = torch.ones(64, 64)
    torch.matmul(a, a)
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "/" in line}
        for key in ("openblas", "mkl", "blis", "libblas", "atlas"):
            hits = sorted(p for p in paths if key in p.lower() and ".so" in p)
            if hits:
                return hits[0]
    except OSError:
        pass
    for line in torch.__config__.show().splitlines():
        if "BLAS_INFO" in line:
            return line.strip()
    return "unknown"


def matmul512_gflops():
    """GFLOP/s of a 512x512 float32 product (best of 10): ~190 on OpenBLAS here, ~6 on the
    reference BLAS Debian falls back to without libopenblas0-pthread."""
    a = seeded((512, 512), 1)
    b = seeded((512, 512), 2)
    torch.matmul(a, b)
    best = min(once(lambda: torch.matmul(a, b)) for _ in range(10))
    return 2 * 512**3 / best / 1e9


def main():
    given = json.load(sys.stdin)
    torch.set_num_threads(int(given.get("threads", 1)))
    jobs = given["jobs"]
    info = {
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas_library(),
        "matmul512Gflops": round(matmul512_gflops(), 1),
    }
    print(json.dumps({"info": info, "results": [measure(j) for j in jobs]}))


if __name__ == "__main__":
    main()
