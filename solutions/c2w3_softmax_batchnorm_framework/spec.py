"""Grading spec for c2w3_softmax_batchnorm_framework. Visible cases ship with the notebook; hidden draws stay here.

Layout: one example per column. The backward functions (softmax_cross_entropy's dZ, linear_backward,
relu_backward, batchnorm_backward) are scored by `_gradient_score`: the answer must match the
reference solution AND a centred finite-difference gradient, in float64, of a forward pass written here.
"""
import numpy as np

from grader.paths import checks
from grader.spec import Test

TITLE = "Softmax, batch normalisation and a small framework"
HELPERS = ["data"]
DATA = ["odd_even_digits.h5"]

RTOL, ATOL = 1e-6, 1e-9
FD_TOL = 1e-6          # relative error allowed between a returned gradient and its centred difference,
FD_ATOL = 1e-7         # plus this absolute slack for the rounding noise of tiny gradients (saturated softmax)


# ------------------------------------------------------------------ forward passes for the gradient checks

def _log_softmax(Z):
    s = Z - Z.max(axis=0, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=0, keepdims=True))


def _bn_cache(x, gamma, eps):
    """The cache (x_hat, gamma, std) of a train-mode batch-norm forward pass."""
    std = np.sqrt(x.var(axis=1, keepdims=True) + eps)
    return (x - x.mean(axis=1, keepdims=True)) / std, gamma, std


def _numeric(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = f()
        x[idx] = old - h
        minus = f()
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def _rel(g, n):
    d = np.linalg.norm(g) + np.linalg.norm(n)
    return 0.0 if d == 0 else float(np.linalg.norm(g - n) / d)


def _ce_numeric(kw):
    Z, Y = np.array(kw["Z"], dtype=np.float64), kw["Y"]
    m = Z.shape[1]
    return [(1, "dZ", _numeric(lambda: -np.sum(Y * _log_softmax(Z)) / m, Z))]


def _linear_numeric(kw):
    dZ = kw["dZ"]
    A, W, b = (np.array(a, dtype=np.float64) for a in kw["cache"])
    J = lambda: np.sum((W @ A + b) * dZ)
    return [(0, "dA_prev", _numeric(J, A)), (1, "dW", _numeric(J, W)), (2, "db", _numeric(J, b))]


def _relu_numeric(kw):
    dA, Z = kw["dA"], np.array(kw["cache"], dtype=np.float64)
    return [(None, "dZ", _numeric(lambda: np.sum(np.maximum(0, Z) * dA), Z))]


def _bn_numeric(kw):
    dout = kw["dout"]
    x_hat, gamma, std = (np.array(a, dtype=np.float64) for a in kw["cache"])
    x = x_hat * std                                   # the input up to a shift per unit, which changes nothing
    eps = std ** 2 - x.var(axis=1, keepdims=True)     # recovered per unit
    beta = np.zeros_like(gamma)

    def J():
        x_hat_ = (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + eps)
        return np.sum((gamma * x_hat_ + beta) * dout)
    return [(0, "dx", _numeric(J, x)), (1, "dgamma", _numeric(J, gamma)), (2, "dbeta", _numeric(J, beta))]


def _gradient_score(numeric_grads):
    """A score= hook: the answer must equal the reference's, then each gradient its centred difference.

    numeric_grads(kwargs) -> [(index in the returned tuple, or None for a single array, name, numeric gradient)].
    Messages name what is wrong, never a hidden value.
    """
    def score(got, expected, kwargs):
        mismatch = checks.compare(got, expected, RTOL, ATOL)
        if mismatch:
            if mismatch["kind"] == "none":
                return 0.0, "returned None: not implemented yet (or a missing `return`)."
            return 0.0, f"wrong answer on a hidden test: {mismatch['safe']}. The visible test shows expected values."
        for index, name, numeric in numeric_grads(kwargs):
            value = got if index is None else got[index]
            value = np.asarray(value, dtype=np.float64)
            err = _rel(value, numeric)
            if not np.linalg.norm(value - numeric) <= FD_TOL * (np.linalg.norm(value) + np.linalg.norm(numeric)) + FD_ATOL:
                return 0.0, f"{name} disagrees with a centred finite-difference gradient (relative error {err:.0e})."
        return 1.0, "passed; the gradients agree with centred finite differences."
    return score


# ------------------------------------------------------------------ inputs

def _dims(rng, low=2, high=7):
    return int(rng.integers(low, high))


def _labels(rng, C, m):
    return rng.integers(0, C, size=m)


def _bn_param(rng, n, mode):
    return {"mode": mode, "eps": float(rng.choice([1e-5, 1e-3, 1e-2])), "momentum": float(rng.uniform(0.6, 0.99)),
            "running_mean": rng.normal(size=(n, 1)), "running_var": rng.uniform(0.5, 2.0, size=(n, 1))}


def _hidden_softmax(rng):
    """m >= 2 columns: the first has scores up to 800-900 (exp overflows without the column maximum
    subtracted), the last has scores of order 1 (so a softmax of it is far from one-hot, and
    subtracting the maximum of the whole matrix instead of the column's underflows it to 0 / 0)."""
    C, m = _dims(rng), _dims(rng, 2)
    Z = rng.normal(size=(C, m)) * rng.choice([1.0, 3.0, 400.0], size=(1, m))
    Z[:, 0] *= rng.uniform(800.0, 900.0) / Z[np.argmax(np.abs(Z[:, 0])), 0]   # its largest score is +800..900
    Z[:, -1] = rng.normal(size=C)
    return {"Z": Z}


def _hidden_one_hot(rng, k):
    """Case 0 leaves the last class out of the labels (so C cannot be read off the labels);
    m differs from C, so the transposed (m, C) matrix cannot pass for the (C, m) one."""
    C = _dims(rng, 2, 11)
    m = int(rng.choice([n for n in range(2, 12) if n != C]))
    return {"labels": rng.integers(0, C - 1 if k == 0 else C, size=m), "C": C}


def _hidden_ce(rng):
    """m >= 2 (a missing 1/m shows). The first column's scores span more than 800, with the label on
    the lowest score: its probability underflows to 0, so only a stable log-softmax gets a finite loss."""
    C, m = _dims(rng), _dims(rng, 2)
    Z = rng.normal(size=(C, m)) * rng.choice([1.0, 3.0, 300.0], size=(1, m))
    Z[:, 0] = rng.permutation(np.linspace(-1.0, 1.0, C)) * rng.uniform(400.0, 450.0) + rng.normal(size=C)
    labels = _labels(rng, C, m)
    labels[0] = int(np.argmin(Z[:, 0]))
    return {"Z": Z, "Y": np.eye(C)[:, labels]}


def _hidden_linear_forward(rng):
    n_in, n_out, m = _dims(rng), _dims(rng, 1), _dims(rng, 1)
    return {"A_prev": rng.normal(size=(n_in, m)), "W": rng.normal(size=(n_out, n_in)), "b": rng.normal(size=(n_out, 1))}


def _hidden_linear_backward(rng):
    n_in, n_out, m = _dims(rng), _dims(rng, 1), _dims(rng, 2)     # m >= 2: a stray 1/m shows
    cache = (rng.normal(size=(n_in, m)), rng.normal(size=(n_out, n_in)), rng.normal(size=(n_out, 1)))
    return {"dZ": rng.normal(size=(n_out, m)), "cache": cache}


def _away_from_zero(rng, shape):
    Z = rng.normal(size=shape)
    return np.where(np.abs(Z) < 0.05, 0.5, Z)


def _both_signs(rng, shape):
    """Entries away from 0, with at least one positive and one negative."""
    Z = _away_from_zero(rng, shape)
    Z.flat[0], Z.flat[-1] = abs(Z.flat[0]), -abs(Z.flat[-1])
    return Z


def _hidden_relu_forward(rng):
    return {"Z": _both_signs(rng, (_dims(rng, 1), _dims(rng, 2)))}


def _hidden_relu_backward(rng):
    """Z of both signs, and dA of the opposite sign to Z somewhere where Z > 0 and where Z < 0."""
    shape = (_dims(rng, 1), _dims(rng, 2))
    Z = _both_signs(rng, shape)
    dA = rng.normal(size=shape)
    dA.flat[0], dA.flat[-1] = -abs(dA.flat[0]), abs(dA.flat[-1])
    return {"dA": dA, "cache": Z}


def _hidden_bn_forward(rng, k):
    """Cases 0 and 1 in train mode, cases 2 and 3 in test mode."""
    n, m = _dims(rng, 1), _dims(rng, 2, 10)
    return {"x": rng.normal(loc=rng.normal(scale=3), scale=rng.uniform(0.5, 4), size=(n, m)),
            "gamma": rng.uniform(0.5, 2, size=(n, 1)), "beta": rng.normal(size=(n, 1)),
            "bn_param": _bn_param(rng, n, "train" if k < 2 else "test")}


def _hidden_bn_backward(rng):
    n, m = _dims(rng, 1), _dims(rng, 2, 10)
    x = rng.normal(loc=rng.normal(scale=3), scale=rng.uniform(0.5, 4), size=(n, m))
    gamma = rng.uniform(0.5, 2, size=(n, 1)) * rng.choice([-1, 1], size=(n, 1))
    return {"dout": rng.normal(size=(n, m)), "cache": _bn_cache(x, gamma, float(rng.choice([1e-5, 1e-3])))}


def _net(rng, n_x, n_h, C, m):
    params = {"W1": rng.normal(size=(n_h, n_x)) * np.sqrt(2 / n_x), "b1": rng.normal(scale=0.1, size=(n_h, 1)),
              "gamma1": rng.uniform(0.5, 1.5, size=(n_h, 1)), "beta1": rng.normal(scale=0.5, size=(n_h, 1)),
              "W2": rng.normal(size=(C, n_h)) * np.sqrt(2 / n_h), "b2": rng.normal(scale=0.1, size=(C, 1))}
    state = {"running_mean1": rng.normal(scale=0.1, size=(n_h, 1)), "running_var1": rng.uniform(0.5, 2, size=(n_h, 1))}
    return {"params": params, "state": state, "X": rng.normal(size=(n_x, m)),
            "Y": np.eye(C)[:, _labels(rng, C, m)]}


def _hidden_train_step(rng):
    """Redrawn until batch norm changes the sign of some pre-activation (Z1 > 0 and U1 < 0, or the
    reverse), so that ReLU's derivative taken at Z1 instead of U1 changes the step."""
    while True:
        case = _net(rng, _dims(rng, 2, 8), _dims(rng, 2, 6), _dims(rng, 2, 5), _dims(rng, 3, 12))
        case.update(learning_rate=float(rng.uniform(0.01, 1.0)), momentum=float(rng.uniform(0.5, 0.99)),
                    eps=float(rng.choice([1e-5, 1e-3])))
        p = case["params"]
        Z1 = p["W1"] @ case["X"] + p["b1"]
        x_hat, _, _ = _bn_cache(Z1, p["gamma1"], case["eps"])
        U1 = p["gamma1"] * x_hat + p["beta1"]
        if ((Z1 > 0) != (U1 > 0)).any():
            return case


# ------------------------------------------------------------------ visible cases (fixed, shown to students)

_v = np.random.default_rng(2024)
_Zv = np.array([[1.0, 2.0, 800.0, 0.0], [2.0, 2.0, 0.0, 0.0], [3.0, -1.0, 801.0, 0.0]])
_Yv = np.eye(3)[:, [2, 0, 2, 1]]
_bn_x = np.array([[1.0, 2.0, 3.0, 6.0], [-1.0, 0.0, 0.5, 0.5], [10.0, 12.0, 8.0, 10.0]])
_bn_g, _bn_b = np.array([[1.0], [2.0], [0.5]]), np.array([[0.0], [1.0], [-1.0]])


def _bn_visible(mode):
    return {"x": _bn_x, "gamma": _bn_g, "beta": _bn_b,
            "bn_param": {"mode": mode, "eps": 1e-5, "momentum": 0.9,
                         "running_mean": np.array([[0.5], [0.0], [9.0]]),
                         "running_var": np.array([[4.0], [1.0], [2.0]])}}


_train_visible = _net(np.random.default_rng(7), 4, 3, 3, 5)
_train_visible.update(learning_rate=0.1)

TESTS = [
    Test("softmax", points=1,
         visible=[{"Z": np.array([[1.0], [2.0], [3.0]])}, {"Z": _Zv}],
         hidden=_hidden_softmax, rtol=RTOL, atol=ATOL),
    Test("one_hot", points=1,
         visible=[{"labels": np.array([2, 0, 3]), "C": 4}, {"labels": np.array([1, 1, 0, 2, 1]), "C": 3}],
         hidden=_hidden_one_hot, rtol=RTOL, atol=ATOL),
    Test("softmax_cross_entropy", points=2,
         visible=[{"Z": np.array([[2.0, 0.5], [1.0, 0.5], [0.0, 2.0]]), "Y": np.eye(3)[:, [0, 2]]},
                  {"Z": _Zv, "Y": _Yv}],
         hidden=_hidden_ce, rtol=RTOL, atol=ATOL, score=_gradient_score(_ce_numeric)),
    Test("linear_forward", points=1,
         visible=[{"A_prev": np.array([[1.0, -1.0], [2.0, 0.0], [0.5, 3.0]]),
                   "W": np.array([[0.1, -0.2, 0.3], [1.0, 0.0, -1.0]]), "b": np.array([[0.5], [-0.5]])}],
         hidden=_hidden_linear_forward, rtol=RTOL, atol=ATOL),
    Test("linear_backward", points=1,
         visible=[{"dZ": np.array([[0.1, -0.2], [0.3, 0.4]]),
                   "cache": (np.array([[1.0, -1.0], [2.0, 0.0], [0.5, 3.0]]),
                             np.array([[0.1, -0.2, 0.3], [1.0, 0.0, -1.0]]), np.array([[0.5], [-0.5]]))}],
         hidden=_hidden_linear_backward, rtol=RTOL, atol=ATOL, score=_gradient_score(_linear_numeric)),
    Test("relu_forward", points=1,
         visible=[{"Z": np.array([[-1.5, 0.0, 2.0], [3.0, -0.1, 0.7]])}],
         hidden=_hidden_relu_forward, rtol=RTOL, atol=ATOL),
    Test("relu_backward", points=1,
         visible=[{"dA": np.array([[0.5, -1.0, 2.0], [1.0, 1.0, -3.0]]),
                   "cache": np.array([[-1.5, 0.3, 2.0], [3.0, -0.1, 0.7]])}],
         hidden=_hidden_relu_backward, rtol=RTOL, atol=ATOL, score=_gradient_score(_relu_numeric)),
    Test("batchnorm_forward", points=2,
         visible=[_bn_visible("train"), _bn_visible("test")],
         hidden=_hidden_bn_forward, n_hidden=4, rtol=RTOL, atol=ATOL),
    Test("batchnorm_backward", points=2,
         visible=[{"dout": np.array([[0.5, -1.0, 0.2, 0.3], [1.0, 0.0, -0.5, 2.0], [0.1, 0.1, 0.1, -0.3]]),
                   "cache": _bn_cache(_bn_x, _bn_g, 1e-5)}],
         hidden=_hidden_bn_backward, rtol=RTOL, atol=ATOL, score=_gradient_score(_bn_numeric)),
    Test("train_step", points=2,
         visible=[_train_visible],
         hidden=_hidden_train_step, rtol=RTOL, atol=ATOL),
]
