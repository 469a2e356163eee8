"""PyTorch side of `pnpm bench`: runs the jobs it is given and prints the timings as JSON.

Usage: python3 bench_torch.py < jobs.json, where jobs.json is
  {"jobs": [{"workload": "W1", "params": {"n": 512}, "plan": {"warmup": 5, "iterations": 20, ...}}]}
Prints {"info": {...}, "results": [{"samples": [seconds, ...], "warmup": k} | {"note": "..."}]}.
A new workload is one `prepare_*` function registered in WORKLOADS under the workload's id.
The caller sets OPENBLAS_CORETYPE, OPENBLAS_NUM_THREADS and OMP_NUM_THREADS; we pin one thread too.
"""

import json
import sys
import time

import torch

torch.set_num_threads(1)


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


WORKLOADS = {"W0": prepare_w0, "W1": prepare_w1}


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
    return {"samples": [once(run) for _ in range(iterations)], "warmup": warmup}


def main():
    jobs = json.load(sys.stdin)["jobs"]
    info = {"version": torch.__version__, "threads": torch.get_num_threads()}
    print(json.dumps({"info": info, "results": [measure(j) for j in jobs]}))


if __name__ == "__main__":
    main()
