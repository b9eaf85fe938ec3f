"""Grading spec for c5w1c_sequence_generation. Visible cases ship with the notebook; hidden draws stay here.

Hidden cases vary the vocabulary size V, the hidden size n_a (never equal to V), the batch size m, the
length T and the temperature (kept away from 1). Padded batches always mix rows of different lengths, so a
loss that forgets the mask, or averages over the wrong count, changes. Adam states have t > 0 on most
draws and non-zero moving averages, and max_norm is always below the gradients' global norm, so clipping
matters (Adam's update is not scale-invariant once m and v are non-zero).

`sequence_loss` and `train_step` are scored by `_gradient_score`: the answer must match the reference
solution AND agree with centred finite differences (float64) of a forward pass written below
(train_step's grads: the finite-difference gradient clipped to max_norm by global norm).
"""
import numpy as np
from scipy.special import expit

from grader.paths import checks
from grader.spec import Test, once_per_case

TITLE = "Composing melodies with an LSTM"
HELPERS = ["framework", "dnn_utils", "seq", "melody"]
DATA = []

RTOL, ATOL = 1e-6, 1e-9          # against the reference solution
FD_STEP = 1e-6
FD_RTOL, FD_ATOL = 1e-5, 1e-8    # against the finite differences (their error is ~1e-9 here)
PAD, START, END = 0, 1, 2
GATES = ("f", "i", "c", "o")


# ---------------------------------------------------------------- reference forward pass (float64)

def _scores(params, X_idx):
    """Scores Z (V, m, T) of the LSTM language model, one step at a time from zero states."""
    Wy, by = params["Wy"], params["by"]
    V, n_a = Wy.shape
    m, T = X_idx.shape
    a = c = np.zeros((n_a, m))
    out = []
    for t in range(T):
        hx = np.concatenate([a, np.eye(V)[:, X_idx[:, t]]])
        f, i, o = (expit(params["W" + g] @ hx + params["b" + g]) for g in "fio")
        c = f * c + i * np.tanh(params["Wc"] @ hx + params["bc"])
        a = o * np.tanh(c)
        out.append(Wy @ a + by)
    return np.stack(out, axis=2)


def _loss(Z, Y_idx):
    """Mean cross-entropy over the positions where Y_idx != PAD."""
    s = Z - Z.max(axis=0, keepdims=True)
    logp = s - np.log(np.exp(s).sum(axis=0, keepdims=True))
    picked = np.take_along_axis(logp, Y_idx[None], axis=0)[0]
    mask = Y_idx != PAD
    return float(-np.sum(picked * mask) / np.sum(mask))


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


def _fd_params_grads(params, X_idx, Y_idx):
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    return {k: _numeric(lambda: _loss(_scores(params, X_idx), Y_idx), params[k]) for k in params}


def _clip(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    scale = min(1.0, max_norm / norm)
    return {k: g * scale for k, g in grads.items()}


def _fd_sequence_loss(Z, Y_idx):
    Z = np.array(Z, dtype=np.float64)
    return [("dZ", 1, _numeric(lambda: _loss(Z, Y_idx), Z))]


def _fd_train_step(params, adam, X_idx, Y_idx, learning_rate, max_norm, **_):
    grads = _clip(_fd_params_grads(params, X_idx, Y_idx), max_norm)
    return [(f"grads[{k!r}]", (1, k), g) for k, g in grads.items()]


def _gradient_score(numeric):
    """A Test.score: the result must match the reference, then each gradient its centred differences.

    numeric(**kwargs) -> [(name, where in the result: index or (index, key), numeric gradient)].
    """
    numeric_of = once_per_case(numeric)

    def score(got, expected, kwargs):
        mismatch = checks.compare(got, expected, RTOL, ATOL)
        if mismatch:
            if mismatch["kind"] == "none":
                return 0.0, "returned None: not implemented yet (or a missing `return`)."
            return 0.0, f"wrong answer on a hidden test: {mismatch['safe']}. The visible test shows expected values."
        for name, where, num in numeric_of(kwargs):
            value = got[where[0]][where[1]] if isinstance(where, tuple) else got[where]
            if checks.compare(np.asarray(value, dtype=np.float64), num, FD_RTOL, FD_ATOL, path=name):
                return 0.0, f"{name} matches the reference but not the centred finite differences: " \
                            "please tell your instructor (a grader problem, not yours)."
        return 1.0, "passed every hidden test; the gradients agree with centred finite differences."
    return score


def _first_score(name):
    """A Test.score comparing only the first item of a returned tuple (e.g. Z of (Z, cache))."""
    def score(got, expected, kwargs):
        if got is None or (isinstance(got, (tuple, list)) and len(got) and got[0] is None):
            return 0.0, "returned None: not implemented yet (or a missing `return`)."
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return 0.0, f"should return a tuple of {len(expected)} items ({name}, cache)."
        mismatch = checks.compare(got[0], expected[0], RTOL, ATOL, path=name)
        if mismatch:
            return 0.0, f"wrong answer on a hidden test: {mismatch['safe']}. The visible test shows expected values."
        return 1.0, "passed every hidden test."
    return score


# -------------------------------------------------------------------------------- hidden draws

def _temperature(rng):
    """A temperature clearly below or clearly above 1."""
    return float(rng.uniform(0.35, 0.8)) if rng.random() < 0.5 else float(rng.uniform(1.4, 2.8))


def _sizes(rng):
    """(V, n_a) with n_a != V."""
    V = int(rng.integers(5, 10))
    n_a = int(rng.choice([n for n in range(2, 7) if n != V]))
    return V, n_a


def _model(rng, V, n_a, scale=0.6):
    params = {}
    for g in GATES:
        params["W" + g] = scale * rng.standard_normal((n_a, n_a + V))
        params["b" + g] = 0.5 * rng.standard_normal((n_a, 1))
    params["Wy"] = rng.standard_normal((V, n_a))
    params["by"] = 0.5 * rng.standard_normal((V, 1))
    return params


def _padded(rng, V, m, T):
    """(X_idx, Y_idx) (m, T): rows of different lengths (one full, one shorter), START first, PAD after."""
    lengths = rng.integers(1, T + 1, size=m)
    lengths[0], lengths[1] = T, int(rng.integers(1, T))
    rng.shuffle(lengths)
    X = np.full((m, T), PAD, dtype=np.int64)
    Y = np.full((m, T), PAD, dtype=np.int64)
    for i, L in enumerate(lengths):
        Y[i, :L] = rng.integers(START, V, size=L)
        X[i, 0] = START
        X[i, 1:L] = Y[i, :L - 1]
    return X, Y


def _hidden_softmax_with_temperature(rng):
    V, m = int(rng.integers(3, 10)), int(rng.integers(2, 7))
    if m == V:
        m += 1
    z = rng.normal(scale=1.5, size=(V, m))
    z[:, 0] *= 300.0 / np.abs(z[:, 0]).max()          # one column of scores in the hundreds
    return {"z": z, "temperature": _temperature(rng)}


def _ref_sample(z, temperature, u):
    s = z / temperature
    p = np.exp(s - s.max(axis=0))
    p /= p.sum(axis=0)
    return np.minimum((np.cumsum(p, axis=0) <= u).sum(axis=0), z.shape[0] - 1)


def _hidden_sample_next(rng):
    """Scores and a seed for which the right samples differ from the argmax and from temperature 1."""
    for _ in range(1000):
        V, m = int(rng.integers(3, 10)), int(rng.integers(6, 11))
        z = rng.normal(scale=1.2, size=(V, m))
        temperature = _temperature(rng)
        seed = int(rng.integers(0, 2 ** 31))
        u = np.random.default_rng(seed).random(m)
        right = _ref_sample(z, temperature, u)
        if np.any(right != z.argmax(axis=0)) and np.any(right != _ref_sample(z, 1.0, u)):
            return {"z": z, "temperature": temperature, "seed": seed}
    raise RuntimeError("could not draw a discriminating sample_next case")


def _hidden_model_forward(rng):
    V, n_a = _sizes(rng)
    m, T = int(rng.integers(2, 5)), int(rng.integers(2, 7))
    X, _ = _padded(rng, V, m, T)
    return {"params": _model(rng, V, n_a), "X_idx": X}


def _hidden_sequence_loss(rng):
    V = int(rng.integers(4, 10))
    m, T = int(rng.integers(2, 5)), int(rng.integers(2, 7))
    _, Y = _padded(rng, V, m, T)
    return {"Z": rng.normal(scale=2.0, size=(V, m, T)), "Y_idx": Y}


def _hidden_train_step(rng):
    V, n_a = _sizes(rng)
    m, T = int(rng.integers(2, 5)), int(rng.integers(2, 6))
    params = _model(rng, V, n_a)
    X, Y = _padded(rng, V, m, T)
    grads = _fd_params_grads(params, X, Y)
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    t = int(rng.integers(0, 30))
    adam = {"t": t,
            "m": {k: 0.05 * rng.standard_normal(p.shape) for k, p in params.items()},
            "v": {k: rng.uniform(0.0005, 0.01, size=p.shape) for k, p in params.items()}}
    return {"params": params, "adam": adam, "X_idx": X, "Y_idx": Y,
            "learning_rate": float(rng.uniform(0.005, 0.1)), "max_norm": norm * float(rng.uniform(0.2, 0.7)),
            "beta1": float(rng.uniform(0.8, 0.95)), "beta2": float(rng.uniform(0.95, 0.999)),
            "epsilon": float(rng.choice([1e-8, 1e-6]))}


def _hidden_model_step(rng):
    V, n_a = _sizes(rng)
    m = int(rng.integers(2, 6))
    return {"params": _model(rng, V, n_a), "x_idx": rng.integers(0, V, size=m),
            "a_prev": np.tanh(rng.normal(size=(n_a, m))), "c_prev": rng.normal(size=(n_a, m))}


def _hidden_generate(rng):
    V, n_a = _sizes(rng)
    m, k = int(rng.integers(2, 5)), int(rng.integers(1, 4))
    return {"params": _model(rng, V, n_a, scale=0.9), "start_tokens": rng.integers(START, V, size=(m, k)),
            "n_steps": int(rng.integers(4, 9)), "temperature": _temperature(rng),
            "seed": int(rng.integers(0, 2 ** 31))}


def _hidden_interval_histogram(rng):
    """Melodies of 2 to 12 notes with leaps beyond max_interval, plus one melody of a single note."""
    max_interval = int(rng.integers(3, 10))
    melodies = []
    for _ in range(int(rng.integers(2, 6))):
        n = int(rng.integers(2, 13))
        steps = rng.integers(-max_interval - 4, max_interval + 5, size=n - 1)
        steps[0] = (max_interval + int(rng.integers(1, 5))) * int(rng.choice([-1, 1]))  # a leap to clip
        melodies.append(int(rng.integers(60, 72)) + np.concatenate([[0], np.cumsum(steps)]).astype(np.int64))
    melodies.insert(int(rng.integers(0, len(melodies) + 1)), np.array([int(rng.integers(60, 72))]))
    return {"melodies": melodies, "max_interval": max_interval}


# ---------------------------------------------------------------------------------- visible cases

def _visible_model(seed, V=6, n_a=3):
    rng = np.random.default_rng(seed)
    return {k: np.round(v, 2) for k, v in _model(rng, V, n_a).items()}


_VIS_PARAMS = _visible_model(11)
_VIS_X = np.array([[START, 4, 5, 3], [START, 5, PAD, PAD]])
_VIS_Y = np.array([[4, 5, 3, END], [5, END, PAD, PAD]])
_VIS_ADAM = {"t": 3, "m": {k: np.full(p.shape, 0.01) for k, p in _VIS_PARAMS.items()},
             "v": {k: np.full(p.shape, 0.001) for k, p in _VIS_PARAMS.items()}}
_VIS_Z = np.round(np.random.default_rng(3).normal(size=(5, 2, 3)), 2)

TESTS = [
    Test("softmax_with_temperature", points=1,
         visible=[{"z": np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 1.0]]), "temperature": 1.0},
                  {"z": np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 1.0]]), "temperature": 0.5},
                  {"z": np.array([[1.0, 500.0], [2.0, 0.0], [3.0, 498.0]]), "temperature": 2.0}],
         hidden=_hidden_softmax_with_temperature, rtol=RTOL, atol=ATOL),
    Test("sample_next", points=1,
         visible=[{"z": np.array([[1.0, 0.0, 2.0, 0.5], [2.0, 0.0, 0.0, 0.5], [0.5, 1.0, -1.0, 0.5]]),
                   "temperature": 1.0, "seed": 0},
                  {"z": np.array([[1.0, 0.0, 2.0, 0.5], [2.0, 0.0, 0.0, 0.5], [0.5, 1.0, -1.0, 0.5]]),
                   "temperature": 2.5, "seed": 4}],
         hidden=_hidden_sample_next),
    Test("model_forward", points=1,
         visible=[{"params": _VIS_PARAMS, "X_idx": _VIS_X}],
         hidden=_hidden_model_forward, score=_first_score("Z")),
    Test("sequence_loss", points=2,
         visible=[{"Z": _VIS_Z, "Y_idx": np.array([[1, 4, 2], [3, 2, PAD]])},
                  {"Z": _VIS_Z, "Y_idx": np.array([[1, 4, 2], [3, 2, 3]])}],
         hidden=_hidden_sequence_loss, rtol=RTOL, atol=ATOL, score=_gradient_score(_fd_sequence_loss)),
    Test("train_step", points=3,
         visible=[{"params": _VIS_PARAMS, "adam": _VIS_ADAM, "X_idx": _VIS_X, "Y_idx": _VIS_Y,
                   "learning_rate": 0.05, "max_norm": 100.0},
                  {"params": _VIS_PARAMS, "adam": _VIS_ADAM, "X_idx": _VIS_X, "Y_idx": _VIS_Y,
                   "learning_rate": 0.05, "max_norm": 0.1}],
         hidden=_hidden_train_step, rtol=RTOL, atol=ATOL, score=_gradient_score(_fd_train_step)),
    Test("model_step", points=1,
         visible=[{"params": _VIS_PARAMS, "x_idx": np.array([1, 4]),
                   "a_prev": np.array([[0.1, -0.2], [0.0, 0.3], [0.5, 0.2]]),
                   "c_prev": np.array([[0.4, -1.0], [0.2, 0.0], [-0.3, 0.8]])}],
         hidden=_hidden_model_step, rtol=RTOL, atol=ATOL),
    Test("generate", points=2,
         visible=[{"params": _VIS_PARAMS, "start_tokens": np.array([[START], [START]]), "n_steps": 6,
                   "temperature": 1.0, "seed": 1},
                  {"params": _VIS_PARAMS, "start_tokens": np.array([[START, 4], [START, 5], [START, 3]]),
                   "n_steps": 5, "temperature": 0.6, "seed": 2}],
         hidden=_hidden_generate),
    Test("interval_histogram", points=1,
         visible=[{"melodies": [np.array([60, 62, 64, 60]), np.array([67, 67, 72])], "max_interval": 5},
                  {"melodies": [np.array([72]), np.array([60, 64, 62, 74, 60])], "max_interval": 4}],
         hidden=_hidden_interval_histogram, rtol=RTOL, atol=ATOL),
]
