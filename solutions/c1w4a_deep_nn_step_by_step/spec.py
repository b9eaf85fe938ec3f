"""Grading spec for c1w4a_deep_nn_step_by_step. Visible cases ship with the notebook; hidden draws stay here.

Hidden networks have depths and widths the visible cases do not use (depth 2, 4, 5 or 6; the one
depth-2 visible case is the saturated example below). The three backward functions are scored by
`_gradient_score`: the student's result must match the reference solution AND agree with centred
finite differences (float64) of a reference forward pass and cost written below, on inputs whose
ReLU pre-activations are kept away from the kink at 0.

Saturation: compute_cost's hidden case 0 holds outputs stored as exactly 1.0 and 0.0 (with labels
that agree), and L_model_backward's hidden case 0 a network whose output layer is scaled so that
its largest score is 40..80 (sigmoid stored as exactly 1.0); every example with |z| > 30 gets the
label that agrees with it, so the clipped derivative of the notebook is exact there, and the
examples with moderate scores keep the finite-difference check meaningful. The unclipped forms
give nan on these cases.
"""
import numpy as np
from scipy.special import expit

from grader.paths import checks
from grader.spec import Test, once_per_case

TITLE = "Building a deep neural network, step by step"
HELPERS = ["dnn_utils"]
DATA = []

RTOL, ATOL = 1e-6, 1e-9          # against the reference solution
FD_STEP = 1e-6                   # centred difference step
FD_RTOL, FD_ATOL = 1e-5, 1e-7    # against the finite differences (their error is ~1e-9 here)
KINK_MARGIN = 0.05               # hidden ReLU pre-activations satisfy |Z| >= this
HIDDEN_DEPTHS = [2, 4, 5, 6]     # visible cases use depth 3 (and 2 for the saturated example only)


# ---------------------------------------------------------------- reference forward pass (float64)

def _act(Z, activation):
    return expit(Z) if activation == "sigmoid" else np.maximum(0.0, Z)


def _layer(A_prev, W, b, activation):
    return _act(W @ A_prev + b, activation)


def _cost(ZL, Y):
    """Cross-entropy from the output scores ZL: mean of log(1 + e^z) - y z, exact even where sigmoid(z) rounds to 1."""
    return float(np.mean(np.logaddexp(0.0, ZL) - Y * ZL))


def _scores_from(A, params, start, L):
    """The output scores Z[L] of layers start+1 .. L given the activations A of layer `start`."""
    for l in range(start + 1, L):
        A = _layer(A, params[f"W{l}"], params[f"b{l}"], "relu")
    return params[f"W{L}"] @ A + params[f"b{L}"]


def _numeric(f, x):
    """Centred differences of the scalar function f at the array x (x is restored)."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        old = x[idx]
        x[idx] = old + FD_STEP
        up = f()
        x[idx] = old - FD_STEP
        down = f()
        x[idx] = old
        grad[idx] = (up - down) / (2 * FD_STEP)
    return grad


# -------------------------------------------------------------------------------- hidden draws

def _sizes(rng, n, low=1, high=6):
    return [int(s) for s in rng.integers(low, high + 1, size=n)]


def _params(rng, dims):
    return {k: v for l in range(1, len(dims)) for k, v in
            ((f"W{l}", rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])),
             (f"b{l}", 0.3 * rng.standard_normal((dims[l], 1))))}


def _away_from_kink(rng, draw):
    """Redraw (A_prev, W, b) until every entry of W A_prev + b is at least KINK_MARGIN from 0."""
    for _ in range(1000):
        A_prev, W, b = draw()
        Z = W @ A_prev + b
        if np.min(np.abs(Z)) >= KINK_MARGIN:
            return A_prev, W, b, Z
    raise RuntimeError("could not draw inputs away from the ReLU kink")


def _layer_inputs(rng):
    n_prev, n, m = _sizes(rng, 3, 1, 5)
    return _away_from_kink(rng, lambda: (rng.standard_normal((n_prev, m)),
                                         rng.standard_normal((n, n_prev)),
                                         rng.standard_normal((n, 1))))


def _network(rng, kink_free=False):
    """A random network of depth in HIDDEN_DEPTHS: X (n0, m), Y (1, m), parameters, and its caches."""
    L = int(rng.choice(HIDDEN_DEPTHS))
    dims = _sizes(rng, L, 1, 6) + [1]
    m = int(rng.integers(2, 7))
    X = rng.standard_normal((dims[0], m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    params, caches, A = {}, [], X
    for l in range(1, L + 1):
        def draw():
            return (A, rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1]),
                    0.3 * rng.standard_normal((dims[l], 1)))
        if kink_free and l < L:
            _, W, b, Z = _away_from_kink(rng, draw)
        else:
            _, W, b = draw()
            Z = W @ A + b
        params[f"W{l}"], params[f"b{l}"] = W, b
        caches.append(((A, W, b), Z))
        A = _act(Z, "relu" if l < L else "sigmoid")
    return X, Y, params, caches, A


def _hidden_init(rng, k):
    """Case 0 has three different sizes, so that scaling W2 by the wrong layer's size shows."""
    n_x, n_h, n_y = _sizes(rng, 3, 1, 7)
    if k == 0:
        n_x, n_h, n_y = (int(n) for n in rng.permutation(np.arange(1, 8))[:3])
    return {"n_x": n_x, "n_h": n_h, "n_y": n_y, "seed": int(rng.integers(0, 10_000))}


def _hidden_init_deep(rng, k):
    """Case 0 has all sizes different, so that scaling by a layer's own size instead of the previous one shows."""
    n = int(rng.integers(3, 8))
    dims = _sizes(rng, n, 1, 7) if k else [int(d) for d in rng.permutation(np.arange(1, 8))[:n]]
    return {"layer_dims": dims, "seed": int(rng.integers(0, 10_000))}


def _hidden_linear_forward(rng):
    n_prev, n, m = _sizes(rng, 3, 1, 6)
    return {"A_prev": rng.standard_normal((n_prev, m)), "W": rng.standard_normal((n, n_prev)),
            "b": rng.standard_normal((n, 1))}


def _hidden_linear_activation_forward(rng, k):
    case = _hidden_linear_forward(rng)
    case["activation"] = ["relu", "sigmoid"][k % 2]
    return case


def _hidden_L_model_forward(rng):
    X, _, params, _, _ = _network(rng)
    return {"X": X, "parameters": params}


def _hidden_compute_cost(rng, k):
    """m >= 2 with both labels; case 0 also has outputs stored as exactly 1.0 and 0.0 (labels 1 and 0)."""
    m = int(rng.integers(2, 12))
    AL = rng.uniform(0.02, 0.98, size=(1, m))
    Y = rng.permutation(np.r_[0.0, 1.0, rng.integers(0, 2, size=m - 2)]).reshape(1, m)
    if k == 0:
        AL = np.hstack([AL, [[1.0, 0.0, 1.0 - 1e-17]]])
        Y = np.hstack([Y, [[1.0, 0.0, 1.0]]])
        perm = rng.permutation(m + 3)
        AL, Y = AL[:, perm], Y[:, perm]
    return {"AL": AL, "Y": Y}


def _hidden_linear_backward(rng):
    A_prev, W, b, Z = _layer_inputs(rng)
    return {"dZ": rng.standard_normal(Z.shape), "cache": (A_prev, W, b)}


def _hidden_linear_activation_backward(rng, k):
    A_prev, W, b, Z = _layer_inputs(rng)
    return {"dA": rng.standard_normal(Z.shape), "cache": ((A_prev, W, b), Z),
            "activation": ["relu", "sigmoid"][k % 2]}


def _saturated_network(rng):
    """A kink-free random network whose output layer is scaled so that its largest score is 40..80.

    Examples with |z| > 30 get the label that agrees with z; at least one other has |z| < 10.
    """
    for _ in range(1000):
        X, Y, params, caches, _ = _network(rng, kink_free=True)
        if X.shape[1] < 3:
            continue
        (A_prev, W, b), Z = caches[-1]
        if Z.max() <= 0:
            continue
        scale = rng.uniform(40.0, 80.0) / Z.max()
        W, b = W * scale, b * scale
        Z = W @ A_prev + b
        if np.min(np.abs(Z)) >= 10:
            continue
        Y = np.where(np.abs(Z) > 30, (Z > 0).astype(float), Y)
        caches[-1] = ((A_prev, W, b), Z)
        return Y, caches, _act(Z, "sigmoid")
    raise RuntimeError("could not draw a saturated network")


def _hidden_L_model_backward(rng, k):
    if k == 0:
        Y, caches, AL = _saturated_network(rng)
    else:
        _, Y, _, caches, AL = _network(rng, kink_free=True)
    return {"AL": AL, "Y": Y, "caches": caches}


def _hidden_update_parameters(rng):
    L = int(rng.choice(HIDDEN_DEPTHS))
    dims = _sizes(rng, L + 1, 1, 6)
    params = _params(rng, dims)
    grads = {"d" + k: rng.standard_normal(v.shape) for k, v in params.items()}
    return {"params": params, "grads": grads, "learning_rate": float(rng.uniform(0.001, 2.0))}


# ------------------------------------------------------------------- gradients by finite differences

def _fd_linear_backward(dZ, cache):
    """(dA_prev, dW, db) from centred differences of J = sum(dZ * (W A_prev + b)) / m."""
    A_prev, W, b = (np.array(x, dtype=np.float64) for x in cache)
    dZ = np.asarray(dZ, dtype=np.float64)
    m = A_prev.shape[1]

    def J():
        return float(np.sum(dZ * (W @ A_prev + b))) / m
    return m * _numeric(J, A_prev), _numeric(J, W), _numeric(J, b)


def _fd_linear_activation_backward(dA, cache, activation):
    """(dA_prev, dW, db) from centred differences of J = sum(dA * g(W A_prev + b)) / m."""
    (A_prev, W, b), _ = cache
    A_prev, W, b = (np.array(x, dtype=np.float64) for x in (A_prev, W, b))
    dA = np.asarray(dA, dtype=np.float64)
    m = A_prev.shape[1]

    def J():
        return float(np.sum(dA * _layer(A_prev, W, b, activation))) / m
    return m * _numeric(J, A_prev), _numeric(J, W), _numeric(J, b)


def _fd_L_model_backward(AL, Y, caches):
    """The grads dict from centred differences of the cost of the network rebuilt from its caches."""
    L = len(caches)
    Y = np.asarray(Y, dtype=np.float64)
    m = Y.shape[1]
    params = {}
    acts = []
    for l, ((A_prev, W, b), _) in enumerate(caches, 1):
        params[f"W{l}"], params[f"b{l}"] = np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)
        acts.append(np.array(A_prev, dtype=np.float64))
    X = acts[0]

    def J():
        return _cost(_scores_from(X, params, 0, L), Y)
    grads = {}
    for l in range(1, L + 1):
        A = acts[l - 1]
        grads[f"dA{l - 1}"] = m * _numeric(lambda: _cost(_scores_from(A, params, l - 1, L), Y), A)
        grads[f"dW{l}"] = _numeric(J, params[f"W{l}"])
        grads[f"db{l}"] = _numeric(J, params[f"b{l}"])
    return grads


def _gradient_score(names, numeric):
    """A Test.score: the result must match the reference and the centred finite differences.

    names   the outputs in order (a tuple), or None for a dict result (compared key by key)
    numeric kwargs -> the same structure as the result, computed by finite differences
    """
    numeric_of = once_per_case(numeric)

    def score(got, expected, kwargs):
        if names is None:
            if not isinstance(got, dict):
                if got is None:
                    return 0.0, "returned None: not implemented yet (or a missing `return`)."
                return 0.0, f"should return a dict, got {type(got).__name__}."
            keys = list(expected)
            if any(k not in got for k in keys):
                return 0.0, "the dict lacks some of the expected keys on a hidden test (a deeper or shallower " \
                            "network than the visible one): are all layers visited, whatever the depth?"
            # feedback names the kind of gradient (dW, db, dA) but not the layer, which would reveal the depth
            pairs = [(k.rstrip("0123456789") + " of some layer", got[k], expected[k]) for k in keys]
        else:
            if got is None or (isinstance(got, (tuple, list)) and all(g is None for g in got)):
                return 0.0, "returned None: not implemented yet (or a missing `return`)."
            if not isinstance(got, (tuple, list)) or len(got) != len(names):
                return 0.0, f"should return a tuple of {len(names)} arrays ({', '.join(names)})."
            pairs = list(zip(names, got, expected))
        for name, g, e in pairs:
            m = checks.compare(g, e, RTOL, ATOL, path=name)
            if m:
                return 0.0, f"wrong answer on a hidden test: {m['safe']}. The visible test shows expected " \
                            "values for its inputs."
        fd = numeric_of(kwargs)
        fd = [fd[k] for k in expected] if names is None else fd
        for (name, g, _), n in zip(pairs, fd):
            if checks.compare(g, n, FD_RTOL, FD_ATOL, path=name):
                return 0.0, f"{name} matches the reference but not the centred finite differences: " \
                            "please tell your instructor (a grader problem, not yours)."
        return 1.0, "passed every hidden test, and the gradients agree with centred finite differences."
    return score


# ---------------------------------------------------------------------------------- visible cases

_v = np.random.default_rng(2024)
_VIS_A = np.round(_v.standard_normal((3, 2)), 2)
_VIS_W = np.round(_v.standard_normal((2, 3)), 2)
_VIS_B = np.array([[0.1], [-0.3]])


def _visible_network(seed):
    """A depth-3 network [3, 4, 2, 1] on 3 examples, rounded, with every |Z| >= KINK_MARGIN.

    Returns X (3, 3), the parameters, the caches of its forward pass and its output AL (1, 3).
    """
    rng = np.random.default_rng(seed)
    dims = [3, 4, 2, 1]
    X = np.round(rng.standard_normal((3, 3)), 2)
    params, caches, A = {}, [], X
    for l in range(1, 4):
        while True:
            W = np.round(rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1]), 2)
            b = np.round(0.3 * rng.standard_normal((dims[l], 1)), 2)
            Z = W @ A + b
            if np.min(np.abs(Z)) >= KINK_MARGIN:
                break
        params[f"W{l}"], params[f"b{l}"] = W, b
        caches.append(((A, W, b), Z))
        A = _act(Z, "relu" if l < 3 else "sigmoid")
    return X, params, caches, A


_VIS_X, _VIS_PARAMS, _VIS_CACHES, _VIS_AL = _visible_network(24)


def _saturated_visible():
    """The confident network W1 = [[2]], W2 = [[20]] (zero biases) on X = [[1, 1.5]]: scores 40 and 60."""
    X = np.array([[1.0, 1.5]])
    W1, b1, W2, b2 = np.array([[2.0]]), np.array([[0.0]]), np.array([[20.0]]), np.array([[0.0]])
    Z1 = W1 @ X + b1
    Z2 = W2 @ Z1 + b2
    return {"AL": _act(Z2, "sigmoid"), "Y": np.array([[1.0, 1.0]]),
            "caches": [((X, W1, b1), Z1), ((np.maximum(0.0, Z1), W2, b2), Z2)]}

_VIS_Y = np.array([[1.0, 0.0, 1.0]])
_VIS_Z = _VIS_W @ _VIS_A + _VIS_B
_VIS_DZ = np.array([[0.5, -1.2], [0.3, 0.8]])

TESTS = [
    Test("initialize_parameters",
         visible=[{"n_x": 3, "n_h": 2, "n_y": 1}, {"n_x": 2, "n_h": 3, "n_y": 2, "seed": 7}],
         hidden=_hidden_init),
    Test("initialize_parameters_deep",
         visible=[{"layer_dims": [4, 3, 2, 1]}, {"layer_dims": [2, 3, 1], "seed": 11}],
         hidden=_hidden_init_deep),
    Test("linear_forward",
         visible=[{"A_prev": _VIS_A, "W": _VIS_W, "b": _VIS_B}],
         hidden=_hidden_linear_forward),
    Test("linear_activation_forward",
         visible=[{"A_prev": _VIS_A, "W": _VIS_W, "b": _VIS_B, "activation": "sigmoid"},
                  {"A_prev": _VIS_A, "W": _VIS_W, "b": _VIS_B, "activation": "relu"}],
         hidden=_hidden_linear_activation_forward, n_hidden=8),
    Test("L_model_forward",
         visible=[{"X": _VIS_X, "parameters": _VIS_PARAMS}],
         hidden=_hidden_L_model_forward, n_hidden=4),
    Test("compute_cost",
         visible=[{"AL": np.array([[0.8, 0.1, 0.6]]), "Y": np.array([[1.0, 0.0, 0.0]])},
                  {"AL": np.array([[1.0, 0.0, 0.6]]), "Y": np.array([[1.0, 0.0, 1.0]])}],
         hidden=_hidden_compute_cost),
    Test("linear_backward",
         visible=[{"dZ": _VIS_DZ, "cache": (_VIS_A, _VIS_W, _VIS_B)}],
         hidden=_hidden_linear_backward,
         score=_gradient_score(("dA_prev", "dW", "db"), _fd_linear_backward)),
    Test("linear_activation_backward",
         visible=[{"dA": _VIS_DZ, "cache": ((_VIS_A, _VIS_W, _VIS_B), _VIS_Z), "activation": "sigmoid"},
                  {"dA": _VIS_DZ, "cache": ((_VIS_A, _VIS_W, _VIS_B), _VIS_Z), "activation": "relu"}],
         hidden=_hidden_linear_activation_backward, n_hidden=8,
         score=_gradient_score(("dA_prev", "dW", "db"), _fd_linear_activation_backward)),
    Test("L_model_backward",
         visible=[{"AL": _VIS_AL, "Y": _VIS_Y, "caches": _VIS_CACHES}, _saturated_visible()],
         hidden=_hidden_L_model_backward, n_hidden=4,
         score=_gradient_score(None, _fd_L_model_backward)),
    Test("update_parameters",
         visible=[{"params": _VIS_PARAMS,
                   "grads": {"d" + k: np.round(np.full(v.shape, 0.1) * (i + 1), 2)
                             for i, (k, v) in enumerate(_VIS_PARAMS.items())},
                   "learning_rate": 0.5}],
         hidden=_hidden_update_parameters),
]
