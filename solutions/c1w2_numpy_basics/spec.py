"""Grading spec for c1w2_numpy_basics. Visible cases ship with the notebook; hidden draws stay here."""
import numpy as np

from grader.spec import Test

TITLE = "Python and NumPy for deep learning"
HELPERS = []
DATA = []


def _matrix(rng, scale=1.0):
    return rng.normal(scale=scale, size=(int(rng.integers(1, 6)), int(rng.integers(2, 7))))


def _pair(rng):
    m = int(rng.integers(3, 12))
    return {"yhat": rng.uniform(size=m), "y": rng.integers(0, 2, size=m).astype(float)}


TESTS = [
    Test("basic_sigmoid",
         visible=[{"x": 0.0}, {"x": 2.0}],
         hidden=lambda rng: {"x": float(rng.uniform(-6, 6))}),
    Test("sigmoid",
         visible=[{"x": np.array([-1.0, 0.0, 2.0])}],
         hidden=lambda rng: {"x": _matrix(rng, 3.0)}),
    Test("sigmoid_derivative",
         visible=[{"x": np.array([1.0, 2.0, 3.0])}],
         hidden=lambda rng: {"x": _matrix(rng, 3.0)}),
    Test("image2vector",
         visible=[{"image": np.arange(12, dtype=float).reshape(2, 3, 2) / 10}],
         hidden=lambda rng: {"image": rng.uniform(size=tuple(int(n) for n in rng.integers(2, 6, size=3)))}),
    Test("normalize_rows",
         visible=[{"x": np.array([[0.0, 3.0, 4.0], [1.0, 6.0, 4.0]])}],
         hidden=lambda rng: {"x": _matrix(rng) + 0.1}),
    Test("softmax",
         visible=[{"x": np.array([[9.0, 2.0, 5.0, 0.0, 0.0], [7.0, 5.0, 0.0, 0.0, 0.0]])}],
         hidden=lambda rng: {"x": _matrix(rng, 400.0)}),
    Test("L1",
         visible=[{"yhat": np.array([0.9, 0.2, 0.1, 0.4, 0.9]), "y": np.array([1.0, 0.0, 0.0, 1.0, 1.0])}],
         hidden=_pair),
    Test("L2",
         visible=[{"yhat": np.array([0.9, 0.2, 0.1, 0.4, 0.9]), "y": np.array([1.0, 0.0, 0.0, 1.0, 1.0])}],
         hidden=_pair),
]
