"""A generated 2-D dataset that a small network over-fits: two classes split by a wavy line, with noisy labels.

(Circles, moons and the decision-boundary plot live in planar_utils.py.)
Points are returned the course's way: X of shape (2, m), one example per column, and labels
Y of shape (1, m) with values 0 or 1 (integers). The generator draws from
np.random.default_rng(seed), so the same seed gives the same points.
"""
import numpy as np


def wave_boundary(x1):
    """The clean decision boundary of make_noisy_wave: x2 = 0.45 sin(2.5 x1). Any shape -> same shape."""
    return 0.45 * np.sin(2.5 * x1)


def make_noisy_wave(m, flip=0.1, seed=0):
    """Two classes on either side of a wavy line, with a fraction of the labels flipped.

    Points are uniform in the square [-1, 1] x [-1, 1]; the clean label is 1 above the curve
    x2 = wave_boundary(x1) and 0 below it. Each label is then flipped with probability `flip`,
    independently, as if a careless annotator had labelled the data: the best possible accuracy
    on fresh points drawn the same way is therefore about 1 - flip.

    Arguments:
    m -- number of points
    flip -- probability that a label is flipped
    seed -- seed of the numpy Generator (points first, then the flips)

    Returns:
    X -- float array of shape (2, m)
    Y -- int array of shape (1, m), labels 0 or 1
    """
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(2, m))
    clean = (X[1] > wave_boundary(X[0])).astype(int)
    flipped = rng.random(m) < flip
    Y = np.where(flipped, 1 - clean, clean).reshape(1, m)
    return X, Y
