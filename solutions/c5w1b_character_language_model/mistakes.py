"""Mistake catalogue for c5w1b_character_language_model: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# -------------------------------------------------------------------------------------------- clip

@mistake("clip", "clips the loop variable (a copy) and returns the original, unclipped gradients")
def clip(gradients, maxValue):
    for g in gradients.values():
        g = np.clip(g, -maxValue, maxValue)
    return gradients


@mistake("clip", "clips only the weight gradients dWax, dWaa, dWya and leaves db and dby unclipped")
def clip(gradients, maxValue):
    out = dict(gradients)
    for key in ("dWax", "dWaa", "dWya"):
        out[key] = np.clip(gradients[key], -maxValue, maxValue)
    return out


@mistake("clip", "clips only from above (np.minimum), so large negative entries stay")
def clip(gradients, maxValue):
    return {k: np.minimum(g, maxValue) for k, g in gradients.items()}


@mistake("clip", "clips to [0, maxValue] instead of [-maxValue, maxValue]")
def clip(gradients, maxValue):
    return {k: np.clip(g, 0, maxValue) for k, g in gradients.items()}


@mistake("clip", "rescales each gradient to norm maxValue instead of clipping each entry")
def clip(gradients, maxValue):
    out = {}
    for k, g in gradients.items():
        norm = np.linalg.norm(g)
        out[k] = g * (maxValue / norm) if norm > maxValue else g
    return out


@rewrite("clip", "clips each array in place with np.clip(..., out=...) and returns the same dict")
def clip(gradients, maxValue):
    for key in ("dWaa", "dWax", "dWya", "db", "dby"):
        np.clip(gradients[key], -maxValue, maxValue, out=gradients[key])
    return gradients


@rewrite("clip", "uses np.maximum(np.minimum(g, maxValue), -maxValue)")
def clip(gradients, maxValue):
    return {k: np.maximum(np.minimum(g, maxValue), -maxValue) for k, g in gradients.items()}


# ------------------------------------------------------------------------------------------ sample

@mistake("sample", "takes the most likely character (argmax) instead of drawing one at random")
def sample(parameters, char_to_ix, seed):
    Waa, Wax, Wya, by, b = (parameters[k] for k in ("Waa", "Wax", "Wya", "by", "b"))
    V, n_a, newline = by.shape[0], Waa.shape[1], char_to_ix["\n"]
    x, a_prev, indices = np.zeros((V, 1)), np.zeros((n_a, 1)), []
    while len(indices) < MAX_SAMPLE_LENGTH:
        a = np.tanh(Wax @ x + Waa @ a_prev + b)
        idx = int(np.argmax(softmax(Wya @ a + by)))
        indices.append(idx)
        if idx == newline:
            break
        x, a_prev = one_hot(idx, V), a
    if indices[-1] != newline:
        indices.append(newline)
    return indices


@mistake("sample", "does not feed the sampled character back: the input stays the zero vector")
def sample(parameters, char_to_ix, seed):
    Waa, Wax, Wya, by, b = (parameters[k] for k in ("Waa", "Wax", "Wya", "by", "b"))
    V, n_a, newline = by.shape[0], Waa.shape[1], char_to_ix["\n"]
    rng = np.random.default_rng(seed)
    x, a_prev, indices = np.zeros((V, 1)), np.zeros((n_a, 1)), []
    while len(indices) < MAX_SAMPLE_LENGTH:
        a = np.tanh(Wax @ x + Waa @ a_prev + b)
        idx = int(rng.choice(V, p=softmax(Wya @ a + by).ravel()))
        indices.append(idx)
        if idx == newline:
            break
        a_prev = a
    if indices[-1] != newline:
        indices.append(newline)
    return indices


@mistake("sample", "never updates a_prev: every step starts again from the zero hidden state")
def sample(parameters, char_to_ix, seed):
    Waa, Wax, Wya, by, b = (parameters[k] for k in ("Waa", "Wax", "Wya", "by", "b"))
    V, n_a, newline = by.shape[0], Waa.shape[1], char_to_ix["\n"]
    rng = np.random.default_rng(seed)
    x, a_prev, indices = np.zeros((V, 1)), np.zeros((n_a, 1)), []
    while len(indices) < MAX_SAMPLE_LENGTH:
        a = np.tanh(Wax @ x + Waa @ a_prev + b)
        idx = int(rng.choice(V, p=softmax(Wya @ a + by).ravel()))
        indices.append(idx)
        if idx == newline:
            break
        x = one_hot(idx, V)
    if indices[-1] != newline:
        indices.append(newline)
    return indices


@mistake("sample", "stops before appending the newline, so a finished name does not end with it")
def sample(parameters, char_to_ix, seed):
    Waa, Wax, Wya, by, b = (parameters[k] for k in ("Waa", "Wax", "Wya", "by", "b"))
    V, n_a, newline = by.shape[0], Waa.shape[1], char_to_ix["\n"]
    rng = np.random.default_rng(seed)
    x, a_prev, indices = np.zeros((V, 1)), np.zeros((n_a, 1)), []
    while len(indices) < MAX_SAMPLE_LENGTH:
        a = np.tanh(Wax @ x + Waa @ a_prev + b)
        idx = int(rng.choice(V, p=softmax(Wya @ a + by).ravel()))
        if idx == newline:
            break
        indices.append(idx)
        x, a_prev = one_hot(idx, V), a
    return indices


@mistake("sample", "does not append the newline when the 50-character limit is reached")
def sample(parameters, char_to_ix, seed):
    Waa, Wax, Wya, by, b = (parameters[k] for k in ("Waa", "Wax", "Wya", "by", "b"))
    V, n_a, newline = by.shape[0], Waa.shape[1], char_to_ix["\n"]
    rng = np.random.default_rng(seed)
    x, a_prev, indices = np.zeros((V, 1)), np.zeros((n_a, 1)), []
    while len(indices) < MAX_SAMPLE_LENGTH:
        a = np.tanh(Wax @ x + Waa @ a_prev + b)
        idx = int(rng.choice(V, p=softmax(Wya @ a + by).ravel()))
        indices.append(idx)
        if idx == newline:
            break
        x, a_prev = one_hot(idx, V), a
    return indices


@mistake("sample", "off by one in the length limit: draws 51 characters before giving up")
def sample(parameters, char_to_ix, seed):
    Waa, Wax, Wya, by, b = (parameters[k] for k in ("Waa", "Wax", "Wya", "by", "b"))
    V, n_a, newline = by.shape[0], Waa.shape[1], char_to_ix["\n"]
    rng = np.random.default_rng(seed)
    x, a_prev, indices = np.zeros((V, 1)), np.zeros((n_a, 1)), []
    while len(indices) <= MAX_SAMPLE_LENGTH:
        a = np.tanh(Wax @ x + Waa @ a_prev + b)
        idx = int(rng.choice(V, p=softmax(Wya @ a + by).ravel()))
        indices.append(idx)
        if idx == newline:
            break
        x, a_prev = one_hot(idx, V), a
    if indices[-1] != newline:
        indices.append(newline)
    return indices


@mistake("sample", "takes index 0 as the newline instead of char_to_ix['\\n']")
def sample(parameters, char_to_ix, seed):
    Waa, Wax, Wya, by, b = (parameters[k] for k in ("Waa", "Wax", "Wya", "by", "b"))
    V, n_a, newline = by.shape[0], Waa.shape[1], 0
    rng = np.random.default_rng(seed)
    x, a_prev, indices = np.zeros((V, 1)), np.zeros((n_a, 1)), []
    while len(indices) < MAX_SAMPLE_LENGTH:
        a = np.tanh(Wax @ x + Waa @ a_prev + b)
        idx = int(rng.choice(V, p=softmax(Wya @ a + by).ravel()))
        indices.append(idx)
        if idx == newline:
            break
        x, a_prev = one_hot(idx, V), a
    if indices[-1] != newline:
        indices.append(newline)
    return indices


@rewrite("sample", "draws by inverting the cumulative distribution with one rng.random() per character")
def sample(parameters, char_to_ix, seed):
    rng = np.random.default_rng(seed)
    V, newline = parameters["by"].shape[0], char_to_ix["\n"]
    x, a, indices = np.zeros((V, 1)), np.zeros((parameters["Waa"].shape[0], 1)), []
    while True:
        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["b"])
        z = parameters["Wya"] @ a + parameters["by"]
        p = np.exp(z - z.max())
        cdf = np.cumsum(p / p.sum())
        idx = int(np.searchsorted(cdf / cdf[-1], rng.random(), side="right"))
        indices.append(idx)
        if idx == newline:
            return indices
        if len(indices) == MAX_SAMPLE_LENGTH:
            return indices + [newline]
        x = np.zeros((V, 1))
        x[idx] = 1


@rewrite("sample", "uses a counter and a for loop with break")
def sample(parameters, char_to_ix, seed):
    Waa, Wax, Wya, by, b = (parameters[k] for k in ("Waa", "Wax", "Wya", "by", "b"))
    V, newline = by.shape[0], char_to_ix["\n"]
    rng = np.random.default_rng(seed)
    x, a_prev, indices = np.zeros((V, 1)), np.zeros((Waa.shape[0], 1)), []
    for counter in range(MAX_SAMPLE_LENGTH):
        a_prev = np.tanh(np.dot(Wax, x) + np.dot(Waa, a_prev) + b)
        y = softmax(np.dot(Wya, a_prev) + by)
        idx = rng.choice(list(range(V)), p=y.ravel())
        indices.append(int(idx))
        if idx == newline:
            break
        x = one_hot(int(idx), V)
    else:
        indices.append(newline)
    return indices


# ---------------------------------------------------------------------------------------- optimize

@mistake("optimize", "does not clip the gradients")
def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients = rnn_backward(X, Y, parameters, cache)
    parameters = update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, cache["a"][:, -1:], parameters


@mistake("optimize", "updates the parameters before clipping, so the update uses the unclipped gradients")
def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients = rnn_backward(X, Y, parameters, cache)
    parameters = update_parameters(parameters, gradients, learning_rate)
    gradients = clip(gradients, 5)
    return loss, gradients, cache["a"][:, -1:], parameters


@mistake("optimize", "ignores a_prev and starts the forward pass from zeros")
def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, np.zeros_like(a_prev), parameters)
    gradients = clip(rnn_backward(X, Y, parameters, cache), 5)
    parameters = update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, cache["a"][:, -1:], parameters


@mistake("optimize", "returns the first hidden state a<1> instead of the last one")
def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients = clip(rnn_backward(X, Y, parameters, cache), 5)
    parameters = update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, cache["a"][:, 1:2], parameters


@mistake("optimize", "clips to [-1, 1] instead of [-5, 5]")
def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients = clip(rnn_backward(X, Y, parameters, cache), 1)
    parameters = update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, cache["a"][:, -1:], parameters


@rewrite("optimize", "writes the update as an explicit loop over the parameter names")
def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients = rnn_backward(X, Y, parameters, cache)
    gradients = {k: np.clip(g, -5, 5) for k, g in gradients.items()}
    new = {}
    for k in ("Wax", "Waa", "Wya", "b", "by"):
        new[k] = parameters[k] - learning_rate * gradients["d" + k]
    parameters = new
    a_last = cache["a"][:, -1].reshape(-1, 1)
    return loss, gradients, a_last, parameters


# ------------------------------------------------------------------------------------------- model

@mistake("model", "carries the hidden state over from one name to the next instead of starting each from zeros")
def model(data_x, ix_to_char, char_to_ix, num_iterations=20000, n_a=50, learning_rate=0.01, seed=0,
          parameters=None):
    V = len(ix_to_char)
    if parameters is None:
        parameters = initialize_parameters(n_a, V, V, seed)
    n_a = parameters["Waa"].shape[0]
    rng = np.random.default_rng(seed)
    n, losses, a_prev = len(data_x), [], np.zeros((n_a, 1))
    for j in range(num_iterations):
        if j % n == 0:
            order = rng.permutation(n)
        X = [None] + [char_to_ix[c] for c in data_x[order[j % n]]]
        Y = X[1:] + [char_to_ix["\n"]]
        loss, _, a_prev, parameters = optimize(X, Y, a_prev, parameters, learning_rate)
        losses.append(loss)
    return parameters, losses


@mistake("model", "does not shuffle: visits the names in file order")
def model(data_x, ix_to_char, char_to_ix, num_iterations=20000, n_a=50, learning_rate=0.01, seed=0,
          parameters=None):
    V = len(ix_to_char)
    if parameters is None:
        parameters = initialize_parameters(n_a, V, V, seed)
    n_a = parameters["Waa"].shape[0]
    losses = []
    for j in range(num_iterations):
        X = [None] + [char_to_ix[c] for c in data_x[j % len(data_x)]]
        Y = X[1:] + [char_to_ix["\n"]]
        loss, _, _, parameters = optimize(X, Y, np.zeros((n_a, 1)), parameters, learning_rate)
        losses.append(loss)
    return parameters, losses


@mistake("model", "shuffles only once, before the first pass, instead of before every pass")
def model(data_x, ix_to_char, char_to_ix, num_iterations=20000, n_a=50, learning_rate=0.01, seed=0,
          parameters=None):
    V = len(ix_to_char)
    if parameters is None:
        parameters = initialize_parameters(n_a, V, V, seed)
    n_a = parameters["Waa"].shape[0]
    order = np.random.default_rng(seed).permutation(len(data_x))
    losses = []
    for j in range(num_iterations):
        X = [None] + [char_to_ix[c] for c in data_x[order[j % len(data_x)]]]
        Y = X[1:] + [char_to_ix["\n"]]
        loss, _, _, parameters = optimize(X, Y, np.zeros((n_a, 1)), parameters, learning_rate)
        losses.append(loss)
    return parameters, losses


@mistake("model", "drops the leading zero input: X starts with the first character (X = indices of the name)")
def model(data_x, ix_to_char, char_to_ix, num_iterations=20000, n_a=50, learning_rate=0.01, seed=0,
          parameters=None):
    V = len(ix_to_char)
    if parameters is None:
        parameters = initialize_parameters(n_a, V, V, seed)
    n_a = parameters["Waa"].shape[0]
    rng = np.random.default_rng(seed)
    n, losses = len(data_x), []
    for j in range(num_iterations):
        if j % n == 0:
            order = rng.permutation(n)
        X = [char_to_ix[c] for c in data_x[order[j % n]]]
        Y = X[1:] + [char_to_ix["\n"]]
        loss, _, _, parameters = optimize(X, Y, np.zeros((n_a, 1)), parameters, learning_rate)
        losses.append(loss)
    return parameters, losses


@rewrite("model", "draws every pass's order up front, in the same sequence of rng calls")
def model(data_x, ix_to_char, char_to_ix, num_iterations=20000, n_a=50, learning_rate=0.01, seed=0,
          parameters=None):
    V = len(ix_to_char)
    if parameters is None:
        parameters = initialize_parameters(n_a, V, V, seed)
    n_a = parameters["Waa"].shape[0]
    rng = np.random.default_rng(seed)
    n = len(data_x)
    passes = -(-num_iterations // n)
    schedule = np.concatenate([rng.permutation(n) for _ in range(passes)]) if passes else []
    newline = char_to_ix["\n"]
    losses = []
    for j in range(num_iterations):
        name = data_x[schedule[j]]
        X = [None] + [char_to_ix[c] for c in name]
        Y = [char_to_ix[c] for c in name] + [newline]
        result = optimize(X, Y, np.zeros((n_a, 1)), parameters, learning_rate)
        parameters = result[3]
        losses.append(result[0])
    return parameters, losses
