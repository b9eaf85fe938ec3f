"""Vectorised convolution layers for the course framework (Course 4).

Images are (m, n_H, n_W, n_C): batch first, channels last. A convolution's weights are
W (f, f, n_C_prev, n_C) and its bias b (1, 1, 1, n_C). Along each spatial axis the output has
    n_out = (n_in + 2 * pad - f) // stride + 1
positions. Nothing loops over examples or pixels. A convolution reads all its windows at once
through `_windows(x_pad, f, stride)`, a (m, n_H', n_W', n_C, f, f) view of the input (no copy: the
"im2col" matrix as strides), and contracts it with W in one `np.tensordot`. Where gradients flow back
to overlapping windows, the only Python loop runs over the f * f offsets (i, j) of a window:
`_shifted(x, i, j, ...)` is the (m, n_H', n_W', n_C) view of the pixel at row i, column j of every
window, and each offset adds its share into that view.

Two levels, as in framework.py:
    functions  `*_forward(...) -> (out, cache)`, `*_backward(dout, cache) -> gradients`, plain arrays
    layers     Conv2D, MaxPool2D, AvgPool2D, GlobalAveragePool, Dropout, DepthwiseConv2D,
               SeparableConv2D, ResidualBlock: subclasses of framework.Layer, usable in Sequential.
               The containers (SeparableConv2D, ResidualBlock) expose named_params() and train().
Batch normalisation of images is framework.BatchNorm (it accepts channels-last images); it is
re-exported here so that `from conv import BatchNorm` works.

Ship with `HELPERS = ["framework", "dnn_utils", "conv"]`.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from framework import Layer, BatchNorm, relu_forward, relu_backward  # noqa: F401  (BatchNorm re-exported)

# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------


def _check_images(func, x, n_C=None):
    """Raise ValueError unless x is a 4-D array (m, n_H, n_W, n_C) (with the given n_C, if any)."""
    x = np.asarray(x)
    if x.ndim != 4 or (n_C is not None and x.shape[3] != n_C):
        expected = "(m, n_H, n_W, {})".format("n_C" if n_C is None else n_C)
        raise ValueError(f"{func}: x should be {expected}, got {x.shape}")


def _check_dout(func, dout, shape):
    """Raise ValueError unless dout has the shape the forward pass produced."""
    if np.shape(dout) != tuple(shape):
        raise ValueError(f"{func}: dout should be {tuple(shape)} (the forward output's shape), got {np.shape(dout)}")


def _out_size(func, n_H, n_W, f, stride, pad):
    """(n_H', n_W') of a window f, stride, pad over an (n_H, n_W) image; ValueError if not positive."""
    n_H_out, n_W_out = (n_H + 2 * pad - f) // stride + 1, (n_W + 2 * pad - f) // stride + 1
    if n_H + 2 * pad < f or n_W + 2 * pad < f or n_H_out < 1 or n_W_out < 1:
        raise ValueError(f"{func}: a {f}x{f} window (pad {pad}) does not fit a {n_H}x{n_W} image")
    return n_H_out, n_W_out


def _pad(x, pad):
    """Zero-pad the two spatial axes of x (m, n_H, n_W, n_C) -> (m, n_H + 2 pad, n_W + 2 pad, n_C)."""
    return x if pad == 0 else np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))


def _windows(x, f, stride):
    """View of every f x f window of x (m, n_H, n_W, n_C) -> (m, n_H', n_W', n_C, f, f), no padding.

    Element [e, h, w, c, i, j] is x[e, h * stride + i, w * stride + j, c].
    """
    return sliding_window_view(x, (f, f), axis=(1, 2))[:, ::stride, ::stride]


def _shifted(x, i, j, stride, n_H_out, n_W_out):
    """View of x (m, n_H, n_W, n_C): the pixel at row i, column j of every window -> (m, n_H', n_W', n_C).

    Element [e, h, w, c] is x[e, h * stride + i, w * stride + j, c]. Writing into it writes into x.
    """
    return x[:, i:i + stride * (n_H_out - 1) + 1:stride, j:j + stride * (n_W_out - 1) + 1:stride, :]


# ----------------------------------------------------------------------------------------------
# Functions
# ----------------------------------------------------------------------------------------------


def conv2d_forward(x, W, b, stride=1, pad=0):
    """2-D convolution (cross-correlation, as in the lectures) of a batch of images.

    x: (m, n_H, n_W, n_C_prev); W: (f, f, n_C_prev, n_C); b: (1, 1, 1, n_C) or None (no bias).
    out[e, h, w, c] = sum_{i, j, k} x_pad[e, h*stride + i, w*stride + j, k] * W[i, j, k, c] + b[c].
    Returns (out (m, n_H', n_W', n_C), cache = (x_pad, W, b, stride, pad)) with
    n_H' = (n_H + 2 pad - f) // stride + 1 (likewise n_W').
    """
    x, W = np.asarray(x), np.asarray(W)
    if W.ndim != 4 or W.shape[0] != W.shape[1]:
        raise ValueError(f"conv2d_forward: W should be (f, f, n_C_prev, n_C), got {W.shape}")
    f, _, n_C_prev, n_C = W.shape
    _check_images("conv2d_forward", x, n_C_prev)
    if b is not None and np.shape(b) != (1, 1, 1, n_C):
        raise ValueError(f"conv2d_forward: b should be (1, 1, 1, {n_C}) or None, got {np.shape(b)}")
    n_H_out, n_W_out = _out_size("conv2d_forward", x.shape[1], x.shape[2], f, stride, pad)
    x_pad = _pad(x, pad)
    out = np.tensordot(_windows(x_pad, f, stride), W, axes=([4, 5, 3], [0, 1, 2]))
    if b is not None:
        out = out + b
    return out, (x_pad, W, b, stride, pad)


def conv2d_backward(dout, cache):
    """Gradients of conv2d_forward. dout: (m, n_H', n_W', n_C); cache from conv2d_forward.

    Returns (dx (m, n_H, n_W, n_C_prev), dW (f, f, n_C_prev, n_C), db (1, 1, 1, n_C) or None when
    the forward pass had no bias). Pixels that no window reaches (stride > 1) get a zero gradient.
    """
    x_pad, W, b, stride, pad = cache
    f = W.shape[0]
    m, n_H_out, n_W_out = x_pad.shape[0], (x_pad.shape[1] - f) // stride + 1, (x_pad.shape[2] - f) // stride + 1
    _check_dout("conv2d_backward", dout, (m, n_H_out, n_W_out, W.shape[3]))
    dW = np.tensordot(_windows(x_pad, f, stride), dout, axes=([0, 1, 2], [0, 1, 2]))      # (n_C_prev, f, f, n_C)
    dW = np.ascontiguousarray(dW.transpose(1, 2, 0, 3))
    dx_pad = np.zeros_like(x_pad)
    for i in range(f):
        for j in range(f):
            _shifted(dx_pad, i, j, stride, n_H_out, n_W_out)[...] += np.tensordot(dout, W[i, j], axes=(3, 1))
    db = None if b is None else np.sum(dout, axis=(0, 1, 2)).reshape(1, 1, 1, -1)
    dx = dx_pad[:, pad:x_pad.shape[1] - pad, pad:x_pad.shape[2] - pad, :]
    return dx, dW, db


def pool2d_forward(x, f, stride=None, mode="max"):
    """Max or average pooling over f x f windows (no padding), each channel separately.

    x: (m, n_H, n_W, n_C); f: window size; stride: defaults to f; mode: "max" or "average".
    Returns (out (m, n_H', n_W', n_C), cache) with n_H' = (n_H - f) // stride + 1 (likewise n_W').
    For "max" the cache keeps, per output entry, the offset i * f + j of the window's first maximum
    (row-major window order), so backward sends the gradient to exactly that input.
    """
    if mode not in ("max", "average"):
        raise ValueError(f"pool2d_forward: mode should be 'max' or 'average', not {mode!r}")
    x = np.asarray(x)
    _check_images("pool2d_forward", x)
    stride = f if stride is None else stride
    n_H_out, n_W_out = _out_size("pool2d_forward", x.shape[1], x.shape[2], f, stride, 0)
    windows = [_shifted(x, i, j, stride, n_H_out, n_W_out) for i in range(f) for j in range(f)]
    if mode == "average":
        return sum(windows) / (f * f), (x.shape, f, stride, mode, None)
    stacked = np.stack(windows)                     # (f * f, m, n_H', n_W', n_C)
    argmax = np.argmax(stacked, axis=0)             # argmax returns the first maximum on ties
    out = np.max(stacked, axis=0)
    return out, (x.shape, f, stride, mode, argmax)


def pool2d_backward(dout, cache):
    """Gradient of pool2d_forward. dout: (m, n_H', n_W', n_C) -> dx (m, n_H, n_W, n_C).

    max: each dout entry goes to its window's (first) maximum; average: it is spread evenly, 1/f^2
    to each entry of the window. Overlapping windows (stride < f) add their contributions.
    """
    x_shape, f, stride, mode, argmax = cache
    n_H_out, n_W_out = (x_shape[1] - f) // stride + 1, (x_shape[2] - f) // stride + 1
    _check_dout("pool2d_backward", dout, (x_shape[0], n_H_out, n_W_out, x_shape[3]))
    dx = np.zeros(x_shape, dtype=np.result_type(dout, np.float32))
    for i in range(f):
        for j in range(f):
            share = dout / (f * f) if mode == "average" else np.where(argmax == i * f + j, dout, 0)
            _shifted(dx, i, j, stride, n_H_out, n_W_out)[...] += share
    return dx


def global_avg_pool_forward(x):
    """Mean of each channel over all pixels. x: (m, n_H, n_W, n_C).

    Returns (out (n_C, m), cache = x.shape): one COLUMN per example, ready for a Linear layer.
    """
    x = np.asarray(x)
    _check_images("global_avg_pool_forward", x)
    return np.mean(x, axis=(1, 2)).T, x.shape


def global_avg_pool_backward(dout, cache):
    """Gradient of global_avg_pool_forward. dout: (n_C, m) -> dx (m, n_H, n_W, n_C), dout / (n_H n_W) everywhere."""
    m, n_H, n_W, n_C = cache
    _check_dout("global_avg_pool_backward", dout, (n_C, m))
    return np.broadcast_to(dout.T[:, None, None, :] / (n_H * n_W), cache).copy()


def dropout_forward(x, keep_prob, rng, training=True):
    """Inverted dropout of an array x of any shape (images or columns).

    Training: each entry is kept with probability keep_prob (mask drawn from the numpy Generator
    rng) and kept entries are divided by keep_prob, so the expected output equals x. Otherwise the
    identity. Returns (out (x.shape), cache = (mask (x.shape) bool, keep_prob), or None if not training).
    """
    if not 0 < keep_prob <= 1:
        raise ValueError(f"dropout_forward: keep_prob should be in (0, 1], got {keep_prob}")
    if not training:
        return x, None
    mask = rng.random(np.shape(x)) < keep_prob
    return x * mask / np.asarray(keep_prob, dtype=np.result_type(x, np.float32)), (mask, keep_prob)


def dropout_backward(dout, cache):
    """Gradient of dropout_forward. dout: (x.shape) -> dx (x.shape): dout * mask / keep_prob (dout if cache is None)."""
    if cache is None:
        return dout
    mask, keep_prob = cache
    _check_dout("dropout_backward", dout, mask.shape)
    return dout * mask / np.asarray(keep_prob, dtype=np.result_type(dout, np.float32))


def depthwise_conv2d_forward(x, W, b, stride=1, pad=0):
    """Depthwise convolution: channel c of x is convolved with its own f x f filter W[:, :, c] only.

    x: (m, n_H, n_W, n_C); W: (f, f, n_C); b: (1, 1, 1, n_C) or None.
    out[e, h, w, c] = sum_{i, j} x_pad[e, h*stride + i, w*stride + j, c] * W[i, j, c] + b[c].
    Returns (out (m, n_H', n_W', n_C), cache = (x_pad, W, b, stride, pad)), sizes as in conv2d_forward.
    """
    x, W = np.asarray(x), np.asarray(W)
    if W.ndim != 3 or W.shape[0] != W.shape[1]:
        raise ValueError(f"depthwise_conv2d_forward: W should be (f, f, n_C), got {W.shape}")
    f, _, n_C = W.shape
    _check_images("depthwise_conv2d_forward", x, n_C)
    if b is not None and np.shape(b) != (1, 1, 1, n_C):
        raise ValueError(f"depthwise_conv2d_forward: b should be (1, 1, 1, {n_C}) or None, got {np.shape(b)}")
    n_H_out, n_W_out = _out_size("depthwise_conv2d_forward", x.shape[1], x.shape[2], f, stride, pad)
    x_pad = _pad(x, pad)
    out = sum(_shifted(x_pad, i, j, stride, n_H_out, n_W_out) * W[i, j] for i in range(f) for j in range(f))
    if b is not None:
        out = out + b
    return out, (x_pad, W, b, stride, pad)


def depthwise_conv2d_backward(dout, cache):
    """Gradients of depthwise_conv2d_forward. dout: (m, n_H', n_W', n_C).

    Returns (dx (m, n_H, n_W, n_C), dW (f, f, n_C), db (1, 1, 1, n_C) or None without bias).
    """
    x_pad, W, b, stride, pad = cache
    f = W.shape[0]
    m, n_H_out, n_W_out = x_pad.shape[0], (x_pad.shape[1] - f) // stride + 1, (x_pad.shape[2] - f) // stride + 1
    _check_dout("depthwise_conv2d_backward", dout, (m, n_H_out, n_W_out, W.shape[2]))
    dx_pad, dW = np.zeros_like(x_pad), np.zeros_like(W)
    for i in range(f):
        for j in range(f):
            dW[i, j] = np.sum(_shifted(x_pad, i, j, stride, n_H_out, n_W_out) * dout, axis=(0, 1, 2))
            _shifted(dx_pad, i, j, stride, n_H_out, n_W_out)[...] += dout * W[i, j]
    db = None if b is None else np.sum(dout, axis=(0, 1, 2)).reshape(1, 1, 1, -1)
    return dx_pad[:, pad:x_pad.shape[1] - pad, pad:x_pad.shape[2] - pad, :], dW, db


# ----------------------------------------------------------------------------------------------
# Layers
# ----------------------------------------------------------------------------------------------


class Conv2D(Layer):
    """x (m, n_H, n_W, n_C_prev) -> (m, n_H', n_W', n_C). params "W" (f, f, n_C_prev, n_C), "b" (1, 1, 1, n_C).

    He initialisation W ~ N(0, 2 / (f * f * n_C_prev)); b = 0 (left out when bias=False).
    """

    def __init__(self, n_C_prev, n_C, f, stride=1, pad=0, bias=True, seed=0, dtype=np.float64):
        super().__init__()
        self.stride, self.pad = stride, pad
        rng = np.random.default_rng(seed)
        scale = np.sqrt(2.0 / (f * f * n_C_prev))
        self.params["W"] = (rng.standard_normal((f, f, n_C_prev, n_C)) * scale).astype(dtype)
        if bias:
            self.params["b"] = np.zeros((1, 1, 1, n_C), dtype=dtype)

    def forward(self, x):
        out, self.cache = conv2d_forward(x, self.params["W"], self.params.get("b"), self.stride, self.pad)
        return out

    def backward(self, dout):
        dx, self.grads["W"], db = conv2d_backward(dout, self.cache)
        if db is not None:
            self.grads["b"] = db
        return dx


class MaxPool2D(Layer):
    """x (m, n_H, n_W, n_C) -> (m, n_H', n_W', n_C): maximum of each f x f window (stride defaults to f)."""

    mode = "max"

    def __init__(self, f, stride=None):
        super().__init__()
        self.f, self.stride = f, stride

    def forward(self, x):
        out, self.cache = pool2d_forward(x, self.f, self.stride, self.mode)
        return out

    def backward(self, dout):
        return pool2d_backward(dout, self.cache)


class AvgPool2D(MaxPool2D):
    """x (m, n_H, n_W, n_C) -> (m, n_H', n_W', n_C): mean of each f x f window (stride defaults to f)."""

    mode = "average"


class GlobalAveragePool(Layer):
    """x (m, n_H, n_W, n_C) -> columns (n_C, m): the mean of each channel, ready for a Linear layer."""

    def forward(self, x):
        out, self.cache = global_avg_pool_forward(x)
        return out

    def backward(self, dout):
        return global_avg_pool_backward(dout, self.cache)


class Dropout(Layer):
    """Inverted dropout of any array; a fresh mask from the layer's own generator at every training
    forward; the identity in evaluation mode (model.eval())."""

    def __init__(self, keep_prob, seed=0):
        super().__init__()
        self.keep_prob, self.rng = keep_prob, np.random.default_rng(seed)

    def forward(self, x):
        out, self.cache = dropout_forward(x, self.keep_prob, self.rng, self.training)
        return out

    def backward(self, dout):
        return dropout_backward(dout, self.cache)


class DepthwiseConv2D(Layer):
    """x (m, n_H, n_W, n_C) -> (m, n_H', n_W', n_C), one f x f filter per channel.

    params "W" (f, f, n_C) ~ N(0, 2 / (f * f)), "b" (1, 1, 1, n_C) = 0 (left out when bias=False).
    """

    def __init__(self, n_C, f, stride=1, pad=0, bias=True, seed=0, dtype=np.float64):
        super().__init__()
        self.stride, self.pad = stride, pad
        rng = np.random.default_rng(seed)
        self.params["W"] = (rng.standard_normal((f, f, n_C)) * np.sqrt(2.0 / (f * f))).astype(dtype)
        if bias:
            self.params["b"] = np.zeros((1, 1, 1, n_C), dtype=dtype)

    def forward(self, x):
        out, self.cache = depthwise_conv2d_forward(x, self.params["W"], self.params.get("b"), self.stride, self.pad)
        return out

    def backward(self, dout):
        dx, self.grads["W"], db = depthwise_conv2d_backward(dout, self.cache)
        if db is not None:
            self.grads["b"] = db
        return dx


class _Container(Layer):
    """A layer made of named sublayers. Parameters are named "<sublayer>.<key>" in named_params();
    `params` and `grads` are read-only dicts under the same names (the arrays themselves, not copies)."""

    def __init__(self, **sublayers):
        self.sublayers, self.cache, self.training = sublayers, None, True

    @property
    def params(self):
        return {name: p for name, p, _ in self.named_params()}

    @property
    def grads(self):
        return {name: g for name, _, g in self.named_params() if g is not None}

    def named_params(self):
        """Yield (name, parameter array, its gradient array or None before the first backward)."""
        for prefix, layer in self.sublayers.items():
            if hasattr(layer, "named_params"):
                for name, p, g in layer.named_params():
                    yield f"{prefix}.{name}", p, g
            else:
                for key, p in layer.params.items():
                    yield f"{prefix}.{key}", p, layer.grads.get(key)

    def train(self, training=True):
        """Training mode for every sublayer (BatchNorm, Dropout); eval() is train(False)."""
        self.training = training
        for layer in self.sublayers.values():
            if hasattr(layer, "train"):
                layer.train(training)
            layer.training = training
        return self

    def eval(self):
        return self.train(False)


class SeparableConv2D(_Container):
    """Depthwise f x f convolution (no bias) then a pointwise 1 x 1 Conv2D (with bias).

    x (m, n_H, n_W, n_C_prev) -> (m, n_H', n_W', n_C). Parameters "depthwise.W" (f, f, n_C_prev),
    "pointwise.W" (1, 1, n_C_prev, n_C), "pointwise.b" (1, 1, 1, n_C).
    """

    def __init__(self, n_C_prev, n_C, f, stride=1, pad=0, seed=0, dtype=np.float64):
        super().__init__(depthwise=DepthwiseConv2D(n_C_prev, f, stride, pad, bias=False, seed=seed, dtype=dtype),
                         pointwise=Conv2D(n_C_prev, n_C, 1, seed=seed + 1, dtype=dtype))

    def forward(self, x):
        return self.sublayers["pointwise"].forward(self.sublayers["depthwise"].forward(x))

    def backward(self, dout):
        return self.sublayers["depthwise"].backward(self.sublayers["pointwise"].backward(dout))


class ResidualBlock(_Container):
    """out = ReLU(main(x) + shortcut(x)); the shortcut is the identity when None.

    main, shortcut: layers (usually Sequential) mapping x (m, n_H, n_W, n_C_prev) to the same shape
    (m, n_H', n_W', n_C); with shortcut=None main must keep x's shape. A projection shortcut is e.g.
    Sequential(Conv2D(n_C_prev, n_C, 1, stride=s, bias=False), BatchNorm(n_C)).
    Parameters are named "main.<name>" and "shortcut.<name>". backward adds the gradients of both paths.
    """

    def __init__(self, main, shortcut=None):
        super().__init__(main=main) if shortcut is None else super().__init__(main=main, shortcut=shortcut)

    def forward(self, x):
        a = self.sublayers["main"].forward(x)
        s = self.sublayers["shortcut"].forward(x) if "shortcut" in self.sublayers else x
        if a.shape != s.shape:
            raise ValueError(f"ResidualBlock: main path gives {a.shape} but the shortcut gives {s.shape}")
        out, self.cache = relu_forward(a + s)
        return out

    def backward(self, dout):
        dz = relu_backward(dout, self.cache)
        dx = self.sublayers["main"].backward(dz)
        return dx + (self.sublayers["shortcut"].backward(dz) if "shortcut" in self.sublayers else dz)
