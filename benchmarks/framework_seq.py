"""Speed of utils/seq.py: one training step (forward + backward + Adam) of a sequence model.

Model: LSTM (or RNN / GRU) with return_sequences=True, then TimeDistributed(Linear) and
SequenceSoftmaxCrossEntropy, on random data. Prints the median of several timed steps in
milliseconds, the spread, and the number of CPU cores.

    python benchmarks/framework_seq.py                       # n_x=32, n_a=64, m=32, T=20, LSTM
    python benchmarks/framework_seq.py --cell gru --T 100 --repeats 20 --dtype float32
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "utils"))

import framework  # noqa: E402
import seq  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cell", choices=["lstm", "rnn", "gru"], default="lstm")
    parser.add_argument("--n_x", type=int, default=32)
    parser.add_argument("--n_a", type=int, default=64)
    parser.add_argument("--m", type=int, default=32)
    parser.add_argument("--T", type=int, default=20)
    parser.add_argument("--C", type=int, default=10, help="classes of the per-step softmax")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    args = parser.parse_args()

    dtype = np.dtype(args.dtype)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.n_x, args.m, args.T)).astype(dtype)
    labels = rng.integers(0, args.C, size=(args.m, args.T))
    Y = (np.arange(args.C)[:, None, None] == labels).astype(dtype)
    cell = {"lstm": seq.LSTM, "rnn": seq.RNN, "gru": seq.GRU}[args.cell]
    model = framework.Sequential(cell(args.n_x, args.n_a, seed=0, dtype=dtype),
                                 seq.TimeDistributed(framework.Linear(args.n_a, args.C, seed=1, dtype=dtype)))
    loss_fn, opt = seq.SequenceSoftmaxCrossEntropy(), framework.Adam(model, lr=1e-3)

    def step():
        loss = loss_fn.forward(model.forward(X), Y)
        model.backward(loss_fn.backward())
        opt.step()
        return loss

    for _ in range(3):                                   # warm-up
        step()
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        step()
        times.append(1000 * (time.perf_counter() - start))

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print(f"{args.cell.upper()} training step (forward + backward + Adam), n_x={args.n_x}, n_a={args.n_a}, "
          f"m={args.m}, T={args.T}, C={args.C}, {args.dtype}")
    print(f"median {statistics.median(times):.2f} ms  (min {min(times):.2f}, max {max(times):.2f}, "
          f"{args.repeats} runs)")
    print(f"cores available: {cores} (os.cpu_count() = {os.cpu_count()}), OPENBLAS_NUM_THREADS={threads}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
