"""Mistake catalogue for c2w1a_initialization: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


# ------------------------------------------------------------------------- initialize_parameters_zeros

@mistake("initialize_parameters_zeros", "gives W{l} the transposed shape (layers_dims[l-1], layers_dims[l])")
def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l - 1], layers_dims[l]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@mistake("initialize_parameters_zeros", "makes b{l} a flat vector of shape (n[l],) instead of a column (n[l], 1)")
def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros(layers_dims[l])
    return parameters


@mistake("initialize_parameters_zeros", "stops the loop one layer early (range(1, L - 1)): the last layer has no parameters")
def initialize_parameters_zeros(layers_dims):
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L - 1):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@mistake("initialize_parameters_zeros", "makes integer arrays (dtype=int) instead of float zeros")
def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]), dtype=int)
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1), dtype=int)
    return parameters


@rewrite("initialize_parameters_zeros", "uses np.zeros with an f-string key and a shape tuple built from zip")
def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l, (n_prev, n) in enumerate(zip(layers_dims[:-1], layers_dims[1:]), start=1):
        parameters[f"W{l}"] = np.zeros((n, n_prev))
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


@rewrite("initialize_parameters_zeros", "multiplies np.ones by 0.0")
def initialize_parameters_zeros(layers_dims):
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = 0.0 * np.ones((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = 0.0 * np.ones((layers_dims[l], 1))
    return parameters


# ------------------------------------------------------------------------ initialize_parameters_random

@mistake("initialize_parameters_random", "forgets the factor 10 (plain standard-normal weights)")
def initialize_parameters_random(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@mistake("initialize_parameters_random", "multiplies by 0.01 instead of 10")
def initialize_parameters_random(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * 0.01
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@mistake("initialize_parameters_random", "draws an (n[l-1], n[l]) matrix and transposes it, so the numbers land in other places")
def initialize_parameters_random(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l - 1], layers_dims[l])).T * 10
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@mistake("initialize_parameters_random", "draws the biases from the generator too (10 * N(0, 1) instead of zeros)")
def initialize_parameters_random(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * 10
        parameters["b" + str(l)] = rng.standard_normal((layers_dims[l], 1)) * 10
    return parameters


@mistake("initialize_parameters_random", "creates a new generator with the same seed in every layer, so each layer repeats the first draws")
def initialize_parameters_random(layers_dims, seed=3):
    parameters = {}
    for l in range(1, len(layers_dims)):
        rng = np.random.default_rng(seed)
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * 10
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@mistake("initialize_parameters_random", "uses the legacy np.random.seed / np.random.randn instead of the Generator rng")
def initialize_parameters_random(layers_dims, seed=3):
    np.random.seed(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@rewrite("initialize_parameters_random", "uses rng.normal(0, 10, size), which scales the same standard-normal draws")
def initialize_parameters_random(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.normal(0.0, 10.0, size=(layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@rewrite("initialize_parameters_random", "writes the factor first: 10 * rng.standard_normal(...)")
def initialize_parameters_random(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters[f"W{l}"] = 10 * rng.standard_normal((layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


# ---------------------------------------------------------------------------- initialize_parameters_he

@mistake("initialize_parameters_he", "scales by sqrt(1 / n[l-1]) (Xavier) instead of sqrt(2 / n[l-1])")
def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * np.sqrt(1 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@mistake("initialize_parameters_he", "uses the fan-out n[l] instead of the fan-in n[l-1] in sqrt(2 / n)")
def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * np.sqrt(2 / layers_dims[l])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@mistake("initialize_parameters_he", "multiplies by 2 / n[l-1], forgetting the square root")
def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * (2 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@mistake("initialize_parameters_he", "computes sqrt(2) / n[l-1] instead of sqrt(2 / n[l-1])")
def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * np.sqrt(2) / layers_dims[l - 1]
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@mistake("initialize_parameters_he", "uses integer division, sqrt(2 // n[l-1]), which is 0 once n[l-1] > 2")
def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * np.sqrt(2 // layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@mistake("initialize_parameters_he", "keeps the factor 10 of initialize_parameters_random on top of sqrt(2 / n[l-1])")
def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) * 10 * np.sqrt(2 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@rewrite("initialize_parameters_he", "divides by sqrt(n[l-1] / 2)")
def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) / np.sqrt(layers_dims[l - 1] / 2)
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


@rewrite("initialize_parameters_he", "uses rng.normal(0, sqrt(2 / n[l-1]), size)")
def initialize_parameters_he(layers_dims, seed=3):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        scale = (2.0 / layers_dims[l - 1]) ** 0.5
        parameters[f"W{l}"] = rng.normal(0.0, scale, size=(layers_dims[l], layers_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters
