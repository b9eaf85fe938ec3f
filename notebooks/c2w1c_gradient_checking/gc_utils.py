"""A small fully connected network and the vector helpers used for gradient checking (c2w1c).

Network: X (n_x, m) -> LINEAR -> TANH -> ... -> LINEAR -> TANH -> LINEAR -> SIGMOID -> cost,
with tanh in the hidden layers (smooth, so finite differences see no kinks) and the mean
binary cross-entropy as cost. Parameters are a dict {"W1", "b1", ..., "WL", "bL"} with
W{l} of shape (n[l], n[l-1]) and b{l} of shape (n[l], 1); gradients use the keys "dW{l}", "db{l}".

Vector layout. `dictionary_to_vector` stacks the parameters into one column vector theta of
shape (n_params, 1) in the order W1, b1, W2, b2, ..., WL, bL (by layer number, W before b,
whatever the dict's insertion order), each array flattened row by row (NumPy's C order).
`gradients_to_vector` stacks "dW{l}", "db{l}" in the same order, so grad[i] is the derivative
of the cost with respect to theta[i]. `vector_to_dictionary` undoes `dictionary_to_vector`.
"""
import re

import numpy as np

from dnn_utils import sigmoid, tanh, tanh_backward

_KEY = re.compile(r"^([Wb])(\d+)$")


def parameter_order(parameters):
    """The parameter names in vector order: ["W1", "b1", "W2", "b2", ...]. Other keys are an error."""
    found = []
    for key in parameters:
        m = _KEY.match(key)
        if not m:
            raise KeyError(f"unexpected parameter name {key!r} (expected W1, b1, W2, b2, ...)")
        found.append((int(m.group(2)), m.group(1) == "b", key))
    return [key for _, _, key in sorted(found)]


def dictionary_to_vector(parameters):
    """Stack the parameters into one column vector.

    Arguments:
    parameters -- dict {"W1": (n1, n0), "b1": (n1, 1), ..., "WL": (nL, nL-1), "bL": (nL, 1)}

    Returns:
    theta  -- numpy array of shape (n_params, 1), n_params = total number of entries
    shapes -- list of (name, shape) pairs in vector order, e.g. [("W1", (4, 3)), ("b1", (4, 1)), ...];
              pass it to vector_to_dictionary and gradients_to_vector
    """
    shapes = [(key, tuple(np.shape(parameters[key]))) for key in parameter_order(parameters)]
    theta = np.concatenate([np.asarray(parameters[key], dtype=np.float64).reshape(-1) for key, _ in shapes])
    return theta.reshape(-1, 1), shapes


def vector_to_dictionary(theta, shapes):
    """Unstack a column vector into a parameters dict (new arrays; theta is not modified).

    Arguments:
    theta  -- numpy array of shape (n_params, 1) (or (n_params,))
    shapes -- list of (name, shape) pairs as returned by dictionary_to_vector

    Returns:
    parameters -- dict {name: array of that shape}, in the order of `shapes`
    """
    flat = np.asarray(theta, dtype=np.float64).reshape(-1)
    sizes = [int(np.prod(shape)) for _, shape in shapes]
    if flat.size != sum(sizes):
        raise ValueError(f"theta has {flat.size} entries, the shapes need {sum(sizes)}")
    parameters, start = {}, 0
    for (key, shape), size in zip(shapes, sizes):
        parameters[key] = flat[start:start + size].reshape(shape).copy()
        start += size
    return parameters


def gradients_to_vector(gradients, shapes):
    """Stack the gradients "dW1", "db1", ... into a column vector lined up with dictionary_to_vector.

    Arguments:
    gradients -- dict holding "d" + name for every name in `shapes` (other keys, e.g. "dA1", are ignored)
    shapes    -- list of (name, shape) pairs as returned by dictionary_to_vector

    Returns:
    grad -- numpy array of shape (n_params, 1); grad[i] is dJ/dtheta[i]
    """
    pieces = []
    for key, shape in shapes:
        g = np.asarray(gradients["d" + key], dtype=np.float64)
        if g.shape != shape:
            raise ValueError(f"d{key} has shape {g.shape}, expected {shape}")
        pieces.append(g.reshape(-1))
    return np.concatenate(pieces).reshape(-1, 1)


def initialize_parameters(layer_dims, seed=0):
    """Random parameters for the network, drawn with numpy's default_rng(seed).

    Arguments:
    layer_dims -- list [n_x, n1, ..., nL] of layer sizes (nL = 1 for the sigmoid output)
    seed       -- int

    Returns:
    parameters -- dict W{l}: (n[l], n[l-1]) ~ N(0, 1/n[l-1]), b{l}: (n[l], 1) ~ N(0, 0.1^2)
    """
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.normal(size=(layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l - 1])
        parameters[f"b{l}"] = 0.1 * rng.normal(size=(layer_dims[l], 1))
    return parameters


def forward_propagation_n(X, Y, parameters):
    """Forward pass and cost of the network.

    Arguments:
    X -- inputs, shape (n_x, m)
    Y -- labels in {0, 1}, shape (1, m)
    parameters -- dict W1, b1, ..., WL, bL (any number of layers L >= 1)

    Returns:
    cost  -- float, the mean cross-entropy -1/m sum(Y log AL + (1 - Y) log(1 - AL))
    cache -- dict with "A0" = X and, for l = 1..L, "Z{l}" (n[l], m) and "A{l}" (n[l], m)
    """
    L = len(parameters) // 2
    cache = {"A0": X}
    A = X
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        A, _ = sigmoid(Z) if l == L else tanh(Z)
        cache[f"Z{l}"], cache[f"A{l}"] = Z, A
    m = X.shape[1]
    ZL = cache[f"Z{L}"]
    # log(sigmoid(z)) = -logaddexp(0, -z): exact and safe even when sigmoid(z) rounds to 0 or 1
    cost = float(np.sum(Y * np.logaddexp(0, -ZL) + (1 - Y) * np.logaddexp(0, ZL)) / m)
    cache["parameters"] = parameters
    return cost, cache


def backward_propagation_n(X, Y, cache):
    """Reference backward pass of the network (correct), for the cost of forward_propagation_n.

    Arguments:
    X -- inputs, shape (n_x, m)
    Y -- labels, shape (1, m)
    cache -- the cache returned by forward_propagation_n

    Returns:
    gradients -- dict with "dW{l}" (n[l], n[l-1]) and "db{l}" (n[l], 1) for l = 1..L
    """
    parameters = cache["parameters"]
    L = len(parameters) // 2
    m = X.shape[1]
    gradients = {}
    dZ = cache[f"A{L}"] - Y
    for l in range(L, 0, -1):
        gradients[f"dW{l}"] = dZ @ cache[f"A{l - 1}"].T / m
        gradients[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        if l > 1:
            dA = parameters[f"W{l}"].T @ dZ
            dZ = tanh_backward(dA, cache[f"Z{l - 1}"])
    return gradients
