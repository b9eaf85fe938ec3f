"""The 3-layer binary classifier of Course 2, week 1, written out layer by layer.

    X -> LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID -> A3

Conventions (the same as utils/deep_nn.py, whose update_parameters, predict and accuracy we reuse):

- X has shape (n_x, m), one example per column; Y has shape (1, m) with labels 0 or 1.
- parameters is a dict {"W1", "b1", "W2", "b2", "W3", "b3"}: W{l} has shape (n[l], n[l-1]) and
  b{l} has shape (n[l], 1), with n[0] = n_x and n[3] = 1.
- The cache of forward_propagation is a dict holding every array the backward pass needs:
  "Z1", "A1", "Z2", "A2", "Z3", "A3" (Z{l}, A{l} of shape (n[l], m)) and the six parameters.
- grads is a dict {"dW1", "db1", "dW2", "db2", "dW3", "db3"}, each of the shape of its parameter.
"""
import numpy as np

from deep_nn import accuracy, predict, update_parameters  # noqa: F401  (re-exported for the notebooks)
from dnn_utils import relu, relu_backward, sigmoid

PARAMETER_NAMES = ("W1", "b1", "W2", "b2", "W3", "b3")


def forward_propagation(X, parameters):
    """Forward pass, no regularisation.

    X (n_x, m), parameters as above -> A3 (1, m) probabilities, cache (a dict, see the module docstring).
    """
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in PARAMETER_NAMES)
    Z1 = W1 @ X + b1
    A1, _ = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2, _ = relu(Z2)
    Z3 = W3 @ A2 + b3
    A3, _ = sigmoid(Z3)
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2, "Z3": Z3, "A3": A3,
             "W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}
    return A3, cache


def compute_cost(A3, Y, eps=1e-15):
    """Cross-entropy cost -(1/m) sum(Y log A3 + (1 - Y) log(1 - A3)).

    A3, Y (1, m) -> a Python float. A3 is clipped to [eps, 1 - eps] first, so a saturated output
    (exactly 0 or 1, as very large weights produce) gives a large finite cost instead of inf or nan.
    For outputs inside (eps, 1 - eps) the clipping changes nothing.
    """
    m = Y.shape[1]
    A = np.clip(A3, eps, 1 - eps)
    return float(-(np.sum(Y * np.log(A)) + np.sum((1 - Y) * np.log(1 - A))) / m)


def backward_propagation(X, Y, cache):
    """Gradients of compute_cost with respect to the parameters, no regularisation.

    X (n_x, m), Y (1, m), cache from forward_propagation -> grads {"dW1", "db1", ..., "db3"}
    (each of the shape of its parameter).
    """
    m = X.shape[1]
    dZ3 = cache["A3"] - Y                                   # (1, m): sigmoid + cross-entropy
    dW3 = dZ3 @ cache["A2"].T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = cache["W3"].T @ dZ3
    dZ2 = relu_backward(dA2, cache["Z2"])
    dW2 = dZ2 @ cache["A1"].T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = cache["W2"].T @ dZ2
    dZ1 = relu_backward(dA1, cache["Z1"])
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}


def train(X, Y, parameters, learning_rate=0.1, num_iterations=10000, forward=None, backward=None,
          cost=None, record_every=100, print_every=None):
    """Batch gradient descent on the 3-layer network, starting from `parameters` (left unchanged).

    X (n_x, m), Y (1, m). The three steps can be swapped for regularised versions:
      forward(X, parameters)       -> (A3, cache)      default: forward_propagation
      backward(X, Y, cache)        -> grads            default: backward_propagation
      cost(A3, Y, parameters)      -> float            default: compute_cost(A3, Y)
    The cost is recorded every `record_every` iterations (and printed every `print_every`, if given).
    Returns (parameters after training, costs: a list of floats, costs[k] at iteration k * record_every).
    """
    forward = forward or forward_propagation
    backward = backward or backward_propagation
    cost = cost or (lambda A3, Y, parameters: compute_cost(A3, Y))
    costs = []
    for i in range(num_iterations):
        A3, cache = forward(X, parameters)
        if i % record_every == 0:
            costs.append(cost(A3, Y, parameters))
            if print_every and i % print_every == 0:
                print(f"cost after iteration {i:6d}: {costs[-1]:.6f}")
        grads = backward(X, Y, cache)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs
