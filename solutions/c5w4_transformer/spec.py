"""Grading spec for c5w4_transformer. Visible cases ship with the notebook; hidden draws stay here.

Layout (the notebook's): batch first, (m, T, d_model); projections x @ W + b with W (d_in, d_out), b (d_out,);
masks are floats, 1 = may attend, 0 = hidden, applied as scores + (1 - mask) * (-1e9) before the softmax.

Hidden inputs are planned case by case (`hidden(rng, k)`), so that every catalogued mistake meets an input
that exposes it under every seed:
- sizes are drawn so that nothing square hides a transpose: T_q != T_k (except the self-attention cases,
  where d_k, d_v, m and h still differ from T), d_k != d_v, h * d_k != d_model, d_ff != d_model, m >= 2,
  h >= 2, odd d_model for the positional encodings;
- padding sits at the end, at the start, or in the middle of the sequences, depending on the case; every
  query keeps at least one key (a fully masked row would be a uniform average, a degenerate case);
- scores are O(1) (q, k ~ N(0, 1), weights ~ N(0, 1/d_in)), so no softmax is one-hot; biases are non-zero;
  layer-norm inputs have per-row scales from 0.05 to 3 (an epsilon in the wrong place shows) and the
  gammas and betas of different layer norms differ.
The backward of the attention is scored by `_gradient_score`: it must match the reference solution AND
centred finite differences (float64) of an attention forward pass written here; the mask of a hidden case
is read back from the cached weights (a hidden key has a weight of exactly 0).
"""
import numpy as np

from grader.paths import checks
from grader.spec import Test, once_per_case

TITLE = "Transformers: attention is all the network gets"
HELPERS = ["framework", "dnn_utils", "transformer_utils"]
DATA = []

RTOL, ATOL = 1e-6, 1e-9          # against the reference solution
FD_STEP = 1e-6
FD_RTOL, FD_ATOL = 1e-5, 1e-7    # against the centred finite differences (their error is ~1e-9 here)
NEG_INF = -1e9


# ---------------------------------------------------------------- an independent attention (float64)

def _attention(q, k, v, hidden):
    """hidden: bool array broadcastable to the scores, True where the key is masked (or None)."""
    s = np.einsum("...qd,...kd->...qk", q, k) / np.sqrt(q.shape[-1])
    if hidden is not None:
        s = np.where(hidden, NEG_INF, s)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    a = e / e.sum(axis=-1, keepdims=True)
    return np.einsum("...qk,...kd->...qd", a, v), a


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


def _fd_attention_backward(d_output, cache):
    """(dq, dk, dv) from centred differences of J = sum(d_output * attention(q, k, v)), mask read from A == 0."""
    q, k, v, A = (np.array(x, dtype=np.float64) for x in cache)
    d_output = np.asarray(d_output, dtype=np.float64)
    hidden = A == 0.0

    def J():
        return float(np.sum(d_output * _attention(q, k, v, hidden)[0]))
    return _numeric(J, q), _numeric(J, k), _numeric(J, v)


def _gradient_score(names, numeric):
    """A Test.score: the result must match the reference and the centred finite differences."""
    numeric_of = once_per_case(numeric)

    def score(got, expected, kwargs):
        if got is None or (isinstance(got, (tuple, list)) and all(g is None for g in got)):
            return 0.0, "returned None: not implemented yet (or a missing `return`)."
        if not isinstance(got, (tuple, list)) or len(got) != len(names):
            return 0.0, f"should return a tuple of {len(names)} arrays ({', '.join(names)})."
        for name, g, e in zip(names, got, expected):
            m = checks.compare(g, e, RTOL, ATOL, path=name)
            if m:
                if m["kind"] == "none":
                    return 0.0, f"{m['safe']}: not implemented yet (a placeholder None left in the code?)."
                return 0.0, f"wrong answer on a hidden test: {m['safe']}. The visible test shows expected " \
                            "values for its inputs."
        for name, g, n in zip(names, got, numeric_of(kwargs)):
            if checks.compare(g, n, FD_RTOL, FD_ATOL, path=name):
                return 0.0, f"{name} matches the reference but not the centred finite differences: " \
                            "please tell your instructor (a grader problem, not yours)."
        return 1.0, "passed every hidden test, and the gradients agree with centred finite differences."
    return score


# -------------------------------------------------------------------------------- hidden draws

def _two_different(rng, low, high):
    a, b = rng.choice(np.arange(low, high + 1), size=2, replace=False)
    return int(a), int(b)


def _tokens_with_padding(rng, m, T, where):
    """Token ids (m, T), T >= 3, in 1..12 with PAD (0) at the 'end', the 'start' or in the 'middle' of each row
    (middle: never first or last). Every row keeps at least two real tokens (a query with a single key to
    look at gets a one-hot row whatever the scores, which would hide mistakes), and the first row has a PAD."""
    seq = rng.integers(1, 13, size=(m, T))
    for i in range(m):
        n_pad = int(rng.integers(1 if i == 0 else 0, T - 1))          # 0 .. T-2 pads
        if where == "end":
            seq[i, T - n_pad:] = 0
        elif where == "start":
            seq[i, :n_pad] = 0
        else:
            seq[i, rng.choice(np.arange(1, T - 1), size=n_pad, replace=False)] = 0
    return seq


def _padding_mask(seq):
    return (np.asarray(seq) != 0).astype(np.float64)[:, None, :]


def _random_mask(rng, shape):
    """A 0/1 float mask whose every row (last axis) keeps at least one key and some rows hide some."""
    mask = (rng.random(shape) < 0.6).astype(np.float64)
    rows = mask.reshape(-1, shape[-1])
    rows[np.arange(rows.shape[0]), rng.integers(0, shape[-1], rows.shape[0])] = 1.0
    rows[0, :] = 1.0
    rows[0, int(rng.integers(0, shape[-1]))] = 0.0 if shape[-1] > 1 else 1.0
    return rows.reshape(shape)


def _hidden_positional_encoding(rng, k):
    positions = int(rng.integers(3, 13))
    d_model = int(rng.choice([5, 7, 9, 11])) if k % 2 == 0 else int(rng.integers(4, 17))
    return {"positions": positions, "d_model": d_model}


def _hidden_create_padding_mask(rng, k):
    T = int(rng.integers(4, 10))
    m = int(rng.choice([v for v in range(2, 6) if v != T]))
    return {"seq": _tokens_with_padding(rng, m, T, ["end", "start", "middle", "middle"][k % 4])}


def _hidden_create_look_ahead_mask(rng, k):
    return {"size": int(rng.integers(2, 5)) + 3 * k}


def _attention_dims(rng):
    """m, T_q != T_k (T_k >= 3), d_k != d_v, all at least 2."""
    T_k = int(rng.integers(3, 8))
    T_q = int(rng.choice([t for t in range(2, 7) if t != T_k]))
    d_k, d_v = _two_different(rng, 2, 5)
    return int(rng.integers(2, 5)), T_q, T_k, d_k, d_v


def _attention_case(rng, k):
    """Case 0: (m, T, d) with a padding mask (m, 1, T_k); 1: heads (m, h, T, d), random mask (m, 1, T_q, T_k);
    2: self-attention shapes with the look-ahead mask (T, T); 3: no mask."""
    m, T_q, T_k, d_k, d_v = _attention_dims(rng)
    lead = (m,)
    if k == 1:
        lead = (m, int(rng.choice([h for h in (2, 3) if h != m] or [2])))
    if k == 2:
        T_k = T_q = max(T_q, 3)
        while d_k == T_q or d_v == T_q:
            d_k, d_v = _two_different(rng, 2, 7)
    q = rng.standard_normal(lead + (T_q, d_k))
    kk = rng.standard_normal(lead + (T_k, d_k))
    v = rng.standard_normal(lead + (T_k, d_v))
    if k == 0:
        mask = _padding_mask(_tokens_with_padding(rng, m, T_k, str(rng.choice(["end", "start", "middle"]))))
    elif k == 1:
        mask = _random_mask(rng, (m, 1, T_q, T_k))
    elif k == 2:
        mask = np.tril(np.ones((T_q, T_k)))
    else:
        mask = None
    return {"q": q, "k": kk, "v": v, "mask": mask}


def _hidden_scaled_dot_product_attention(rng, k):
    return _attention_case(rng, k)


def _hidden_scaled_dot_product_attention_backward(rng, k):
    case = _attention_case(rng, k)
    hidden = None if case["mask"] is None else (case["mask"] == 0)
    out, A = _attention(case["q"], case["k"], case["v"], hidden)
    return {"d_output": rng.standard_normal(out.shape), "cache": (case["q"], case["k"], case["v"], A)}


def _sym(rng, shape, low=0.2, high=0.6):
    """Entries of magnitude low..high with random signs (a non-zero bias)."""
    return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


def _mha_sizes(rng):
    """d_model, h, d_k, d_v: h in {2, 3}, d_k != d_v < d_model, h * d_k != d_model != h * d_v."""
    while True:
        d_model, h = int(rng.integers(5, 10)), int(rng.choice([2, 3]))   # d_model > d_k, so sqrt(d_model) != sqrt(d_k)
        d_k, d_v = _two_different(rng, 2, 4)
        if d_model not in (h * d_k, h * d_v):
            return d_model, h, d_k, d_v


def _mha_params(rng, d_model, h, d_k, d_v):
    return {"Wq": rng.standard_normal((d_model, h * d_k)) / np.sqrt(d_model), "bq": _sym(rng, h * d_k),
            "Wk": rng.standard_normal((d_model, h * d_k)) / np.sqrt(d_model), "bk": _sym(rng, h * d_k),
            "Wv": rng.standard_normal((d_model, h * d_v)) / np.sqrt(d_model), "bv": _sym(rng, h * d_v),
            "Wo": rng.standard_normal((h * d_v, d_model)) / np.sqrt(h * d_v), "bo": _sym(rng, d_model)}


def _hidden_multi_head_attention(rng, k):
    """Case 0: cross-attention, padding mask; 1: self-attention, look-ahead x padding (m, T, T);
    2: cross-attention, no mask; 3: cross-attention, random mask (m, T_q, T_k)."""
    d_model, h, d_k, d_v = _mha_sizes(rng)
    m = int(rng.choice([v for v in (2, 3, 4) if v != h]))
    T_k = int(rng.integers(3, 8))
    T_q = T_k if k == 1 else int(rng.choice([t for t in range(2, 7) if t != T_k]))
    x_q = rng.standard_normal((m, T_q, d_model))
    x_kv = rng.standard_normal((m, T_k, d_model))
    if k == 0:
        mask = _padding_mask(_tokens_with_padding(rng, m, T_k, str(rng.choice(["end", "start", "middle"]))))
    elif k == 1:
        x_kv = x_q
        tokens = _tokens_with_padding(rng, m, T_q, "end")
        tokens[:, 0] = 1                                            # START is never padding
        mask = np.tril(np.ones((T_q, T_q))) * _padding_mask(tokens)
    elif k == 2:
        mask = None
    else:
        mask = _random_mask(rng, (m, T_q, T_k))
    return {"x_q": x_q, "x_kv": x_kv, "params": _mha_params(rng, d_model, h, d_k, d_v), "num_heads": h,
            "mask": mask}


def _ln_params(rng, d):
    return {"gamma": 1.0 + 0.3 * rng.standard_normal(d), "beta": 0.3 * rng.standard_normal(d)}


def _hidden_layer_norm(rng, k):
    """Rows of very different scales (0.05 .. 3) and offsets; case 2 is 2-D; eps varies."""
    d = int(rng.integers(3, 9))
    shape = (int(rng.integers(3, 7)), d) if k == 2 else (int(rng.integers(2, 4)), int(rng.integers(2, 5)), d)
    scale = np.exp(rng.uniform(np.log(0.05), np.log(3.0), shape[:-1] + (1,)))
    x = scale * rng.standard_normal(shape) + rng.uniform(-2, 2, shape[:-1] + (1,))
    x.reshape(-1, d)[0] = 0.05 * rng.standard_normal(d) + 1.0     # one row with a tiny variance, always
    case = {"x": x, **_ln_params(rng, d)}
    if k % 4:                                                      # case 0 keeps the default eps
        case["eps"] = [1e-3, 1e-5, 1e-4][k % 4 - 1]
    return case


def _ffn_params(rng, d_model, d_ff):
    return {"W1": rng.standard_normal((d_model, d_ff)) / np.sqrt(d_model), "b1": _sym(rng, d_ff, 0.05, 0.3),
            "W2": rng.standard_normal((d_ff, d_model)) / np.sqrt(d_ff), "b2": _sym(rng, d_model)}


def _layer_sizes(rng):
    d_model, h, d_k, d_v = _mha_sizes(rng)
    d_ff = int(rng.choice([v for v in range(6, 13) if v != d_model]))
    return d_model, h, d_k, d_v, d_ff


def _hidden_encoder_layer(rng, k):
    """Case 0: padding at the end; 1: padding at the start; 2: no mask; 3: padding in the middle."""
    d_model, h, d_k, d_v, d_ff = _layer_sizes(rng)
    m, T = int(rng.integers(2, 4)), int(rng.integers(3, 7))
    params = {"mha": _mha_params(rng, d_model, h, d_k, d_v), "ln1": _ln_params(rng, d_model),
              "ffn": _ffn_params(rng, d_model, d_ff), "ln2": _ln_params(rng, d_model)}
    where = ["end", "start", None, "middle"][k % 4]
    mask = None if where is None else _padding_mask(_tokens_with_padding(rng, m, T, where))
    return {"x": rng.standard_normal((m, T, d_model)), "params": params, "num_heads": h, "mask": mask}


def _hidden_decoder_layer(rng, k):
    """T_dec != T_enc. Case 0: look-ahead (T, T) and a source padding mask; 1: look-ahead x target padding
    (m, T, T) and a source padding mask (padding at the start); 2: look-ahead only, no padding mask."""
    d_model, h, d_k, d_v, d_ff = _layer_sizes(rng)
    m = int(rng.integers(2, 4))
    T_dec, T_enc = _two_different(rng, 3, 7)
    params = {"self_mha": _mha_params(rng, d_model, h, d_k, d_v), "ln1": _ln_params(rng, d_model),
              "cross_mha": _mha_params(rng, d_model, h, d_k, d_v), "ln2": _ln_params(rng, d_model),
              "ffn": _ffn_params(rng, d_model, d_ff), "ln3": _ln_params(rng, d_model)}
    look_ahead = np.tril(np.ones((T_dec, T_dec)))
    padding = None
    if k % 3 == 0:
        padding = _padding_mask(_tokens_with_padding(rng, m, T_enc, str(rng.choice(["end", "middle"]))))
    elif k % 3 == 1:
        tokens = _tokens_with_padding(rng, m, T_dec, "end")
        tokens[:, 0] = 1
        look_ahead = look_ahead * _padding_mask(tokens)
        padding = _padding_mask(_tokens_with_padding(rng, m, T_enc, "start"))
    return {"x": rng.standard_normal((m, T_dec, d_model)), "enc_output": rng.standard_normal((m, T_enc, d_model)),
            "params": params, "num_heads": h, "look_ahead_mask": look_ahead, "padding_mask": padding}


# ---------------------------------------------------------------------------------- visible cases

def _visible():
    rng = np.random.default_rng(524)
    r = lambda a: np.round(a, 2)                                   # noqa: E731
    rr = lambda tree: {k: rr(v) if isinstance(v, dict) else r(v) for k, v in tree.items()}   # noqa: E731
    v = {}
    # attention: m = 2, T_q = 2, T_k = 4, d_k = 3, d_v = 2
    q, kk, vv = r(rng.standard_normal((2, 2, 3))), r(rng.standard_normal((2, 4, 3))), r(rng.standard_normal((2, 4, 2)))
    mask = _padding_mask(np.array([[5, 8, 3, 0], [7, 4, 0, 0]]))
    v["sdpa"] = [{"q": q, "k": kk, "v": vv, "mask": mask}, {"q": q, "k": kk, "v": vv, "mask": None}]
    out, A = _attention(q, kk, vv, mask == 0)
    v["sdpa_back"] = [{"d_output": r(rng.standard_normal(out.shape)), "cache": (q, kk, vv, A)}]
    # multi-head attention: m = 2, T_q = 3, T_k = 4, d_model = 4, h = 2, d_k = 3, d_v = 3
    p = rr(_mha_params(rng, 4, 2, 3, 3))
    x_q, x_kv = r(rng.standard_normal((2, 3, 4))), r(rng.standard_normal((2, 4, 4)))
    v["mha"] = [{"x_q": x_q, "x_kv": x_kv, "params": p, "num_heads": 2,
                 "mask": _padding_mask(np.array([[6, 2, 9, 0], [3, 3, 3, 3]]))}]
    # layer norm
    v["ln"] = [{"x": r(rng.standard_normal((2, 3, 4)) * np.array([[[0.5]], [[2.0]]])),
                "gamma": np.array([1.0, 0.5, 2.0, -1.0]), "beta": np.array([0.0, 0.1, -0.2, 0.3])}]
    # encoder layer: m = 2, T = 3, d_model = 4, h = 2, d_k = d_v = 3, d_ff = 6
    enc = rr({"mha": _mha_params(rng, 4, 2, 3, 3), "ln1": _ln_params(rng, 4), "ffn": _ffn_params(rng, 4, 6),
              "ln2": _ln_params(rng, 4)})
    v["enc"] = [{"x": r(rng.standard_normal((2, 3, 4))), "params": enc, "num_heads": 2,
                 "mask": _padding_mask(np.array([[4, 7, 0], [9, 5, 3]]))}]
    # decoder layer: m = 2, T_dec = 3, T_enc = 4, d_model = 4, h = 2, d_k = d_v = 3, d_ff = 5
    dec = rr({"self_mha": _mha_params(rng, 4, 2, 3, 3), "ln1": _ln_params(rng, 4),
              "cross_mha": _mha_params(rng, 4, 2, 3, 3), "ln2": _ln_params(rng, 4),
              "ffn": _ffn_params(rng, 4, 5), "ln3": _ln_params(rng, 4)})
    v["dec"] = [{"x": r(rng.standard_normal((2, 3, 4))), "enc_output": r(rng.standard_normal((2, 4, 4))),
                 "params": dec, "num_heads": 2, "look_ahead_mask": np.tril(np.ones((3, 3))),
                 "padding_mask": _padding_mask(np.array([[6, 2, 9, 0], [3, 3, 3, 3]]))}]
    return v


_V = _visible()

TESTS = [
    Test("positional_encoding", points=1,
         visible=[{"positions": 4, "d_model": 6}, {"positions": 3, "d_model": 5}],
         hidden=_hidden_positional_encoding, n_hidden=3),
    Test("create_padding_mask", points=1,
         visible=[{"seq": np.array([[3, 7, 0, 0, 0], [5, 9, 2, 8, 0]])},
                  {"seq": np.array([[0, 0, 4, 6], [6, 0, 2, 9], [1, 2, 3, 4]])}],
         hidden=_hidden_create_padding_mask, n_hidden=4),
    Test("create_look_ahead_mask", points=1, visible=[{"size": 3}, {"size": 5}],
         hidden=_hidden_create_look_ahead_mask, n_hidden=3),
    Test("scaled_dot_product_attention", points=2, visible=_V["sdpa"],
         hidden=_hidden_scaled_dot_product_attention, n_hidden=4),
    Test("scaled_dot_product_attention_backward", points=2, visible=_V["sdpa_back"],
         hidden=_hidden_scaled_dot_product_attention_backward, n_hidden=4,
         score=_gradient_score(("dq", "dk", "dv"), _fd_attention_backward)),
    Test("multi_head_attention", points=2, visible=_V["mha"], hidden=_hidden_multi_head_attention, n_hidden=4),
    Test("layer_norm", points=1, visible=_V["ln"], hidden=_hidden_layer_norm, n_hidden=4),
    Test("encoder_layer", points=2, visible=_V["enc"], hidden=_hidden_encoder_layer, n_hidden=4),
    Test("decoder_layer", points=2, visible=_V["dec"], hidden=_hidden_decoder_layer, n_hidden=3),
]
