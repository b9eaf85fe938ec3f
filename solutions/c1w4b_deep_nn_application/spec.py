"""Grading spec for c1w4b_deep_nn_application. Visible cases ship with the notebook; hidden draws stay here.

Both graded functions are training loops. Hidden problems are tiny (n_x 2..8, m 4..20, hidden
layers of 3..6 units, up to 3 of them) and run 100..350 iterations, so a call takes milliseconds. The trained
parameters and the recorded costs must match the reference within rtol 1e-5, atol 1e-8.

Gradients: for every hidden case the reference itself is checked in float64: its first recorded
cost must equal the cost of the initial parameters computed by a forward pass written here, and
the gradient of deep_nn.L_model_backward at those parameters must match centred finite differences
of that forward pass (cases with a pre-activation within 1e-3 of ReLU's kink skip the gradient part).
The independent cost is computed from the output scores Z (log(1 + e^z) - y z), exact where sigmoid(z)
rounds to 1.

Planned cases (hidden(rng, k)): two_layer_model's case 0 has one example scaled so that its initial
output score is 60..100 with label 1 (the initial weights are known from the seed, and the initial
network, with zero biases, is positively homogeneous): its output is stored as exactly 1.0, so a dA2
computed without clipping is nan from the first step. L_layer_model's case 0 has two or three hidden
layers, so that a network built as if it had one hidden layer cannot match.
"""
import numpy as np

from grader.paths import checks
from grader.spec import Test

import deep_nn  # utils/ is on sys.path once grader.paths is imported

TITLE = "Deep neural network for image classification"
HELPERS = ["data", "lr_utils", "dnn_utils", "deep_nn"]
DATA = ["odd_even_digits.h5"] + [f"own_digit_{d}.png" for d in range(10)]

RTOL, ATOL = 1e-5, 1e-8


# ---------------------------------------------------------------- an independent reference forward pass

def _forward(params, X, L):
    """Pre-activations of the hidden layers and the output scores ZL of [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID."""
    A, hidden_Z = X, []
    for l in range(1, L):
        Z = params[f"W{l}"] @ A + params[f"b{l}"]
        hidden_Z.append(Z)
        A = np.maximum(Z, 0.0)
    return hidden_Z, params[f"W{L}"] @ A + params[f"b{L}"]


def _cost(params, X, Y, L):
    """Cross-entropy from the output scores: mean of log(1 + e^z) - y z (no log of a rounded sigmoid)."""
    _, ZL = _forward(params, X, L)
    return float(np.mean(np.logaddexp(0.0, ZL) - Y * ZL))


def _reference_check(kwargs, expected):
    """None when the reference passes its float64 checks on this case, else a message."""
    dims = list(kwargs["layers_dims"])
    X, Y, L = kwargs["X"], kwargs["Y"], len(dims) - 1
    init = deep_nn.initialize_parameters_deep(dims, kwargs["seed"])
    costs = expected[1]
    if not np.isclose(costs[0], _cost(init, X, Y, L), rtol=1e-10, atol=1e-12):
        return "the reference's first cost differs from an independent forward pass"
    hidden_Z, _ = _forward(init, X, L)
    if any(np.min(np.abs(Z)) < 1e-3 for Z in hidden_Z):
        return None
    AL, caches = deep_nn.L_model_forward(X, init)
    grads = deep_nn.L_model_backward(AL, Y, caches)
    h = 1e-6
    for key, value in init.items():
        numeric = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in init.items()}
            minus = {k: v.copy() for k, v in init.items()}
            plus[key][idx] += h
            minus[key][idx] -= h
            numeric[idx] = (_cost(plus, X, Y, L) - _cost(minus, X, Y, L)) / (2 * h)
        if not np.allclose(grads["d" + key], numeric, rtol=1e-5, atol=1e-8):
            return f"the reference gradient d{key} disagrees with centred finite differences"
    return None


def _score(got, expected, kwargs):
    miss = checks.compare(got, expected, RTOL, ATOL)
    if miss:
        if miss["kind"] == "none":
            return 0.0, "returned None: not implemented yet (or a missing `return`)."
        return 0.0, (f"wrong answer on a hidden test: {miss['safe']}. The visible test shows expected values "
                     f"for its inputs.")
    problem = _reference_check(kwargs, expected)
    if problem:
        return 0.0, f"the grader's own check failed ({problem}); please tell your instructor."
    return 1.0, "passed every hidden test."


# ---------------------------------------------------------------- inputs

def _data(rng, n_x, m):
    X = rng.normal(size=(n_x, m))
    Y = (rng.uniform(size=(1, m)) < 0.5).astype(float)
    Y[0, 0], Y[0, -1] = 0.0, 1.0                      # both classes present
    return X, Y


def _common(rng):
    return {"learning_rate": float(np.round(rng.uniform(0.05, 0.3), 4)),
            "num_iterations": int(rng.integers(100, 351)),
            "seed": int(rng.integers(0, 10_000))}


def _saturate_one(rng, case):
    """Scale one example whose initial output score is positive so that the score becomes 60..100; label it 1."""
    n_x, n_h, n_y = case["layers_dims"]
    init = deep_nn.initialize_parameters(n_x, n_h, n_y, case["seed"])
    _, Z = _forward(init, case["X"], 2)
    positive = np.flatnonzero(Z[0] > 1e-3)
    if len(positive) == 0:
        return None
    j = int(rng.choice(positive))
    case["X"][:, j] *= rng.uniform(60.0, 100.0) / Z[0, j]
    case["Y"][0, j] = 1.0
    if case["Y"].min() == 1.0:
        return None
    return case


def _hidden_two_layer(rng, k):
    for _ in range(100):
        n_x, n_h, m = int(rng.integers(2, 9)), int(rng.integers(2, 7)), int(rng.integers(4, 21))
        X, Y = _data(rng, n_x, m)
        case = {"X": X, "Y": Y, "layers_dims": (n_x, n_h, 1), **_common(rng)}
        if k != 0:
            return case
        case = _saturate_one(rng, case)
        if case is not None:
            return case
    raise RuntimeError("could not draw a saturated two-layer case")


def _hidden_L_layer(rng, k):
    n_x, m = int(rng.integers(2, 9)), int(rng.integers(4, 21))
    hidden = [int(n) for n in rng.integers(3, 7, size=int(rng.integers(2, 4) if k == 0 else rng.integers(1, 4)))]
    X, Y = _data(rng, n_x, m)
    return {"X": X, "Y": Y, "layers_dims": [n_x] + hidden + [1], **_common(rng)}


def _visible(seed, n_x, m):
    X, Y = _data(np.random.default_rng(seed), n_x, m)
    return X.round(3), Y


_X2, _Y2 = _visible(11, 4, 6)
_XL, _YL = _visible(12, 5, 8)

TESTS = [
    Test("two_layer_model", points=2,
         visible=[{"X": _X2, "Y": _Y2, "layers_dims": (4, 3, 1), "learning_rate": 0.1, "num_iterations": 201,
                   "print_cost": False, "seed": 1}],
         hidden=_hidden_two_layer, rtol=RTOL, atol=ATOL, score=_score),
    Test("L_layer_model", points=2,
         visible=[{"X": _XL, "Y": _YL, "layers_dims": [5, 4, 3, 1], "learning_rate": 0.1, "num_iterations": 201,
                   "print_cost": False, "seed": 2}],
         hidden=_hidden_L_layer, rtol=RTOL, atol=ATOL, score=_score),
]
