"""Mistake catalogue for c4w2a_residual_networks: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ---------------------------------------------------------------------------------------------- identity_block_forward

@mistake("identity_block_forward", "adds the shortcut after the final ReLU (ReLU(main path) + X)")
def identity_block_forward(X, params):
    cache = {}
    Z1, cache["conv1"] = conv2d_forward(X, params["W1"], None)
    Z1, cache["bn1"] = batchnorm2d_forward(Z1, params["gamma1"], params["beta1"])
    A1, cache["relu1"] = relu(Z1)
    Z2, cache["conv2"] = conv2d_forward(A1, params["W2"], None, stride=1, pad=1)
    Z2, cache["bn2"] = batchnorm2d_forward(Z2, params["gamma2"], params["beta2"])
    A2, cache["relu2"] = relu(Z2)
    Z3, cache["conv3"] = conv2d_forward(A2, params["W3"], None)
    Z3, cache["bn3"] = batchnorm2d_forward(Z3, params["gamma3"], params["beta3"])
    A3, cache["relu_out"] = relu(Z3)
    return A3 + X, cache


@mistake("identity_block_forward", "forgets the shortcut: returns ReLU(main path) without adding X")
def identity_block_forward(X, params):
    cache = {}
    Z1, cache["conv1"] = conv2d_forward(X, params["W1"], None)
    Z1, cache["bn1"] = batchnorm2d_forward(Z1, params["gamma1"], params["beta1"])
    A1, cache["relu1"] = relu(Z1)
    Z2, cache["conv2"] = conv2d_forward(A1, params["W2"], None, stride=1, pad=1)
    Z2, cache["bn2"] = batchnorm2d_forward(Z2, params["gamma2"], params["beta2"])
    A2, cache["relu2"] = relu(Z2)
    Z3, cache["conv3"] = conv2d_forward(A2, params["W3"], None)
    Z3, cache["bn3"] = batchnorm2d_forward(Z3, params["gamma3"], params["beta3"])
    out, cache["relu_out"] = relu(Z3)
    return out, cache


@mistake("identity_block_forward", "applies a ReLU to the main path before adding X (ReLU(ReLU(main) + X))")
def identity_block_forward(X, params):
    cache = {}
    Z1, cache["conv1"] = conv2d_forward(X, params["W1"], None)
    Z1, cache["bn1"] = batchnorm2d_forward(Z1, params["gamma1"], params["beta1"])
    A1, cache["relu1"] = relu(Z1)
    Z2, cache["conv2"] = conv2d_forward(A1, params["W2"], None, stride=1, pad=1)
    Z2, cache["bn2"] = batchnorm2d_forward(Z2, params["gamma2"], params["beta2"])
    A2, cache["relu2"] = relu(Z2)
    Z3, cache["conv3"] = conv2d_forward(A2, params["W3"], None)
    Z3, cache["bn3"] = batchnorm2d_forward(Z3, params["gamma3"], params["beta3"])
    A3, _ = relu(Z3)
    out, cache["relu_out"] = relu(A3 + X)
    return out, cache


@mistake("identity_block_forward", "caches the main path's output instead of the sum as the final ReLU's input")
def identity_block_forward(X, params):
    cache = {}
    Z1, cache["conv1"] = conv2d_forward(X, params["W1"], None)
    Z1, cache["bn1"] = batchnorm2d_forward(Z1, params["gamma1"], params["beta1"])
    A1, cache["relu1"] = relu(Z1)
    Z2, cache["conv2"] = conv2d_forward(A1, params["W2"], None, stride=1, pad=1)
    Z2, cache["bn2"] = batchnorm2d_forward(Z2, params["gamma2"], params["beta2"])
    A2, cache["relu2"] = relu(Z2)
    Z3, cache["conv3"] = conv2d_forward(A2, params["W3"], None)
    Z3, cache["bn3"] = batchnorm2d_forward(Z3, params["gamma3"], params["beta3"])
    out, _ = relu(Z3 + X)
    cache["relu_out"] = Z3
    return out, cache


@mistake("identity_block_forward", "forgets the padding of the 3x3 convolution (pad=0)")
def identity_block_forward(X, params):
    cache = {}
    Z1, cache["conv1"] = conv2d_forward(X, params["W1"], None)
    Z1, cache["bn1"] = batchnorm2d_forward(Z1, params["gamma1"], params["beta1"])
    A1, cache["relu1"] = relu(Z1)
    Z2, cache["conv2"] = conv2d_forward(A1, params["W2"], None, stride=1, pad=0)
    Z2, cache["bn2"] = batchnorm2d_forward(Z2, params["gamma2"], params["beta2"])
    A2, cache["relu2"] = relu(Z2)
    Z3, cache["conv3"] = conv2d_forward(A2, params["W3"], None)
    Z3, cache["bn3"] = batchnorm2d_forward(Z3, params["gamma3"], params["beta3"])
    out, cache["relu_out"] = relu(Z3 + X)
    return out, cache


@rewrite("identity_block_forward", "loops over the three layers of the main path")
def identity_block_forward(X, params):
    cache, A = {}, X
    for k, pad in ((1, 0), (2, 1), (3, 0)):
        Z, cache[f"conv{k}"] = conv2d_forward(A, params[f"W{k}"], None, stride=1, pad=pad)
        Z, cache[f"bn{k}"] = batchnorm2d_forward(Z, params[f"gamma{k}"], params[f"beta{k}"])
        if k < 3:
            A, cache[f"relu{k}"] = relu(Z)
    Z = Z + X
    cache["relu_out"] = Z
    return np.maximum(Z, 0.0), cache


# ---------------------------------------------------------------------------------------------- identity_block_backward

@mistake("identity_block_backward", "returns dX of the main path only (forgets the gradient along the shortcut)")
def identity_block_backward(dout, cache):
    dZ = relu_backward(dout, cache["relu_out"])
    grads = {}
    dZ3, grads["dgamma3"], grads["dbeta3"] = batchnorm2d_backward(dZ, cache["bn3"])
    dA2, grads["dW3"], _ = conv2d_backward(dZ3, cache["conv3"])
    dZ2 = relu_backward(dA2, cache["relu2"])
    dZ2, grads["dgamma2"], grads["dbeta2"] = batchnorm2d_backward(dZ2, cache["bn2"])
    dA1, grads["dW2"], _ = conv2d_backward(dZ2, cache["conv2"])
    dZ1 = relu_backward(dA1, cache["relu1"])
    dZ1, grads["dgamma1"], grads["dbeta1"] = batchnorm2d_backward(dZ1, cache["bn1"])
    dX_main, grads["dW1"], _ = conv2d_backward(dZ1, cache["conv1"])
    return dX_main, grads


@mistake("identity_block_backward", "skips the final ReLU: sends dout itself into both paths")
def identity_block_backward(dout, cache):
    dZ = dout
    grads = {}
    dZ3, grads["dgamma3"], grads["dbeta3"] = batchnorm2d_backward(dZ, cache["bn3"])
    dA2, grads["dW3"], _ = conv2d_backward(dZ3, cache["conv3"])
    dZ2 = relu_backward(dA2, cache["relu2"])
    dZ2, grads["dgamma2"], grads["dbeta2"] = batchnorm2d_backward(dZ2, cache["bn2"])
    dA1, grads["dW2"], _ = conv2d_backward(dZ2, cache["conv2"])
    dZ1 = relu_backward(dA1, cache["relu1"])
    dZ1, grads["dgamma1"], grads["dbeta1"] = batchnorm2d_backward(dZ1, cache["bn1"])
    dX_main, grads["dW1"], _ = conv2d_backward(dZ1, cache["conv1"])
    return dX_main + dZ, grads


@mistake("identity_block_backward", "adds dout, not the masked dZ, along the shortcut (dX = dX_main + dout)")
def identity_block_backward(dout, cache):
    dZ = relu_backward(dout, cache["relu_out"])
    grads = {}
    dZ3, grads["dgamma3"], grads["dbeta3"] = batchnorm2d_backward(dZ, cache["bn3"])
    dA2, grads["dW3"], _ = conv2d_backward(dZ3, cache["conv3"])
    dZ2 = relu_backward(dA2, cache["relu2"])
    dZ2, grads["dgamma2"], grads["dbeta2"] = batchnorm2d_backward(dZ2, cache["bn2"])
    dA1, grads["dW2"], _ = conv2d_backward(dZ2, cache["conv2"])
    dZ1 = relu_backward(dA1, cache["relu1"])
    dZ1, grads["dgamma1"], grads["dbeta1"] = batchnorm2d_backward(dZ1, cache["bn1"])
    dX_main, grads["dW1"], _ = conv2d_backward(dZ1, cache["conv1"])
    return dX_main + dout, grads


@mistake("identity_block_backward", "takes a ReLU mask from the wrong cache (relu1 where relu2 belongs)")
def identity_block_backward(dout, cache):
    dZ = relu_backward(dout, cache["relu_out"])
    grads = {}
    dZ3, grads["dgamma3"], grads["dbeta3"] = batchnorm2d_backward(dZ, cache["bn3"])
    dA2, grads["dW3"], _ = conv2d_backward(dZ3, cache["conv3"])
    dZ2 = relu_backward(dA2, cache["relu1"])
    dZ2, grads["dgamma2"], grads["dbeta2"] = batchnorm2d_backward(dZ2, cache["bn2"])
    dA1, grads["dW2"], _ = conv2d_backward(dZ2, cache["conv2"])
    dZ1 = relu_backward(dA1, cache["relu1"])
    dZ1, grads["dgamma1"], grads["dbeta1"] = batchnorm2d_backward(dZ1, cache["bn1"])
    dX_main, grads["dW1"], _ = conv2d_backward(dZ1, cache["conv1"])
    return dX_main + dZ, grads


@rewrite("identity_block_backward", "writes the ReLU masks as products and starts dX from the shortcut")
def identity_block_backward(dout, cache):
    dZ = dout * (cache["relu_out"] > 0)
    dX = dZ.copy()
    grads = {}
    d, grads["dgamma3"], grads["dbeta3"] = batchnorm2d_backward(dZ, cache["bn3"])
    d, grads["dW3"], _ = conv2d_backward(d, cache["conv3"])
    d, grads["dgamma2"], grads["dbeta2"] = batchnorm2d_backward(d * (cache["relu2"] > 0), cache["bn2"])
    d, grads["dW2"], _ = conv2d_backward(d, cache["conv2"])
    d, grads["dgamma1"], grads["dbeta1"] = batchnorm2d_backward(d * (cache["relu1"] > 0), cache["bn1"])
    d, grads["dW1"], _ = conv2d_backward(d, cache["conv1"])
    dX += d
    return dX, grads


# ---------------------------------------------------------------------------------------------- convolutional_block_forward

@mistake("convolutional_block_forward", "leaves out the batch norm of the projection shortcut")
def convolutional_block_forward(X, params, stride):
    cache = {}
    Z1, cache["conv1"] = conv2d_forward(X, params["W1"], None, stride=stride)
    Z1, cache["bn1"] = batchnorm2d_forward(Z1, params["gamma1"], params["beta1"])
    A1, cache["relu1"] = relu(Z1)
    Z2, cache["conv2"] = conv2d_forward(A1, params["W2"], None, stride=1, pad=1)
    Z2, cache["bn2"] = batchnorm2d_forward(Z2, params["gamma2"], params["beta2"])
    A2, cache["relu2"] = relu(Z2)
    Z3, cache["conv3"] = conv2d_forward(A2, params["W3"], None)
    Z3, cache["bn3"] = batchnorm2d_forward(Z3, params["gamma3"], params["beta3"])
    S, cache["conv_s"] = conv2d_forward(X, params["W_s"], None, stride=stride)
    out, cache["relu_out"] = relu(Z3 + S)
    return out, cache


@mistake("convolutional_block_forward", "forgets the stride of the shortcut's convolution")
def convolutional_block_forward(X, params, stride):
    cache = {}
    Z1, cache["conv1"] = conv2d_forward(X, params["W1"], None, stride=stride)
    Z1, cache["bn1"] = batchnorm2d_forward(Z1, params["gamma1"], params["beta1"])
    A1, cache["relu1"] = relu(Z1)
    Z2, cache["conv2"] = conv2d_forward(A1, params["W2"], None, stride=1, pad=1)
    Z2, cache["bn2"] = batchnorm2d_forward(Z2, params["gamma2"], params["beta2"])
    A2, cache["relu2"] = relu(Z2)
    Z3, cache["conv3"] = conv2d_forward(A2, params["W3"], None)
    Z3, cache["bn3"] = batchnorm2d_forward(Z3, params["gamma3"], params["beta3"])
    S, cache["conv_s"] = conv2d_forward(X, params["W_s"], None)
    S, cache["bn_s"] = batchnorm2d_forward(S, params["gamma_s"], params["beta_s"])
    out, cache["relu_out"] = relu(Z3 + S)
    return out, cache


@mistake("convolutional_block_forward", "puts the stride on the 3x3 convolution instead of the first 1x1 convolution")
def convolutional_block_forward(X, params, stride):
    cache = {}
    Z1, cache["conv1"] = conv2d_forward(X, params["W1"], None)
    Z1, cache["bn1"] = batchnorm2d_forward(Z1, params["gamma1"], params["beta1"])
    A1, cache["relu1"] = relu(Z1)
    Z2, cache["conv2"] = conv2d_forward(A1, params["W2"], None, stride=stride, pad=1)
    Z2, cache["bn2"] = batchnorm2d_forward(Z2, params["gamma2"], params["beta2"])
    A2, cache["relu2"] = relu(Z2)
    Z3, cache["conv3"] = conv2d_forward(A2, params["W3"], None)
    Z3, cache["bn3"] = batchnorm2d_forward(Z3, params["gamma3"], params["beta3"])
    S, cache["conv_s"] = conv2d_forward(X, params["W_s"], None, stride=stride)
    S, cache["bn_s"] = batchnorm2d_forward(S, params["gamma_s"], params["beta_s"])
    out, cache["relu_out"] = relu(Z3 + S)
    return out, cache


@mistake("convolutional_block_forward", "adds the shortcut after the final ReLU (ReLU(main path) + shortcut)")
def convolutional_block_forward(X, params, stride):
    cache = {}
    Z1, cache["conv1"] = conv2d_forward(X, params["W1"], None, stride=stride)
    Z1, cache["bn1"] = batchnorm2d_forward(Z1, params["gamma1"], params["beta1"])
    A1, cache["relu1"] = relu(Z1)
    Z2, cache["conv2"] = conv2d_forward(A1, params["W2"], None, stride=1, pad=1)
    Z2, cache["bn2"] = batchnorm2d_forward(Z2, params["gamma2"], params["beta2"])
    A2, cache["relu2"] = relu(Z2)
    Z3, cache["conv3"] = conv2d_forward(A2, params["W3"], None)
    Z3, cache["bn3"] = batchnorm2d_forward(Z3, params["gamma3"], params["beta3"])
    S, cache["conv_s"] = conv2d_forward(X, params["W_s"], None, stride=stride)
    S, cache["bn_s"] = batchnorm2d_forward(S, params["gamma_s"], params["beta_s"])
    A3, cache["relu_out"] = relu(Z3)
    return A3 + S, cache


@mistake("convolutional_block_forward", "adds X itself (an identity shortcut) instead of the projection")
def convolutional_block_forward(X, params, stride):
    cache = {}
    Z1, cache["conv1"] = conv2d_forward(X, params["W1"], None, stride=stride)
    Z1, cache["bn1"] = batchnorm2d_forward(Z1, params["gamma1"], params["beta1"])
    A1, cache["relu1"] = relu(Z1)
    Z2, cache["conv2"] = conv2d_forward(A1, params["W2"], None, stride=1, pad=1)
    Z2, cache["bn2"] = batchnorm2d_forward(Z2, params["gamma2"], params["beta2"])
    A2, cache["relu2"] = relu(Z2)
    Z3, cache["conv3"] = conv2d_forward(A2, params["W3"], None)
    Z3, cache["bn3"] = batchnorm2d_forward(Z3, params["gamma3"], params["beta3"])
    out, cache["relu_out"] = relu(Z3 + X)
    return out, cache


@rewrite("convolutional_block_forward", "computes the shortcut first and loops over the main path's layers")
def convolutional_block_forward(X, params, stride):
    cache = {}
    S, cache["conv_s"] = conv2d_forward(X, params["W_s"], None, stride=stride)
    S, cache["bn_s"] = batchnorm2d_forward(S, params["gamma_s"], params["beta_s"])
    A = X
    for k, s, pad in ((1, stride, 0), (2, 1, 1), (3, 1, 0)):
        Z, cache[f"conv{k}"] = conv2d_forward(A, params[f"W{k}"], None, stride=s, pad=pad)
        Z, cache[f"bn{k}"] = batchnorm2d_forward(Z, params[f"gamma{k}"], params[f"beta{k}"])
        if k < 3:
            A, cache[f"relu{k}"] = relu(Z)
    out, cache["relu_out"] = relu(S + Z)
    return out, cache


# ---------------------------------------------------------------------------------------------- convolutional_block_backward

@mistake("convolutional_block_backward", "returns dX of the main path only (forgets the gradient along the shortcut)")
def convolutional_block_backward(dout, cache):
    dZ = relu_backward(dout, cache["relu_out"])
    grads = {}
    dZ3, grads["dgamma3"], grads["dbeta3"] = batchnorm2d_backward(dZ, cache["bn3"])
    dA2, grads["dW3"], _ = conv2d_backward(dZ3, cache["conv3"])
    dZ2 = relu_backward(dA2, cache["relu2"])
    dZ2, grads["dgamma2"], grads["dbeta2"] = batchnorm2d_backward(dZ2, cache["bn2"])
    dA1, grads["dW2"], _ = conv2d_backward(dZ2, cache["conv2"])
    dZ1 = relu_backward(dA1, cache["relu1"])
    dZ1, grads["dgamma1"], grads["dbeta1"] = batchnorm2d_backward(dZ1, cache["bn1"])
    dX_main, grads["dW1"], _ = conv2d_backward(dZ1, cache["conv1"])
    dS, grads["dgamma_s"], grads["dbeta_s"] = batchnorm2d_backward(dZ, cache["bn_s"])
    _, grads["dW_s"], _ = conv2d_backward(dS, cache["conv_s"])
    return dX_main, grads


@mistake("convolutional_block_backward", "leaves out the projection's gradients dW_s, dgamma_s, dbeta_s")
def convolutional_block_backward(dout, cache):
    dZ = relu_backward(dout, cache["relu_out"])
    grads = {}
    dZ3, grads["dgamma3"], grads["dbeta3"] = batchnorm2d_backward(dZ, cache["bn3"])
    dA2, grads["dW3"], _ = conv2d_backward(dZ3, cache["conv3"])
    dZ2 = relu_backward(dA2, cache["relu2"])
    dZ2, grads["dgamma2"], grads["dbeta2"] = batchnorm2d_backward(dZ2, cache["bn2"])
    dA1, grads["dW2"], _ = conv2d_backward(dZ2, cache["conv2"])
    dZ1 = relu_backward(dA1, cache["relu1"])
    dZ1, grads["dgamma1"], grads["dbeta1"] = batchnorm2d_backward(dZ1, cache["bn1"])
    dX_main, grads["dW1"], _ = conv2d_backward(dZ1, cache["conv1"])
    dS, _, _ = batchnorm2d_backward(dZ, cache["bn_s"])
    dX_short, _, _ = conv2d_backward(dS, cache["conv_s"])
    return dX_main + dX_short, grads


@mistake("convolutional_block_backward", "skips the shortcut's batch norm on the way back (its convolution gets dZ)")
def convolutional_block_backward(dout, cache):
    dZ = relu_backward(dout, cache["relu_out"])
    grads = {}
    dZ3, grads["dgamma3"], grads["dbeta3"] = batchnorm2d_backward(dZ, cache["bn3"])
    dA2, grads["dW3"], _ = conv2d_backward(dZ3, cache["conv3"])
    dZ2 = relu_backward(dA2, cache["relu2"])
    dZ2, grads["dgamma2"], grads["dbeta2"] = batchnorm2d_backward(dZ2, cache["bn2"])
    dA1, grads["dW2"], _ = conv2d_backward(dZ2, cache["conv2"])
    dZ1 = relu_backward(dA1, cache["relu1"])
    dZ1, grads["dgamma1"], grads["dbeta1"] = batchnorm2d_backward(dZ1, cache["bn1"])
    dX_main, grads["dW1"], _ = conv2d_backward(dZ1, cache["conv1"])
    _, grads["dgamma_s"], grads["dbeta_s"] = batchnorm2d_backward(dZ, cache["bn_s"])
    dX_short, grads["dW_s"], _ = conv2d_backward(dZ, cache["conv_s"])
    return dX_main + dX_short, grads


@mistake("convolutional_block_backward", "skips the final ReLU: sends dout itself into both paths")
def convolutional_block_backward(dout, cache):
    dZ = dout
    grads = {}
    dZ3, grads["dgamma3"], grads["dbeta3"] = batchnorm2d_backward(dZ, cache["bn3"])
    dA2, grads["dW3"], _ = conv2d_backward(dZ3, cache["conv3"])
    dZ2 = relu_backward(dA2, cache["relu2"])
    dZ2, grads["dgamma2"], grads["dbeta2"] = batchnorm2d_backward(dZ2, cache["bn2"])
    dA1, grads["dW2"], _ = conv2d_backward(dZ2, cache["conv2"])
    dZ1 = relu_backward(dA1, cache["relu1"])
    dZ1, grads["dgamma1"], grads["dbeta1"] = batchnorm2d_backward(dZ1, cache["bn1"])
    dX_main, grads["dW1"], _ = conv2d_backward(dZ1, cache["conv1"])
    dS, grads["dgamma_s"], grads["dbeta_s"] = batchnorm2d_backward(dZ, cache["bn_s"])
    dX_short, grads["dW_s"], _ = conv2d_backward(dS, cache["conv_s"])
    return dX_main + dX_short, grads


@mistake("convolutional_block_backward", "adds dZ (an identity shortcut's gradient) instead of the projection's")
def convolutional_block_backward(dout, cache):
    dZ = relu_backward(dout, cache["relu_out"])
    grads = {}
    dZ3, grads["dgamma3"], grads["dbeta3"] = batchnorm2d_backward(dZ, cache["bn3"])
    dA2, grads["dW3"], _ = conv2d_backward(dZ3, cache["conv3"])
    dZ2 = relu_backward(dA2, cache["relu2"])
    dZ2, grads["dgamma2"], grads["dbeta2"] = batchnorm2d_backward(dZ2, cache["bn2"])
    dA1, grads["dW2"], _ = conv2d_backward(dZ2, cache["conv2"])
    dZ1 = relu_backward(dA1, cache["relu1"])
    dZ1, grads["dgamma1"], grads["dbeta1"] = batchnorm2d_backward(dZ1, cache["bn1"])
    dX_main, grads["dW1"], _ = conv2d_backward(dZ1, cache["conv1"])
    dS, grads["dgamma_s"], grads["dbeta_s"] = batchnorm2d_backward(dZ, cache["bn_s"])
    _, grads["dW_s"], _ = conv2d_backward(dS, cache["conv_s"])
    return dX_main + dZ, grads


@rewrite("convolutional_block_backward", "walks the shortcut first, with np.where masks")
def convolutional_block_backward(dout, cache):
    grads = {}
    dZ = np.where(cache["relu_out"] > 0, dout, 0.0)
    dS, grads["dgamma_s"], grads["dbeta_s"] = batchnorm2d_backward(dZ, cache["bn_s"])
    dX, grads["dW_s"], _ = conv2d_backward(dS, cache["conv_s"])
    d = dZ
    for k in (3, 2, 1):
        if k < 3:
            d = np.where(cache[f"relu{k}"] > 0, d, 0.0)
        d, grads[f"dgamma{k}"], grads[f"dbeta{k}"] = batchnorm2d_backward(d, cache[f"bn{k}"])
        d, grads[f"dW{k}"], _ = conv2d_backward(d, cache[f"conv{k}"])
    return dX + d, grads
