"""Mistake catalogue for c5w1a_rnn_step_by_step: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ------------------------------------------------------------------------------ rnn_cell_forward

@mistake("rnn_cell_forward", "uses the sigmoid instead of tanh for the hidden state")
def rnn_cell_forward(xt, a_prev, parameters):
    p = parameters
    a_next = sigmoid(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    yt_pred = softmax(p["Wya"] @ a_next + p["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


@mistake("rnn_cell_forward", "swaps Wax and Waa (Wax applied to a_prev, Waa to xt)")
def rnn_cell_forward(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Wax"] @ a_prev + p["Waa"] @ xt + p["ba"])
    yt_pred = softmax(p["Wya"] @ a_next + p["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


@mistake("rnn_cell_forward", "takes the softmax over the examples (axis 1) instead of over the classes (axis 0)")
def rnn_cell_forward(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    z = p["Wya"] @ a_next + p["by"]
    yt_pred = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


@mistake("rnn_cell_forward", "forgets the bias ba")
def rnn_cell_forward(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt)
    yt_pred = softmax(p["Wya"] @ a_next + p["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


@mistake("rnn_cell_forward", "forgets the output bias by in the prediction")
def rnn_cell_forward(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    yt_pred = softmax(p["Wya"] @ a_next)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


@rewrite("rnn_cell_forward", "one product of the stacked [Waa, Wax] with the stacked [a_prev; xt]")
def rnn_cell_forward(xt, a_prev, parameters):
    p = parameters
    W = np.hstack([p["Waa"], p["Wax"]])
    a_next = np.tanh(W @ np.vstack([a_prev, xt]) + p["ba"])
    z = np.dot(p["Wya"], a_next) + p["by"]
    e = np.exp(z)
    yt_pred = e / e.sum(axis=0)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


# ----------------------------------------------------------------------------------- rnn_forward

@mistake("rnn_forward", "loops over range(T_x - 1), dropping the last time step")
def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a, y_pred, caches, a_next = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), [], a0
    for t in range(T_x - 1):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


@mistake("rnn_forward", "feeds a0 to every step instead of the previous step's state")
def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a, y_pred, caches = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a0, parameters)
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


@mistake("rnn_forward", "starts from a zero state instead of a0")
def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a, y_pred, caches, a_next = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), [], np.zeros_like(a0)
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


@mistake("rnn_forward", "returns the list of caches alone, without x")
def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a, y_pred, caches, a_next = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), [], a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, caches


@rewrite("rnn_forward", "collects the states in lists and stacks them along a new last axis")
def rnn_forward(x, a0, parameters):
    states, preds, caches = [], [], []
    a_next = a0
    for t in range(x.shape[2]):
        a_next, yt_pred, cache = rnn_cell_forward(x[..., t], a_next, parameters)
        states.append(a_next)
        preds.append(yt_pred)
        caches.append(cache)
    return np.stack(states, axis=-1), np.stack(preds, axis=-1), (caches, x)


# ----------------------------------------------------------------------------- lstm_cell_forward

@mistake("lstm_cell_forward", "computes c_next without the forget gate (c_prev + it * cct)")
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    p = parameters
    s = np.concatenate((a_prev, xt), axis=0)
    ft, it, ot = (sigmoid(p["W" + g] @ s + p["b" + g]) for g in "fio")
    cct = np.tanh(p["Wc"] @ s + p["bc"])
    c_next = c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


@mistake("lstm_cell_forward", "computes a_next = ot * c_next, without the tanh")
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    p = parameters
    s = np.concatenate((a_prev, xt), axis=0)
    ft, it, ot = (sigmoid(p["W" + g] @ s + p["b" + g]) for g in "fio")
    cct = np.tanh(p["Wc"] @ s + p["bc"])
    c_next = ft * c_prev + it * cct
    a_next = ot * c_next
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


@mistake("lstm_cell_forward", "stacks [xt; a_prev] instead of [a_prev; xt] (the input on top)")
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    p = parameters
    s = np.concatenate((xt, a_prev), axis=0)
    ft, it, ot = (sigmoid(p["W" + g] @ s + p["b" + g]) for g in "fio")
    cct = np.tanh(p["Wc"] @ s + p["bc"])
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


@mistake("lstm_cell_forward", "uses the sigmoid instead of tanh for the candidate cct")
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    p = parameters
    s = np.concatenate((a_prev, xt), axis=0)
    ft, it, ot = (sigmoid(p["W" + g] @ s + p["b" + g]) for g in "fio")
    cct = sigmoid(p["Wc"] @ s + p["bc"])
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


@mistake("lstm_cell_forward", "swaps the roles of the forget and update gates (ft * cct + it * c_prev)")
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    p = parameters
    s = np.concatenate((a_prev, xt), axis=0)
    ft, it, ot = (sigmoid(p["W" + g] @ s + p["b" + g]) for g in "fio")
    cct = np.tanh(p["Wc"] @ s + p["bc"])
    c_next = it * c_prev + ft * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


@rewrite("lstm_cell_forward", "computes the four gates with one product of the stacked weights")
def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    p = parameters
    n_a = a_prev.shape[0]
    W = np.vstack([p["Wf"], p["Wi"], p["Wc"], p["Wo"]])
    b = np.vstack([p["bf"], p["bi"], p["bc"], p["bo"]])
    z = W @ np.vstack([a_prev, xt]) + b
    ft = 1 / (1 + np.exp(-z[:n_a]))
    it = 1 / (1 + np.exp(-z[n_a:2 * n_a]))
    cct = np.tanh(z[2 * n_a:3 * n_a])
    ot = 1 / (1 + np.exp(-z[3 * n_a:]))
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(p["Wy"] @ a_next + p["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


# ---------------------------------------------------------------------------------- lstm_forward

@mistake("lstm_forward", "loops over range(T_x - 1), dropping the last time step")
def lstm_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y, caches = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    a_next, c_next = a0, np.zeros((n_a, m))
    for t in range(T_x - 1):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)
    return a, y, c, (caches, x)


@mistake("lstm_forward", "passes a zero memory to every step instead of the previous step's c_next")
def lstm_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y, caches = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    a_next = a0
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, np.zeros((n_a, m)), parameters)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)
    return a, y, c, (caches, x)


@mistake("lstm_forward", "starts the memory at a0 instead of zeros")
def lstm_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y, caches = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    a_next, c_next = a0, a0
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)
    return a, y, c, (caches, x)


@mistake("lstm_forward", "feeds a0 to every step instead of the previous step's hidden state")
def lstm_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y, caches = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    c_next = np.zeros((n_a, m))
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a0, c_next, parameters)
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, yt
        caches.append(cache)
    return a, y, c, (caches, x)


@rewrite("lstm_forward", "collects the states in lists and stacks them along a new last axis")
def lstm_forward(x, a0, parameters):
    hs, cs, ys, caches = [], [], [], []
    a_next, c_next = a0, np.zeros_like(a0)
    for t in range(x.shape[-1]):
        a_next, c_next, yt, cache = lstm_cell_forward(x[..., t], a_next, c_next, parameters)
        hs.append(a_next)
        cs.append(c_next)
        ys.append(yt)
        caches.append(cache)
    return np.stack(hs, axis=2), np.stack(ys, axis=2), np.stack(cs, axis=2), (caches, x)


# ----------------------------------------------------------------------------- rnn_cell_backward

@mistake("rnn_cell_backward", "writes the tanh derivative as 1 - a instead of 1 - a**2")
def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dz = da_next * (1 - a_next)
    return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T,
            "dba": np.sum(dz, axis=1, keepdims=True)}


@mistake("rnn_cell_backward", "sums dba without keepdims=True (shape (n_a,) instead of (n_a, 1))")
def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dz = da_next * (1 - a_next ** 2)
    return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T,
            "dba": np.sum(dz, axis=1)}


@mistake("rnn_cell_backward", "averages dba over the batch (divides by m) instead of summing")
def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dz = da_next * (1 - a_next ** 2)
    return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T,
            "dba": np.mean(dz, axis=1, keepdims=True)}


@mistake("rnn_cell_backward", "takes the tanh derivative at a_prev instead of at a_next")
def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dz = da_next * (1 - a_prev ** 2)
    return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T,
            "dba": np.sum(dz, axis=1, keepdims=True)}


@mistake("rnn_cell_backward", "forgets the tanh derivative (uses da_next as the pre-activation gradient)")
def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dz = da_next
    return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T, "dWaa": dz @ a_prev.T,
            "dba": np.sum(dz, axis=1, keepdims=True)}


@rewrite("rnn_cell_backward", "uses np.einsum and the tanh derivative written as 1 - tanh(z)**2")
def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    z = p["Wax"] @ xt + p["Waa"] @ a_prev + p["ba"]
    dz = da_next * (1 - np.tanh(z) ** 2)
    return {"dxt": np.einsum("ij,im->jm", p["Wax"], dz), "da_prev": np.einsum("ij,im->jm", p["Waa"], dz),
            "dWax": np.einsum("im,jm->ij", dz, xt), "dWaa": np.einsum("im,jm->ij", dz, a_prev),
            "dba": dz.sum(axis=1).reshape(-1, 1)}


# ---------------------------------------------------------------------------------- rnn_backward

@mistake("rnn_backward", "forgets to add da_prevt, the gradient coming back from the next step")
def rnn_backward(da, caches):
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    dx, da_prevt = np.zeros((x.shape[0], m, T_x)), np.zeros((n_a, m))
    sums = {"dWax": 0, "dWaa": 0, "dba": 0}
    for t in reversed(range(T_x)):
        g = rnn_cell_backward(da[:, :, t], cell_caches[t])
        dx[:, :, t], da_prevt = g["dxt"], g["da_prev"]
        for k in sums:
            sums[k] = sums[k] + g[k]
    return {"dx": dx, "da0": da_prevt, **sums}


@mistake("rnn_backward", "walks forward in time (range(T_x)) instead of backward")
def rnn_backward(da, caches):
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    dx, da_prevt = np.zeros((x.shape[0], m, T_x)), np.zeros((n_a, m))
    sums = {"dWax": 0, "dWaa": 0, "dba": 0}
    for t in range(T_x):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, cell_caches[t])
        dx[:, :, t], da_prevt = g["dxt"], g["da_prev"]
        for k in sums:
            sums[k] = sums[k] + g[k]
    return {"dx": dx, "da0": da_prevt, **sums}


@mistake("rnn_backward", "overwrites the weight gradients at each step instead of adding them up")
def rnn_backward(da, caches):
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    dx, da_prevt = np.zeros((x.shape[0], m, T_x)), np.zeros((n_a, m))
    sums = {}
    for t in reversed(range(T_x)):
        g = rnn_cell_backward(da[:, :, t] + da_prevt, cell_caches[t])
        dx[:, :, t], da_prevt = g["dxt"], g["da_prev"]
        for k in ("dWax", "dWaa", "dba"):
            sums[k] = g[k]
    return {"dx": dx, "da0": da_prevt, **sums}


@mistake("rnn_backward", "uses only the last step's gradient da[:, :, -1], ignoring the other steps' da")
def rnn_backward(da, caches):
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    dx, da_prevt = np.zeros((x.shape[0], m, T_x)), da[:, :, -1]
    sums = {"dWax": 0, "dWaa": 0, "dba": 0}
    for t in reversed(range(T_x)):
        g = rnn_cell_backward(da_prevt, cell_caches[t])
        dx[:, :, t], da_prevt = g["dxt"], g["da_prev"]
        for k in sums:
            sums[k] = sums[k] + g[k]
    return {"dx": dx, "da0": da_prevt, **sums}


@rewrite("rnn_backward", "calls the framework's vectorised seq.rnn_backward")
def rnn_backward(da, caches):
    cell_caches, x = caches
    _, a0, _, p = cell_caches[0]
    params = {k: p[k] for k in ("Wax", "Waa", "ba")}
    _, cache = seq.rnn_forward(x, a0, params)
    dx, da0, grads = seq.rnn_backward(da, cache)
    return {"dx": dx, "da0": da0, **{"d" + k: v for k, v in grads.items()}}


# ----------------------------------------------------------------------------- lstm_cell_backward

@mistake("lstm_cell_backward", "writes the derivative of tanh(c_next) as 1 - tanh(c_next), not 1 - tanh(c_next)**2")
def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next))
    dz = {"f": dc * c_prev * ft * (1 - ft), "i": dc * cct * it * (1 - it), "c": dc * it * (1 - cct ** 2),
          "o": da_next * np.tanh(c_next) * ot * (1 - ot)}
    s = np.concatenate((a_prev, xt))
    ds = sum(p["W" + g].T @ dz[g] for g in "fico")
    out = {"dxt": ds[n_a:], "da_prev": ds[:n_a], "dc_prev": dc * ft}
    for g in "fico":
        out["dW" + g], out["db" + g] = dz[g] @ s.T, dz[g].sum(axis=1, keepdims=True)
    return out


@mistake("lstm_cell_backward", "ignores dc_next, the memory gradient coming from the next step")
def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    dc = da_next * ot * (1 - np.tanh(c_next) ** 2)
    dz = {"f": dc * c_prev * ft * (1 - ft), "i": dc * cct * it * (1 - it), "c": dc * it * (1 - cct ** 2),
          "o": da_next * np.tanh(c_next) * ot * (1 - ot)}
    s = np.concatenate((a_prev, xt))
    ds = sum(p["W" + g].T @ dz[g] for g in "fico")
    out = {"dxt": ds[n_a:], "da_prev": ds[:n_a], "dc_prev": dc * ft}
    for g in "fico":
        out["dW" + g], out["db" + g] = dz[g] @ s.T, dz[g].sum(axis=1, keepdims=True)
    return out


@mistake("lstm_cell_backward", "computes dc_prev = dc_next * ft, leaving out the path through a_next")
def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    dz = {"f": dc * c_prev * ft * (1 - ft), "i": dc * cct * it * (1 - it), "c": dc * it * (1 - cct ** 2),
          "o": da_next * np.tanh(c_next) * ot * (1 - ot)}
    s = np.concatenate((a_prev, xt))
    ds = sum(p["W" + g].T @ dz[g] for g in "fico")
    out = {"dxt": ds[n_a:], "da_prev": ds[:n_a], "dc_prev": dc_next * ft}
    for g in "fico":
        out["dW" + g], out["db" + g] = dz[g] @ s.T, dz[g].sum(axis=1, keepdims=True)
    return out


@mistake("lstm_cell_backward", "sums the bias gradients without keepdims=True (shape (n_a,) instead of (n_a, 1))")
def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    dz = {"f": dc * c_prev * ft * (1 - ft), "i": dc * cct * it * (1 - it), "c": dc * it * (1 - cct ** 2),
          "o": da_next * np.tanh(c_next) * ot * (1 - ot)}
    s = np.concatenate((a_prev, xt))
    ds = sum(p["W" + g].T @ dz[g] for g in "fico")
    out = {"dxt": ds[n_a:], "da_prev": ds[:n_a], "dc_prev": dc * ft}
    for g in "fico":
        out["dW" + g], out["db" + g] = dz[g] @ s.T, dz[g].sum(axis=1)
    return out


@mistake("lstm_cell_backward", "takes dxt from the top rows of the stacked gradient (the input is below a_prev)")
def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_x = xt.shape[0]
    dc = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)
    dz = {"f": dc * c_prev * ft * (1 - ft), "i": dc * cct * it * (1 - it), "c": dc * it * (1 - cct ** 2),
          "o": da_next * np.tanh(c_next) * ot * (1 - ot)}
    s = np.concatenate((a_prev, xt))
    ds = sum(p["W" + g].T @ dz[g] for g in "fico")
    out = {"dxt": ds[:n_x], "da_prev": ds[n_x:], "dc_prev": dc * ft}
    for g in "fico":
        out["dW" + g], out["db" + g] = dz[g] @ s.T, dz[g].sum(axis=1, keepdims=True)
    return out


@mistake("lstm_cell_backward", "forgets the output gate in the memory gradient (da_next * (1 - tanh(c)**2))")
def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    dc = dc_next + da_next * (1 - np.tanh(c_next) ** 2)
    dz = {"f": dc * c_prev * ft * (1 - ft), "i": dc * cct * it * (1 - it), "c": dc * it * (1 - cct ** 2),
          "o": da_next * np.tanh(c_next) * ot * (1 - ot)}
    s = np.concatenate((a_prev, xt))
    ds = sum(p["W" + g].T @ dz[g] for g in "fico")
    out = {"dxt": ds[n_a:], "da_prev": ds[:n_a], "dc_prev": dc * ft}
    for g in "fico":
        out["dW" + g], out["db" + g] = dz[g] @ s.T, dz[g].sum(axis=1, keepdims=True)
    return out


@rewrite("lstm_cell_backward", "stacks the four pre-activation gradients and uses one product per output")
def lstm_cell_backward(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    tc = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tc * tc)
    dz = np.vstack([dc * c_prev * ft * (1 - ft), dc * cct * it * (1 - it), dc * it * (1 - cct * cct),
                    da_next * tc * ot * (1 - ot)])
    W = np.vstack([p["Wf"], p["Wi"], p["Wc"], p["Wo"]])
    dW = dz @ np.vstack([a_prev, xt]).T
    db = dz.sum(axis=1, keepdims=True)
    ds = W.T @ dz
    out = {"dxt": ds[n_a:], "da_prev": ds[:n_a], "dc_prev": ft * dc}
    for k, g in enumerate("fico"):
        out["dW" + g], out["db" + g] = dW[k * n_a:(k + 1) * n_a], db[k * n_a:(k + 1) * n_a]
    return out


# --------------------------------------------------------------------------------- lstm_backward

@mistake("lstm_backward", "forgets to add da_prevt, the gradient coming back from the next step")
def lstm_backward(da, caches):
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    dx, da_prevt, dc_prevt, sums = np.zeros((x.shape[0], m, T_x)), np.zeros((n_a, m)), np.zeros((n_a, m)), {}
    for t in reversed(range(T_x)):
        g = lstm_cell_backward(da[:, :, t], dc_prevt, cell_caches[t])
        dx[:, :, t], da_prevt, dc_prevt = g["dxt"], g["da_prev"], g["dc_prev"]
        for k in ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"):
            sums[k] = sums.get(k, 0) + g[k]
    return {"dx": dx, "da0": da_prevt, **sums}


@mistake("lstm_backward", "passes a zero dc_next to every step instead of the dc_prev of the next step")
def lstm_backward(da, caches):
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    dx, da_prevt, sums = np.zeros((x.shape[0], m, T_x)), np.zeros((n_a, m)), {}
    for t in reversed(range(T_x)):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, np.zeros((n_a, m)), cell_caches[t])
        dx[:, :, t], da_prevt = g["dxt"], g["da_prev"]
        for k in ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"):
            sums[k] = sums.get(k, 0) + g[k]
    return {"dx": dx, "da0": da_prevt, **sums}


@mistake("lstm_backward", "walks forward in time (range(T_x)) instead of backward")
def lstm_backward(da, caches):
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    dx, da_prevt, dc_prevt, sums = np.zeros((x.shape[0], m, T_x)), np.zeros((n_a, m)), np.zeros((n_a, m)), {}
    for t in range(T_x):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, cell_caches[t])
        dx[:, :, t], da_prevt, dc_prevt = g["dxt"], g["da_prev"], g["dc_prev"]
        for k in ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"):
            sums[k] = sums.get(k, 0) + g[k]
    return {"dx": dx, "da0": da_prevt, **sums}


@mistake("lstm_backward", "overwrites the weight gradients at each step instead of adding them up")
def lstm_backward(da, caches):
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    dx, da_prevt, dc_prevt, sums = np.zeros((x.shape[0], m, T_x)), np.zeros((n_a, m)), np.zeros((n_a, m)), {}
    for t in reversed(range(T_x)):
        g = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, cell_caches[t])
        dx[:, :, t], da_prevt, dc_prevt = g["dxt"], g["da_prev"], g["dc_prev"]
        for k in ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"):
            sums[k] = g[k]
    return {"dx": dx, "da0": da_prevt, **sums}


@rewrite("lstm_backward", "calls the framework's vectorised seq.lstm_backward")
def lstm_backward(da, caches):
    cell_caches, x = caches
    a0, p = cell_caches[0][2], cell_caches[0][9]
    params = {k: p[k] for k in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")}
    _, cache = seq.lstm_forward(x, a0, params)
    dx, da0, grads = seq.lstm_backward(da, cache)
    return {"dx": dx, "da0": da0, **{"d" + k: v for k, v in grads.items()}}


@rewrite("lstm_backward", "accumulates in separately named arrays, with a while loop")
def lstm_backward(da, caches):
    cell_caches, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    dx = np.zeros((n_x, m, T_x))
    dWf, dWi, dWc, dWo = (np.zeros((n_a, n_a + n_x)) for _ in range(4))
    dbf, dbi, dbc, dbo = (np.zeros((n_a, 1)) for _ in range(4))
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    t = T_x - 1
    while t >= 0:
        g = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, cell_caches[t])
        dx[:, :, t] = g["dxt"]
        da_prevt, dc_prevt = g["da_prev"], g["dc_prev"]
        dWf += g["dWf"]; dWi += g["dWi"]; dWc += g["dWc"]; dWo += g["dWo"]      # noqa: E702
        dbf += g["dbf"]; dbi += g["dbi"]; dbc += g["dbc"]; dbo += g["dbo"]      # noqa: E702
        t -= 1
    return {"dx": dx, "da0": da_prevt, "dWf": dWf, "dbf": dbf, "dWi": dWi, "dbi": dbi, "dWc": dWc, "dbc": dbc,
            "dWo": dWo, "dbo": dbo}
