"""Mistake catalogue for c1w4a_deep_nn_step_by_step: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ---------------------------------------------------------------- initialize_parameters

@mistake("initialize_parameters", "scales the weights by 0.01 instead of 1 / sqrt(number of inputs)")
def initialize_parameters(n_x, n_h, n_y, seed=1):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_h, n_x)) * 0.01
    W2 = rng.standard_normal((n_y, n_h)) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


@mistake("initialize_parameters", "forgets to divide the weights by sqrt(number of inputs)")
def initialize_parameters(n_x, n_h, n_y, seed=1):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_h, n_x))
    W2 = rng.standard_normal((n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


@mistake("initialize_parameters", "divides W2 by sqrt(n_x) instead of sqrt(n_h), the number of inputs of layer 2")
def initialize_parameters(n_x, n_h, n_y, seed=1):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_h, n_x)) / np.sqrt(n_x)
    W2 = rng.standard_normal((n_y, n_h)) / np.sqrt(n_x)
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


@mistake("initialize_parameters", "draws W2 before W1 from the generator")
def initialize_parameters(n_x, n_h, n_y, seed=1):
    rng = np.random.default_rng(seed)
    W2 = rng.standard_normal((n_y, n_h)) / np.sqrt(n_h)
    W1 = rng.standard_normal((n_h, n_x)) / np.sqrt(n_x)
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


@mistake("initialize_parameters", "makes the biases flat vectors of shape (n,) instead of columns (n, 1)")
def initialize_parameters(n_x, n_h, n_y, seed=1):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_h, n_x)) / np.sqrt(n_x)
    W2 = rng.standard_normal((n_y, n_h)) / np.sqrt(n_h)
    return {"W1": W1, "b1": np.zeros(n_h), "W2": W2, "b2": np.zeros(n_y)}


@rewrite("initialize_parameters", "draws with rng.normal(0, 1 / sqrt(n), size)")
def initialize_parameters(n_x, n_h, n_y, seed=1):
    rng = np.random.default_rng(seed)
    W1 = rng.normal(0.0, 1 / np.sqrt(n_x), size=(n_h, n_x))
    W2 = rng.normal(0.0, 1 / np.sqrt(n_h), size=(n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


# ---------------------------------------------------------------- initialize_parameters_deep

@mistake("initialize_parameters_deep", "divides W[l] by sqrt(n[l]), the layer's own size, instead of sqrt(n[l-1])")
def initialize_parameters_deep(layer_dims, seed=1):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


@mistake("initialize_parameters_deep", "scales the weights by 0.01 instead of 1 / sqrt(n[l-1])")
def initialize_parameters_deep(layer_dims, seed=1):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


@mistake("initialize_parameters_deep", "gives W[l] the transposed shape (n[l-1], n[l])")
def initialize_parameters_deep(layer_dims, seed=1):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l - 1], layer_dims[l])) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


@mistake("initialize_parameters_deep", "stops one layer early (range(1, L) instead of range(1, L + 1))")
def initialize_parameters_deep(layer_dims, seed=1):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims) - 1):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


@rewrite("initialize_parameters_deep", "uses f-strings for the keys and rng.normal for the draws")
def initialize_parameters_deep(layer_dims, seed=1):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l, (n, n_prev) in enumerate(zip(layer_dims[1:], layer_dims[:-1]), start=1):
        parameters[f"W{l}"] = rng.normal(0.0, 1 / np.sqrt(n_prev), size=(n, n_prev))
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


# ---------------------------------------------------------------- linear_forward

@mistake("linear_forward", "forgets to add the bias b")
def linear_forward(A_prev, W, b):
    return W @ A_prev, (A_prev, W, b)


@mistake("linear_forward", "multiplies by the transposed weights W^T")
def linear_forward(A_prev, W, b):
    return W.T @ A_prev + b, (A_prev, W, b)


@mistake("linear_forward", "adds b^T (a row) instead of the column b")
def linear_forward(A_prev, W, b):
    return W @ A_prev + b.T, (A_prev, W, b)


@rewrite("linear_forward", "uses np.dot")
def linear_forward(A_prev, W, b):
    Z = np.dot(W, A_prev) + b
    return Z, (A_prev, W, b)


@rewrite("linear_forward", "uses np.einsum")
def linear_forward(A_prev, W, b):
    return np.einsum("ij,jk->ik", W, A_prev) + b, (A_prev, W, b)


# ---------------------------------------------------------------- linear_activation_forward

@mistake("linear_activation_forward", "swaps the activations: ReLU in the sigmoid branch and sigmoid in the ReLU branch")
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = relu(Z) if activation == "sigmoid" else sigmoid(Z)
    return A, (linear_cache, activation_cache)


@mistake("linear_activation_forward", "applies the sigmoid whatever the activation")
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = sigmoid(Z)
    return A, (linear_cache, activation_cache)


@mistake("linear_activation_forward", "caches the output A instead of Z as the activation cache")
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, _ = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, (linear_cache, A)


@mistake("linear_activation_forward", "forgets the activation: returns Z as the layer's output")
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    return Z, (linear_cache, Z)


@rewrite("linear_activation_forward", "writes the activations inline with np.maximum and 1 / (1 + exp(-Z))")
def linear_activation_forward(A_prev, W, b, activation):
    Z = W @ A_prev + b
    A = 1 / (1 + np.exp(-Z)) if activation == "sigmoid" else np.maximum(0, Z)
    return A, ((A_prev, W, b), Z)


# ---------------------------------------------------------------- L_model_forward

@mistake("L_model_forward", "hard-codes the depth L = 3 instead of len(parameters) // 2")
def L_model_forward(X, parameters):
    caches, A, L = [], X, 3
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


@mistake("L_model_forward", "uses the sigmoid on every layer")
def L_model_forward(X, parameters):
    caches, A, L = [], X, len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "sigmoid")
        caches.append(cache)
    return A, caches


@mistake("L_model_forward", "uses ReLU on the output layer too")
def L_model_forward(X, parameters):
    caches, A, L = [], X, len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    return A, caches


@mistake("L_model_forward", "forgets to append the output layer's cache (caches has L - 1 entries)")
def L_model_forward(X, parameters):
    caches, A, L = [], X, len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    return AL, caches


@rewrite("L_model_forward", "loops over all layers and picks the activation by the layer number")
def L_model_forward(X, parameters):
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "sigmoid" if l == L else "relu")
        caches.append(cache)
    return A, caches


# ---------------------------------------------------------------- compute_cost

@mistake("compute_cost", "takes log(AL) and log(1 - AL) without clipping: nan or inf where AL is exactly 0 or 1")
def compute_cost(AL, Y):
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)


@mistake("compute_cost", "forgets the minus sign (the cost comes out negative)")
def compute_cost(AL, Y):
    m = Y.shape[1]
    AL = np.clip(AL, 1e-15, 1 - 1e-15)
    return float(np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)


@mistake("compute_cost", "forgets the 1/m (sums the losses instead of averaging them)")
def compute_cost(AL, Y):
    AL = np.clip(AL, 1e-15, 1 - 1e-15)
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


@mistake("compute_cost", "drops the (1 - Y) log(1 - AL) term")
def compute_cost(AL, Y):
    m = Y.shape[1]
    AL = np.clip(AL, 1e-15, 1 - 1e-15)
    return float(-np.sum(Y * np.log(AL)) / m)


@rewrite("compute_cost", "sums with np.dot of the label rows and the log rows")
def compute_cost(AL, Y):
    m = Y.shape[1]
    A = np.clip(AL, 1e-15, 1 - 1e-15)
    return float(-(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)).item() / m)


@rewrite("compute_cost", "clips with np.minimum and np.maximum, then takes np.mean")
def compute_cost(AL, Y):
    A = np.minimum(np.maximum(AL, 1e-15), 1 - 1e-15)
    return float(np.mean(-(Y * np.log(A) + (1 - Y) * np.log(1 - A))))


# ---------------------------------------------------------------- linear_backward

@mistake("linear_backward", "forgets the 1/m in dW and db")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=1, keepdims=True)


@mistake("linear_backward", "loses keepdims: db has shape (n,) instead of (n, 1)")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1) / m


@mistake("linear_backward", "divides dA_prev by m as well (it is a per-example derivative)")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return W.T @ dZ / m, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


@mistake("linear_backward", "sums db over the wrong axis (axis=0, over the units)")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=0, keepdims=True) / m


@rewrite("linear_backward", "uses np.dot and np.mean(..., keepdims=True)")
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    dW = np.dot(dZ, A_prev.T) / A_prev.shape[1]
    db = np.mean(dZ, axis=1, keepdims=True)
    return np.dot(W.T, dZ), dW, db


# ---------------------------------------------------------------- linear_activation_backward

@mistake("linear_activation_backward", "swaps the derivatives: sigmoid_backward in the ReLU branch and relu_backward in the sigmoid branch")
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    dZ = sigmoid_backward(dA, activation_cache) if activation == "relu" else relu_backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)


@mistake("linear_activation_backward", "skips the activation's derivative (passes dA to linear_backward as dZ)")
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    return linear_backward(dA, linear_cache)


@mistake("linear_activation_backward", "uses relu_backward whatever the activation")
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    return linear_backward(relu_backward(dA, activation_cache), linear_cache)


@mistake("linear_activation_backward", "computes the sigmoid's derivative as Z (1 - Z) instead of s (1 - s) with s = sigmoid(Z)")
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    dZ = relu_backward(dA, Z) if activation == "relu" else dA * Z * (1 - Z)
    return linear_backward(dZ, linear_cache)


@rewrite("linear_activation_backward", "writes both derivatives inline")
def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = dA * (Z > 0)
    else:
        s = 1 / (1 + np.exp(-Z))
        dZ = dA * s * (1 - s)
    return linear_backward(dZ, linear_cache)


# ---------------------------------------------------------------- L_model_backward

@mistake("L_model_backward", "divides by AL and 1 - AL without clipping: nan where AL is stored as exactly 1")
def L_model_backward(AL, Y, caches):
    grads, L = {}, len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = \
            linear_activation_backward(grads["dA" + str(l + 1)], caches[l], "relu")
    return grads


@mistake("L_model_backward", "has the sign of dAL reversed")
def L_model_backward(AL, Y, caches):
    grads, L = {}, len(caches)
    Y = Y.reshape(AL.shape)
    A = np.clip(AL, 1e-15, 1 - 1e-15)
    dAL = Y / A - (1 - Y) / (1 - A)
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = \
            linear_activation_backward(grads["dA" + str(l + 1)], caches[l], "relu")
    return grads


@mistake("L_model_backward", "hard-codes the depth L = 3 instead of len(caches)")
def L_model_backward(AL, Y, caches):
    grads, L = {}, 3
    Y = Y.reshape(AL.shape)
    A = np.clip(AL, 1e-15, 1 - 1e-15)
    dAL = -(Y / A - (1 - Y) / (1 - A))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = \
            linear_activation_backward(grads["dA" + str(l + 1)], caches[l], "relu")
    return grads


@mistake("L_model_backward", "uses the sigmoid's derivative in every layer")
def L_model_backward(AL, Y, caches):
    grads, L = {}, len(caches)
    Y = Y.reshape(AL.shape)
    A = np.clip(AL, 1e-15, 1 - 1e-15)
    dAL = -(Y / A - (1 - Y) / (1 - A))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = \
            linear_activation_backward(grads["dA" + str(l + 1)], caches[l], "sigmoid")
    return grads


@mistake("L_model_backward", "feeds dAL (not the dA of the layer above) to every ReLU layer")
def L_model_backward(AL, Y, caches):
    grads, L = {}, len(caches)
    Y = Y.reshape(AL.shape)
    A = np.clip(AL, 1e-15, 1 - 1e-15)
    dAL = -(Y / A - (1 - Y) / (1 - A))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = \
            linear_activation_backward(np.broadcast_to(dAL, caches[l][1].shape), caches[l], "relu")
    return grads


@rewrite("L_model_backward", "starts the output layer from dZ[L] = AL - Y with linear_backward")
def L_model_backward(AL, Y, caches):
    grads, L = {}, len(caches)
    Y = Y.reshape(AL.shape)
    linear_cache, _ = caches[L - 1]
    grads[f"dA{L - 1}"], grads[f"dW{L}"], grads[f"db{L}"] = linear_backward(AL - Y, linear_cache)
    for l in range(L - 1, 0, -1):
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = \
            linear_activation_backward(grads[f"dA{l}"], caches[l - 1], "relu")
    return grads


# ---------------------------------------------------------------- update_parameters

@mistake("update_parameters", "adds the gradients instead of subtracting them")
def update_parameters(params, grads, learning_rate):
    parameters = {k: v.copy() for k, v in params.items()}
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] + learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] + learning_rate * grads["db" + str(l)]
    return parameters


@mistake("update_parameters", "hard-codes the depth L = 3 instead of len(parameters) // 2")
def update_parameters(params, grads, learning_rate):
    parameters = {k: v.copy() for k, v in params.items()}
    for l in range(1, 4):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


@mistake("update_parameters", "updates the weights but not the biases")
def update_parameters(params, grads, learning_rate):
    parameters = {k: v.copy() for k, v in params.items()}
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
    return parameters


@mistake("update_parameters", "stops one layer early (range(1, L) instead of range(1, L + 1))")
def update_parameters(params, grads, learning_rate):
    parameters = {k: v.copy() for k, v in params.items()}
    for l in range(1, len(parameters) // 2):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


@rewrite("update_parameters", "builds the new dict in one comprehension over its keys")
def update_parameters(params, grads, learning_rate):
    return {k: v - learning_rate * grads["d" + k] for k, v in params.items()}
