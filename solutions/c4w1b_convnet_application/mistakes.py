"""Mistake catalogue for c4w1b_convnet_application: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ------------------------------------------------------------------------------ layer_output_shapes

@mistake("layer_output_shapes", "pads one side only: (n + pad - f) // stride + 1")
def layer_output_shapes(input_shape, layers):
    shapes, shape = [], tuple(input_shape)
    for layer in layers:
        if layer["type"] in ("conv", "pool"):
            f, s, p = layer["f"], layer["stride"], layer.get("pad", 0)
            n_C = layer["n_C"] if layer["type"] == "conv" else shape[2]
            shape = ((shape[0] + p - f) // s + 1, (shape[1] + p - f) // s + 1, n_C)
        elif layer["type"] == "flatten":
            shape = (shape[0] * shape[1] * shape[2],)
        elif layer["type"] == "dense":
            shape = (layer["n"],)
        shapes.append(shape)
    return shapes


@mistake("layer_output_shapes", "leaves the padding out of the size formula")
def layer_output_shapes(input_shape, layers):
    shapes, shape = [], tuple(input_shape)
    for layer in layers:
        if layer["type"] in ("conv", "pool"):
            f, s = layer["f"], layer["stride"]
            n_C = layer["n_C"] if layer["type"] == "conv" else shape[2]
            shape = ((shape[0] - f) // s + 1, (shape[1] - f) // s + 1, n_C)
        elif layer["type"] == "flatten":
            shape = (shape[0] * shape[1] * shape[2],)
        elif layer["type"] == "dense":
            shape = (layer["n"],)
        shapes.append(shape)
    return shapes


@mistake("layer_output_shapes", "rounds the division up instead of down")
def layer_output_shapes(input_shape, layers):
    shapes, shape = [], tuple(input_shape)
    for layer in layers:
        if layer["type"] in ("conv", "pool"):
            f, s, p = layer["f"], layer["stride"], layer.get("pad", 0)
            n_C = layer["n_C"] if layer["type"] == "conv" else shape[2]
            shape = (int(np.ceil((shape[0] + 2 * p - f) / s)) + 1, int(np.ceil((shape[1] + 2 * p - f) / s)) + 1, n_C)
        elif layer["type"] == "flatten":
            shape = (shape[0] * shape[1] * shape[2],)
        elif layer["type"] == "dense":
            shape = (layer["n"],)
        shapes.append(shape)
    return shapes


@mistake("layer_output_shapes", "divides with / instead of // (fractional sizes)")
def layer_output_shapes(input_shape, layers):
    shapes, shape = [], tuple(input_shape)
    for layer in layers:
        if layer["type"] in ("conv", "pool"):
            f, s, p = layer["f"], layer["stride"], layer.get("pad", 0)
            n_C = layer["n_C"] if layer["type"] == "conv" else shape[2]
            shape = ((shape[0] + 2 * p - f) / s + 1, (shape[1] + 2 * p - f) / s + 1, n_C)
        elif layer["type"] == "flatten":
            shape = (shape[0] * shape[1] * shape[2],)
        elif layer["type"] == "dense":
            shape = (layer["n"],)
        shapes.append(shape)
    return shapes


@mistake("layer_output_shapes", "ignores the stride: n + 2 pad - f + 1")
def layer_output_shapes(input_shape, layers):
    shapes, shape = [], tuple(input_shape)
    for layer in layers:
        if layer["type"] in ("conv", "pool"):
            f, p = layer["f"], layer.get("pad", 0)
            n_C = layer["n_C"] if layer["type"] == "conv" else shape[2]
            shape = (shape[0] + 2 * p - f + 1, shape[1] + 2 * p - f + 1, n_C)
        elif layer["type"] == "flatten":
            shape = (shape[0] * shape[1] * shape[2],)
        elif layer["type"] == "dense":
            shape = (layer["n"],)
        shapes.append(shape)
    return shapes


@mistake("layer_output_shapes", "swaps the height and the width")
def layer_output_shapes(input_shape, layers):
    shapes, shape = [], tuple(input_shape)
    for layer in layers:
        if layer["type"] in ("conv", "pool"):
            f, s, p = layer["f"], layer["stride"], layer.get("pad", 0)
            n_C = layer["n_C"] if layer["type"] == "conv" else shape[2]
            shape = ((shape[1] + 2 * p - f) // s + 1, (shape[0] + 2 * p - f) // s + 1, n_C)
        elif layer["type"] == "flatten":
            shape = (shape[0] * shape[1] * shape[2],)
        elif layer["type"] == "dense":
            shape = (layer["n"],)
        shapes.append(shape)
    return shapes


@mistake("layer_output_shapes", "keeps the input's number of channels after a convolution")
def layer_output_shapes(input_shape, layers):
    shapes, shape = [], tuple(input_shape)
    for layer in layers:
        if layer["type"] in ("conv", "pool"):
            f, s, p = layer["f"], layer["stride"], layer.get("pad", 0)
            shape = ((shape[0] + 2 * p - f) // s + 1, (shape[1] + 2 * p - f) // s + 1, shape[2])
        elif layer["type"] == "flatten":
            shape = (shape[0] * shape[1] * shape[2],)
        elif layer["type"] == "dense":
            shape = (layer["n"],)
        shapes.append(shape)
    return shapes


@mistake("layer_output_shapes", "flattens to n_H * n_W, forgetting the channels")
def layer_output_shapes(input_shape, layers):
    shapes, shape = [], tuple(input_shape)
    for layer in layers:
        if layer["type"] in ("conv", "pool"):
            f, s, p = layer["f"], layer["stride"], layer.get("pad", 0)
            n_C = layer["n_C"] if layer["type"] == "conv" else shape[2]
            shape = ((shape[0] + 2 * p - f) // s + 1, (shape[1] + 2 * p - f) // s + 1, n_C)
        elif layer["type"] == "flatten":
            shape = (shape[0] * shape[1],)
        elif layer["type"] == "dense":
            shape = (layer["n"],)
        shapes.append(shape)
    return shapes


@rewrite("layer_output_shapes", "a helper for one axis with math.floor and true division, np.prod for flatten")
def layer_output_shapes(input_shape, layers):
    import math

    def size(n, f, s, p):
        return math.floor((n + 2 * p - f) / s) + 1

    out, current = [], list(input_shape)
    for layer in layers:
        t = layer["type"]
        if t == "conv":
            current = [size(current[0], layer["f"], layer["stride"], layer["pad"]),
                       size(current[1], layer["f"], layer["stride"], layer["pad"]), layer["n_C"]]
        elif t == "pool":
            current = [size(current[0], layer["f"], layer["stride"], 0),
                       size(current[1], layer["f"], layer["stride"], 0), current[2]]
        elif t == "flatten":
            current = [int(np.prod(current))]
        elif t == "dense":
            current = [layer["n"]]
        out.append(tuple(current))
    return out


# ------------------------------------------------------------------------------ count_parameters

@mistake("count_parameters", "forgets the biases of the conv and dense layers")
def count_parameters(input_shape, layers):
    inputs = [tuple(input_shape)] + layer_output_shapes(input_shape, layers)[:-1]
    counts = []
    for layer, shape in zip(layers, inputs):
        count = 0
        if layer["type"] == "conv":
            count = layer["f"] * layer["f"] * shape[2] * layer["n_C"]
        elif layer["type"] == "dense":
            count = shape[0] * layer["n"]
        elif layer["type"] == "batchnorm":
            count = 2 * shape[-1]
        counts.append(count)
    return counts


@mistake("count_parameters", "counts a conv filter as f * f, without the input channels")
def count_parameters(input_shape, layers):
    inputs = [tuple(input_shape)] + layer_output_shapes(input_shape, layers)[:-1]
    counts = []
    for layer, shape in zip(layers, inputs):
        count = 0
        if layer["type"] == "conv":
            count = layer["f"] * layer["f"] * layer["n_C"] + layer["n_C"]
        elif layer["type"] == "dense":
            count = shape[0] * layer["n"] + layer["n"]
        elif layer["type"] == "batchnorm":
            count = 2 * shape[-1]
        counts.append(count)
    return counts


@mistake("count_parameters", "counts batch norm's running mean and variance as parameters (4 per channel)")
def count_parameters(input_shape, layers):
    inputs = [tuple(input_shape)] + layer_output_shapes(input_shape, layers)[:-1]
    counts = []
    for layer, shape in zip(layers, inputs):
        count = 0
        if layer["type"] == "conv":
            count = layer["f"] * layer["f"] * shape[2] * layer["n_C"] + layer["n_C"]
        elif layer["type"] == "dense":
            count = shape[0] * layer["n"] + layer["n"]
        elif layer["type"] == "batchnorm":
            count = 4 * shape[-1]
        counts.append(count)
    return counts


@mistake("count_parameters", "gives batch norm no parameters (gamma and beta are learned)")
def count_parameters(input_shape, layers):
    inputs = [tuple(input_shape)] + layer_output_shapes(input_shape, layers)[:-1]
    counts = []
    for layer, shape in zip(layers, inputs):
        count = 0
        if layer["type"] == "conv":
            count = layer["f"] * layer["f"] * shape[2] * layer["n_C"] + layer["n_C"]
        elif layer["type"] == "dense":
            count = shape[0] * layer["n"] + layer["n"]
        counts.append(count)
    return counts


@rewrite("count_parameters", "tracks the channels itself and writes (weights + 1) * outputs")
def count_parameters(input_shape, layers):
    shapes = layer_output_shapes(input_shape, layers)
    previous, counts = tuple(input_shape), []
    for layer, out_shape in zip(layers, shapes):
        if layer["type"] == "conv":
            counts.append((layer["f"] ** 2 * previous[-1] + 1) * layer["n_C"])
        elif layer["type"] == "dense":
            counts.append((int(np.prod(previous)) + 1) * layer["n"])
        elif layer["type"] == "batchnorm":
            counts.append(previous[-1] + out_shape[-1])
        else:
            counts.append(0)
        previous = out_shape
    return counts


# ------------------------------------------------------------------------------ convnet_forward

@mistake("convnet_forward", "forgets the ReLU after the second convolution")
def convnet_forward(X, params, hparams):
    m = X.shape[0]
    Z1, _ = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    P1, _ = pool2d_forward(np.maximum(Z1, 0), **hparams["pool1"])
    Z2, _ = conv2d_forward(P1, params["W2"], params["b2"], **hparams["conv2"])
    P2, _ = pool2d_forward(Z2, **hparams["pool2"])
    return params["W3"] @ P2.reshape(m, -1).T + params["b3"]


@mistake("convnet_forward", "uses average pooling instead of max pooling")
def convnet_forward(X, params, hparams):
    m = X.shape[0]
    Z1, _ = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    P1, _ = pool2d_forward(np.maximum(Z1, 0), mode="average", **hparams["pool1"])
    Z2, _ = conv2d_forward(P1, params["W2"], params["b2"], **hparams["conv2"])
    P2, _ = pool2d_forward(np.maximum(Z2, 0), mode="average", **hparams["pool2"])
    return params["W3"] @ P2.reshape(m, -1).T + params["b3"]


@mistake("convnet_forward", "flattens channel by channel (transposes the channels first), not in Flatten's order")
def convnet_forward(X, params, hparams):
    m = X.shape[0]
    Z1, _ = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    P1, _ = pool2d_forward(np.maximum(Z1, 0), **hparams["pool1"])
    Z2, _ = conv2d_forward(P1, params["W2"], params["b2"], **hparams["conv2"])
    P2, _ = pool2d_forward(np.maximum(Z2, 0), **hparams["pool2"])
    return params["W3"] @ P2.transpose(0, 3, 1, 2).reshape(m, -1).T + params["b3"]


@mistake("convnet_forward", "flattens with P2.reshape(-1, m), which mixes the examples")
def convnet_forward(X, params, hparams):
    m = X.shape[0]
    Z1, _ = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    P1, _ = pool2d_forward(np.maximum(Z1, 0), **hparams["pool1"])
    Z2, _ = conv2d_forward(P1, params["W2"], params["b2"], **hparams["conv2"])
    P2, _ = pool2d_forward(np.maximum(Z2, 0), **hparams["pool2"])
    return params["W3"] @ P2.reshape(-1, m) + params["b3"]


@mistake("convnet_forward", "leaves out the bias b3 of the dense layer")
def convnet_forward(X, params, hparams):
    m = X.shape[0]
    Z1, _ = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    P1, _ = pool2d_forward(np.maximum(Z1, 0), **hparams["pool1"])
    Z2, _ = conv2d_forward(P1, params["W2"], params["b2"], **hparams["conv2"])
    P2, _ = pool2d_forward(np.maximum(Z2, 0), **hparams["pool2"])
    return params["W3"] @ P2.reshape(m, -1).T


@mistake("convnet_forward", "ignores the hyperparameters (stride 1, no padding, 2 x 2 pools)")
def convnet_forward(X, params, hparams):
    m = X.shape[0]
    Z1, _ = conv2d_forward(X, params["W1"], params["b1"])
    P1, _ = pool2d_forward(np.maximum(Z1, 0), 2)
    Z2, _ = conv2d_forward(P1, params["W2"], params["b2"])
    P2, _ = pool2d_forward(np.maximum(Z2, 0), 2)
    return params["W3"] @ P2.reshape(m, -1).T + params["b3"]


@rewrite("convnet_forward", "applies each ReLU after its max-pool (the two commute)")
def convnet_forward(X, params, hparams):
    Z1, _ = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    P1, _ = pool2d_forward(Z1, **hparams["pool1"])
    Z2, _ = conv2d_forward(np.maximum(P1, 0), params["W2"], params["b2"], **hparams["conv2"])
    P2, _ = pool2d_forward(Z2, **hparams["pool2"])
    F = np.maximum(P2, 0).reshape(X.shape[0], -1).T
    return np.dot(params["W3"], F) + params["b3"]


@rewrite("convnet_forward", "builds the framework's layers (Conv2D, MaxPool2D, Flatten, Linear) with the given weights")
def convnet_forward(X, params, hparams):
    f1, _, n_C0, n_C1 = params["W1"].shape
    f2, _, _, n_C2 = params["W2"].shape
    C, n_flat = params["W3"].shape
    model = Sequential(Conv2D(n_C0, n_C1, f1, **hparams["conv1"]), ReLU(), MaxPool2D(**hparams["pool1"]),
                       Conv2D(n_C1, n_C2, f2, **hparams["conv2"]), ReLU(), MaxPool2D(**hparams["pool2"]),
                       Flatten(), Linear(n_flat, C))
    for (_, p, _), key in zip(model.named_params(), ["W1", "b1", "W2", "b2", "W3", "b3"]):
        p[...] = params[key]
    return model.forward(X)


# ------------------------------------------------------------------------------ train_step

@mistake("train_step", "skips relu_backward in the second block (dZ2 = dA2)")
def train_step(params, hparams, X, Y, learning_rate):
    m = X.shape[0]
    Z1, c1 = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    A1, r1 = relu_forward(Z1)
    P1, q1 = pool2d_forward(A1, **hparams["pool1"])
    Z2, c2 = conv2d_forward(P1, params["W2"], params["b2"], **hparams["conv2"])
    A2, r2 = relu_forward(Z2)
    P2, q2 = pool2d_forward(A2, **hparams["pool2"])
    Z3, c3 = linear_forward(P2.reshape(m, -1).T, params["W3"], params["b3"])
    loss, dZ3 = softmax_cross_entropy(Z3, Y)
    dF, dW3, db3 = linear_backward(dZ3, c3)
    dZ2 = pool2d_backward(dF.T.reshape(P2.shape), q2)
    dP1, dW2, db2 = conv2d_backward(dZ2, c2)
    dZ1 = relu_backward(pool2d_backward(dP1, q1), r1)
    _, dW1, db1 = conv2d_backward(dZ1, c1)
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2, "W3": dW3, "b3": db3}
    return loss, {k: params[k] - learning_rate * grads[k] for k in params}


@mistake("train_step", "reshapes dF back without transposing it (dF.reshape(P2.shape))")
def train_step(params, hparams, X, Y, learning_rate):
    m = X.shape[0]
    Z1, c1 = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    A1, r1 = relu_forward(Z1)
    P1, q1 = pool2d_forward(A1, **hparams["pool1"])
    Z2, c2 = conv2d_forward(P1, params["W2"], params["b2"], **hparams["conv2"])
    A2, r2 = relu_forward(Z2)
    P2, q2 = pool2d_forward(A2, **hparams["pool2"])
    Z3, c3 = linear_forward(P2.reshape(m, -1).T, params["W3"], params["b3"])
    loss, dZ3 = softmax_cross_entropy(Z3, Y)
    dF, dW3, db3 = linear_backward(dZ3, c3)
    dZ2 = relu_backward(pool2d_backward(dF.reshape(P2.shape), q2), r2)
    dP1, dW2, db2 = conv2d_backward(dZ2, c2)
    dZ1 = relu_backward(pool2d_backward(dP1, q1), r1)
    _, dW1, db1 = conv2d_backward(dZ1, c1)
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2, "W3": dW3, "b3": db3}
    return loss, {k: params[k] - learning_rate * grads[k] for k in params}


@mistake("train_step", "divides the gradients by m again (the 1/m is already in dZ3)")
def train_step(params, hparams, X, Y, learning_rate):
    m = X.shape[0]
    Z1, c1 = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    A1, r1 = relu_forward(Z1)
    P1, q1 = pool2d_forward(A1, **hparams["pool1"])
    Z2, c2 = conv2d_forward(P1, params["W2"], params["b2"], **hparams["conv2"])
    A2, r2 = relu_forward(Z2)
    P2, q2 = pool2d_forward(A2, **hparams["pool2"])
    Z3, c3 = linear_forward(P2.reshape(m, -1).T, params["W3"], params["b3"])
    loss, dZ3 = softmax_cross_entropy(Z3, Y)
    dF, dW3, db3 = linear_backward(dZ3, c3)
    dZ2 = relu_backward(pool2d_backward(dF.T.reshape(P2.shape), q2), r2)
    dP1, dW2, db2 = conv2d_backward(dZ2, c2)
    dZ1 = relu_backward(pool2d_backward(dP1, q1), r1)
    _, dW1, db1 = conv2d_backward(dZ1, c1)
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2, "W3": dW3, "b3": db3}
    return loss, {k: params[k] - learning_rate * grads[k] / m for k in params}


@mistake("train_step", "adds the gradient instead of subtracting it")
def train_step(params, hparams, X, Y, learning_rate):
    m = X.shape[0]
    Z1, c1 = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    A1, r1 = relu_forward(Z1)
    P1, q1 = pool2d_forward(A1, **hparams["pool1"])
    Z2, c2 = conv2d_forward(P1, params["W2"], params["b2"], **hparams["conv2"])
    A2, r2 = relu_forward(Z2)
    P2, q2 = pool2d_forward(A2, **hparams["pool2"])
    Z3, c3 = linear_forward(P2.reshape(m, -1).T, params["W3"], params["b3"])
    loss, dZ3 = softmax_cross_entropy(Z3, Y)
    dF, dW3, db3 = linear_backward(dZ3, c3)
    dZ2 = relu_backward(pool2d_backward(dF.T.reshape(P2.shape), q2), r2)
    dP1, dW2, db2 = conv2d_backward(dZ2, c2)
    dZ1 = relu_backward(pool2d_backward(dP1, q1), r1)
    _, dW1, db1 = conv2d_backward(dZ1, c1)
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2, "W3": dW3, "b3": db3}
    return loss, {k: params[k] + learning_rate * grads[k] for k in params}


@mistake("train_step", "updates only the weights and leaves the biases unchanged")
def train_step(params, hparams, X, Y, learning_rate):
    m = X.shape[0]
    Z1, c1 = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    A1, r1 = relu_forward(Z1)
    P1, q1 = pool2d_forward(A1, **hparams["pool1"])
    Z2, c2 = conv2d_forward(P1, params["W2"], params["b2"], **hparams["conv2"])
    A2, r2 = relu_forward(Z2)
    P2, q2 = pool2d_forward(A2, **hparams["pool2"])
    Z3, c3 = linear_forward(P2.reshape(m, -1).T, params["W3"], params["b3"])
    loss, dZ3 = softmax_cross_entropy(Z3, Y)
    dF, dW3, db3 = linear_backward(dZ3, c3)
    dZ2 = relu_backward(pool2d_backward(dF.T.reshape(P2.shape), q2), r2)
    dP1, dW2, db2 = conv2d_backward(dZ2, c2)
    dZ1 = relu_backward(pool2d_backward(dP1, q1), r1)
    _, dW1, db1 = conv2d_backward(dZ1, c1)
    grads = {"W1": dW1, "W2": dW2, "W3": dW3}
    return loss, {k: params[k] - learning_rate * grads[k] if k in grads else params[k].copy() for k in params}


@mistake("train_step", "returns the loss after the update instead of before it")
def train_step(params, hparams, X, Y, learning_rate):
    m = X.shape[0]
    Z1, c1 = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    A1, r1 = relu_forward(Z1)
    P1, q1 = pool2d_forward(A1, **hparams["pool1"])
    Z2, c2 = conv2d_forward(P1, params["W2"], params["b2"], **hparams["conv2"])
    A2, r2 = relu_forward(Z2)
    P2, q2 = pool2d_forward(A2, **hparams["pool2"])
    Z3, c3 = linear_forward(P2.reshape(m, -1).T, params["W3"], params["b3"])
    loss, dZ3 = softmax_cross_entropy(Z3, Y)
    dF, dW3, db3 = linear_backward(dZ3, c3)
    dZ2 = relu_backward(pool2d_backward(dF.T.reshape(P2.shape), q2), r2)
    dP1, dW2, db2 = conv2d_backward(dZ2, c2)
    dZ1 = relu_backward(pool2d_backward(dP1, q1), r1)
    _, dW1, db1 = conv2d_backward(dZ1, c1)
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2, "W3": dW3, "b3": db3}
    new_params = {k: params[k] - learning_rate * grads[k] for k in params}
    return softmax_cross_entropy(convnet_forward(X, new_params, hparams), Y)[0], new_params


@mistake("train_step", "uses average pooling in the forward and backward passes")
def train_step(params, hparams, X, Y, learning_rate):
    m = X.shape[0]
    Z1, c1 = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    A1, r1 = relu_forward(Z1)
    P1, q1 = pool2d_forward(A1, mode="average", **hparams["pool1"])
    Z2, c2 = conv2d_forward(P1, params["W2"], params["b2"], **hparams["conv2"])
    A2, r2 = relu_forward(Z2)
    P2, q2 = pool2d_forward(A2, mode="average", **hparams["pool2"])
    Z3, c3 = linear_forward(P2.reshape(m, -1).T, params["W3"], params["b3"])
    loss, dZ3 = softmax_cross_entropy(Z3, Y)
    dF, dW3, db3 = linear_backward(dZ3, c3)
    dZ2 = relu_backward(pool2d_backward(dF.T.reshape(P2.shape), q2), r2)
    dP1, dW2, db2 = conv2d_backward(dZ2, c2)
    dZ1 = relu_backward(pool2d_backward(dP1, q1), r1)
    _, dW1, db1 = conv2d_backward(dZ1, c1)
    grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2, "W3": dW3, "b3": db3}
    return loss, {k: params[k] - learning_rate * grads[k] for k in params}


@rewrite("train_step", "the framework's layers, SoftmaxCrossEntropy and SGD on a copy of the parameters")
def train_step(params, hparams, X, Y, learning_rate):
    f1, _, n_C0, n_C1 = params["W1"].shape
    f2, _, _, n_C2 = params["W2"].shape
    C, n_flat = params["W3"].shape
    model = Sequential(Conv2D(n_C0, n_C1, f1, **hparams["conv1"]), ReLU(), MaxPool2D(**hparams["pool1"]),
                       Conv2D(n_C1, n_C2, f2, **hparams["conv2"]), ReLU(), MaxPool2D(**hparams["pool2"]),
                       Flatten(), Linear(n_flat, C))
    keys = ["W1", "b1", "W2", "b2", "W3", "b3"]
    for (_, p, _), key in zip(model.named_params(), keys):
        p[...] = params[key]
    loss_fn = SoftmaxCrossEntropy()
    loss = loss_fn.forward(model.forward(X), Y)
    model.backward(loss_fn.backward())
    SGD(model, learning_rate).step()
    return loss, {key: p.copy() for (_, p, _), key in zip(model.named_params(), keys)}


@rewrite("train_step", "masks for ReLU by hand and collects the gradients in a dict as it goes")
def train_step(params, hparams, X, Y, learning_rate):
    m = X.shape[0]
    Z1, conv1 = conv2d_forward(X, params["W1"], params["b1"], **hparams["conv1"])
    P1, pool1 = pool2d_forward(np.maximum(Z1, 0), **hparams["pool1"])
    Z2, conv2 = conv2d_forward(P1, params["W2"], params["b2"], **hparams["conv2"])
    P2, pool2 = pool2d_forward(np.maximum(Z2, 0), **hparams["pool2"])
    F = P2.reshape(m, -1).T
    Z3 = params["W3"] @ F + params["b3"]
    loss, dZ3 = softmax_cross_entropy(Z3, Y)
    g = {"W3": dZ3 @ F.T, "b3": dZ3.sum(axis=1, keepdims=True)}
    dA2 = pool2d_backward((params["W3"].T @ dZ3).T.reshape(P2.shape), pool2)
    dP1, g["W2"], g["b2"] = conv2d_backward(dA2 * (Z2 > 0), conv2)
    dA1 = pool2d_backward(dP1, pool1)
    _, g["W1"], g["b1"] = conv2d_backward(dA1 * (Z1 > 0), conv1)
    return float(loss), {k: v - learning_rate * g[k] for k, v in params.items()}
