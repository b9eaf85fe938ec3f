"""Mistake catalogue for c4w4b_style_transfer: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ------------------------------------------------------------------------------ compute_content_cost

@mistake("compute_content_cost", "leaves out the factor 1 / (4 n_H n_W n_C): a plain sum of squares")
def compute_content_cost(a_C, a_G):
    return np.sum((a_C - a_G) ** 2)


@mistake("compute_content_cost", "takes the mean of the squares, forgetting the 1/4")
def compute_content_cost(a_C, a_G):
    return np.mean((a_C - a_G) ** 2)


@mistake("compute_content_cost", "divides by 2 n_H n_W n_C instead of 4 n_H n_W n_C")
def compute_content_cost(a_C, a_G):
    _, n_H, n_W, n_C = a_G.shape
    return np.sum((a_C - a_G) ** 2) / (2 * n_H * n_W * n_C)


@mistake("compute_content_cost", "uses the norm ||a_C - a_G|| instead of its square")
def compute_content_cost(a_C, a_G):
    _, n_H, n_W, n_C = a_G.shape
    return np.sqrt(np.sum((a_C - a_G) ** 2)) / (4 * n_H * n_W * n_C)


@mistake("compute_content_cost", "reads the sizes from the wrong axes (the batch axis taken as n_H)")
def compute_content_cost(a_C, a_G):
    n_H, n_W, n_C = a_G.shape[:3]
    return np.sum((a_C - a_G) ** 2) / (4 * n_H * n_W * n_C)


@rewrite("compute_content_cost", "np.mean of the squares, divided by 4")
def compute_content_cost(a_C, a_G):
    return float(np.mean(np.square(a_G - a_C)) / 4)


@rewrite("compute_content_cost", "unrolls both arrays first and uses a dot product and a_G.size")
def compute_content_cost(a_C, a_G):
    d = (a_C - a_G).reshape(-1)
    return d @ d / (4 * a_G.size)


# ----------------------------------------------------------------------------- content_cost_gradient

@mistake("content_cost_gradient", "forgets the factor 2 from the square (divides by 4 n_H n_W n_C)")
def content_cost_gradient(a_C, a_G):
    _, n_H, n_W, n_C = a_G.shape
    return (a_G - a_C) / (4 * n_H * n_W * n_C)


@mistake("content_cost_gradient", "has the sign reversed (a_C - a_G)")
def content_cost_gradient(a_C, a_G):
    _, n_H, n_W, n_C = a_G.shape
    return (a_C - a_G) / (2 * n_H * n_W * n_C)


@mistake("content_cost_gradient", "leaves out the normalisation 1 / (4 n_H n_W n_C)")
def content_cost_gradient(a_C, a_G):
    return 2 * (a_G - a_C)


@mistake("content_cost_gradient", "differentiates the mean of the squares (forgets the 1/4)")
def content_cost_gradient(a_C, a_G):
    return 2 * (a_G - a_C) / a_G.size


@rewrite("content_cost_gradient", "writes 2 (a_G - a_C) / (4 * a_G.size)")
def content_cost_gradient(a_C, a_G):
    return 2.0 * (a_G - a_C) / (4 * a_G.size)


# ---------------------------------------------------------------------------------------- gram_matrix

@mistake("gram_matrix", "computes A.T @ A (a pixel-by-pixel matrix) instead of A @ A.T")
def gram_matrix(A):
    return A.T @ A


@mistake("gram_matrix", "divides the Gram matrix by the number of pixels")
def gram_matrix(A):
    return A @ A.T / A.shape[1]


@mistake("gram_matrix", "subtracts each channel's mean first (a covariance, not a Gram matrix)")
def gram_matrix(A):
    A_c = A - A.mean(axis=1, keepdims=True)
    return A_c @ A_c.T


@mistake("gram_matrix", "multiplies elementwise (A * A) instead of a matrix product")
def gram_matrix(A):
    return A * A


@rewrite("gram_matrix", "uses np.einsum")
def gram_matrix(A):
    return np.einsum("ik,jk->ij", A, A)


@rewrite("gram_matrix", "uses np.dot(A, np.transpose(A))")
def gram_matrix(A):
    return np.dot(A, np.transpose(A))


# --------------------------------------------------------------------------- compute_layer_style_cost

@mistake("compute_layer_style_cost", "unrolls with a.reshape(n_C, n_H * n_W), without the transpose: rows mix channels")
def compute_layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    GS = gram_matrix(a_S.reshape(n_C, n_H * n_W))
    GG = gram_matrix(a_G.reshape(n_C, n_H * n_W))
    return np.sum((GS - GG) ** 2) / (4 * n_C ** 2 * (n_H * n_W) ** 2)


@mistake("compute_layer_style_cost", "unrolls to (n_H * n_W, n_C) and forgets the transpose (pixel-by-pixel Gram matrices)")
def compute_layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    GS = gram_matrix(a_S.reshape(n_H * n_W, n_C))
    GG = gram_matrix(a_G.reshape(n_H * n_W, n_C))
    return np.sum((GS - GG) ** 2) / (4 * n_C ** 2 * (n_H * n_W) ** 2)


@mistake("compute_layer_style_cost", "divides by n_C instead of n_C ** 2")
def compute_layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    GS = gram_matrix(a_S.reshape(n_H * n_W, n_C).T)
    GG = gram_matrix(a_G.reshape(n_H * n_W, n_C).T)
    return np.sum((GS - GG) ** 2) / (4 * n_C * (n_H * n_W) ** 2)


@mistake("compute_layer_style_cost", "does not square n_H * n_W in the normalisation")
def compute_layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    GS = gram_matrix(a_S.reshape(n_H * n_W, n_C).T)
    GG = gram_matrix(a_G.reshape(n_H * n_W, n_C).T)
    return np.sum((GS - GG) ** 2) / (4 * n_C ** 2 * n_H * n_W)


@mistake("compute_layer_style_cost", "squares the whole normalisation: divides by (4 n_C n_H n_W) ** 2 instead of 4 n_C ** 2 (n_H n_W) ** 2")
def compute_layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    GS = gram_matrix(a_S.reshape(n_H * n_W, n_C).T)
    GG = gram_matrix(a_G.reshape(n_H * n_W, n_C).T)
    return np.sum((GS - GG) ** 2) / (4 * n_C * n_H * n_W) ** 2


@mistake("compute_layer_style_cost", "uses the Frobenius norm ||GS - GG|| instead of its square")
def compute_layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    GS = gram_matrix(a_S.reshape(n_H * n_W, n_C).T)
    GG = gram_matrix(a_G.reshape(n_H * n_W, n_C).T)
    return np.linalg.norm(GS - GG) / (4 * n_C ** 2 * (n_H * n_W) ** 2)


@rewrite("compute_layer_style_cost", "computes the Gram matrices with np.einsum on the 4-D arrays")
def compute_layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    GS = np.einsum("ahwc,ahwd->cd", a_S, a_S)
    GG = np.einsum("ahwc,ahwd->cd", a_G, a_G)
    return float(np.sum((GS - GG) ** 2) / (4 * n_C ** 2 * (n_H * n_W) ** 2))


@rewrite("compute_layer_style_cost", "unrolls with a.T.reshape(n_C, -1) (another pixel order, the same Gram matrix)")
def compute_layer_style_cost(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    GS = gram_matrix(a_S.T.reshape(n_C, -1))
    GG = gram_matrix(a_G.T.reshape(n_C, -1))
    return np.linalg.norm(GS - GG) ** 2 / (2 * n_C * n_H * n_W) ** 2


# -------------------------------------------------------------------------- layer_style_cost_gradient

@mistake("layer_style_cost_gradient", "keeps only one factor 2 (divides by 2 n_C^2 (n_H n_W)^2): half the gradient")
def layer_style_cost_gradient(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    A_S, A_G = a_S.reshape(n_H * n_W, n_C).T, a_G.reshape(n_H * n_W, n_C).T
    dA = (gram_matrix(A_G) - gram_matrix(A_S)) @ A_G / (2 * n_C ** 2 * (n_H * n_W) ** 2)
    return dA.T.reshape(1, n_H, n_W, n_C)


@mistake("layer_style_cost_gradient", "forgets both factors 2 (keeps the 1/4 of the cost)")
def layer_style_cost_gradient(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    A_S, A_G = a_S.reshape(n_H * n_W, n_C).T, a_G.reshape(n_H * n_W, n_C).T
    dA = (gram_matrix(A_G) - gram_matrix(A_S)) @ A_G / (4 * n_C ** 2 * (n_H * n_W) ** 2)
    return dA.T.reshape(1, n_H, n_W, n_C)


@mistake("layer_style_cost_gradient", "has the sign reversed (GS - GG instead of GG - GS)")
def layer_style_cost_gradient(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    A_S, A_G = a_S.reshape(n_H * n_W, n_C).T, a_G.reshape(n_H * n_W, n_C).T
    dA = (gram_matrix(A_S) - gram_matrix(A_G)) @ A_G / (n_C ** 2 * (n_H * n_W) ** 2)
    return dA.T.reshape(1, n_H, n_W, n_C)


@mistake("layer_style_cost_gradient", "folds the (n_C, n_H n_W) gradient back with a reshape alone, without the transpose")
def layer_style_cost_gradient(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    A_S, A_G = a_S.reshape(n_H * n_W, n_C).T, a_G.reshape(n_H * n_W, n_C).T
    dA = (gram_matrix(A_G) - gram_matrix(A_S)) @ A_G / (n_C ** 2 * (n_H * n_W) ** 2)
    return dA.reshape(1, n_H, n_W, n_C)


@mistake("layer_style_cost_gradient", "multiplies by the style activations A_S instead of A_G")
def layer_style_cost_gradient(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    A_S, A_G = a_S.reshape(n_H * n_W, n_C).T, a_G.reshape(n_H * n_W, n_C).T
    dA = (gram_matrix(A_G) - gram_matrix(A_S)) @ A_S / (n_C ** 2 * (n_H * n_W) ** 2)
    return dA.T.reshape(1, n_H, n_W, n_C)


@mistake("layer_style_cost_gradient", "leaves out the normalisation 1 / (n_C^2 (n_H n_W)^2)")
def layer_style_cost_gradient(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    A_S, A_G = a_S.reshape(n_H * n_W, n_C).T, a_G.reshape(n_H * n_W, n_C).T
    dA = (gram_matrix(A_G) - gram_matrix(A_S)) @ A_G
    return dA.T.reshape(1, n_H, n_W, n_C)


@rewrite("layer_style_cost_gradient", "works with one row per pixel, (n_H n_W, n_C), and never transposes the result")
def layer_style_cost_gradient(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    P_S, P_G = a_S.reshape(-1, n_C), a_G.reshape(-1, n_C)
    D = P_G.T @ P_G - P_S.T @ P_S
    return (P_G @ D).reshape(a_G.shape) / (n_C ** 2 * (n_H * n_W) ** 2)


@rewrite("layer_style_cost_gradient", "uses np.einsum on the 4-D arrays")
def layer_style_cost_gradient(a_S, a_G):
    _, n_H, n_W, n_C = a_G.shape
    D = np.einsum("ahwc,ahwd->cd", a_G, a_G) - np.einsum("ahwc,ahwd->cd", a_S, a_S)
    return 4 * np.einsum("cd,ahwd->ahwc", D, a_G) / (4 * n_C ** 2 * (n_H * n_W) ** 2)


# --------------------------------------------------------------------------------- compute_style_cost

@mistake("compute_style_cost", "ignores the style weights (adds the layers' costs unweighted)")
def compute_style_cost(style_activations, generated_activations, style_weights):
    return sum(compute_layer_style_cost(a_S, a_G) for a_S, a_G in zip(style_activations, generated_activations))


@mistake("compute_style_cost", "divides the weighted sum by the number of layers")
def compute_style_cost(style_activations, generated_activations, style_weights):
    J = 0.0
    for a_S, a_G, w in zip(style_activations, generated_activations, style_weights):
        J += w * compute_layer_style_cost(a_S, a_G)
    return J / len(style_weights)


@mistake("compute_style_cost", "divides by the sum of the weights (rescales them to add up to 1)")
def compute_style_cost(style_activations, generated_activations, style_weights):
    J = 0.0
    for a_S, a_G, w in zip(style_activations, generated_activations, style_weights):
        J += w * compute_layer_style_cost(a_S, a_G)
    return J / sum(style_weights)


@mistake("compute_style_cost", "overwrites J_style in the loop (= instead of +=): only the last layer counts")
def compute_style_cost(style_activations, generated_activations, style_weights):
    J = 0.0
    for a_S, a_G, w in zip(style_activations, generated_activations, style_weights):
        J = w * compute_layer_style_cost(a_S, a_G)
    return J


@rewrite("compute_style_cost", "a dot product of the weights with the list of layer costs")
def compute_style_cost(style_activations, generated_activations, style_weights):
    costs = [compute_layer_style_cost(a_S, a_G) for a_S, a_G in zip(style_activations, generated_activations)]
    return float(np.dot(style_weights, costs))


@rewrite("compute_style_cost", "a loop over the layer index")
def compute_style_cost(style_activations, generated_activations, style_weights):
    J_style = 0
    for l in range(len(style_activations)):
        J_style = J_style + style_weights[l] * compute_layer_style_cost(style_activations[l], generated_activations[l])
    return J_style


# ----------------------------------------------------------------------------------------- total_cost

@mistake("total_cost", "swaps alpha and beta")
def total_cost(J_content, J_style, alpha, beta):
    return beta * J_content + alpha * J_style


@mistake("total_cost", "divides by alpha + beta (a weighted mean)")
def total_cost(J_content, J_style, alpha, beta):
    return (alpha * J_content + beta * J_style) / (alpha + beta)


@mistake("total_cost", "forgets alpha (J_content + beta * J_style)")
def total_cost(J_content, J_style, alpha, beta):
    return J_content + beta * J_style


@mistake("total_cost", "multiplies the two weighted costs instead of adding them")
def total_cost(J_content, J_style, alpha, beta):
    return alpha * J_content * beta * J_style


@rewrite("total_cost", "np.dot of the weights and the costs")
def total_cost(J_content, J_style, alpha, beta):
    return float(np.dot([alpha, beta], [J_content, J_style]))


# -------------------------------------------------------------------------- compute_cost_and_gradient

@mistake("compute_cost_and_gradient", "swaps alpha and beta in the gradient")
def compute_cost_and_gradient(G, a_C, a_S, filters, content_layer, style_weights, alpha, beta):
    activations, cache = style_utils.features_forward(G, filters)
    J = total_cost(compute_content_cost(a_C, activations[content_layer]),
                   compute_style_cost(a_S, activations, style_weights), alpha, beta)
    d = [alpha * w * layer_style_cost_gradient(s, g) for w, s, g in zip(style_weights, a_S, activations)]
    d[content_layer] = d[content_layer] + beta * content_cost_gradient(a_C, activations[content_layer])
    return J, style_utils.features_backward(d, cache)


@mistake("compute_cost_and_gradient", "ignores the style weights in the gradient")
def compute_cost_and_gradient(G, a_C, a_S, filters, content_layer, style_weights, alpha, beta):
    activations, cache = style_utils.features_forward(G, filters)
    J = total_cost(compute_content_cost(a_C, activations[content_layer]),
                   compute_style_cost(a_S, activations, style_weights), alpha, beta)
    d = [beta * layer_style_cost_gradient(s, g) for s, g in zip(a_S, activations)]
    d[content_layer] = d[content_layer] + alpha * content_cost_gradient(a_C, activations[content_layer])
    return J, style_utils.features_backward(d, cache)


@mistake("compute_cost_and_gradient", "replaces the style gradient of the content layer by the content gradient instead of adding them")
def compute_cost_and_gradient(G, a_C, a_S, filters, content_layer, style_weights, alpha, beta):
    activations, cache = style_utils.features_forward(G, filters)
    J = total_cost(compute_content_cost(a_C, activations[content_layer]),
                   compute_style_cost(a_S, activations, style_weights), alpha, beta)
    d = [beta * w * layer_style_cost_gradient(s, g) for w, s, g in zip(style_weights, a_S, activations)]
    d[content_layer] = alpha * content_cost_gradient(a_C, activations[content_layer])
    return J, style_utils.features_backward(d, cache)


@mistake("compute_cost_and_gradient", "leaves the content cost out of the gradient")
def compute_cost_and_gradient(G, a_C, a_S, filters, content_layer, style_weights, alpha, beta):
    activations, cache = style_utils.features_forward(G, filters)
    J = total_cost(compute_content_cost(a_C, activations[content_layer]),
                   compute_style_cost(a_S, activations, style_weights), alpha, beta)
    d = [beta * w * layer_style_cost_gradient(s, g) for w, s, g in zip(style_weights, a_S, activations)]
    return J, style_utils.features_backward(d, cache)


@rewrite("compute_cost_and_gradient", "builds the list of layer gradients with a comprehension and None-free sums")
def compute_cost_and_gradient(G, a_C, a_S, filters, content_layer, style_weights, alpha, beta):
    acts, cache = style_utils.features_forward(G, filters)
    J_content = compute_content_cost(a_C, acts[content_layer])
    J_style = sum(w * compute_layer_style_cost(s, g) for w, s, g in zip(style_weights, a_S, acts))
    d_acts = [beta * w * layer_style_cost_gradient(s, g)
              + (alpha * content_cost_gradient(a_C, g) if l == content_layer else 0.0)
              for l, (w, s, g) in enumerate(zip(style_weights, a_S, acts))]
    return alpha * J_content + beta * J_style, style_utils.features_backward(d_acts, cache)


@rewrite("compute_cost_and_gradient", "backpropagates the content and the style terms separately and adds the two image gradients")
def compute_cost_and_gradient(G, a_C, a_S, filters, content_layer, style_weights, alpha, beta):
    acts, cache = style_utils.features_forward(G, filters)
    J = total_cost(compute_content_cost(a_C, acts[content_layer]), compute_style_cost(a_S, acts, style_weights),
                   alpha, beta)
    d_content = [None] * len(acts)
    d_content[content_layer] = alpha * content_cost_gradient(a_C, acts[content_layer])
    d_style = [beta * w * layer_style_cost_gradient(s, g) for w, s, g in zip(style_weights, a_S, acts)]
    return J, style_utils.features_backward(d_content, cache) + style_utils.features_backward(d_style, cache)


# ---------------------------------------------------------------------------------- optimisation_step

@mistake("optimisation_step", "leaves out Adam's bias correction (uses m and v instead of m_hat and v_hat)")
def optimisation_step(G, dG, adam, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    m = beta1 * adam["m"] + (1 - beta1) * dG
    v = beta2 * adam["v"] + (1 - beta2) * dG ** 2
    G_new = np.clip(G - learning_rate * m / (np.sqrt(v) + epsilon), 0.0, 1.0)
    return G_new, {"m": m, "v": v, "t": adam["t"] + 1}


@mistake("optimisation_step", "corrects the bias with the old step count t instead of t + 1")
def optimisation_step(G, dG, adam, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    t = adam["t"]
    m = beta1 * adam["m"] + (1 - beta1) * dG
    v = beta2 * adam["v"] + (1 - beta2) * dG ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        step = (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + epsilon)
    return np.clip(G - learning_rate * step, 0.0, 1.0), {"m": m, "v": v, "t": t + 1}


@mistake("optimisation_step", "does not clip the pixels to [0, 1]")
def optimisation_step(G, dG, adam, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    t = adam["t"] + 1
    m = beta1 * adam["m"] + (1 - beta1) * dG
    v = beta2 * adam["v"] + (1 - beta2) * dG ** 2
    G_new = G - learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + epsilon)
    return G_new, {"m": m, "v": v, "t": t}


@mistake("optimisation_step", "adds the step (gradient ascent) instead of subtracting it")
def optimisation_step(G, dG, adam, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    t = adam["t"] + 1
    m = beta1 * adam["m"] + (1 - beta1) * dG
    v = beta2 * adam["v"] + (1 - beta2) * dG ** 2
    G_new = np.clip(G + learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + epsilon), 0.0, 1.0)
    return G_new, {"m": m, "v": v, "t": t}


@mistake("optimisation_step", "forgets the square root of v_hat in the denominator")
def optimisation_step(G, dG, adam, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    t = adam["t"] + 1
    m = beta1 * adam["m"] + (1 - beta1) * dG
    v = beta2 * adam["v"] + (1 - beta2) * dG ** 2
    G_new = np.clip(G - learning_rate * (m / (1 - beta1 ** t)) / (v / (1 - beta2 ** t) + epsilon), 0.0, 1.0)
    return G_new, {"m": m, "v": v, "t": t}


@mistake("optimisation_step", "does not count the step: returns the old t in the new state")
def optimisation_step(G, dG, adam, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    t = adam["t"] + 1
    m = beta1 * adam["m"] + (1 - beta1) * dG
    v = beta2 * adam["v"] + (1 - beta2) * dG ** 2
    G_new = np.clip(G - learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + epsilon), 0.0, 1.0)
    return G_new, {"m": m, "v": v, "t": adam["t"]}


@mistake("optimisation_step", "uses the fixed values 0.9 and 0.999 instead of the arguments beta1 and beta2")
def optimisation_step(G, dG, adam, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    t = adam["t"] + 1
    m = 0.9 * adam["m"] + 0.1 * dG
    v = 0.999 * adam["v"] + 0.001 * dG ** 2
    G_new = np.clip(G - learning_rate * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + epsilon), 0.0, 1.0)
    return G_new, {"m": m, "v": v, "t": t}


@rewrite("optimisation_step", "copies the state and updates it in the copy; clips with np.minimum / np.maximum")
def optimisation_step(G, dG, adam, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    state = {key: (value.copy() if isinstance(value, np.ndarray) else value) for key, value in adam.items()}
    state["t"] += 1
    state["m"] *= beta1
    state["m"] += (1 - beta1) * dG
    state["v"] *= beta2
    state["v"] += (1 - beta2) * np.square(dG)
    m_hat = state["m"] / (1 - beta1 ** state["t"])
    v_hat = state["v"] / (1 - beta2 ** state["t"])
    return np.minimum(np.maximum(G - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), 0), 1), state
