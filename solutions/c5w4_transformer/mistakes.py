"""Mistake catalogue for c5w4_transformer: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite

# Bodies run in the solution notebook's namespace: np, softmax, NEG_INF, feed_forward and the notebook's
# graded functions are available there.


# --------------------------------------------------------------------------- positional_encoding

@mistake("positional_encoding", "swaps sine and cosine (cosine on the even columns, sine on the odd ones)")
def positional_encoding(positions, d_model):
    pos = np.arange(positions)[:, np.newaxis]
    j = np.arange(d_model)[np.newaxis, :]
    angles = pos / np.power(10000.0, 2 * (j // 2) / d_model)
    return np.where(j % 2 == 0, np.cos(angles), np.sin(angles))


@mistake("positional_encoding", "uses the column index j in the exponent (10000^(j/d)) instead of 2i = 2*(j//2)")
def positional_encoding(positions, d_model):
    pos = np.arange(positions)[:, np.newaxis]
    j = np.arange(d_model)[np.newaxis, :]
    angles = pos / np.power(10000.0, j / d_model)
    return np.where(j % 2 == 0, np.sin(angles), np.cos(angles))


@mistake("positional_encoding", "uses 2j instead of 2i = 2*(j//2) in the exponent (10000^(2j/d))")
def positional_encoding(positions, d_model):
    pos = np.arange(positions)[:, np.newaxis]
    j = np.arange(d_model)[np.newaxis, :]
    angles = pos / np.power(10000.0, 2 * j / d_model)
    return np.where(j % 2 == 0, np.sin(angles), np.cos(angles))


@mistake("positional_encoding", "puts all the sines first and all the cosines after, instead of interleaving them")
def positional_encoding(positions, d_model):
    pos = np.arange(positions)[:, np.newaxis]
    n_sin = (d_model + 1) // 2
    i = np.arange(n_sin)[np.newaxis, :]
    angles = pos / np.power(10000.0, 2 * i / d_model)
    return np.concatenate([np.sin(angles), np.cos(angles)[:, :d_model - n_sin]], axis=1)


@mistake("positional_encoding", "numbers the positions from 1 instead of 0")
def positional_encoding(positions, d_model):
    pos = np.arange(1, positions + 1)[:, np.newaxis]
    j = np.arange(d_model)[np.newaxis, :]
    angles = pos / np.power(10000.0, 2 * (j // 2) / d_model)
    return np.where(j % 2 == 0, np.sin(angles), np.cos(angles))


@rewrite("positional_encoding", "fills the sine and cosine columns with slices, using exp and log for the power")
def positional_encoding(positions, d_model):
    PE = np.zeros((positions, d_model))
    pos = np.arange(positions, dtype=float)[:, None]
    freq = np.exp(-np.log(10000.0) * np.arange(0, d_model, 2) / d_model)       # (ceil(d/2),)
    PE[:, 0::2] = np.sin(pos * freq)
    PE[:, 1::2] = np.cos(pos * freq[:d_model // 2])
    return PE


@rewrite("positional_encoding", "two nested loops")
def positional_encoding(positions, d_model):
    PE = np.empty((positions, d_model))
    for p in range(positions):
        for j in range(d_model):
            angle = p / 10000 ** ((j - j % 2) / d_model)
            PE[p, j] = np.sin(angle) if j % 2 == 0 else np.cos(angle)
    return PE


# --------------------------------------------------------------------------- create_padding_mask

@mistake("create_padding_mask", "swaps 1 and 0: puts 1 at the PAD tokens")
def create_padding_mask(seq):
    return (seq == 0).astype(np.float64)[:, np.newaxis, :]


@mistake("create_padding_mask", "returns shape (m, T), without the middle axis of size 1")
def create_padding_mask(seq):
    return (seq != 0).astype(np.float64)


@mistake("create_padding_mask", "puts the axis of size 1 last: shape (m, T, 1), which masks queries instead of keys")
def create_padding_mask(seq):
    return (seq != 0).astype(np.float64)[:, :, np.newaxis]


@mistake("create_padding_mask",
         "assumes the padding is at the end: keeps the first (number of non-PAD tokens) positions")
def create_padding_mask(seq):
    lengths = np.count_nonzero(seq, axis=1)
    return (np.arange(seq.shape[1])[None, :] < lengths[:, None]).astype(np.float64)[:, np.newaxis, :]


@rewrite("create_padding_mask", "np.where and reshape")
def create_padding_mask(seq):
    m, T = seq.shape
    return np.where(seq == 0, 0.0, 1.0).reshape(m, 1, T)


@rewrite("create_padding_mask", "1 - (seq == 0), with np.expand_dims")
def create_padding_mask(seq):
    return np.expand_dims(1.0 - (seq == 0), axis=1)


# ------------------------------------------------------------------------ create_look_ahead_mask

@mistake("create_look_ahead_mask", "builds the transposed mask (upper triangle): queries see the future, not the past")
def create_look_ahead_mask(size):
    return np.triu(np.ones((size, size)))


@mistake("create_look_ahead_mask", "leaves out the diagonal: a position cannot attend to itself")
def create_look_ahead_mask(size):
    return np.tril(np.ones((size, size)), k=-1)


@mistake("create_look_ahead_mask", "uses 1 = hide: ones strictly above the diagonal")
def create_look_ahead_mask(size):
    return 1.0 - np.tril(np.ones((size, size)))


@rewrite("create_look_ahead_mask", "compares row and column indices")
def create_look_ahead_mask(size):
    i = np.arange(size)
    return (i[:, None] >= i[None, :]).astype(float)


@rewrite("create_look_ahead_mask", "np.tri")
def create_look_ahead_mask(size):
    return np.tri(size, size)


# -------------------------------------------------------------------- scaled_dot_product_attention

@mistake("scaled_dot_product_attention", "does not scale the scores by 1/sqrt(d_k)")
def scaled_dot_product_attention(q, k, v, mask):
    scores = q @ np.swapaxes(k, -1, -2)
    if mask is not None:
        scores = scores + (1.0 - mask) * NEG_INF
    w = softmax(scores, axis=-1)
    return w @ v, w


@mistake("scaled_dot_product_attention", "divides the scores by d_k instead of sqrt(d_k)")
def scaled_dot_product_attention(q, k, v, mask):
    scores = q @ np.swapaxes(k, -1, -2) / q.shape[-1]
    if mask is not None:
        scores = scores + (1.0 - mask) * NEG_INF
    w = softmax(scores, axis=-1)
    return w @ v, w


@mistake("scaled_dot_product_attention", "takes the softmax over the queries (axis -2) instead of the keys (axis -1)")
def scaled_dot_product_attention(q, k, v, mask):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores + (1.0 - mask) * NEG_INF
    w = softmax(scores, axis=-2)
    return w @ v, w


# Adding +1e9 to the hidden keys (a wrong sign) and adding -1e9 to the kept keys (reading the mask as
# 1 = hide) give the same weights (the softmax ignores a shift common to a row), so one entry covers both.
@mistake("scaled_dot_product_attention", "hides the kept keys instead of the masked ones (mask read as 1 = hide, "
                                         "or the large number added with the wrong sign)")
def scaled_dot_product_attention(q, k, v, mask):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores + mask * NEG_INF
    w = softmax(scores, axis=-1)
    return w @ v, w


@mistake("scaled_dot_product_attention", "applies the mask after the softmax (weights * mask: rows no longer sum to 1)")
def scaled_dot_product_attention(q, k, v, mask):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    w = softmax(scores, axis=-1)
    if mask is not None:
        w = w * mask
    return w @ v, w


@mistake("scaled_dot_product_attention", "ignores the mask")
def scaled_dot_product_attention(q, k, v, mask):
    w = softmax(q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1]), axis=-1)
    return w @ v, w


@mistake("scaled_dot_product_attention", "transposes k with k.T, which reverses every axis (the batch too)")
def scaled_dot_product_attention(q, k, v, mask):
    scores = q @ k.T / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores + (1.0 - mask) * NEG_INF
    w = softmax(scores, axis=-1)
    return w @ v, w


@rewrite("scaled_dot_product_attention", "np.einsum, np.where with -inf, and its own softmax")
def scaled_dot_product_attention(q, k, v, mask):
    scores = np.einsum("...id,...jd->...ij", q, k) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask == 1, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    w = e / e.sum(axis=-1, keepdims=True)
    return np.einsum("...ij,...jd->...id", w, v), w


@rewrite("scaled_dot_product_attention",
         "scales the queries before the product, and np.matmul with transpose of the last axes")
def scaled_dot_product_attention(q, k, v, mask):
    axes = list(range(k.ndim))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    scores = np.matmul(q / np.sqrt(q.shape[-1]), np.transpose(k, axes))
    if mask is not None:
        scores += NEG_INF * (1 - mask)
    w = softmax(scores)
    return np.matmul(w, v), w


# ----------------------------------------------------------- scaled_dot_product_attention_backward

@mistake("scaled_dot_product_attention_backward", "leaves out the softmax Jacobian (dscores = dA)")
def scaled_dot_product_attention_backward(d_output, cache):
    q, k, v, A = cache
    dv = np.swapaxes(A, -1, -2) @ d_output
    dS = d_output @ np.swapaxes(v, -1, -2) / np.sqrt(q.shape[-1])
    return dS @ k, np.swapaxes(dS, -1, -2) @ q, dv


@mistake("scaled_dot_product_attention_backward", "uses only the diagonal of the softmax Jacobian (dscores = A * dA)")
def scaled_dot_product_attention_backward(d_output, cache):
    q, k, v, A = cache
    dv = np.swapaxes(A, -1, -2) @ d_output
    dA = d_output @ np.swapaxes(v, -1, -2)
    dS = A * dA / np.sqrt(q.shape[-1])
    return dS @ k, np.swapaxes(dS, -1, -2) @ q, dv


@mistake("scaled_dot_product_attention_backward",
         "subtracts the plain row sum of dA instead of the weighted sum(dA * A)")
def scaled_dot_product_attention_backward(d_output, cache):
    q, k, v, A = cache
    dv = np.swapaxes(A, -1, -2) @ d_output
    dA = d_output @ np.swapaxes(v, -1, -2)
    dS = A * (dA - np.sum(dA, axis=-1, keepdims=True)) / np.sqrt(q.shape[-1])
    return dS @ k, np.swapaxes(dS, -1, -2) @ q, dv


@mistake("scaled_dot_product_attention_backward",
         "sums the softmax term over the queries (axis -2) instead of the keys")
def scaled_dot_product_attention_backward(d_output, cache):
    q, k, v, A = cache
    dv = np.swapaxes(A, -1, -2) @ d_output
    dA = d_output @ np.swapaxes(v, -1, -2)
    dS = A * (dA - np.sum(dA * A, axis=-2, keepdims=True)) / np.sqrt(q.shape[-1])
    return dS @ k, np.swapaxes(dS, -1, -2) @ q, dv


@mistake("scaled_dot_product_attention_backward", "forgets the 1/sqrt(d_k) of the scores in dq and dk")
def scaled_dot_product_attention_backward(d_output, cache):
    q, k, v, A = cache
    dv = np.swapaxes(A, -1, -2) @ d_output
    dA = d_output @ np.swapaxes(v, -1, -2)
    dS = A * (dA - np.sum(dA * A, axis=-1, keepdims=True))
    return dS @ k, np.swapaxes(dS, -1, -2) @ q, dv


@mistake("scaled_dot_product_attention_backward", "computes dk as dscores @ q, without transposing dscores")
def scaled_dot_product_attention_backward(d_output, cache):
    q, k, v, A = cache
    dv = np.swapaxes(A, -1, -2) @ d_output
    dA = d_output @ np.swapaxes(v, -1, -2)
    dS = A * (dA - np.sum(dA * A, axis=-1, keepdims=True)) / np.sqrt(q.shape[-1])
    return dS @ k, dS @ q, dv


@rewrite("scaled_dot_product_attention_backward",
         "np.einsum, with the full softmax Jacobian diag(a) - a a^T of every row")
def scaled_dot_product_attention_backward(d_output, cache):
    q, k, v, A = cache
    dv = np.einsum("...ij,...id->...jd", A, d_output)
    dA = np.einsum("...id,...jd->...ij", d_output, v)
    n = A.shape[-1]
    jac = A[..., :, None] * np.eye(n) - A[..., :, None] * A[..., None, :]     # (..., T_q, T_k, T_k)
    dS = np.einsum("...ij,...ijl->...il", dA, jac) / np.sqrt(q.shape[-1])
    return np.einsum("...ij,...jd->...id", dS, k), np.einsum("...ij,...id->...jd", dS, q), dv


# --------------------------------------------------------------------------- multi_head_attention

@mistake("multi_head_attention", "splits the heads by reshaping straight to (m, h, T, d), without the transpose")
def multi_head_attention(x_q, x_kv, params, num_heads, mask):
    m, T_q, _ = x_q.shape
    T_k = x_kv.shape[1]
    Q = (x_q @ params["Wq"] + params["bq"]).reshape(m, num_heads, T_q, -1)
    K = (x_kv @ params["Wk"] + params["bk"]).reshape(m, num_heads, T_k, -1)
    V = (x_kv @ params["Wv"] + params["bv"]).reshape(m, num_heads, T_k, -1)
    if mask is not None:
        mask = np.expand_dims(mask, -3)
    heads, w = scaled_dot_product_attention(Q, K, V, mask)
    return heads.transpose(0, 2, 1, 3).reshape(m, T_q, -1) @ params["Wo"] + params["bo"], w


@mistake("multi_head_attention",
         "concatenates the heads by reshaping (m, h, T, d) straight to (m, T, h*d), without the transpose")
def multi_head_attention(x_q, x_kv, params, num_heads, mask):
    m, T_q, _ = x_q.shape
    T_k = x_kv.shape[1]
    Q = (x_q @ params["Wq"] + params["bq"]).reshape(m, T_q, num_heads, -1).transpose(0, 2, 1, 3)
    K = (x_kv @ params["Wk"] + params["bk"]).reshape(m, T_k, num_heads, -1).transpose(0, 2, 1, 3)
    V = (x_kv @ params["Wv"] + params["bv"]).reshape(m, T_k, num_heads, -1).transpose(0, 2, 1, 3)
    if mask is not None:
        mask = np.expand_dims(mask, -3)
    heads, w = scaled_dot_product_attention(Q, K, V, mask)
    return heads.reshape(m, T_q, -1) @ params["Wo"] + params["bo"], w


@mistake("multi_head_attention", "leaves out the output projection Wo, bo")
def multi_head_attention(x_q, x_kv, params, num_heads, mask):
    m, T_q, _ = x_q.shape
    T_k = x_kv.shape[1]
    Q = (x_q @ params["Wq"] + params["bq"]).reshape(m, T_q, num_heads, -1).transpose(0, 2, 1, 3)
    K = (x_kv @ params["Wk"] + params["bk"]).reshape(m, T_k, num_heads, -1).transpose(0, 2, 1, 3)
    V = (x_kv @ params["Wv"] + params["bv"]).reshape(m, T_k, num_heads, -1).transpose(0, 2, 1, 3)
    if mask is not None:
        mask = np.expand_dims(mask, -3)
    heads, w = scaled_dot_product_attention(Q, K, V, mask)
    return heads.transpose(0, 2, 1, 3).reshape(m, T_q, -1), w


@mistake("multi_head_attention", "scales the scores by sqrt(d_model) instead of sqrt(d_k)")
def multi_head_attention(x_q, x_kv, params, num_heads, mask):
    m, T_q, d_model = x_q.shape
    T_k = x_kv.shape[1]
    Q = (x_q @ params["Wq"] + params["bq"]).reshape(m, T_q, num_heads, -1).transpose(0, 2, 1, 3)
    K = (x_kv @ params["Wk"] + params["bk"]).reshape(m, T_k, num_heads, -1).transpose(0, 2, 1, 3)
    V = (x_kv @ params["Wv"] + params["bv"]).reshape(m, T_k, num_heads, -1).transpose(0, 2, 1, 3)
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_model)
    if mask is not None:
        scores = scores + (1.0 - np.expand_dims(mask, -3)) * NEG_INF
    w = softmax(scores, axis=-1)
    return (w @ V).transpose(0, 2, 1, 3).reshape(m, T_q, -1) @ params["Wo"] + params["bo"], w


@mistake("multi_head_attention", "takes the keys and values from x_q instead of x_kv")
def multi_head_attention(x_q, x_kv, params, num_heads, mask):
    m, T_q, _ = x_q.shape
    Q = (x_q @ params["Wq"] + params["bq"]).reshape(m, T_q, num_heads, -1).transpose(0, 2, 1, 3)
    K = (x_q @ params["Wk"] + params["bk"]).reshape(m, T_q, num_heads, -1).transpose(0, 2, 1, 3)
    V = (x_q @ params["Wv"] + params["bv"]).reshape(m, T_q, num_heads, -1).transpose(0, 2, 1, 3)
    heads, w = scaled_dot_product_attention(Q, K, V, None)
    return heads.transpose(0, 2, 1, 3).reshape(m, T_q, -1) @ params["Wo"] + params["bo"], w


@mistake("multi_head_attention", "forgets the biases of the projections")
def multi_head_attention(x_q, x_kv, params, num_heads, mask):
    m, T_q, _ = x_q.shape
    T_k = x_kv.shape[1]
    Q = (x_q @ params["Wq"]).reshape(m, T_q, num_heads, -1).transpose(0, 2, 1, 3)
    K = (x_kv @ params["Wk"]).reshape(m, T_k, num_heads, -1).transpose(0, 2, 1, 3)
    V = (x_kv @ params["Wv"]).reshape(m, T_k, num_heads, -1).transpose(0, 2, 1, 3)
    if mask is not None:
        mask = np.expand_dims(mask, -3)
    heads, w = scaled_dot_product_attention(Q, K, V, mask)
    return heads.transpose(0, 2, 1, 3).reshape(m, T_q, -1) @ params["Wo"], w


@rewrite("multi_head_attention", "a loop over the heads, attending on column slices and concatenating")
def multi_head_attention(x_q, x_kv, params, num_heads, mask):
    Q = x_q @ params["Wq"] + params["bq"]
    K = x_kv @ params["Wk"] + params["bk"]
    V = x_kv @ params["Wv"] + params["bv"]
    d_k, d_v = Q.shape[-1] // num_heads, V.shape[-1] // num_heads
    outs, weights = [], []
    for i in range(num_heads):
        o, w = scaled_dot_product_attention(Q[..., i * d_k:(i + 1) * d_k], K[..., i * d_k:(i + 1) * d_k],
                                            V[..., i * d_v:(i + 1) * d_v], mask)
        outs.append(o)
        weights.append(w)
    return np.concatenate(outs, axis=-1) @ params["Wo"] + params["bo"], np.stack(weights, axis=1)


@rewrite("multi_head_attention", "np.einsum on (m, T, h, d) arrays, without transposes")
def multi_head_attention(x_q, x_kv, params, num_heads, mask):
    m, T_q, _ = x_q.shape
    T_k = x_kv.shape[1]
    Q = (x_q @ params["Wq"] + params["bq"]).reshape(m, T_q, num_heads, -1)
    K = (x_kv @ params["Wk"] + params["bk"]).reshape(m, T_k, num_heads, -1)
    V = (x_kv @ params["Wv"] + params["bv"]).reshape(m, T_k, num_heads, -1)
    scores = np.einsum("mqhd,mkhd->mhqk", Q, K) / np.sqrt(Q.shape[-1])
    if mask is not None:
        scores = np.where(np.expand_dims(mask, -3) == 0, NEG_INF, scores)
    w = softmax(scores, axis=-1)
    concat = np.einsum("mhqk,mkhd->mqhd", w, V).reshape(m, T_q, -1)
    return concat @ params["Wo"] + params["bo"], w


# ---------------------------------------------------------------------------------- layer_norm

@mistake("layer_norm", "normalises over the batch (axis 0) instead of the features (last axis)")
def layer_norm(x, gamma, beta, eps=1e-5):
    mean = np.mean(x, axis=0, keepdims=True)
    var = np.var(x, axis=0, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


@mistake("layer_norm", "adds eps outside the square root (std + eps)")
def layer_norm(x, gamma, beta, eps=1e-5):
    mean = np.mean(x, axis=-1, keepdims=True)
    std = np.std(x, axis=-1, keepdims=True)
    return gamma * (x - mean) / (std + eps) + beta


@mistake("layer_norm", "uses the unbiased variance (divides by d - 1)")
def layer_norm(x, gamma, beta, eps=1e-5):
    mean = np.mean(x, axis=-1, keepdims=True)
    var = np.var(x, axis=-1, keepdims=True, ddof=1)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


@mistake("layer_norm", "forgets eps")
def layer_norm(x, gamma, beta, eps=1e-5):
    mean = np.mean(x, axis=-1, keepdims=True)
    return gamma * (x - mean) / np.std(x, axis=-1, keepdims=True) + beta


@mistake("layer_norm", "swaps gamma and beta")
def layer_norm(x, gamma, beta, eps=1e-5):
    mean = np.mean(x, axis=-1, keepdims=True)
    var = np.var(x, axis=-1, keepdims=True)
    return beta * (x - mean) / np.sqrt(var + eps) + gamma


@mistake("layer_norm", "ignores the eps argument (always uses 1e-5)")
def layer_norm(x, gamma, beta, eps=1e-5):
    mean = np.mean(x, axis=-1, keepdims=True)
    var = np.var(x, axis=-1, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + 1e-5) + beta


@rewrite("layer_norm", "writes the mean and variance as sums, and multiplies by 1/sqrt")
def layer_norm(x, gamma, beta, eps=1e-5):
    d = x.shape[-1]
    centred = x - x.sum(axis=-1, keepdims=True) / d
    var = (centred ** 2).sum(axis=-1, keepdims=True) / d
    return centred * (1.0 / np.sqrt(var + eps)) * gamma + beta


# -------------------------------------------------------------------------------- encoder_layer

@mistake("encoder_layer", "leaves out the residual connection around the self-attention")
def encoder_layer(x, params, num_heads, mask):
    a, w = multi_head_attention(x, x, params["mha"], num_heads, mask)
    h1 = layer_norm(a, params["ln1"]["gamma"], params["ln1"]["beta"])
    return layer_norm(h1 + feed_forward(h1, params["ffn"]), params["ln2"]["gamma"], params["ln2"]["beta"]), w


@mistake("encoder_layer", "leaves out the residual connection around the feed-forward network")
def encoder_layer(x, params, num_heads, mask):
    a, w = multi_head_attention(x, x, params["mha"], num_heads, mask)
    h1 = layer_norm(x + a, params["ln1"]["gamma"], params["ln1"]["beta"])
    return layer_norm(feed_forward(h1, params["ffn"]), params["ln2"]["gamma"], params["ln2"]["beta"]), w


@mistake("encoder_layer", "applies each layer norm before its sublayer (pre-norm) instead of after the residual sum")
def encoder_layer(x, params, num_heads, mask):
    n1 = layer_norm(x, params["ln1"]["gamma"], params["ln1"]["beta"])
    a, w = multi_head_attention(n1, n1, params["mha"], num_heads, mask)
    h1 = x + a
    return h1 + feed_forward(layer_norm(h1, params["ln2"]["gamma"], params["ln2"]["beta"]), params["ffn"]), w


@mistake("encoder_layer", "leaves out the second layer norm")
def encoder_layer(x, params, num_heads, mask):
    a, w = multi_head_attention(x, x, params["mha"], num_heads, mask)
    h1 = layer_norm(x + a, params["ln1"]["gamma"], params["ln1"]["beta"])
    return h1 + feed_forward(h1, params["ffn"]), w


@mistake("encoder_layer", "adds the layer's input x, instead of h1, around the feed-forward network")
def encoder_layer(x, params, num_heads, mask):
    a, w = multi_head_attention(x, x, params["mha"], num_heads, mask)
    h1 = layer_norm(x + a, params["ln1"]["gamma"], params["ln1"]["beta"])
    return layer_norm(x + feed_forward(h1, params["ffn"]), params["ln2"]["gamma"], params["ln2"]["beta"]), w


@mistake("encoder_layer", "ignores the padding mask in the self-attention")
def encoder_layer(x, params, num_heads, mask):
    a, w = multi_head_attention(x, x, params["mha"], num_heads, None)
    h1 = layer_norm(x + a, params["ln1"]["gamma"], params["ln1"]["beta"])
    return layer_norm(h1 + feed_forward(h1, params["ffn"]), params["ln2"]["gamma"], params["ln2"]["beta"]), w


@mistake("encoder_layer", "uses the parameters of ln1 for both layer norms")
def encoder_layer(x, params, num_heads, mask):
    a, w = multi_head_attention(x, x, params["mha"], num_heads, mask)
    h1 = layer_norm(x + a, params["ln1"]["gamma"], params["ln1"]["beta"])
    return layer_norm(h1 + feed_forward(h1, params["ffn"]), params["ln1"]["gamma"], params["ln1"]["beta"]), w


@rewrite("encoder_layer", "layer norms called with ** on the parameter dicts, and an inline feed-forward network")
def encoder_layer(x, params, num_heads, mask):
    attention, weights = multi_head_attention(x, x, params["mha"], num_heads, mask)
    h1 = layer_norm(x + attention, **params["ln1"])
    f = params["ffn"]
    hidden = np.maximum(h1 @ f["W1"] + f["b1"], 0.0)
    return layer_norm(h1 + hidden @ f["W2"] + f["b2"], **params["ln2"]), weights


# -------------------------------------------------------------------------------- decoder_layer

@mistake("decoder_layer", "ignores the look-ahead mask in the self-attention")
def decoder_layer(x, enc_output, params, num_heads, look_ahead_mask, padding_mask):
    a1, w1 = multi_head_attention(x, x, params["self_mha"], num_heads, None)
    h1 = layer_norm(x + a1, params["ln1"]["gamma"], params["ln1"]["beta"])
    a2, w2 = multi_head_attention(h1, enc_output, params["cross_mha"], num_heads, padding_mask)
    h2 = layer_norm(h1 + a2, params["ln2"]["gamma"], params["ln2"]["beta"])
    return layer_norm(h2 + feed_forward(h2, params["ffn"]), params["ln3"]["gamma"], params["ln3"]["beta"]), w1, w2


@mistake("decoder_layer", "takes the cross-attention queries from the input x instead of h1")
def decoder_layer(x, enc_output, params, num_heads, look_ahead_mask, padding_mask):
    a1, w1 = multi_head_attention(x, x, params["self_mha"], num_heads, look_ahead_mask)
    h1 = layer_norm(x + a1, params["ln1"]["gamma"], params["ln1"]["beta"])
    a2, w2 = multi_head_attention(x, enc_output, params["cross_mha"], num_heads, padding_mask)
    h2 = layer_norm(h1 + a2, params["ln2"]["gamma"], params["ln2"]["beta"])
    return layer_norm(h2 + feed_forward(h2, params["ffn"]), params["ln3"]["gamma"], params["ln3"]["beta"]), w1, w2


@mistake("decoder_layer", "swaps the roles in the cross-attention (the encoder output asks, the decoder answers)")
def decoder_layer(x, enc_output, params, num_heads, look_ahead_mask, padding_mask):
    a1, w1 = multi_head_attention(x, x, params["self_mha"], num_heads, look_ahead_mask)
    h1 = layer_norm(x + a1, params["ln1"]["gamma"], params["ln1"]["beta"])
    a2, w2 = multi_head_attention(enc_output, h1, params["cross_mha"], num_heads, None)
    h2 = layer_norm(a2, params["ln2"]["gamma"], params["ln2"]["beta"])
    return layer_norm(h2 + feed_forward(h2, params["ffn"]), params["ln3"]["gamma"], params["ln3"]["beta"]), w1, w2


@mistake("decoder_layer", "ignores the padding mask in the cross-attention")
def decoder_layer(x, enc_output, params, num_heads, look_ahead_mask, padding_mask):
    a1, w1 = multi_head_attention(x, x, params["self_mha"], num_heads, look_ahead_mask)
    h1 = layer_norm(x + a1, params["ln1"]["gamma"], params["ln1"]["beta"])
    a2, w2 = multi_head_attention(h1, enc_output, params["cross_mha"], num_heads, None)
    h2 = layer_norm(h1 + a2, params["ln2"]["gamma"], params["ln2"]["beta"])
    return layer_norm(h2 + feed_forward(h2, params["ffn"]), params["ln3"]["gamma"], params["ln3"]["beta"]), w1, w2


@mistake("decoder_layer", "leaves out the residual connection around the cross-attention")
def decoder_layer(x, enc_output, params, num_heads, look_ahead_mask, padding_mask):
    a1, w1 = multi_head_attention(x, x, params["self_mha"], num_heads, look_ahead_mask)
    h1 = layer_norm(x + a1, params["ln1"]["gamma"], params["ln1"]["beta"])
    a2, w2 = multi_head_attention(h1, enc_output, params["cross_mha"], num_heads, padding_mask)
    h2 = layer_norm(a2, params["ln2"]["gamma"], params["ln2"]["beta"])
    return layer_norm(h2 + feed_forward(h2, params["ffn"]), params["ln3"]["gamma"], params["ln3"]["beta"]), w1, w2


@mistake("decoder_layer", "leaves out the last layer norm")
def decoder_layer(x, enc_output, params, num_heads, look_ahead_mask, padding_mask):
    a1, w1 = multi_head_attention(x, x, params["self_mha"], num_heads, look_ahead_mask)
    h1 = layer_norm(x + a1, params["ln1"]["gamma"], params["ln1"]["beta"])
    a2, w2 = multi_head_attention(h1, enc_output, params["cross_mha"], num_heads, padding_mask)
    h2 = layer_norm(h1 + a2, params["ln2"]["gamma"], params["ln2"]["beta"])
    return h2 + feed_forward(h2, params["ffn"]), w1, w2


@mistake("decoder_layer", "applies each layer norm before its sublayer (pre-norm) instead of after the residual sum")
def decoder_layer(x, enc_output, params, num_heads, look_ahead_mask, padding_mask):
    n1 = layer_norm(x, params["ln1"]["gamma"], params["ln1"]["beta"])
    a1, w1 = multi_head_attention(n1, n1, params["self_mha"], num_heads, look_ahead_mask)
    h1 = x + a1
    a2, w2 = multi_head_attention(layer_norm(h1, params["ln2"]["gamma"], params["ln2"]["beta"]), enc_output,
                                  params["cross_mha"], num_heads, padding_mask)
    h2 = h1 + a2
    return h2 + feed_forward(layer_norm(h2, params["ln3"]["gamma"], params["ln3"]["beta"]), params["ffn"]), w1, w2


@rewrite("decoder_layer", "a loop over the two attention sublayers, layer norms called with **")
def decoder_layer(x, enc_output, params, num_heads, look_ahead_mask, padding_mask):
    h, weights = x, []
    for name, ln, source, mask in (("self_mha", "ln1", None, look_ahead_mask),
                                   ("cross_mha", "ln2", enc_output, padding_mask)):
        kv = h if source is None else source
        a, w = multi_head_attention(h, kv, params[name], num_heads, mask)
        h = layer_norm(h + a, **params[ln])
        weights.append(w)
    return layer_norm(h + feed_forward(h, params["ffn"]), **params["ln3"]), weights[0], weights[1]
