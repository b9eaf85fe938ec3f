"""Grading spec for c5w1b_character_language_model. Visible cases ship with the notebook; hidden draws stay here.

Hidden cases vary the vocabulary size, the hidden size and the position of the newline in the
vocabulary (never index 0 in hidden cases, so a hard-coded 0 fails). clip gets gradients with entries
beyond both bounds in every array. sample alternates between networks that can end a name (the newline
is likely) and networks that never draw the newline (the 50-character cap must act): even-numbered
cases of a grading run are of the first kind, odd ones of the second (read from the case's seed
sequence [seed, item, case], as grader.spec.hidden_calls builds it; a random choice otherwise).
optimize gets weights large enough that some raw gradients exceed the clip bound of 5, and a non-zero
a_prev; model trains on tiny corpora for more than two passes, so per-pass reshuffling shows.

The backward pass used by optimize is the helper char_rnn_utils.rnn_backward, which the notebook
checks against centred finite differences (float64) before using it.
"""
import numpy as np

from grader.spec import Test

import char_rnn_utils as cru

TITLE = "A character-level language model that invents first names"
HELPERS = ["data", "char_rnn_utils"]
DATA = ["names.txt"]

RTOL, ATOL = 1e-6, 1e-9
GRAD_NAMES = ("dWax", "dWaa", "dWya", "db", "dby")
LETTERS = list("abcdefghijklmnopqrstuvwxyz")


def _vocab(rng, size, newline_at=None):
    """char_to_ix (dict) and ix_to_char (list) over `size` characters: size - 1 letters and "\n" at newline_at."""
    letters = [str(c) for c in rng.choice(LETTERS, size=size - 1, replace=False)]
    pos = int(rng.integers(1, size)) if newline_at is None else newline_at
    chars = letters[:pos] + ["\n"] + letters[pos:]
    return {c: i for i, c in enumerate(chars)}, chars


def _params(rng, n_a, V, scale=1.0):
    return {"Wax": scale * rng.standard_normal((n_a, V)),
            "Waa": scale * rng.standard_normal((n_a, n_a)) / np.sqrt(n_a),
            "Wya": scale * rng.standard_normal((V, n_a)),
            "b": 0.5 * rng.standard_normal((n_a, 1)),
            "by": 0.5 * rng.standard_normal((V, 1))}


# ------------------------------------------------------------------------------------ hidden draws

def _hidden_clip(rng):
    n_a, V = (int(x) for x in rng.integers(2, 9, size=2))
    max_value = float(rng.uniform(0.5, 6.0))
    shapes = {"dWax": (n_a, V), "dWaa": (n_a, n_a), "dWya": (V, n_a), "db": (n_a, 1), "dby": (V, 1)}
    gradients = {}
    for name, shape in shapes.items():
        g = rng.normal(0.0, max_value, size=shape)
        flat = g.reshape(-1)
        hi, lo = rng.choice(flat.size, size=2, replace=False)
        flat[hi] = max_value * rng.uniform(1.3, 4.0)          # beyond the upper bound
        flat[lo] = -max_value * rng.uniform(1.3, 4.0)         # beyond the lower bound
        gradients[name] = g
    keys = list(gradients)
    return {"gradients": {keys[i]: gradients[keys[i]] for i in rng.permutation(len(keys))},
            "maxValue": max_value}


def _hidden_sample(rng, k):
    ends = k % 2 == 0          # even cases: names that end; odd cases: the 50-character cap must stop them
    V, n_a = int(rng.integers(5, 28)), int(rng.integers(3, 20))
    char_to_ix, _ = _vocab(rng, V)
    newline = char_to_ix["\n"]
    params = _params(rng, n_a, V, scale=float(rng.uniform(1.0, 2.0)))
    if ends:
        params["by"][newline] += 1.0            # names end, after a few characters usually
    else:
        params["Wya"][newline] = 0.0
        params["by"][newline] = -60.0           # the newline is never drawn: the cap must stop it
    return {"parameters": params, "char_to_ix": char_to_ix, "seed": int(rng.integers(0, 100_000))}


def _raw_gradients(X, Y, a_prev, params):
    _, cache = cru.rnn_forward(X, Y, a_prev, params)
    return cru.rnn_backward(X, Y, params, cache)


def _hidden_optimize(rng):
    for _ in range(100):
        V, n_a, T = int(rng.integers(4, 13)), int(rng.integers(3, 11)), int(rng.integers(5, 16))
        char_to_ix, _ = _vocab(rng, V)
        X = [None] + [int(i) for i in rng.integers(0, V, size=T - 1)]
        Y = X[1:] + [char_to_ix["\n"]]
        params = _params(rng, n_a, V, scale=float(rng.uniform(1.0, 2.5)))
        a_prev = rng.normal(0.0, 0.7, size=(n_a, 1))
        grads = _raw_gradients(X, Y, a_prev, {k: v.copy() for k, v in params.items()})
        if max(np.max(np.abs(grads[k])) for k in GRAD_NAMES) > 6.0:
            return {"X": X, "Y": Y, "a_prev": a_prev, "parameters": params,
                    "learning_rate": float(rng.uniform(0.005, 0.1))}
    raise RuntimeError("could not draw an optimize case whose gradients need clipping")


def _hidden_model(rng):
    V = int(rng.integers(4, 9))
    char_to_ix, ix_to_char = _vocab(rng, V)
    letters = [c for c in char_to_ix if c != "\n"]
    n = int(rng.integers(5, 9))
    data_x = ["".join(str(c) for c in rng.choice(letters, size=int(rng.integers(2, 7)))) for _ in range(n)]
    return {"data_x": data_x, "ix_to_char": ix_to_char, "char_to_ix": char_to_ix,
            "num_iterations": int(rng.integers(2 * n + 1, 3 * n + 3)), "n_a": int(rng.integers(3, 9)),
            "learning_rate": float(rng.uniform(0.05, 0.3)), "seed": int(rng.integers(0, 10_000))}


# ---------------------------------------------------------------------------------- visible cases

_v = np.random.default_rng(7)
_VIS_GRADS = {"dWax": np.round(_v.normal(0, 4, (3, 4)), 2), "dWaa": np.round(_v.normal(0, 4, (3, 3)), 2),
              "dWya": np.round(_v.normal(0, 4, (4, 3)), 2), "db": np.array([[7.5], [-0.3], [-12.0]]),
              "dby": np.array([[-6.0], [2.0], [0.5], [9.0]])}
_VIS_C2I, _VIS_I2C = _vocab(np.random.default_rng(1), 6, newline_at=0)
_VIS_PARAMS = {k: np.round(v, 3) for k, v in _params(np.random.default_rng(5), 4, 6, scale=1.5).items()}
_VIS_CAP_PARAMS = {k: v.copy() for k, v in _VIS_PARAMS.items()}
_VIS_CAP_PARAMS["Wya"][0] = 0.0
_VIS_CAP_PARAMS["by"][0] = -60.0

_VIS_OPT_PARAMS = {k: np.round(v, 3) for k, v in _params(np.random.default_rng(11), 3, 5, scale=2.0).items()}
_VIS_LETTERS = [c for c in _VIS_C2I if c != "\n"]

TESTS = [
    Test("clip", points=1,
         visible=[{"gradients": _VIS_GRADS, "maxValue": 5.0},
                  {"gradients": _VIS_GRADS, "maxValue": 0.5}],
         hidden=_hidden_clip, n_hidden=3),
    Test("sample", points=2,
         visible=[{"parameters": _VIS_PARAMS, "char_to_ix": _VIS_C2I, "seed": 0},
                  {"parameters": _VIS_PARAMS, "char_to_ix": _VIS_C2I, "seed": 42},
                  {"parameters": _VIS_CAP_PARAMS, "char_to_ix": _VIS_C2I, "seed": 3}],
         hidden=_hidden_sample, n_hidden=6),
    Test("optimize", points=2,
         visible=[{"X": [None, 1, 3, 3, 2], "Y": [1, 3, 3, 2, 0], "a_prev": np.zeros((3, 1)),
                   "parameters": _VIS_OPT_PARAMS, "learning_rate": 0.05},
                  {"X": [None, 4, 2], "Y": [4, 2, 0], "a_prev": np.array([[0.5], [-0.2], [0.1]]),
                   "parameters": _VIS_OPT_PARAMS, "learning_rate": 0.01}],
         hidden=_hidden_optimize, n_hidden=4),
    Test("model", points=2,
         visible=[{"data_x": ["".join(w) for w in (_VIS_LETTERS[:3], _VIS_LETTERS[1:4], _VIS_LETTERS[::-2],
                                                   _VIS_LETTERS[2:], _VIS_LETTERS[:2] * 2)],
                   "ix_to_char": _VIS_I2C, "char_to_ix": _VIS_C2I, "num_iterations": 12, "n_a": 4,
                   "learning_rate": 0.1, "seed": 1}],
         hidden=_hidden_model, n_hidden=3, rtol=1e-5, atol=1e-8),
]
