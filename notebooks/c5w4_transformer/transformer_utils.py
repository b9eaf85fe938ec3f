"""A tiny encoder-decoder Transformer in plain NumPy, forward AND backward, for the c5w4 assignment.

Layout (this module and the c5w4_transformer notebook; it departs from the course's (n_x, m, T)):
    a batch of sequences is (m, T, d_model): batch, time, features. Tokens are ROWS, so every
    learned projection multiplies from the right, y = x @ W + b, with W of shape (n_in, n_out) and b
    of shape (n_out,), exactly as the formulas of the Transformer paper are written (Q = X W^Q).
    Integer token sequences are (m, T). Attention scores are (m, h, T_q, T_k).
Why: attention multiplies whole sequences with each other (Q K^T is T_q x T_k); with time and
features as the last two axes, NumPy's batched `@` does it for every example and every head at once.

Masks use 1 = may attend (keep), 0 = hidden; they are applied to the scores BEFORE the softmax as
scores + (1 - mask) * NEG_INF (NEG_INF = -1e9), so a hidden key gets a weight of exactly 0.

Every block is a functional pair, as elsewhere in the course:
    *_forward(...) -> (out, cache)     *_backward(dout, cache) -> gradients (same keys as the params)
linear, layer_norm, attention (scaled dot product), mha (multi-head attention), ffn, encoder_layer,
decoder_layer. `Transformer` stacks them (embedding + positional encoding, N encoder layers, N decoder
layers, output projection) and has `named_params()`, so `framework.Adam(model)` trains it.
`reversal_data` makes the toy task (reverse a string of digits). Dropout is left out (tiny model).
The notebook checks every backward here against centred finite differences (float64).
"""
import numpy as np

NEG_INF = -1e9
PAD, START, END = 0, 1, 2            # special tokens; the digit d is the token d + 3
N_SPECIAL = 3
VOCAB = N_SPECIAL + 10


# ----------------------------------------------------------------------------------------------
# Small pieces
# ----------------------------------------------------------------------------------------------


def softmax(z, axis=-1):
    """Softmax along `axis` (the keys' axis by default), stable for large scores."""
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def padding_mask(seq):
    """seq (m, T) ints -> (m, 1, T) float mask, 1 where the token is not PAD (0)."""
    return (np.asarray(seq) != PAD).astype(np.float64)[:, None, :]


def look_ahead_mask(size):
    """(size, size) float mask, 1 on and below the diagonal: query t may see keys 0..t."""
    return np.tril(np.ones((size, size)))


def linear_forward(x, W, b):
    """x (..., n_in) @ W (n_in, n_out) + b (n_out,) -> (..., n_out); cache (x, W)."""
    out = x.reshape(-1, W.shape[0]) @ W + b          # one 2-D product for all positions (faster than batched)
    return out.reshape(x.shape[:-1] + (W.shape[1],)), (x, W)


def linear_backward(dout, cache):
    """dout (..., n_out) -> dx (..., n_in), dW (n_in, n_out), db (n_out,) (summed over all leading axes)."""
    x, W = cache
    n_in, n_out = W.shape
    d2 = dout.reshape(-1, n_out)
    dx = (d2 @ W.T).reshape(x.shape)
    return dx, x.reshape(-1, n_in).T @ d2, d2.sum(axis=0)


def layer_norm_forward(x, gamma, beta, eps=1e-5):
    """Normalise each position's feature vector: x (..., d); gamma, beta (d,).

    out = gamma * (x - mean) / sqrt(var + eps) + beta, mean and (biased) var over the LAST axis.
    Returns (out (..., d), cache (x_hat, gamma, std)).
    """
    mu = x.mean(axis=-1, keepdims=True)
    std = np.sqrt(x.var(axis=-1, keepdims=True) + eps)
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x_hat, gamma, std)


def layer_norm_backward(dout, cache):
    """dout (..., d) -> dx (..., d), dgamma (d,), dbeta (d,).

    dx = gamma / std * (dy - mean(dy) - x_hat * mean(dy * x_hat)) with dy = dout, means over the last axis.
    """
    x_hat, gamma, std = cache
    d = x_hat.shape[-1]
    dgamma = (dout * x_hat).reshape(-1, d).sum(axis=0)
    dbeta = dout.reshape(-1, d).sum(axis=0)
    g = dout * gamma
    dx = (g - g.mean(axis=-1, keepdims=True) - x_hat * (g * x_hat).mean(axis=-1, keepdims=True)) / std
    return dx, dgamma, dbeta


# ----------------------------------------------------------------------------------------------
# Attention
# ----------------------------------------------------------------------------------------------


def attention_forward(q, k, v, mask=None):
    """Scaled dot-product attention, softmax over the keys.

    q (..., T_q, d_k), k (..., T_k, d_k), v (..., T_k, d_v); mask broadcastable to (..., T_q, T_k),
    1 = keep, or None. Returns (out (..., T_q, d_v), weights (..., T_q, T_k), cache (q, k, v, weights)).
    """
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores + (1.0 - mask) * NEG_INF
    weights = softmax(scores, axis=-1)
    return weights @ v, weights, (q, k, v, weights)


def attention_backward(dout, cache):
    """Gradients of attention_forward: dout (..., T_q, d_v) -> dq, dk, dv (shapes of q, k, v).

    Through the softmax of each row: dS = A * (dA - sum_j(dA * A)); masked keys have A = 0, so dS = 0.
    """
    q, k, v, A = cache
    dv = np.swapaxes(A, -1, -2) @ dout
    dA = dout @ np.swapaxes(v, -1, -2)
    dS = A * (dA - np.sum(dA * A, axis=-1, keepdims=True)) / np.sqrt(q.shape[-1])
    return dS @ k, np.swapaxes(dS, -1, -2) @ q, dv


def _split_heads(x, h):
    """(m, T, h * d) -> (m, h, T, d)."""
    m, T, hd = x.shape
    return x.reshape(m, T, h, hd // h).transpose(0, 2, 1, 3)


def _merge_heads(x):
    """(m, h, T, d) -> (m, T, h * d)."""
    m, h, T, d = x.shape
    return x.transpose(0, 2, 1, 3).reshape(m, T, h * d)


def mha_forward(x_q, x_kv, p, num_heads, mask=None):
    """Multi-head attention. x_q (m, T_q, d_model) asks, x_kv (m, T_k, d_model) answers.

    p: "Wq", "Wk" (d_model, h*d_k), "Wv" (d_model, h*d_v), "Wo" (h*d_v, d_model), biases "bq", "bk" (h*d_k,),
    "bv" (h*d_v,), "bo" (d_model,). mask broadcastable to (m, T_q, T_k) (a head axis is inserted), or None.
    Returns (out (m, T_q, d_model), weights (m, h, T_q, T_k), cache).
    """
    Q, cq = linear_forward(x_q, p["Wq"], p["bq"])
    K, ck = linear_forward(x_kv, p["Wk"], p["bk"])
    V, cv = linear_forward(x_kv, p["Wv"], p["bv"])
    heads_mask = None if mask is None else np.expand_dims(mask, -3)
    o, weights, ca = attention_forward(_split_heads(Q, num_heads), _split_heads(K, num_heads),
                                       _split_heads(V, num_heads), heads_mask)
    out, co = linear_forward(_merge_heads(o), p["Wo"], p["bo"])
    return out, weights, (cq, ck, cv, ca, co, num_heads)


def mha_backward(dout, cache):
    """dout (m, T_q, d_model) -> (dx_q, dx_kv, grads). For self-attention (x_q is x_kv) the caller adds
    dx_q + dx_kv; this function never assumes it."""
    cq, ck, cv, ca, co, h = cache
    g = {}
    do, g["Wo"], g["bo"] = linear_backward(dout, co)
    dq, dk, dv = attention_backward(_split_heads(do, h), ca)
    dx_q, g["Wq"], g["bq"] = linear_backward(_merge_heads(dq), cq)
    dx_k, g["Wk"], g["bk"] = linear_backward(_merge_heads(dk), ck)
    dx_v, g["Wv"], g["bv"] = linear_backward(_merge_heads(dv), cv)
    return dx_q, dx_k + dx_v, g


def ffn_forward(x, p):
    """Position-wise feed-forward: relu(x W1 + b1) W2 + b2. x (m, T, d_model) -> (m, T, d_model);
    W1 (d_model, d_ff), b1 (d_ff,), W2 (d_ff, d_model), b2 (d_model,). Returns (out, cache)."""
    z, c1 = linear_forward(x, p["W1"], p["b1"])
    a = np.maximum(z, 0)
    out, c2 = linear_forward(a, p["W2"], p["b2"])
    return out, (c1, z, c2)


def ffn_backward(dout, cache):
    """dout (m, T, d_model) -> (dx (m, T, d_model), grads {"W1", "b1", "W2", "b2"})."""
    c1, z, c2 = cache
    g = {}
    da, g["W2"], g["b2"] = linear_backward(dout, c2)
    dx, g["W1"], g["b1"] = linear_backward(da * (z > 0), c1)
    return dx, g


def _ln(x, p):
    return layer_norm_forward(x, p["gamma"], p["beta"])


def _ln_back(d, c):
    dx, dg, db = layer_norm_backward(d, c)
    return dx, {"gamma": dg, "beta": db}


# ----------------------------------------------------------------------------------------------
# Layers (post-layer-norm, as in the original paper: out = LayerNorm(x + Sublayer(x)))
# ----------------------------------------------------------------------------------------------


def encoder_layer_forward(x, p, num_heads, mask=None):
    """x (m, T, d) -> (out (m, T, d), self-attention weights (m, h, T, T), cache).

    p: {"mha": mha params, "ln1": {"gamma", "beta"}, "ffn": {"W1", "b1", "W2", "b2"}, "ln2": {...}}.
    h1 = LN1(x + MHA(x, x, mask)); out = LN2(h1 + FFN(h1)).
    """
    a, w, c_mha = mha_forward(x, x, p["mha"], num_heads, mask)
    h1, c_ln1 = _ln(x + a, p["ln1"])
    f, c_ffn = ffn_forward(h1, p["ffn"])
    out, c_ln2 = _ln(h1 + f, p["ln2"])
    return out, w, (c_mha, c_ln1, c_ffn, c_ln2)


def encoder_layer_backward(dout, cache):
    """dout (m, T, d) -> (dx (m, T, d), grads with the keys of p)."""
    c_mha, c_ln1, c_ffn, c_ln2 = cache
    g = {}
    d, g["ln2"] = _ln_back(dout, c_ln2)
    dh1, g["ffn"] = ffn_backward(d, c_ffn)
    dh1 = dh1 + d
    d, g["ln1"] = _ln_back(dh1, c_ln1)
    dxq, dxkv, g["mha"] = mha_backward(d, c_mha)
    return d + dxq + dxkv, g


def decoder_layer_forward(x, enc_out, p, num_heads, self_mask=None, cross_mask=None):
    """x (m, T_dec, d), enc_out (m, T_enc, d) -> (out (m, T_dec, d), self weights (m, h, T_dec, T_dec),
    cross weights (m, h, T_dec, T_enc), cache).

    p: {"self_mha", "ln1", "cross_mha", "ln2", "ffn", "ln3"}.
    h1 = LN1(x + MHA(x, x, self_mask)); h2 = LN2(h1 + MHA(h1, enc_out, cross_mask)); out = LN3(h2 + FFN(h2)).
    """
    a1, w1, c_self = mha_forward(x, x, p["self_mha"], num_heads, self_mask)
    h1, c_ln1 = _ln(x + a1, p["ln1"])
    a2, w2, c_cross = mha_forward(h1, enc_out, p["cross_mha"], num_heads, cross_mask)
    h2, c_ln2 = _ln(h1 + a2, p["ln2"])
    f, c_ffn = ffn_forward(h2, p["ffn"])
    out, c_ln3 = _ln(h2 + f, p["ln3"])
    return out, w1, w2, (c_self, c_ln1, c_cross, c_ln2, c_ffn, c_ln3)


def decoder_layer_backward(dout, cache):
    """dout (m, T_dec, d) -> (dx (m, T_dec, d), denc_out (m, T_enc, d), grads with the keys of p)."""
    c_self, c_ln1, c_cross, c_ln2, c_ffn, c_ln3 = cache
    g = {}
    d, g["ln3"] = _ln_back(dout, c_ln3)
    dh2, g["ffn"] = ffn_backward(d, c_ffn)
    d, g["ln2"] = _ln_back(dh2 + d, c_ln2)
    dh1, denc, g["cross_mha"] = mha_backward(d, c_cross)
    d, g["ln1"] = _ln_back(dh1 + d, c_ln1)
    dxq, dxkv, g["self_mha"] = mha_backward(d, c_self)
    return d + dxq + dxkv, denc, g


# ----------------------------------------------------------------------------------------------
# Parameters
# ----------------------------------------------------------------------------------------------


def _dense(rng, n_in, n_out, dtype):
    """Glorot-uniform weight (n_in, n_out) and a zero bias (n_out,)."""
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, (n_in, n_out)).astype(dtype), np.zeros(n_out, dtype)


def init_mha(rng, d_model, num_heads, d_k, d_v=None, dtype=np.float64):
    """Parameters of mha_forward (keys as documented there): Glorot-uniform weights, zero biases."""
    d_v = d_k if d_v is None else d_v
    p = {}
    for name, n_in, n_out in (("q", d_model, num_heads * d_k), ("k", d_model, num_heads * d_k),
                              ("v", d_model, num_heads * d_v), ("o", num_heads * d_v, d_model)):
        p["W" + name], p["b" + name] = _dense(rng, n_in, n_out, dtype)
    return p


def init_ln(d_model, dtype=np.float64):
    """Layer-norm parameters: gamma = 1, beta = 0, each (d_model,)."""
    return {"gamma": np.ones(d_model, dtype), "beta": np.zeros(d_model, dtype)}


def init_ffn(rng, d_model, d_ff, dtype=np.float64):
    """Parameters of ffn_forward: W1 (d_model, d_ff), b1 (d_ff,), W2 (d_ff, d_model), b2 (d_model,)."""
    W1, b1 = _dense(rng, d_model, d_ff, dtype)
    W2, b2 = _dense(rng, d_ff, d_model, dtype)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def init_encoder_layer(rng, d_model, num_heads, d_ff, dtype=np.float64):
    """Parameters of encoder_layer_forward, d_k = d_v = d_model // num_heads."""
    return {"mha": init_mha(rng, d_model, num_heads, d_model // num_heads, dtype=dtype), "ln1": init_ln(d_model, dtype),
            "ffn": init_ffn(rng, d_model, d_ff, dtype), "ln2": init_ln(d_model, dtype)}


def init_decoder_layer(rng, d_model, num_heads, d_ff, dtype=np.float64):
    """Parameters of decoder_layer_forward, d_k = d_v = d_model // num_heads."""
    d_k = d_model // num_heads
    return {"self_mha": init_mha(rng, d_model, num_heads, d_k, dtype=dtype), "ln1": init_ln(d_model, dtype),
            "cross_mha": init_mha(rng, d_model, num_heads, d_k, dtype=dtype), "ln2": init_ln(d_model, dtype),
            "ffn": init_ffn(rng, d_model, d_ff, dtype), "ln3": init_ln(d_model, dtype)}


def _flatten(tree, prefix=""):
    """Yield (dotted name, leaf array) of a nested dict of arrays."""
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield prefix + key, value


# ----------------------------------------------------------------------------------------------
# The model
# ----------------------------------------------------------------------------------------------


class Transformer:
    """Encoder-decoder Transformer on token ids (one vocabulary of `vocab` tokens shared by source and target).

    forward(src (m, S), tgt_in (m, T)) -> logits (m, T, vocab); backward(dlogits) fills self.grads;
    named_params() yields (name, parameter, gradient) for framework.Adam / SGD.
    pos_encoding: a (max_len, d_model) table of positional encodings (the notebook passes yours).
    look_ahead=False builds a decoder WITHOUT the look-ahead mask (to see it cheat).
    After forward, self.attention holds the weights: "enc0" ... (m, h, S, S), "dec0_self" (m, h, T, T),
    "dec0_cross" (m, h, T, S), ...
    """

    def __init__(self, pos_encoding, vocab=VOCAB, d_model=32, num_heads=2, d_ff=64, num_layers=1,
                 look_ahead=True, seed=0, dtype=np.float32):
        rng = np.random.default_rng(seed)
        self.num_heads, self.look_ahead, self.dtype = num_heads, look_ahead, dtype
        self.pe = np.asarray(pos_encoding, dtype=dtype)
        if self.pe.shape[1] != d_model:
            raise ValueError(f"pos_encoding must have shape (max_len, d_model={d_model}), got {self.pe.shape}")
        W_out, b_out = _dense(rng, d_model, vocab, dtype)
        self.params = {"E": (rng.standard_normal((vocab, d_model)) / np.sqrt(d_model)).astype(dtype),
                       "enc": [init_encoder_layer(rng, d_model, num_heads, d_ff, dtype) for _ in range(num_layers)],
                       "dec": [init_decoder_layer(rng, d_model, num_heads, d_ff, dtype) for _ in range(num_layers)],
                       "W_out": W_out, "b_out": b_out}
        self.params["enc"] = {str(i): p for i, p in enumerate(self.params["enc"])}
        self.params["dec"] = {str(i): p for i, p in enumerate(self.params["dec"])}
        self.grads, self.attention = {}, {}

    def _embed(self, tokens):
        d = self.pe.shape[1]
        return self.params["E"][tokens] * np.sqrt(d).astype(self.dtype) + self.pe[:tokens.shape[1]]

    def encode(self, src):
        """src (m, S) -> encoder output (m, S, d_model)."""
        x, mask, caches = self._embed(src), padding_mask(src).astype(self.dtype), []
        for i, p in self.params["enc"].items():
            x, self.attention[f"enc{i}"], c = encoder_layer_forward(x, p, self.num_heads, mask)
            caches.append(c)
        return x, caches

    def decode(self, tgt_in, enc_out, src):
        """tgt_in (m, T), enc_out (m, S, d_model) -> logits (m, T, vocab)."""
        self_mask = padding_mask(tgt_in)
        if self.look_ahead:
            self_mask = self_mask * look_ahead_mask(tgt_in.shape[1])
        self_mask, cross_mask = self_mask.astype(self.dtype), padding_mask(src).astype(self.dtype)
        y, caches = self._embed(tgt_in), []
        for i, p in self.params["dec"].items():
            y, self.attention[f"dec{i}_self"], self.attention[f"dec{i}_cross"], c = decoder_layer_forward(
                y, enc_out, p, self.num_heads, self_mask, cross_mask)
            caches.append(c)
        logits, c_out = linear_forward(y, self.params["W_out"], self.params["b_out"])
        return logits, caches, c_out

    def forward(self, src, tgt_in):
        enc_out, enc_caches = self.encode(src)
        logits, dec_caches, c_out = self.decode(tgt_in, enc_out, src)
        self.cache = (src, tgt_in, enc_caches, dec_caches, c_out)
        return logits

    def backward(self, dlogits):
        src, tgt_in, enc_caches, dec_caches, c_out = self.cache
        g = {"enc": {}, "dec": {}}
        dy, g["W_out"], g["b_out"] = linear_backward(dlogits, c_out)
        denc = 0.0
        for i, c in reversed(list(zip(self.params["dec"], dec_caches))):
            dy, de, g["dec"][i] = decoder_layer_backward(dy, c)
            denc = denc + de
        dx = denc
        for i, c in reversed(list(zip(self.params["enc"], enc_caches))):
            dx, g["enc"][i] = encoder_layer_backward(dx, c)
        scale = np.sqrt(self.pe.shape[1])
        V, d = self.params["E"].shape
        tokens = np.concatenate([src.ravel(), tgt_in.ravel()])
        rows = np.concatenate([dx.reshape(-1, d), dy.reshape(-1, d)]) * scale
        one_hot = (tokens[:, None] == np.arange(V)[None, :]).astype(self.dtype)   # (N, V): sums repeated tokens
        g["E"] = (one_hot.T @ rows).astype(self.dtype)
        self.grads = g
        return None

    def named_params(self):
        grads = dict(_flatten(self.grads))
        for name, p in _flatten(self.params):
            yield name, p, grads.get(name)

    def greedy_decode(self, src, max_len):
        """Generate up to max_len tokens one at a time from START, feeding back the argmax.
        Returns (m, max_len) ints (PAD after END)."""
        m = src.shape[0]
        enc_out, _ = self.encode(src)
        out = np.full((m, max_len + 1), PAD)
        out[:, 0] = START
        done = np.zeros(m, bool)
        for t in range(max_len):
            logits, _, _ = self.decode(out[:, :t + 1], enc_out, src)
            nxt = np.argmax(logits[:, t], axis=-1)
            out[:, t + 1] = np.where(done, PAD, nxt)
            done |= nxt == END
            if done.all():
                break
        return out[:, 1:]


def cross_entropy(logits, targets):
    """Mean cross-entropy over the non-PAD targets. logits (m, T, V), targets (m, T) ints.
    Returns (loss, dlogits (m, T, V))."""
    m, T, V = logits.shape
    keep = targets != PAD
    p = softmax(logits.astype(np.float64), axis=-1)
    n = max(int(keep.sum()), 1)
    picked = p[np.arange(m)[:, None], np.arange(T)[None, :], targets]
    loss = float(-np.sum(np.log(picked + 1e-12) * keep) / n)
    d = p.copy()
    d[np.arange(m)[:, None], np.arange(T)[None, :], targets] -= 1.0
    d *= keep[:, :, None] / n
    return loss, d.astype(logits.dtype)


def clip_global_norm(model, max_norm):
    """Rescale all gradients of model so that their global norm is at most max_norm; returns the norm before."""
    grads = [g for _, _, g in model.named_params() if g is not None]
    norm = float(np.sqrt(sum(np.sum(np.square(g, dtype=np.float64)) for g in grads)))
    if norm > max_norm:
        for g in grads:
            g *= max_norm / norm
    return norm


# ----------------------------------------------------------------------------------------------
# The toy task: reverse a string of digits
# ----------------------------------------------------------------------------------------------


def reversal_data(m, min_len=3, max_len=8, seed=0):
    """m random digit strings of length min_len..max_len and their reversals, as padded token arrays.

    Returns src (m, max_len): digit tokens then PAD; tgt_in (m, max_len + 1): START, reversed digits, PAD;
    tgt_out (m, max_len + 1): reversed digits, END, PAD (tgt_in shifted left by one: teacher forcing).
    """
    rng = np.random.default_rng(seed)
    src = np.full((m, max_len), PAD)
    tgt_in = np.full((m, max_len + 1), PAD)
    tgt_out = np.full((m, max_len + 1), PAD)
    lengths = rng.integers(min_len, max_len + 1, size=m)
    for i, L in enumerate(lengths):
        digits = rng.integers(0, 10, size=L) + N_SPECIAL
        src[i, :L] = digits
        tgt_in[i, 0] = START
        tgt_in[i, 1:L + 1] = digits[::-1]
        tgt_out[i, :L] = digits[::-1]
        tgt_out[i, L] = END
    return src, tgt_in, tgt_out


def to_text(tokens):
    """Token ids (T,) -> the digit string they spell, stopping at END (PAD and START skipped)."""
    chars = []
    for t in np.asarray(tokens).tolist():
        if t == END:
            break
        if t >= N_SPECIAL:
            chars.append(str(t - N_SPECIAL))
    return "".join(chars)


def exact_match(pred, tgt_out):
    """Fraction of rows whose predicted string (up to END) equals the target string."""
    return float(np.mean([to_text(p) == to_text(t) and _ends(p) for p, t in zip(pred, tgt_out)]))


def _ends(pred):
    return END in np.asarray(pred).tolist()
