"""Grading spec for c2w1c_gradient_checking. Visible cases ship with the notebook; hidden draws stay here.

gradient_check_n is called on new network shapes and data, always with gradients that carry a
planted bug of random kind and size (relative difference between 1e-3 and 1), so that a checker
returning a constant cannot pass; the visible test also shows a correct backward pass.
The tolerances of the two checkers are tight on purpose; the reasons are next to each Test.
"""
import numpy as np

from grader.spec import Test
import gc_utils

TITLE = "Gradient checking"
HELPERS = ["dnn_utils", "gc_utils"]
DATA = []


def _signed(rng, low, high):
    return float(rng.choice([-1.0, 1.0]) * rng.uniform(low, high))


def _one_d(rng):
    return {"x": _signed(rng, 0.5, 5.0), "theta": _signed(rng, 0.1, 10.0)}


def _one_d_check(rng, k):
    """x, theta, epsilon for gradient_check, redrawn until the case tells the checkers apart.

    For J = theta * x a centred difference is exact up to rounding, so its relative difference
    is rounding noise, about 1e-16 |theta| / epsilon. The case is kept only when that noise is
    well above the absolute tolerance (> 1e-7, so that a missing denominator |grad| + |gradapprox|,
    a factor 2|x| with |x| >= 0.75, or a denominator without absolute values, changes the answer)
    and when a one-sided difference rounds differently from the centred one (for a linear J they
    agree exactly unless theta + epsilon and theta - epsilon round asymmetrically). x is negative
    in cases 0 and 1, so that grad + gradapprox without absolute values is negative there.
    """
    for _ in range(10_000):
        x = float(rng.uniform(0.75, 5.0)) * (-1.0 if k < 2 else float(rng.choice([-1.0, 1.0])))
        theta = float(rng.choice([-1, 1]) * 10 ** rng.uniform(2, 4))
        epsilon = float(rng.choice([1e-7, 1e-6, 1e-5]))
        centred = ((theta + epsilon) * x - (theta - epsilon) * x) / (2 * epsilon)
        one_sided = ((theta + epsilon) * x - theta * x) / epsilon
        d_centred = abs(x - centred) / (abs(x) + abs(centred))
        d_one_sided = abs(x - one_sided) / (abs(x) + abs(one_sided))
        if d_centred > 1e-7 and abs(d_one_sided - d_centred) > 1e-4 * d_centred:
            return {"x": x, "theta": theta, "epsilon": epsilon}
    raise RuntimeError("could not draw a telling gradient_check case")


def _score_backward(got, expected, kwargs):
    """dtheta must match the solution and a centred difference of J = theta * x computed here."""
    if got is None:
        return 0, "returned None: not implemented yet (or a missing `return`)."
    try:
        got = float(got)
    except (TypeError, ValueError):
        return 0, "should return a single number."
    x, theta, h = kwargs["x"], kwargs["theta"], 1e-6
    numeric = ((theta + h) * x - (theta - h) * x) / (2 * h)
    if not (np.isclose(expected, numeric, rtol=1e-6, atol=1e-9) and np.isclose(got, numeric, rtol=1e-6, atol=1e-9)):
        return 0, "dtheta differs from a centred finite difference of J(theta) = theta * x on a hidden test."
    return 1, "dtheta matches centred finite differences on every hidden test."


def _network(rng):
    """Random small network, data, and its correct gradients."""
    dims = [int(rng.integers(2, 6)), int(rng.integers(2, 6)), int(rng.integers(2, 5)), 1]
    if rng.uniform() < 0.3:
        dims = [dims[0], dims[1], 1]   # sometimes two layers: the checker must not assume three
    m = int(rng.integers(3, 9))
    parameters = gc_utils.initialize_parameters(dims, seed=int(rng.integers(1 << 30)))
    X = rng.normal(size=(dims[0], m))
    Y = (rng.uniform(size=(1, m)) < 0.5).astype(float)
    Y[0, 0], Y[0, -1] = 0.0, 1.0
    _, cache = gc_utils.forward_propagation_n(X, Y, parameters)
    return parameters, gc_utils.backward_propagation_n(X, Y, cache), X, Y


def _plant_bug(rng, gradients, m):
    """A copy of the gradients with one block wrong, the way hand-written backward passes go wrong."""
    bad = {k: v.copy() for k, v in gradients.items()}
    key = str(rng.choice(sorted(bad)))
    kind = int(rng.integers(4))
    if kind == 0:
        bad[key] = bad[key] * m                       # a forgotten 1/m
    elif kind == 1:
        bad[key] = -bad[key]                          # a sign error
    elif kind == 2:
        bad[key] = bad[key] * (1 + 10 ** rng.uniform(-2, 0))   # a wrong factor, sometimes subtle
    else:
        bad[key] = bad[key] + 10 ** rng.uniform(-2, -0.5) * np.abs(bad[key]).max() * rng.normal(size=bad[key].shape)
    return bad


def _approx_difference(good, bad):
    """Relative difference of bad against good (the true gradient, up to ~1e-8)."""
    g = np.concatenate([good[k].ravel() for k in sorted(good)])
    b = np.concatenate([bad[k].ravel() for k in sorted(good)])
    return np.linalg.norm(b - g) / (np.linalg.norm(b) + np.linalg.norm(g))


def _hidden_n(rng):
    while True:
        parameters, gradients, X, Y = _network(rng)
        bad = _plant_bug(rng, gradients, X.shape[1])
        if _approx_difference(gradients, bad) > 1e-3:
            break
    return {"parameters": parameters, "gradients": bad, "X": X, "Y": Y,
            "epsilon": float(rng.choice([1e-7, 1e-6]))}


def _visible_n():
    rng = np.random.default_rng(2024)
    X = rng.normal(size=(3, 5))
    Y = np.array([[1.0, 0.0, 0.0, 1.0, 1.0]])
    parameters = gc_utils.initialize_parameters([3, 4, 2, 1], seed=5)
    _, cache = gc_utils.forward_propagation_n(X, Y, parameters)
    good = gc_utils.backward_propagation_n(X, Y, cache)
    bad = {k: v.copy() for k, v in good.items()}
    bad["db2"] = bad["db2"] * X.shape[1]      # forgot the 1/m
    bad["dW3"] = -bad["dW3"]                  # sign error
    return [{"parameters": parameters, "gradients": good, "X": X, "Y": Y},
            {"parameters": parameters, "gradients": bad, "X": X, "Y": Y}]


TESTS = [
    Test("forward_propagation",
         visible=[{"x": 2.0, "theta": 4.0}, {"x": -1.5, "theta": 0.5}],
         hidden=_one_d),
    Test("backward_propagation",
         visible=[{"x": 2.0, "theta": 4.0}, {"x": -1.5, "theta": 0.5}],
         hidden=_one_d, score=_score_backward),
    # For J = theta * x the difference is pure rounding, about 1e-16 |theta| / epsilon: hidden
    # thetas of 1e2 to 1e4 make it large enough (up to ~1e-5) that a missing denominator changes it,
    # while every correct implementation rounds the same way (to ~1e-16). See _one_d_check.
    Test("gradient_check",
         visible=[{"x": 2.0, "theta": 4.0}, {"x": -3.0, "theta": 0.7, "epsilon": 1e-6}],
         hidden=_one_d_check, rtol=1e-6, atol=1e-9),
    # Every centred-difference checker calls the same forward_propagation_n on the same perturbed
    # vectors, so correct implementations agree to ~1e-15 relative (measured on random networks).
    # Correct gradients give ~1e-9 and buggy ones 1e-3..1; rtol=1e-10 and atol=1e-12 keep a wide
    # margin over 1e-15 and still reject a one-sided difference or a step other than `epsilon`,
    # which move the value by ~1e-10 and more (relative ~1e-8 and more on the hidden values, which
    # are at least 1e-3: an absolute tolerance of 1e-9 would let a one-sided difference through).
    Test("gradient_check_n", points=2,
         visible=_visible_n(),
         hidden=_hidden_n, rtol=1e-10, atol=1e-12),
]
