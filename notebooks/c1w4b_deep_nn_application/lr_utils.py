"""Load the odd/even handwritten digits (datasets/odd_even_digits.h5) in the course's layout.

Course 1 keeps one example per column: images become X of shape (784, m) with grey levels
scaled to [0, 1], and labels become Y of shape (1, m) with 0.0 = even and 1.0 = odd.
"""
import numpy as np

import data

FILE = "odd_even_digits.h5"


def flatten_images(images):
    """Images (m, h, w) of grey levels 0..255 -> X of shape (h * w, m), float64 in [0, 1]."""
    images = np.asarray(images)
    return images.reshape(images.shape[0], -1).T.astype(np.float64) / 255.0


def to_images(X, height=28, width=28):
    """Inverse of `flatten_images` up to scale: X (height * width, m) -> images (m, height, width)."""
    return np.asarray(X).T.reshape(-1, height, width)


def load_odd_even(flatten=True):
    """The odd/even digits as (train_x, train_y, test_x, test_y, classes).

    flatten=True:  train_x (784, 4000) and test_x (784, 1000), float64 in [0, 1]
    flatten=False: train_x (4000, 28, 28) and test_x (1000, 28, 28), float64 in [0, 1]
    train_y (1, 4000) and test_y (1, 1000): float64, 0.0 = even, 1.0 = odd
    classes: numpy array of str, ["even", "odd"] (classes[label] names a label)
    """
    d = data.load_h5(FILE)
    if flatten:
        train_x, test_x = flatten_images(d["train_x"]), flatten_images(d["test_x"])
    else:
        train_x, test_x = d["train_x"] / 255.0, d["test_x"] / 255.0
    train_y = d["train_y"].reshape(1, -1).astype(np.float64)
    test_y = d["test_y"].reshape(1, -1).astype(np.float64)
    return train_x, train_y, test_x, test_y, d["classes"]


def load_digit_labels():
    """The digit (0..9) behind every odd/even label: (train_digit (4000,), test_digit (1000,)), int64.

    Same order as the examples of `load_odd_even`, so train_digit % 2 == train_y[0].
    """
    d = data.load_h5(FILE)
    return d["train_digit"].astype(np.int64), d["test_digit"].astype(np.int64)


def show_images(images, titles=None, ncols=8, size=1.3, title_colors=None, title=None):
    """Plot grey images (m, h, w) on a grid, with optional per-image titles and a figure title.

    title_colors: one matplotlib colour per image (default black). Returns the matplotlib figure.
    """
    import matplotlib.pyplot as plt

    images = np.asarray(images)
    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows * 1.25 + (0.3 if title else 0.0)),
                             squeeze=False, layout="constrained")
    for k, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if k >= n:
            continue
        ax.imshow(images[k], cmap="gray_r", vmin=0, vmax=images.max() or 1)
        if titles is not None:
            color = title_colors[k] if title_colors is not None else "black"
            ax.set_title(titles[k], fontsize=9, color=color)
    if title:
        fig.suptitle(title)
    return fig
