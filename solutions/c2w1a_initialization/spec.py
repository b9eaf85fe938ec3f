"""Grading spec for c2w1a_initialization. Visible cases ship with the notebook; hidden draws stay here.

Zeros must be exact; the random draws are compared with rtol 1e-6, which allows any order of the
multiplication (e.g. dividing by sqrt(n / 2) instead of multiplying by sqrt(2 / n)) but not other draws.
"""
from grader.spec import Test

TITLE = "Initialisation: where gradient descent starts"
HELPERS = ["dnn_utils", "deep_nn", "three_layer_net", "planar_utils"]
DATA = []


def _dims(rng):
    """A random list of layer sizes: 2 to 5 layers (input included), each of 1 to 7 units."""
    return [int(n) for n in rng.integers(1, 8, size=int(rng.integers(2, 6)))]


def _dims_seed(rng):
    return {"layers_dims": _dims(rng), "seed": int(rng.integers(0, 2**31 - 1))}


TESTS = [
    Test("initialize_parameters_zeros",
         visible=[{"layers_dims": [3, 2, 1]}],
         hidden=lambda rng: {"layers_dims": _dims(rng)}, rtol=0, atol=0),
    Test("initialize_parameters_random",
         visible=[{"layers_dims": [3, 2, 1], "seed": 3}],
         hidden=_dims_seed, rtol=1e-6, atol=1e-9),
    Test("initialize_parameters_he",
         visible=[{"layers_dims": [3, 2, 1], "seed": 3}, {"layers_dims": [2, 4, 1], "seed": 0}],
         hidden=_dims_seed, rtol=1e-6, atol=1e-9),
]
