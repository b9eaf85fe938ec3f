"""Grading spec for c2w1a_initialization. Visible cases ship with the notebook; hidden draws stay here.

Zeros must be exact; the random draws are compared with rtol 1e-6, which allows any order of the
multiplication (e.g. dividing by sqrt(n / 2) instead of multiplying by sqrt(2 / n)) but not other draws.
"""
from grader.spec import Test

TITLE = "Initialisation: where gradient descent starts"
HELPERS = ["dnn_utils", "deep_nn", "three_layer_net", "planar_utils"]
DATA = []


def _dims(rng):
    """A random list of layer sizes: 3 to 5 layers (input included), each of 1 to 7 units.

    Redrawn until every wrong variant in mistakes.py changes the answer: at least two weight
    matrices (a generator re-seeded per layer repeats the first draws in the second), neighbouring
    sizes that differ (a transposed shape, or the fan-out n[l] used for the fan-in n[l-1], would
    otherwise go unnoticed), a matrix with both sizes above 1 (drawing the transposed shape and
    transposing back gives the same numbers for a single row or column), and a fan-in of 3 or more
    (sqrt(2 / n) equals 2 / n at n = 2, and sqrt(2 // n) equals sqrt(2 / n) at n = 1 and 2).
    """
    while True:
        dims = [int(n) for n in rng.integers(1, 8, size=int(rng.integers(3, 6)))]
        pairs = list(zip(dims[:-1], dims[1:]))
        if (all(a != b for a, b in pairs) and any(a > 1 and b > 1 for a, b in pairs)
                and any(a >= 3 for a in dims[:-1])):
            return dims


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
