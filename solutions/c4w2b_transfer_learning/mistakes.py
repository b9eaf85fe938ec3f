"""Mistake catalogue for c4w2b_transfer_learning: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ------------------------------------------------------------------ depthwise_conv_forward

@mistake("depthwise_conv_forward", "sums over the channels (a standard convolution) instead of filtering each channel on its own")
def depthwise_conv_forward(A_prev, W, b, stride, pad):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f = W.shape[0]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(f):
        for j in range(f):
            tap = A_pad[:, i:i + stride * (n_H - 1) + 1:stride, j:j + stride * (n_W - 1) + 1:stride, :]
            Z = Z + np.sum(tap * W[i, j, :], axis=3, keepdims=True)
    return Z + b


@mistake("depthwise_conv_forward", "forgets to add the bias b")
def depthwise_conv_forward(A_prev, W, b, stride, pad):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f = W.shape[0]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(f):
        for j in range(f):
            Z = Z + A_pad[:, i:i + stride * (n_H - 1) + 1:stride, j:j + stride * (n_W - 1) + 1:stride, :] * W[i, j]
    return Z


@mistake("depthwise_conv_forward", "ignores the stride (moves the window one pixel at a time)")
def depthwise_conv_forward(A_prev, W, b, stride, pad):
    return depthwise_conv2d_forward(A_prev, W, b, stride=1, pad=pad)[0]


@mistake("depthwise_conv_forward", "ignores the padding")
def depthwise_conv_forward(A_prev, W, b, stride, pad):
    return depthwise_conv2d_forward(A_prev, W, b, stride=stride, pad=0)[0]


@mistake("depthwise_conv_forward", "flips the filter (a true convolution instead of the cross-correlation of the lectures)")
def depthwise_conv_forward(A_prev, W, b, stride, pad):
    return depthwise_conv2d_forward(A_prev, W[::-1, ::-1, :], b, stride=stride, pad=pad)[0]


@mistake("depthwise_conv_forward", "pads the channel axis as well as the two spatial axes")
def depthwise_conv_forward(A_prev, W, b, stride, pad):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f = W.shape[0]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (pad, pad)))
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(f):
        for j in range(f):
            tap = A_pad[:, i:i + stride * (n_H - 1) + 1:stride, j:j + stride * (n_W - 1) + 1:stride, :n_C]
            Z = Z + tap * W[i, j]
    return Z + b


@rewrite("depthwise_conv_forward", "loops over examples, pixels and channels")
def depthwise_conv_forward(A_prev, W, b, stride, pad):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f = W.shape[0]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)
    Z = np.zeros((m, n_H, n_W, n_C))
    for e in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = A_pad[e, h * stride:h * stride + f, w * stride:w * stride + f, c]
                    Z[e, h, w, c] = np.sum(window * W[:, :, c]) + b[0, 0, 0, c]
    return Z


@rewrite("depthwise_conv_forward", "calls the framework's depthwise_conv2d_forward")
def depthwise_conv_forward(A_prev, W, b, stride, pad):
    Z, _ = depthwise_conv2d_forward(A_prev, W, b, stride, pad)
    return Z


@rewrite("depthwise_conv_forward", "runs a one-channel standard convolution per channel")
def depthwise_conv_forward(A_prev, W, b, stride, pad):
    outs = [conv2d_forward(A_prev[..., c:c + 1], W[:, :, c, None, None], b[..., c:c + 1], stride, pad)[0]
            for c in range(A_prev.shape[3])]
    return np.concatenate(outs, axis=3)


# ------------------------------------------------------------------ pointwise_conv_forward

@mistake("pointwise_conv_forward", "uses the transposed weight matrix (output channels x input channels)")
def pointwise_conv_forward(A, W, b):
    return A @ W[0, 0].T + b


@mistake("pointwise_conv_forward", "forgets to add the bias b")
def pointwise_conv_forward(A, W, b):
    return A @ W[0, 0]


@mistake("pointwise_conv_forward", "adds the bias before mixing the channels")
def pointwise_conv_forward(A, W, b):
    return (A + b) @ W[0, 0]


@mistake("pointwise_conv_forward", "applies a ReLU to the output")
def pointwise_conv_forward(A, W, b):
    return np.maximum(A @ W[0, 0] + b, 0)


@rewrite("pointwise_conv_forward", "uses np.einsum")
def pointwise_conv_forward(A, W, b):
    return np.einsum("ehwk,kc->ehwc", A, W[0, 0]) + b


@rewrite("pointwise_conv_forward", "reshapes to one pixel per row, multiplies, reshapes back")
def pointwise_conv_forward(A, W, b):
    m, n_H, n_W, n_C_prev = A.shape
    rows = A.reshape(-1, n_C_prev) @ W.reshape(n_C_prev, -1)
    return rows.reshape(m, n_H, n_W, -1) + b


@rewrite("pointwise_conv_forward", "calls the framework's conv2d_forward with a 1x1 window")
def pointwise_conv_forward(A, W, b):
    return conv2d_forward(A, W, b, stride=1, pad=0)[0]


# ------------------------------------------------------------------ separable_conv_forward

@mistake("separable_conv_forward", "leaves out the depthwise bias b_depth")
def separable_conv_forward(A_prev, W_depth, b_depth, W_point, b_point, stride, pad):
    return pointwise_conv_forward(depthwise_conv_forward(A_prev, W_depth, 0 * b_depth, stride, pad), W_point, b_point)


@mistake("separable_conv_forward", "does the pointwise step before the depthwise step")
def separable_conv_forward(A_prev, W_depth, b_depth, W_point, b_point, stride, pad):
    return depthwise_conv_forward(pointwise_conv_forward(A_prev, W_point, b_point), W_depth, b_depth, stride, pad)


@mistake("separable_conv_forward", "ignores stride and padding (uses stride 1, no padding)")
def separable_conv_forward(A_prev, W_depth, b_depth, W_point, b_point, stride, pad):
    return pointwise_conv_forward(depthwise_conv_forward(A_prev, W_depth, b_depth, 1, 0), W_point, b_point)


@mistake("separable_conv_forward", "puts a ReLU between the depthwise and pointwise steps")
def separable_conv_forward(A_prev, W_depth, b_depth, W_point, b_point, stride, pad):
    D = np.maximum(depthwise_conv_forward(A_prev, W_depth, b_depth, stride, pad), 0)
    return pointwise_conv_forward(D, W_point, b_point)


@rewrite("separable_conv_forward", "folds the depthwise bias into the pointwise bias")
def separable_conv_forward(A_prev, W_depth, b_depth, W_point, b_point, stride, pad):
    D, _ = depthwise_conv2d_forward(A_prev, W_depth, None, stride, pad)
    return D @ W_point[0, 0] + (b_point + b_depth @ W_point[0, 0])


@rewrite("separable_conv_forward", "uses the framework's functions")
def separable_conv_forward(A_prev, W_depth, b_depth, W_point, b_point, stride, pad):
    D, _ = depthwise_conv2d_forward(A_prev, W_depth, b_depth, stride=stride, pad=pad)
    Z, _ = conv2d_forward(D, W_point, b_point)
    return Z


# ------------------------------------------------------------------ conv_cost

@mistake("conv_cost", "counts a standard convolution without the factor n_C (one output channel)")
def conv_cost(n_H, n_W, n_C_prev, n_C, f):
    return n_H * n_W * f * f * n_C_prev, n_H * n_W * n_C_prev * f * f + n_H * n_W * n_C_prev * n_C


@mistake("conv_cost", "counts the depthwise step without the factor f*f")
def conv_cost(n_H, n_W, n_C_prev, n_C, f):
    return n_H * n_W * n_C * f * f * n_C_prev, n_H * n_W * n_C_prev + n_H * n_W * n_C_prev * n_C


@mistake("conv_cost", "counts the pointwise step without the factor n_C")
def conv_cost(n_H, n_W, n_C_prev, n_C, f):
    return n_H * n_W * n_C * f * f * n_C_prev, n_H * n_W * n_C_prev * f * f + n_H * n_W * n_C_prev


@mistake("conv_cost", "counts the depthwise step over the output channels n_C instead of the input channels")
def conv_cost(n_H, n_W, n_C_prev, n_C, f):
    return n_H * n_W * n_C * f * f * n_C_prev, n_H * n_W * n_C * f * f + n_H * n_W * n_C_prev * n_C


@mistake("conv_cost", "multiplies the depthwise and pointwise counts instead of adding them")
def conv_cost(n_H, n_W, n_C_prev, n_C, f):
    return n_H * n_W * n_C * f * f * n_C_prev, (n_H * n_W * n_C_prev * f * f) * (n_H * n_W * n_C_prev * n_C)


@mistake("conv_cost", "leaves out the pointwise step (counts the depthwise step only)")
def conv_cost(n_H, n_W, n_C_prev, n_C, f):
    return n_H * n_W * n_C * f * f * n_C_prev, n_H * n_W * n_C_prev * f * f


@rewrite("conv_cost", "factors the pixels out and returns a list")
def conv_cost(n_H, n_W, n_C_prev, n_C, f):
    pixels = n_H * n_W
    return [pixels * (f ** 2 * n_C_prev * n_C), pixels * n_C_prev * (f ** 2 + n_C)]


@rewrite("conv_cost", "uses the ratio 1/n_C + 1/f^2 (floats)")
def conv_cost(n_H, n_W, n_C_prev, n_C, f):
    standard = float(n_H * n_W * n_C * f * f * n_C_prev)
    return standard, standard * (1 / n_C + 1 / f ** 2)


# ------------------------------------------------------------------ extract_features

@mistake("extract_features", "forgets the ReLU after the separable blocks")
def extract_features(X, base_params):
    p = base_params
    A, _ = conv2d_forward(X, p["conv1_W"], p["conv1_b"], stride=1, pad=1)
    A, _ = pool2d_forward(np.maximum(A, 0), 2)
    A, _ = depthwise_conv2d_forward(A, p["sep2_dw_W"], None, stride=1, pad=1)
    A, _ = conv2d_forward(A, p["sep2_pw_W"], p["sep2_pw_b"])
    A, _ = pool2d_forward(A, 2)
    A, _ = depthwise_conv2d_forward(A, p["sep3_dw_W"], None, stride=1, pad=1)
    A, _ = conv2d_forward(A, p["sep3_pw_W"], p["sep3_pw_b"])
    A, _ = pool2d_forward(A, 2)
    return A.reshape(A.shape[0], -1).T


@mistake("extract_features", "flattens in the wrong order (reshape to (n, m) without a transpose)")
def extract_features(X, base_params):
    p = base_params
    A, _ = conv2d_forward(X, p["conv1_W"], p["conv1_b"], stride=1, pad=1)
    A, _ = pool2d_forward(np.maximum(A, 0), 2)
    for block in ("sep2", "sep3"):
        A, _ = depthwise_conv2d_forward(A, p[block + "_dw_W"], None, stride=1, pad=1)
        A, _ = conv2d_forward(A, p[block + "_pw_W"], p[block + "_pw_b"])
        A, _ = pool2d_forward(np.maximum(A, 0), 2)
    return A.reshape(-1, A.shape[0])


@mistake("extract_features", "uses average pooling instead of max pooling")
def extract_features(X, base_params):
    p = base_params
    A, _ = conv2d_forward(X, p["conv1_W"], p["conv1_b"], stride=1, pad=1)
    A, _ = pool2d_forward(np.maximum(A, 0), 2, mode="average")
    for block in ("sep2", "sep3"):
        A, _ = depthwise_conv2d_forward(A, p[block + "_dw_W"], None, stride=1, pad=1)
        A, _ = conv2d_forward(A, p[block + "_pw_W"], p[block + "_pw_b"])
        A, _ = pool2d_forward(np.maximum(A, 0), 2, mode="average")
    return A.reshape(A.shape[0], -1).T


@mistake("extract_features", "runs the separable blocks without padding")
def extract_features(X, base_params):
    p = base_params
    A, _ = conv2d_forward(X, p["conv1_W"], p["conv1_b"], stride=1, pad=1)
    A, _ = pool2d_forward(np.maximum(A, 0), 2)
    for block in ("sep2", "sep3"):
        A, _ = depthwise_conv2d_forward(A, p[block + "_dw_W"], None, stride=1, pad=0)
        A, _ = conv2d_forward(A, p[block + "_pw_W"], p[block + "_pw_b"])
        A, _ = pool2d_forward(np.maximum(A, 0), 2)
    return A.reshape(A.shape[0], -1).T


@mistake("extract_features", "applies the old head (returns scores of the old classes, not features)")
def extract_features(X, base_params):
    p = base_params
    A, _ = conv2d_forward(X, p["conv1_W"], p["conv1_b"], stride=1, pad=1)
    A, _ = pool2d_forward(np.maximum(A, 0), 2)
    for block in ("sep2", "sep3"):
        A, _ = depthwise_conv2d_forward(A, p[block + "_dw_W"], None, stride=1, pad=1)
        A, _ = conv2d_forward(A, p[block + "_pw_W"], p[block + "_pw_b"])
        A, _ = pool2d_forward(np.maximum(A, 0), 2)
    return p["head_W"] @ A.reshape(A.shape[0], -1).T + p["head_b"]


@mistake("extract_features", "skips the last max-pool")
def extract_features(X, base_params):
    p = base_params
    A, _ = conv2d_forward(X, p["conv1_W"], p["conv1_b"], stride=1, pad=1)
    A, _ = pool2d_forward(np.maximum(A, 0), 2)
    A, _ = depthwise_conv2d_forward(A, p["sep2_dw_W"], None, stride=1, pad=1)
    A, _ = conv2d_forward(A, p["sep2_pw_W"], p["sep2_pw_b"])
    A, _ = pool2d_forward(np.maximum(A, 0), 2)
    A, _ = depthwise_conv2d_forward(A, p["sep3_dw_W"], None, stride=1, pad=1)
    A, _ = conv2d_forward(A, p["sep3_pw_W"], p["sep3_pw_b"])
    A = np.maximum(A, 0)
    return A.reshape(A.shape[0], -1).T


@rewrite("extract_features", "rebuilds the network with transfer_utils.network_from and runs its first layers")
def extract_features(X, base_params):
    net = network_from(base_params).eval()
    return Sequential(*net.layers[:4]).forward(X)


@rewrite("extract_features", "uses the notebook's own separable_conv_forward with a zero depthwise bias")
def extract_features(X, base_params):
    p = base_params
    A = np.maximum(conv2d_forward(X, p["conv1_W"], p["conv1_b"], 1, 1)[0], 0)
    A = pool2d_forward(A, 2, 2, "max")[0]
    for block in ("sep2", "sep3"):
        n_C = A.shape[3]
        A = separable_conv_forward(A, p[block + "_dw_W"], np.zeros((1, 1, 1, n_C)), p[block + "_pw_W"],
                                   p[block + "_pw_b"], 1, 1)
        A = pool2d_forward(np.maximum(A, 0), 2)[0]
    m = X.shape[0]
    return np.stack([A[e].ravel() for e in range(m)], axis=1)


# ------------------------------------------------------------------ train_head

@mistake("train_head", "never updates the bias b")
def train_head(F, Y, num_iterations, learning_rate):
    W, b, costs = np.zeros((Y.shape[0], F.shape[0])), np.zeros((Y.shape[0], 1)), []
    for i in range(num_iterations):
        cost, dZ = softmax_cross_entropy(W @ F + b, Y)
        W = W - learning_rate * dZ @ F.T
        costs.append(cost)
    return W, b, costs


@mistake("train_head", "divides the gradients by m again (dZ already holds the 1/m)")
def train_head(F, Y, num_iterations, learning_rate):
    m = F.shape[1]
    W, b, costs = np.zeros((Y.shape[0], F.shape[0])), np.zeros((Y.shape[0], 1)), []
    for i in range(num_iterations):
        cost, dZ = softmax_cross_entropy(W @ F + b, Y)
        W = W - learning_rate * dZ @ F.T / m
        b = b - learning_rate * np.sum(dZ, axis=1, keepdims=True) / m
        costs.append(cost)
    return W, b, costs


@mistake("train_head", "records the cost after the update instead of before it")
def train_head(F, Y, num_iterations, learning_rate):
    W, b, costs = np.zeros((Y.shape[0], F.shape[0])), np.zeros((Y.shape[0], 1)), []
    for i in range(num_iterations):
        _, dZ = softmax_cross_entropy(W @ F + b, Y)
        W = W - learning_rate * dZ @ F.T
        b = b - learning_rate * np.sum(dZ, axis=1, keepdims=True)
        costs.append(softmax_cross_entropy(W @ F + b, Y)[0])
    return W, b, costs


@mistake("train_head", "starts from random weights instead of zeros")
def train_head(F, Y, num_iterations, learning_rate):
    W = np.random.default_rng(0).standard_normal((Y.shape[0], F.shape[0])) * 0.01
    b, costs = np.zeros((Y.shape[0], 1)), []
    for i in range(num_iterations):
        cost, dZ = softmax_cross_entropy(W @ F + b, Y)
        W = W - learning_rate * dZ @ F.T
        b = b - learning_rate * np.sum(dZ, axis=1, keepdims=True)
        costs.append(cost)
    return W, b, costs


@mistake("train_head", "adds the gradient instead of subtracting it (gradient ascent)")
def train_head(F, Y, num_iterations, learning_rate):
    W, b, costs = np.zeros((Y.shape[0], F.shape[0])), np.zeros((Y.shape[0], 1)), []
    for i in range(num_iterations):
        cost, dZ = softmax_cross_entropy(W @ F + b, Y)
        W = W + learning_rate * dZ @ F.T
        b = b + learning_rate * np.sum(dZ, axis=1, keepdims=True)
        costs.append(cost)
    return W, b, costs


@rewrite("train_head", "writes the softmax and its gradient out in full, updating in place")
def train_head(F, Y, num_iterations, learning_rate):
    m = F.shape[1]
    W, b, costs = np.zeros((Y.shape[0], F.shape[0])), np.zeros((Y.shape[0], 1)), []
    for _ in range(num_iterations):
        Z = W @ F + b
        Z = Z - Z.max(axis=0, keepdims=True)
        P = np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True)
        costs.append(float(-np.sum(Y * np.log(P)) / m))
        dZ = (P - Y) / m
        W -= learning_rate * (dZ @ F.T)
        b -= learning_rate * dZ.sum(axis=1, keepdims=True)
    return W, b, costs


@rewrite("train_head", "trains a framework Linear layer with SGD")
def train_head(F, Y, num_iterations, learning_rate):
    from framework import SGD
    head = Linear(F.shape[0], Y.shape[0])
    head.params["W"][...] = 0.0
    loss_fn, optimiser, costs = SoftmaxCrossEntropy(), SGD(Sequential(head), lr=learning_rate), []
    for _ in range(num_iterations):
        costs.append(loss_fn.forward(head.forward(F), Y))
        head.backward(loss_fn.backward())
        optimiser.step()
    return head.params["W"], head.params["b"], costs


# ------------------------------------------------------------------ augment

@mistake("augment", "rotates about the top-left corner instead of the centre")
def augment(images, shifts, angles):
    out = []
    for k in range(images.shape[0]):
        t = np.deg2rad(angles[k])
        c, s = np.cos(t), np.sin(t)
        matrix = np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])
        rotated = ndimage.affine_transform(images[k], matrix, order=1, mode="constant", cval=0.0)
        out.append(ndimage.shift(rotated, (shifts[k, 0], shifts[k, 1], 0), order=0, mode="constant", cval=0.0))
    return np.stack(out)


@mistake("augment", "swaps the two shifts (moves dy along the columns and dx along the rows)")
def augment(images, shifts, angles):
    out = []
    for k in range(images.shape[0]):
        rotated = ndimage.rotate(images[k], angles[k], axes=(1, 0), reshape=False, order=1, mode="constant", cval=0.0)
        out.append(ndimage.shift(rotated, (shifts[k, 1], shifts[k, 0], 0), order=0, mode="constant", cval=0.0))
    return np.stack(out)


@mistake("augment", "rotates the wrong way (clockwise)")
def augment(images, shifts, angles):
    out = []
    for k in range(images.shape[0]):
        rotated = ndimage.rotate(images[k], -angles[k], axes=(1, 0), reshape=False, order=1, mode="constant", cval=0.0)
        out.append(ndimage.shift(rotated, (shifts[k, 0], shifts[k, 1], 0), order=0, mode="constant", cval=0.0))
    return np.stack(out)


@mistake("augment", "shifts first, then rotates")
def augment(images, shifts, angles):
    out = []
    for k in range(images.shape[0]):
        moved = ndimage.shift(images[k], (shifts[k, 0], shifts[k, 1], 0), order=0, mode="constant", cval=0.0)
        out.append(ndimage.rotate(moved, angles[k], axes=(1, 0), reshape=False, order=1, mode="constant", cval=0.0))
    return np.stack(out)


@mistake("augment", "keeps scipy's default cubic interpolation (order=3) for the rotation")
def augment(images, shifts, angles):
    out = []
    for k in range(images.shape[0]):
        rotated = ndimage.rotate(images[k], angles[k], axes=(1, 0), reshape=False, mode="constant", cval=0.0)
        out.append(ndimage.shift(rotated, (shifts[k, 0], shifts[k, 1], 0), order=0, mode="constant", cval=0.0))
    return np.stack(out)


@mistake("augment", "wraps the shifted image around (np.roll) instead of filling the border with zeros")
def augment(images, shifts, angles):
    out = []
    for k in range(images.shape[0]):
        rotated = ndimage.rotate(images[k], angles[k], axes=(1, 0), reshape=False, order=1, mode="constant", cval=0.0)
        out.append(np.roll(rotated, (int(shifts[k, 0]), int(shifts[k, 1])), axis=(0, 1)))
    return np.stack(out)


@rewrite("augment", "shifts by slicing into a zero image")
def augment(images, shifts, angles):
    m, n_H, n_W, n_C = images.shape
    out = np.zeros((m, n_H, n_W, n_C))
    for k in range(m):
        rotated = ndimage.rotate(images[k], angles[k], axes=(1, 0), reshape=False, order=1, mode="constant", cval=0.0)
        dy, dx = int(shifts[k, 0]), int(shifts[k, 1])
        out[k, max(dy, 0):n_H + min(dy, 0), max(dx, 0):n_W + min(dx, 0)] = \
            rotated[max(-dy, 0):n_H + min(-dy, 0), max(-dx, 0):n_W + min(-dx, 0)]
    return out


@rewrite("augment", "rotates each channel separately with the default axes")
def augment(images, shifts, angles):
    out = np.zeros(images.shape)
    for k in range(images.shape[0]):
        for c in range(images.shape[3]):
            rotated = ndimage.rotate(images[k, :, :, c], angles[k], reshape=False, order=1, mode="constant", cval=0.0)
            out[k, :, :, c] = ndimage.shift(rotated, tuple(shifts[k]), order=0, mode="constant", cval=0.0)
    return out
