"""Mistake catalogue for c2w2_optimization: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ------------------------------------------------------------------------- update_parameters_with_gd

@mistake("update_parameters_with_gd", "adds the gradient instead of subtracting it (gradient ascent)")
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] + learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] + learning_rate * grads["db" + str(l)]
    return parameters


@mistake("update_parameters_with_gd", "updates the weights only, not the biases")
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
    return parameters


@mistake("update_parameters_with_gd", "stops the loop one layer early (range(1, L)): the last layer is not updated")
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


@mistake("update_parameters_with_gd", "forgets the learning rate (subtracts the raw gradient)")
def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - grads["db" + str(l)]
    return parameters


@rewrite("update_parameters_with_gd", "loops over the parameter names and updates in place with -=")
def update_parameters_with_gd(parameters, grads, learning_rate):
    for name in list(parameters):
        parameters[name] = parameters[name].astype(float)
        parameters[name] -= learning_rate * grads["d" + name]
    return parameters


# ------------------------------------------------------------------------------- random_mini_batches

@mistake("random_mini_batches", "shuffles X and Y with two different permutations, separating examples from their labels")
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    shuffled_X = X[:, rng.permutation(m)]
    shuffled_Y = Y[:, rng.permutation(m)]
    mini_batches = []
    for start in range(0, m, mini_batch_size):
        mini_batches.append((shuffled_X[:, start:start + mini_batch_size], shuffled_Y[:, start:start + mini_batch_size]))
    return mini_batches


@mistake("random_mini_batches", "drops the last, smaller mini-batch")
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    permutation = rng.permutation(m)
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    mini_batches = []
    for k in range(m // mini_batch_size):
        mini_batches.append((shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size],
                             shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]))
    return mini_batches


@mistake("random_mini_batches", "does not shuffle: splits X and Y in their original order")
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    m = X.shape[1]
    mini_batches = []
    for start in range(0, m, mini_batch_size):
        mini_batches.append((X[:, start:start + mini_batch_size], Y[:, start:start + mini_batch_size]))
    return mini_batches


@mistake("random_mini_batches", "takes the last mini-batch from the unshuffled X and Y")
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    permutation = rng.permutation(m)
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    num_complete = m // mini_batch_size
    mini_batches = []
    for k in range(num_complete):
        mini_batches.append((shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size],
                             shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]))
    if m % mini_batch_size != 0:
        mini_batches.append((X[:, num_complete * mini_batch_size:], Y[:, num_complete * mini_batch_size:]))
    return mini_batches


@mistake("random_mini_batches", "makes the last mini-batch the last mini_batch_size columns, repeating examples of the previous batch")
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    permutation = rng.permutation(m)
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    num_complete = m // mini_batch_size
    mini_batches = []
    for k in range(num_complete):
        mini_batches.append((shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size],
                             shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]))
    if m % mini_batch_size != 0:
        mini_batches.append((shuffled_X[:, -mini_batch_size:], shuffled_Y[:, -mini_batch_size:]))
    return mini_batches


@mistake("random_mini_batches", "appends an empty last mini-batch when m is a multiple of mini_batch_size (no m % mini_batch_size check)")
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    permutation = rng.permutation(m)
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    num_complete = m // mini_batch_size
    mini_batches = []
    for k in range(num_complete):
        mini_batches.append((shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size],
                             shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]))
    mini_batches.append((shuffled_X[:, num_complete * mini_batch_size:], shuffled_Y[:, num_complete * mini_batch_size:]))
    return mini_batches


@mistake("random_mini_batches", "shuffles with the legacy np.random.seed / np.random.permutation instead of the Generator rng")
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = np.random.permutation(m)
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation]
    mini_batches = []
    for start in range(0, m, mini_batch_size):
        mini_batches.append((shuffled_X[:, start:start + mini_batch_size], shuffled_Y[:, start:start + mini_batch_size]))
    return mini_batches


@rewrite("random_mini_batches", "steps through the shuffled columns with range(0, m, mini_batch_size)")
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    permutation = list(rng.permutation(m))
    shuffled_X, shuffled_Y = X[:, permutation], Y[:, permutation].reshape((1, m))
    return [(shuffled_X[:, start:start + mini_batch_size], shuffled_Y[:, start:start + mini_batch_size])
            for start in range(0, m, mini_batch_size)]


@rewrite("random_mini_batches", "splits the shuffled arrays with np.array_split at multiples of mini_batch_size")
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    permutation = rng.permutation(m)
    cuts = list(range(mini_batch_size, m, mini_batch_size))
    xs = np.array_split(np.take(X, permutation, axis=1), cuts, axis=1)
    ys = np.array_split(np.take(Y, permutation, axis=1), cuts, axis=1)
    return list(zip(xs, ys))


# ------------------------------------------------------------------------------- initialize_velocity

@mistake("initialize_velocity", "names the velocities like the parameters (W1, b1, ...) instead of dW1, db1, ...")
def initialize_velocity(parameters):
    L = len(parameters) // 2
    v = {}
    for l in range(1, L + 1):
        v["W" + str(l)] = np.zeros_like(parameters["W" + str(l)])
        v["b" + str(l)] = np.zeros_like(parameters["b" + str(l)])
    return v


@mistake("initialize_velocity", "gives the bias velocities the flat shape (n[l],) instead of (n[l], 1)")
def initialize_velocity(parameters):
    L = len(parameters) // 2
    v = {}
    for l in range(1, L + 1):
        v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
        v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape[0])
    return v


@mistake("initialize_velocity", "stops the loop one layer early (range(1, L)): no velocity for the last layer")
def initialize_velocity(parameters):
    L = len(parameters) // 2
    v = {}
    for l in range(1, L):
        v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
        v["db" + str(l)] = np.zeros_like(parameters["b" + str(l)])
    return v


@mistake("initialize_velocity", "starts the velocities at copies of the parameters instead of zeros")
def initialize_velocity(parameters):
    L = len(parameters) // 2
    v = {}
    for l in range(1, L + 1):
        v["dW" + str(l)] = np.copy(parameters["W" + str(l)])
        v["db" + str(l)] = np.copy(parameters["b" + str(l)])
    return v


@rewrite("initialize_velocity", "uses a dict comprehension with np.zeros(shape)")
def initialize_velocity(parameters):
    return {"d" + name: np.zeros(value.shape) for name, value in parameters.items()}


# -------------------------------------------------------------------- update_parameters_with_momentum

@mistake("update_parameters_with_momentum", "forgets the factor (1 - beta) on the gradient")
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for name in ("W" + str(l), "b" + str(l)):
            d = "d" + name
            v[d] = beta * v[d] + grads[d]
            parameters[name] = parameters[name] - learning_rate * v[d]
    return parameters, v


@mistake("update_parameters_with_momentum", "swaps beta and 1 - beta (v = (1 - beta) v + beta dW)")
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for name in ("W" + str(l), "b" + str(l)):
            d = "d" + name
            v[d] = (1 - beta) * v[d] + beta * grads[d]
            parameters[name] = parameters[name] - learning_rate * v[d]
    return parameters, v


@mistake("update_parameters_with_momentum", "steps along the gradient instead of the velocity")
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for name in ("W" + str(l), "b" + str(l)):
            d = "d" + name
            v[d] = beta * v[d] + (1 - beta) * grads[d]
            parameters[name] = parameters[name] - learning_rate * grads[d]
    return parameters, v


@mistake("update_parameters_with_momentum", "updates the parameters with the old velocity, before updating v")
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for name in ("W" + str(l), "b" + str(l)):
            d = "d" + name
            parameters[name] = parameters[name] - learning_rate * v[d]
            v[d] = beta * v[d] + (1 - beta) * grads[d]
    return parameters, v


@mistake("update_parameters_with_momentum", "updates the weights only; the biases and their velocities stay as they were")
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        d = "dW" + str(l)
        v[d] = beta * v[d] + (1 - beta) * grads[d]
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * v[d]
    return parameters, v


@rewrite("update_parameters_with_momentum", "writes v = beta (v - dW) + dW and updates in place")
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    for name in list(parameters):
        d = "d" + name
        v[d] = beta * (v[d] - grads[d]) + grads[d]
        parameters[name] = parameters[name] - learning_rate * v[d]
    return parameters, v


# ------------------------------------------------------------------------------------ initialize_adam

@mistake("initialize_adam", "starts s at ones instead of zeros")
def initialize_adam(parameters):
    L = len(parameters) // 2
    v, s = {}, {}
    for l in range(1, L + 1):
        for name in ("W" + str(l), "b" + str(l)):
            v["d" + name] = np.zeros_like(parameters[name])
            s["d" + name] = np.ones_like(parameters[name])
    return v, s


@mistake("initialize_adam", "names the moments like the parameters (W1, b1, ...) instead of dW1, db1, ...")
def initialize_adam(parameters):
    L = len(parameters) // 2
    v, s = {}, {}
    for l in range(1, L + 1):
        for name in ("W" + str(l), "b" + str(l)):
            v[name] = np.zeros_like(parameters[name])
            s[name] = np.zeros_like(parameters[name])
    return v, s


@mistake("initialize_adam", "stops the loop one layer early (range(1, L)): no moments for the last layer")
def initialize_adam(parameters):
    L = len(parameters) // 2
    v, s = {}, {}
    for l in range(1, L):
        for name in ("W" + str(l), "b" + str(l)):
            v["d" + name] = np.zeros_like(parameters[name])
            s["d" + name] = np.zeros_like(parameters[name])
    return v, s


@mistake("initialize_adam", "gives the bias moments the flat shape (n[l],) instead of (n[l], 1)")
def initialize_adam(parameters):
    L = len(parameters) // 2
    v, s = {}, {}
    for l in range(1, L + 1):
        v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
        s["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
        v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape[0])
        s["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape[0])
    return v, s


@rewrite("initialize_adam", "builds both dicts with comprehensions")
def initialize_adam(parameters):
    v = {"d" + k: np.zeros(p.shape) for k, p in parameters.items()}
    s = {"d" + k: np.zeros(p.shape) for k, p in parameters.items()}
    return v, s


# ------------------------------------------------------------------------ update_parameters_with_adam

@mistake("update_parameters_with_adam", "skips the bias correction (steps with v and s themselves)")
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for name in ("W" + str(l), "b" + str(l)):
            d = "d" + name
            v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
            s[d] = beta2 * s[d] + (1 - beta2) * grads[d] ** 2
            v_corrected[d], s_corrected[d] = v[d], s[d]
            parameters[name] = parameters[name] - learning_rate * v[d] / (np.sqrt(s[d]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected


@mistake("update_parameters_with_adam", "adds epsilon inside the square root, sqrt(s_corrected + epsilon)")
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for name in ("W" + str(l), "b" + str(l)):
            d = "d" + name
            v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
            v_corrected[d] = v[d] / (1 - beta1 ** t)
            s[d] = beta2 * s[d] + (1 - beta2) * grads[d] ** 2
            s_corrected[d] = s[d] / (1 - beta2 ** t)
            parameters[name] = parameters[name] - learning_rate * v_corrected[d] / np.sqrt(s_corrected[d] + epsilon)
    return parameters, v, s, v_corrected, s_corrected


@mistake("update_parameters_with_adam", "bias-corrects with 1 - beta instead of 1 - beta ** t, as if t were always 1 (t never incremented, or the ** t forgotten)")
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for name in ("W" + str(l), "b" + str(l)):
            d = "d" + name
            v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
            v_corrected[d] = v[d] / (1 - beta1)
            s[d] = beta2 * s[d] + (1 - beta2) * grads[d] ** 2
            s_corrected[d] = s[d] / (1 - beta2)
            parameters[name] = parameters[name] - learning_rate * v_corrected[d] / (np.sqrt(s_corrected[d]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected


@mistake("update_parameters_with_adam", "uses the step number t + 1 in the bias correction (counts the step twice)")
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for name in ("W" + str(l), "b" + str(l)):
            d = "d" + name
            v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
            v_corrected[d] = v[d] / (1 - beta1 ** (t + 1))
            s[d] = beta2 * s[d] + (1 - beta2) * grads[d] ** 2
            s_corrected[d] = s[d] / (1 - beta2 ** (t + 1))
            parameters[name] = parameters[name] - learning_rate * v_corrected[d] / (np.sqrt(s_corrected[d]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected


@mistake("update_parameters_with_adam", "averages the gradients, not their squares, into s")
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for name in ("W" + str(l), "b" + str(l)):
            d = "d" + name
            v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
            v_corrected[d] = v[d] / (1 - beta1 ** t)
            s[d] = beta2 * s[d] + (1 - beta2) * grads[d]
            s_corrected[d] = s[d] / (1 - beta2 ** t)
            parameters[name] = parameters[name] - learning_rate * v_corrected[d] / (np.sqrt(np.abs(s_corrected[d])) + epsilon)
    return parameters, v, s, v_corrected, s_corrected


@mistake("update_parameters_with_adam", "bias-corrects s but steps with the uncorrected v")
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for name in ("W" + str(l), "b" + str(l)):
            d = "d" + name
            v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
            v_corrected[d] = v[d] / (1 - beta1 ** t)
            s[d] = beta2 * s[d] + (1 - beta2) * grads[d] ** 2
            s_corrected[d] = s[d] / (1 - beta2 ** t)
            parameters[name] = parameters[name] - learning_rate * v[d] / (np.sqrt(s_corrected[d]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected


@mistake("update_parameters_with_adam", "forgets the factor (1 - beta1) on the gradient in v")
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for name in ("W" + str(l), "b" + str(l)):
            d = "d" + name
            v[d] = beta1 * v[d] + grads[d]
            v_corrected[d] = v[d] / (1 - beta1 ** t)
            s[d] = beta2 * s[d] + (1 - beta2) * grads[d] ** 2
            s_corrected[d] = s[d] / (1 - beta2 ** t)
            parameters[name] = parameters[name] - learning_rate * v_corrected[d] / (np.sqrt(s_corrected[d]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected


@rewrite("update_parameters_with_adam", "loops over the parameter names and uses np.square and np.power")
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    v_corrected, s_corrected = {}, {}
    for name in list(parameters):
        d = "d" + name
        v[d] = beta1 * v[d] + (1 - beta1) * grads[d]
        s[d] = beta2 * s[d] + (1 - beta2) * np.square(grads[d])
        v_corrected[d] = v[d] / (1 - np.power(beta1, t))
        s_corrected[d] = s[d] / (1 - np.power(beta2, t))
        parameters[name] = parameters[name] - learning_rate * v_corrected[d] / (np.sqrt(s_corrected[d]) + epsilon)
    return parameters, v, s, v_corrected, s_corrected


# ------------------------------------------------------------------------------------------ update_lr

@mistake("update_lr", "leaves out the 1 +: learning_rate0 / (decay_rate * epoch_num)")
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (decay_rate * epoch_num)


@mistake("update_lr", "decays exponentially, learning_rate0 * decay_rate ** epoch_num")
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * decay_rate ** epoch_num


@mistake("update_lr", "divides by (1 + decay_rate) ** epoch_num instead of 1 + decay_rate * epoch_num")
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / np.power(1 + decay_rate, epoch_num)


@mistake("update_lr", "multiplies by 1 + decay_rate * epoch_num instead of dividing")
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * (1 + decay_rate * epoch_num)


@mistake("update_lr", "writes learning_rate0 / 1 + decay_rate * epoch_num without brackets")
def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / 1 + decay_rate * epoch_num


@rewrite("update_lr", "multiplies by 1 / (1 + decay_rate * epoch_num)")
def update_lr(learning_rate0, epoch_num, decay_rate):
    return (1.0 / (1.0 + decay_rate * epoch_num)) * learning_rate0


# ---------------------------------------------------------------------------------- schedule_lr_decay

@mistake("schedule_lr_decay", "uses epoch_num / time_interval without rounding down (decays smoothly)")
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num / time_interval)


@mistake("schedule_lr_decay", "ignores time_interval and decays every epoch (the update_lr formula)")
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num)


@mistake("schedule_lr_decay", "rounds epoch_num / time_interval to the nearest integer instead of down")
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * round(epoch_num / time_interval))


@mistake("schedule_lr_decay", "rounds epoch_num / time_interval up (np.ceil) instead of down")
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * np.ceil(epoch_num / time_interval))


@mistake("schedule_lr_decay", "uses the default interval 1000 instead of the time_interval argument")
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num // 1000))


@rewrite("schedule_lr_decay", "rounds down with np.floor(epoch_num / time_interval)")
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return float(learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval)))


@rewrite("schedule_lr_decay", "calls update_lr with the number of whole intervals")
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return update_lr(learning_rate0, int(epoch_num / time_interval), decay_rate)
