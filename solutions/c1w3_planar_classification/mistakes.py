"""Mistake catalogue for c1w3_planar_classification: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ---------------------------------------------------------------- layer_sizes

@mistake("layer_sizes", "reads n_x from X.shape[1], the number of examples, instead of the number of rows")
def layer_sizes(X, Y, n_h=4):
    return (X.shape[1], n_h, Y.shape[0])


@mistake("layer_sizes", "reads n_y from Y.shape[1], the number of examples, instead of the number of rows")
def layer_sizes(X, Y, n_h=4):
    return (X.shape[0], n_h, Y.shape[1])


@mistake("layer_sizes", "hard-codes the flower's sizes n_x = 2 and n_y = 1")
def layer_sizes(X, Y, n_h=4):
    return (2, n_h, 1)


@rewrite("layer_sizes", "uses len(X) and len(Y)")
def layer_sizes(X, Y, n_h=4):
    return (len(X), n_h, len(Y))


# ---------------------------------------------------------------- initialize_parameters

@mistake("initialize_parameters", "forgets to scale the weights by 0.01")
def initialize_parameters(n_x, n_h, n_y, seed=1):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_h, n_x))
    W2 = rng.standard_normal((n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


@mistake("initialize_parameters", "draws W2 before W1 from the generator")
def initialize_parameters(n_x, n_h, n_y, seed=1):
    rng = np.random.default_rng(seed)
    W2 = rng.standard_normal((n_y, n_h)) * 0.01
    W1 = rng.standard_normal((n_h, n_x)) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


@mistake("initialize_parameters", "gives W1 the transposed shape (n_x, n_h)")
def initialize_parameters(n_x, n_h, n_y, seed=1):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_x, n_h)) * 0.01
    W2 = rng.standard_normal((n_y, n_h)) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


@mistake("initialize_parameters", "makes the biases flat vectors of shape (n,) instead of columns (n, 1)")
def initialize_parameters(n_x, n_h, n_y, seed=1):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_h, n_x)) * 0.01
    W2 = rng.standard_normal((n_y, n_h)) * 0.01
    return {"W1": W1, "b1": np.zeros(n_h), "W2": W2, "b2": np.zeros(n_y)}


@rewrite("initialize_parameters", "draws with rng.normal(0, 0.01, size)")
def initialize_parameters(n_x, n_h, n_y, seed=1):
    rng = np.random.default_rng(seed)
    W1 = rng.normal(0.0, 0.01, size=(n_h, n_x))
    W2 = rng.normal(0.0, 0.01, size=(n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}


# ---------------------------------------------------------------- forward_propagation

@mistake("forward_propagation", "uses the sigmoid in the hidden layer instead of tanh")
def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1, _ = sigmoid(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2, _ = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@mistake("forward_propagation", "uses tanh at the output instead of the sigmoid")
def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = np.tanh(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@mistake("forward_propagation", "forgets the biases b1 and b2")
def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1
    A2, _ = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@mistake("forward_propagation", "feeds Z1 instead of A1 = tanh(Z1) to the output layer")
def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ Z1 + parameters["b2"]
    A2, _ = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


@rewrite("forward_propagation", "uses the @ operator and writes the sigmoid as 1 / (1 + exp(-Z2))")
def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


# ---------------------------------------------------------------- compute_cost

@mistake("compute_cost", "takes log(A2) and log(1 - A2) without clipping: nan or inf where A2 is exactly 0 or 1")
def compute_cost(A2, Y):
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m)


@mistake("compute_cost", "forgets the minus sign (the cost comes out negative)")
def compute_cost(A2, Y):
    m = Y.shape[1]
    A2 = np.clip(A2, 1e-15, 1 - 1e-15)
    return float(np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m)


@mistake("compute_cost", "forgets the 1/m (sums the losses instead of averaging them)")
def compute_cost(A2, Y):
    A2 = np.clip(A2, 1e-15, 1 - 1e-15)
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))


@mistake("compute_cost", "drops the (1 - Y) log(1 - A2) term")
def compute_cost(A2, Y):
    m = Y.shape[1]
    A2 = np.clip(A2, 1e-15, 1 - 1e-15)
    return float(-np.sum(Y * np.log(A2)) / m)


@rewrite("compute_cost", "uses np.mean after clipping with np.minimum and np.maximum")
def compute_cost(A2, Y):
    A = np.minimum(np.maximum(A2, 1e-15), 1 - 1e-15)
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


@rewrite("compute_cost", "sums with np.dot of the label rows and the log rows")
def compute_cost(A2, Y):
    A = np.clip(A2, 1e-15, 1 - 1e-15)
    return float(-(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)).item() / Y.shape[1])


# ---------------------------------------------------------------- backward_propagation

@mistake("backward_propagation", "uses 1 - A1 instead of 1 - A1**2 as the derivative of tanh")
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = parameters["W2"].T @ dZ2 * (1 - A1)
    return {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}


@mistake("backward_propagation", "uses the sigmoid's derivative A1 (1 - A1) for the tanh layer")
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = parameters["W2"].T @ dZ2 * A1 * (1 - A1)
    return {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}


@mistake("backward_propagation", "forgets the 1/m in dW1 and dW2")
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = parameters["W2"].T @ dZ2 * (1 - A1 ** 2)
    return {"dW1": dZ1 @ X.T, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": dZ2 @ A1.T, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}


@mistake("backward_propagation", "loses keepdims: db1 and db2 have shape (n,) instead of (n, 1)")
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = parameters["W2"].T @ dZ2 * (1 - A1 ** 2)
    return {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1) / m,
            "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1) / m}


@mistake("backward_propagation", "uses Y - A2 instead of A2 - Y for dZ2 (every gradient has the wrong sign)")
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = Y - A2
    dZ1 = parameters["W2"].T @ dZ2 * (1 - A1 ** 2)
    return {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m,
            "dW2": dZ2 @ A1.T / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m}


@rewrite("backward_propagation", "uses np.dot and np.mean(..., keepdims=True), and tanh' from Z1")
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = np.dot(parameters["W2"].T, dZ2) / np.cosh(cache["Z1"]) ** 2
    return {"dW1": np.dot(dZ1, X.T) / m, "db1": np.mean(dZ1, axis=1, keepdims=True),
            "dW2": np.dot(dZ2, cache["A1"].T) / m, "db2": np.mean(dZ2, axis=1, keepdims=True)}


# ---------------------------------------------------------------- update_parameters

@mistake("update_parameters", "adds the gradients instead of subtracting them")
def update_parameters(parameters, grads, learning_rate=1.2):
    return {k: parameters[k] + learning_rate * grads["d" + k] for k in ("W1", "b1", "W2", "b2")}


@mistake("update_parameters", "uses the fixed step 1.2 instead of the learning_rate argument")
def update_parameters(parameters, grads, learning_rate=1.2):
    return {k: parameters[k] - 1.2 * grads["d" + k] for k in ("W1", "b1", "W2", "b2")}


@mistake("update_parameters", "updates the weights but not the biases")
def update_parameters(parameters, grads, learning_rate=1.2):
    return {"W1": parameters["W1"] - learning_rate * grads["dW1"], "b1": parameters["b1"],
            "W2": parameters["W2"] - learning_rate * grads["dW2"], "b2": parameters["b2"]}


@rewrite("update_parameters", "builds the new dict in one comprehension")
def update_parameters(parameters, grads, learning_rate=1.2):
    return {k: parameters[k] - learning_rate * grads["d" + k] for k in ("W1", "b1", "W2", "b2")}


# ---------------------------------------------------------------- nn_model

@mistake("nn_model", "does not pass learning_rate to update_parameters (its default 1.2 is used)")
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, seed=1, learning_rate=1.2):
    n_x, _, n_y = layer_sizes(X, Y, n_h)
    parameters = initialize_parameters(n_x, n_h, n_y, seed)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        parameters = update_parameters(parameters, backward_propagation(parameters, cache, X, Y))
    return parameters


@mistake("nn_model", "does not pass seed to initialize_parameters (its default seed 1 is used)")
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, seed=1, learning_rate=1.2):
    n_x, _, n_y = layer_sizes(X, Y, n_h)
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        parameters = update_parameters(parameters, backward_propagation(parameters, cache, X, Y), learning_rate)
    return parameters


@mistake("nn_model", "re-initialises the parameters inside the loop (every iteration starts again from scratch)")
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, seed=1, learning_rate=1.2):
    n_x, _, n_y = layer_sizes(X, Y, n_h)
    for i in range(num_iterations):
        parameters = initialize_parameters(n_x, n_h, n_y, seed)
        A2, cache = forward_propagation(X, parameters)
        parameters = update_parameters(parameters, backward_propagation(parameters, cache, X, Y), learning_rate)
    return parameters


@mistake("nn_model", "hard-codes 4 hidden units instead of n_h")
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, seed=1, learning_rate=1.2):
    n_x, _, n_y = layer_sizes(X, Y, 4)
    parameters = initialize_parameters(n_x, 4, n_y, seed)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        parameters = update_parameters(parameters, backward_propagation(parameters, cache, X, Y), learning_rate)
    return parameters


@rewrite("nn_model", "calls every step with keyword arguments and skips the unused cost")
def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, seed=1, learning_rate=1.2):
    n_x, _, n_y = layer_sizes(X, Y, n_h=n_h)
    parameters = initialize_parameters(n_x=n_x, n_h=n_h, n_y=n_y, seed=seed)
    for _ in range(num_iterations):
        _, cache = forward_propagation(X=X, parameters=parameters)
        grads = backward_propagation(parameters=parameters, cache=cache, X=X, Y=Y)
        parameters = update_parameters(parameters=parameters, grads=grads, learning_rate=learning_rate)
    return parameters


# ---------------------------------------------------------------- predict

@mistake("predict", "thresholds A2 at 0 instead of 0.5 (every probability is above 0)")
def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return (A2 > 0).astype(int)


@mistake("predict", "thresholds the score Z2 at 0.5 instead of the probability A2")
def predict(parameters, X):
    _, cache = forward_propagation(X, parameters)
    return (cache["Z2"] > 0.5).astype(int)


@mistake("predict", "returns the probabilities A2 themselves")
def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return A2


@rewrite("predict", "tests the score Z2 > 0 (A2 > 0.5 exactly when Z2 > 0)")
def predict(parameters, X):
    _, cache = forward_propagation(X, parameters)
    return (cache["Z2"] > 0).astype(int)


@rewrite("predict", "uses np.where(A2 > 0.5, 1, 0)")
def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return np.where(A2 > 0.5, 1, 0)
