"""Speed of utils/conv.py: one convolution layer, and one training step of the c4w1b ConvNet.

1. Conv2D forward + backward on random images (default m=64, 28x28x8 -> 16 channels, f=3, pad 1).
2. One training step (forward, loss, backward, Adam) of the ConvNet of c4w1b_convnet_application:
   conv 3x3 (1 -> 8, pad 1), ReLU, max-pool 2, conv 3x3 (8 -> 16, pad 1), ReLU, max-pool 2,
   Flatten, Linear(784 -> 10), on a batch of 64 random 28x28 images.
Prints the median of several timed runs in milliseconds, the spread, and the number of CPU cores.
Run on demand (not a test); set OPENBLAS_NUM_THREADS=1 for single-thread numbers.

    python benchmarks/framework_conv.py
    python benchmarks/framework_conv.py --m 128 --n_C_prev 16 --n_C 32 --dtype float64 --repeats 20
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "utils"))

import conv  # noqa: E402
import framework  # noqa: E402


def timed(func, repeats, warmup=2):
    """Milliseconds of each of `repeats` calls of func(), after `warmup` untimed calls."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(1000 * (time.perf_counter() - start))
    return times


def report(name, times):
    q = statistics.quantiles(times, n=4)
    print(f"{name}: median {statistics.median(times):.1f} ms (quartiles {q[0]:.1f} - {q[2]:.1f} ms, "
          f"{len(times)} runs)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--m", type=int, default=64)
    parser.add_argument("--size", type=int, default=28, help="n_H = n_W of the conv layer's input")
    parser.add_argument("--n_C_prev", type=int, default=8)
    parser.add_argument("--n_C", type=int, default=16)
    parser.add_argument("--f", type=int, default=3)
    parser.add_argument("--pad", type=int, default=1)
    parser.add_argument("--stride", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    args = parser.parse_args()

    dtype = np.dtype(args.dtype)
    rng = np.random.default_rng(0)
    print(f"CPU cores: {os.cpu_count()} (usable by this process: {len(os.sched_getaffinity(0))}); "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}; numpy {np.__version__}; {dtype}")

    x = rng.standard_normal((args.m, args.size, args.size, args.n_C_prev)).astype(dtype)
    layer = conv.Conv2D(args.n_C_prev, args.n_C, args.f, stride=args.stride, pad=args.pad, dtype=dtype)
    dout = rng.standard_normal(layer.forward(x).shape).astype(dtype)
    report(f"Conv2D forward, m={args.m}, {args.size}x{args.size}x{args.n_C_prev} -> {args.n_C} channels, "
           f"f={args.f}, stride {args.stride}, pad {args.pad}", timed(lambda: layer.forward(x), args.repeats))
    report("Conv2D forward + backward", timed(lambda: (layer.forward(x), layer.backward(dout)), args.repeats))

    model = framework.Sequential(
        conv.Conv2D(1, 8, 3, pad=1, seed=0, dtype=dtype), framework.ReLU(), conv.MaxPool2D(2),
        conv.Conv2D(8, 16, 3, pad=1, seed=1, dtype=dtype), framework.ReLU(), conv.MaxPool2D(2),
        framework.Flatten(), framework.Linear(7 * 7 * 16, 10, seed=2, dtype=dtype))
    images = rng.random((64, 28, 28, 1)).astype(dtype)
    Y = framework.one_hot(rng.integers(0, 10, 64), 10).astype(dtype)
    loss_fn, opt = framework.SoftmaxCrossEntropy(), framework.Adam(model, lr=1e-3)

    def step():
        loss_fn.forward(model.forward(images), Y)
        model.backward(loss_fn.backward())
        opt.step()

    report("c4w1b ConvNet training step (forward, loss, backward, Adam), batch of 64", timed(step, args.repeats))


if __name__ == "__main__":
    main()
