"""Mistake catalogue for c2w1c_gradient_checking: wrong variants (each must lose its item) and rewrites (full marks).

The backward pass to be checked comes with planted bugs; the mistakes catalogued here are those of
the checker itself (and of the one-parameter model it is first built on).
"""
from grader.catalogue import mistake, rewrite


# ------------------------------------------------------------------------------- forward_propagation

@mistake("forward_propagation", "adds theta and x instead of multiplying them")
def forward_propagation(x, theta):
    return theta + x


@mistake("forward_propagation", "returns the derivative x instead of the cost theta * x")
def forward_propagation(x, theta):
    return x


@mistake("forward_propagation", "returns theta alone, forgetting the input x")
def forward_propagation(x, theta):
    return theta


@rewrite("forward_propagation", "uses np.multiply and converts to float")
def forward_propagation(x, theta):
    return float(np.multiply(x, theta))


# ------------------------------------------------------------------------------ backward_propagation

@mistake("backward_propagation", "returns theta, the derivative with respect to x, instead of x")
def backward_propagation(x, theta):
    return theta


@mistake("backward_propagation", "returns the cost theta * x instead of its derivative")
def backward_propagation(x, theta):
    return theta * x


@mistake("backward_propagation", "returns 1, as if J were theta alone")
def backward_propagation(x, theta):
    return 1.0


@rewrite("backward_propagation", "returns float(x)")
def backward_propagation(x, theta):
    return float(x)


# ------------------------------------------------------------------------------------ gradient_check

@mistake("gradient_check", "adds epsilon on both sides (theta_minus = theta + epsilon), so the centred difference is 0")
def gradient_check(x, theta, epsilon=1e-7):
    J_plus = forward_propagation(x, theta + epsilon)
    J_minus = forward_propagation(x, theta + epsilon)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))


@mistake("gradient_check", "returns the numerator |grad - gradapprox| without dividing by |grad| + |gradapprox|")
def gradient_check(x, theta, epsilon=1e-7):
    J_plus = forward_propagation(x, theta + epsilon)
    J_minus = forward_propagation(x, theta - epsilon)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    return float(np.linalg.norm(grad - gradapprox))


@mistake("gradient_check", "uses the one-sided difference (J(theta + epsilon) - J(theta)) / epsilon")
def gradient_check(x, theta, epsilon=1e-7):
    J_plus = forward_propagation(x, theta + epsilon)
    J = forward_propagation(x, theta)
    gradapprox = (J_plus - J) / epsilon
    grad = backward_propagation(x, theta)
    return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))


@mistake("gradient_check", "divides J_plus - J_minus by epsilon instead of 2 * epsilon")
def gradient_check(x, theta, epsilon=1e-7):
    J_plus = forward_propagation(x, theta + epsilon)
    J_minus = forward_propagation(x, theta - epsilon)
    gradapprox = (J_plus - J_minus) / epsilon
    grad = backward_propagation(x, theta)
    return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))


@mistake("gradient_check", "writes grad + gradapprox in the denominator, without the absolute values")
def gradient_check(x, theta, epsilon=1e-7):
    J_plus = forward_propagation(x, theta + epsilon)
    J_minus = forward_propagation(x, theta - epsilon)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    return float(abs(grad - gradapprox) / (grad + gradapprox))


@rewrite("gradient_check", "uses abs() and writes gradapprox - grad in the numerator")
def gradient_check(x, theta, epsilon=1e-7):
    thetaplus, thetaminus = theta + epsilon, theta - epsilon
    gradapprox = (forward_propagation(x, thetaplus) - forward_propagation(x, thetaminus)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    return abs(gradapprox - grad) / (abs(grad) + abs(gradapprox))


# ---------------------------------------------------------------------------------- gradient_check_n

@mistake("gradient_check_n", "adds epsilon on both sides (theta_minus[i] += epsilon), so every centred difference is 0")
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    theta, shapes = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients, shapes)
    n_params = theta.shape[0]
    gradapprox = np.zeros((n_params, 1))
    for i in range(n_params):
        theta_plus = np.copy(theta)
        theta_plus[i, 0] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, shapes))
        theta_minus = np.copy(theta)
        theta_minus[i, 0] += epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus, shapes))
        gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))


@mistake("gradient_check_n", "returns the numerator ||grad - gradapprox|| without dividing by ||grad|| + ||gradapprox||")
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    theta, shapes = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients, shapes)
    n_params = theta.shape[0]
    gradapprox = np.zeros((n_params, 1))
    for i in range(n_params):
        theta_plus = np.copy(theta)
        theta_plus[i, 0] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, shapes))
        theta_minus = np.copy(theta)
        theta_minus[i, 0] -= epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus, shapes))
        gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    return float(np.linalg.norm(grad - gradapprox))


@mistake("gradient_check_n", "uses the one-sided difference (J_plus - J) / epsilon instead of the centred one")
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    theta, shapes = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients, shapes)
    n_params = theta.shape[0]
    J, _ = forward_propagation_n(X, Y, parameters)
    gradapprox = np.zeros((n_params, 1))
    for i in range(n_params):
        theta_plus = np.copy(theta)
        theta_plus[i, 0] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, shapes))
        gradapprox[i, 0] = (J_plus - J) / epsilon
    return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))


@mistake("gradient_check_n", "divides J_plus - J_minus by epsilon instead of 2 * epsilon")
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    theta, shapes = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients, shapes)
    n_params = theta.shape[0]
    gradapprox = np.zeros((n_params, 1))
    for i in range(n_params):
        theta_plus = np.copy(theta)
        theta_plus[i, 0] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, shapes))
        theta_minus = np.copy(theta)
        theta_minus[i, 0] -= epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus, shapes))
        gradapprox[i, 0] = (J_plus - J_minus) / epsilon
    return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))


@mistake("gradient_check_n", "perturbs theta itself instead of a copy (theta_plus = theta), so J_minus is taken at the unperturbed point")
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    theta, shapes = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients, shapes)
    n_params = theta.shape[0]
    gradapprox = np.zeros((n_params, 1))
    for i in range(n_params):
        theta_plus = theta
        theta_plus[i, 0] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, shapes))
        theta_minus = theta
        theta_minus[i, 0] -= epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus, shapes))
        gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))


@mistake("gradient_check_n", "adds epsilon to every parameter at once (theta_plus = theta + epsilon) instead of to entry i only")
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    theta, shapes = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients, shapes)
    n_params = theta.shape[0]
    gradapprox = np.zeros((n_params, 1))
    for i in range(n_params):
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta + epsilon, shapes))
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta - epsilon, shapes))
        gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    return float(np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))


@mistake("gradient_check_n", "uses squared norms (sums of squares) in the relative difference")
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    theta, shapes = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients, shapes)
    n_params = theta.shape[0]
    gradapprox = np.zeros((n_params, 1))
    for i in range(n_params):
        theta_plus = np.copy(theta)
        theta_plus[i, 0] += epsilon
        J_plus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, shapes))
        theta_minus = np.copy(theta)
        theta_minus[i, 0] -= epsilon
        J_minus, _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus, shapes))
        gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    return float(np.sum((grad - gradapprox) ** 2) / (np.sum(grad ** 2) + np.sum(gradapprox ** 2)))


@rewrite("gradient_check_n", "perturbs each entry of the parameter arrays directly (on copies) instead of the vector theta")
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    _, shapes = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients, shapes)
    approx = {}
    for name, shape in shapes:
        approx["d" + name] = np.zeros(shape)
        for index in np.ndindex(*shape):
            moved = {k: np.array(v, dtype=np.float64) for k, v in parameters.items()}
            moved[name][index] = parameters[name][index] + epsilon
            J_plus, _ = forward_propagation_n(X, Y, moved)
            moved[name][index] = parameters[name][index] - epsilon
            J_minus, _ = forward_propagation_n(X, Y, moved)
            approx["d" + name][index] = (J_plus - J_minus) / (2 * epsilon)
    gradapprox = gradients_to_vector(approx, shapes)
    return float(np.linalg.norm(gradapprox - grad) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox)))


@rewrite("gradient_check_n", "fills a preallocated gradapprox vector and uses np.sqrt of sums of squares for the norms")
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7):
    theta, shapes = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients, shapes)
    gradapprox = np.zeros_like(theta)
    for i in range(theta.shape[0]):
        step = np.zeros_like(theta)
        step[i, 0] = epsilon
        J_plus = forward_propagation_n(X, Y, vector_to_dictionary(theta + step, shapes))[0]
        J_minus = forward_propagation_n(X, Y, vector_to_dictionary(theta - step, shapes))[0]
        gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    numerator = np.sqrt(np.sum((grad - gradapprox) ** 2))
    return numerator / (np.sqrt(np.sum(grad ** 2)) + np.sqrt(np.sum(gradapprox ** 2)))
