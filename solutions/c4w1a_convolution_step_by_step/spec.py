"""Grading spec for c4w1a_convolution_step_by_step. Visible cases ship with the notebook; hidden draws stay here.

Hidden inputs, drawn afresh each run:
- every image batch has m >= 2 and pairwise different sizes along its four axes, and so does every
  output (m, n_H, n_W, n_C): a swapped n_H / n_W, or a wrong m or n_C, changes the shape, and the
  feedback names the dimension; biases are non-zero and differ from filter to filter;
- the hidden case k of an item (k = 0, 1, 2, ...) follows a fixed plan, so that every catalogued
  mistake meets an input that exposes it in every grading run (see _PLAN_* below): strides 1, 2
  and 3, paddings 0, 1 and 2, filters of size 1 to 5, windows that overlap (stride < f) and a
  (n + 2 pad - f) that the stride does not divide; pooling cases alternate max and average;
- pooling inputs have well-separated values (no ties, and every window's maximum at least 0.05 above
  the rest), so max-pool gradients are defined and finite differences are exact.
The two backward functions are scored by `_gradient_score`: the result must match the reference
solution AND agree with centred finite differences (float64) of a forward pass written below.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from grader.paths import checks
from grader.spec import Test, once_per_case

TITLE = "Convolution and pooling, step by step"
HELPERS = ["data", "dnn_utils", "framework", "conv"]
DATA = ["photos.h5"]

RTOL, ATOL = 1e-6, 1e-9          # against the reference solution
FD_STEP = 1e-6                   # centred difference step
FD_RTOL, FD_ATOL = 1e-5, 1e-7    # against the finite differences (their error is ~1e-9 here)
POOL_GAP = 0.05                  # distinct pooling input values are at least this far apart


def _choice(rng, values):
    return int(rng.choice(values))


# ------------------------------------------------------------------------ reference forward passes

def _windows(x_pad, f, stride):
    """(m, n_H, n_W, n_C, f, f) view of the f x f windows of x_pad (m, H, W, n_C) with the given stride."""
    return sliding_window_view(x_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]


def _conv(A_prev, W, b, stride, pad):
    x_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    win = _windows(x_pad, W.shape[0], stride)            # (m, n_H, n_W, n_C_prev, f, f)
    return np.einsum("ihwkrq,rqkc->ihwc", win, W) + b


def _pool(A_prev, f, stride, mode):
    win = _windows(A_prev, f, stride)
    return win.max(axis=(4, 5)) if mode == "max" else win.mean(axis=(4, 5))


def _out(n, f, stride, pad=0):
    return (n + 2 * pad - f) // stride + 1


def _numeric(J, x):
    """Centred differences of the scalar function J() at the array x (x is restored)."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        old = x[idx]
        x[idx] = old + FD_STEP
        up = J()
        x[idx] = old - FD_STEP
        down = J()
        x[idx] = old
        grad[idx] = (up - down) / (2 * FD_STEP)
    return grad


def _fd_conv_backward(dZ, cache):
    """(dA_prev, dW, db) from centred differences of J = sum(dZ * conv(A_prev, W, b))."""
    A_prev, W, b, hp = cache
    A_prev, W, b = (np.array(x, dtype=np.float64) for x in (A_prev, W, b))
    dZ = np.asarray(dZ, dtype=np.float64)

    def J():
        return float(np.sum(dZ * _conv(A_prev, W, b, hp["stride"], hp["pad"])))
    return _numeric(J, A_prev), _numeric(J, W), _numeric(J, b)


def _fd_pool_backward(dA, cache, mode="max"):
    """(dA_prev,) from centred differences of J = sum(dA * pool(A_prev))."""
    A_prev, hp = cache
    A_prev = np.array(A_prev, dtype=np.float64)
    dA = np.asarray(dA, dtype=np.float64)

    def J():
        return float(np.sum(dA * _pool(A_prev, hp["f"], hp["stride"], mode)))
    return (_numeric(J, A_prev),)


def _gradient_score(names, numeric):
    """A Test.score: the result must match the reference and the centred finite differences.

    names   the outputs in order; a single name means the function returns one array (not a tuple)
    numeric kwargs -> tuple of arrays in the same order, computed by finite differences
    """
    single = len(names) == 1

    numeric_of = once_per_case(numeric)

    def score(got, expected, kwargs):
        if single:
            got, expected = (got,), (expected,)
        if got is None or (isinstance(got, (tuple, list)) and all(g is None for g in got)):
            return 0.0, "returned None: not implemented yet (or a missing `return`)."
        if not isinstance(got, (tuple, list)) or len(got) != len(names):
            return 0.0, f"should return a tuple of {len(names)} arrays ({', '.join(names)})."
        for name, g, e in zip(names, got, expected):
            m = checks.compare(g, e, RTOL, ATOL, path=name)
            if m:
                # (also called on the visible cases, so the message does not say which kind of case failed)
                return 0.0, f"wrong answer: {m['safe']}. The visible test shows expected values for its inputs."
        for name, g, n in zip(names, got, numeric_of(kwargs)):
            if checks.compare(g, n, FD_RTOL, FD_ATOL, path=name):
                return 0.0, f"{name} matches the reference but not the centred finite differences: " \
                            "please tell your instructor (a grader problem, not yours)."
        return 1.0, "passed every test, and the gradients agree with centred finite differences."
    return score


# --------------------------------------------------------------------------------- hidden draws

def _distinct(*sizes):
    return len(set(sizes)) == len(sizes)


def _conv_shapes(rng, stride, pad, f, ragged=False):
    """Sizes (m, n_H_prev, n_W_prev, n_C_prev, n_C) with distinct input and output sizes.

    ragged: the stride divides neither n_H_prev + 2 pad - f nor n_W_prev + 2 pad - f.
    """
    for _ in range(10_000):
        m = int(rng.integers(2, 5))
        # up to 5 output rows and columns: enough room for four different sizes in (m, n_H, n_W, n_C)
        low = max(1, f - 2 * pad)
        n_H_prev, n_W_prev = (int(n) for n in rng.integers(low, low + 5 * stride, size=2))
        n_C_prev, n_C = int(rng.integers(1, 5)), int(rng.integers(2, 6))
        if n_H_prev + 2 * pad < f or n_W_prev + 2 * pad < f:
            continue
        n_H, n_W = _out(n_H_prev, f, stride, pad), _out(n_W_prev, f, stride, pad)
        if min(n_H, n_W) < 2 or not _distinct(m, n_H, n_W, n_C) or not _distinct(m, n_H_prev, n_W_prev, n_C_prev):
            continue
        if n_C == n_C_prev:
            continue
        if ragged and ((n_H_prev + 2 * pad - f) % stride == 0 or (n_W_prev + 2 * pad - f) % stride == 0):
            continue
        return m, n_H_prev, n_W_prev, n_C_prev, n_C
    raise RuntimeError("could not draw convolution sizes")


# (stride, pad, f, ragged) of hidden case k; None = drawn at random
_PLAN_CONV = [
    ((2, 3), (1, 2), (2, 3, 4, 5), True),     # stride > 1, padding, ragged sizes: stride, pad and floor mistakes
    ((1,), (0,), (1, 2, 3, 4, 5), False),     # stride 1, no padding (pad = 0 breaks x[pad:-pad])
    ((2,), (1, 2), (3, 4, 5), False),         # overlapping windows with stride 2 and padding
    ((1, 2, 3), (0, 1, 2), (1, 2, 3, 4, 5), False),
]


def _conv_case(rng, k):
    """Hidden case k follows row k of the plan, so every grading run has a case that exposes each mistake."""
    strides, pads, fs, ragged = _PLAN_CONV[k % len(_PLAN_CONV)]
    stride, pad, f = _choice(rng, strides), _choice(rng, pads), _choice(rng, fs)
    m, n_H_prev, n_W_prev, n_C_prev, n_C = _conv_shapes(rng, stride, pad, f, ragged)
    A_prev = rng.standard_normal((m, n_H_prev, n_W_prev, n_C_prev))
    W = rng.standard_normal((f, f, n_C_prev, n_C)) / np.sqrt(f * f * n_C_prev)
    b = rng.uniform(0.2, 1.0, size=(1, 1, 1, n_C)) * rng.choice([-1.0, 1.0], size=(1, 1, 1, n_C))
    b = b + 0.1 * np.arange(n_C).reshape(1, 1, 1, n_C)      # different biases for different filters
    return A_prev, W, b, {"stride": stride, "pad": pad}


def _hidden_zero_pad(rng):
    """Distinct sizes along the four axes, before and after padding."""
    while True:
        m, n_H, n_W, n_C = (int(n) for n in rng.permutation(np.arange(2, 8))[:4])
        pad = int(rng.integers(1, 4))
        if _distinct(m, n_H + 2 * pad, n_W + 2 * pad, n_C):
            return {"X": rng.standard_normal((m, n_H, n_W, n_C)), "pad": pad}


def _hidden_conv_single_step(rng):
    f, n_C_prev = int(rng.integers(2, 6)), int(rng.integers(2, 5))
    b = rng.uniform(0.3, 2.0) * rng.choice([-1.0, 1.0])
    return {"a_slice_prev": rng.standard_normal((f, f, n_C_prev)), "W": rng.standard_normal((f, f, n_C_prev)),
            "b": np.full((1, 1, 1), b)}


def _hidden_conv_forward(rng, k):
    A_prev, W, b, hp = _conv_case(rng, k)
    return {"A_prev": A_prev, "W": W, "b": b, "hparameters": hp}


def _hidden_conv_backward(rng, k):
    A_prev, W, b, hp = _conv_case(rng, k)
    f = W.shape[0]
    shape = (A_prev.shape[0], _out(A_prev.shape[1], f, hp["stride"], hp["pad"]),
             _out(A_prev.shape[2], f, hp["stride"], hp["pad"]), W.shape[3])
    return {"dZ": rng.standard_normal(shape), "cache": (A_prev, W, b, hp)}


def _separated(rng, shape):
    """An array of the given shape whose entries are distinct, at least POOL_GAP apart, around 0."""
    n = int(np.prod(shape))
    values = (rng.permutation(n) - n / 2) * POOL_GAP + rng.uniform(0, POOL_GAP / 4)
    return values.reshape(shape) * rng.choice([1.0, 3.0])


# (mode, strides, fs) of hidden case k: every case has overlapping windows (stride < f) or stride > 1
_PLAN_POOL = [
    ("max", (2,), (3, 4)),                    # stride > 1 and overlapping windows
    ("average", (2,), (3, 4)),
    ("max", (1, 3), (2, 4, 5)),
    ("average", (1, 3), (2, 4, 5)),
]


def _pool_case(rng, k):
    mode, strides, fs = _PLAN_POOL[k % len(_PLAN_POOL)]
    stride, f = _choice(rng, strides), _choice(rng, fs)
    for _ in range(10_000):
        m, n_C = int(rng.integers(2, 5)), int(rng.integers(2, 6))
        n_H_prev, n_W_prev = (int(n) for n in rng.integers(f, f + 5 * stride, size=2))    # n_H, n_W <= 5
        n_H, n_W = _out(n_H_prev, f, stride), _out(n_W_prev, f, stride)
        if min(n_H, n_W) >= 2 and _distinct(m, n_H, n_W, n_C) and _distinct(m, n_H_prev, n_W_prev, n_C):
            break
    else:
        raise RuntimeError("could not draw pooling sizes")
    return _separated(rng, (m, n_H_prev, n_W_prev, n_C)), {"f": f, "stride": stride}, mode


def _hidden_pool_forward(rng, k):
    A_prev, hp, mode = _pool_case(rng, k)
    return {"A_prev": A_prev, "hparameters": hp, "mode": mode}


def _hidden_pool_backward(rng, k):
    A_prev, hp, mode = _pool_case(rng, k)
    shape = (A_prev.shape[0], _out(A_prev.shape[1], hp["f"], hp["stride"]),
             _out(A_prev.shape[2], hp["f"], hp["stride"]), A_prev.shape[3])
    return {"dA": rng.standard_normal(shape), "cache": (A_prev, hp), "mode": mode}


def _hidden_create_mask(rng):
    f = int(rng.integers(2, 6))
    return {"x": _separated(rng, (f, f))}


def _hidden_distribute_value(rng):
    n_H, n_W = (int(n) for n in rng.permutation(np.arange(2, 7))[:2])
    return {"dz": float(rng.uniform(0.5, 3.0) * rng.choice([-1.0, 1.0])), "shape": (n_H, n_W)}


# ---------------------------------------------------------------------------------- visible cases

_v = np.random.default_rng(4)
_VIS_X = np.round(_v.standard_normal((2, 3, 4, 2)), 2)
_VIS_SLICE = np.round(_v.standard_normal((3, 3, 2)), 2)
_VIS_FILTER = np.round(_v.standard_normal((3, 3, 2)), 2)
_VIS_A = np.round(_v.standard_normal((2, 5, 4, 3)), 2)
_VIS_W = np.round(_v.standard_normal((3, 3, 3, 2)) / 3, 2)
_VIS_B = np.array([[[[0.5, -0.25]]]])
_VIS_W2 = np.round(_v.standard_normal((2, 2, 3, 2)) / 3, 2)
_VIS_HP = {"stride": 2, "pad": 1}
_VIS_HP2 = {"stride": 1, "pad": 0}
_VIS_DZ = np.round(_v.standard_normal((2, _out(5, 3, 2, 1), _out(4, 3, 2, 1), 2)), 2)
_VIS_DZ2 = np.round(_v.standard_normal((2, _out(5, 2, 1), _out(4, 2, 1), 2)), 2)
_VIS_POOL_A = np.round(_separated(np.random.default_rng(7), (2, 5, 4, 2)), 2)
_VIS_POOL_HP = {"f": 3, "stride": 1}
_VIS_POOL_HP2 = {"f": 2, "stride": 2}
_VIS_DA = np.round(_v.standard_normal((2, 3, 2, 2)), 2)
_VIS_DA2 = np.round(_v.standard_normal((2, 2, 2, 2)), 2)

TESTS = [
    Test("zero_pad", points=1,
         visible=[{"X": _VIS_X, "pad": 1}, {"X": _VIS_X[:1, :2, :2, :1], "pad": 2}],
         hidden=_hidden_zero_pad),
    Test("conv_single_step", points=1,
         visible=[{"a_slice_prev": _VIS_SLICE, "W": _VIS_FILTER, "b": np.array([[[-0.5]]])}],
         hidden=_hidden_conv_single_step),
    Test("conv_forward", points=2,
         visible=[{"A_prev": _VIS_A, "W": _VIS_W, "b": _VIS_B, "hparameters": _VIS_HP},
                  {"A_prev": _VIS_A, "W": _VIS_W2, "b": _VIS_B, "hparameters": _VIS_HP2}],
         hidden=_hidden_conv_forward, n_hidden=4),
    Test("pool_forward", points=2,
         visible=[{"A_prev": _VIS_POOL_A, "hparameters": _VIS_POOL_HP, "mode": "max"},
                  {"A_prev": _VIS_POOL_A, "hparameters": _VIS_POOL_HP, "mode": "average"},
                  {"A_prev": _VIS_POOL_A, "hparameters": _VIS_POOL_HP2, "mode": "max"}],
         hidden=_hidden_pool_forward, n_hidden=4),
    Test("conv_backward", points=3,
         visible=[{"dZ": _VIS_DZ, "cache": (_VIS_A, _VIS_W, _VIS_B, _VIS_HP)},
                  {"dZ": _VIS_DZ2, "cache": (_VIS_A, _VIS_W2, _VIS_B, _VIS_HP2)}],
         hidden=_hidden_conv_backward, n_hidden=4,
         score=_gradient_score(("dA_prev", "dW", "db"), _fd_conv_backward)),
    Test("create_mask_from_window", points=1,
         visible=[{"x": np.array([[0.3, -1.2, 2.5], [1.9, 0.0, -0.4], [2.2, 0.7, 1.1]])},
                  {"x": np.array([[-2.0, -0.5], [-1.5, -3.0]])}],
         hidden=_hidden_create_mask),
    Test("distribute_value", points=1,
         visible=[{"dz": 2.0, "shape": (2, 2)}, {"dz": -1.5, "shape": (2, 3)}],
         hidden=_hidden_distribute_value),
    Test("pool_backward", points=2,
         visible=[{"dA": _VIS_DA, "cache": (_VIS_POOL_A, _VIS_POOL_HP), "mode": "max"},
                  {"dA": _VIS_DA, "cache": (_VIS_POOL_A, _VIS_POOL_HP), "mode": "average"},
                  {"dA": _VIS_DA2, "cache": (_VIS_POOL_A, _VIS_POOL_HP2), "mode": "max"}],
         hidden=_hidden_pool_backward, n_hidden=4,
         score=_gradient_score(("dA_prev",), _fd_pool_backward)),
]
