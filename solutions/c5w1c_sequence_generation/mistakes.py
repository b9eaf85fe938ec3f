"""Mistake catalogue for c5w1c_sequence_generation: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite

# ---------------------------------------------------------------------------------- softmax_with_temperature


@mistake("softmax_with_temperature", "multiplies the scores by the temperature instead of dividing")
def softmax_with_temperature(z, temperature):
    s = z * temperature
    e = np.exp(s - np.max(s, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


@mistake("softmax_with_temperature", "applies the temperature after the softmax (p ** (1/T)) without renormalising")
def softmax_with_temperature(z, temperature):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return (e / np.sum(e, axis=0, keepdims=True)) ** (1 / temperature)


@mistake("softmax_with_temperature", "raises the probabilities to the power T without renormalising")
def softmax_with_temperature(z, temperature):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return (e / np.sum(e, axis=0, keepdims=True)) ** temperature


@mistake("softmax_with_temperature", "ignores the temperature")
def softmax_with_temperature(z, temperature):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


@mistake("softmax_with_temperature", "normalises along the rows (axis=1) instead of the columns")
def softmax_with_temperature(z, temperature):
    s = z / temperature
    e = np.exp(s - np.max(s, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


@rewrite("softmax_with_temperature", "renormalises softmax(z) ** (1 / temperature)")
def softmax_with_temperature(z, temperature):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    q = (e / np.sum(e, axis=0, keepdims=True)) ** (1.0 / temperature)
    return q / np.sum(q, axis=0, keepdims=True)


@rewrite("softmax_with_temperature", "uses scipy.special.softmax")
def softmax_with_temperature(z, temperature):
    from scipy.special import softmax
    return softmax(z / temperature, axis=0)


# ---------------------------------------------------------------------------------------------- sample_next


@mistake("sample_next", "takes the argmax instead of sampling")
def sample_next(z, temperature, seed):
    return np.argmax(z, axis=0)


@mistake("sample_next", "ignores the temperature (samples from softmax(z))")
def sample_next(z, temperature, seed):
    rng = np.random.default_rng(seed)
    p = softmax_with_temperature(z, 1.0)
    u = rng.random(z.shape[1])
    return np.minimum(np.sum(np.cumsum(p, axis=0) <= u, axis=0), z.shape[0] - 1)


@mistake("sample_next", "multiplies the scores by the temperature instead of dividing")
def sample_next(z, temperature, seed):
    rng = np.random.default_rng(seed)
    s = z * temperature
    e = np.exp(s - np.max(s, axis=0, keepdims=True))
    p = e / np.sum(e, axis=0, keepdims=True)
    u = rng.random(z.shape[1])
    return np.minimum(np.sum(np.cumsum(p, axis=0) <= u, axis=0), z.shape[0] - 1)


@mistake("sample_next", "applies the temperature after the softmax without renormalising")
def sample_next(z, temperature, seed):
    rng = np.random.default_rng(seed)
    p = softmax_with_temperature(z, 1.0) ** (1 / temperature)
    u = rng.random(z.shape[1])
    return np.minimum(np.sum(np.cumsum(p, axis=0) <= u, axis=0), z.shape[0] - 1)


@mistake("sample_next", "draws one uniform number for all the columns")
def sample_next(z, temperature, seed):
    rng = np.random.default_rng(seed)
    p = softmax_with_temperature(z, temperature)
    u = rng.random()
    return np.minimum(np.sum(np.cumsum(p, axis=0) <= u, axis=0), z.shape[0] - 1)


@rewrite("sample_next", "calls rng.choice(V, p=...) column by column")
def sample_next(z, temperature, seed):
    rng = np.random.default_rng(seed)
    p = softmax_with_temperature(z, temperature)
    return np.array([rng.choice(z.shape[0], p=p[:, i]) for i in range(z.shape[1])])


@rewrite("sample_next", "uses np.searchsorted on each column's cumulative sum")
def sample_next(z, temperature, seed):
    rng = np.random.default_rng(seed)
    cdf = np.cumsum(softmax_with_temperature(z, temperature), axis=0)
    u = rng.random(z.shape[1])
    idx = [np.searchsorted(cdf[:, i], u[i], side="right") for i in range(z.shape[1])]
    return np.minimum(np.array(idx), z.shape[0] - 1)


# -------------------------------------------------------------------------------------------- model_forward


@mistake("model_forward", "forgets the output bias by")
def model_forward(params, X_idx):
    V, n_a = params["Wy"].shape
    m, T_x = X_idx.shape
    x = np.eye(V)[:, X_idx]
    a, lstm_cache = lstm_forward(x, np.zeros((n_a, m)), params)
    return np.einsum("vn,nmt->vmt", params["Wy"], a), (a, lstm_cache)


@mistake("model_forward", "returns probabilities (applies a softmax) instead of scores")
def model_forward(params, X_idx):
    V, n_a = params["Wy"].shape
    m, T_x = X_idx.shape
    x = np.eye(V)[:, X_idx]
    a, lstm_cache = lstm_forward(x, np.zeros((n_a, m)), params)
    Z = np.einsum("vn,nmt->vmt", params["Wy"], a) + params["by"][:, :, None]
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True), (a, lstm_cache)


@mistake("model_forward", "reshapes the (m, T, V) one-hot array to (V, m, T) instead of transposing it")
def model_forward(params, X_idx):
    V, n_a = params["Wy"].shape
    m, T_x = X_idx.shape
    x = np.eye(V)[X_idx].reshape(V, m, T_x)
    a, lstm_cache = lstm_forward(x, np.zeros((n_a, m)), params)
    return np.einsum("vn,nmt->vmt", params["Wy"], a) + params["by"][:, :, None], (a, lstm_cache)


@rewrite("model_forward", "applies the output layer with a loop over time")
def model_forward(params, X_idx):
    V, n_a = params["Wy"].shape
    m, T_x = X_idx.shape
    x = np.zeros((V, m, T_x))
    for t in range(T_x):
        x[X_idx[:, t], np.arange(m), t] = 1.0
    a, lstm_cache = lstm_forward(x, np.zeros((n_a, m)), params)
    Z = np.stack([params["Wy"] @ a[:, :, t] + params["by"] for t in range(T_x)], axis=2)
    return Z, (a, lstm_cache)


@rewrite("model_forward", "one matrix product on a reshaped to (n_a, m * T_x)")
def model_forward(params, X_idx):
    V, n_a = params["Wy"].shape
    m, T_x = X_idx.shape
    x = np.eye(V)[X_idx].transpose(2, 0, 1)
    a, lstm_cache = lstm_forward(x, np.zeros((n_a, m)), params)
    Z = (params["Wy"] @ a.reshape(n_a, m * T_x) + params["by"]).reshape(V, m, T_x)
    return Z, (a, lstm_cache)


# -------------------------------------------------------------------------------------------- sequence_loss


@mistake("sequence_loss", "does not mask the padded positions")
def sequence_loss(Z, Y_idx):
    V, m, T = Z.shape
    s = Z - np.max(Z, axis=0, keepdims=True)
    log_p = s - np.log(np.sum(np.exp(s), axis=0, keepdims=True))
    Y = np.eye(V)[:, Y_idx]
    return float(-np.sum(Y * log_p) / (m * T)), (np.exp(log_p) - Y) / (m * T)


@mistake("sequence_loss", "masks the padding but averages over all m * T_x positions")
def sequence_loss(Z, Y_idx):
    V, m, T = Z.shape
    mask = Y_idx != PAD
    s = Z - np.max(Z, axis=0, keepdims=True)
    log_p = s - np.log(np.sum(np.exp(s), axis=0, keepdims=True))
    Y = np.eye(V)[:, Y_idx]
    return float(-np.sum(Y * log_p * mask) / (m * T)), (np.exp(log_p) - Y) * mask / (m * T)


@mistake("sequence_loss", "averages over the number of sequences m instead of the number of real tokens")
def sequence_loss(Z, Y_idx):
    V, m, T = Z.shape
    mask = Y_idx != PAD
    s = Z - np.max(Z, axis=0, keepdims=True)
    log_p = s - np.log(np.sum(np.exp(s), axis=0, keepdims=True))
    Y = np.eye(V)[:, Y_idx]
    return float(-np.sum(Y * log_p * mask) / m), (np.exp(log_p) - Y) * mask / m


@mistake("sequence_loss", "masks the loss but not the gradient dZ")
def sequence_loss(Z, Y_idx):
    V = Z.shape[0]
    mask = Y_idx != PAD
    n = np.sum(mask)
    s = Z - np.max(Z, axis=0, keepdims=True)
    log_p = s - np.log(np.sum(np.exp(s), axis=0, keepdims=True))
    Y = np.eye(V)[:, Y_idx]
    return float(-np.sum(Y * log_p * mask) / n), (np.exp(log_p) - Y) / n


@mistake("sequence_loss", "leaves the 1/N factor out of the gradient dZ")
def sequence_loss(Z, Y_idx):
    V = Z.shape[0]
    mask = Y_idx != PAD
    s = Z - np.max(Z, axis=0, keepdims=True)
    log_p = s - np.log(np.sum(np.exp(s), axis=0, keepdims=True))
    Y = np.eye(V)[:, Y_idx]
    return float(-np.sum(Y * log_p * mask) / np.sum(mask)), (np.exp(log_p) - Y) * mask


@rewrite("sequence_loss", "uses seq.SequenceSoftmaxCrossEntropy with the mask")
def sequence_loss(Z, Y_idx):
    import seq
    loss_fn = seq.SequenceSoftmaxCrossEntropy()
    loss = loss_fn.forward(Z, Y_idx, mask=(Y_idx != PAD))
    return loss, loss_fn.backward()


@rewrite("sequence_loss", "picks the log-probabilities with np.take_along_axis")
def sequence_loss(Z, Y_idx):
    mask = Y_idx != PAD
    s = Z - Z.max(axis=0)
    log_p = s - np.log(np.exp(s).sum(axis=0))
    picked = np.take_along_axis(log_p, Y_idx[None], axis=0)[0]
    dZ = np.exp(log_p)
    i, t = np.nonzero(np.ones_like(Y_idx))
    dZ[Y_idx[i, t], i, t] -= 1.0
    return float(-np.sum(picked[mask]) / mask.sum()), dZ * mask / mask.sum()


# ----------------------------------------------------------------------------------------------- train_step


@mistake("train_step", "clips each entry to [-max_norm, max_norm] instead of clipping by the global norm")
def train_step(params, adam, X_idx, Y_idx, learning_rate, max_norm, beta1=0.9, beta2=0.999, epsilon=1e-8):
    Z, (a, lstm_cache) = model_forward(params, X_idx)
    loss, dZ = sequence_loss(Z, Y_idx)
    _, _, grads = lstm_backward(np.einsum("vn,vmt->nmt", params["Wy"], dZ), lstm_cache)
    grads = {**grads, "Wy": np.einsum("vmt,nmt->vn", dZ, a), "by": dZ.sum(axis=(1, 2))[:, None]}
    grads = {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}
    t = adam["t"] + 1
    m = {k: beta1 * adam["m"][k] + (1 - beta1) * grads[k] for k in params}
    v = {k: beta2 * adam["v"][k] + (1 - beta2) * grads[k] ** 2 for k in params}
    new = {k: params[k] - learning_rate * m[k] / (1 - beta1 ** t) / (np.sqrt(v[k] / (1 - beta2 ** t)) + epsilon)
           for k in params}
    return loss, grads, new, {"t": t, "m": m, "v": v}


@mistake("train_step", "updates the parameters with the gradients before clipping them")
def train_step(params, adam, X_idx, Y_idx, learning_rate, max_norm, beta1=0.9, beta2=0.999, epsilon=1e-8):
    Z, (a, lstm_cache) = model_forward(params, X_idx)
    loss, dZ = sequence_loss(Z, Y_idx)
    _, _, grads = lstm_backward(np.einsum("vn,vmt->nmt", params["Wy"], dZ), lstm_cache)
    grads = {**grads, "Wy": np.einsum("vmt,nmt->vn", dZ, a), "by": dZ.sum(axis=(1, 2))[:, None]}
    t = adam["t"] + 1
    m = {k: beta1 * adam["m"][k] + (1 - beta1) * grads[k] for k in params}
    v = {k: beta2 * adam["v"][k] + (1 - beta2) * grads[k] ** 2 for k in params}
    new = {k: params[k] - learning_rate * m[k] / (1 - beta1 ** t) / (np.sqrt(v[k] / (1 - beta2 ** t)) + epsilon)
           for k in params}
    clip_gradients(grads, max_norm=max_norm)
    return loss, grads, new, {"t": t, "m": m, "v": v}


@mistake("train_step", "clips every array by its own norm instead of by the global norm")
def train_step(params, adam, X_idx, Y_idx, learning_rate, max_norm, beta1=0.9, beta2=0.999, epsilon=1e-8):
    Z, (a, lstm_cache) = model_forward(params, X_idx)
    loss, dZ = sequence_loss(Z, Y_idx)
    _, _, grads = lstm_backward(np.einsum("vn,vmt->nmt", params["Wy"], dZ), lstm_cache)
    grads = {**grads, "Wy": np.einsum("vmt,nmt->vn", dZ, a), "by": dZ.sum(axis=(1, 2))[:, None]}
    grads = {k: g * min(1.0, max_norm / np.linalg.norm(g)) for k, g in grads.items()}
    t = adam["t"] + 1
    m = {k: beta1 * adam["m"][k] + (1 - beta1) * grads[k] for k in params}
    v = {k: beta2 * adam["v"][k] + (1 - beta2) * grads[k] ** 2 for k in params}
    new = {k: params[k] - learning_rate * m[k] / (1 - beta1 ** t) / (np.sqrt(v[k] / (1 - beta2 ** t)) + epsilon)
           for k in params}
    return loss, grads, new, {"t": t, "m": m, "v": v}


@mistake("train_step", "leaves out Adam's bias correction")
def train_step(params, adam, X_idx, Y_idx, learning_rate, max_norm, beta1=0.9, beta2=0.999, epsilon=1e-8):
    Z, (a, lstm_cache) = model_forward(params, X_idx)
    loss, dZ = sequence_loss(Z, Y_idx)
    _, _, grads = lstm_backward(np.einsum("vn,vmt->nmt", params["Wy"], dZ), lstm_cache)
    grads = {**grads, "Wy": np.einsum("vmt,nmt->vn", dZ, a), "by": dZ.sum(axis=(1, 2))[:, None]}
    clip_gradients(grads, max_norm=max_norm)
    t = adam["t"] + 1
    m = {k: beta1 * adam["m"][k] + (1 - beta1) * grads[k] for k in params}
    v = {k: beta2 * adam["v"][k] + (1 - beta2) * grads[k] ** 2 for k in params}
    new = {k: params[k] - learning_rate * m[k] / (np.sqrt(v[k]) + epsilon) for k in params}
    return loss, grads, new, {"t": t, "m": m, "v": v}


@mistake("train_step", "bias-corrects with the old step count t instead of t + 1")
def train_step(params, adam, X_idx, Y_idx, learning_rate, max_norm, beta1=0.9, beta2=0.999, epsilon=1e-8):
    Z, (a, lstm_cache) = model_forward(params, X_idx)
    loss, dZ = sequence_loss(Z, Y_idx)
    _, _, grads = lstm_backward(np.einsum("vn,vmt->nmt", params["Wy"], dZ), lstm_cache)
    grads = {**grads, "Wy": np.einsum("vmt,nmt->vn", dZ, a), "by": dZ.sum(axis=(1, 2))[:, None]}
    clip_gradients(grads, max_norm=max_norm)
    t = adam["t"] + 1
    m = {k: beta1 * adam["m"][k] + (1 - beta1) * grads[k] for k in params}
    v = {k: beta2 * adam["v"][k] + (1 - beta2) * grads[k] ** 2 for k in params}
    old = max(adam["t"], 1)
    new = {k: params[k] - learning_rate * m[k] / (1 - beta1 ** old) / (np.sqrt(v[k] / (1 - beta2 ** old)) + epsilon)
           for k in params}
    return loss, grads, new, {"t": t, "m": m, "v": v}


@mistake("train_step", "puts epsilon inside the square root")
def train_step(params, adam, X_idx, Y_idx, learning_rate, max_norm, beta1=0.9, beta2=0.999, epsilon=1e-8):
    Z, (a, lstm_cache) = model_forward(params, X_idx)
    loss, dZ = sequence_loss(Z, Y_idx)
    _, _, grads = lstm_backward(np.einsum("vn,vmt->nmt", params["Wy"], dZ), lstm_cache)
    grads = {**grads, "Wy": np.einsum("vmt,nmt->vn", dZ, a), "by": dZ.sum(axis=(1, 2))[:, None]}
    clip_gradients(grads, max_norm=max_norm)
    t = adam["t"] + 1
    m = {k: beta1 * adam["m"][k] + (1 - beta1) * grads[k] for k in params}
    v = {k: beta2 * adam["v"][k] + (1 - beta2) * grads[k] ** 2 for k in params}
    new = {k: params[k] - learning_rate * m[k] / (1 - beta1 ** t) / np.sqrt(v[k] / (1 - beta2 ** t) + epsilon)
           for k in params}
    return loss, grads, new, {"t": t, "m": m, "v": v}


@mistake("train_step", "backpropagates into the LSTM with dZ instead of Wy.T dZ")
def train_step(params, adam, X_idx, Y_idx, learning_rate, max_norm, beta1=0.9, beta2=0.999, epsilon=1e-8):
    Z, (a, lstm_cache) = model_forward(params, X_idx)
    loss, dZ = sequence_loss(Z, Y_idx)
    n_a = a.shape[0]
    _, _, grads = lstm_backward(dZ[:n_a], lstm_cache)
    grads = {**grads, "Wy": np.einsum("vmt,nmt->vn", dZ, a), "by": dZ.sum(axis=(1, 2))[:, None]}
    clip_gradients(grads, max_norm=max_norm)
    t = adam["t"] + 1
    m = {k: beta1 * adam["m"][k] + (1 - beta1) * grads[k] for k in params}
    v = {k: beta2 * adam["v"][k] + (1 - beta2) * grads[k] ** 2 for k in params}
    new = {k: params[k] - learning_rate * m[k] / (1 - beta1 ** t) / (np.sqrt(v[k] / (1 - beta2 ** t)) + epsilon)
           for k in params}
    return loss, grads, new, {"t": t, "m": m, "v": v}


@rewrite("train_step", "clips by hand with one scale factor min(1, max_norm / norm)")
def train_step(params, adam, X_idx, Y_idx, learning_rate, max_norm, beta1=0.9, beta2=0.999, epsilon=1e-8):
    Z, (a, lstm_cache) = model_forward(params, X_idx)
    loss, dZ = sequence_loss(Z, Y_idx)
    _, _, raw = lstm_backward(np.einsum("vn,vmt->nmt", params["Wy"], dZ), lstm_cache)
    raw["Wy"] = np.einsum("vmt,nmt->vn", dZ, a)
    raw["by"] = dZ.sum(axis=(1, 2))[:, None]
    norm = np.sqrt(sum(np.sum(g * g) for g in raw.values()))
    grads = {k: g * min(1.0, max_norm / norm) for k, g in raw.items()}
    t = adam["t"] + 1
    new_params, new_m, new_v = {}, {}, {}
    for k in params:
        new_m[k] = beta1 * adam["m"][k] + (1 - beta1) * grads[k]
        new_v[k] = beta2 * adam["v"][k] + (1 - beta2) * np.square(grads[k])
        m_hat, v_hat = new_m[k] / (1 - beta1 ** t), new_v[k] / (1 - beta2 ** t)
        new_params[k] = params[k] - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)
    return loss, grads, new_params, {"t": t, "m": new_m, "v": new_v}


# ----------------------------------------------------------------------------------------------- model_step


@mistake("model_step", "stacks [x; a] instead of [a; x]")
def model_step(params, x_idx, a_prev, c_prev):
    V = params["Wy"].shape[0]
    hx = np.concatenate([np.eye(V)[:, x_idx], a_prev], axis=0)
    f, i, o = (sigmoid(params["W" + g] @ hx + params["b" + g]) for g in "fio")
    c = f * c_prev + i * np.tanh(params["Wc"] @ hx + params["bc"])
    a = o * np.tanh(c)
    return params["Wy"] @ a + params["by"], a, c


@mistake("model_step", "forgets the previous memory cell (c = i * c_tilde)")
def model_step(params, x_idx, a_prev, c_prev):
    V = params["Wy"].shape[0]
    hx = np.concatenate([a_prev, np.eye(V)[:, x_idx]], axis=0)
    i, o = (sigmoid(params["W" + g] @ hx + params["b" + g]) for g in "io")
    c = i * np.tanh(params["Wc"] @ hx + params["bc"])
    a = o * np.tanh(c)
    return params["Wy"] @ a + params["by"], a, c


@mistake("model_step", "computes a = o * c without the tanh")
def model_step(params, x_idx, a_prev, c_prev):
    V = params["Wy"].shape[0]
    hx = np.concatenate([a_prev, np.eye(V)[:, x_idx]], axis=0)
    f, i, o = (sigmoid(params["W" + g] @ hx + params["b" + g]) for g in "fio")
    c = f * c_prev + i * np.tanh(params["Wc"] @ hx + params["bc"])
    a = o * c
    return params["Wy"] @ a + params["by"], a, c


@mistake("model_step", "uses a sigmoid for the candidate c_tilde instead of tanh")
def model_step(params, x_idx, a_prev, c_prev):
    V = params["Wy"].shape[0]
    hx = np.concatenate([a_prev, np.eye(V)[:, x_idx]], axis=0)
    f, i, o, cc = (sigmoid(params["W" + g] @ hx + params["b" + g]) for g in "fioc")
    c = f * c_prev + i * cc
    a = o * np.tanh(c)
    return params["Wy"] @ a + params["by"], a, c


@rewrite("model_step", "one matrix product for the four gates stacked")
def model_step(params, x_idx, a_prev, c_prev):
    V, n_a = params["Wy"].shape
    W = np.concatenate([params["W" + g] for g in "fico"])
    b = np.concatenate([params["b" + g] for g in "fico"])
    x = np.zeros((V, len(x_idx)))
    x[x_idx, np.arange(len(x_idx))] = 1.0
    g = W @ np.vstack([a_prev, x]) + b
    f, i, o = sigmoid(g[:n_a]), sigmoid(g[n_a:2 * n_a]), sigmoid(g[3 * n_a:])
    c = f * c_prev + i * np.tanh(g[2 * n_a:3 * n_a])
    a = o * np.tanh(c)
    return params["Wy"] @ a + params["by"], a, c


@rewrite("model_step", "uses the step of the framework's LSTM layer")
def model_step(params, x_idx, a_prev, c_prev):
    import seq
    V, n_a = params["Wy"].shape
    layer = seq.LSTM(V, n_a)
    layer.params = {k: params[k] for k in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")}
    a, (_, c) = layer.step(np.eye(V)[:, x_idx], (a_prev, c_prev))
    return params["Wy"] @ a + params["by"], a, c


# ------------------------------------------------------------------------------------------------- generate


@mistake("generate", "takes the argmax instead of sampling")
def generate(params, start_tokens, n_steps, temperature, seed):
    m, k = start_tokens.shape
    n_a = params["Wy"].shape[1]
    a, c = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in range(k):
        z, a, c = model_step(params, start_tokens[:, t], a, c)
    samples = []
    for t in range(n_steps):
        x = np.argmax(z, axis=0)
        samples.append(x)
        z, a, c = model_step(params, x, a, c)
    return np.stack(samples, axis=1)


@mistake("generate", "does not feed the sample back (feeds the last start token at every step)")
def generate(params, start_tokens, n_steps, temperature, seed):
    rng = np.random.default_rng(seed)
    m, k = start_tokens.shape
    n_a = params["Wy"].shape[1]
    a, c = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in range(k):
        z, a, c = model_step(params, start_tokens[:, t], a, c)
    samples = []
    for t in range(n_steps):
        samples.append(sample_next(z, temperature, rng))
        z, a, c = model_step(params, start_tokens[:, -1], a, c)
    return np.stack(samples, axis=1)


@mistake("generate", "passes the int seed to sample_next at every step (the same uniform numbers each step)")
def generate(params, start_tokens, n_steps, temperature, seed):
    m, k = start_tokens.shape
    n_a = params["Wy"].shape[1]
    a, c = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in range(k):
        z, a, c = model_step(params, start_tokens[:, t], a, c)
    samples = []
    for t in range(n_steps):
        x = sample_next(z, temperature, seed)
        samples.append(x)
        z, a, c = model_step(params, x, a, c)
    return np.stack(samples, axis=1)


@mistake("generate", "resets the LSTM state to zeros at every step")
def generate(params, start_tokens, n_steps, temperature, seed):
    rng = np.random.default_rng(seed)
    m, k = start_tokens.shape
    n_a = params["Wy"].shape[1]
    a, c = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in range(k):
        z, a, c = model_step(params, start_tokens[:, t], a, c)
    samples = []
    for t in range(n_steps):
        x = sample_next(z, temperature, rng)
        samples.append(x)
        z, _, _ = model_step(params, x, np.zeros((n_a, m)), np.zeros((n_a, m)))
    return np.stack(samples, axis=1)


@mistake("generate", "ignores the temperature")
def generate(params, start_tokens, n_steps, temperature, seed):
    rng = np.random.default_rng(seed)
    m, k = start_tokens.shape
    n_a = params["Wy"].shape[1]
    a, c = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in range(k):
        z, a, c = model_step(params, start_tokens[:, t], a, c)
    samples = []
    for t in range(n_steps):
        x = sample_next(z, 1.0, rng)
        samples.append(x)
        z, a, c = model_step(params, x, a, c)
    return np.stack(samples, axis=1)


@mistake("generate", "reads only the last start token")
def generate(params, start_tokens, n_steps, temperature, seed):
    rng = np.random.default_rng(seed)
    m, k = start_tokens.shape
    n_a = params["Wy"].shape[1]
    z, a, c = model_step(params, start_tokens[:, -1], np.zeros((n_a, m)), np.zeros((n_a, m)))
    samples = []
    for t in range(n_steps):
        x = sample_next(z, temperature, rng)
        samples.append(x)
        z, a, c = model_step(params, x, a, c)
    return np.stack(samples, axis=1)


@rewrite("generate", "re-runs model_forward on the whole sequence so far at every step")
def generate(params, start_tokens, n_steps, temperature, seed):
    rng = np.random.default_rng(seed)
    seq_so_far = np.array(start_tokens)
    for t in range(n_steps):
        Z, _ = model_forward(params, seq_so_far)
        x = sample_next(Z[:, :, -1], temperature, rng)
        seq_so_far = np.concatenate([seq_so_far, x[:, None]], axis=1)
    return seq_so_far[:, start_tokens.shape[1]:]


# --------------------------------------------------------------------------------------- interval_histogram


@mistake("interval_histogram", "counts intervals across melody boundaries (concatenates the melodies first)")
def interval_histogram(melodies, max_interval):
    d = np.clip(np.diff(np.concatenate(melodies)), -max_interval, max_interval)
    counts = np.bincount(d + max_interval, minlength=2 * max_interval + 1)
    return counts / counts.sum()


@mistake("interval_histogram", "drops the intervals beyond max_interval instead of clipping them")
def interval_histogram(melodies, max_interval):
    counts = np.zeros(2 * max_interval + 1)
    for pitches in melodies:
        d = np.diff(pitches)
        d = d[np.abs(d) <= max_interval]
        counts += np.bincount(d + max_interval, minlength=2 * max_interval + 1)
    return counts / counts.sum()


@mistake("interval_histogram", "returns counts instead of fractions")
def interval_histogram(melodies, max_interval):
    counts = np.zeros(2 * max_interval + 1)
    for pitches in melodies:
        d = np.clip(np.diff(pitches), -max_interval, max_interval)
        counts += np.bincount(d + max_interval, minlength=2 * max_interval + 1)
    return counts


@mistake("interval_histogram", "averages the histograms of the melodies (each melody weighs the same)")
def interval_histogram(melodies, max_interval):
    hists = []
    for pitches in melodies:
        if len(pitches) < 2:
            continue
        d = np.clip(np.diff(pitches), -max_interval, max_interval)
        h = np.bincount(d + max_interval, minlength=2 * max_interval + 1)
        hists.append(h / h.sum())
    return np.mean(hists, axis=0)


@rewrite("interval_histogram", "uses np.histogram with one bin per semitone")
def interval_histogram(melodies, max_interval):
    d = np.concatenate([np.diff(p) for p in melodies])
    d = np.clip(d, -max_interval, max_interval)
    counts, _ = np.histogram(d, bins=np.arange(-max_interval - 0.5, max_interval + 1.5))
    return counts / counts.sum()


@rewrite("interval_histogram", "counts with plain Python")
def interval_histogram(melodies, max_interval):
    counts = [0] * (2 * max_interval + 1)
    for pitches in melodies:
        for a, b in zip(pitches[:-1], pitches[1:]):
            counts[max(-max_interval, min(max_interval, int(b) - int(a))) + max_interval] += 1
    return np.array(counts, dtype=float) / sum(counts)
