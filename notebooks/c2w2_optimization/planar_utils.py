"""Small 2-D classification datasets, a decision-boundary plot, and a logistic-regression baseline.

Conventions: X has shape (2, m), one point per column; Y has shape (1, m) with integer labels
0 or 1. Every generator takes a `seed` and uses np.random.default_rng(seed), so the same
arguments always give the same points.
"""
import numpy as np
from scipy.special import expit


def _shuffled(rng, X, Y):
    order = rng.permutation(X.shape[1])
    return X[:, order], Y[:, order]


def make_flower(m=400, petals=6, noise=0.25, radius=4.0, seed=0):
    """A flower of `petals` petals whose colours alternate around the centre.

    Petal k covers the angles [k, k + 1) * 2*pi / petals and belongs to class k % 2, so
    neighbouring petals have different labels and no straight line separates the classes.
    Within a petal a point sits at a fraction u ~ Beta(2, 2) of the petal's angular width (so
    most points lie near the petal's middle line), at a distance from the centre of at most
    radius * sin(pi * u) (the petal's outline); Gaussian noise of
    standard deviation `noise` is then added to both coordinates, which blurs the petals
    where they meet at the centre.

    Arguments:
    m -- number of points (half of them, rounded down, in class 1)
    petals -- even number of petals (at least 2)
    noise -- standard deviation of the Gaussian noise added to each coordinate
    radius -- length of a petal
    seed -- seed of the numpy Generator

    Returns:
    X -- float array of shape (2, m)
    Y -- int array of shape (1, m), labels 0 or 1
    """
    if petals < 2 or petals % 2:
        raise ValueError("petals must be an even number, at least 2")
    rng = np.random.default_rng(seed)
    y = np.arange(m) % 2
    petal = 2 * rng.integers(0, petals // 2, size=m) + y      # a petal of the point's own class
    u = rng.beta(2.0, 2.0, size=m)                             # position across the petal
    theta = (petal + u) * 2 * np.pi / petals
    r = radius * np.sin(np.pi * u) * np.sqrt(rng.uniform(0.1, 1.0, size=m))
    X = np.stack([r * np.cos(theta), r * np.sin(theta)]) + noise * rng.standard_normal((2, m))
    return _shuffled(rng, X, y.reshape(1, m))


def make_circles(m=400, noise=0.1, factor=0.5, seed=0):
    """Two noisy concentric circles: the outer one (radius 1) is class 0, the inner one
    (radius `factor`) class 1.

    Returns X (2, m) float and Y (1, m) int, labels 0 or 1.
    """
    rng = np.random.default_rng(seed)
    y = np.arange(m) % 2
    theta = rng.uniform(0.0, 2 * np.pi, size=m)
    r = np.where(y == 1, factor, 1.0)
    X = np.stack([r * np.cos(theta), r * np.sin(theta)]) + noise * rng.standard_normal((2, m))
    return _shuffled(rng, X, y.reshape(1, m))


def make_moons(m=400, noise=0.15, seed=0):
    """Two interleaved half circles ("moons"): the upper one is class 0, the lower one,
    shifted right and down, class 1.

    Returns X (2, m) float and Y (1, m) int, labels 0 or 1.
    """
    rng = np.random.default_rng(seed)
    y = np.arange(m) % 2
    t = rng.uniform(0.0, np.pi, size=m)
    x1 = np.where(y == 1, 1.0 - np.cos(t), np.cos(t))
    x2 = np.where(y == 1, 0.5 - np.sin(t), np.sin(t))
    X = np.stack([x1, x2]) + noise * rng.standard_normal((2, m))
    return _shuffled(rng, X, y.reshape(1, m))


def accuracy(predictions, Y):
    """Fraction of labels predicted right. predictions, Y: arrays of shape (1, m) -> float in [0, 1]."""
    return float(np.mean(np.asarray(predictions).ravel() == np.asarray(Y).ravel()))


def fit_logistic_regression(X, Y, num_iterations=2000, learning_rate=0.1):
    """Logistic regression y_hat = sigmoid(w.T x + b), trained by batch gradient descent from zeros.

    Arguments:
    X -- inputs of shape (n_x, m)
    Y -- labels of shape (1, m), 0 or 1

    Returns:
    w -- weights of shape (n_x, 1)
    b -- bias, a float
    """
    n_x, m = X.shape
    w, b = np.zeros((n_x, 1)), 0.0
    for _ in range(num_iterations):
        dZ = expit(w.T @ X + b) - Y
        w = w - learning_rate * (X @ dZ.T) / m
        b = b - learning_rate * float(np.sum(dZ)) / m
    return w, b


def predict_logistic_regression(w, b, X):
    """Labels 1 where sigmoid(w.T x + b) > 0.5, else 0. w (n_x, 1), b float, X (n_x, m) -> (1, m) int array."""
    return ((w.T @ X + b) > 0).astype(int)


POINT_COLOURS = ["#d2571c", "#1f5fa8"]       # class 0, class 1
REGION_COLOURS = ["#f6c9a8", "#b9d3ee"]


def plot_points(X, Y, ax=None, title=None):
    """Scatter the points X (2, m) coloured by their labels Y (1, m); returns the matplotlib Axes."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    ax = ax if ax is not None else plt.gca()
    ax.scatter(X[0], X[1], c=np.ravel(Y), cmap=ListedColormap(POINT_COLOURS), vmin=0, vmax=1,
               s=12, edgecolors="white", linewidths=0.4)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax


def plot_decision_boundary(predict_fn, X, Y, ax=None, resolution=250, title=None):
    """Colour the plane by the class `predict_fn` assigns, and draw the points on top.

    Arguments:
    predict_fn -- a function taking points of shape (2, k) and returning k labels 0 or 1
                  (any shape with k entries, e.g. (1, k))
    X -- points of shape (2, m)
    Y -- labels of shape (1, m)
    ax -- a matplotlib Axes to draw on (default: the current one)
    resolution -- number of grid points along each axis
    title -- optional title of the Axes

    Returns:
    ax -- the Axes drawn on
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    ax = ax if ax is not None else plt.gca()
    pad = 0.1 * (X.max(axis=1) - X.min(axis=1)) + 0.2
    lo, hi = X.min(axis=1) - pad, X.max(axis=1) + pad
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    Z = np.asarray(predict_fn(np.stack([g1.ravel(), g2.ravel()]))).reshape(g1.shape)
    ax.contourf(g1, g2, Z, levels=[-0.5, 0.5, 1.5], cmap=ListedColormap(REGION_COLOURS))
    plot_points(X, Y, ax, title)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xticks([])
    ax.set_yticks([])
    return ax
