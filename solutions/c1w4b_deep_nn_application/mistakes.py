"""Mistake catalogue for c1w4b_deep_nn_application: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ---------------------------------------------------------------- two_layer_model

@mistake("two_layer_model", "divides by A2 and 1 - A2 without clipping: nan once an output is stored as exactly 1")
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=1000, print_cost=False, seed=1):
    costs = []
    n_x, n_h, n_y = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y, seed)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        parameters = update_parameters(parameters, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


@mistake("two_layer_model", "has the sign of dA2 reversed (the network climbs the cost)")
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=1000, print_cost=False, seed=1):
    costs = []
    n_x, n_h, n_y = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y, seed)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        A = np.clip(A2, 1e-15, 1 - 1e-15)
        dA2 = np.divide(Y, A) - np.divide(1 - Y, 1 - A)
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        parameters = update_parameters(parameters, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


@mistake("two_layer_model", "passes A2 - Y (that is dZ2) as dA2, so the sigmoid's derivative is applied twice")
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=1000, print_cost=False, seed=1):
    costs = []
    n_x, n_h, n_y = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y, seed)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA1, dW2, db2 = linear_activation_backward(A2 - Y, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        parameters = update_parameters(parameters, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


@mistake("two_layer_model", "does not pass seed to initialize_parameters (its default seed 1 is used)")
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=1000, print_cost=False, seed=1):
    costs = []
    n_x, n_h, n_y = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        A = np.clip(A2, 1e-15, 1 - 1e-15)
        dA2 = -(np.divide(Y, A) - np.divide(1 - Y, 1 - A))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        parameters = update_parameters(parameters, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


@mistake("two_layer_model", "uses the sigmoid in the hidden layer (forward and backward) instead of ReLU")
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=1000, print_cost=False, seed=1):
    costs = []
    n_x, n_h, n_y = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y, seed)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "sigmoid")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        A = np.clip(A2, 1e-15, 1 - 1e-15)
        dA2 = -(np.divide(Y, A) - np.divide(1 - Y, 1 - A))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "sigmoid")
        parameters = update_parameters(parameters, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


@rewrite("two_layer_model", "writes dA2 as (1 - Y) / (1 - A) - Y / A with A clipped by np.minimum and np.maximum")
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=1000, print_cost=False, seed=1):
    costs = []
    n_x, n_h, n_y = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y, seed=seed)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], activation="relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], activation="sigmoid")
        cost = compute_cost(A2, Y)
        A = np.minimum(np.maximum(A2, 1e-15), 1 - 1e-15)
        dA2 = (1 - Y) / (1 - A) - Y / A
        _, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(_, cache1, "relu")
        parameters = update_parameters(parameters, dict(dW1=dW1, db1=db1, dW2=dW2, db2=db2), learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


@rewrite("two_layer_model", "lets L_model_backward of deep_nn.py do the backward pass of the two layers")
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=1000, print_cost=False, seed=1):
    costs = []
    n_x, n_h, n_y = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y, seed)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        parameters = update_parameters(parameters, L_model_backward(A2, Y, [cache1, cache2]), learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


# ---------------------------------------------------------------- L_layer_model

@mistake("L_layer_model", "does not pass seed to initialize_parameters_deep (its default seed 1 is used)")
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=1000, print_cost=False, seed=1):
    costs = []
    parameters = initialize_parameters_deep(layers_dims)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches), learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


@mistake("L_layer_model", "calls update_parameters but never stores its result (the parameters never change)")
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=1000, print_cost=False, seed=1):
    costs = []
    parameters = initialize_parameters_deep(layers_dims, seed)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        update_parameters(parameters, L_model_backward(AL, Y, caches), learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


@mistake("L_layer_model", "uses the default step 0.0075 instead of the learning_rate argument")
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=1000, print_cost=False, seed=1):
    costs = []
    parameters = initialize_parameters_deep(layers_dims, seed)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches), 0.0075)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


@mistake("L_layer_model", "initialises a 2-layer network (initialize_parameters with the first, second and last sizes)")
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=1000, print_cost=False, seed=1):
    costs = []
    parameters = initialize_parameters(layers_dims[0], layers_dims[1], layers_dims[-1], seed)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches), learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


@rewrite("L_layer_model", "calls every step with keyword arguments")
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=1000, print_cost=False, seed=1):
    costs = []
    parameters = initialize_parameters_deep(layer_dims=layers_dims, seed=seed)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X=X, parameters=parameters)
        cost = compute_cost(AL=AL, Y=Y)
        grads = L_model_backward(AL=AL, Y=Y, caches=caches)
        parameters = update_parameters(params=parameters, grads=grads, learning_rate=learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs
