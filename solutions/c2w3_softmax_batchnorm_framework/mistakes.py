"""Mistake catalogue for c2w3_softmax_batchnorm_framework: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ------------------------------------------------------------------------------------------- softmax

@mistake("softmax", "normalises each row (axis=1) instead of each column, one example per column")
def softmax(Z):
    E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return E / np.sum(E, axis=1, keepdims=True)


@mistake("softmax", "skips the subtraction of the column maximum, so large scores overflow to inf / inf = nan")
def softmax(Z):
    E = np.exp(Z)
    return E / np.sum(E, axis=0, keepdims=True)


@mistake("softmax", "subtracts the maximum of the whole matrix, so columns with small scores underflow to 0 / 0")
def softmax(Z):
    E = np.exp(Z - np.max(Z))
    return E / np.sum(E, axis=0, keepdims=True)


@mistake("softmax", "divides by the sum of the whole matrix instead of each column's sum")
def softmax(Z):
    E = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return E / np.sum(E)


@mistake("softmax", "subtracts each row's maximum (axis=1) instead of each column's")
def softmax(Z):
    E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return E / np.sum(E, axis=0, keepdims=True)


@rewrite("softmax", "subtracts the log-sum-exp of each column and exponentiates")
def softmax(Z):
    c = Z.max(axis=0)
    log_sum = c + np.log(np.exp(Z - c).sum(axis=0))
    return np.exp(Z - log_sum)


@rewrite("softmax", "uses a loop over the columns")
def softmax(Z):
    A = np.empty(Z.shape)
    for i in range(Z.shape[1]):
        e = np.exp(Z[:, i] - Z[:, i].max())
        A[:, i] = e / e.sum()
    return A


# ------------------------------------------------------------------------------------------- one_hot

@mistake("one_hot", "returns the transposed matrix, shape (m, C): np.eye(C)[labels]")
def one_hot(labels, C):
    return np.eye(C)[labels]


@mistake("one_hot", "takes the number of classes from the labels (labels.max() + 1) instead of C")
def one_hot(labels, C):
    return np.eye(labels.max() + 1)[:, labels]


@mistake("one_hot", "shifts the labels by one (np.eye(C)[:, labels - 1]), as if they started at 1")
def one_hot(labels, C):
    return np.eye(C)[:, labels - 1]


@mistake("one_hot", "builds an integer matrix instead of floats")
def one_hot(labels, C):
    return np.eye(C, dtype=int)[:, labels]


@rewrite("one_hot", "fills a zeros matrix with Y[labels, arange(m)] = 1")
def one_hot(labels, C):
    Y = np.zeros((C, len(labels)))
    Y[labels, np.arange(len(labels))] = 1.0
    return Y


@rewrite("one_hot", "compares a column of class numbers with the row of labels")
def one_hot(labels, C):
    return (np.arange(C).reshape(C, 1) == np.asarray(labels).reshape(1, -1)).astype(float)


# ----------------------------------------------------------------------------- softmax_cross_entropy

@mistake("softmax_cross_entropy", "sums the loss over the batch instead of averaging it (no 1/m in the loss)")
def softmax_cross_entropy(Z, Y):
    m = Z.shape[1]
    S = Z - np.max(Z, axis=0, keepdims=True)
    log_probs = S - np.log(np.sum(np.exp(S), axis=0, keepdims=True))
    return float(-np.sum(Y * log_probs)), (np.exp(log_probs) - Y) / m


@mistake("softmax_cross_entropy", "forgets the 1/m in dZ (returns softmax(Z) - Y)")
def softmax_cross_entropy(Z, Y):
    m = Z.shape[1]
    S = Z - np.max(Z, axis=0, keepdims=True)
    log_probs = S - np.log(np.sum(np.exp(S), axis=0, keepdims=True))
    return float(-np.sum(Y * log_probs) / m), np.exp(log_probs) - Y


@mistake("softmax_cross_entropy", "writes softmax(Z) - Y / m: the 1/m applies to Y only")
def softmax_cross_entropy(Z, Y):
    m = Z.shape[1]
    S = Z - np.max(Z, axis=0, keepdims=True)
    log_probs = S - np.log(np.sum(np.exp(S), axis=0, keepdims=True))
    return float(-np.sum(Y * log_probs) / m), np.exp(log_probs) - Y / m


@mistake("softmax_cross_entropy", "takes np.mean over all C * m entries instead of summing over classes and averaging over examples")
def softmax_cross_entropy(Z, Y):
    m = Z.shape[1]
    S = Z - np.max(Z, axis=0, keepdims=True)
    log_probs = S - np.log(np.sum(np.exp(S), axis=0, keepdims=True))
    return float(-np.mean(Y * log_probs)), (np.exp(log_probs) - Y) / m


@mistake("softmax_cross_entropy", "takes np.log of the softmax, which underflows to log(0) = -inf for very unlikely classes")
def softmax_cross_entropy(Z, Y):
    m = Z.shape[1]
    S = Z - np.max(Z, axis=0, keepdims=True)
    A = np.exp(S) / np.sum(np.exp(S), axis=0, keepdims=True)
    return float(-np.sum(Y * np.log(A)) / m), (A - Y) / m


@mistake("softmax_cross_entropy", "returns Y - softmax(Z) (the gradient with the wrong sign)")
def softmax_cross_entropy(Z, Y):
    m = Z.shape[1]
    S = Z - np.max(Z, axis=0, keepdims=True)
    log_probs = S - np.log(np.sum(np.exp(S), axis=0, keepdims=True))
    return float(-np.sum(Y * log_probs) / m), (Y - np.exp(log_probs)) / m


@rewrite("softmax_cross_entropy", "picks the log-probability of the true class with argmax and computes dZ from softmax(Z)")
def softmax_cross_entropy(Z, Y):
    m = Z.shape[1]
    c = Z.max(axis=0)
    log_sum = c + np.log(np.exp(Z - c).sum(axis=0))
    labels = Y.argmax(axis=0)
    loss = float(np.mean(log_sum - Z[labels, np.arange(m)]))
    return loss, (softmax(Z) - Y) / m


# ------------------------------------------------------------------------------------ linear_forward

@mistake("linear_forward", "forgets to add the bias b")
def linear_forward(A_prev, W, b):
    return W @ A_prev, (A_prev, W, b)


@mistake("linear_forward", "subtracts the bias instead of adding it")
def linear_forward(A_prev, W, b):
    return W @ A_prev - b, (A_prev, W, b)


@mistake("linear_forward", "uses the transposed weights W.T @ A_prev")
def linear_forward(A_prev, W, b):
    return W.T @ A_prev + b, (A_prev, W, b)


@mistake("linear_forward", "returns Z transposed, shape (m, n_out): A_prev.T @ W.T + b.T")
def linear_forward(A_prev, W, b):
    return A_prev.T @ W.T + b.T, (A_prev, W, b)


@rewrite("linear_forward", "uses np.dot and b broadcast from the left: b + np.dot(W, A_prev)")
def linear_forward(A_prev, W, b):
    return b + np.dot(W, A_prev), (A_prev, W, b)


# ----------------------------------------------------------------------------------- linear_backward

@mistake("linear_backward", "divides dW and db by m again, although dZ already holds the 1/m")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


@mistake("linear_backward", "computes dW as A_prev @ dZ.T, the transpose of the right shape")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, A_prev @ dZ.T, np.sum(dZ, axis=1, keepdims=True)


@mistake("linear_backward", "sums db over the wrong axis (axis=0, over the units)")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=0, keepdims=True)


@mistake("linear_backward", "takes db as the mean of dZ over the batch instead of the sum")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, np.mean(dZ, axis=1, keepdims=True)


@mistake("linear_backward", "leaves out keepdims, so db has shape (n_out,) instead of (n_out, 1)")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=1)


@mistake("linear_backward", "returns dA_prev transposed, shape (m, n_in): dZ.T @ W")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    return dZ.T @ W, dZ @ A_prev.T, np.sum(dZ, axis=1, keepdims=True)


@rewrite("linear_backward", "uses np.dot and dZ.sum(axis=1).reshape(-1, 1)")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    return np.dot(W.T, dZ), np.dot(dZ, A_prev.T), dZ.sum(axis=1).reshape(-1, 1)


# -------------------------------------------------------------------------------------- relu_forward

@mistake("relu_forward", "uses np.max(Z, 0), the maximum along axis 0, instead of np.maximum(0, Z)")
def relu_forward(Z):
    return np.max(Z, 0), Z


@mistake("relu_forward", "returns the mask Z > 0 instead of the activations")
def relu_forward(Z):
    return (Z > 0).astype(float), Z


@mistake("relu_forward", "returns the absolute value |Z|")
def relu_forward(Z):
    return np.abs(Z), Z


@mistake("relu_forward", "keeps the output as the cache instead of the input Z")
def relu_forward(Z):
    A = np.maximum(0, Z)
    return A, A


@rewrite("relu_forward", "multiplies Z by the mask Z > 0")
def relu_forward(Z):
    return Z * (Z > 0), Z


# ------------------------------------------------------------------------------------- relu_backward

@mistake("relu_backward", "returns the mask Z > 0 without multiplying by dA")
def relu_backward(dA, cache):
    return (cache > 0).astype(float)


@mistake("relu_backward", "tests the sign of dA instead of the sign of Z")
def relu_backward(dA, cache):
    return dA * (dA > 0)


@mistake("relu_backward", "multiplies dA by the activation max(0, Z) instead of the derivative")
def relu_backward(dA, cache):
    return dA * np.maximum(0, cache)


@mistake("relu_backward", "passes the gradient where Z < 0 instead of where Z > 0")
def relu_backward(dA, cache):
    return dA * (cache < 0)


@rewrite("relu_backward", "uses np.where(Z >= 0, dA, 0) (the same away from Z = 0)")
def relu_backward(dA, cache):
    return np.where(cache >= 0, dA, 0.0)


# --------------------------------------------------------------------------------- batchnorm_forward

@mistake("batchnorm_forward", "uses the batch mean and variance in test mode too, instead of the running averages")
def batchnorm_forward(x, gamma, beta, bn_param):
    eps, momentum = bn_param["eps"], bn_param["momentum"]
    running_mean, running_var = bn_param["running_mean"], bn_param["running_var"]
    mu, var = np.mean(x, axis=1, keepdims=True), np.var(x, axis=1, keepdims=True)
    if bn_param["mode"] == "train":
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x_hat, gamma, std), dict(bn_param, running_mean=running_mean, running_var=running_var)


@mistake("batchnorm_forward", "does not update the running averages in train mode")
def batchnorm_forward(x, gamma, beta, bn_param):
    eps = bn_param["eps"]
    if bn_param["mode"] == "train":
        mu, var = np.mean(x, axis=1, keepdims=True), np.var(x, axis=1, keepdims=True)
    else:
        mu, var = bn_param["running_mean"], bn_param["running_var"]
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x_hat, gamma, std), dict(bn_param)


@mistake("batchnorm_forward", "swaps the weights of the running average (momentum on the batch statistic, 1 - momentum on the old value)")
def batchnorm_forward(x, gamma, beta, bn_param):
    eps, momentum = bn_param["eps"], bn_param["momentum"]
    running_mean, running_var = bn_param["running_mean"], bn_param["running_var"]
    if bn_param["mode"] == "train":
        mu, var = np.mean(x, axis=1, keepdims=True), np.var(x, axis=1, keepdims=True)
        running_mean = (1 - momentum) * running_mean + momentum * mu
        running_var = (1 - momentum) * running_var + momentum * var
    else:
        mu, var = running_mean, running_var
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x_hat, gamma, std), dict(bn_param, running_mean=running_mean, running_var=running_var)


@mistake("batchnorm_forward", "uses the unbiased variance (divides by m - 1, ddof=1) instead of dividing by m")
def batchnorm_forward(x, gamma, beta, bn_param):
    eps, momentum = bn_param["eps"], bn_param["momentum"]
    running_mean, running_var = bn_param["running_mean"], bn_param["running_var"]
    if bn_param["mode"] == "train":
        mu, var = np.mean(x, axis=1, keepdims=True), np.var(x, axis=1, keepdims=True, ddof=1)
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    else:
        mu, var = running_mean, running_var
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x_hat, gamma, std), dict(bn_param, running_mean=running_mean, running_var=running_var)


@mistake("batchnorm_forward", "adds eps after the square root, sqrt(var) + eps, instead of inside it")
def batchnorm_forward(x, gamma, beta, bn_param):
    eps, momentum = bn_param["eps"], bn_param["momentum"]
    running_mean, running_var = bn_param["running_mean"], bn_param["running_var"]
    if bn_param["mode"] == "train":
        mu, var = np.mean(x, axis=1, keepdims=True), np.var(x, axis=1, keepdims=True)
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    else:
        mu, var = running_mean, running_var
    std = np.sqrt(var) + eps
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x_hat, gamma, std), dict(bn_param, running_mean=running_mean, running_var=running_var)


@mistake("batchnorm_forward", "computes the statistics over the units (axis=0) instead of over the batch (axis=1)")
def batchnorm_forward(x, gamma, beta, bn_param):
    eps, momentum = bn_param["eps"], bn_param["momentum"]
    running_mean, running_var = bn_param["running_mean"], bn_param["running_var"]
    if bn_param["mode"] == "train":
        mu, var = np.mean(x, axis=0, keepdims=True), np.var(x, axis=0, keepdims=True)
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    else:
        mu, var = running_mean, running_var
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x_hat, gamma, std), dict(bn_param, running_mean=running_mean, running_var=running_var)


@mistake("batchnorm_forward", "keeps the variance instead of the standard deviation in the cache")
def batchnorm_forward(x, gamma, beta, bn_param):
    eps, momentum = bn_param["eps"], bn_param["momentum"]
    running_mean, running_var = bn_param["running_mean"], bn_param["running_var"]
    if bn_param["mode"] == "train":
        mu, var = np.mean(x, axis=1, keepdims=True), np.var(x, axis=1, keepdims=True)
        running_mean = momentum * running_mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    else:
        mu, var = running_mean, running_var
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x_hat, gamma, var + eps), dict(bn_param, running_mean=running_mean, running_var=running_var)


@mistake("batchnorm_forward", "updates the running averages in test mode as well (with the batch statistics)")
def batchnorm_forward(x, gamma, beta, bn_param):
    eps, momentum = bn_param["eps"], bn_param["momentum"]
    running_mean, running_var = bn_param["running_mean"], bn_param["running_var"]
    batch_mu, batch_var = np.mean(x, axis=1, keepdims=True), np.var(x, axis=1, keepdims=True)
    if bn_param["mode"] == "train":
        mu, var = batch_mu, batch_var
    else:
        mu, var = running_mean, running_var
    running_mean = momentum * running_mean + (1 - momentum) * batch_mu
    running_var = momentum * running_var + (1 - momentum) * batch_var
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x_hat, gamma, std), dict(bn_param, running_mean=running_mean, running_var=running_var)


@rewrite("batchnorm_forward", "computes the variance as the mean of the squared deviations and copies bn_param")
def batchnorm_forward(x, gamma, beta, bn_param):
    new_bn_param = dict(bn_param)
    rho = bn_param["momentum"]
    if bn_param["mode"] == "train":
        mu = x.mean(axis=1, keepdims=True)
        var = ((x - mu) ** 2).mean(axis=1, keepdims=True)
        new_bn_param["running_mean"] = rho * bn_param["running_mean"] + (1 - rho) * mu
        new_bn_param["running_var"] = rho * bn_param["running_var"] + (1 - rho) * var
    else:
        mu, var = bn_param["running_mean"], bn_param["running_var"]
    std = np.sqrt(var + bn_param["eps"])
    x_hat = (x - mu) / std
    return x_hat * gamma + beta, (x_hat, gamma, std), new_bn_param


# -------------------------------------------------------------------------------- batchnorm_backward

@mistake("batchnorm_backward", "treats the mean and the variance as constants: dx = gamma * dout / std")
def batchnorm_backward(dout, cache):
    x_hat, gamma, std = cache
    return gamma * dout / std, np.sum(dout * x_hat, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)


@mistake("batchnorm_backward", "leaves out the term along x_hat (the path through the variance)")
def batchnorm_backward(dout, cache):
    x_hat, gamma, std = cache
    dx_hat = gamma * dout
    dx = (dx_hat - np.mean(dx_hat, axis=1, keepdims=True)) / std
    return dx, np.sum(dout * x_hat, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)


@mistake("batchnorm_backward", "leaves out the mean of dx_hat (the path through the batch mean)")
def batchnorm_backward(dout, cache):
    x_hat, gamma, std = cache
    dx_hat = gamma * dout
    dx = (dx_hat - x_hat * np.mean(dx_hat * x_hat, axis=1, keepdims=True)) / std
    return dx, np.sum(dout * x_hat, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)


@mistake("batchnorm_backward", "forgets gamma: uses dout where dx_hat = gamma * dout belongs")
def batchnorm_backward(dout, cache):
    x_hat, gamma, std = cache
    dx = (dout - np.mean(dout, axis=1, keepdims=True) - x_hat * np.mean(dout * x_hat, axis=1, keepdims=True)) / std
    return dx, np.sum(dout * x_hat, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)


@mistake("batchnorm_backward", "takes dgamma as the sum of dout, without the factor x_hat")
def batchnorm_backward(dout, cache):
    x_hat, gamma, std = cache
    dx_hat = gamma * dout
    dx = (dx_hat - np.mean(dx_hat, axis=1, keepdims=True) - x_hat * np.mean(dx_hat * x_hat, axis=1, keepdims=True)) / std
    return dx, np.sum(dout, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)


@mistake("batchnorm_backward", "averages dgamma and dbeta over the batch instead of summing")
def batchnorm_backward(dout, cache):
    x_hat, gamma, std = cache
    dx_hat = gamma * dout
    dx = (dx_hat - np.mean(dx_hat, axis=1, keepdims=True) - x_hat * np.mean(dx_hat * x_hat, axis=1, keepdims=True)) / std
    return dx, np.mean(dout * x_hat, axis=1, keepdims=True), np.mean(dout, axis=1, keepdims=True)


@mistake("batchnorm_backward", "multiplies by std instead of dividing by it")
def batchnorm_backward(dout, cache):
    x_hat, gamma, std = cache
    dx_hat = gamma * dout
    dx = (dx_hat - np.mean(dx_hat, axis=1, keepdims=True) - x_hat * np.mean(dx_hat * x_hat, axis=1, keepdims=True)) * std
    return dx, np.sum(dout * x_hat, axis=1, keepdims=True), np.sum(dout, axis=1, keepdims=True)


@rewrite("batchnorm_backward", "uses the form (m dx_hat - sum(dx_hat) - x_hat sum(dx_hat x_hat)) / (m std)")
def batchnorm_backward(dout, cache):
    x_hat, gamma, std = cache
    m = dout.shape[1]
    dx_hat = dout * gamma
    dx = (m * dx_hat - dx_hat.sum(axis=1, keepdims=True)
          - x_hat * (dx_hat * x_hat).sum(axis=1, keepdims=True)) / (m * std)
    return dx, (dout * x_hat).sum(axis=1, keepdims=True), dout.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------------------------- train_step

@mistake("train_step", "returns the old running averages: the state is not updated")
def train_step(params, state, X, Y, learning_rate, momentum=0.9, eps=1e-5):
    bn_param = {"mode": "train", "eps": eps, "momentum": momentum,
                "running_mean": state["running_mean1"], "running_var": state["running_var1"]}
    Z1, c1 = linear_forward(X, params["W1"], params["b1"])
    U1, cbn, new_bn_param = batchnorm_forward(Z1, params["gamma1"], params["beta1"], bn_param)
    A1, cr = relu_forward(U1)
    Z2, c2 = linear_forward(A1, params["W2"], params["b2"])
    loss, dZ2 = softmax_cross_entropy(Z2, Y)
    dA1, dW2, db2 = linear_backward(dZ2, c2)
    dZ1, dgamma1, dbeta1 = batchnorm_backward(relu_backward(dA1, cr), cbn)
    _, dW1, db1 = linear_backward(dZ1, c1)
    grads = {"W1": dW1, "b1": db1, "gamma1": dgamma1, "beta1": dbeta1, "W2": dW2, "b2": db2}
    return loss, {k: params[k] - learning_rate * grads[k] for k in params}, dict(state)


@mistake("train_step", "runs batch norm in test mode (running averages) during the training step")
def train_step(params, state, X, Y, learning_rate, momentum=0.9, eps=1e-5):
    bn_param = {"mode": "test", "eps": eps, "momentum": momentum,
                "running_mean": state["running_mean1"], "running_var": state["running_var1"]}
    Z1, c1 = linear_forward(X, params["W1"], params["b1"])
    U1, cbn, new_bn_param = batchnorm_forward(Z1, params["gamma1"], params["beta1"], bn_param)
    A1, cr = relu_forward(U1)
    Z2, c2 = linear_forward(A1, params["W2"], params["b2"])
    loss, dZ2 = softmax_cross_entropy(Z2, Y)
    dA1, dW2, db2 = linear_backward(dZ2, c2)
    dZ1, dgamma1, dbeta1 = batchnorm_backward(relu_backward(dA1, cr), cbn)
    _, dW1, db1 = linear_backward(dZ1, c1)
    grads = {"W1": dW1, "b1": db1, "gamma1": dgamma1, "beta1": dbeta1, "W2": dW2, "b2": db2}
    new_state = {"running_mean1": new_bn_param["running_mean"], "running_var1": new_bn_param["running_var"]}
    return loss, {k: params[k] - learning_rate * grads[k] for k in params}, new_state


@mistake("train_step", "adds the gradients instead of subtracting them")
def train_step(params, state, X, Y, learning_rate, momentum=0.9, eps=1e-5):
    bn_param = {"mode": "train", "eps": eps, "momentum": momentum,
                "running_mean": state["running_mean1"], "running_var": state["running_var1"]}
    Z1, c1 = linear_forward(X, params["W1"], params["b1"])
    U1, cbn, new_bn_param = batchnorm_forward(Z1, params["gamma1"], params["beta1"], bn_param)
    A1, cr = relu_forward(U1)
    Z2, c2 = linear_forward(A1, params["W2"], params["b2"])
    loss, dZ2 = softmax_cross_entropy(Z2, Y)
    dA1, dW2, db2 = linear_backward(dZ2, c2)
    dZ1, dgamma1, dbeta1 = batchnorm_backward(relu_backward(dA1, cr), cbn)
    _, dW1, db1 = linear_backward(dZ1, c1)
    grads = {"W1": dW1, "b1": db1, "gamma1": dgamma1, "beta1": dbeta1, "W2": dW2, "b2": db2}
    new_state = {"running_mean1": new_bn_param["running_mean"], "running_var1": new_bn_param["running_var"]}
    return loss, {k: params[k] + learning_rate * grads[k] for k in params}, new_state


@mistake("train_step", "does not update gamma1 and beta1 (only the weights and biases)")
def train_step(params, state, X, Y, learning_rate, momentum=0.9, eps=1e-5):
    bn_param = {"mode": "train", "eps": eps, "momentum": momentum,
                "running_mean": state["running_mean1"], "running_var": state["running_var1"]}
    Z1, c1 = linear_forward(X, params["W1"], params["b1"])
    U1, cbn, new_bn_param = batchnorm_forward(Z1, params["gamma1"], params["beta1"], bn_param)
    A1, cr = relu_forward(U1)
    Z2, c2 = linear_forward(A1, params["W2"], params["b2"])
    loss, dZ2 = softmax_cross_entropy(Z2, Y)
    dA1, dW2, db2 = linear_backward(dZ2, c2)
    dZ1, dgamma1, dbeta1 = batchnorm_backward(relu_backward(dA1, cr), cbn)
    _, dW1, db1 = linear_backward(dZ1, c1)
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    new_state = {"running_mean1": new_bn_param["running_mean"], "running_var1": new_bn_param["running_var"]}
    return loss, {k: params[k] - learning_rate * grads[k] if k in grads else params[k] for k in params}, new_state


@mistake("train_step", "takes ReLU's derivative at Z1 (before batch norm) instead of at its input U1")
def train_step(params, state, X, Y, learning_rate, momentum=0.9, eps=1e-5):
    bn_param = {"mode": "train", "eps": eps, "momentum": momentum,
                "running_mean": state["running_mean1"], "running_var": state["running_var1"]}
    Z1, c1 = linear_forward(X, params["W1"], params["b1"])
    U1, cbn, new_bn_param = batchnorm_forward(Z1, params["gamma1"], params["beta1"], bn_param)
    A1, cr = relu_forward(U1)
    Z2, c2 = linear_forward(A1, params["W2"], params["b2"])
    loss, dZ2 = softmax_cross_entropy(Z2, Y)
    dA1, dW2, db2 = linear_backward(dZ2, c2)
    dZ1, dgamma1, dbeta1 = batchnorm_backward(relu_backward(dA1, Z1), cbn)
    _, dW1, db1 = linear_backward(dZ1, c1)
    grads = {"W1": dW1, "b1": db1, "gamma1": dgamma1, "beta1": dbeta1, "W2": dW2, "b2": db2}
    new_state = {"running_mean1": new_bn_param["running_mean"], "running_var1": new_bn_param["running_var"]}
    return loss, {k: params[k] - learning_rate * grads[k] for k in params}, new_state


@mistake("train_step", "ignores the momentum argument and uses 0.9 for the running averages")
def train_step(params, state, X, Y, learning_rate, momentum=0.9, eps=1e-5):
    bn_param = {"mode": "train", "eps": eps, "momentum": 0.9,
                "running_mean": state["running_mean1"], "running_var": state["running_var1"]}
    Z1, c1 = linear_forward(X, params["W1"], params["b1"])
    U1, cbn, new_bn_param = batchnorm_forward(Z1, params["gamma1"], params["beta1"], bn_param)
    A1, cr = relu_forward(U1)
    Z2, c2 = linear_forward(A1, params["W2"], params["b2"])
    loss, dZ2 = softmax_cross_entropy(Z2, Y)
    dA1, dW2, db2 = linear_backward(dZ2, c2)
    dZ1, dgamma1, dbeta1 = batchnorm_backward(relu_backward(dA1, cr), cbn)
    _, dW1, db1 = linear_backward(dZ1, c1)
    grads = {"W1": dW1, "b1": db1, "gamma1": dgamma1, "beta1": dbeta1, "W2": dW2, "b2": db2}
    new_state = {"running_mean1": new_bn_param["running_mean"], "running_var1": new_bn_param["running_var"]}
    return loss, {k: params[k] - learning_rate * grads[k] for k in params}, new_state


@mistake("train_step", "returns the loss after the update instead of the loss of the minibatch before it")
def train_step(params, state, X, Y, learning_rate, momentum=0.9, eps=1e-5):
    bn_param = {"mode": "train", "eps": eps, "momentum": momentum,
                "running_mean": state["running_mean1"], "running_var": state["running_var1"]}
    Z1, c1 = linear_forward(X, params["W1"], params["b1"])
    U1, cbn, new_bn_param = batchnorm_forward(Z1, params["gamma1"], params["beta1"], bn_param)
    A1, cr = relu_forward(U1)
    Z2, c2 = linear_forward(A1, params["W2"], params["b2"])
    loss, dZ2 = softmax_cross_entropy(Z2, Y)
    dA1, dW2, db2 = linear_backward(dZ2, c2)
    dZ1, dgamma1, dbeta1 = batchnorm_backward(relu_backward(dA1, cr), cbn)
    _, dW1, db1 = linear_backward(dZ1, c1)
    grads = {"W1": dW1, "b1": db1, "gamma1": dgamma1, "beta1": dbeta1, "W2": dW2, "b2": db2}
    new_params = {k: params[k] - learning_rate * grads[k] for k in params}
    new_state = {"running_mean1": new_bn_param["running_mean"], "running_var1": new_bn_param["running_var"]}
    Z1, _ = linear_forward(X, new_params["W1"], new_params["b1"])
    U1, _, _ = batchnorm_forward(Z1, new_params["gamma1"], new_params["beta1"], bn_param)
    Z2, _ = linear_forward(relu_forward(U1)[0], new_params["W2"], new_params["b2"])
    new_loss, _ = softmax_cross_entropy(Z2, Y)
    return new_loss, new_params, new_state


@rewrite("train_step", "writes the batch-norm state update and the parameter update with explicit names")
def train_step(params, state, X, Y, learning_rate, momentum=0.9, eps=1e-5):
    bn_param = {"mode": "train", "eps": eps, "momentum": momentum,
                "running_mean": state["running_mean1"], "running_var": state["running_var1"]}
    Z1, lin1 = linear_forward(X, params["W1"], params["b1"])
    U1, bn1, bn_after = batchnorm_forward(Z1, params["gamma1"], params["beta1"], bn_param)
    A1, relu1 = relu_forward(U1)
    Z2, lin2 = linear_forward(A1, params["W2"], params["b2"])
    loss, dZ2 = softmax_cross_entropy(Z2, Y)
    dA1, dW2, db2 = linear_backward(dZ2, lin2)
    dU1 = relu_backward(dA1, relu1)
    dZ1, dgamma1, dbeta1 = batchnorm_backward(dU1, bn1)
    _, dW1, db1 = linear_backward(dZ1, lin1)
    new_params = {"W1": params["W1"] - learning_rate * dW1, "b1": params["b1"] - learning_rate * db1,
                  "gamma1": params["gamma1"] - learning_rate * dgamma1,
                  "beta1": params["beta1"] - learning_rate * dbeta1,
                  "W2": params["W2"] - learning_rate * dW2, "b2": params["b2"] - learning_rate * db2}
    new_state = {"running_mean1": bn_after["running_mean"], "running_var1": bn_after["running_var"]}
    return loss, new_params, new_state
