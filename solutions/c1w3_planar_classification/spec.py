"""Grading spec for c1w3_planar_classification. Visible cases ship with the notebook; hidden draws stay here.

backward_propagation is scored against the solution's gradients AND against centred finite
differences (float64) of a reference forward pass and cost written below.

Planned cases (hidden(rng, k)): layer_sizes case 0 has n_x != 2, n_y > 1 and m different from both
(catches sizes read from the wrong axis or hard-coded); compute_cost case 0 adds outputs stored as
exactly 1.0 and 0.0 (labels that agree), where logs without clipping give nan; nn_model case 0 always
passes a learning rate other than the default and n_h != 4; every predict case has one column whose
score Z2 lies in (0, 0.5) (catches a threshold on Z2 instead of A2).
"""
import numpy as np
from scipy.special import expit

from grader.paths import checks
from grader.spec import Test

TITLE = "Planar classification with one hidden layer"
HELPERS = ["dnn_utils", "planar_utils"]
DATA = []

GRAD_KEYS = ("dW1", "db1", "dW2", "db2")


# ---------------------------------------------------------------- reference network (trusted side)

def _forward(X, p):
    Z1 = p["W1"] @ X + p["b1"]
    A1 = np.tanh(Z1)
    Z2 = p["W2"] @ A1 + p["b2"]
    A2 = expit(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def _cost(A2, Y):
    return float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))


def _numeric_grads(parameters, X, Y, h=1e-6):
    """Centred finite differences of the cross-entropy cost, in float64, for every parameter."""
    p = {k: np.asarray(v, dtype=np.float64) for k, v in parameters.items()}
    grads = {}
    for name in ("W1", "b1", "W2", "b2"):
        g = np.zeros_like(p[name])
        for idx in np.ndindex(g.shape):
            plus = {k: v.copy() for k, v in p.items()}
            minus = {k: v.copy() for k, v in p.items()}
            plus[name][idx] += h
            minus[name][idx] -= h
            g[idx] = (_cost(_forward(X, plus)[0], Y) - _cost(_forward(X, minus)[0], Y)) / (2 * h)
        grads["d" + name] = g
    return grads


# ---------------------------------------------------------------- inputs

def _params(rng, n_x, n_h, n_y, scale=1.0):
    return {"W1": scale * rng.standard_normal((n_h, n_x)), "b1": 0.5 * rng.standard_normal((n_h, 1)),
            "W2": scale * rng.standard_normal((n_y, n_h)), "b2": 0.5 * rng.standard_normal((n_y, 1))}


def _labels(rng, m, n_y=1):
    Y = rng.integers(0, 2, size=(n_y, m))
    Y[0, 0], Y[0, -1] = 0, 1          # both classes present
    return Y


def _sizes(rng):
    return int(rng.integers(2, 5)), int(rng.integers(2, 7)), int(rng.integers(3, 11))  # n_x, n_h, m


def _backward_case(parameters, X, Y):
    _, cache = _forward(X, parameters)
    return {"parameters": parameters, "cache": cache, "X": X, "Y": Y}


def _hidden_layer_sizes(rng, k):
    n_x, n_y, m = int(rng.integers(1, 9)), int(rng.integers(1, 4)), int(rng.integers(1, 12))
    if k == 0:
        n_x, n_y, m = int(rng.choice([1, 3, 4, 5, 6, 7, 8])), int(rng.integers(2, 4)), int(rng.integers(9, 12))
    case = {"X": rng.standard_normal((n_x, m)), "Y": rng.integers(0, 2, size=(n_y, m))}
    if rng.uniform() < 0.7:
        case["n_h"] = int(rng.integers(1, 30))
    return case


def _hidden_init(rng):
    return {"n_x": int(rng.integers(1, 7)), "n_h": int(rng.integers(1, 9)), "n_y": int(rng.integers(1, 4)),
            "seed": int(rng.integers(0, 10_000))}


def _hidden_forward(rng):
    n_x, n_h, m = _sizes(rng)
    return {"X": 2 * rng.standard_normal((n_x, m)), "parameters": _params(rng, n_x, n_h, int(rng.integers(1, 3)))}


def _hidden_cost(rng, k):
    m = int(rng.integers(2, 15))
    A2, Y = rng.uniform(0.02, 0.98, size=(1, m)), _labels(rng, m)
    if k == 0:
        A2, Y = np.hstack([A2, [[1.0, 0.0, 1.0 - 1e-17]]]), np.hstack([Y, [[1, 0, 1]]])
        perm = rng.permutation(m + 3)
        A2, Y = A2[:, perm], Y[:, perm]
    return {"A2": A2, "Y": Y}


def _hidden_backward(rng):
    n_x, n_h, m = _sizes(rng)
    return _backward_case(_params(rng, n_x, n_h, 1), rng.standard_normal((n_x, m)), _labels(rng, m))


def _hidden_update(rng):
    n_x, n_h, _ = _sizes(rng)
    n_y = int(rng.integers(1, 3))
    grads = {"d" + k: v for k, v in _params(rng, n_x, n_h, n_y).items()}
    return {"parameters": _params(rng, n_x, n_h, n_y), "grads": grads,
            "learning_rate": float(rng.uniform(0.01, 2.0))}


def _hidden_nn_model(rng, k):
    n_x, m = int(rng.integers(2, 4)), int(rng.integers(6, 21))
    n_h = int(rng.choice([2, 3, 5])) if k == 0 else int(rng.integers(2, 6))
    case = {"X": 2 * rng.standard_normal((n_x, m)), "Y": _labels(rng, m), "n_h": n_h,
            "num_iterations": int(rng.integers(5, 41)), "seed": int(rng.integers(0, 10_000))}
    if k == 0 or rng.uniform() < 0.5:
        case["learning_rate"] = float(rng.uniform(0.1, 1.0) if k == 0 else rng.uniform(0.1, 2.0))
    return case


def _hidden_predict(rng):
    """Random parameters and points; b2 is shifted so that one column's score Z2 lies in (0.05, 0.45)."""
    n_x, n_h, m = _sizes(rng)
    parameters, X = _params(rng, n_x, n_h, 1, scale=1.5), 2 * rng.standard_normal((n_x, m + 5))
    _, cache = _forward(X, parameters)
    j = int(rng.integers(X.shape[1]))
    parameters["b2"] = parameters["b2"] + rng.uniform(0.05, 0.45) - cache["Z2"][0, j]
    return {"parameters": parameters, "X": X}


# ---------------------------------------------------------------- visible cases (small, fixed)

X_VIS = np.array([[1.0, -0.5, 2.0], [0.3, 1.5, -1.0]])
P_VIS = {"W1": np.array([[0.4, -0.2], [-0.7, 0.5], [0.1, 0.9]]), "b1": np.array([[0.1], [-0.2], [0.05]]),
         "W2": np.array([[0.6, -1.1, 0.8]]), "b2": np.array([[-0.3]])}
Y_VIS = np.array([[1, 0, 1]])

# eight points: the four corners of a square (class 1 on one diagonal) and four points near the centre
X_NN = np.array([[1.0, -1.0, 1.0, -1.0, 0.2, -0.3, 0.1, -0.1],
                 [1.0, -1.0, -1.0, 1.0, 0.1, 0.2, -0.3, -0.2]])
Y_NN = np.array([[1, 1, 0, 0, 1, 0, 0, 1]])


# ---------------------------------------------------------------- scoring of the backward pass

def _score_backward(got, expected, kwargs):
    """Fraction of the four gradients that match both the solution and centred finite differences."""
    if got is None:
        return 0.0, "returned None: not implemented yet (or a missing `return`)."
    if not isinstance(got, dict):
        return 0.0, f"should return a dict with keys {', '.join(GRAD_KEYS)}, got {type(got).__name__}."
    numeric = _numeric_grads(kwargs["parameters"], kwargs["X"], kwargs["Y"])
    good, problems = 0, []
    for key in GRAD_KEYS:
        g = got.get(key)
        if g is None:
            problems.append(f"{key} is missing or None")
            continue
        mismatch = checks.compare(g, expected[key], rtol=1e-6, atol=1e-9, path=key)
        if mismatch:
            problems.append(mismatch["safe"])
            continue
        if not np.allclose(np.asarray(g, dtype=np.float64), numeric[key], rtol=1e-5, atol=1e-7):
            problems.append(f"{key} disagrees with centred finite differences of the cost")
            continue
        good += 1
    if good == len(GRAD_KEYS):
        return 1.0, "all four gradients match centred finite differences of the cost on hidden networks."
    return good / len(GRAD_KEYS), (f"{good} of {len(GRAD_KEYS)} gradients correct on a hidden network; "
                                   + "; ".join(problems) + ". The visible test shows expected values.")


TESTS = [
    Test("layer_sizes",
         visible=[{"X": np.zeros((5, 3)), "Y": np.zeros((2, 3))},
                  {"X": np.zeros((2, 7)), "Y": np.zeros((1, 7)), "n_h": 6}],
         hidden=_hidden_layer_sizes),
    Test("initialize_parameters",
         visible=[{"n_x": 2, "n_h": 3, "n_y": 1}, {"n_x": 3, "n_h": 2, "n_y": 2, "seed": 42}],
         hidden=_hidden_init),
    Test("forward_propagation",
         visible=[{"X": X_VIS, "parameters": P_VIS}],
         hidden=_hidden_forward),
    Test("compute_cost",
         visible=[{"A2": np.array([[0.8, 0.3, 0.6, 0.1]]), "Y": np.array([[1, 0, 0, 0]])},
                  {"A2": np.array([[1.0, 0.0, 0.7, 0.2]]), "Y": np.array([[1, 0, 1, 0]])}],
         hidden=_hidden_cost),
    Test("backward_propagation",
         visible=[_backward_case(P_VIS, X_VIS, Y_VIS)],
         hidden=_hidden_backward,
         score=_score_backward),
    Test("update_parameters",
         visible=[{"parameters": P_VIS, "grads": {"d" + k: 0.1 * v for k, v in P_VIS.items()}},
                  {"parameters": P_VIS, "grads": {"dW1": np.ones((3, 2)), "db1": np.ones((3, 1)),
                                                  "dW2": -np.ones((1, 3)), "db2": np.array([[2.0]])},
                   "learning_rate": 0.5}],
         hidden=_hidden_update),
    Test("nn_model",
         visible=[{"X": X_NN, "Y": Y_NN, "n_h": 3, "num_iterations": 30, "seed": 1}],
         hidden=_hidden_nn_model,
         rtol=1e-5, atol=1e-8),
    Test("predict",
         visible=[{"parameters": P_VIS, "X": np.array([[1.0, -0.5, 2.0, 0.0, -2.0], [0.3, 1.5, -1.0, 0.0, -1.0]])}],
         hidden=_hidden_predict),
]
