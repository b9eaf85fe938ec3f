"""Grading spec for c5w3a_attention_translation. Visible cases ship with the notebook; hidden draws stay here.

Hidden inputs vary n_a, n_s, the attention width n_d, T_x, T_y, m, n_x and n_y (and the vocabularies
of `translate`), with 2 n_a, n_s, n_d, m, T_x and T_y chosen pairwise different where they meet, so
that a transposed matrix, a swapped concatenation or a sum over the wrong axis cannot fit; every bias
is non-zero. Attention energies are spread (weights neither uniform nor one-hot), so a softmax over
the wrong axis, a plain mean, energies that ignore s<t-1> or a<t'> all change the outputs.
The cache that `one_step_attention_backward` receives is built here, in the documented format, by a
forward pass written independently of the notebook; its gradients must match the reference solution
AND centred finite differences in float64 of that forward pass.
"""
import numpy as np

from grader.paths import checks
from grader.spec import Test


TITLE = "Neural machine translation with attention: reading dates"
HELPERS = ["framework", "dnn_utils", "seq", "data", "dates"]
DATA = ["date_translator.npz"]

RTOL, ATOL = 1e-6, 1e-9          # against the reference solution
FD_STEP = 1e-6                   # centred difference step
FD_RTOL, FD_ATOL = 1e-5, 1e-7    # against the finite differences


# ------------------------------------------------------------ forward pass written here (float64)

def _attention(a, s_prev, p):
    """(context (2n_a, m), alphas (1, m, T_x), H (n_d, m, T_x)) of the documented attention network."""
    n2, m, T_x = a.shape
    W1a, W1s = p["W1"][:, :n2], p["W1"][:, n2:]
    H = np.tanh(np.einsum("dk,kmt->dmt", W1a, a) + (W1s @ s_prev)[:, :, None] + p["b1"][:, :, None])
    e = np.einsum("od,dmt->omt", p["W2"], H)
    w = np.exp(e - e.max(axis=2, keepdims=True))
    alphas = w / w.sum(axis=2, keepdims=True)
    return np.einsum("nmt,omt->nm", a, alphas), alphas, H


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


def _fd_attention_backward(dcontext, cache):
    """Centred differences of J = sum(dcontext * context) with respect to a, s_prev, W1, b1, W2."""
    a, s_prev, _, _, params = cache
    a, s_prev = np.array(a, dtype=np.float64), np.array(s_prev, dtype=np.float64)
    p = {k: np.array(v, dtype=np.float64) for k, v in params.items()}

    def J():
        return float(np.sum(dcontext * _attention(a, s_prev, p)[0]))
    return _numeric(J, a), _numeric(J, s_prev), {k: _numeric(J, p[k]) for k in ("W1", "b1", "W2")}


def _backward_score(got, expected, kwargs):
    """The output must equal the reference's, then every gradient the centred finite differences."""
    names = ("da", "ds_prev", "grads")
    mismatch = checks.compare(got, expected, RTOL, ATOL, names=list(names))
    if mismatch:
        if mismatch["kind"] == "none":
            return 0.0, f"{mismatch['safe']}: not implemented yet (a placeholder None left in the code?)."
        return 0.0, f"wrong answer on a hidden test: {mismatch['safe']}. The visible test shows expected values " \
                    "for its inputs."
    da, ds_prev, grads = _fd_attention_backward(**kwargs)
    for name, value, numeric in (("da", got[0], da), ("ds_prev", got[1], ds_prev),
                                 *((f"grads[{k!r}]", got[2][k], grads[k]) for k in grads)):
        if checks.compare(value, numeric, FD_RTOL, FD_ATOL, path=name):
            return 0.0, f"{name} matches the reference but not the centred finite differences: please tell " \
                        "your instructor (a grader problem, not yours)."
    return 1.0, "passed every hidden test, and the gradients agree with centred finite differences."


# ------------------------------------------------------------------------------- inputs (hidden)

def _signed(rng, shape, low=0.2, high=0.7):
    """Non-zero values: magnitudes in [low, high), random signs (biases)."""
    return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


def _attention_dims(rng):
    """n_a, n_s, n_d, m, T_x: 2 n_a, n_s, n_d pairwise different, m != T_x, all >= 2."""
    n_a = int(rng.integers(2, 5))
    n_s = int(rng.choice([k for k in range(3, 8) if k != 2 * n_a]))
    n_d = int(rng.choice([k for k in range(2, 7) if k not in (2 * n_a, n_s)]))
    m = int(rng.integers(2, 6))
    T_x = int(rng.choice([k for k in range(3, 9) if k != m]))
    return n_a, n_s, n_d, m, T_x


def _attention_params(rng, n_a, n_s, n_d):
    k = 2 * n_a + n_s
    return {"W1": rng.standard_normal((n_d, k)) * 1.2 / np.sqrt(k), "b1": _signed(rng, (n_d, 1)),
            "W2": rng.standard_normal((1, n_d)) * 1.5 + _signed(rng, (1, n_d), 0.3, 0.6)}


def _hidden_attention(rng):
    n_a, n_s, n_d, m, T_x = _attention_dims(rng)
    return {"a": rng.uniform(-1, 1, (2 * n_a, m, T_x)), "s_prev": rng.uniform(-1, 1, (n_s, m)),
            "params": _attention_params(rng, n_a, n_s, n_d)}


def _attention_backward_case(rng, case):
    context, alphas, H = _attention(case["a"], case["s_prev"], case["params"])
    cache = (case["a"], case["s_prev"], H, alphas, case["params"])
    return {"dcontext": rng.standard_normal(context.shape), "cache": cache}


def _hidden_attention_backward(rng):
    return _attention_backward_case(rng, _hidden_attention(rng))


def _lstm_params(rng, n_in, n_h):
    p = {}
    for g in "fico":
        p["W" + g] = rng.standard_normal((n_h, n_h + n_in)) * 1.3 / np.sqrt(n_h + n_in)
        p["b" + g] = _signed(rng, (n_h, 1))
    return p


def _model_params(rng, n_x, n_a, n_s, n_d, n_y):
    return {"encoder_fwd": _lstm_params(rng, n_x, n_a), "encoder_bwd": _lstm_params(rng, n_x, n_a),
            "attention": _attention_params(rng, n_a, n_s, n_d), "decoder": _lstm_params(rng, 2 * n_a, n_s),
            "Wy": rng.standard_normal((n_y, n_s)) * 1.5, "by": _signed(rng, (n_y, 1))}


def _model_dims(rng):
    """n_x, n_a, n_s, n_d, n_y, m, T_x, T_y with the sizes that meet pairwise different."""
    n_a, n_s, n_d, m, T_x = _attention_dims(rng)
    n_x = int(rng.choice([k for k in range(4, 10) if k not in (n_a, 2 * n_a, n_s)]))
    n_y = int(rng.choice([k for k in range(3, 8) if k not in (n_s, m)]))
    T_y = int(rng.choice([k for k in range(2, 6) if k not in (T_x, m)]))
    return n_x, n_a, n_s, n_d, n_y, m, T_x, T_y


def _one_hot_rows(rng, n_x, m, T_x):
    ids = rng.integers(0, n_x, (m, T_x))
    return (np.arange(n_x)[:, None, None] == ids[None]).astype(np.float64)


def _hidden_model(rng):
    n_x, n_a, n_s, n_d, n_y, m, T_x, T_y = _model_dims(rng)
    return {"X": _one_hot_rows(rng, n_x, m, T_x), "params": _model_params(rng, n_x, n_a, n_s, n_d, n_y),
            "T_y": T_y}


CHARS = list("abcdefghijklmnopqrstuvwxyz0123456789+*#@%&=?")


def _translate_case(rng, n_x, n_a, n_s, n_d, n_y, m, T_x, T_y):
    chars = [str(c) for c in rng.choice(CHARS, size=n_x - 2 + n_y, replace=False)]
    human_vocab, machine_vocab = ["<pad>", "<unk>"] + chars[:n_x - 2], chars[n_x - 2:]
    unknown = [c for c in CHARS if c not in human_vocab]
    sources = []
    for i in range(m):
        length = int(rng.integers(1, T_x + 3))
        if i == 0:
            length = int(rng.integers(1, T_x))            # shorter than T_x: padded
        if i == 1:
            length = T_x + int(rng.integers(1, 3))        # longer: cut
        text = [str(c) for c in rng.choice(human_vocab[2:], size=length)]
        if i == 2 or rng.random() < 0.3:
            text[int(rng.integers(length))] = str(rng.choice(unknown))    # an unknown character
        sources.append("".join(text))
    return {"sources": sources, "params": _model_params(rng, n_x, n_a, n_s, n_d, n_y),
            "human_vocab": human_vocab, "machine_vocab": machine_vocab, "T_x": T_x, "T_y": T_y}


def _hidden_translate(rng):
    n_x, n_a, n_s, n_d, n_y, _, T_x, T_y = _model_dims(rng)
    m = int(rng.choice([k for k in range(3, 7) if k not in (T_y, n_y)]))
    return _translate_case(rng, n_x, n_a, n_s, n_d, n_y, m, T_x, T_y)


def _accuracy_case(rng, m):
    """m ISO-like targets; predictions equal to some, one character off in the others (at least one of each)."""
    targets = []
    for _ in range(m):
        year, month, day = int(rng.integers(1950, 2050)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
        targets.append(f"{year:04d}-{month:02d}-{day:02d}")
    n_right = int(rng.integers(1, m))
    right = set(rng.permutation(m)[:n_right].tolist())
    predictions = []
    for i, t in enumerate(targets):
        if i in right:
            predictions.append(t)
            continue
        chars = list(t)
        k = int(rng.choice([j for j in range(len(chars)) if chars[j] != "-"]))
        chars[k] = str((int(chars[k]) + int(rng.integers(1, 10))) % 10)
        predictions.append("".join(chars))
    return {"predictions": predictions, "targets": targets}


def _hidden_accuracy(rng):
    return _accuracy_case(rng, int(rng.integers(4, 13)))


# ---------------------------------------------------------------------------------- visible cases

def _visible():
    """Small rounded inputs: n_a = 2 (2 n_a = 4), n_s = 3, n_d = 5, m = 2, T_x = 4 (model: n_x = 6,
    n_y = 5, T_y = 3)."""
    rng = np.random.default_rng(2026)
    r = lambda v: np.round(v, 2)                                   # noqa: E731
    n_a, n_s, n_d, m, T_x = 2, 3, 5, 2, 4
    att = {"a": r(rng.uniform(-1, 1, (2 * n_a, m, T_x))), "s_prev": r(rng.uniform(-1, 1, (n_s, m))),
           "params": {k: r(v) for k, v in _attention_params(rng, n_a, n_s, n_d).items()}}
    back = _attention_backward_case(rng, att)
    back["dcontext"] = r(back["dcontext"])
    params = _model_params(rng, 6, n_a, n_s, n_d, 5)
    params = {k: ({kk: r(vv) for kk, vv in v.items()} if isinstance(v, dict) else r(v)) for k, v in params.items()}
    model = {"X": _one_hot_rows(rng, 6, m, T_x), "params": params, "T_y": 3}
    tr = _translate_case(rng, 6, n_a, n_s, n_d, 5, 3, T_x, 5)
    tr["params"] = params
    v = tr["human_vocab"]
    tr["sources"] = [v[2] + v[4] + v[3], v[5] * 6, "~" + v[3]]       # short (padded), long (cut), unknown "~"
    acc = {"predictions": ["1998-05-03", "2001-12-31", "1975-01-09", "2040-07-14"],
           "targets": ["1998-05-03", "2001-12-30", "1975-01-09", "2040-07-41"]}
    return att, back, model, tr, acc


_ATT, _BACK, _MODEL, _TR, _ACC = _visible()

TESTS = [
    Test("one_step_attention", points=2, visible=[_ATT], hidden=_hidden_attention, rtol=RTOL, atol=ATOL),
    Test("one_step_attention_backward", points=3, visible=[_BACK], hidden=_hidden_attention_backward,
         rtol=RTOL, atol=ATOL, score=_backward_score),
    Test("model_forward", points=3, visible=[_MODEL], hidden=_hidden_model, rtol=RTOL, atol=ATOL),
    Test("translate", points=1, visible=[_TR], hidden=_hidden_translate, rtol=RTOL, atol=ATOL),
    Test("exact_match_accuracy", points=1, visible=[_ACC], hidden=_hidden_accuracy, rtol=RTOL, atol=ATOL),
]
