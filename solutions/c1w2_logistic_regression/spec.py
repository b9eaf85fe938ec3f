"""Grading spec for c1w2_logistic_regression. Visible cases ship with the notebook; hidden draws stay here.

Hidden data are tiny (n_x 2..8, m 3..20) and training runs take at most a few hundred steps, so
every call returns in milliseconds. `propagate` is also checked against centred finite
differences of a reference cost written here, in float64. Its hidden case 0 (and its second
visible case) holds saturated examples, scores |z| of 40 to 80 where sigmoid(z) is stored as
exactly 0 or 1: one right (y = 1, z > 0), one confidently wrong (y = 0, z > 0), one right on the
negative side. A cost written with log(A) and log(1 - A) is nan there, and one computed from A
clipped away from 0 and 1 is capped for the confidently wrong example.
"""
import numpy as np

from grader.paths import checks
from grader.spec import Test

TITLE = "Logistic regression as a neural network"
HELPERS = ["data", "lr_utils"]
DATA = ["odd_even_digits.h5"]


def _labels(rng, m):
    return (rng.uniform(size=(1, m)) > 0.5).astype(float)


def _problem(rng):
    """Random w (n_x, 1), b, X (n_x, m), Y (1, m) of a small logistic-regression problem."""
    n_x, m = int(rng.integers(2, 9)), int(rng.integers(3, 21))
    return {"w": rng.normal(scale=0.5, size=(n_x, 1)), "b": float(rng.normal(scale=0.5)),
            "X": rng.normal(size=(n_x, m)), "Y": _labels(rng, m)}


def _saturate(rng, w, b, X, Y):
    """Move columns 0, 1, 2 of X along w so that their scores are +40..80, +40..80 and -80..-40,
    with labels 1 (right), 0 (confidently wrong) and 0 (right); the other columns are untouched."""
    X, Y = X.copy(), Y.copy()
    for j, (sign, label) in enumerate([(1.0, 1.0), (1.0, 0.0), (-1.0, 0.0)]):
        target = sign * rng.uniform(40.0, 80.0)
        X[:, j] += (target - (w.T @ X[:, j] + b).item()) * w[:, 0] / np.sum(w ** 2)
        Y[0, j] = label
    perm = rng.permutation(X.shape[1])
    return X[:, perm], Y[:, perm]


def _propagate_case(rng, k):
    case = _problem(rng)
    if k == 0:
        case["X"], case["Y"] = _saturate(rng, case["w"], case["b"], case["X"], case["Y"])
    return case


def _cost(w, b, X, Y):
    """Cross-entropy cost of logistic regression, written independently of the notebook (float64)."""
    z = (w.T @ X + b).ravel()
    y = Y.ravel()
    # -[y log s(z) + (1-y) log(1-s(z))] = log(1 + e^z) - y z, computed stably
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _numeric_grads(w, b, X, Y, h=1e-6):
    dw = np.zeros_like(w, dtype=np.float64)
    for j in range(w.shape[0]):
        e = np.zeros_like(dw)
        e[j, 0] = h
        dw[j, 0] = (_cost(w + e, b, X, Y) - _cost(w - e, b, X, Y)) / (2 * h)
    db = (_cost(w, b + h, X, Y) - _cost(w, b - h, X, Y)) / (2 * h)
    return dw, db


def _score_propagate(got, expected, kwargs):
    """Same values as the reference, and gradients that match centred finite differences of the cost."""
    mismatch = checks.compare(got, expected, rtol=1e-6, atol=1e-9)
    if mismatch:
        if mismatch["kind"] == "none":
            return 0.0, "returned None: not implemented yet (or a missing `return`)."
        return 0.0, (f"wrong answer on a hidden test: {mismatch['safe']}. The visible test shows "
                     "expected values for its inputs.")
    w, b = np.asarray(kwargs["w"], dtype=np.float64), float(kwargs["b"])
    X, Y = np.asarray(kwargs["X"], dtype=np.float64), np.asarray(kwargs["Y"], dtype=np.float64)
    num_dw, num_db = _numeric_grads(w, b, X, Y)
    grads, cost = got
    if not np.isclose(float(cost), _cost(w, b, X, Y), rtol=1e-6, atol=1e-9):
        return 0.0, "the cost does not match the cross-entropy cost on a hidden test."
    for key, numeric in (("dw", num_dw), ("db", num_db)):
        value = np.asarray(grads[key], dtype=np.float64)
        if value.shape != np.shape(numeric) or not np.allclose(value, numeric, rtol=1e-5, atol=1e-8):
            return 0.0, f"grads['{key}'] disagrees with a centred finite-difference gradient of the cost."
    return 1.0, "passed; the gradients agree with centred finite differences of the cost."


def _optimize_case(rng):
    case = _problem(rng)
    if rng.uniform() < 0.5:
        case["w"], case["b"] = np.zeros_like(case["w"]), 0.0
    case["num_iterations"] = int(rng.integers(101, 351))
    case["learning_rate"] = float(rng.uniform(0.005, 0.5))
    return case


def _predict_case(rng):
    """Scores spread widely, plus two planned columns: one with 0 < z < 0.5 (a threshold of 0.5 on z
    instead of on sigmoid(z) gets it wrong) and one with w^T x = -b / 2 (forgetting b flips it)."""
    case = _problem(rng)
    w, b, X = case["w"] * 3.0, case["b"], case["X"]
    if abs(b) < 0.2:
        b = float(np.copysign(rng.uniform(0.2, 1.0), b))
    for j, target in enumerate([rng.uniform(0.05, 0.45), b / 2]):
        X[:, j] += (target - (w.T @ X[:, j] + b).item()) * w[:, 0] / np.sum(w ** 2)
    perm = rng.permutation(X.shape[1])
    return {"w": w, "b": b, "X": X[:, perm]}


def _model_case(rng):
    n_x, m_train, m_test = int(rng.integers(2, 9)), int(rng.integers(5, 21)), int(rng.integers(3, 13))
    w_true = rng.normal(size=(n_x, 1))
    X_train, X_test = rng.normal(size=(n_x, m_train)), rng.normal(size=(n_x, m_test))
    noisy = lambda X: ((w_true.T @ X + rng.normal(scale=0.5, size=(1, X.shape[1]))) > 0).astype(float)
    return {"X_train": X_train, "Y_train": noisy(X_train), "X_test": X_test, "Y_test": noisy(X_test),
            "num_iterations": int(rng.integers(100, 301)), "learning_rate": float(rng.uniform(0.01, 0.5))}


_X_VIS = np.array([[1.0, -2.0, 0.5, 3.0], [0.5, 1.5, -1.0, 2.0], [-1.0, 0.0, 2.5, -0.5]])
_Y_VIS = np.array([[1.0, 0.0, 0.0, 1.0]])

TESTS = [
    Test("sigmoid",
         visible=[{"z": np.array([-3.0, 0.0, 0.5, 4.0])},
                  {"z": np.array([[1.0, -1.0], [10.0, -10.0]])}],
         hidden=lambda rng: {"z": rng.normal(scale=4.0, size=(int(rng.integers(1, 5)), int(rng.integers(1, 7))))}),
    Test("initialize_with_zeros",
         visible=[{"dim": 3}],
         hidden=lambda rng: {"dim": int(rng.integers(2, 40))}),
    Test("propagate",
         visible=[{"w": np.array([[0.5], [-1.0], [0.25]]), "b": 0.5, "X": _X_VIS, "Y": _Y_VIS},
                  {"w": np.array([[40.0]]), "b": 0.0, "X": np.array([[1.0, -1.0]]), "Y": np.array([[1.0, 0.0]])}],
         hidden=_propagate_case, score=_score_propagate),
    Test("optimize",
         visible=[{"w": np.array([[0.5], [-1.0], [0.25]]), "b": 0.5, "X": _X_VIS, "Y": _Y_VIS,
                   "num_iterations": 201, "learning_rate": 0.05}],
         hidden=_optimize_case),
    Test("predict",
         visible=[{"w": np.array([[0.4], [-0.8], [1.2]]), "b": -0.3, "X": _X_VIS}],
         hidden=_predict_case),
    Test("model",
         visible=[{"X_train": _X_VIS, "Y_train": _Y_VIS,
                   "X_test": np.array([[2.0, -1.0], [0.0, 1.0], [1.0, 1.0]]), "Y_test": np.array([[1.0, 0.0]]),
                   "num_iterations": 150, "learning_rate": 0.1}],
         hidden=_model_case),
]
