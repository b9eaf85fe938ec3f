"""Grading spec for c5w1a_rnn_step_by_step. Visible cases ship with the notebook; hidden draws stay here.

Hidden inputs: n_x, n_a, n_y all different (a transposed or swapped weight matrix cannot fit), m >= 2
examples (a sum or softmax over the wrong axis shows), T_x >= 2 steps (a loop that drops a step or
ignores the recurrence shows), non-zero biases, a non-zero a0 and, for the cells, a non-zero c_prev.
The caches that the backward functions receive are built here, in the documented format, by a forward
pass written independently of the notebook. The four backward functions are scored by
`_gradient_score`: the gradients must match the reference solution AND centred finite differences in
float64 of a forward pass (this file's cells for the one-step functions, the framework's vectorised
`seq.rnn_forward` / `seq.lstm_forward` for the sequences).
"""
import numpy as np
from scipy.special import expit

from grader.paths import checks
from grader.spec import Test, once_per_case
import seq  # utils/ is on sys.path once grader.paths is imported

TITLE = "Recurrent networks, step by step"
HELPERS = ["framework", "dnn_utils", "seq"]
DATA = []

RTOL, ATOL = 1e-6, 1e-9          # against the reference solution
FD_STEP = 1e-6                   # centred difference step
FD_RTOL, FD_ATOL = 1e-5, 1e-7    # against the finite differences (their error is ~1e-9 here)
GATES = "fico"


# ------------------------------------------------------------ forward passes written here (float64)

def _softmax(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _rnn_cell(xt, a_prev, p):
    a_next = np.tanh(p["Wax"] @ xt + p["Waa"] @ a_prev + p["ba"])
    return a_next, (a_next, a_prev, xt, p)


def _lstm_cell(xt, a_prev, c_prev, p):
    s = np.concatenate([a_prev, xt])
    f, i, o = (expit(p["W" + g] @ s + p["b" + g]) for g in "fio")
    cc = np.tanh(p["Wc"] @ s + p["bc"])
    c_next = f * c_prev + i * cc
    a_next = o * np.tanh(c_next)
    return a_next, c_next, (a_next, c_next, a_prev, c_prev, f, i, cc, o, xt, p)


def _rnn_caches(x, a0, p):
    caches, a = [], a0
    for t in range(x.shape[2]):
        a, cache = _rnn_cell(x[:, :, t], a, p)
        caches.append(cache)
    return caches, x


def _lstm_caches(x, a0, p):
    caches, a, c = [], a0, np.zeros_like(a0)
    for t in range(x.shape[2]):
        a, c, cache = _lstm_cell(x[:, :, t], a, c, p)
        caches.append(cache)
    return caches, x


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


def _copy_params(p):
    return {k: np.array(v, dtype=np.float64) for k, v in p.items()}


# ------------------------------------------------------------------------------- inputs (hidden)

def _dims(rng):
    """n_x, n_a, n_y pairwise different; m in 2..5; T_x in 2..6."""
    n_x, n_a, n_y = (int(v) for v in rng.choice(np.arange(2, 8), size=3, replace=False))
    return n_x, n_a, n_y, int(rng.integers(2, 6)), int(rng.integers(2, 7))


def _rnn_params(rng, n_x, n_a, n_y):
    return {"Wax": rng.standard_normal((n_a, n_x)) / np.sqrt(n_x),
            "Waa": rng.standard_normal((n_a, n_a)) / np.sqrt(n_a),
            "Wya": rng.standard_normal((n_y, n_a)) / np.sqrt(n_a),
            "ba": rng.uniform(0.2, 0.6, (n_a, 1)) * rng.choice([-1, 1], (n_a, 1)),
            "by": rng.uniform(0.2, 0.6, (n_y, 1)) * rng.choice([-1, 1], (n_y, 1))}


def _lstm_params(rng, n_x, n_a, n_y):
    p = {}
    for g in GATES:
        p["W" + g] = rng.standard_normal((n_a, n_a + n_x)) / np.sqrt(n_a + n_x)
        p["b" + g] = rng.uniform(0.2, 0.6, (n_a, 1)) * rng.choice([-1, 1], (n_a, 1))
    p["Wy"] = rng.standard_normal((n_y, n_a)) / np.sqrt(n_a)
    p["by"] = rng.uniform(0.2, 0.6, (n_y, 1)) * rng.choice([-1, 1], (n_y, 1))
    return p


def _hidden_rnn_cell_forward(rng):
    n_x, n_a, n_y, m, _ = _dims(rng)
    return {"xt": rng.standard_normal((n_x, m)), "a_prev": rng.uniform(-0.9, 0.9, (n_a, m)),
            "parameters": _rnn_params(rng, n_x, n_a, n_y)}


def _hidden_rnn_forward(rng):
    n_x, n_a, n_y, m, T_x = _dims(rng)
    return {"x": rng.standard_normal((n_x, m, T_x)), "a0": rng.uniform(-0.9, 0.9, (n_a, m)),
            "parameters": _rnn_params(rng, n_x, n_a, n_y)}


def _hidden_lstm_cell_forward(rng):
    n_x, n_a, n_y, m, _ = _dims(rng)
    return {"xt": rng.standard_normal((n_x, m)), "a_prev": rng.uniform(-0.9, 0.9, (n_a, m)),
            "c_prev": rng.uniform(-1.5, 1.5, (n_a, m)), "parameters": _lstm_params(rng, n_x, n_a, n_y)}


def _hidden_lstm_forward(rng):
    n_x, n_a, n_y, m, T_x = _dims(rng)
    return {"x": rng.standard_normal((n_x, m, T_x)), "a0": rng.uniform(-0.9, 0.9, (n_a, m)),
            "parameters": _lstm_params(rng, n_x, n_a, n_y)}


def _hidden_rnn_cell_backward(rng):
    case = _hidden_rnn_cell_forward(rng)
    a_next, cache = _rnn_cell(case["xt"], case["a_prev"], case["parameters"])
    return {"da_next": rng.standard_normal(a_next.shape), "cache": cache}


def _hidden_rnn_backward(rng):
    case = _hidden_rnn_forward(rng)
    caches = _rnn_caches(case["x"], case["a0"], case["parameters"])
    return {"da": rng.standard_normal(caches[0][0][0].shape + (case["x"].shape[2],)), "caches": caches}


def _hidden_lstm_cell_backward(rng):
    case = _hidden_lstm_cell_forward(rng)
    a_next, c_next, cache = _lstm_cell(case["xt"], case["a_prev"], case["c_prev"], case["parameters"])
    return {"da_next": rng.standard_normal(a_next.shape), "dc_next": rng.standard_normal(c_next.shape),
            "cache": cache}


def _hidden_lstm_backward(rng):
    case = _hidden_lstm_forward(rng)
    caches = _lstm_caches(case["x"], case["a0"], case["parameters"])
    return {"da": rng.standard_normal(caches[0][0][0].shape + (case["x"].shape[2],)), "caches": caches}


# ------------------------------------------------------------------- gradients by finite differences

def _fd_rnn_cell_backward(da_next, cache):
    """Centred differences of J = sum(da_next * a_next) with respect to every input of the cell."""
    _, a_prev, xt, parameters = cache
    xt, a_prev, p = np.array(xt, dtype=np.float64), np.array(a_prev, dtype=np.float64), _copy_params(parameters)

    def J():
        return float(np.sum(da_next * _rnn_cell(xt, a_prev, p)[0]))
    return {"dxt": _numeric(J, xt), "da_prev": _numeric(J, a_prev), "dWax": _numeric(J, p["Wax"]),
            "dWaa": _numeric(J, p["Waa"]), "dba": _numeric(J, p["ba"])}


def _fd_rnn_backward(da, caches):
    """Centred differences of J = sum(da * a), a from the framework's seq.rnn_forward."""
    cell_caches, x = caches
    x, a0, p = np.array(x, dtype=np.float64), np.array(cell_caches[0][1], dtype=np.float64), \
        _copy_params(cell_caches[0][3])

    def J():
        return float(np.sum(da * seq.rnn_forward(x, a0, p)[0]))
    return {"dx": _numeric(J, x), "da0": _numeric(J, a0), "dWax": _numeric(J, p["Wax"]),
            "dWaa": _numeric(J, p["Waa"]), "dba": _numeric(J, p["ba"])}


def _fd_lstm_cell_backward(da_next, dc_next, cache):
    """Centred differences of J = sum(da_next * a_next) + sum(dc_next * c_next)."""
    _, _, a_prev, c_prev, _, _, _, _, xt, parameters = cache
    xt, a_prev, c_prev = (np.array(v, dtype=np.float64) for v in (xt, a_prev, c_prev))
    p = _copy_params(parameters)

    def J():
        a_next, c_next, _ = _lstm_cell(xt, a_prev, c_prev, p)
        return float(np.sum(da_next * a_next) + np.sum(dc_next * c_next))
    grads = {"dxt": _numeric(J, xt), "da_prev": _numeric(J, a_prev), "dc_prev": _numeric(J, c_prev)}
    for g in GATES:
        grads["dW" + g], grads["db" + g] = _numeric(J, p["W" + g]), _numeric(J, p["b" + g])
    return grads


def _fd_lstm_backward(da, caches):
    """Centred differences of J = sum(da * a), a from the framework's seq.lstm_forward (memory from zero)."""
    cell_caches, x = caches
    x, a0, p = np.array(x, dtype=np.float64), np.array(cell_caches[0][2], dtype=np.float64), \
        _copy_params(cell_caches[0][9])

    def J():
        return float(np.sum(da * seq.lstm_forward(x, a0, p)[0]))
    grads = {"dx": _numeric(J, x), "da0": _numeric(J, a0)}
    for g in GATES:
        grads["dW" + g], grads["db" + g] = _numeric(J, p["W" + g]), _numeric(J, p["b" + g])
    return grads


def _gradient_score(numeric):
    """A Test.score for a function returning a dict of gradients: each must match the reference
    solution and the centred finite differences computed by numeric(**kwargs)."""
    numeric_of = once_per_case(numeric)

    def score(got, expected, kwargs):
        if got is None:
            return 0.0, "returned None: not implemented yet (or a missing `return`)."
        if not isinstance(got, dict):
            return 0.0, f"should return a dict of gradients, got {type(got).__name__}."
        missing = [k for k in expected if k not in got]
        if missing:
            return 0.0, f"the gradients dict lacks the key(s) {missing}."
        for key in expected:
            m = checks.compare(got[key], expected[key], RTOL, ATOL, path=f"gradients[{key!r}]")
            if m:
                if m["kind"] == "none":
                    return 0.0, f"{m['safe']}: not implemented yet (a placeholder None left in the code?)."
                return 0.0, f"wrong answer on a hidden test: {m['safe']}. The visible test shows expected " \
                            "values for its inputs."
        fd = numeric_of(kwargs)
        for key in expected:
            if checks.compare(got[key], fd[key], FD_RTOL, FD_ATOL, path=key):
                return 0.0, f"{key} matches the reference but not the centred finite differences: " \
                            "please tell your instructor (a grader problem, not yours)."
        return 1.0, "passed every hidden test, and the gradients agree with centred finite differences."
    return score


# ---------------------------------------------------------------------------------- visible cases

def _visible():
    """Small rounded inputs: n_x = 3, n_a = 5, n_y = 2, m = 4, T_x = 3."""
    rng = np.random.default_rng(2025)
    n_x, n_a, n_y, m, T_x = 3, 5, 2, 4, 3
    r = lambda a: np.round(a, 2)                                   # noqa: E731
    rnn_p = {k: r(v) for k, v in _rnn_params(rng, n_x, n_a, n_y).items()}
    lstm_p = {k: r(v) for k, v in _lstm_params(rng, n_x, n_a, n_y).items()}
    xt, a_prev = r(rng.standard_normal((n_x, m))), r(rng.uniform(-0.9, 0.9, (n_a, m)))
    c_prev = r(rng.uniform(-1.5, 1.5, (n_a, m)))
    x, a0 = r(rng.standard_normal((n_x, m, T_x))), r(rng.uniform(-0.9, 0.9, (n_a, m)))
    da_next, dc_next = r(rng.standard_normal((n_a, m))), r(rng.standard_normal((n_a, m)))
    da = r(rng.standard_normal((n_a, m, T_x)))
    return {
        "rnn_cell": {"xt": xt, "a_prev": a_prev, "parameters": rnn_p},
        "rnn": {"x": x, "a0": a0, "parameters": rnn_p},
        "lstm_cell": {"xt": xt, "a_prev": a_prev, "c_prev": c_prev, "parameters": lstm_p},
        "lstm": {"x": x, "a0": a0, "parameters": lstm_p},
        "rnn_cell_back": {"da_next": da_next, "cache": _rnn_cell(xt, a_prev, rnn_p)[1]},
        "rnn_back": {"da": da, "caches": _rnn_caches(x, a0, rnn_p)},
        "lstm_cell_back": {"da_next": da_next, "dc_next": dc_next,
                           "cache": _lstm_cell(xt, a_prev, c_prev, lstm_p)[2]},
        "lstm_back": {"da": da, "caches": _lstm_caches(x, a0, lstm_p)},
    }


_V = _visible()

TESTS = [
    Test("rnn_cell_forward", points=1, visible=[_V["rnn_cell"]], hidden=_hidden_rnn_cell_forward),
    Test("rnn_forward", points=1, visible=[_V["rnn"]], hidden=_hidden_rnn_forward),
    Test("lstm_cell_forward", points=2, visible=[_V["lstm_cell"]], hidden=_hidden_lstm_cell_forward),
    Test("lstm_forward", points=1, visible=[_V["lstm"]], hidden=_hidden_lstm_forward),
    Test("rnn_cell_backward", points=1, visible=[_V["rnn_cell_back"]], hidden=_hidden_rnn_cell_backward,
         score=_gradient_score(_fd_rnn_cell_backward)),
    Test("rnn_backward", points=1, visible=[_V["rnn_back"]], hidden=_hidden_rnn_backward,
         score=_gradient_score(_fd_rnn_backward)),
    Test("lstm_cell_backward", points=2, visible=[_V["lstm_cell_back"]], hidden=_hidden_lstm_cell_backward,
         score=_gradient_score(_fd_lstm_cell_backward)),
    Test("lstm_backward", points=1, visible=[_V["lstm_back"]], hidden=_hidden_lstm_backward,
         score=_gradient_score(_fd_lstm_backward)),
]
