"""Mistake catalogue for c5w3a_attention_translation: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ------------------------------------------------------------------ one_step_attention

@mistake("one_step_attention", "takes the softmax over the batch axis (axis 1) instead of the input positions")
def one_step_attention(a, s_prev, params):
    T_x = a.shape[2]
    concat = np.concatenate([a, np.repeat(s_prev[:, :, None], T_x, axis=2)], axis=0)
    H = np.tanh(np.tensordot(params["W1"], concat, axes=1) + params["b1"][:, :, None])
    energies = np.tensordot(params["W2"], H, axes=1)
    e = np.exp(energies - np.max(energies, axis=1, keepdims=True))
    alphas = e / np.sum(e, axis=1, keepdims=True)
    return np.sum(alphas * a, axis=2), alphas, (a, s_prev, H, alphas, params)


@mistake("one_step_attention", "takes the softmax over the feature axis (axis 0), so every weight is 1")
def one_step_attention(a, s_prev, params):
    T_x = a.shape[2]
    concat = np.concatenate([a, np.repeat(s_prev[:, :, None], T_x, axis=2)], axis=0)
    H = np.tanh(np.tensordot(params["W1"], concat, axes=1) + params["b1"][:, :, None])
    energies = np.tensordot(params["W2"], H, axes=1)
    e = np.exp(energies - np.max(energies, axis=0, keepdims=True))
    alphas = e / np.sum(e, axis=0, keepdims=True)
    return np.sum(alphas * a, axis=2), alphas, (a, s_prev, H, alphas, params)


@mistake("one_step_attention", "returns the plain mean of a over the input positions as the context, "
                               "without the attention weights")
def one_step_attention(a, s_prev, params):
    T_x = a.shape[2]
    concat = np.concatenate([a, np.repeat(s_prev[:, :, None], T_x, axis=2)], axis=0)
    H = np.tanh(np.tensordot(params["W1"], concat, axes=1) + params["b1"][:, :, None])
    energies = np.tensordot(params["W2"], H, axes=1)
    e = np.exp(energies - np.max(energies, axis=2, keepdims=True))
    alphas = e / np.sum(e, axis=2, keepdims=True)
    return np.mean(a, axis=2), alphas, (a, s_prev, H, alphas, params)


@mistake("one_step_attention", "computes the energies from s_prev only (its columns of W1), without the "
                               "encoder states a, so every input position gets the same weight")
def one_step_attention(a, s_prev, params):
    n2, m, T_x = a.shape
    hidden = np.tanh(params["W1"][:, n2:] @ s_prev + params["b1"])
    H = np.repeat(hidden[:, :, None], T_x, axis=2)
    energies = np.tensordot(params["W2"], H, axes=1)
    e = np.exp(energies - np.max(energies, axis=2, keepdims=True))
    alphas = e / np.sum(e, axis=2, keepdims=True)
    return np.sum(alphas * a, axis=2), alphas, (a, s_prev, H, alphas, params)


@mistake("one_step_attention", "computes the energies from the encoder states a only (their columns of W1), "
                               "ignoring s_prev")
def one_step_attention(a, s_prev, params):
    n2 = a.shape[0]
    H = np.tanh(np.tensordot(params["W1"][:, :n2], a, axes=1) + params["b1"][:, :, None])
    energies = np.tensordot(params["W2"], H, axes=1)
    e = np.exp(energies - np.max(energies, axis=2, keepdims=True))
    alphas = e / np.sum(e, axis=2, keepdims=True)
    return np.sum(alphas * a, axis=2), alphas, (a, s_prev, H, alphas, params)


@mistake("one_step_attention", "stacks [s_prev; a] (s on top) although W1's columns are for [a; s_prev]")
def one_step_attention(a, s_prev, params):
    T_x = a.shape[2]
    concat = np.concatenate([np.repeat(s_prev[:, :, None], T_x, axis=2), a], axis=0)
    H = np.tanh(np.tensordot(params["W1"], concat, axes=1) + params["b1"][:, :, None])
    energies = np.tensordot(params["W2"], H, axes=1)
    e = np.exp(energies - np.max(energies, axis=2, keepdims=True))
    alphas = e / np.sum(e, axis=2, keepdims=True)
    return np.sum(alphas * a, axis=2), alphas, (a, s_prev, H, alphas, params)


@mistake("one_step_attention", "forgets the tanh of the hidden layer")
def one_step_attention(a, s_prev, params):
    T_x = a.shape[2]
    concat = np.concatenate([a, np.repeat(s_prev[:, :, None], T_x, axis=2)], axis=0)
    H = np.tensordot(params["W1"], concat, axes=1) + params["b1"][:, :, None]
    energies = np.tensordot(params["W2"], H, axes=1)
    e = np.exp(energies - np.max(energies, axis=2, keepdims=True))
    alphas = e / np.sum(e, axis=2, keepdims=True)
    return np.sum(alphas * a, axis=2), alphas, (a, s_prev, H, alphas, params)


@rewrite("one_step_attention", "splits W1 into its a and s columns and broadcasts s_prev instead of repeating it")
def one_step_attention(a, s_prev, params):
    n2 = a.shape[0]
    W1a, W1s = params["W1"][:, :n2], params["W1"][:, n2:]
    H = np.tanh(np.einsum("dk,kmt->dmt", W1a, a) + (W1s @ s_prev + params["b1"])[:, :, None])
    energies = np.einsum("od,dmt->omt", params["W2"], H)
    from scipy.special import softmax as scipy_softmax
    alphas = scipy_softmax(energies, axis=2)
    context = np.einsum("nmt,omt->nm", a, alphas)
    return context, alphas, (a, s_prev, H, alphas, params)


@rewrite("one_step_attention", "loops over the input positions, one (n, m) column batch at a time")
def one_step_attention(a, s_prev, params):
    n2, m, T_x = a.shape
    n_d = params["W1"].shape[0]
    H = np.zeros((n_d, m, T_x))
    energies = np.zeros((1, m, T_x))
    for t in range(T_x):
        H[:, :, t] = np.tanh(params["W1"] @ np.vstack([a[:, :, t], s_prev]) + params["b1"])
        energies[:, :, t] = params["W2"] @ H[:, :, t]
    weights = np.exp(energies - energies.max(axis=2, keepdims=True))
    alphas = weights / weights.sum(axis=2, keepdims=True)
    context = np.zeros((n2, m))
    for t in range(T_x):
        context += alphas[:, :, t] * a[:, :, t]
    return context, alphas, (a, s_prev, H, alphas, params)


# ------------------------------------------------------------------ one_step_attention_backward

@mistake("one_step_attention_backward", "leaves out the softmax Jacobian's off-diagonal term "
                                        "(uses alphas * dalphas as the gradient of the energies)")
def one_step_attention_backward(dcontext, cache):
    a, s_prev, H, alphas, params = cache
    n2, m, T_x = a.shape
    concat = np.concatenate([a, np.repeat(s_prev[:, :, None], T_x, axis=2)], axis=0)
    dalphas = np.sum(dcontext[:, :, None] * a, axis=0, keepdims=True)
    denergies = alphas * dalphas
    dZ = np.tensordot(params["W2"].T, denergies, axes=1) * (1 - H ** 2)
    dconcat = np.tensordot(params["W1"].T, dZ, axes=1)
    grads = {"W1": np.einsum("dmt,kmt->dk", dZ, concat), "b1": np.sum(dZ, axis=(1, 2))[:, None],
             "W2": np.einsum("omt,dmt->od", denergies, H)}
    return dcontext[:, :, None] * alphas + dconcat[:n2], np.sum(dconcat[n2:], axis=2), grads


@mistake("one_step_attention_backward", "passes the gradient of the weights straight through the softmax "
                                        "(no softmax derivative at all)")
def one_step_attention_backward(dcontext, cache):
    a, s_prev, H, alphas, params = cache
    n2, m, T_x = a.shape
    concat = np.concatenate([a, np.repeat(s_prev[:, :, None], T_x, axis=2)], axis=0)
    denergies = np.sum(dcontext[:, :, None] * a, axis=0, keepdims=True)
    dZ = np.tensordot(params["W2"].T, denergies, axes=1) * (1 - H ** 2)
    dconcat = np.tensordot(params["W1"].T, dZ, axes=1)
    grads = {"W1": np.einsum("dmt,kmt->dk", dZ, concat), "b1": np.sum(dZ, axis=(1, 2))[:, None],
             "W2": np.einsum("omt,dmt->od", denergies, H)}
    return dcontext[:, :, None] * alphas + dconcat[:n2], np.sum(dconcat[n2:], axis=2), grads


@mistake("one_step_attention_backward", "forgets the direct path alphas * dcontext into da (keeps only the "
                                        "path through the energies)")
def one_step_attention_backward(dcontext, cache):
    a, s_prev, H, alphas, params = cache
    n2, m, T_x = a.shape
    concat = np.concatenate([a, np.repeat(s_prev[:, :, None], T_x, axis=2)], axis=0)
    dalphas = np.sum(dcontext[:, :, None] * a, axis=0, keepdims=True)
    denergies = alphas * (dalphas - np.sum(alphas * dalphas, axis=2, keepdims=True))
    dZ = np.tensordot(params["W2"].T, denergies, axes=1) * (1 - H ** 2)
    dconcat = np.tensordot(params["W1"].T, dZ, axes=1)
    grads = {"W1": np.einsum("dmt,kmt->dk", dZ, concat), "b1": np.sum(dZ, axis=(1, 2))[:, None],
             "W2": np.einsum("omt,dmt->od", denergies, H)}
    return dconcat[:n2], np.sum(dconcat[n2:], axis=2), grads


@mistake("one_step_attention_backward", "forgets the tanh derivative (1 - H**2)")
def one_step_attention_backward(dcontext, cache):
    a, s_prev, H, alphas, params = cache
    n2, m, T_x = a.shape
    concat = np.concatenate([a, np.repeat(s_prev[:, :, None], T_x, axis=2)], axis=0)
    dalphas = np.sum(dcontext[:, :, None] * a, axis=0, keepdims=True)
    denergies = alphas * (dalphas - np.sum(alphas * dalphas, axis=2, keepdims=True))
    dZ = np.tensordot(params["W2"].T, denergies, axes=1)
    dconcat = np.tensordot(params["W1"].T, dZ, axes=1)
    grads = {"W1": np.einsum("dmt,kmt->dk", dZ, concat), "b1": np.sum(dZ, axis=(1, 2))[:, None],
             "W2": np.einsum("omt,dmt->od", denergies, H)}
    return dcontext[:, :, None] * alphas + dconcat[:n2], np.sum(dconcat[n2:], axis=2), grads


@mistake("one_step_attention_backward", "splits d[a; s] the wrong way round (the s rows taken from the top)")
def one_step_attention_backward(dcontext, cache):
    a, s_prev, H, alphas, params = cache
    n2, m, T_x = a.shape
    n_s = s_prev.shape[0]
    concat = np.concatenate([a, np.repeat(s_prev[:, :, None], T_x, axis=2)], axis=0)
    dalphas = np.sum(dcontext[:, :, None] * a, axis=0, keepdims=True)
    denergies = alphas * (dalphas - np.sum(alphas * dalphas, axis=2, keepdims=True))
    dZ = np.tensordot(params["W2"].T, denergies, axes=1) * (1 - H ** 2)
    dconcat = np.tensordot(params["W1"].T, dZ, axes=1)
    grads = {"W1": np.einsum("dmt,kmt->dk", dZ, concat), "b1": np.sum(dZ, axis=(1, 2))[:, None],
             "W2": np.einsum("omt,dmt->od", denergies, H)}
    return dcontext[:, :, None] * alphas + dconcat[n_s:], np.sum(dconcat[:n_s], axis=2), grads


@mistake("one_step_attention_backward", "keeps only the last position's gradient for s_prev instead of "
                                        "summing over the T_x copies")
def one_step_attention_backward(dcontext, cache):
    a, s_prev, H, alphas, params = cache
    n2, m, T_x = a.shape
    concat = np.concatenate([a, np.repeat(s_prev[:, :, None], T_x, axis=2)], axis=0)
    dalphas = np.sum(dcontext[:, :, None] * a, axis=0, keepdims=True)
    denergies = alphas * (dalphas - np.sum(alphas * dalphas, axis=2, keepdims=True))
    dZ = np.tensordot(params["W2"].T, denergies, axes=1) * (1 - H ** 2)
    dconcat = np.tensordot(params["W1"].T, dZ, axes=1)
    grads = {"W1": np.einsum("dmt,kmt->dk", dZ, concat), "b1": np.sum(dZ, axis=(1, 2))[:, None],
             "W2": np.einsum("omt,dmt->od", denergies, H)}
    return dcontext[:, :, None] * alphas + dconcat[:n2], dconcat[n2:, :, -1], grads


@rewrite("one_step_attention_backward", "builds each example's softmax Jacobian diag(alpha) - alpha alpha^T "
                                        "explicitly, and splits W1 instead of the stacked gradient")
def one_step_attention_backward(dcontext, cache):
    a, s_prev, H, alphas, params = cache
    n2, m, T_x = a.shape
    W1a, W1s = params["W1"][:, :n2], params["W1"][:, n2:]
    dalphas = np.einsum("nm,nmt->mt", dcontext, a)
    denergies = np.zeros((m, T_x))
    for i in range(m):
        al = alphas[0, i]
        jacobian = np.diag(al) - np.outer(al, al)
        denergies[i] = jacobian.T @ dalphas[i]
    dZ = params["W2"].reshape(-1, 1, 1) * denergies[None] * (1 - H ** 2)
    dW1 = np.hstack([np.einsum("dmt,nmt->dn", dZ, a), dZ.sum(axis=2) @ s_prev.T])
    da = dcontext[:, :, None] * alphas + np.einsum("dn,dmt->nmt", W1a, dZ)
    ds_prev = W1s.T @ dZ.sum(axis=2)
    grads = {"W1": dW1, "b1": dZ.sum(axis=(1, 2)).reshape(-1, 1), "W2": np.einsum("mt,dmt->d", denergies, H)[None]}
    return da, ds_prev, grads


@rewrite("one_step_attention_backward", "reshapes the (n, m, T_x) arrays into (n, m*T_x) matrices")
def one_step_attention_backward(dcontext, cache):
    a, s_prev, H, alphas, params = cache
    n2, m, T_x = a.shape
    n_d = H.shape[0]
    concat = np.concatenate([a, np.repeat(s_prev[:, :, None], T_x, axis=2)], axis=0).reshape(-1, m * T_x)
    dalphas = (dcontext[:, :, None] * a).sum(axis=0)                      # (m, T_x)
    al = alphas[0]
    denergies = al * dalphas - al * (al * dalphas).sum(axis=1, keepdims=True)
    dZ = (params["W2"].T @ denergies.reshape(1, -1)) * (1 - H.reshape(n_d, -1) ** 2)
    dconcat = (params["W1"].T @ dZ).reshape(-1, m, T_x)
    grads = {"W1": dZ @ concat.T, "b1": dZ.sum(axis=1, keepdims=True),
             "W2": denergies.reshape(1, -1) @ H.reshape(n_d, -1).T}
    return alphas * dcontext[:, :, None] + dconcat[:n2], dconcat[n2:].sum(axis=2), grads


# ------------------------------------------------------------------ model_forward

@mistake("model_forward", "feeds s (the decoder's state) to the post-attention LSTM instead of the context")
def model_forward(X, params, T_y, return_cache=False):
    n_x, m, T_x = X.shape
    n_a, n_s = params["encoder_fwd"]["Wf"].shape[0], params["decoder"]["Wf"].shape[0]
    h0 = np.zeros((n_a, m))
    a = np.concatenate([lstm_forward(X, h0, params["encoder_fwd"])[0],
                        lstm_forward(X[:, :, ::-1], h0, params["encoder_bwd"])[0][:, :, ::-1]], axis=0)
    s, c = np.zeros((n_s, m)), np.zeros((n_s, m))
    Y_hat, attention = np.zeros((params["Wy"].shape[0], m, T_y)), np.zeros((T_y, m, T_x))
    for t in range(T_y):
        context, alphas, _ = one_step_attention(a, s, params["attention"])
        s, c, _ = lstm_cell_forward(s, s, c, params["decoder"])
        Y_hat[:, :, t] = softmax(params["Wy"] @ s + params["by"])
        attention[t] = alphas[0]
    return Y_hat, attention


@mistake("model_forward", "does not reverse the backward direction's states back into input order")
def model_forward(X, params, T_y, return_cache=False):
    n_x, m, T_x = X.shape
    n_a, n_s = params["encoder_fwd"]["Wf"].shape[0], params["decoder"]["Wf"].shape[0]
    h0 = np.zeros((n_a, m))
    a = np.concatenate([lstm_forward(X, h0, params["encoder_fwd"])[0],
                        lstm_forward(X[:, :, ::-1], h0, params["encoder_bwd"])[0]], axis=0)
    s, c = np.zeros((n_s, m)), np.zeros((n_s, m))
    Y_hat, attention = np.zeros((params["Wy"].shape[0], m, T_y)), np.zeros((T_y, m, T_x))
    for t in range(T_y):
        context, alphas, _ = one_step_attention(a, s, params["attention"])
        s, c, _ = lstm_cell_forward(context, s, c, params["decoder"])
        Y_hat[:, :, t] = softmax(params["Wy"] @ s + params["by"])
        attention[t] = alphas[0]
    return Y_hat, attention


@mistake("model_forward", "runs the backward encoder on the input in its original order (not reversed)")
def model_forward(X, params, T_y, return_cache=False):
    n_x, m, T_x = X.shape
    n_a, n_s = params["encoder_fwd"]["Wf"].shape[0], params["decoder"]["Wf"].shape[0]
    h0 = np.zeros((n_a, m))
    a = np.concatenate([lstm_forward(X, h0, params["encoder_fwd"])[0],
                        lstm_forward(X, h0, params["encoder_bwd"])[0]], axis=0)
    s, c = np.zeros((n_s, m)), np.zeros((n_s, m))
    Y_hat, attention = np.zeros((params["Wy"].shape[0], m, T_y)), np.zeros((T_y, m, T_x))
    for t in range(T_y):
        context, alphas, _ = one_step_attention(a, s, params["attention"])
        s, c, _ = lstm_cell_forward(context, s, c, params["decoder"])
        Y_hat[:, :, t] = softmax(params["Wy"] @ s + params["by"])
        attention[t] = alphas[0]
    return Y_hat, attention


@mistake("model_forward", "stacks the backward direction's states on top of the forward ones")
def model_forward(X, params, T_y, return_cache=False):
    n_x, m, T_x = X.shape
    n_a, n_s = params["encoder_fwd"]["Wf"].shape[0], params["decoder"]["Wf"].shape[0]
    h0 = np.zeros((n_a, m))
    a = np.concatenate([lstm_forward(X[:, :, ::-1], h0, params["encoder_bwd"])[0][:, :, ::-1],
                        lstm_forward(X, h0, params["encoder_fwd"])[0]], axis=0)
    s, c = np.zeros((n_s, m)), np.zeros((n_s, m))
    Y_hat, attention = np.zeros((params["Wy"].shape[0], m, T_y)), np.zeros((T_y, m, T_x))
    for t in range(T_y):
        context, alphas, _ = one_step_attention(a, s, params["attention"])
        s, c, _ = lstm_cell_forward(context, s, c, params["decoder"])
        Y_hat[:, :, t] = softmax(params["Wy"] @ s + params["by"])
        attention[t] = alphas[0]
    return Y_hat, attention


@mistake("model_forward", "computes the attention once, before the loop, instead of at every output step")
def model_forward(X, params, T_y, return_cache=False):
    n_x, m, T_x = X.shape
    n_a, n_s = params["encoder_fwd"]["Wf"].shape[0], params["decoder"]["Wf"].shape[0]
    h0 = np.zeros((n_a, m))
    a = np.concatenate([lstm_forward(X, h0, params["encoder_fwd"])[0],
                        lstm_forward(X[:, :, ::-1], h0, params["encoder_bwd"])[0][:, :, ::-1]], axis=0)
    s, c = np.zeros((n_s, m)), np.zeros((n_s, m))
    Y_hat, attention = np.zeros((params["Wy"].shape[0], m, T_y)), np.zeros((T_y, m, T_x))
    context, alphas, _ = one_step_attention(a, s, params["attention"])
    for t in range(T_y):
        s, c, _ = lstm_cell_forward(context, s, c, params["decoder"])
        Y_hat[:, :, t] = softmax(params["Wy"] @ s + params["by"])
        attention[t] = alphas[0]
    return Y_hat, attention


@mistake("model_forward", "resets the decoder's memory cell c to zero at every step")
def model_forward(X, params, T_y, return_cache=False):
    n_x, m, T_x = X.shape
    n_a, n_s = params["encoder_fwd"]["Wf"].shape[0], params["decoder"]["Wf"].shape[0]
    h0 = np.zeros((n_a, m))
    a = np.concatenate([lstm_forward(X, h0, params["encoder_fwd"])[0],
                        lstm_forward(X[:, :, ::-1], h0, params["encoder_bwd"])[0][:, :, ::-1]], axis=0)
    s = np.zeros((n_s, m))
    Y_hat, attention = np.zeros((params["Wy"].shape[0], m, T_y)), np.zeros((T_y, m, T_x))
    for t in range(T_y):
        context, alphas, _ = one_step_attention(a, s, params["attention"])
        s, _, _ = lstm_cell_forward(context, s, np.zeros((n_s, m)), params["decoder"])
        Y_hat[:, :, t] = softmax(params["Wy"] @ s + params["by"])
        attention[t] = alphas[0]
    return Y_hat, attention


@mistake("model_forward", "takes the output softmax over the batch axis instead of the characters")
def model_forward(X, params, T_y, return_cache=False):
    n_x, m, T_x = X.shape
    n_a, n_s = params["encoder_fwd"]["Wf"].shape[0], params["decoder"]["Wf"].shape[0]
    h0 = np.zeros((n_a, m))
    a = np.concatenate([lstm_forward(X, h0, params["encoder_fwd"])[0],
                        lstm_forward(X[:, :, ::-1], h0, params["encoder_bwd"])[0][:, :, ::-1]], axis=0)
    s, c = np.zeros((n_s, m)), np.zeros((n_s, m))
    Y_hat, attention = np.zeros((params["Wy"].shape[0], m, T_y)), np.zeros((T_y, m, T_x))
    for t in range(T_y):
        context, alphas, _ = one_step_attention(a, s, params["attention"])
        s, c, _ = lstm_cell_forward(context, s, c, params["decoder"])
        z = params["Wy"] @ s + params["by"]
        e = np.exp(z - z.max(axis=1, keepdims=True))
        Y_hat[:, :, t] = e / e.sum(axis=1, keepdims=True)
        attention[t] = alphas[0]
    return Y_hat, attention


@rewrite("model_forward", "uses the framework's Bidirectional layer with two LSTM layers holding the parameters")
def model_forward(X, params, T_y, return_cache=False):
    from seq import LSTM, Bidirectional
    n_x, m, T_x = X.shape
    n_a, n_s = params["encoder_fwd"]["Wf"].shape[0], params["decoder"]["Wf"].shape[0]
    fwd, bwd = LSTM(n_x, n_a), LSTM(n_x, n_a)
    fwd.params, bwd.params = dict(params["encoder_fwd"]), dict(params["encoder_bwd"])
    a = Bidirectional(fwd, bwd).forward(X)
    s, c = np.zeros((n_s, m)), np.zeros((n_s, m))
    steps, weights = [], []
    for t in range(T_y):
        context, alphas, _ = one_step_attention(a, s, params["attention"])
        s, c, _ = lstm_cell_forward(context, s, c, params["decoder"])
        steps.append(softmax(params["Wy"] @ s + params["by"]))
        weights.append(alphas)
    return np.stack(steps, axis=2), np.concatenate(weights, axis=0)


@rewrite("model_forward", "writes the decoder's LSTM step inline and reverses time with np.flip")
def model_forward(X, params, T_y, return_cache=False):
    from scipy.special import expit as sig
    n_x, m, T_x = X.shape
    n_a, n_s = params["encoder_fwd"]["Wf"].shape[0], params["decoder"]["Wf"].shape[0]
    a_f, _ = lstm_forward(X, np.zeros((n_a, m)), params["encoder_fwd"])
    a_b, _ = lstm_forward(np.flip(X, axis=2), np.zeros((n_a, m)), params["encoder_bwd"])
    a = np.vstack([a_f, np.flip(a_b, axis=2)])
    p = params["decoder"]
    s, c = np.zeros((n_s, m)), np.zeros((n_s, m))
    Y_hat, attention = np.zeros((params["Wy"].shape[0], m, T_y)), np.zeros((T_y, m, T_x))
    for t in range(T_y):
        context, alphas, _ = one_step_attention(a, s, params["attention"])
        sx = np.vstack([s, context])
        c = sig(p["Wf"] @ sx + p["bf"]) * c + sig(p["Wi"] @ sx + p["bi"]) * np.tanh(p["Wc"] @ sx + p["bc"])
        s = sig(p["Wo"] @ sx + p["bo"]) * np.tanh(c)
        z = params["Wy"] @ s + params["by"]
        Y_hat[:, :, t] = np.exp(z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=0)
        attention[t] = alphas.reshape(m, T_x)
    return Y_hat, attention


# ------------------------------------------------------------------ translate

@mistake("translate", "takes the argmax over the batch axis instead of the characters")
def translate(sources, params, human_vocab, machine_vocab, T_x, T_y):
    X = dates.one_hot(dates.encode(sources, human_vocab, T_x), len(human_vocab))
    Y_hat, _ = model_forward(X, params, T_y)
    return dates.decode(np.argmax(Y_hat, axis=1), machine_vocab)


@mistake("translate", "decodes the (m, T_y) ids transposed, one string per output step")
def translate(sources, params, human_vocab, machine_vocab, T_x, T_y):
    X = dates.one_hot(dates.encode(sources, human_vocab, T_x), len(human_vocab))
    Y_hat, _ = model_forward(X, params, T_y)
    return dates.decode(np.argmax(Y_hat, axis=0).T, machine_vocab)


@mistake("translate", "decodes the output ids with the human (input) vocabulary")
def translate(sources, params, human_vocab, machine_vocab, T_x, T_y):
    X = dates.one_hot(dates.encode(sources, human_vocab, T_x), len(human_vocab))
    Y_hat, _ = model_forward(X, params, T_y)
    return dates.decode(np.argmax(Y_hat, axis=0), human_vocab)


@rewrite("translate", "one-hot encodes with np.eye and joins the characters itself")
def translate(sources, params, human_vocab, machine_vocab, T_x, T_y):
    index = {tok: i for i, tok in enumerate(human_vocab)}
    ids = np.zeros((len(sources), T_x), dtype=int)
    for i, text in enumerate(sources):
        for t, ch in enumerate(text[:T_x]):
            ids[i, t] = index.get(ch, 1)
    X = np.eye(len(human_vocab))[ids].transpose(2, 0, 1)
    Y_hat = model_forward(X, params, T_y)[0]
    return ["".join(machine_vocab[k] for k in row) for row in Y_hat.argmax(axis=0)]


# ------------------------------------------------------------------ exact_match_accuracy

@mistake("exact_match_accuracy", "measures the fraction of correct characters instead of whole strings")
def exact_match_accuracy(predictions, targets):
    right = sum(p == t for pred, tgt in zip(predictions, targets) for p, t in zip(pred, tgt))
    return right / sum(len(t) for t in targets)


@mistake("exact_match_accuracy", "returns the number of exact matches, not divided by m")
def exact_match_accuracy(predictions, targets):
    return float(sum(p == t for p, t in zip(predictions, targets)))


@mistake("exact_match_accuracy", "returns the error rate (1 - accuracy)")
def exact_match_accuracy(predictions, targets):
    return float(np.mean([p != t for p, t in zip(predictions, targets)]))


@rewrite("exact_match_accuracy", "compares numpy arrays of strings")
def exact_match_accuracy(predictions, targets):
    return float(np.mean(np.array(predictions) == np.array(targets)))


@rewrite("exact_match_accuracy", "counts in a loop and divides by len(targets)")
def exact_match_accuracy(predictions, targets):
    count = 0
    for p, t in zip(predictions, targets):
        if p == t:
            count += 1
    return count / len(targets)
