"""Reference building blocks of a fully connected network, and a logistic-regression baseline.

The same steps a student writes in c1w4a (deep network step by step), kept here in reference
form so that later assignments do not depend on a student's answers. Conventions:

- X has shape (n_x, m), one example per column; Y has shape (1, m) with labels 0 or 1.
- parameters is a dict {"W1", "b1", ..., "WL", "bL"}: W{l} has shape (n[l], n[l-1]),
  b{l} has shape (n[l], 1). Weights are drawn from N(0, 1) / sqrt(n[l-1]) with
  np.random.default_rng(seed), layer by layer; biases start at zero.
- The network is L-1 ReLU layers followed by one sigmoid unit.
- Forward functions return (output, cache); backward functions take (d_output, cache).
- The cost and the derivative dAL clip AL to [EPS, 1 - EPS] first: a saturated output (stored as
  exactly 0 or 1) then gives finite numbers instead of inf or nan; other outputs are unchanged.
"""
import numpy as np

from dnn_utils import relu, relu_backward, sigmoid, sigmoid_backward

EPS = 1e-15   # outputs are kept inside [EPS, 1 - EPS] before logarithms and divisions


# ---------------------------------------------------------------- initialisation

def initialize_parameters_deep(layer_dims, seed=1):
    """Parameters of a network with layer sizes layer_dims = [n_x, n_1, ..., n_L].

    Returns {"W{l}": (n[l], n[l-1]) array of N(0, 1) / sqrt(n[l-1]) draws, "b{l}": (n[l], 1) zeros}.
    """
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l - 1])
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def initialize_parameters(n_x, n_h, n_y, seed=1):
    """Parameters of a 2-layer network n_x -> n_h -> n_y: W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1).

    Same draws as initialize_parameters_deep([n_x, n_h, n_y], seed).
    """
    return initialize_parameters_deep([n_x, n_h, n_y], seed)


# ---------------------------------------------------------------- forward

def linear_forward(A_prev, W, b):
    """Z = W A_prev + b. A_prev (n[l-1], m), W (n[l], n[l-1]), b (n[l], 1) -> Z (n[l], m), cache (A_prev, W, b)."""
    Z = W @ A_prev + b
    return Z, (A_prev, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """One layer: A = g(W A_prev + b) with g "relu" or "sigmoid".

    A_prev (n[l-1], m), W (n[l], n[l-1]), b (n[l], 1) -> A (n[l], m), cache (linear_cache, activation_cache).
    """
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "relu":
        A, activation_cache = relu(Z)
    elif activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    else:
        raise ValueError(f"unknown activation {activation!r} (use 'relu' or 'sigmoid')")
    return A, (linear_cache, activation_cache)


def L_model_forward(X, parameters):
    """Forward pass through L-1 ReLU layers and a sigmoid output layer.

    X (n_x, m), parameters as above -> AL (1, m) probabilities, caches: a list of L layer caches.
    """
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    """Cross-entropy cost -(1/m) sum(Y log AL + (1 - Y) log(1 - AL)). AL, Y (1, m) -> a Python float.

    AL is clipped to [EPS, 1 - EPS] first, so a saturated output gives a finite cost.
    """
    m = Y.shape[1]
    AL = np.clip(AL, EPS, 1 - EPS)
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)


# ---------------------------------------------------------------- backward

def linear_backward(dZ, cache):
    """Gradients of Z = W A_prev + b. dZ (n[l], m), cache (A_prev, W, b) -> dA_prev, dW, db (shapes of A_prev, W, b)."""
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    """Backward through one layer A = g(W A_prev + b). dA (n[l], m) -> dA_prev, dW, db."""
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    else:
        raise ValueError(f"unknown activation {activation!r} (use 'relu' or 'sigmoid')")
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    """Gradients of the cross-entropy cost for the network of L_model_forward.

    AL, Y (1, m), caches from L_model_forward -> grads {"dA{l-1}", "dW{l}", "db{l}"} for l = 1..L
    (dA{l-1} has the shape of A{l-1}; dW{l}, db{l} the shapes of W{l}, b{l}).
    dAL is computed from AL clipped to [EPS, 1 - EPS], so a saturated output gives no nan.
    """
    L = len(caches)
    Y = Y.reshape(AL.shape)
    grads = {}
    AL = np.clip(AL, EPS, 1 - EPS)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA, grads[f"dW{L}"], grads[f"db{L}"] = linear_activation_backward(dA, caches[L - 1], "sigmoid")
    grads[f"dA{L - 1}"] = dA
    for l in reversed(range(1, L)):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], "relu")
        grads[f"dA{l - 1}"] = dA
    return grads


def update_parameters(params, grads, learning_rate):
    """One step of gradient descent: W{l} -= learning_rate * dW{l}, b{l} -= learning_rate * db{l}.

    Returns a new dict; `params` is left unchanged.
    """
    L = len(params) // 2
    parameters = {}
    for l in range(1, L + 1):
        parameters[f"W{l}"] = params[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        parameters[f"b{l}"] = params[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return parameters


def predict(X, parameters):
    """Labels predicted by the network: 1 where AL > 0.5, else 0. X (n_x, m) -> (1, m) int array."""
    AL, _ = L_model_forward(X, parameters)
    return (AL > 0.5).astype(int)


def accuracy(predictions, Y):
    """Fraction of the m labels predicted right. predictions, Y (1, m) -> a float in [0, 1]."""
    return float(np.mean(predictions == Y))


# ---------------------------------------------------------------- logistic-regression baseline

def logistic_regression(X, Y, num_iterations=1000, learning_rate=0.5):
    """Logistic regression y_hat = sigmoid(w.T x + b) trained by batch gradient descent from zeros.

    X (n_x, m), Y (1, m) -> w (n_x, 1), b (float), costs (list: the cost every 100 iterations).
    It is the network of L_model_forward with no hidden layer.
    """
    n_x, m = X.shape
    w, b, costs = np.zeros((n_x, 1)), 0.0, []
    for i in range(num_iterations):
        A, _ = sigmoid(w.T @ X + b)
        if i % 100 == 0:
            costs.append(compute_cost(A, Y))
        dZ = A - Y
        w = w - learning_rate * (X @ dZ.T) / m
        b = b - learning_rate * float(np.sum(dZ)) / m
    return w, b, costs


def logistic_predict(X, w, b):
    """Labels of logistic regression: 1 where sigmoid(w.T x + b) > 0.5. X (n_x, m) -> (1, m) int array."""
    return ((w.T @ X + b) > 0).astype(int)
