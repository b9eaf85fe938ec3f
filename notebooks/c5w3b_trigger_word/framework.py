"""A small neural-network framework in NumPy: the reference version of the one built in Course 2, week 3.

Data layout (the course's convention, decided once):
    a batch of feature vectors is a matrix of shape (n, m), ONE EXAMPLE PER COLUMN, as in Courses 1-2;
    class labels are integers of shape (m,), or one-hot matrices of shape (C, m);
    images (Course 4) are (m, n_H, n_W, n_C), batch first; `Flatten` turns them into columns
    (n_H * n_W * n_C, m), and `BatchNorm` also accepts channels-last images.

Two levels:
    functions  plain arrays in, plain arrays out: `*_forward(...) -> (out, cache)`,
               `*_backward(dout, cache) -> gradients`; these are what the assignment grades.
    classes    hold parameters and caches. A layer has
                   params, grads   dicts of arrays with the same keys (optimisers update params in place)
                   training        bool; only BatchNorm behaves differently when it is False
                   forward(x)      returns the output and keeps in self.cache what backward needs
                   backward(dout)  returns dx and fills self.grads
               `Sequential` chains layers; `SoftmaxCrossEntropy` is the loss; `SGD` and `Adam` update.

Typical use (X of shape (784, m), labels of shape (m,)):
    model = Sequential(Linear(784, 128, bias=False, seed=0), BatchNorm(128), ReLU(), Linear(128, 10, seed=1))
    loss_fn, opt = SoftmaxCrossEntropy(), Adam(model, lr=1e-3)
    for Xb, Yb in minibatches(X, one_hot(labels, 10), 64, seed=epoch):
        loss = loss_fn.forward(model.forward(Xb), Yb)
        model.backward(loss_fn.backward())
        opt.step()
    model.eval(); accuracy(model.forward(X_test), labels_test)

Ship with `HELPERS = ["framework", "dnn_utils"]` (ReLU comes from dnn_utils).

Course 4 adds convolution layers in conv.py (Conv2D, MaxPool2D, AvgPool2D, GlobalAveragePool, Dropout,
DepthwiseConv2D, SeparableConv2D, ResidualBlock, with functional pairs such as conv2d_forward /
conv2d_backward); Course 5 adds sequence layers in seq.py (RNN, LSTM, GRU, Embedding, TimeDistributed,
Bidirectional, SequenceSoftmaxCrossEntropy, clip_gradients). Both build on the classes here and are
also reachable as framework.<name> when shipped beside it (HELPERS += ["conv"] or ["seq"]).
"""
import numpy as np

from dnn_utils import relu as relu_forward, relu_backward  # (A, cache=Z) = relu(Z); dZ = relu_backward(dA, Z)

# ----------------------------------------------------------------------------------------------
# Functions
# ----------------------------------------------------------------------------------------------


def softmax(Z):
    """Column-wise softmax. Z: (C, m) scores -> (C, m) probabilities, each column sums to 1."""
    E = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return E / np.sum(E, axis=0, keepdims=True)


def log_softmax(Z):
    """Column-wise log of the softmax, stable for large scores. Z: (C, m) -> (C, m)."""
    shifted = Z - np.max(Z, axis=0, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))


def one_hot(labels, C):
    """Integer labels (m,) in 0..C-1 -> float one-hot matrix (C, m) with Y[labels[i], i] = 1."""
    labels = np.asarray(labels).astype(int).ravel()
    Y = np.zeros((C, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def softmax_cross_entropy(Z, Y):
    """Mean cross-entropy of softmax(Z) against Y, and its gradient.

    Z: (C, m) scores (logits); Y: (C, m) one-hot labels (columns summing to 1).
    Returns (loss, dZ): loss a float, -1/m * sum(Y * log softmax(Z)); dZ (C, m) = (softmax(Z) - Y) / m.
    """
    m = Z.shape[1]
    loss = float(-np.sum(Y * log_softmax(Z)) / m)
    dZ = (softmax(Z) - Y) / m
    return loss, dZ


def linear_forward(A_prev, W, b):
    """Z = W A_prev + b. A_prev: (n_in, m); W: (n_out, n_in); b: (n_out, 1) or None (no bias).

    Returns (Z, cache): Z (n_out, m); cache = (A_prev, W, b).
    """
    Z = W @ A_prev if b is None else W @ A_prev + b
    return Z, (A_prev, W, b)


def linear_backward(dZ, cache):
    """Gradients of Z = W A_prev + b. dZ: (n_out, m); cache = (A_prev, W, b).

    Returns (dA_prev (n_in, m), dW (n_out, n_in), db (n_out, 1), or None when b is None).
    The 1/m of a mean loss is already inside dZ, so nothing is divided by m here.
    """
    A_prev, W, b = cache
    dW = dZ @ A_prev.T
    db = None if b is None else np.sum(dZ, axis=1, keepdims=True)
    return W.T @ dZ, dW, db


def batchnorm_forward(x, gamma, beta, bn_param):
    """Batch normalisation of each row (feature) of x over the batch (columns).

    x: (n, m); gamma, beta: (n, 1).
    bn_param: dict with "mode" ("train" or "test"), "eps", "momentum", "running_mean" (n, 1),
              "running_var" (n, 1).
    train: mu, var = mean and (biased) variance of each row over the m columns; the running averages
           become momentum * running + (1 - momentum) * batch statistic.
    test:  mu, var = the running averages, which stay unchanged.
    out = gamma * x_hat + beta with x_hat = (x - mu) / std, std = sqrt(var + eps).

    Returns (out (n, m), cache = (x_hat (n, m), gamma (n, 1), std (n, 1)), new_bn_param), where
    new_bn_param is a new dict equal to bn_param with the running averages updated (bn_param is not changed).
    """
    eps, momentum = bn_param["eps"], bn_param["momentum"]
    new_bn_param = dict(bn_param)
    if bn_param["mode"] == "train":
        mu = np.mean(x, axis=1, keepdims=True)
        var = np.var(x, axis=1, keepdims=True)
        new_bn_param["running_mean"] = momentum * bn_param["running_mean"] + (1 - momentum) * mu
        new_bn_param["running_var"] = momentum * bn_param["running_var"] + (1 - momentum) * var
    elif bn_param["mode"] == "test":
        mu, var = bn_param["running_mean"], bn_param["running_var"]
    else:
        raise ValueError(f"bn_param['mode'] must be 'train' or 'test', not {bn_param['mode']!r}")
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x_hat, gamma, std), new_bn_param


def batchnorm_backward(dout, cache):
    """Gradients of batchnorm_forward in train mode. dout: (n, m); cache = (x_hat, gamma, std).

    Returns (dx (n, m), dgamma (n, 1), dbeta (n, 1)), using
    dx = gamma / std * (dout - mean(dout) - x_hat * mean(dout * x_hat)), means over the columns.
    """
    x_hat, gamma, std = cache
    dbeta = np.sum(dout, axis=1, keepdims=True)
    dgamma = np.sum(dout * x_hat, axis=1, keepdims=True)
    m = dout.shape[1]
    dx = gamma / std * (dout - dbeta / m - x_hat * dgamma / m)
    return dx, dgamma, dbeta


def accuracy(Z, labels):
    """Fraction of columns of Z (C, m) whose largest entry is at the integer label (m,)."""
    return float(np.mean(np.argmax(Z, axis=0) == np.asarray(labels).ravel()))


def numerical_gradient(f, x, h=1e-5):
    """Centred finite differences of a scalar function f at the float64 array x (changed, then restored).

    Returns an array of x's shape: (f(x + h e_i) - f(x - h e_i)) / (2h) for every entry i.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = f()
        x[idx] = old - h
        minus = f()
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def minibatches(X, Y, batch_size=64, seed=None, x_axis=-1, y_axis=-1):
    """Yield (X_batch, Y_batch) pairs covering all m examples once, shuffled unless seed is None.

    X, Y: arrays whose example axis is x_axis / y_axis (the last axis for (n, m) columns and (C, m)
    one-hot labels; use x_axis=0 for (m, n_H, n_W, n_C) images). The last batch may be smaller.
    """
    m = X.shape[x_axis]
    order = np.arange(m) if seed is None else np.random.default_rng(seed).permutation(m)
    x_index, y_index = [slice(None)] * X.ndim, [slice(None)] * Y.ndim
    for start in range(0, m, batch_size):
        x_index[x_axis] = y_index[y_axis] = order[start:start + batch_size]
        yield X[tuple(x_index)], Y[tuple(y_index)]      # fancy indexing: fast for C and Fortran order


# ----------------------------------------------------------------------------------------------
# Layers
# ----------------------------------------------------------------------------------------------


class Layer:
    """Base class: no parameters, identity in forward and backward."""

    def __init__(self):
        self.params, self.grads, self.cache, self.training = {}, {}, None, True

    def forward(self, x):
        return x

    def backward(self, dout):
        return dout

    def __call__(self, x):
        return self.forward(x)


class Linear(Layer):
    """x (n_in, m) -> W x + b (n_out, m). He initialisation W ~ N(0, 2 / n_in); b = 0.

    bias=False leaves b out (useful right before BatchNorm, whose beta plays its part).
    """

    def __init__(self, n_in, n_out, bias=True, seed=0, dtype=np.float64):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.params["W"] = (rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)).astype(dtype)
        if bias:
            self.params["b"] = np.zeros((n_out, 1), dtype=dtype)

    def forward(self, x):
        out, self.cache = linear_forward(x, self.params["W"], self.params.get("b"))
        return out

    def backward(self, dout):
        dx, self.grads["W"], db = linear_backward(dout, self.cache)
        if db is not None:
            self.grads["b"] = db
        return dx


class ReLU(Layer):
    """Elementwise max(0, x), for arrays of any shape."""

    def forward(self, x):
        out, self.cache = relu_forward(x)
        return out

    def backward(self, dout):
        return relu_backward(dout, self.cache)


class BatchNorm(Layer):
    """Batch normalisation of n features: x (n, m), or channels-last images (m, n_H, n_W, n) whose
    every pixel counts as an example. gamma = 1, beta = 0 at the start; running mean 0, variance 1.

    In training mode (layer.training True) it normalises with the batch statistics and updates the
    running averages; in evaluation mode it uses the running averages.
    """

    def __init__(self, n, eps=1e-5, momentum=0.9, dtype=np.float64):
        super().__init__()
        self.params = {"gamma": np.ones((n, 1), dtype=dtype), "beta": np.zeros((n, 1), dtype=dtype)}
        self.bn_param = {"mode": "train", "eps": eps, "momentum": momentum,
                         "running_mean": np.zeros((n, 1), dtype=dtype), "running_var": np.ones((n, 1), dtype=dtype)}

    def forward(self, x):
        shape = x.shape
        cols = x if x.ndim == 2 else x.reshape(-1, shape[-1]).T      # images: (n, m * n_H * n_W)
        self.bn_param["mode"] = "train" if self.training else "test"
        out, self.cache, self.bn_param = batchnorm_forward(cols, self.params["gamma"], self.params["beta"],
                                                           self.bn_param)
        return out if x.ndim == 2 else out.T.reshape(shape)

    def backward(self, dout):
        shape = dout.shape
        cols = dout if dout.ndim == 2 else dout.reshape(-1, shape[-1]).T
        dx, self.grads["gamma"], self.grads["beta"] = batchnorm_backward(cols, self.cache)
        return dx if dout.ndim == 2 else dx.T.reshape(shape)


class Flatten(Layer):
    """Images (m, n_H, n_W, n_C), batch first -> columns (n_H * n_W * n_C, m): the layout boundary."""

    def forward(self, x):
        self.cache = x.shape
        return x.reshape(x.shape[0], -1).T

    def backward(self, dout):
        return dout.T.reshape(self.cache)


class Sequential(Layer):
    """Layers applied in order; backward runs them in reverse. Parameters are named "<index>.<key>"."""

    def __init__(self, *layers):
        super().__init__()
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout):
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def train(self, training=True):
        """Training mode (batch statistics in BatchNorm); eval() is train(False)."""
        self.training = training
        for layer in self.layers:
            if hasattr(layer, "train"):          # containers (Sequential, residual blocks) pass it down
                layer.train(training)
            layer.training = training
        return self

    def eval(self):
        return self.train(False)

    def named_params(self):
        """Yield (name, parameter array, its gradient array or None before the first backward)."""
        for i, layer in enumerate(self.layers):
            if hasattr(layer, "named_params"):   # containers name their own sublayers' parameters
                for name, p, g in layer.named_params():
                    yield f"{i}.{name}", p, g
            else:
                for key, p in layer.params.items():
                    yield f"{i}.{key}", p, layer.grads.get(key)


class SoftmaxCrossEntropy:
    """Loss layer: forward(Z (C, m), Y (C, m) one-hot) -> mean cross-entropy; backward() -> dZ (C, m)."""

    def forward(self, Z, Y):
        loss, self.dZ = softmax_cross_entropy(Z, Y)
        return loss

    def backward(self):
        return self.dZ


# ----------------------------------------------------------------------------------------------
# Optimisers: update every parameter of a model in place from the gradients of its last backward
# ----------------------------------------------------------------------------------------------


class SGD:
    """Gradient descent, with optional momentum: v = beta v + g; p -= lr v (beta=0: plain p -= lr g)."""

    def __init__(self, model, lr=0.1, momentum=0.0):
        self.model, self.lr, self.momentum, self.v = model, lr, momentum, {}

    def step(self):
        for name, p, g in self.model.named_params():
            if self.momentum:
                self.v[name] = self.momentum * self.v.get(name, 0.0) + g
                g = self.v[name]
            p -= self.lr * g


class Adam:
    """Adam with bias correction: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
    p -= lr * m_hat / (sqrt(v_hat) + eps), with m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t)."""

    def __init__(self, model, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.model, self.lr, self.beta1, self.beta2, self.eps = model, lr, beta1, beta2, eps
        self.m, self.v, self.t = {}, {}, 0

    def step(self):
        self.t += 1
        for name, p, g in self.model.named_params():
            self.m[name] = self.beta1 * self.m.get(name, 0.0) + (1 - self.beta1) * g
            self.v[name] = self.beta2 * self.v.get(name, 0.0) + (1 - self.beta2) * g * g
            m_hat = self.m[name] / (1 - self.beta1 ** self.t)
            v_hat = self.v[name] / (1 - self.beta2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def train_epoch(model, loss_fn, optimiser, X, Y, batch_size=64, seed=None, x_axis=-1, y_axis=-1):
    """One pass over (X, Y) in minibatches (model in training mode); returns the mean minibatch loss."""
    model.train()
    losses = []
    for Xb, Yb in minibatches(X, Y, batch_size, seed, x_axis, y_axis):
        losses.append(loss_fn.forward(model.forward(Xb), Yb))
        model.backward(loss_fn.backward())
        optimiser.step()
    return float(np.mean(losses))


def __getattr__(name):
    """The Course 4 and 5 layers live in sibling modules (conv.py, seq.py); `framework.Conv2D` finds them.

    Imported lazily, on first use, so that an assignment that needs neither need not ship them, and so
    that importing conv or seq first (they import this module) works too.
    """
    import importlib
    for sibling in ("conv", "seq"):
        try:
            module = importlib.import_module(sibling)
        except ImportError:
            continue
        if hasattr(module, name) and not name.startswith("_"):
            return getattr(module, name)
    raise AttributeError(f"module 'framework' has no attribute {name!r}")
