"""Mistake catalogue for c2w1b_regularization: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# -------------------------------------------------------------------- compute_cost_with_regularization

@mistake("compute_cost_with_regularization", "forgets the factor 1 / (2m): adds lambd * (sum of squared weights)")
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    return float(compute_cost(A3, Y) + lambd * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3))))


@mistake("compute_cost_with_regularization", "uses lambd / m instead of lambd / (2m)")
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    return float(compute_cost(A3, Y) + lambd / m * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3))))


@mistake("compute_cost_with_regularization", "uses lambd / 2, forgetting to divide by m")
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    return float(compute_cost(A3, Y) + lambd / 2 * (np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3))))


@mistake("compute_cost_with_regularization", "penalises the biases too (sums the squares of every parameter)")
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    return float(compute_cost(A3, Y) + lambd / (2 * m) * sum(np.sum(np.square(p)) for p in parameters.values()))


@mistake("compute_cost_with_regularization", "leaves W3 out of the penalty")
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    W1, W2 = parameters["W1"], parameters["W2"]
    return float(compute_cost(A3, Y) + lambd / (2 * m) * (np.sum(np.square(W1)) + np.sum(np.square(W2))))


@mistake("compute_cost_with_regularization", "uses the Frobenius norm ||W|| itself instead of its square")
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    return float(compute_cost(A3, Y) + lambd / (2 * m) * (np.linalg.norm(W1) + np.linalg.norm(W2) + np.linalg.norm(W3)))


@rewrite("compute_cost_with_regularization", "squares np.linalg.norm of each weight matrix")
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    penalty = sum(np.linalg.norm(parameters[f"W{l}"]) ** 2 for l in (1, 2, 3))
    return compute_cost(A3, Y) + lambd * penalty / (2 * m)


@rewrite("compute_cost_with_regularization", "writes the cross-entropy out with np.log instead of calling compute_cost")
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    cross_entropy = -np.sum(Y * np.log(A3) + (1 - Y) * np.log(1 - A3)) / m
    penalty = np.sum(parameters["W1"] ** 2) + np.sum(parameters["W2"] ** 2) + np.sum(parameters["W3"] ** 2)
    return float(cross_entropy + lambd / (2 * m) * penalty)


# ------------------------------------------------------------- backward_propagation_with_regularization

@mistake("backward_propagation_with_regularization", "leaves out the regularisation term lambd / m * W")
def backward_propagation_with_regularization(X, Y, cache, lambd):
    from three_layer_net import backward_propagation
    return backward_propagation(X, Y, cache)


@mistake("backward_propagation_with_regularization", "adds lambd * W, forgetting to divide by m")
def backward_propagation_with_regularization(X, Y, cache, lambd):
    from three_layer_net import backward_propagation
    m = X.shape[1]
    grads = backward_propagation(X, Y, cache)
    for l in (1, 2, 3):
        grads[f"dW{l}"] = grads[f"dW{l}"] + lambd * cache[f"W{l}"]
    return grads


@mistake("backward_propagation_with_regularization", "adds lambd / (2m) * W, copying the factor of the cost instead of differentiating it")
def backward_propagation_with_regularization(X, Y, cache, lambd):
    from three_layer_net import backward_propagation
    m = X.shape[1]
    grads = backward_propagation(X, Y, cache)
    for l in (1, 2, 3):
        grads[f"dW{l}"] = grads[f"dW{l}"] + lambd / (2 * m) * cache[f"W{l}"]
    return grads


@mistake("backward_propagation_with_regularization", "adds lambd / m * b to the bias gradients as well")
def backward_propagation_with_regularization(X, Y, cache, lambd):
    from three_layer_net import backward_propagation
    m = X.shape[1]
    grads = backward_propagation(X, Y, cache)
    for l in (1, 2, 3):
        grads[f"dW{l}"] = grads[f"dW{l}"] + lambd / m * cache[f"W{l}"]
        grads[f"db{l}"] = grads[f"db{l}"] + lambd / m * cache[f"b{l}"]
    return grads


@mistake("backward_propagation_with_regularization", "adds the term to dW3 only, not to dW1 and dW2")
def backward_propagation_with_regularization(X, Y, cache, lambd):
    from three_layer_net import backward_propagation
    m = X.shape[1]
    grads = backward_propagation(X, Y, cache)
    grads["dW3"] = grads["dW3"] + lambd / m * cache["W3"]
    return grads


@mistake("backward_propagation_with_regularization", "adds lambd / m * W squared (W ** 2) instead of W")
def backward_propagation_with_regularization(X, Y, cache, lambd):
    from three_layer_net import backward_propagation
    m = X.shape[1]
    grads = backward_propagation(X, Y, cache)
    for l in (1, 2, 3):
        grads[f"dW{l}"] = grads[f"dW{l}"] + lambd / m * cache[f"W{l}"] ** 2
    return grads


@rewrite("backward_propagation_with_regularization", "adds lambd * W inside the bracket, then divides the whole by m")
def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    Z1, A1, Z2, A2, A3 = cache["Z1"], cache["A1"], cache["Z2"], cache["A2"], cache["A3"]
    W1, W2, W3 = cache["W1"], cache["W2"], cache["W3"]
    dZ3 = A3 - Y
    dW3 = (np.dot(dZ3, A2.T) + lambd * W3) / m
    db3 = dZ3.sum(axis=1, keepdims=True) / m
    dZ2 = np.dot(W3.T, dZ3) * (Z2 > 0)
    dW2 = (np.dot(dZ2, A1.T) + lambd * W2) / m
    db2 = dZ2.sum(axis=1, keepdims=True) / m
    dZ1 = np.dot(W2.T, dZ2) * (Z1 > 0)
    dW1 = (np.dot(dZ1, X.T) + lambd * W1) / m
    db1 = dZ1.sum(axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


@rewrite("backward_propagation_with_regularization", "calls backward_propagation, then adds lambd / m * W to each dW")
def backward_propagation_with_regularization(X, Y, cache, lambd):
    from three_layer_net import backward_propagation
    m = X.shape[1]
    grads = backward_propagation(X, Y, cache)
    for l in (1, 2, 3):
        grads[f"dW{l}"] = grads[f"dW{l}"] + (lambd / m) * cache[f"W{l}"]
    return grads


# ------------------------------------------------------------------- forward_propagation_with_dropout

@mistake("forward_propagation_with_dropout", "applies the masks but forgets to divide by keep_prob")
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=0):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    rng = np.random.default_rng(seed)
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    D1 = rng.random(A1.shape) < keep_prob
    A1 = A1 * D1
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(Z2, 0)
    D2 = rng.random(A2.shape) < keep_prob
    A2 = A2 * D2
    Z3 = W3 @ A2 + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, {"Z1": Z1, "D1": D1, "A1": A1, "Z2": Z2, "D2": D2, "A2": A2, "Z3": Z3, "A3": A3,
                "W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}


@mistake("forward_propagation_with_dropout", "multiplies by keep_prob instead of dividing")
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=0):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    rng = np.random.default_rng(seed)
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    D1 = rng.random(A1.shape) < keep_prob
    A1 = A1 * D1 * keep_prob
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(Z2, 0)
    D2 = rng.random(A2.shape) < keep_prob
    A2 = A2 * D2 * keep_prob
    Z3 = W3 @ A2 + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, {"Z1": Z1, "D1": D1, "A1": A1, "Z2": Z2, "D2": D2, "A2": A2, "Z3": Z3, "A3": A3,
                "W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}


@mistake("forward_propagation_with_dropout", "divides by keep_prob twice")
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=0):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    rng = np.random.default_rng(seed)
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    D1 = rng.random(A1.shape) < keep_prob
    A1 = A1 * D1 / keep_prob / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(Z2, 0)
    D2 = rng.random(A2.shape) < keep_prob
    A2 = A2 * D2 / keep_prob / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, {"Z1": Z1, "D1": D1, "A1": A1, "Z2": Z2, "D2": D2, "A2": A2, "Z3": Z3, "A3": A3,
                "W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}


@mistake("forward_propagation_with_dropout", "keeps a unit when rng.random() > keep_prob (drops it with probability keep_prob)")
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=0):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    rng = np.random.default_rng(seed)
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    D1 = rng.random(A1.shape) > keep_prob
    A1 = A1 * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(Z2, 0)
    D2 = rng.random(A2.shape) > keep_prob
    A2 = A2 * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, {"Z1": Z1, "D1": D1, "A1": A1, "Z2": Z2, "D2": D2, "A2": A2, "Z3": Z3, "A3": A3,
                "W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}


@mistake("forward_propagation_with_dropout", "draws one mask value per unit, shape (n[l], 1), shared by all the examples")
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=0):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    rng = np.random.default_rng(seed)
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    D1 = rng.random((A1.shape[0], 1)) < keep_prob
    A1 = A1 * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(Z2, 0)
    D2 = rng.random((A2.shape[0], 1)) < keep_prob
    A2 = A2 * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, {"Z1": Z1, "D1": D1, "A1": A1, "Z2": Z2, "D2": D2, "A2": A2, "Z3": Z3, "A3": A3,
                "W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}


@mistake("forward_propagation_with_dropout", "draws the masks with the legacy np.random.rand instead of the seeded rng")
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=0):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    rng = np.random.default_rng(seed)
    np.random.seed(seed)
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    D1 = np.random.rand(*A1.shape) < keep_prob
    A1 = A1 * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(Z2, 0)
    D2 = np.random.rand(*A2.shape) < keep_prob
    A2 = A2 * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, {"Z1": Z1, "D1": D1, "A1": A1, "Z2": Z2, "D2": D2, "A2": A2, "Z3": Z3, "A3": A3,
                "W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}


@mistake("forward_propagation_with_dropout", "stores the activations before dropout in the cache as A1 and A2")
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=0):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    rng = np.random.default_rng(seed)
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    D1 = rng.random(A1.shape) < keep_prob
    Z2 = W2 @ (A1 * D1 / keep_prob) + b2
    A2 = np.maximum(Z2, 0)
    D2 = rng.random(A2.shape) < keep_prob
    Z3 = W3 @ (A2 * D2 / keep_prob) + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, {"Z1": Z1, "D1": D1, "A1": A1, "Z2": Z2, "D2": D2, "A2": A2, "Z3": Z3, "A3": A3,
                "W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}


@mistake("forward_propagation_with_dropout", "applies dropout to the input X too (drawing its mask first)")
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=0):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    rng = np.random.default_rng(seed)
    D0 = rng.random(X.shape) < keep_prob
    Z1 = W1 @ (X * D0 / keep_prob) + b1
    A1 = np.maximum(Z1, 0)
    D1 = rng.random(A1.shape) < keep_prob
    A1 = A1 * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(Z2, 0)
    D2 = rng.random(A2.shape) < keep_prob
    A2 = A2 * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, {"Z1": Z1, "D1": D1, "A1": A1, "Z2": Z2, "D2": D2, "A2": A2, "Z3": Z3, "A3": A3,
                "W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}


@rewrite("forward_propagation_with_dropout", "draws both masks up front (D1, then D2) from the known shapes and uses np.where")
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=0):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    D1 = rng.random((W1.shape[0], m)) < keep_prob
    D2 = rng.random((W2.shape[0], m)) < keep_prob
    Z1 = np.dot(W1, X) + b1
    A1 = np.where(D1, np.maximum(Z1, 0) / keep_prob, 0.0)
    Z2 = np.dot(W2, A1) + b2
    A2 = np.where(D2, np.maximum(Z2, 0) / keep_prob, 0.0)
    Z3 = np.dot(W3, A2) + b3
    A3, _ = sigmoid(Z3)
    return A3, {"Z1": Z1, "D1": D1, "A1": A1, "Z2": Z2, "D2": D2, "A2": A2, "Z3": Z3, "A3": A3,
                "W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}


@rewrite("forward_propagation_with_dropout", "uses np.multiply and an in-place division by keep_prob")
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5, seed=0):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    rng = np.random.default_rng(seed)
    Z1 = W1 @ X + b1
    A1, _ = relu(Z1)
    D1 = rng.random(A1.shape) < keep_prob
    A1 = np.multiply(A1, D1)
    A1 /= keep_prob
    Z2 = W2 @ A1 + b2
    A2, _ = relu(Z2)
    D2 = rng.random(A2.shape) < keep_prob
    A2 = np.multiply(A2, D2)
    A2 /= keep_prob
    Z3 = W3 @ A2 + b3
    A3 = 1 / (1 + np.exp(-Z3))
    return A3, {"Z1": Z1, "D1": D1, "A1": A1, "Z2": Z2, "D2": D2, "A2": A2, "Z3": Z3, "A3": A3,
                "W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}


# ------------------------------------------------------------------ backward_propagation_with_dropout

@mistake("backward_propagation_with_dropout", "ignores the masks and keep_prob: the plain backward pass")
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    Z1, D1, A1, Z2, D2, A2, A3 = (cache[k] for k in ("Z1", "D1", "A1", "Z2", "D2", "A2", "A3"))
    W2, W3 = cache["W2"], cache["W3"]
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dZ2 = relu_backward(dA2, Z2)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dZ1 = relu_backward(dA1, Z1)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


@mistake("backward_propagation_with_dropout", "applies the masks but forgets to divide by keep_prob")
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    Z1, D1, A1, Z2, D2, A2, A3 = (cache[k] for k in ("Z1", "D1", "A1", "Z2", "D2", "A2", "A3"))
    W2, W3 = cache["W2"], cache["W3"]
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dA2 = dA2 * D2
    dZ2 = relu_backward(dA2, Z2)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dA1 = dA1 * D1
    dZ1 = relu_backward(dA1, Z1)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


@mistake("backward_propagation_with_dropout", "divides by keep_prob but forgets the masks")
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    Z1, D1, A1, Z2, D2, A2, A3 = (cache[k] for k in ("Z1", "D1", "A1", "Z2", "D2", "A2", "A3"))
    W2, W3 = cache["W2"], cache["W3"]
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dA2 = dA2 / keep_prob
    dZ2 = relu_backward(dA2, Z2)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dA1 = dA1 / keep_prob
    dZ1 = relu_backward(dA1, Z1)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


@mistake("backward_propagation_with_dropout", "multiplies by keep_prob instead of dividing")
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    Z1, D1, A1, Z2, D2, A2, A3 = (cache[k] for k in ("Z1", "D1", "A1", "Z2", "D2", "A2", "A3"))
    W2, W3 = cache["W2"], cache["W3"]
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dA2 = dA2 * D2 * keep_prob
    dZ2 = relu_backward(dA2, Z2)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dA1 = dA1 * D1 * keep_prob
    dZ1 = relu_backward(dA1, Z1)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


@mistake("backward_propagation_with_dropout", "draws new masks in the backward pass instead of reusing the cache's D1 and D2")
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    rng = np.random.default_rng(0)
    m = X.shape[1]
    Z1, D1, A1, Z2, D2, A2, A3 = (cache[k] for k in ("Z1", "D1", "A1", "Z2", "D2", "A2", "A3"))
    W2, W3 = cache["W2"], cache["W3"]
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dA2 = dA2 * (rng.random(dA2.shape) < keep_prob) / keep_prob
    dZ2 = relu_backward(dA2, Z2)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dA1 = dA1 * (rng.random(dA1.shape) < keep_prob) / keep_prob
    dZ1 = relu_backward(dA1, Z1)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


@mistake("backward_propagation_with_dropout", "computes dW2 from relu(Z1), the activations before dropout, instead of the cache's A1")
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    Z1, D1, A1, Z2, D2, A2, A3 = (cache[k] for k in ("Z1", "D1", "A1", "Z2", "D2", "A2", "A3"))
    W2, W3 = cache["W2"], cache["W3"]
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dA2 = dA2 * D2 / keep_prob
    dZ2 = relu_backward(dA2, Z2)
    dW2 = dZ2 @ np.maximum(Z1, 0).T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dA1 = dA1 * D1 / keep_prob
    dZ1 = relu_backward(dA1, Z1)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


@rewrite("backward_propagation_with_dropout", "applies the mask and the scaling after relu_backward, to dZ")
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    dZ3 = cache["A3"] - Y
    grads = {"dW3": dZ3 @ cache["A2"].T / m, "db3": dZ3.sum(axis=1, keepdims=True) / m}
    dZ2 = relu_backward(cache["W3"].T @ dZ3, cache["Z2"]) * cache["D2"] / keep_prob
    grads["dW2"], grads["db2"] = dZ2 @ cache["A1"].T / m, dZ2.sum(axis=1, keepdims=True) / m
    dZ1 = relu_backward(cache["W2"].T @ dZ2, cache["Z1"]) * cache["D1"] / keep_prob
    grads["dW1"], grads["db1"] = dZ1 @ X.T / m, dZ1.sum(axis=1, keepdims=True) / m
    return grads


@rewrite("backward_propagation_with_dropout", "zeroes the dropped units with np.where and multiplies by 1 / keep_prob")
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    Z1, D1, A1, Z2, D2, A2, A3 = (cache[k] for k in ("Z1", "D1", "A1", "Z2", "D2", "A2", "A3"))
    W2, W3 = cache["W2"], cache["W3"]
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dA2 = np.where(D2, dA2, 0.0) * (1.0 / keep_prob)
    dZ2 = relu_backward(dA2, Z2)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dA1 = np.where(D1, dA1, 0.0) * (1.0 / keep_prob)
    dZ1 = relu_backward(dA1, Z1)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}
