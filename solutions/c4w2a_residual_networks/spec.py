"""Grading spec for c4w2a_residual_networks. Visible cases ship with the notebook; hidden draws stay here.

The blocks are bottlenecks: conv 1x1 (stride s) - BN - ReLU - conv 3x3 (pad 1) - BN - ReLU - conv 1x1 - BN,
plus the shortcut (identity, or conv 1x1 with stride s - BN), then ReLU. Convolutions have no bias; batch norm
uses the batch statistics (eps = 1e-5). Caches follow the notebook's layout: a dict of the caches returned by
conv.conv2d_forward ("conv1", "conv2", "conv3", "conv_s"), batchnorm2d_forward ("bn1", ..., "bn_s") and
dnn_utils.relu ("relu1", "relu2", "relu_out").

Hidden blocks vary m (2-3), n_H != n_W (3-6, odd sizes included), the channel counts (all different, so
that swapped caches or a missing projection fail) and the stride (1 or 2, mostly 2). Each beta is chosen
in a gap of the values it shifts, so that every ReLU input is at least KINK_MARGIN from 0: centred
differences are then well defined. The backward functions are scored by `_gradient_score`: the answer must
match the reference solution AND centred finite differences (float64) of a forward pass written here with
its own convolution (numpy sliding windows), independent of utils/conv.py.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from grader.paths import checks
from grader.spec import Test

import conv                       # utils/ is on sys.path (grader.paths): builds caches in the notebook's layout
from dnn_utils import relu
from framework import batchnorm_forward

TITLE = "Residual networks"
HELPERS = ["framework", "dnn_utils", "conv", "data"]
DATA = ["odd_even_digits.h5"]

RTOL, ATOL = 1e-6, 1e-9           # against the reference solution
BN_EPS = 1e-5                     # the notebook's batchnorm2d_forward uses this epsilon
KINK_MARGIN = 0.02                # every hidden ReLU input satisfies |z| >= KINK_MARGIN
FD_STEP = 1e-5
FD_TOL, FD_ATOL = 1e-6, 1e-8      # ||g - g_fd|| <= FD_TOL (||g|| + ||g_fd||) + FD_ATOL


# ---------------------------------------------------------------- an independent forward pass (for finite differences)

def _conv(x, W, stride, pad):
    """Cross-correlation of x (m, n_H, n_W, n_C) with W (f, f, n_C, n_F), written with sliding windows."""
    f = W.shape[0]
    x = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = sliding_window_view(x, (f, f), axis=(1, 2))[:, ::stride, ::stride]   # (m, n_H', n_W', n_C, f, f)
    return np.einsum("mhwcij,ijcn->mhwn", windows, W)


def _bn(x, gamma, beta):
    """Batch norm of each channel over all m * n_H * n_W pixels; gamma, beta (n_C, 1)."""
    mu = x.mean(axis=(0, 1, 2))
    var = x.var(axis=(0, 1, 2))
    return gamma.ravel() * (x - mu) / np.sqrt(var + BN_EPS) + beta.ravel()


def _block(X, p, stride, projection):
    """The block's output, ReLU(main(X) + shortcut(X))."""
    Z = np.maximum(0, _bn(_conv(X, p["W1"], stride, 0), p["gamma1"], p["beta1"]))
    Z = np.maximum(0, _bn(_conv(Z, p["W2"], 1, 1), p["gamma2"], p["beta2"]))
    Z = _bn(_conv(Z, p["W3"], 1, 0), p["gamma3"], p["beta3"])
    S = _bn(_conv(X, p["W_s"], stride, 0), p["gamma_s"], p["beta_s"]) if projection else X
    return np.maximum(0, Z + S)


def _numeric(f, x):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + FD_STEP
        up = f()
        x[idx] = old - FD_STEP
        down = f()
        x[idx] = old
        grad[idx] = (up - down) / (2 * FD_STEP)
    return grad


# ---------------------------------------------------------------- the cache layout of the notebook (for backward inputs)

def _bn2d(x, gamma, beta):
    n_C = x.shape[-1]
    bn_param = {"mode": "train", "eps": BN_EPS, "momentum": 0.9,
                "running_mean": np.zeros((n_C, 1)), "running_var": np.ones((n_C, 1))}
    out, cache, _ = batchnorm_forward(x.reshape(-1, n_C).T, gamma, beta, bn_param)
    return out.T.reshape(x.shape), cache


def _forward_with_cache(X, p, stride, projection):
    cache = {}
    Z, cache["conv1"] = conv.conv2d_forward(X, p["W1"], None, stride=stride)
    Z, cache["bn1"] = _bn2d(Z, p["gamma1"], p["beta1"])
    A, cache["relu1"] = relu(Z)
    Z, cache["conv2"] = conv.conv2d_forward(A, p["W2"], None, stride=1, pad=1)
    Z, cache["bn2"] = _bn2d(Z, p["gamma2"], p["beta2"])
    A, cache["relu2"] = relu(Z)
    Z, cache["conv3"] = conv.conv2d_forward(A, p["W3"], None)
    Z, cache["bn3"] = _bn2d(Z, p["gamma3"], p["beta3"])
    S = X
    if projection:
        S, cache["conv_s"] = conv.conv2d_forward(X, p["W_s"], None, stride=stride)
        S, cache["bn_s"] = _bn2d(S, p["gamma_s"], p["beta_s"])
    out, cache["relu_out"] = relu(Z + S)
    return out, cache


def _point_from_cache(cache):
    """(X, params, stride, projection) of the forward pass that made `cache` (inverse of _forward_with_cache).

    beta_s and beta3 only enter through their sum, so beta_s is set to 0 and beta3 carries the sum: the
    output, and every derivative, is the same as at the original point.
    """
    arr = lambda a: np.array(a, dtype=np.float64)
    X, stride = arr(cache["conv1"][0]), int(cache["conv1"][3])
    projection = "conv_s" in cache
    p = {f"W{k}": arr(cache[f"conv{k}"][1]) for k in (1, 2, 3)}
    cols = lambda a: arr(a).reshape(-1, np.shape(a)[-1]).T

    def bn_part(name):                                  # gamma * x_hat, in columns (n_C, m n_H n_W)
        x_hat, gamma, _ = cache[name]
        return arr(gamma) * arr(x_hat)

    for k in (1, 2, 3):
        p[f"gamma{k}"] = arr(cache[f"bn{k}"][1])
    for k in (1, 2):
        p[f"beta{k}"] = np.mean(cols(cache[f"relu{k}"]) - bn_part(f"bn{k}"), axis=1, keepdims=True)
    rest = cols(cache["relu_out"]) - bn_part("bn3")
    if projection:
        p["W_s"], p["gamma_s"] = arr(cache["conv_s"][1]), arr(cache["bn_s"][1])
        p["beta_s"] = np.zeros_like(p["gamma_s"])
        rest = rest - bn_part("bn_s")
    else:
        rest = rest - cols(X)
    p["beta3"] = np.mean(rest, axis=1, keepdims=True)
    return X, p, stride, projection


_FD_MEMO = {}


def _fd_gradients(dout, cache):
    """(dX, {"dW1": ..., ...}) by centred differences of J = sum(dout * block(X, params)), memoised per case."""
    dout = np.array(dout, dtype=np.float64)
    X, p, stride, projection = _point_from_cache(cache)
    key = (dout.tobytes(), X.tobytes(), stride, projection, tuple(v.tobytes() for v in p.values()))
    if key not in _FD_MEMO:
        J = lambda: float(np.sum(dout * _block(X, p, stride, projection)))
        _FD_MEMO[key] = (_numeric(J, X), {"d" + k: _numeric(J, v) for k, v in p.items()})
    return _FD_MEMO[key]


def _gradient_score(got, expected, kwargs):
    """A Test.score: (dX, grads) must match the reference, then agree with centred finite differences."""
    mismatch = checks.compare(got, expected, RTOL, ATOL)
    if mismatch:
        if mismatch["kind"] == "none":
            return 0.0, "returned None: not implemented yet (or a missing `return`)."
        return 0.0, f"wrong answer on a hidden test: {mismatch['safe']}. The visible test shows expected values."
    dX_fd, grads_fd = _fd_gradients(kwargs["dout"], kwargs["cache"])
    pairs = [("dX", got[0], dX_fd)] + [(k, got[1][k], grads_fd[k]) for k in expected[1]]
    for name, g, n in pairs:
        g = np.asarray(g, dtype=np.float64)
        if not np.linalg.norm(g - n) <= FD_TOL * (np.linalg.norm(g) + np.linalg.norm(n)) + FD_ATOL:
            return 0.0, f"{name} matches the reference but not centred finite differences: please tell your " \
                        "instructor (a grader problem, not yours)."
    return 1.0, "passed; dX and every parameter gradient agree with centred finite differences."


# ---------------------------------------------------------------- hidden draws

def _beta_off_kinks(rng, shifted):
    """A beta (n_C, 1) such that every |shifted[c, i] + beta[c]| >= KINK_MARGIN; shifted: (n_C, N) columns.

    beta is drawn uniformly inside a random gap (wide enough) between the sorted -shifted[c, :], so the
    ReLU is active on some pixels and inactive on others.
    """
    beta = np.zeros((shifted.shape[0], 1))
    for c, row in enumerate(shifted):
        t = np.sort(-row)
        lo, hi = t[:-1] + KINK_MARGIN, t[1:] - KINK_MARGIN           # interior gaps
        ok = np.flatnonzero(hi - lo > 0.02)
        if ok.size == 0:                                             # all active: above the largest value
            beta[c, 0] = t[-1] + KINK_MARGIN + rng.uniform(0.05, 0.5)
            continue
        k = rng.choice(ok)
        beta[c, 0] = rng.uniform(lo[k], hi[k])
    return beta


def _cols(x):
    return x.reshape(-1, x.shape[-1]).T


def _x_hat(z):
    """Batch-normalised z (m, n_H, n_W, n_C), as columns (n_C, m n_H n_W)."""
    c = _cols(z)
    return (c - c.mean(axis=1, keepdims=True)) / np.sqrt(c.var(axis=1, keepdims=True) + BN_EPS)


def _gamma(rng, n):
    return rng.uniform(0.5, 1.5, size=(n, 1)) * rng.choice([-1.0, 1.0], size=(n, 1), p=[0.2, 0.8])


def _draw_block(rng, projection):
    """X and params of a random block whose ReLU inputs all sit at least KINK_MARGIN from 0."""
    m, n_H, n_W = int(rng.integers(2, 4)), *(int(v) for v in rng.choice(np.arange(3, 7), size=2, replace=False))
    stride = int(rng.choice([1, 2], p=[0.25, 0.75])) if projection else 1
    n_C, F1, F2, F3 = (int(v) for v in rng.choice(np.arange(2, 7), size=4, replace=False))
    F3 = F3 if projection else n_C
    X = rng.normal(size=(m, n_H, n_W, n_C))
    p = {"W1": rng.normal(size=(1, 1, n_C, F1)) / np.sqrt(n_C), "gamma1": _gamma(rng, F1),
         "W2": rng.normal(size=(3, 3, F1, F2)) / np.sqrt(9 * F1), "gamma2": _gamma(rng, F2),
         "W3": rng.normal(size=(1, 1, F2, F3)) / np.sqrt(F2), "gamma3": _gamma(rng, F3)}
    u = p["gamma1"] * _x_hat(_conv(X, p["W1"], stride, 0))
    p["beta1"] = _beta_off_kinks(rng, u)
    A = np.maximum(0, u + p["beta1"]).T.reshape(*_conv(X, p["W1"], stride, 0).shape)
    u = p["gamma2"] * _x_hat(_conv(A, p["W2"], 1, 1))
    p["beta2"] = _beta_off_kinks(rng, u)
    A = np.maximum(0, u + p["beta2"]).T.reshape(A.shape[:3] + (F2,))
    u = p["gamma3"] * _x_hat(_conv(A, p["W3"], 1, 0))
    if projection:
        p["W_s"], p["gamma_s"] = rng.normal(size=(1, 1, n_C, F3)) / np.sqrt(n_C), _gamma(rng, F3)
        p["beta_s"] = rng.normal(scale=0.5, size=(F3, 1))
        u = u + p["gamma_s"] * _x_hat(_conv(X, p["W_s"], stride, 0)) + p["beta_s"]
    else:
        u = u + _cols(X)
    p["beta3"] = _beta_off_kinks(rng, u)
    order = ["W1", "gamma1", "beta1", "W2", "gamma2", "beta2", "W3", "gamma3", "beta3"]
    order += ["W_s", "gamma_s", "beta_s"] if projection else []
    return X, {k: p[k] for k in order}, stride


def _hidden_identity_forward(rng):
    X, p, _ = _draw_block(rng, projection=False)
    return {"X": X, "params": p}


def _hidden_conv_forward(rng):
    X, p, stride = _draw_block(rng, projection=True)
    return {"X": X, "params": p, "stride": stride}


def _hidden_backward(projection):
    def draw(rng):
        X, p, stride = _draw_block(rng, projection)
        out, cache = _forward_with_cache(X, p, stride, projection)
        return {"dout": rng.normal(size=out.shape), "cache": cache}
    return draw


# ---------------------------------------------------------------- visible cases (fixed, shown to students)

def _visible_block(seed, projection, stride, shape, F):
    """A rounded block for the visible tests, with its ReLU inputs away from 0 (betas off the kinks)."""
    rng = np.random.default_rng(seed)
    m, n_H, n_W, n_C = shape
    F1, F2, F3 = F
    for _ in range(100):
        X = np.round(rng.normal(size=shape), 2)
        p = {"W1": np.round(rng.normal(size=(1, 1, n_C, F1)) / np.sqrt(n_C), 2),
             "gamma1": np.round(rng.uniform(0.5, 1.5, size=(F1, 1)), 2), "beta1": np.round(rng.normal(size=(F1, 1)), 2),
             "W2": np.round(rng.normal(size=(3, 3, F1, F2)) / np.sqrt(9 * F1), 2),
             "gamma2": np.round(rng.uniform(0.5, 1.5, size=(F2, 1)), 2), "beta2": np.round(rng.normal(size=(F2, 1)), 2),
             "W3": np.round(rng.normal(size=(1, 1, F2, F3)) / np.sqrt(F2), 2),
             "gamma3": np.round(rng.uniform(0.5, 1.5, size=(F3, 1)), 2), "beta3": np.round(rng.normal(size=(F3, 1)), 2)}
        if projection:
            p.update(W_s=np.round(rng.normal(size=(1, 1, n_C, F3)) / np.sqrt(n_C), 2),
                     gamma_s=np.round(rng.uniform(0.5, 1.5, size=(F3, 1)), 2),
                     beta_s=np.round(rng.normal(size=(F3, 1)), 2))
        out, cache = _forward_with_cache(X, p, stride, projection)
        pre = [cache["relu1"], cache["relu2"], cache["relu_out"]]
        if min(np.min(np.abs(z)) for z in pre) >= KINK_MARGIN and 0 < np.mean(out > 0) < 1:
            dout = np.round(rng.normal(size=out.shape), 2)
            return X, p, dout, cache
    raise RuntimeError("no visible block away from the kinks")


_VI = _visible_block(3, False, 1, (2, 4, 3, 3), (2, 4, 3))
_VC1 = _visible_block(5, True, 2, (2, 5, 4, 3), (2, 3, 4))
_VC2 = _visible_block(8, True, 1, (2, 3, 4, 2), (3, 2, 4))

TESTS = [
    Test("identity_block_forward", points=2,
         visible=[{"X": _VI[0], "params": _VI[1]}],
         hidden=_hidden_identity_forward, n_hidden=4, rtol=RTOL, atol=ATOL),
    Test("identity_block_backward", points=3,
         visible=[{"dout": _VI[2], "cache": _VI[3]}],
         hidden=_hidden_backward(False), n_hidden=4, rtol=RTOL, atol=ATOL, score=_gradient_score),
    Test("convolutional_block_forward", points=2,
         visible=[{"X": _VC1[0], "params": _VC1[1], "stride": 2}, {"X": _VC2[0], "params": _VC2[1], "stride": 1}],
         hidden=_hidden_conv_forward, n_hidden=6, rtol=RTOL, atol=ATOL),
    Test("convolutional_block_backward", points=3,
         visible=[{"dout": _VC1[2], "cache": _VC1[3]}, {"dout": _VC2[2], "cache": _VC2[3]}],
         hidden=_hidden_backward(True), n_hidden=6, rtol=RTOL, atol=ATOL, score=_gradient_score),
]
