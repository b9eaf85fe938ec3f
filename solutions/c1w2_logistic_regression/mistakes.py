"""Mistake catalogue for c1w2_logistic_regression: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ---------------------------------------------------------------- sigmoid

@mistake("sigmoid", "uses exp(z) where the formula has exp(-z)")
def sigmoid(z):
    return 1 / (1 + np.exp(z))


@mistake("sigmoid", "forgets the 1 + in the denominator (returns 1 / exp(-z))")
def sigmoid(z):
    return 1 / np.exp(-z)


@mistake("sigmoid", "uses tanh instead of the sigmoid")
def sigmoid(z):
    return np.tanh(z)


@rewrite("sigmoid", "uses the identity sigmoid(z) = (1 + tanh(z / 2)) / 2")
def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


@rewrite("sigmoid", "computes exp(-log(1 + exp(-z))) with np.logaddexp")
def sigmoid(z):
    return np.exp(-np.logaddexp(0, -z))


# ---------------------------------------------------------------- initialize_with_zeros

@mistake("initialize_with_zeros", "returns w as a flat vector of shape (dim,) instead of a column (dim, 1)")
def initialize_with_zeros(dim):
    return np.zeros(dim), 0.0


@mistake("initialize_with_zeros", "returns w as a row of shape (1, dim) instead of a column (dim, 1)")
def initialize_with_zeros(dim):
    return np.zeros((1, dim)), 0.0


@mistake("initialize_with_zeros", "makes w an array of integer zeros (dtype int) instead of floats")
def initialize_with_zeros(dim):
    return np.zeros((dim, 1), dtype=int), 0.0


@mistake("initialize_with_zeros", "returns b as an array of shape (1, 1) instead of the float 0.0")
def initialize_with_zeros(dim):
    return np.zeros((dim, 1)), np.zeros((1, 1))


@rewrite("initialize_with_zeros", "reshapes np.zeros(dim) into a column and writes b as float(0)")
def initialize_with_zeros(dim):
    return np.zeros(dim).reshape(dim, 1), float(0)


# ---------------------------------------------------------------- propagate

@mistake("propagate", "computes the cost from log(A) and log(1 - A): nan or inf where A is stored as exactly 0 or 1")
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)
    dw = np.dot(X, (A - Y).T) / m
    db = float(np.sum(A - Y) / m)
    return {"dw": dw, "db": db}, cost


@mistake("propagate", "clips A to [1e-15, 1 - 1e-15] before the logs: the loss of a confidently wrong example is capped")
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    A_safe = np.clip(A, 1e-15, 1 - 1e-15)
    cost = float(-np.sum(Y * np.log(A_safe) + (1 - Y) * np.log(1 - A_safe)) / m)
    dw = np.dot(X, (A - Y).T) / m
    db = float(np.sum(A - Y) / m)
    return {"dw": dw, "db": db}, cost


@mistake("propagate", "swaps Z and -Z in the two np.logaddexp terms of the cost")
def propagate(w, b, X, Y):
    m = X.shape[1]
    Z = np.dot(w.T, X) + b
    A = sigmoid(Z)
    cost = float(np.sum(Y * np.logaddexp(0, Z) + (1 - Y) * np.logaddexp(0, -Z)) / m)
    dw = np.dot(X, (A - Y).T) / m
    db = float(np.sum(A - Y) / m)
    return {"dw": dw, "db": db}, cost


@mistake("propagate", "forgets the 1/m in dw")
def propagate(w, b, X, Y):
    m = X.shape[1]
    Z = np.dot(w.T, X) + b
    A = sigmoid(Z)
    cost = float(np.sum(Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z)) / m)
    dw = np.dot(X, (A - Y).T)
    db = float(np.sum(A - Y) / m)
    return {"dw": dw, "db": db}, cost


@mistake("propagate", "forgets the 1/m in db")
def propagate(w, b, X, Y):
    m = X.shape[1]
    Z = np.dot(w.T, X) + b
    A = sigmoid(Z)
    cost = float(np.sum(Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z)) / m)
    dw = np.dot(X, (A - Y).T) / m
    db = float(np.sum(A - Y))
    return {"dw": dw, "db": db}, cost


@mistake("propagate", "uses Y - A instead of A - Y in the gradients (they point uphill)")
def propagate(w, b, X, Y):
    m = X.shape[1]
    Z = np.dot(w.T, X) + b
    A = sigmoid(Z)
    cost = float(np.sum(Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z)) / m)
    dw = np.dot(X, (Y - A).T) / m
    db = float(np.sum(Y - A) / m)
    return {"dw": dw, "db": db}, cost


@mistake("propagate", "forgets the bias b in Z = w^T X + b")
def propagate(w, b, X, Y):
    m = X.shape[1]
    Z = np.dot(w.T, X)
    A = sigmoid(Z)
    cost = float(np.sum(Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z)) / m)
    dw = np.dot(X, (A - Y).T) / m
    db = float(np.sum(A - Y) / m)
    return {"dw": dw, "db": db}, cost


@rewrite("propagate", "writes the cost as the mean of logaddexp(0, Z) - Y Z, with @ and np.mean")
def propagate(w, b, X, Y):
    Z = w.T @ X + b
    A = sigmoid(Z)
    cost = float(np.mean(np.logaddexp(0, Z) - Y * Z))
    dw = X @ (A - Y).T / X.shape[1]
    db = float(np.mean(A - Y))
    return {"dw": dw, "db": db}, cost


# ---------------------------------------------------------------- optimize

@mistake("optimize", "adds the gradient instead of subtracting it (gradient ascent)")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w + learning_rate * grads["dw"]
        b = b + learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


@mistake("optimize", "updates w but never b")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


@mistake("optimize", "computes the gradients once, before the loop, and reuses them at every step")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    grads, cost = propagate(w, b, X, Y)
    for i in range(num_iterations):
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


@mistake("optimize", "uses the fixed step 0.009 instead of the learning_rate argument")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - 0.009 * grads["dw"]
        b = b - 0.009 * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


@rewrite("optimize", "updates w and b in one tuple assignment")
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w, b = w - learning_rate * grads["dw"], b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


# ---------------------------------------------------------------- predict

@mistake("predict", "returns booleans instead of the floats 0.0 and 1.0")
def predict(w, b, X):
    return sigmoid(np.dot(w.T, X) + b) > 0.5


@mistake("predict", "thresholds the score z = w^T x + b at 0.5 instead of the probability sigmoid(z)")
def predict(w, b, X):
    return ((np.dot(w.T, X) + b) > 0.5).astype(float)


@mistake("predict", "forgets the bias b")
def predict(w, b, X):
    return (sigmoid(np.dot(w.T, X)) > 0.5).astype(float)


@mistake("predict", "returns a flat vector of shape (m,) instead of (1, m)")
def predict(w, b, X):
    return (sigmoid(np.dot(w.T, X) + b) > 0.5).astype(float).ravel()


@rewrite("predict", "tests the score z > 0 directly (sigmoid(z) > 0.5 exactly when z > 0)")
def predict(w, b, X):
    return (w.T @ X + b > 0).astype(float)


@rewrite("predict", "uses np.where(A > 0.5, 1.0, 0.0)")
def predict(w, b, X):
    return np.where(sigmoid(np.dot(w.T, X) + b) > 0.5, 1.0, 0.0)


# ---------------------------------------------------------------- model

@mistake("model", "does not pass num_iterations and learning_rate on to optimize (its defaults are used)")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test), "Y_prediction_train": predict(w, b, X_train),
            "w": w, "b": b, "learning_rate": learning_rate, "num_iterations": num_iterations}


@mistake("model", "predicts with the initial zeros instead of the trained w and b")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test), "Y_prediction_train": predict(w, b, X_train),
            "w": params["w"], "b": params["b"], "learning_rate": learning_rate, "num_iterations": num_iterations}


@mistake("model", "sizes w by the number of examples (X_train.shape[1]) instead of the number of features")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[1])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test), "Y_prediction_train": predict(w, b, X_train),
            "w": w, "b": b, "learning_rate": learning_rate, "num_iterations": num_iterations}


@mistake("model", "swaps the two sets: predicts the training set for Y_prediction_test and the test set for Y_prediction_train")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_train), "Y_prediction_train": predict(w, b, X_test),
            "w": w, "b": b, "learning_rate": learning_rate, "num_iterations": num_iterations}


@rewrite("model", "calls optimize with keyword arguments")
def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    w, b = initialize_with_zeros(dim=X_train.shape[0])
    params, _, costs = optimize(w=w, b=b, X=X_train, Y=Y_train, num_iterations=num_iterations,
                                learning_rate=learning_rate, print_cost=False)
    w, b = params["w"], params["b"]
    return {"costs": costs, "Y_prediction_test": predict(w, b, X_test), "Y_prediction_train": predict(w, b, X_train),
            "w": w, "b": b, "learning_rate": learning_rate, "num_iterations": num_iterations}
