"""Mistake catalogue for c4w1a_convolution_step_by_step: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ------------------------------------------------------------------------------------------ zero_pad

@mistake("zero_pad", "pads every axis, the examples and the channels too (np.pad(X, pad))")
def zero_pad(X, pad):
    return np.pad(X, pad)


@mistake("zero_pad", "pads the channel axis as well as the height and the width")
def zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (pad, pad)))


@mistake("zero_pad", "puts all 2 * pad rows and columns of zeros after the image (bottom and right) instead of pad on each side")
def zero_pad(X, pad):
    return np.pad(X, ((0, 0), (0, 2 * pad), (0, 2 * pad), (0, 0)))


@mistake("zero_pad", "pads the height only, not the width")
def zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (0, 0), (0, 0)))


@rewrite("zero_pad", "allocates zeros of the padded shape and copies X into the middle")
def zero_pad(X, pad):
    m, n_H, n_W, n_C = X.shape
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C), dtype=X.dtype)
    X_pad[:, pad:pad + n_H, pad:pad + n_W, :] = X
    return X_pad


@rewrite("zero_pad", "uses np.pad with a list of pad widths and the default mode")
def zero_pad(X, pad):
    return np.pad(X, [(0, 0), (pad, pad), (pad, pad), (0, 0)])


# ---------------------------------------------------------------------------------- conv_single_step

@mistake("conv_single_step", "forgets to add the bias b")
def conv_single_step(a_slice_prev, W, b):
    return np.sum(a_slice_prev * W)


@mistake("conv_single_step", "takes the mean of a_slice_prev * W instead of the sum")
def conv_single_step(a_slice_prev, W, b):
    return np.mean(a_slice_prev * W) + b.item()


@mistake("conv_single_step", "adds the array b itself, so Z is a (1, 1, 1) array instead of a number")
def conv_single_step(a_slice_prev, W, b):
    return np.sum(a_slice_prev * W) + b


@mistake("conv_single_step", "multiplies by the bias instead of adding it")
def conv_single_step(a_slice_prev, W, b):
    return np.sum(a_slice_prev * W) * b.item()


@rewrite("conv_single_step", "uses np.einsum and b[0, 0, 0]")
def conv_single_step(a_slice_prev, W, b):
    return float(np.einsum("ijk,ijk->", a_slice_prev, W) + b[0, 0, 0])


@rewrite("conv_single_step", "uses np.vdot (which flattens both arrays) and float(b.sum())")
def conv_single_step(a_slice_prev, W, b):
    return np.vdot(a_slice_prev, W) + float(b.sum())


# -------------------------------------------------------------------------------------- conv_forward

@mistake("conv_forward", "ignores the stride when placing the window (starts it at row h, column w instead of h * stride, w * stride)")
def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_prev_pad[i, h:h + f, w:w + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


@mistake("conv_forward", "forgets the + 1 in the output size n_H, n_W")
def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride
    n_W = (n_W_prev + 2 * pad - f) // stride
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_prev_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


@mistake("conv_forward", "divides only f by the stride in the output size (n_H_prev + 2 * pad - f / stride: parentheses missing)")
def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = int(n_H_prev + 2 * pad - f / stride) + 1
    n_W = int(n_W_prev + 2 * pad - f / stride) + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_prev_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


@mistake("conv_forward", "rounds the output size up (ceil) instead of down")
def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = int(np.ceil((n_H_prev + 2 * pad - f) / stride)) + 1
    n_W = int(np.ceil((n_W_prev + 2 * pad - f) / stride)) + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_prev_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


@mistake("conv_forward", "ignores the padding: convolves the unpadded input, and the output size has no 2 * pad")
def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride = hparameters["stride"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


@mistake("conv_forward", "pads the input but leaves 2 * pad out of the output size")
def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_prev_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


@mistake("conv_forward", "adds the bias of the first filter, b[..., 0], to every output channel instead of each filter's own bias")
def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_prev_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, 0])
    return Z, (A_prev, W, b, hparameters)


@mistake("conv_forward", "computes n_H from the width and n_W from the height (n_H_prev and n_W_prev swapped)")
def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = (n_W_prev + 2 * pad - f) // stride + 1
    n_W = (n_H_prev + 2 * pad - f) // stride + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_prev_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                if a_slice.shape[:2] != (f, f):
                    continue                     # the window would stick out of the image: leave zeros
                for c in range(n_C):
                    Z[i, h, w, c] = conv_single_step(a_slice, W[:, :, :, c], b[:, :, :, c])
    return Z, (A_prev, W, b, hparameters)


@rewrite("conv_forward", "loops over examples and positions only, all filters at once with a broadcast sum")
def conv_forward(A_prev, W, b, hparameters):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    stride, pad = hparameters["stride"], hparameters["pad"]
    n_H = int((n_H_prev + 2 * pad - f) / stride) + 1
    n_W = int((n_W_prev + 2 * pad - f) / stride) + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                a_slice = A_prev_pad[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                Z[i, h, w, :] = np.sum(a_slice[..., None] * W, axis=(0, 1, 2)) + b[0, 0, 0, :]
    return Z, (A_prev, W, b, hparameters)


@rewrite("conv_forward", "is fully vectorised with sliding_window_view and np.einsum")
def conv_forward(A_prev, W, b, hparameters):
    from numpy.lib.stride_tricks import sliding_window_view
    f = W.shape[0]
    stride, pad = hparameters["stride"], hparameters["pad"]
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    windows = sliding_window_view(A_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    Z = np.einsum("ihwkrq,rqkc->ihwc", windows, W) + b
    return Z, (A_prev, W, b, hparameters)


# -------------------------------------------------------------------------------------- pool_forward

@mistake("pool_forward", "always takes the maximum, whatever the mode")
def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    A[i, h, w, c] = np.max(A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c])
    return A, (A_prev, hparameters)


@mistake("pool_forward", "average pooling takes the sum of the window, not its mean")
def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c]
                    A[i, h, w, c] = np.max(window) if mode == "max" else np.sum(window)
    return A, (A_prev, hparameters)


@mistake("pool_forward", "ignores the stride when placing the window (starts it at row h, column w)")
def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = A_prev[i, h:h + f, w:w + f, c]
                    A[i, h, w, c] = np.max(window) if mode == "max" else np.mean(window)
    return A, (A_prev, hparameters)


@mistake("pool_forward", "forgets the + 1 in the output size n_H, n_W")
def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H, n_W = (n_H_prev - f) // stride, (n_W_prev - f) // stride
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c]
                    A[i, h, w, c] = np.max(window) if mode == "max" else np.mean(window)
    return A, (A_prev, hparameters)


@mistake("pool_forward", "pools over all the channels of the window together instead of channel by channel")
def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H, n_W = (n_H_prev - f) // stride + 1, (n_W_prev - f) // stride + 1
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, :]
                    A[i, h, w, c] = np.max(window) if mode == "max" else np.mean(window)
    return A, (A_prev, hparameters)


@rewrite("pool_forward", "loops over positions only, reducing every channel at once with axis=(1, 2)")
def pool_forward(A_prev, hparameters, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    f, stride = hparameters["f"], hparameters["stride"]
    n_H, n_W = 1 + int((n_H_prev - f) / stride), 1 + int((n_W_prev - f) / stride)
    A = np.zeros((m, n_H, n_W, n_C))
    reduce = np.max if mode == "max" else np.mean
    for h in range(n_H):
        for w in range(n_W):
            A[:, h, w, :] = reduce(A_prev[:, h * stride:h * stride + f, w * stride:w * stride + f, :], axis=(1, 2))
    return A, (A_prev, hparameters)


@rewrite("pool_forward", "is fully vectorised with sliding_window_view")
def pool_forward(A_prev, hparameters, mode="max"):
    from numpy.lib.stride_tricks import sliding_window_view
    f, stride = hparameters["f"], hparameters["stride"]
    windows = sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    A = windows.max(axis=(-2, -1)) if mode == "max" else windows.mean(axis=(-2, -1))
    return A, (A_prev, hparameters)


# ------------------------------------------------------------------------------------- conv_backward

@mistake("conv_backward", "returns the gradient of the padded input (the padding is not cut off)")
def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad, dW, db = np.zeros(A_prev_pad.shape), np.zeros(W.shape), np.zeros(b.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    dA_prev_pad[i, vs:vs + f, hs:hs + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_prev_pad[i, vs:vs + f, hs:hs + f, :] * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    return dA_prev_pad, dW, db


@mistake("conv_backward", "cuts the padding off with [pad:-pad], which leaves nothing when pad = 0")
def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad, dW, db = np.zeros(A_prev_pad.shape), np.zeros(W.shape), np.zeros(b.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    dA_prev_pad[i, vs:vs + f, hs:hs + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_prev_pad[i, vs:vs + f, hs:hs + f, :] * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    return dA_prev_pad[:, pad:-pad, pad:-pad, :], dW, db


@mistake("conv_backward", "sums db over the rows and columns only, keeping one row per example (wrong axes)")
def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad, dW = np.zeros(A_prev_pad.shape), np.zeros(W.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    dA_prev_pad[i, vs:vs + f, hs:hs + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_prev_pad[i, vs:vs + f, hs:hs + f, :] * dZ[i, h, w, c]
    db = np.sum(dZ, axis=(1, 2), keepdims=True)
    return dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db


@mistake("conv_backward", "divides db by the number of examples m (a mean over the batch instead of a sum)")
def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad, dW, db = np.zeros(A_prev_pad.shape), np.zeros(W.shape), np.zeros(b.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    dA_prev_pad[i, vs:vs + f, hs:hs + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_prev_pad[i, vs:vs + f, hs:hs + f, :] * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    return dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db / m


@mistake("conv_backward", "does not accumulate dW over the examples: dW is reset for each example, so only the last one counts")
def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad, db = np.zeros(A_prev_pad.shape), np.zeros(b.shape)
    for i in range(m):
        dW = np.zeros(W.shape)
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    dA_prev_pad[i, vs:vs + f, hs:hs + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_prev_pad[i, vs:vs + f, hs:hs + f, :] * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    return dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db


@mistake("conv_backward", "assigns (=) the window's contribution to dA_prev_pad instead of adding it (+=), losing overlapping windows and other filters")
def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad, dW, db = np.zeros(A_prev_pad.shape), np.zeros(W.shape), np.zeros(b.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    dA_prev_pad[i, vs:vs + f, hs:hs + f, :] = W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_prev_pad[i, vs:vs + f, hs:hs + f, :] * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    return dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db


@mistake("conv_backward", "ignores the stride when placing the window (starts it at row h, column w)")
def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, pad = W.shape[0], hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad, dW, db = np.zeros(A_prev_pad.shape), np.zeros(W.shape), np.zeros(b.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    dA_prev_pad[i, h:h + f, w:w + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_prev_pad[i, h:h + f, w:w + f, :] * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    return dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db


@mistake("conv_backward", "multiplies the window by dZ for dA_prev (a_slice * dZ) where the filter belongs (W * dZ)")
def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad, dW, db = np.zeros(A_prev_pad.shape), np.zeros(W.shape), np.zeros(b.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                a_slice = A_prev_pad[i, vs:vs + f, hs:hs + f, :]
                for c in range(n_C):
                    dA_prev_pad[i, vs:vs + f, hs:hs + f, :] += a_slice * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    return dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db


@rewrite("conv_backward", "loops over examples and positions, all filters at once with tensordot")
def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad, dW = np.zeros(A_prev_pad.shape), np.zeros(W.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                dA_prev_pad[i, vs:vs + f, hs:hs + f, :] += np.tensordot(W, dZ[i, h, w, :], axes=([3], [0]))
                dW += A_prev_pad[i, vs:vs + f, hs:hs + f, :, None] * dZ[i, h, w, :]
    db = np.sum(dZ, axis=(0, 1, 2)).reshape(1, 1, 1, n_C)
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


@rewrite("conv_backward", "is vectorised over examples and positions: one loop over the f x f offsets of the window")
def conv_backward(dZ, cache):
    A_prev, W, b, hparameters = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, stride, pad = W.shape[0], hparameters["stride"], hparameters["pad"]
    m, n_H, n_W, n_C = dZ.shape
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    dA_pad, dW = np.zeros_like(A_pad), np.zeros_like(W)
    for r in range(f):
        for q in range(f):
            rows = slice(r, r + stride * (n_H - 1) + 1, stride)
            cols = slice(q, q + stride * (n_W - 1) + 1, stride)
            dW[r, q] = np.einsum("ihwk,ihwc->kc", A_pad[:, rows, cols, :], dZ)
            dA_pad[:, rows, cols, :] += np.einsum("ihwc,kc->ihwk", dZ, W[r, q])
    db = dZ.sum(axis=(0, 1, 2), keepdims=True)
    return dA_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db


# --------------------------------------------------------------------------- create_mask_from_window

@mistake("create_mask_from_window", "marks the minimum (x == np.min(x)) instead of the maximum")
def create_mask_from_window(x):
    return x == np.min(x)


@mistake("create_mask_from_window", "marks the maximum of each column (np.max(x, axis=0)), so the mask has several True entries")
def create_mask_from_window(x):
    return x == np.max(x, axis=0)


@mistake("create_mask_from_window", "returns the index of the maximum (np.argmax) instead of a mask")
def create_mask_from_window(x):
    return np.argmax(x)


@mistake("create_mask_from_window", "returns a mask of floats (0.0 and 1.0) instead of booleans")
def create_mask_from_window(x):
    return (x == np.max(x)).astype(float)


@rewrite("create_mask_from_window", "compares the flat positions with np.argmax")
def create_mask_from_window(x):
    return np.arange(x.size).reshape(x.shape) == np.argmax(x)


@rewrite("create_mask_from_window", "uses x >= x.max()")
def create_mask_from_window(x):
    return x >= x.max()


# ---------------------------------------------------------------------------------- distribute_value

@mistake("distribute_value", "does not divide: every entry gets the whole dz")
def distribute_value(dz, shape):
    return np.ones(shape) * dz


@mistake("distribute_value", "divides by n_H only, not by n_H * n_W")
def distribute_value(dz, shape):
    n_H, n_W = shape
    return np.ones(shape) * dz / n_H


@mistake("distribute_value", "writes dz / n_H * n_W without parentheses, which multiplies by n_W")
def distribute_value(dz, shape):
    n_H, n_W = shape
    return np.ones(shape) * (dz / n_H * n_W)


@mistake("distribute_value", "divides by n_H + n_W instead of n_H * n_W")
def distribute_value(dz, shape):
    n_H, n_W = shape
    return np.ones(shape) * dz / (n_H + n_W)


@rewrite("distribute_value", "uses np.full with np.prod(shape)")
def distribute_value(dz, shape):
    return np.full(shape, dz / np.prod(shape))


# ------------------------------------------------------------------------------------- pool_backward

@mistake("pool_backward", "assigns (=) each window's gradient instead of adding it (+=), so overlapping windows overwrite each other")
def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    if mode == "max":
                        mask = create_mask_from_window(A_prev[i, vs:vs + f, hs:hs + f, c])
                        dA_prev[i, vs:vs + f, hs:hs + f, c] = mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, vs:vs + f, hs:hs + f, c] = distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev


@mistake("pool_backward", "always routes the gradient to the maximum, whatever the mode")
def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    mask = create_mask_from_window(A_prev[i, vs:vs + f, hs:hs + f, c])
                    dA_prev[i, vs:vs + f, hs:hs + f, c] += mask * dA[i, h, w, c]
    return dA_prev


@mistake("pool_backward", "average mode gives every entry of the window the whole gradient instead of an equal share")
def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    if mode == "max":
                        mask = create_mask_from_window(A_prev[i, vs:vs + f, hs:hs + f, c])
                        dA_prev[i, vs:vs + f, hs:hs + f, c] += mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, vs:vs + f, hs:hs + f, c] += dA[i, h, w, c]
    return dA_prev


@mistake("pool_backward", "builds the max mask over all the channels of the window instead of channel c alone")
def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = h * stride, w * stride
                for c in range(n_C):
                    if mode == "max":
                        window = A_prev[i, vs:vs + f, hs:hs + f, :]
                        mask = window[:, :, c] == np.max(window)
                        dA_prev[i, vs:vs + f, hs:hs + f, c] += mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, vs:vs + f, hs:hs + f, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev


@mistake("pool_backward", "ignores the stride when placing the window (starts it at row h, column w)")
def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f = hparameters["f"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    if mode == "max":
                        mask = create_mask_from_window(A_prev[i, h:h + f, w:w + f, c])
                        dA_prev[i, h:h + f, w:w + f, c] += mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, h:h + f, w:w + f, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev


@rewrite("pool_backward", "loops over positions only, every example and channel at once")
def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros_like(A_prev, dtype=float)
    for h in range(n_H):
        for w in range(n_W):
            vs, hs = h * stride, w * stride
            window = A_prev[:, vs:vs + f, hs:hs + f, :]
            d = dA[:, h, w, :][:, None, None, :]
            if mode == "max":
                dA_prev[:, vs:vs + f, hs:hs + f, :] += (window == window.max(axis=(1, 2), keepdims=True)) * d
            else:
                dA_prev[:, vs:vs + f, hs:hs + f, :] += d / (f * f)
    return dA_prev


@rewrite("pool_backward", "adds the max-pool gradient at the position given by np.unravel_index(np.argmax(...))")
def pool_backward(dA, cache, mode="max"):
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vs, hs = h * stride, w * stride
                    if mode == "max":
                        r, q = np.unravel_index(np.argmax(A_prev[i, vs:vs + f, hs:hs + f, c]), (f, f))
                        dA_prev[i, vs + r, hs + q, c] += dA[i, h, w, c]
                    else:
                        dA_prev[i, vs:vs + f, hs:hs + f, c] += dA[i, h, w, c] / f ** 2
    return dA_prev
