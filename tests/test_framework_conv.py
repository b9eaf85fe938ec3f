"""utils/conv.py: forward passes against plain loops, backward passes against centred finite
differences in float64, shape errors, and parameter updates through framework.Sequential + Adam."""
import numpy as np
import pytest

from grader.paths import UTILS  # noqa: F401  (puts utils/ on sys.path)
import conv
import framework
from framework import numerical_gradient


# ----------------------------------------------------------------------------------------------
# Plain loop implementations (the definitions, one output entry at a time)
# ----------------------------------------------------------------------------------------------


def loop_conv(x, W, b, stride, pad):
    """x (m, n_H, n_W, n_C_prev), W (f, f, n_C_prev, n_C), b (1, 1, 1, n_C) or None."""
    x_pad = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    f, n_C = W.shape[0], W.shape[3]
    n_H, n_W = (x.shape[1] + 2 * pad - f) // stride + 1, (x.shape[2] + 2 * pad - f) // stride + 1
    out = np.zeros((x.shape[0], n_H, n_W, n_C))
    for e in range(x.shape[0]):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = x_pad[e, h * stride:h * stride + f, w * stride:w * stride + f, :]
                    out[e, h, w, c] = np.sum(window * W[:, :, :, c]) + (0.0 if b is None else b[0, 0, 0, c])
    return out


def loop_depthwise(x, W, b, stride, pad):
    """x (m, n_H, n_W, n_C), W (f, f, n_C), b (1, 1, 1, n_C) or None."""
    x_pad = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    f, n_C = W.shape[0], W.shape[2]
    n_H, n_W = (x.shape[1] + 2 * pad - f) // stride + 1, (x.shape[2] + 2 * pad - f) // stride + 1
    out = np.zeros((x.shape[0], n_H, n_W, n_C))
    for e in range(x.shape[0]):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = x_pad[e, h * stride:h * stride + f, w * stride:w * stride + f, c]
                    out[e, h, w, c] = np.sum(window * W[:, :, c]) + (0.0 if b is None else b[0, 0, 0, c])
    return out


def loop_pool(x, f, stride, mode):
    n_H, n_W = (x.shape[1] - f) // stride + 1, (x.shape[2] - f) // stride + 1
    out = np.zeros((x.shape[0], n_H, n_W, x.shape[3]))
    for e in range(x.shape[0]):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(x.shape[3]):
                    window = x[e, h * stride:h * stride + f, w * stride:w * stride + f, c]
                    out[e, h, w, c] = np.max(window) if mode == "max" else np.mean(window)
    return out


def assert_gradients(loss, pairs, rtol=1e-6, atol=1e-8):
    """pairs: (float64 array changed in place by numerical_gradient, analytic gradient, name)."""
    for array, grad, name in pairs:
        assert grad.shape == array.shape, name
        np.testing.assert_allclose(grad, numerical_gradient(loss, array), rtol=rtol, atol=atol, err_msg=name)


def distinct(rng, shape, gap=0.01):
    """A float64 array with all entries distinct, at least `gap` apart (no max-pool ties or kinks)."""
    return (rng.permutation(int(np.prod(shape))) * gap - 0.3).reshape(shape)


# ----------------------------------------------------------------------------------------------
# Functional pairs
# ----------------------------------------------------------------------------------------------

CONV_CASES = [  # (x shape, f, n_C, stride, pad, bias)
    ((2, 5, 5, 3), 3, 4, 1, 0, True),
    ((2, 5, 6, 3), 3, 4, 1, 1, True),
    ((3, 7, 5, 2), 3, 2, 2, 1, True),
    ((2, 6, 7, 2), 2, 3, 2, 2, True),
    ((2, 5, 4, 3), 1, 2, 1, 0, True),
    ((2, 6, 6, 2), 3, 3, 2, 0, False),    # stride 2 leaves the last row and column unused
]


@pytest.mark.parametrize("shape, f, n_C, stride, pad, bias", CONV_CASES)
def test_conv2d_forward_and_backward(shape, f, n_C, stride, pad, bias):
    rng = np.random.default_rng(sum(shape) + 10 * f + stride + pad)
    x = rng.standard_normal(shape)
    W = rng.standard_normal((f, f, shape[3], n_C))
    b = rng.standard_normal((1, 1, 1, n_C)) if bias else None
    out, cache = conv.conv2d_forward(x, W, b, stride, pad)
    np.testing.assert_allclose(out, loop_conv(x, W, b, stride, pad), rtol=1e-10, atol=1e-12)
    dout = rng.standard_normal(out.shape)
    dx, dW, db = conv.conv2d_backward(dout, cache)
    assert dx.shape == x.shape and dW.shape == W.shape and (db is None) == (not bias)
    loss = lambda: float(np.sum(conv.conv2d_forward(x, W, b, stride, pad)[0] * dout))
    assert_gradients(loss, [(x, dx, "dx"), (W, dW, "dW")] + ([(b, db, "db")] if bias else []))


@pytest.mark.parametrize("shape, f, n_C, stride, pad, bias", CONV_CASES)
def test_depthwise_conv2d_forward_and_backward(shape, f, n_C, stride, pad, bias):
    rng = np.random.default_rng(sum(shape) + f + 7)
    x = rng.standard_normal(shape)
    W = rng.standard_normal((f, f, shape[3]))
    b = rng.standard_normal((1, 1, 1, shape[3])) if bias else None
    out, cache = conv.depthwise_conv2d_forward(x, W, b, stride, pad)
    np.testing.assert_allclose(out, loop_depthwise(x, W, b, stride, pad), rtol=1e-10, atol=1e-12)
    dout = rng.standard_normal(out.shape)
    dx, dW, db = conv.depthwise_conv2d_backward(dout, cache)
    loss = lambda: float(np.sum(conv.depthwise_conv2d_forward(x, W, b, stride, pad)[0] * dout))
    assert_gradients(loss, [(x, dx, "dx"), (W, dW, "dW")] + ([(b, db, "db")] if bias else []))


@pytest.mark.parametrize("shape, f, stride, mode", [
    ((2, 4, 6, 3), 2, None, "max"),
    ((2, 7, 7, 2), 3, 2, "max"),          # overlapping windows
    ((3, 7, 6, 2), 3, 2, "average"),
    ((2, 5, 5, 2), 2, 1, "average"),
    ((2, 5, 6, 2), 3, 1, "max"),
    ((1, 5, 5, 1), 2, 3, "max"),          # stride > f: some pixels are in no window
])
def test_pool2d_forward_and_backward(shape, f, stride, mode):
    rng = np.random.default_rng(f + len(mode))
    x = distinct(rng, shape)
    out, cache = conv.pool2d_forward(x, f, stride, mode)
    np.testing.assert_allclose(out, loop_pool(x, f, f if stride is None else stride, mode), rtol=1e-12)
    dout = rng.standard_normal(out.shape)
    dx = conv.pool2d_backward(dout, cache)
    assert_gradients(lambda: float(np.sum(conv.pool2d_forward(x, f, stride, mode)[0] * dout)), [(x, dx, "dx")])


def test_max_pool_ties_send_the_gradient_to_the_first_maximum():
    x = np.zeros((1, 2, 4, 1))
    x[0, :, 2:, 0] = [[1.0, 5.0], [5.0, 5.0]]
    out, cache = conv.pool2d_forward(x, 2)
    dx = conv.pool2d_backward(np.array([[[[2.0], [3.0]]]]), cache)
    np.testing.assert_array_equal(dx[0, :, :, 0], [[2.0, 0.0, 0.0, 3.0], [0.0, 0.0, 0.0, 0.0]])


def test_global_avg_pool():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 4, 5, 2))
    out, cache = conv.global_avg_pool_forward(x)
    expected = np.array([[x[e, :, :, c].mean() for e in range(3)] for c in range(2)])
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    dout = rng.standard_normal(out.shape)
    dx = conv.global_avg_pool_backward(dout, cache)
    assert_gradients(lambda: float(np.sum(conv.global_avg_pool_forward(x)[0] * dout)), [(x, dx, "dx")])


def test_dropout_with_a_fixed_mask():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((2, 4, 3, 3))
    keep_prob = 0.7
    out, cache = conv.dropout_forward(x, keep_prob, np.random.default_rng(11))
    mask = cache[0]
    assert 0 < mask.sum() < mask.size
    np.testing.assert_allclose(out, np.where(mask, x / keep_prob, 0.0))
    dout = rng.standard_normal(x.shape)
    dx = conv.dropout_backward(dout, cache)
    loss = lambda: float(np.sum(conv.dropout_forward(x, keep_prob, np.random.default_rng(11))[0] * dout))
    assert_gradients(loss, [(x, dx, "dx")])
    same, none = conv.dropout_forward(x, keep_prob, None, training=False)
    assert same is x and conv.dropout_backward(dout, none) is dout


def test_dropout_layer_draws_a_fresh_mask_and_is_identity_in_eval():
    layer, x = conv.Dropout(0.5, seed=2), np.ones((200, 50))
    first, second = layer.forward(x), layer.forward(x)
    assert not np.array_equal(first, second)
    assert abs(first.mean() - 1.0) < 0.05 and set(np.unique(first)) == {0.0, 2.0}
    layer.training = False
    assert layer.forward(x) is x


# ----------------------------------------------------------------------------------------------
# Layers: gradients of every parameter and of the input
# ----------------------------------------------------------------------------------------------


def check_layer(layer, x, seed=0):
    """Compare layer.backward with finite differences of sum(layer.forward(x) * dout); return param names."""
    out = layer.forward(x)
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    dx = layer.backward(dout)
    named = list(layer.named_params()) if hasattr(layer, "named_params") else \
        [(k, p, layer.grads[k]) for k, p in layer.params.items()]
    loss = lambda: float(np.sum(layer.forward(x) * dout))
    assert_gradients(loss, [(x, dx, "dx")] + [(p, g, name) for name, p, g in named])
    return [name for name, _, _ in named]


@pytest.mark.parametrize("stride, pad, bias", [(1, 1, True), (2, 0, False), (2, 2, True)])
def test_conv2d_layer(stride, pad, bias):
    layer = conv.Conv2D(3, 2, 3, stride=stride, pad=pad, bias=bias, seed=4)
    assert layer.params["W"].shape == (3, 3, 3, 2)
    x = np.random.default_rng(1).standard_normal((2, 5, 7, 3))
    assert check_layer(layer, x) == (["W", "b"] if bias else ["W"])


def test_conv2d_he_initialisation():
    W = conv.Conv2D(16, 64, 3, seed=0).params["W"]
    assert abs(W.std() - np.sqrt(2 / (3 * 3 * 16))) < 0.01 and abs(W.mean()) < 0.01


def test_depthwise_and_separable_layers():
    x = np.random.default_rng(2).standard_normal((2, 6, 5, 3))
    assert check_layer(conv.DepthwiseConv2D(3, 3, stride=2, pad=1, seed=1), x) == ["W", "b"]
    layer = conv.SeparableConv2D(3, 4, 3, stride=2, pad=1, seed=3)
    assert check_layer(layer, x) == ["depthwise.W", "pointwise.W", "pointwise.b"]
    assert layer.forward(x).shape == (2, 3, 3, 4)


def test_residual_block_identity_shortcut():
    main = framework.Sequential(conv.Conv2D(3, 3, 3, pad=1, seed=1), framework.ReLU(),
                                conv.Conv2D(3, 3, 3, pad=1, seed=2))
    x = np.random.default_rng(3).standard_normal((2, 5, 4, 3))
    block = conv.ResidualBlock(main)
    assert check_layer(block, x) == ["main.0.W", "main.0.b", "main.2.W", "main.2.b"]
    np.testing.assert_allclose(block.forward(x), np.maximum(0, main.forward(x) + x))


def test_residual_block_projection_shortcut_with_batchnorm():
    main = framework.Sequential(conv.Conv2D(3, 4, 3, stride=2, pad=1, bias=False, seed=1), framework.BatchNorm(4),
                                framework.ReLU(), conv.Conv2D(4, 4, 3, pad=1, seed=2), framework.BatchNorm(4))
    shortcut = framework.Sequential(conv.Conv2D(3, 4, 1, stride=2, bias=False, seed=3), framework.BatchNorm(4))
    block = conv.ResidualBlock(main, shortcut)
    x = np.random.default_rng(4).standard_normal((3, 6, 5, 3))
    names = check_layer(block, x, seed=1)
    assert names == ["main.0.W", "main.1.gamma", "main.1.beta", "main.3.W", "main.3.b", "main.4.gamma",
                     "main.4.beta", "shortcut.0.W", "shortcut.1.gamma", "shortcut.1.beta"]
    assert block.forward(x).shape == (3, 3, 3, 4)
    block.eval()
    assert not main.layers[1].training and not shortcut.layers[1].training
    with pytest.raises(ValueError, match="shortcut"):
        conv.ResidualBlock(main).forward(x)


def test_batchnorm_on_channels_last_images():
    rng = np.random.default_rng(8)
    x = rng.standard_normal((3, 4, 5, 2)) * 3 + 1
    bn = framework.BatchNorm(2)
    bn.params["gamma"][:] = [[1.5], [0.5]]
    bn.params["beta"][:] = [[0.2], [-1.0]]
    out = bn.forward(x)
    for c in range(2):
        channel = x[..., c]
        expected = (channel - channel.mean()) / np.sqrt(channel.var() + 1e-5)
        expected = expected * bn.params["gamma"][c, 0] + bn.params["beta"][c, 0]
        np.testing.assert_allclose(out[..., c], expected, rtol=1e-10)
    assert check_layer(bn, x) == ["gamma", "beta"]


@pytest.mark.parametrize("call, message", [
    (lambda: conv.conv2d_forward(np.zeros((5, 28, 28)), np.zeros((3, 3, 3, 4)), None), r"\(m, n_H, n_W, 3\)"),
    (lambda: conv.conv2d_forward(np.zeros((5, 8, 8, 2)), np.zeros((3, 3, 3, 4)), None), r"got \(5, 8, 8, 2\)"),
    (lambda: conv.conv2d_forward(np.zeros((5, 8, 8, 3)), np.zeros((3, 3, 3, 4)), np.zeros(4)), r"\(1, 1, 1, 4\)"),
    (lambda: conv.conv2d_forward(np.zeros((5, 2, 2, 3)), np.zeros((3, 3, 3, 4)), None), "does not fit"),
    (lambda: conv.pool2d_forward(np.zeros((28, 28)), 2), r"\(m, n_H, n_W, n_C\)"),
    (lambda: conv.pool2d_forward(np.zeros((1, 4, 4, 1)), 2, mode="min"), "mode"),
    (lambda: conv.global_avg_pool_forward(np.zeros((4, 4, 1))), r"\(m, n_H, n_W, n_C\)"),
    (lambda: conv.depthwise_conv2d_forward(np.zeros((2, 5, 5, 3)), np.zeros((3, 3, 2)), None), r"\(m, n_H, n_W, 2\)"),
    (lambda: conv.Conv2D(3, 4, 3).forward(np.zeros((2, 8, 8, 1))), r"\(m, n_H, n_W, 3\)"),
    (lambda: conv.conv2d_backward(np.zeros((1, 3, 3, 3)), conv.conv2d_forward(
        np.zeros((1, 5, 5, 3)), np.zeros((3, 3, 3, 4)), None)[1]), "dout"),
])
def test_wrongly_shaped_input_raises_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ----------------------------------------------------------------------------------------------
# Training through Sequential
# ----------------------------------------------------------------------------------------------


def test_adam_updates_conv_and_residual_parameters_through_sequential():
    rng = np.random.default_rng(9)
    x, labels = rng.standard_normal((8, 6, 6, 2)), rng.integers(0, 3, 8)
    model = framework.Sequential(
        conv.Conv2D(2, 4, 3, pad=1, seed=1), framework.ReLU(),
        conv.ResidualBlock(framework.Sequential(conv.Conv2D(4, 4, 3, pad=1, seed=2), framework.BatchNorm(4)),
                           framework.Sequential(conv.Conv2D(4, 4, 1, bias=False, seed=3))),
        conv.MaxPool2D(2), conv.Dropout(0.9, seed=4), framework.Flatten(), framework.Linear(36, 3, seed=5))
    names = [name for name, _, _ in model.named_params()]
    assert names == ["0.W", "0.b", "2.main.0.W", "2.main.0.b", "2.main.1.gamma", "2.main.1.beta",
                     "2.shortcut.0.W", "6.W", "6.b"]
    before = {name: p.copy() for name, p, _ in model.named_params()}
    loss_fn, opt = framework.SoftmaxCrossEntropy(), framework.Adam(model, lr=0.01)
    Y = framework.one_hot(labels, 3)
    losses = []
    for _ in range(15):
        losses.append(loss_fn.forward(model.forward(x), Y))
        model.backward(loss_fn.backward())
        opt.step()
    for name, p, _ in model.named_params():
        if name != "2.main.0.b":             # a bias right before BatchNorm has zero gradient
            assert not np.allclose(p, before[name]), name
    assert losses[-1] < 0.5 * losses[0]
    model.eval()
    assert not model.layers[4].training and not model.layers[2].sublayers["main"].layers[1].training


def test_float32_stays_float32():
    x = np.random.default_rng(0).standard_normal((2, 6, 6, 3)).astype(np.float32)
    model = framework.Sequential(conv.Conv2D(3, 4, 3, pad=1, dtype=np.float32), conv.MaxPool2D(2),
                                 conv.AvgPool2D(3, stride=1), conv.Dropout(0.8), conv.GlobalAveragePool())
    out = model.forward(x)
    assert out.dtype == np.float32 and out.shape == (4, 2)
    assert model.backward(np.ones_like(out)).dtype == np.float32
    assert model.layers[0].grads["W"].dtype == np.float32
