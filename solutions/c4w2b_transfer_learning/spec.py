"""Grading spec for c4w2b_transfer_learning. Visible cases ship with the notebook; hidden draws stay here.

Hidden inputs are chosen so that no catalogued mistake can coincide with the right answer: every
hidden convolution has stride 2 or 3, padding 1 or 2, a non-zero bias, a non-square input and a
non-symmetric filter; channel counts differ between input and output (pointwise: sometimes equal,
so that transposed weights give wrong values rather than only a shape error); images to augment are
non-square with non-zero borders, shifted by (dy, dx) with dy != dx and rotated by at least 5 degrees.
The visible cases cover stride 1 and padding 0.
"""
import numpy as np

from grader.spec import Test

TITLE = "Transfer learning with a small separable ConvNet"
HELPERS = ["framework", "dnn_utils", "conv", "data", "transfer_utils"]
DATA = ["odd_even_digits.h5", "transfer_base.npz", "transfer_base.sha256"]

RTOL, ATOL = 1e-6, 1e-9


# ------------------------------------------------------------------ hidden draws

def _int(rng, low, high):
    """An int in [low, high] (both included)."""
    return int(rng.integers(low, high + 1))


def _two_different(rng, low, high):
    a = _int(rng, low, high)
    b = _int(rng, low, high - 1)
    return a, b + (b >= a)


def _depthwise_case(rng):
    m, n_C = _int(rng, 2, 4), _int(rng, 2, 5)
    n_H, n_W = _two_different(rng, 5, 11)
    f, stride, pad = int(rng.choice([2, 3, 5])), _int(rng, 2, 3), _int(rng, 1, 2)
    return {"A_prev": rng.normal(size=(m, n_H, n_W, n_C)), "W": rng.normal(size=(f, f, n_C)),
            "b": rng.normal(size=(1, 1, 1, n_C)) + 0.5, "stride": stride, "pad": pad}


def _hidden_pointwise(rng):
    m, n_H, n_W = _int(rng, 2, 4), *_two_different(rng, 2, 6)
    n_C_prev = _int(rng, 2, 6)
    n_C = n_C_prev if rng.random() < 0.4 else _other(rng, n_C_prev)
    return {"A": rng.normal(size=(m, n_H, n_W, n_C_prev)), "W": rng.normal(size=(1, 1, n_C_prev, n_C)),
            "b": rng.normal(size=(1, 1, 1, n_C)) + 0.5}


def _other(rng, value, low=2, high=7):
    """An int in [low, high] different from value."""
    b = _int(rng, low, high - 1)
    return b + (b >= value)


def _hidden_separable(rng):
    case = _depthwise_case(rng)
    n_C_prev = case["A_prev"].shape[3]
    n_C = _other(rng, n_C_prev)
    return {"A_prev": case["A_prev"], "W_depth": case["W"], "b_depth": case["b"],
            "W_point": rng.normal(size=(1, 1, n_C_prev, n_C)), "b_point": rng.normal(size=(1, 1, 1, n_C)) + 0.5,
            "stride": case["stride"], "pad": case["pad"]}


def _hidden_cost(rng):
    n_H, n_W = _two_different(rng, 3, 40)
    n_C_prev = _int(rng, 2, 64)
    return {"n_H": n_H, "n_W": n_W, "n_C_prev": n_C_prev, "n_C": _other(rng, n_C_prev, 2, 128),
            "f": int(rng.choice([3, 5, 7]))}


def _base_params(rng, n_C0, channels, n_features, n_classes=3):
    c1, c2, c3 = channels
    return {"conv1_W": rng.normal(size=(3, 3, n_C0, c1)) * 0.5, "conv1_b": rng.normal(size=(1, 1, 1, c1)) * 0.3,
            "sep2_dw_W": rng.normal(size=(3, 3, c1)) * 0.5, "sep2_pw_W": rng.normal(size=(1, 1, c1, c2)) * 0.5,
            "sep2_pw_b": rng.normal(size=(1, 1, 1, c2)) * 0.3,
            "sep3_dw_W": rng.normal(size=(3, 3, c2)) * 0.5, "sep3_pw_W": rng.normal(size=(1, 1, c2, c3)) * 0.5,
            "sep3_pw_b": rng.normal(size=(1, 1, 1, c3)) * 0.3,
            "head_W": rng.normal(size=(n_classes, n_features)), "head_b": rng.normal(size=(n_classes, 1))}


def _hidden_features(rng):
    m, n_C0 = _int(rng, 2, 4), _int(rng, 1, 3)
    n_H, n_W = _two_different(rng, 16, 27)
    channels = (_int(rng, 2, 5), _int(rng, 2, 5), _int(rng, 2, 5))
    n_features = (n_H // 8) * (n_W // 8) * channels[2]
    return {"X": rng.uniform(0, 1, size=(m, n_H, n_W, n_C0)),
            "base_params": _base_params(rng, n_C0, channels, n_features)}


def _hidden_head(rng):
    n, m, C = _int(rng, 2, 7), _int(rng, 3, 12), _int(rng, 2, 5)
    labels = np.concatenate([np.arange(C), rng.integers(0, C, size=m)])[:max(m, C)]
    labels = rng.permutation(labels)
    return {"F": rng.normal(size=(n, len(labels))) + 0.3, "Y": np.eye(C)[:, labels],
            "num_iterations": _int(rng, 3, 25), "learning_rate": float(rng.uniform(0.05, 0.8))}


def _hidden_augment(rng):
    m, n_C = _int(rng, 2, 4), _int(rng, 1, 3)
    n_H, n_W = _two_different(rng, 7, 13)
    shifts = np.zeros((m, 2), dtype=np.int64)
    for k in range(m):
        shifts[k] = _two_different(rng, -3, 3)
    angles = rng.uniform(5, 35, size=m) * rng.choice([-1.0, 1.0], size=m)
    return {"images": rng.uniform(0.1, 1.0, size=(m, n_H, n_W, n_C)), "shifts": shifts, "angles": angles}


# ------------------------------------------------------------------ visible cases (fixed, shown to students)

_v = np.random.default_rng(4)
_A = np.round(_v.normal(size=(2, 5, 4, 3)), 2)
_Wd = np.round(_v.normal(size=(3, 3, 3)), 2)
_bd = np.array([[[[0.5, -1.0, 2.0]]]])
_Wp = np.round(_v.normal(size=(1, 1, 3, 2)), 2)
_bp = np.array([[[[1.0, -0.5]]]])

_digit = np.zeros((1, 9, 8, 1))
_digit[0, 2:7, 3, 0] = 1.0          # a vertical bar
_digit[0, 2, 3:6, 0] = 1.0          # with a bar on top: an upside-down "L"

_fv = np.random.default_rng(5)

TESTS = [
    Test("depthwise_conv_forward", points=3,
         visible=[{"A_prev": _A, "W": _Wd, "b": _bd, "stride": 1, "pad": 0},
                  {"A_prev": _A, "W": _Wd[:2, :2], "b": _bd, "stride": 2, "pad": 1}],
         hidden=_depthwise_case, n_hidden=3, rtol=RTOL, atol=ATOL),
    Test("pointwise_conv_forward", points=2,
         visible=[{"A": _A, "W": _Wp, "b": _bp}],
         hidden=_hidden_pointwise, n_hidden=3, rtol=RTOL, atol=ATOL),
    Test("separable_conv_forward", points=2,
         visible=[{"A_prev": _A, "W_depth": _Wd, "b_depth": _bd, "W_point": _Wp, "b_point": _bp,
                   "stride": 1, "pad": 1}],
         hidden=_hidden_separable, n_hidden=3, rtol=RTOL, atol=ATOL),
    Test("conv_cost", points=2,
         visible=[{"n_H": 14, "n_W": 14, "n_C_prev": 16, "n_C": 32, "f": 3},
                  {"n_H": 5, "n_W": 7, "n_C_prev": 3, "n_C": 8, "f": 5}],
         hidden=_hidden_cost, n_hidden=3, rtol=RTOL, atol=ATOL),
    Test("extract_features", points=2,
         visible=[{"X": _fv.uniform(0, 1, size=(2, 16, 24, 1)),
                   "base_params": _base_params(_fv, 1, (3, 4, 2), 12)}],
         hidden=_hidden_features, n_hidden=3, rtol=RTOL, atol=ATOL),
    Test("train_head", points=2,
         visible=[{"F": np.array([[1.0, -1.0, 0.5, 2.0], [0.0, 1.0, -1.5, 0.5], [2.0, 0.0, 1.0, -1.0]]),
                   "Y": np.eye(2)[:, [0, 1, 1, 0]], "num_iterations": 3, "learning_rate": 0.5}],
         hidden=_hidden_head, n_hidden=3, rtol=RTOL, atol=ATOL),
    Test("augment", points=3,
         visible=[{"images": _digit, "shifts": np.array([[1, -2]]), "angles": np.array([0.0])},
                  {"images": _digit, "shifts": np.array([[0, 0]]), "angles": np.array([90.0])},
                  {"images": np.concatenate([_digit, _digit[:, ::-1]]), "shifts": np.array([[-1, 1], [2, 0]]),
                   "angles": np.array([20.0, -30.0])}],
         hidden=_hidden_augment, n_hidden=3, rtol=RTOL, atol=ATOL),
]
