"""Mistake catalogue for c1w2_numpy_basics: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite


@mistake("basic_sigmoid", "uses exp(x) where the formula has exp(-x)")
def basic_sigmoid(x):
    return 1.0 / (1.0 + math.exp(x))


@mistake("basic_sigmoid", "computes 1 - exp(-x) in the denominator instead of 1 + exp(-x)")
def basic_sigmoid(x):
    return 1.0 / (1.0 - math.exp(-x))


@mistake("basic_sigmoid", "forgets the 1 + in the denominator (returns 1 / exp(-x))")
def basic_sigmoid(x):
    return 1.0 / math.exp(-x)


@mistake("basic_sigmoid", "uses 1 / (1 + exp(-x)) for every x: exp(-x) overflows for large negative x")
def basic_sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


@mistake("basic_sigmoid", "uses exp(x) / (1 + exp(x)) for every x: exp(x) overflows for large positive x")
def basic_sigmoid(x):
    return math.exp(x) / (1.0 + math.exp(x))


@mistake("basic_sigmoid", "swaps the two forms (exp(x) / (1 + exp(x)) for x >= 0), so both sides overflow")
def basic_sigmoid(x):
    if x >= 0:
        return math.exp(x) / (1.0 + math.exp(x))
    return 1.0 / (1.0 + math.exp(-x))


@rewrite("basic_sigmoid", "uses the identity sigmoid(x) = (1 + tanh(x / 2)) / 2, which cannot overflow")
def basic_sigmoid(x):
    return 0.5 * (1.0 + math.tanh(0.5 * x))


@rewrite("basic_sigmoid", "computes e = exp(-|x|) once and picks 1 / (1 + e) or e / (1 + e) by the sign")
def basic_sigmoid(x):
    e = math.exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)


@mistake("sigmoid", "uses exp(x) where the formula has exp(-x)")
def sigmoid(x):
    return 1 / (1 + np.exp(x))


@mistake("sigmoid", "forgets the 1 + in the denominator (returns 1 / exp(-x))")
def sigmoid(x):
    return 1 / np.exp(-x)


@mistake("sigmoid", "uses tanh instead of the sigmoid")
def sigmoid(x):
    return np.tanh(x)


@rewrite("sigmoid", "uses the identity sigmoid(x) = (1 + tanh(x / 2)) / 2")
def sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))


@mistake("sigmoid_derivative", "returns sigmoid(x) itself, not its derivative")
def sigmoid_derivative(x):
    return 1 / (1 + np.exp(-x))


@mistake("sigmoid_derivative", "applies s * (1 - s) to x instead of to s = sigmoid(x)")
def sigmoid_derivative(x):
    return x * (1 - x)


@mistake("sigmoid_derivative", "forgets the (1 - s) factor")
def sigmoid_derivative(x):
    s = 1 / (1 + np.exp(-x))
    return s * s


@rewrite("sigmoid_derivative", "writes it as exp(-x) / (1 + exp(-x))^2")
def sigmoid_derivative(x):
    return np.exp(-x) / (1 + np.exp(-x)) ** 2


@mistake("image2vector", "returns a flat vector of shape (n,) instead of a column (n, 1)")
def image2vector(image):
    return image.reshape(-1)


@mistake("image2vector", "returns a row (1, n) instead of a column (n, 1)")
def image2vector(image):
    return image.reshape(1, -1)


@mistake("image2vector", "unrolls in the wrong order (transposes the image first)")
def image2vector(image):
    return image.T.reshape(-1, 1)


@rewrite("image2vector", "uses reshape(-1, 1)")
def image2vector(image):
    return image.reshape(-1, 1)


@mistake("normalize_rows", "divides by the norm of each column (axis=0) instead of each row")
def normalize_rows(x):
    return x / np.linalg.norm(x, axis=0, keepdims=True)


@mistake("normalize_rows", "divides by the squared norm (forgets the square root)")
def normalize_rows(x):
    return x / np.sum(x * x, axis=1, keepdims=True)


@mistake("normalize_rows", "divides by the sum of each row instead of its Euclidean norm")
def normalize_rows(x):
    return x / np.sum(x, axis=1, keepdims=True)


@mistake("normalize_rows", "divides in place (x /= norm), which changes the caller's array too")
def normalize_rows(x):
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


@rewrite("normalize_rows", "computes the norm with sqrt(sum(x**2))")
def normalize_rows(x):
    return x / np.sqrt(np.sum(x ** 2, axis=1, keepdims=True))


@mistake("softmax", "returns the one-hot of each row's maximum")
def softmax(x):
    return (x == np.max(x, axis=1, keepdims=True)).astype(float)


@mistake("softmax", "divides with // (integer division)")
def softmax(x):
    x_exp = np.exp(x - np.max(x, axis=1, keepdims=True))
    return x_exp // np.sum(x_exp, axis=1, keepdims=True)


@mistake("softmax", "normalises over each column (axis=0) instead of each row")
def softmax(x):
    x_exp = np.exp(x - np.max(x, axis=0, keepdims=True))
    return x_exp / np.sum(x_exp, axis=0, keepdims=True)


@mistake("softmax", "divides by the sum of the whole matrix, not of each row")
def softmax(x):
    x_exp = np.exp(x)
    return x_exp / np.sum(x_exp)


@mistake("softmax", "skips the max subtraction: exp overflows on large scores (inf / inf = nan)")
def softmax(x):
    x_exp = np.exp(x)
    return x_exp / x_exp.sum(axis=1, keepdims=True)


@mistake("softmax", "subtracts the maximum of the whole matrix, not of each row: a row far below it becomes 0 / 0")
def softmax(x):
    x_exp = np.exp(x - np.max(x))
    return x_exp / np.sum(x_exp, axis=1, keepdims=True)


@rewrite("softmax", "exponentiates x minus each row's log-sum-exp")
def softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    return np.exp(shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))


@mistake("L1", "forgets the absolute value")
def L1(yhat, y):
    return float(np.sum(y - yhat))


@mistake("L1", "returns the mean instead of the sum")
def L1(yhat, y):
    return float(np.mean(np.abs(y - yhat)))


@mistake("L1", "squares the differences (that is L2)")
def L1(yhat, y):
    return float(np.sum((y - yhat) ** 2))


@rewrite("L1", "uses np.linalg.norm(..., ord=1)")
def L1(yhat, y):
    return float(np.linalg.norm(y - yhat, ord=1))


@mistake("L2", "forgets to square (that is L1 without the absolute value)")
def L2(yhat, y):
    return float(np.sum(y - yhat))


@mistake("L2", "returns the Euclidean norm, the square root of the loss")
def L2(yhat, y):
    return float(np.linalg.norm(y - yhat))


@mistake("L2", "returns the mean instead of the sum")
def L2(yhat, y):
    return float(np.mean((y - yhat) ** 2))


@rewrite("L2", "uses np.sum of squares")
def L2(yhat, y):
    return float(np.sum((y - yhat) ** 2))
