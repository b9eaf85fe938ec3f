"""A small character-level RNN, one sequence at a time (batch size m = 1), for c5w1b.

Notation (vocab_size = V characters, n_a hidden units, a sequence of T characters):
    x<t>  (V, 1)   one-hot input of step t; the first input of a name is the zero vector
    a<t>  (n_a, 1) a<t> = tanh(Wax x<t> + Waa a<t-1> + b)
    y^<t> (V, 1)   y^<t> = softmax(Wya a<t> + by): probabilities of the next character
Parameters: Wax (n_a, V), Waa (n_a, n_a), Wya (V, n_a), b (n_a, 1), by (V, 1).
A sequence is given as two lists of T entries: X, the input indices (None stands for the zero
vector), and Y, the target indices (Y[t] is the character that should follow X[t]). The loss of a
sequence is the SUM over its steps of the cross-entropy -log y^<t>[Y[t]]. Inside a sequence the
time steps are the columns of (V, T) and (n_a, T) arrays (the batch axis m = 1 is dropped); the
input projections, the outputs and the weight gradients are single matrix products over all steps,
and only the recurrence itself loops over time.
"""
import numpy as np

PARAMETER_NAMES = ("Wax", "Waa", "Wya", "b", "by")


def softmax(z):
    """Softmax of each column of z (V, m) -> (V, m); the columns sum to 1."""
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def initialize_parameters(n_a, n_x, n_y, seed=0):
    """Small random weights (normal, std 0.01) and zero biases.

    Returns parameters -- dict: Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), b (n_a, 1), by (n_y, 1).
    Drawn in the order Wax, Waa, Wya from np.random.default_rng(seed).
    """
    rng = np.random.default_rng(seed)
    return {"Wax": 0.01 * rng.standard_normal((n_a, n_x)),
            "Waa": 0.01 * rng.standard_normal((n_a, n_a)),
            "Wya": 0.01 * rng.standard_normal((n_y, n_a)),
            "b": np.zeros((n_a, 1)),
            "by": np.zeros((n_y, 1))}


def one_hot(index, vocab_size):
    """(vocab_size, 1) column with a 1 at `index`; all zeros when index is None."""
    x = np.zeros((vocab_size, 1))
    if index is not None:
        x[index] = 1.0
    return x


def rnn_step_forward(parameters, a_prev, x):
    """One step: a_prev (n_a, 1), x (V, 1) -> (a_next (n_a, 1), y_hat (V, 1))."""
    a_next = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a_prev + parameters["b"])
    y_hat = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, y_hat


def rnn_forward(X, Y, a0, parameters):
    """Forward pass over one sequence of T steps (one sequence, so the batch axis m = 1 is dropped).

    X, Y -- lists of T indices (X may contain None: the zero input); a0 -- (n_a, 1) initial state.
    Returns:
    loss -- float, the summed cross-entropy of the T steps
    cache -- dict: "x" (V, T) the one-hot inputs (column t is x<t>), "a" (n_a, T + 1) the hidden
             states (column 0 is a0, column t + 1 is a<t>, so cache["a"][:, -1:] is the last state),
             "y_hat" (V, T) the predicted probabilities
    """
    vocab_size, T = parameters["Wax"].shape[1], len(X)
    x = np.zeros((vocab_size, T))
    for t, index in enumerate(X):
        if index is not None:
            x[index, t] = 1.0
    inputs = parameters["Wax"] @ x + parameters["b"]          # (n_a, T): Wax x<t> + b for every t
    a = np.empty((a0.shape[0], T + 1))
    a[:, 0] = a0[:, 0]
    Waa = parameters["Waa"]
    for t in range(T):
        a[:, t + 1] = np.tanh(inputs[:, t] + Waa @ a[:, t])
    y_hat = softmax(parameters["Wya"] @ a[:, 1:] + parameters["by"])
    loss = -np.sum(np.log(y_hat[Y, np.arange(T)]))
    return float(loss), {"x": x, "a": a, "y_hat": y_hat}


def rnn_backward(X, Y, parameters, cache):
    """Backpropagation through time for the loss of rnn_forward.

    Returns gradients -- dict dWax, dWaa, dWya, db, dby, each the shape of its parameter: the
    derivatives of the summed loss (not averaged over the steps).
    """
    x, a, y_hat = cache["x"], cache["a"], cache["y_hat"]
    T = x.shape[1]
    dy = y_hat.copy()
    dy[Y, np.arange(T)] -= 1.0                                # d loss / d (Wya a<t> + by), (V, T)
    da_out = parameters["Wya"].T @ dy                         # (n_a, T): from each step's output
    dz = np.empty_like(da_out)                                # d loss / d (pre-activation of a<t>)
    da_next = np.zeros(a.shape[0])
    WaaT = parameters["Waa"].T
    for t in reversed(range(T)):
        dz[:, t] = (1.0 - a[:, t + 1] ** 2) * (da_out[:, t] + da_next)
        da_next = WaaT @ dz[:, t]
    return {"dWax": dz @ x.T, "dWaa": dz @ a[:, :-1].T, "dWya": dy @ a[:, 1:].T,
            "db": dz.sum(axis=1, keepdims=True), "dby": dy.sum(axis=1, keepdims=True)}


def update_parameters(parameters, gradients, learning_rate):
    """Gradient descent step: returns a new dict with P - learning_rate * dP for each parameter P.

    The arrays of `parameters` are left unchanged.
    """
    return {k: parameters[k] - learning_rate * gradients["d" + k] for k in PARAMETER_NAMES}


def get_initial_loss(vocab_size, seq_length):
    """Loss of a model that predicts all characters with equal probability, for seq_length steps."""
    return -np.log(1.0 / vocab_size) * seq_length


def smooth(previous, current, beta=0.999):
    """Exponential moving average step: beta * previous + (1 - beta) * current."""
    return beta * previous + (1 - beta) * current
