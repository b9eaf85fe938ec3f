"""Grading spec for c4w4b_style_transfer. Visible cases ship with the notebook; hidden draws stay here.

Hidden inputs, drawn afresh each run:
- activations are (1, n_H, n_W, n_C) with n_H != n_W, n_C >= 2 and the three sizes pairwise different
  (so a reshape without the transpose, a swapped axis or n_C in place of n_C ** 2 always changes the
  answer); they are non-negative like ReLU outputs, with some exact zeros; a_S (or a_C) and a_G are
  drawn independently;
- gram_matrix gets A (n_C, n_H * n_W) with n_C < n_H * n_W, so A.T @ A has the wrong shape;
- compute_style_cost gets 2 to 4 layers of different sizes, with distinct weights that do not add up
  to 1 (ignored, averaged or renormalised weights all change the answer);
- total_cost gets alpha != beta, both far from 1, and J_content != J_style;
- compute_cost_and_gradient gets a small random network (2 or 3 layers of 3 x 3 or 5 x 5 filters,
  channel counts different from each other) and an image with n_H != n_W; case k = 0 puts the content
  cost on the first layer, k = 1 on the last, later cases anywhere; every ReLU input at G is at least
  KINK_MARGIN from 0, so the cost is smooth where finite differences probe it;
- optimisation_step gets images with many pixels exactly at 0 or 1 (so that clipping matters), gradients
  of very different sizes, case k = 0 a fresh Adam state (t = 0, m = v = 0), later cases t >= 1 with
  non-zero m and v; case k = 2 also changes beta1, beta2 and epsilon.
The three gradient items are scored by `_gradient_score`: the answer must match the reference solution
AND centred finite differences (float64) of a cost written here, independently of the notebook and of
utils/style_utils.py (its own convolution by sliding windows).
"""
import itertools

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from grader.paths import checks
from grader.spec import Test, once_per_case

import style_utils                # utils/ is on sys.path (grader.paths): the content and style targets

TITLE = "Neural style transfer with a random network"
HELPERS = ["data", "dnn_utils", "framework", "conv", "style_utils"]
DATA = ["photos.h5"]

RTOL, ATOL = 1e-6, 1e-9              # against the reference solution
FD_STEP = 1e-6                       # centred difference step
FD_RTOL, FD_ATOL_REL = 1e-5, 1e-7    # |g - fd| <= FD_RTOL |fd| + FD_ATOL_REL max|fd|
KINK_MARGIN = 2e-5                   # every ReLU input of the hidden networks at G is at least this far from 0


# ------------------------------------------------------------------------- which hidden case is this

_FALLBACK = itertools.count()


def _case_index(rng):
    """k of the hidden case being drawn (grader.spec.hidden_calls seeds case k with SeedSequence([seed, i, k]))."""
    entropy = getattr(getattr(rng.bit_generator, "seed_seq", None), "entropy", None)
    if isinstance(entropy, (list, tuple)) and len(entropy) == 3:
        return int(entropy[-1])
    return next(_FALLBACK)


# ------------------------------------------------------------------ reference costs (float64), own code

def _content_cost(a_C, a_G):
    _, n_H, n_W, n_C = a_G.shape
    return float(np.sum((a_C - a_G) ** 2)) / (4 * n_H * n_W * n_C)


def _gram(a):
    """Gram matrix (n_C, n_C) of activations a (1, n_H, n_W, n_C), summing over the pixels."""
    return np.einsum("ihwc,ihwd->cd", a, a)


def _layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    return float(np.sum((_gram(a_S) - _gram(a_G)) ** 2)) / (4 * n_C ** 2 * (n_H * n_W) ** 2)


def _conv_same(x, W):
    """'Same' convolution (stride 1, zero padding f // 2, no bias) of x (1, n_H, n_W, n_C) with W (f, f, n_C, n_F)."""
    p = W.shape[0] // 2
    x_pad = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))
    windows = sliding_window_view(x_pad, W.shape[:2], axis=(1, 2))       # (1, n_H, n_W, n_C, f, f)
    return np.einsum("ihwcrq,rqcd->ihwd", windows, W)


def _avg_pool2(x):
    n_H, n_W = x.shape[1] // 2, x.shape[2] // 2
    x = x[:, :2 * n_H, :2 * n_W]
    return x.reshape(x.shape[0], n_H, 2, n_W, 2, x.shape[3]).mean(axis=(2, 4))


def _network(image, filters):
    """(activations, pre-activations) of the network of utils/style_utils.py, rewritten independently."""
    x, acts, pre = np.asarray(image, dtype=np.float64) - 0.5, [], []
    for l, W in enumerate(filters):
        if l > 0:
            x = _avg_pool2(x)
        z = _conv_same(x, np.asarray(W, dtype=np.float64))
        x = np.maximum(z, 0.0)
        acts.append(x)
        pre.append(z)
    return acts, pre


def _total_cost(G, a_C, a_S, filters, content_layer, style_weights, alpha, beta):
    acts, _ = _network(G, filters)
    J_style = sum(w * _layer_style_cost(np.asarray(s, dtype=np.float64), g)
                  for w, s, g in zip(style_weights, a_S, acts))
    return alpha * _content_cost(np.asarray(a_C, dtype=np.float64), acts[content_layer]) + beta * J_style


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


def _fd_content_cost_gradient(a_C, a_G):
    a_C, a_G = np.array(a_C, dtype=np.float64), np.array(a_G, dtype=np.float64)
    return {"dJ_da_G": _numeric(lambda: _content_cost(a_C, a_G), a_G)}


def _fd_layer_style_cost_gradient(a_S, a_G):
    a_S, a_G = np.array(a_S, dtype=np.float64), np.array(a_G, dtype=np.float64)
    return {"dJ_da_G": _numeric(lambda: _layer_style_cost(a_S, a_G), a_G)}


def _fd_compute_cost_and_gradient(G, a_C, a_S, filters, content_layer, style_weights, alpha, beta):
    G = np.array(G, dtype=np.float64)
    return {"dG": _numeric(lambda: _total_cost(G, a_C, a_S, filters, content_layer, style_weights, alpha, beta), G)}


def _gradient_score(names, numeric):
    """A Test.score: the answer must match the reference, and its gradients the centred finite differences.

    names   the outputs in order; a single name means the function returns one array (not a tuple)
    numeric kwargs -> {output name: finite-difference array} for the outputs that are gradients
    """
    single = len(names) == 1

    numeric_of = once_per_case(numeric)

    def score(got, expected, kwargs):
        if single:
            got, expected = (got,), (expected,)
        if got is None or (isinstance(got, (tuple, list)) and all(g is None for g in got)):
            return 0.0, "returned None: not implemented yet (or a missing `return`)."
        if not isinstance(got, (tuple, list)) or len(got) != len(names):
            return 0.0, f"should return a tuple of {len(names)} values ({', '.join(names)})."
        for name, g, e in zip(names, got, expected):
            m = checks.compare(g, e, RTOL, ATOL, path=name)
            if m:
                # (also called on the visible cases, so the message does not say which kind of case failed)
                return 0.0, f"wrong answer: {m['safe']}. The visible test shows expected values for its inputs."
        for name, fd in numeric_of(kwargs).items():
            g = np.asarray(got[names.index(name)], dtype=np.float64)
            if np.any(np.abs(g - fd) > FD_RTOL * np.abs(fd) + FD_ATOL_REL * np.max(np.abs(fd))):
                return 0.0, f"{name} matches the reference but not the centred finite differences: " \
                            "please tell your instructor (a grader problem, not yours)."
        return 1.0, "passed every test, and the gradients agree with centred finite differences."
    return score


# --------------------------------------------------------------------------------- hidden draws

def _sizes(rng):
    """(n_H, n_W, n_C): n_H != n_W, n_C >= 2, all three different."""
    while True:
        n_H, n_W, n_C = (int(n) for n in rng.integers(2, 8, size=3))
        if len({n_H, n_W, n_C}) == 3:
            return n_H, n_W, n_C


def _activations(rng, n_H, n_W, n_C):
    """Non-negative activations (1, n_H, n_W, n_C), about a quarter of them exactly 0, like ReLU outputs."""
    a = rng.gamma(2.0, 0.5, size=(1, n_H, n_W, n_C)) * rng.uniform(0.5, 2.0)
    return a * (rng.random(a.shape) > 0.25)


def _hidden_pair(rng):
    n_H, n_W, n_C = _sizes(rng)
    return _activations(rng, n_H, n_W, n_C), _activations(rng, n_H, n_W, n_C)


def _hidden_content(rng):
    a_C, a_G = _hidden_pair(rng)
    return {"a_C": a_C, "a_G": a_G}


def _hidden_style_layer(rng):
    a_S, a_G = _hidden_pair(rng)
    return {"a_S": a_S, "a_G": a_G}


def _hidden_gram(rng):
    n_C, n_HW = int(rng.integers(2, 7)), int(rng.integers(7, 21))
    return {"A": _activations(rng, 1, n_HW, n_C)[0, 0].T.copy()}


def _hidden_style_cost(rng):
    L = int(rng.integers(2, 5))
    style, generated = [], []
    for _ in range(L):
        a_S, a_G = _hidden_pair(rng)
        style.append(a_S)
        generated.append(a_G)
    weights = [float(w) for w in rng.uniform(0.1, 2.0, size=L)]
    return {"style_activations": style, "generated_activations": generated, "style_weights": weights}


def _hidden_total_cost(rng):
    return {"J_content": float(rng.uniform(0.01, 5.0)), "J_style": float(rng.uniform(1e-4, 0.5)),
            "alpha": float(rng.uniform(2.0, 50.0)), "beta": float(rng.uniform(100.0, 5000.0))}


def _network_case(rng, content_layer_choice):
    """Inputs of compute_cost_and_gradient: a small random network and images, G away from the ReLU kinks."""
    for _ in range(1000):
        L = int(rng.integers(2, 4))
        f = int(rng.choice([3, 5]))
        channels = [3] + [int(c) for c in rng.permutation(np.arange(2, 8))[:L]]
        n_H, n_W = (int(n) for n in rng.permutation(np.arange(2 ** (L - 1) + 2, 2 ** (L - 1) + 8))[:2])
        filters = [rng.standard_normal((f, f, c_prev, c)) * np.sqrt(2.0 / (f * f * c_prev))
                   for c_prev, c in zip(channels[:-1], channels[1:])]
        G, C, S = (rng.uniform(0.0, 1.0, size=(1, n_H, n_W, 3)) for _ in range(3))
        _, pre = _network(G, filters)
        if min(np.min(np.abs(z)) for z in pre) < KINK_MARGIN:
            continue
        content_layer = content_layer_choice(L)
        return {"G": G,
                "a_C": style_utils.features_forward(C, filters)[0][content_layer],
                "a_S": style_utils.features_forward(S, filters)[0],
                "filters": filters,
                "content_layer": content_layer,
                "style_weights": [float(w) for w in rng.uniform(0.2, 1.5, size=L)],
                "alpha": float(rng.uniform(2.0, 20.0)),
                "beta": float(rng.uniform(100.0, 2000.0))}
    raise RuntimeError("could not draw a network whose ReLU inputs avoid 0")


def _hidden_cost_and_gradient(rng):
    k = _case_index(rng)
    choice = {0: lambda L: 0, 1: lambda L: L - 1}.get(k, lambda L: int(rng.integers(0, L)))
    return _network_case(rng, choice)


def _hidden_optimisation_step(rng):
    k = _case_index(rng)
    n_H, n_W, _ = _sizes(rng)
    shape = (1, n_H, n_W, 3)
    G = rng.uniform(0.0, 1.0, size=shape)
    at_bounds = rng.random(shape)
    G[at_bounds < 0.15] = 0.0
    G[at_bounds > 0.85] = 1.0
    scale = 10.0 ** rng.uniform(-4, 0)
    dG = rng.standard_normal(shape) * scale * 10.0 ** rng.uniform(-1, 1, size=shape)
    if k == 0:
        adam = {"m": np.zeros(shape), "v": np.zeros(shape), "t": 0}
    else:
        adam = {"m": 0.5 * scale * rng.standard_normal(shape),
                "v": (scale * rng.standard_normal(shape)) ** 2 + 0.1 * scale ** 2,
                "t": int(rng.integers(1, 40))}
    case = {"G": G, "dG": dG, "adam": adam, "learning_rate": float(rng.uniform(0.05, 0.3))}
    if k == 2:
        case.update(beta1=float(rng.uniform(0.7, 0.85)), beta2=float(rng.uniform(0.95, 0.99)),
                    epsilon=float(10.0 ** rng.uniform(-7, -5)))
    return case


# ---------------------------------------------------------------------------------- visible cases

_v = np.random.default_rng(44)
_VIS_C = np.round(_activations(_v, 3, 4, 2), 2)
_VIS_G = np.round(_activations(_v, 3, 4, 2), 2)
_VIS_A = np.round(_activations(_v, 1, 5, 3)[0, 0].T, 2)                  # (3, 5)
_VIS_S = np.round(_activations(_v, 3, 4, 2), 2)
_VIS_S2 = np.round(_activations(_v, 2, 5, 3), 2)
_VIS_G2 = np.round(_activations(_v, 2, 5, 3), 2)


def _visible_network(seed):
    """A fixed small case of compute_cost_and_gradient: G (1, 6, 8, 3), two layers 3 -> 4 -> 5, content on layer 1."""
    rng = np.random.default_rng(seed)
    while True:
        filters = [np.round(rng.standard_normal((3, 3, c_prev, c)) * np.sqrt(2.0 / (9 * c_prev)), 2)
                   for c_prev, c in ((3, 4), (4, 5))]
        G, C, S = (np.round(rng.uniform(0.0, 1.0, size=(1, 6, 8, 3)), 2) for _ in range(3))
        _, pre = _network(G, filters)
        if min(np.min(np.abs(z)) for z in pre) >= 1e-3:
            return {"G": G, "a_C": style_utils.features_forward(C, filters)[0][1],
                    "a_S": style_utils.features_forward(S, filters)[0], "filters": filters,
                    "content_layer": 1, "style_weights": [0.6, 0.4], "alpha": 5.0, "beta": 200.0}


_VIS_NET = _visible_network(3)
_VIS_STEP_G = np.array([[[[0.2, 0.5, 0.9], [0.0, 1.0, 0.4], [0.7, 0.05, 0.98]],
                         [[0.3, 0.6, 0.1], [1.0, 0.0, 0.5], [0.45, 0.8, 0.02]]]])       # (1, 2, 3, 3)
_VIS_STEP_DG = np.round(np.random.default_rng(5).standard_normal((1, 2, 3, 3)) * 0.01, 4)
_VIS_ADAM_1 = {"m": np.zeros((1, 2, 3, 3)), "v": np.zeros((1, 2, 3, 3)), "t": 0}
_VIS_ADAM_2 = {"m": np.round(_VIS_STEP_DG * 0.5, 5), "v": np.round(_VIS_STEP_DG ** 2 * 0.8, 8), "t": 3}

TESTS = [
    Test("compute_content_cost", points=1,
         visible=[{"a_C": _VIS_C, "a_G": _VIS_G}],
         hidden=_hidden_content),
    Test("content_cost_gradient", points=1,
         visible=[{"a_C": _VIS_C, "a_G": _VIS_G}],
         hidden=_hidden_content,
         score=_gradient_score(("dJ_da_G",), _fd_content_cost_gradient)),
    Test("gram_matrix", points=1,
         visible=[{"A": _VIS_A}, {"A": np.array([[1.0, 2.0], [0.0, 3.0], [-1.0, 1.0]])}],
         hidden=_hidden_gram),
    Test("compute_layer_style_cost", points=2,
         visible=[{"a_S": _VIS_S, "a_G": _VIS_G}, {"a_S": _VIS_S2, "a_G": _VIS_G2}],
         hidden=_hidden_style_layer, n_hidden=4),
    Test("layer_style_cost_gradient", points=2,
         visible=[{"a_S": _VIS_S, "a_G": _VIS_G}, {"a_S": _VIS_S2, "a_G": _VIS_G2}],
         hidden=_hidden_style_layer, n_hidden=4,
         score=_gradient_score(("dJ_da_G",), _fd_layer_style_cost_gradient)),
    Test("compute_style_cost", points=1,
         visible=[{"style_activations": [_VIS_S, _VIS_S2], "generated_activations": [_VIS_G, _VIS_G2],
                   "style_weights": [0.7, 0.3]}],
         hidden=_hidden_style_cost),
    Test("total_cost", points=1,
         visible=[{"J_content": 0.8, "J_style": 0.003, "alpha": 10.0, "beta": 500.0}],
         hidden=_hidden_total_cost),
    Test("compute_cost_and_gradient", points=2,
         visible=[_VIS_NET],
         hidden=_hidden_cost_and_gradient, n_hidden=3,
         score=_gradient_score(("J", "dG"), _fd_compute_cost_and_gradient)),
    Test("optimisation_step", points=1,
         visible=[{"G": _VIS_STEP_G, "dG": _VIS_STEP_DG, "adam": _VIS_ADAM_1, "learning_rate": 0.1},
                  {"G": _VIS_STEP_G, "dG": _VIS_STEP_DG, "adam": _VIS_ADAM_2, "learning_rate": 0.1}],
         hidden=_hidden_optimisation_step, n_hidden=4),
]
