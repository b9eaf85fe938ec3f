"""Grading spec for c2w1b_regularization. Visible cases ship with the notebook; hidden draws stay here.

The backward functions are scored against the reference AND against centred finite differences
(float64) of a reference cost written below: for L2, the regularised cross-entropy of the plain
network; for dropout, the cross-entropy of the network with the cache's masks held fixed.
Hidden inputs keep every ReLU pre-activation at least KINK away from 0, so the cost is smooth
where the finite differences are taken.
"""
import numpy as np

from grader.paths import checks
from grader.spec import Test

import three_layer_net as net

TITLE = "Regularisation: L2 and dropout"
HELPERS = ["dnn_utils", "deep_nn", "three_layer_net", "planar_utils", "toy_data"]
DATA = []

GRAD_KEYS = ("dW1", "db1", "dW2", "db2", "dW3", "db3")
RTOL, ATOL = 1e-6, 1e-9            # against the reference
FD_STEP, FD_RTOL, FD_ATOL = 1e-6, 1e-5, 1e-7    # against finite differences
KINK = 1e-3


# ---------------------------------------------------------------- reference pieces (trusted side)

def _parameters(rng, dims):
    p = {}
    for l in range(1, 4):
        p[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * np.sqrt(2 / dims[l - 1])
        p[f"b{l}"] = 0.1 * rng.standard_normal((dims[l], 1))
    return p


def _masks(n1, n2, m, keep_prob, seed):
    """The masks forward_propagation_with_dropout draws: D1 (n1, m) first, then D2 (n2, m)."""
    rng = np.random.default_rng(seed)
    D1 = rng.random((n1, m)) < keep_prob
    D2 = rng.random((n2, m)) < keep_prob
    return D1, D2


def _dropout_forward(X, p, D1, D2, keep_prob):
    """The network with fixed masks; returns (A3, cache) in the notebook's cache layout."""
    Z1 = p["W1"] @ X + p["b1"]
    A1 = np.maximum(Z1, 0) * D1 / keep_prob
    Z2 = p["W2"] @ A1 + p["b2"]
    A2 = np.maximum(Z2, 0) * D2 / keep_prob
    Z3 = p["W3"] @ A2 + p["b3"]
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, {"Z1": Z1, "D1": D1, "A1": A1, "Z2": Z2, "D2": D2, "A2": A2, "Z3": Z3, "A3": A3, **p}


def _smooth(cache):
    return min(np.abs(cache["Z1"]).min(), np.abs(cache["Z2"]).min()) > KINK


def _masks_matter(cache, every_example=False):
    """In each hidden layer the mask keeps some active units and drops others: otherwise a missing
    mask or a missing 1 / keep_prob in the backward pass would not change the gradient.
    every_example: also, in each hidden layer, every example (column) has an active unit that is
    kept, so that every example's gradient passes through the masks and the 1 / keep_prob scaling
    (masks drawn anew, or dW2 computed from the activations before dropout, then show in every case)."""
    ok = True
    for l in (1, 2):
        active, D = cache[f"Z{l}"] > 0, cache[f"D{l}"]
        ok = ok and bool((active & D).any() and (active & ~D).any())
        if every_example:
            ok = ok and bool((active & D).any(axis=0).all())
    return ok


def _problem(rng, dropout):
    """Random small network and data, redrawn until no ReLU input is near its kink (and, with dropout,
    until each mask keeps some active units and drops others)."""
    for _ in range(2000):
        dims = [int(rng.integers(2, 5)), int(rng.integers(3, 7)), int(rng.integers(2, 6)), 1]
        m = int(rng.integers(3, 9))
        X = rng.standard_normal((dims[0], m))
        Y = rng.integers(0, 2, size=(1, m))
        p = _parameters(rng, dims)
        if dropout:
            keep_prob = float(rng.uniform(0.5, 0.9))
            seed = int(rng.integers(0, 2**31 - 1))
            D1, D2 = _masks(dims[1], dims[2], m, keep_prob, seed)
            _, cache = _dropout_forward(X, p, D1, D2, keep_prob)
            if not _masks_matter(cache, every_example=True):
                continue
            case = {"X": X, "Y": Y, "cache": cache, "keep_prob": keep_prob}
        else:
            _, cache = net.forward_propagation(X, p)
            case = {"X": X, "Y": Y, "cache": cache, "lambd": float(rng.uniform(0.05, 2.0))}
        if _smooth(cache):
            return case
    raise RuntimeError("could not draw a smooth test problem")


def _cross_entropy(Z3, Y):
    """The cross-entropy cost computed from the logits Z3 (1, m): no 1 - A3 cancellation when A3 is near 1,
    so that finite differences of it stay accurate to ~1e-10."""
    return float(np.mean(Y * np.logaddexp(0, -Z3) + (1 - Y) * np.logaddexp(0, Z3)))


def _l2_cost(kwargs):
    X, Y, lambd = kwargs["X"], kwargs["Y"], kwargs["lambd"]

    def cost(p):
        _, cache = net.forward_propagation(X, p)
        m = Y.shape[1]
        return _cross_entropy(cache["Z3"], Y) + lambd / (2 * m) * sum(np.sum(p[f"W{l}"] ** 2) for l in (1, 2, 3))
    return cost


def _dropout_cost(kwargs):
    X, Y, c, keep_prob = kwargs["X"], kwargs["Y"], kwargs["cache"], kwargs["keep_prob"]
    return lambda p: _cross_entropy(_dropout_forward(X, p, c["D1"], c["D2"], keep_prob)[1]["Z3"], Y)


def _numerical_gradient(cost, parameters, h=FD_STEP):
    """Centred differences (J(p + h e) - J(p - h e)) / 2h for every entry of every parameter."""
    grads = {}
    for name, value in parameters.items():
        g = np.zeros_like(value, dtype=np.float64)
        for idx in np.ndindex(value.shape):
            plus = {k: v.astype(np.float64).copy() for k, v in parameters.items()}
            minus = {k: v.astype(np.float64).copy() for k, v in parameters.items()}
            plus[name][idx] += h
            minus[name][idx] -= h
            g[idx] = (cost(plus) - cost(minus)) / (2 * h)
        grads["d" + name] = g
    return grads


def _gradient_score(make_cost):
    """score(got, expected, kwargs): all-or-nothing, against the reference and finite differences."""
    def score(got, expected, kwargs):
        if got is None:
            return 0.0, "returned None: not implemented yet (or a missing `return`)."
        if not isinstance(got, dict):
            return 0.0, f"should return a dict of gradients {list(GRAD_KEYS)}, got {type(got).__name__}."
        missing = [k for k in GRAD_KEYS if k not in got]
        if missing:
            return 0.0, f"the returned dict lacks the key(s) {missing}."
        empty = [k for k in GRAD_KEYS if got[k] is None]
        if empty:
            return 0.0, f"grads[{empty[0]!r}] is None: not implemented yet."
        for k in GRAD_KEYS:
            mismatch = checks.compare(got[k], expected[k], RTOL, ATOL, path=f"grads[{k!r}]")
            if mismatch:
                return 0.0, (f"wrong gradient on a hidden test: {mismatch['safe']}. The visible test shows "
                             "expected values for its inputs.")
        parameters = {k: kwargs["cache"][k] for k in net.PARAMETER_NAMES}
        numerical = _numerical_gradient(make_cost(kwargs), parameters)
        for k in GRAD_KEYS:
            if not np.allclose(np.asarray(got[k], dtype=np.float64), numerical[k], rtol=FD_RTOL, atol=FD_ATOL):
                return 0.0, (f"grads[{k!r}] disagrees with a centred finite-difference gradient of the cost "
                             f"on a hidden test (rtol={FD_RTOL:g}, atol={FD_ATOL:g}).")
        return 1.0, ("passed every hidden test: the gradients match the reference and centred finite "
                     "differences in float64.")
    return score


# ---------------------------------------------------------------- visible cases (fixed, small)

def _visible_network(seed):
    rng = np.random.default_rng(seed)
    X = np.round(rng.standard_normal((2, 3)), 2)
    Y = np.array([[1, 0, 1]])
    p = {k: np.round(v, 2) for k, v in _parameters(rng, [2, 3, 2, 1]).items()}
    return X, Y, p


def _visible_l2_backward():
    X, Y, p = _visible_network(11)
    _, cache = net.forward_propagation(X, p)
    assert _smooth(cache)
    return {"X": X, "Y": Y, "cache": cache, "lambd": 0.7}


def _visible_dropout_forward():
    X, _, p = _visible_network(12)
    return {"X": X, "parameters": p, "keep_prob": 0.7, "seed": 1}


def _visible_dropout_backward():
    X, Y, p = _visible_network(12)
    D1, D2 = _masks(3, 2, 3, 0.7, 1)
    _, cache = _dropout_forward(X, p, D1, D2, 0.7)
    assert _smooth(cache) and _masks_matter(cache)
    return {"X": X, "Y": Y, "cache": cache, "keep_prob": 0.7}


def _hidden_cost(rng):
    m = int(rng.integers(2, 12))
    dims = [int(rng.integers(2, 5)), int(rng.integers(2, 7)), int(rng.integers(2, 6)), 1]
    return {"A3": rng.uniform(0.05, 0.95, size=(1, m)), "Y": rng.integers(0, 2, size=(1, m)),
            "parameters": _parameters(rng, dims), "lambd": float(rng.uniform(0.0, 2.0))}


def _hidden_dropout_forward(rng):
    dims = [int(rng.integers(2, 5)), int(rng.integers(2, 7)), int(rng.integers(2, 6)), 1]
    m = int(rng.integers(2, 10))
    return {"X": rng.standard_normal((dims[0], m)), "parameters": _parameters(rng, dims),
            "keep_prob": float(rng.uniform(0.4, 0.95)), "seed": int(rng.integers(0, 2**31 - 1))}


TESTS = [
    Test("compute_cost_with_regularization",
         visible=[{"A3": np.array([[0.8, 0.3, 0.6, 0.9]]), "Y": np.array([[1, 0, 1, 1]]),
                   "parameters": _visible_network(10)[2], "lambd": 0.1}],
         hidden=_hidden_cost, rtol=RTOL, atol=ATOL),
    Test("backward_propagation_with_regularization",
         visible=[_visible_l2_backward()],
         hidden=lambda rng: _problem(rng, dropout=False),
         score=_gradient_score(_l2_cost), rtol=RTOL, atol=ATOL),
    Test("forward_propagation_with_dropout",
         visible=[_visible_dropout_forward()],
         hidden=_hidden_dropout_forward, rtol=RTOL, atol=ATOL),
    Test("backward_propagation_with_dropout",
         visible=[_visible_dropout_backward()],
         hidden=lambda rng: _problem(rng, dropout=True),
         score=_gradient_score(_dropout_cost), rtol=RTOL, atol=ATOL),
]
