"""What the optimisation assignment (c2w2) needs besides the optimisers, in one import.

Most of it is re-exported from the shared helpers, so that every assignment trains the same
network on the same data generators:

- make_moons(m, noise, seed) -> X (2, m), Y (1, m) int labels     (planar_utils)
- plot_points(X, Y, ax, title), plot_decision_boundary(predict_fn, X, Y, ax, title=...)   (planar_utils)
- the three-layer network LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID:
  forward_propagation(X, parameters) -> (A3, cache), compute_cost(A3, Y) -> float,
  backward_propagation(X, Y, cache) -> grads {"dW1", "db1", ..., "db3"}   (three_layer_net)
- predict(X, parameters) -> (1, m) int labels, accuracy(predictions, Y) -> float   (deep_nn)

and one function of its own, He initialisation for a list of layer sizes.
Shapes: X (n_x, m), one example per column; W{l} (n[l], n[l-1]); b{l} (n[l], 1).
"""
import numpy as np

from deep_nn import accuracy, predict  # noqa: F401  (re-exported)
from planar_utils import make_moons, plot_decision_boundary, plot_points  # noqa: F401  (re-exported)
from three_layer_net import backward_propagation, compute_cost, forward_propagation  # noqa: F401  (re-exported)


def initialize_parameters_he(layer_dims, seed=0):
    """He initialisation, for ReLU layers, drawn with numpy's default_rng(seed).

    Arguments:
    layer_dims -- list [n_x, n1, ..., nL] of layer sizes
    seed -- int

    Returns:
    parameters -- dict "W{l}": (n[l], n[l-1]) array of N(0, 2 / n[l-1]) draws, "b{l}": (n[l], 1) zeros
    """
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2.0 / layer_dims[l - 1])
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters
