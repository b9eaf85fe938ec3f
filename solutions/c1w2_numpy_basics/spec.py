"""Grading spec for c1w2_numpy_basics. Visible cases ship with the notebook; hidden draws stay here."""
import numpy as np

from grader.spec import Test

TITLE = "Python and NumPy for deep learning"
HELPERS = []
DATA = []


def _matrix(rng, scale=1.0, min_rows=1):
    return rng.normal(scale=scale, size=(int(rng.integers(min_rows, 6)), int(rng.integers(2, 7))))


def _softmax_input(rng, k):
    """Moderate differences within a row (|x| up to about 8), so the softmax is far from one-hot;
    rows != columns, m > 1. Case 0 adds a different large offset to every row (one above 710, one
    below -710), so exp(x) without the row maximum subtracted overflows, and subtracting the maximum
    of the whole matrix instead of each row's underflows a whole row to 0 / 0."""
    x = _matrix(rng, float(rng.uniform(1.0, 3.0)), min_rows=2)
    if x.shape[0] == x.shape[1]:
        x = x[:, :-1]
    if k == 0:
        offsets = rng.uniform(-1000.0, 1000.0, size=(x.shape[0], 1))
        offsets[0, 0], offsets[-1, 0] = rng.uniform(720.0, 1000.0), rng.uniform(-1000.0, -720.0)
        x = x + rng.permutation(offsets)
    return {"x": x}


def _basic_sigmoid_input(rng, k):
    """Case 0: x far below -710 (exp(-x) overflows); case 1: x far above 710 (exp(x) overflows);
    the others moderate, where sigmoid is far from 0 and 1."""
    if k == 0:
        return {"x": float(rng.uniform(-1000.0, -720.0))}
    if k == 1:
        return {"x": float(rng.uniform(720.0, 1000.0))}
    return {"x": float(rng.uniform(-6, 6))}


def _pair(rng):
    """Labels with both classes present, so a loss without the absolute value cannot match."""
    m = int(rng.integers(3, 12))
    y = rng.permutation(np.r_[0.0, 1.0, rng.integers(0, 2, size=m - 2).astype(float)])
    return {"yhat": rng.uniform(size=m), "y": y}


TESTS = [
    Test("basic_sigmoid",
         visible=[{"x": 0.0}, {"x": 2.0}],
         hidden=_basic_sigmoid_input, n_hidden=4),
    Test("sigmoid",
         visible=[{"x": np.array([-1.0, 0.0, 2.0])}],
         hidden=lambda rng: {"x": _matrix(rng, 3.0)}),
    Test("sigmoid_derivative",
         visible=[{"x": np.array([1.0, 2.0, 3.0])}],
         hidden=lambda rng: {"x": _matrix(rng, 3.0)}),
    Test("image2vector",
         visible=[{"image": np.arange(12, dtype=float).reshape(2, 3, 2) / 10}],
         hidden=lambda rng: {"image": rng.uniform(size=tuple(int(n) for n in rng.integers(2, 6, size=3)))}),
    Test("normalize_rows", keeps_inputs=True,     # the docstring promises a new array
         visible=[{"x": np.array([[0.0, 3.0, 4.0], [1.0, 6.0, 4.0]])}],
         hidden=lambda rng: {"x": _matrix(rng, min_rows=2) + 0.1}),
    Test("softmax",
         visible=[{"x": np.array([[9.0, 2.0, 5.0, 0.0, 0.0], [7.0, 5.0, 0.0, 0.0, 0.0]])},
                  {"x": np.array([[1000.0, 1001.0, 998.0], [-3.0, 0.0, 2.0]])}],
         hidden=_softmax_input, n_hidden=4),
    Test("L1",
         visible=[{"yhat": np.array([0.9, 0.2, 0.1, 0.4, 0.9]), "y": np.array([1.0, 0.0, 0.0, 1.0, 1.0])}],
         hidden=_pair),
    Test("L2",
         visible=[{"yhat": np.array([0.9, 0.2, 0.1, 0.4, 0.9]), "y": np.array([1.0, 0.0, 0.0, 1.0, 1.0])}],
         hidden=_pair),
]
