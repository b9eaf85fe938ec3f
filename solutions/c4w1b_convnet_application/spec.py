"""Grading spec for c4w1b_convnet_application. Visible cases ship with the notebook; hidden draws stay here.

Hidden architectures are non-square, with odd sizes, strides 1-3, padding, overlapping pools and
batch norm; each hidden shape case is redrawn until every catalogued shape mistake (one-sided padding,
no padding, rounding up, no stride, swapped axes, ...) gives a different answer. Hidden networks for
convnet_forward and train_step are small and random (m > 1, several channels, non-zero biases, stride 2
somewhere, padding in the first convolution). train_step is scored by `_train_step_score`: the result
must match the reference solution AND the implied gradients (params - new_params) / learning_rate must
agree with centred finite differences (float64) of a forward pass written below, on inputs whose ReLU
pre-activations and max-pool winners are kept away from kinks and ties.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from grader.paths import checks
from grader.spec import Test

TITLE = "A convolutional network for handwritten digits"
HELPERS = ["framework", "dnn_utils", "conv", "data"]
DATA = ["odd_even_digits.h5"]

RTOL, ATOL = 1e-6, 1e-9          # against the reference solution
FD_STEP = 1e-6                   # centred difference step
FD_RTOL, FD_ATOL = 1e-5, 1e-8    # against the finite differences (their error is ~1e-9 here)
KINK_MARGIN = 1e-3               # hidden ReLU inputs |Z| and max-pool winner gaps are at least this


# ------------------------------------------------------------------ shape arithmetic, several ways

def _floor(n, f, s, p):
    return (n + 2 * p - f) // s + 1


def _shapes(input_shape, layers, size=_floor, swap=False, conv_keeps_channels=False, flat_without_channels=False):
    """Output shape of every layer, with a size rule and optional mistakes (used to vet hidden cases)."""
    shape, out = tuple(input_shape), []
    for layer in layers:
        kind = layer["type"]
        if kind in ("conv", "pool"):
            pad = layer.get("pad", 0)
            n_H, n_W = size(shape[0], layer["f"], layer["stride"], pad), size(shape[1], layer["f"], layer["stride"], pad)
            if swap:
                n_H, n_W = size(shape[1], layer["f"], layer["stride"], pad), size(shape[0], layer["f"], layer["stride"], pad)
            shape = (n_H, n_W, layer["n_C"] if kind == "conv" and not conv_keeps_channels else shape[2])
        elif kind == "flatten":
            shape = (shape[0] * shape[1] * (1 if flat_without_channels else shape[2]),)
        elif kind == "dense":
            shape = (layer["n"],)
        out.append(shape)
    return out


_SHAPE_MISTAKES = [
    dict(size=lambda n, f, s, p: (n + p - f) // s + 1),            # padding on one side only
    dict(size=lambda n, f, s, p: (n - f) // s + 1),                # no padding
    dict(size=lambda n, f, s, p: -(-(n + 2 * p - f) // s) + 1),    # rounds up
    dict(size=lambda n, f, s, p: n + 2 * p - f + 1),               # stride ignored
    dict(size=lambda n, f, s, p: round((n + 2 * p - f) / s) + 1),  # rounds to nearest
    dict(swap=True), dict(conv_keeps_channels=True), dict(flat_without_channels=True),
]


def _params_per_layer(input_shape, layers, bias=True, conv_channels=True, bn=2):
    shapes_in = [tuple(input_shape)] + _shapes(input_shape, layers)[:-1]
    counts = []
    for layer, shape in zip(layers, shapes_in):
        if layer["type"] == "conv":
            counts.append(layer["f"] ** 2 * (shape[2] if conv_channels else 1) * layer["n_C"] + bias * layer["n_C"])
        elif layer["type"] == "dense":
            counts.append(shape[0] * layer["n"] + bias * layer["n"])
        elif layer["type"] == "batchnorm":
            counts.append(bn * shape[-1])
        else:
            counts.append(0)
    return counts


def _hidden_architecture(rng):
    """A random image architecture on which every catalogued shape or count mistake is visible."""
    for _ in range(1000):
        n_H = int(rng.integers(15, 48))
        n_W = int(rng.integers(15, 48))
        n_C = int(rng.integers(1, 5))
        layers = []
        for block in range(int(rng.integers(2, 4))):
            f = int(rng.integers(1, 6))
            layers.append({"type": "conv", "n_C": int(rng.integers(2, 33)), "f": f,
                           "stride": int(rng.integers(1, 4)), "pad": int(rng.integers(0, 3))})
            if rng.random() < 0.5:
                layers.append({"type": "batchnorm"})
            layers.append({"type": "relu"})
            if rng.random() < 0.7:
                f = int(rng.integers(2, 4))
                layers.append({"type": "pool", "f": f, "stride": int(rng.integers(1, f + 1))})
        layers += [{"type": "flatten"}, {"type": "dense", "n": int(rng.integers(5, 40))}]
        if rng.random() < 0.5:
            layers += [{"type": "batchnorm"}, {"type": "relu"}, {"type": "dense", "n": int(rng.integers(2, 11))}]
        if n_H == n_W or not any(l["type"] == "batchnorm" for l in layers):
            continue
        try:
            shapes = _shapes((n_H, n_W, n_C), layers)
            if min(min(s) for s in shapes) < 1:
                continue
            wrong = [_shapes((n_H, n_W, n_C), layers, **kw) for kw in _SHAPE_MISTAKES]
        except (ZeroDivisionError, ValueError):
            continue
        counts = _params_per_layer((n_H, n_W, n_C), layers)
        wrong_counts = [_params_per_layer((n_H, n_W, n_C), layers, **kw)
                        for kw in (dict(bias=False), dict(conv_channels=False), dict(bn=4), dict(bn=0))]
        if all(w != shapes for w in wrong) and all(w != counts for w in wrong_counts) and \
                len({tuple(map(tuple, w)) for w in wrong}) == len(wrong) and \
                len({tuple(w) for w in wrong_counts}) == len(wrong_counts):
            return {"input_shape": (n_H, n_W, n_C), "layers": layers}
    raise RuntimeError("no suitable hidden architecture found")


# ------------------------------------------------------------------ reference forward pass (float64)

def _conv(x, W, b, stride, pad):
    x = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = sliding_window_view(x, W.shape[:2], axis=(1, 2))[:, ::stride, ::stride]   # (m, H, W, C, f, f)
    return np.einsum("ehwcij,ijck->ehwk", windows, W) + b


def _pool_windows(x, f, stride):
    win = sliding_window_view(x, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    return win.reshape(win.shape[:4] + (f * f,))


def _forward(params, hparams, X):
    """Scores (C, m) and the arrays whose kinks matter: the two ReLU inputs and the pooled windows."""
    Z1 = _conv(X, params["W1"], params["b1"], **hparams["conv1"])
    W1 = _pool_windows(np.maximum(Z1, 0), **hparams["pool1"])
    Z2 = _conv(W1.max(axis=-1), params["W2"], params["b2"], **hparams["conv2"])
    W2 = _pool_windows(np.maximum(Z2, 0), **hparams["pool2"])
    P2 = W2.max(axis=-1)
    Z3 = params["W3"] @ P2.reshape(P2.shape[0], -1).T + params["b3"]
    return Z3, (Z1, Z2), (W1, W2)


def _loss(params, hparams, X, Y):
    Z = _forward(params, hparams, X)[0]
    s = Z - Z.max(axis=0, keepdims=True)
    return float(-np.sum(Y * (s - np.log(np.exp(s).sum(axis=0, keepdims=True)))) / Z.shape[1])


def _away_from_kinks(params, hparams, X):
    _, relu_inputs, windows = _forward(params, hparams, X)
    if min(np.abs(Z).min() for Z in relu_inputs) < KINK_MARGIN:
        return False
    for win in windows:
        top = np.sort(win, axis=-1)
        if np.any((top[..., -1] > 0) & (top[..., -1] - top[..., -2] < KINK_MARGIN)):
            return False
    return True


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


def _train_step_score(got, expected, kwargs):
    """The answer must equal the reference's, then each implied gradient its centred difference."""
    mismatch = checks.compare(got, expected, RTOL, ATOL)
    if mismatch:
        if mismatch["kind"] == "none":
            return 0.0, "returned None: not implemented yet (or a missing `return`)."
        return 0.0, f"wrong answer on a hidden test: {mismatch['safe']}. The visible test shows expected values."
    params = {k: np.array(v, dtype=np.float64) for k, v in kwargs["params"].items()}
    lr = kwargs["learning_rate"]
    J = lambda: _loss(params, kwargs["hparams"], kwargs["X"], kwargs["Y"])
    for key in params:
        implied = (params[key] - np.asarray(got[1][key], dtype=np.float64)) / lr
        numeric = _numeric(J, params[key])
        if not np.linalg.norm(implied - numeric) <= FD_RTOL * (np.linalg.norm(implied) + np.linalg.norm(numeric)) + FD_ATOL:
            return 0.0, (f"the update of {key} does not follow the gradient: (params - new_params) / learning_rate "
                         "disagrees with a centred finite-difference gradient of the loss.")
    return 1.0, "passed; every update follows the gradient (checked against centred finite differences)."


# ------------------------------------------------------------------ hidden networks

def _hidden_network(rng, with_labels=False):
    for _ in range(1000):
        m, n_C0, n_C1, n_C2, C = (int(rng.integers(2, 5)), int(rng.integers(1, 4)), int(rng.integers(2, 5)),
                                  int(rng.integers(2, 5)), int(rng.integers(3, 6)))
        n_H, n_W = (int(v) for v in rng.choice(np.arange(7, 14), size=2, replace=False))
        f1, f2 = int(rng.integers(2, 4)), int(rng.integers(2, 4))
        s1, s2 = (1, 2) if rng.random() < 0.5 else (2, 1)
        pf1 = int(rng.integers(2, 4))
        hparams = {"conv1": {"stride": s1, "pad": int(rng.integers(1, f1))},
                   "pool1": {"f": pf1, "stride": int(rng.integers(1, pf1 + 1))},
                   "conv2": {"stride": s2, "pad": int(rng.integers(0, f2))},
                   "pool2": {"f": 2, "stride": int(rng.integers(1, 3))}}
        layers = [{"type": "conv", "n_C": n_C1, "f": f1, **hparams["conv1"]}, {"type": "pool", **hparams["pool1"]},
                  {"type": "conv", "n_C": n_C2, "f": f2, **hparams["conv2"]}, {"type": "pool", **hparams["pool2"]}]
        shapes = _shapes((n_H, n_W, n_C0), layers)
        if min(min(s) for s in shapes) < 1:
            continue
        n_flat = int(np.prod(shapes[-1]))
        if not 2 <= n_flat <= 60:
            continue
        params = {"W1": rng.normal(size=(f1, f1, n_C0, n_C1)) * np.sqrt(2 / (f1 * f1 * n_C0)),
                  "b1": rng.normal(scale=0.2, size=(1, 1, 1, n_C1)),
                  "W2": rng.normal(size=(f2, f2, n_C1, n_C2)) * np.sqrt(2 / (f2 * f2 * n_C1)),
                  "b2": rng.normal(scale=0.2, size=(1, 1, 1, n_C2)),
                  "W3": rng.normal(size=(C, n_flat)) * np.sqrt(2 / n_flat),
                  "b3": rng.normal(scale=0.5, size=(C, 1))}
        X = rng.normal(size=(m, n_H, n_W, n_C0))
        if not _away_from_kinks(params, hparams, X):
            continue
        case = {"X": X, "params": params, "hparams": hparams}
        if with_labels:
            case["Y"] = np.eye(C)[:, rng.integers(0, C, size=m)]
            case["learning_rate"] = float(rng.uniform(0.05, 0.5))
        return case
    raise RuntimeError("no suitable hidden network found")


# ------------------------------------------------------------------ visible cases (fixed, shown to students)

_NOTEBOOK_NET = [{"type": "conv", "n_C": 8, "f": 3, "stride": 1, "pad": 1}, {"type": "relu"},
                 {"type": "pool", "f": 2, "stride": 2},
                 {"type": "conv", "n_C": 16, "f": 3, "stride": 1, "pad": 1}, {"type": "relu"},
                 {"type": "pool", "f": 2, "stride": 2},
                 {"type": "flatten"}, {"type": "dense", "n": 10}]
_ODD_NET = [{"type": "conv", "n_C": 6, "f": 5, "stride": 2, "pad": 2}, {"type": "batchnorm"}, {"type": "relu"},
            {"type": "pool", "f": 3, "stride": 2},
            {"type": "conv", "n_C": 4, "f": 2, "stride": 1, "pad": 0},
            {"type": "flatten"}, {"type": "dense", "n": 7}, {"type": "batchnorm"}, {"type": "relu"},
            {"type": "dense", "n": 3}]
_DENSE_NET = [{"type": "dense", "n": 128}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "dense", "n": 10}]

_SHAPE_VISIBLE = [{"input_shape": (28, 28, 1), "layers": _NOTEBOOK_NET},
                  {"input_shape": (21, 30, 3), "layers": _ODD_NET},
                  {"input_shape": (784,), "layers": _DENSE_NET}]


def _visible_network(seed, with_labels):
    rng = np.random.default_rng(seed)
    hparams = {"conv1": {"stride": 1, "pad": 1}, "pool1": {"f": 2, "stride": 2},
               "conv2": {"stride": 1, "pad": 0}, "pool2": {"f": 2, "stride": 1}}
    params = {"W1": np.round(rng.normal(scale=0.5, size=(3, 3, 2, 3)), 2), "b1": np.array([[[[0.1, -0.2, 0.05]]]]),
              "W2": np.round(rng.normal(scale=0.4, size=(2, 2, 3, 4)), 2), "b2": np.array([[[[0.0, 0.1, -0.1, 0.2]]]]),
              "W3": np.round(rng.normal(scale=0.5, size=(3, 4)), 2), "b3": np.array([[0.1], [0.0], [-0.1]])}
    case = {"X": np.round(rng.normal(size=(2, 7, 6, 2)), 2), "params": params, "hparams": hparams}
    assert _away_from_kinks(params, hparams, case["X"])
    if with_labels:
        case.update(Y=np.eye(3)[:, [2, 0]], learning_rate=0.1)
    return case


TESTS = [
    Test("layer_output_shapes", points=2, visible=_SHAPE_VISIBLE, hidden=_hidden_architecture, rtol=0, atol=0),
    Test("count_parameters", points=1, visible=_SHAPE_VISIBLE, hidden=_hidden_architecture, rtol=0, atol=0),
    Test("convnet_forward", points=2, visible=[_visible_network(3, False)],
         hidden=_hidden_network, rtol=RTOL, atol=ATOL),
    Test("train_step", points=3, visible=[_visible_network(3, True)],
         hidden=lambda rng: _hidden_network(rng, with_labels=True), rtol=RTOL, atol=ATOL, score=_train_step_score),
]
