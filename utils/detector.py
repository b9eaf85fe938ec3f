"""A tiny YOLO-style grid detector for the shapes of utils/shapes.py (assignment c4w3).

The network (course framework, utils/conv.py) maps images (m, 48, 48, 3) to a grid of raw outputs:

    3x3 conv 16, ReLU, 2x2 max-pool      -> (m, 24, 24, 16)
    3x3 conv 32, ReLU, 2x2 max-pool      -> (m, 12, 12, 32)
    3x3 conv 32, ReLU, 2x2 max-pool      -> (m, 6, 6, 32)
    3x3 conv 64, ReLU                    -> (m, 6, 6, 64)
    1x1 conv B * (5 + C)                 -> (m, S, S, B * (5 + C)),  S = 6, B = 1, C = 3

(all 3x3 convolutions padded by 1). `predict_grid` reshapes the last axis to (B, 5 + C). For each
cell (row i, column j) and box b, the 5 + C raw numbers are (t_x, t_y, t_w, t_h, t_o, z_1 .. z_C),
read by `decode_grid`:

    x = (j + sigmoid(t_x)) / S_W      y = (i + sigmoid(t_y)) / S_H      box centre, fractions of the image
    w = sigmoid(t_w)                  h = sigmoid(t_h)                  box size, fractions of the image
    confidence = sigmoid(t_o)         class_probs = softmax(z_1 .. z_C)

`yolo_loss` is the training loss and its gradient; `encode_targets` turns ground truth (the dict of
utils/shapes.py) into its targets. The committed weights (datasets/detector_weights.npz, made by
datasets/make_detector.py) are checked against DETECTOR_SHA256 when `load_detector` reads them.
"""

import numpy as np

import data
from conv import Conv2D, MaxPool2D
from framework import ReLU, Sequential

S, B, C, IMAGE_SIZE = 6, 1, 3, 48
WEIGHTS_FILE = "detector_weights.npz"
DETECTOR_SHA256 = "a2d6cc2b62c56640d018d31004104bb6a711df333c85b6d6166c5b7e0304655d"
LAMBDA_COORD, LAMBDA_NOOBJ = 5.0, 0.5


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def build_detector(seed=0, dtype=np.float32):
    """The untrained network: a Sequential mapping (m, 48, 48, 3) -> (m, 6, 6, B * (5 + C))."""
    return Sequential(
        Conv2D(3, 16, 3, pad=1, seed=seed, dtype=dtype), ReLU(), MaxPool2D(2),
        Conv2D(16, 32, 3, pad=1, seed=seed + 1, dtype=dtype), ReLU(), MaxPool2D(2),
        Conv2D(32, 32, 3, pad=1, seed=seed + 2, dtype=dtype), ReLU(), MaxPool2D(2),
        Conv2D(32, 64, 3, pad=1, seed=seed + 3, dtype=dtype), ReLU(),
        Conv2D(64, B * (5 + C), 1, seed=seed + 4, dtype=dtype))


def preprocess(images):
    """Images (m, n_H, n_W, 3) in [0, 1] -> the network's input, centred on 0 (same shape)."""
    return np.asarray(images, dtype=np.float32) - 0.5


def predict_grid(model, images, batch_size=100):
    """Raw grid outputs (m, S, S, B, 5 + C) float64 of the network for images (m, 48, 48, 3) in [0, 1]."""
    model.eval()
    out = [model.forward(preprocess(images[k:k + batch_size])) for k in range(0, len(images), batch_size)]
    out = np.concatenate(out).astype(np.float64)
    return out.reshape(out.shape[:3] + (-1, 5 + C))


def decode_grid(grid_output):
    """Read a grid of raw outputs as boxes.

    Arguments:
    grid_output -- (..., S_H, S_W, B, 5 + C) raw outputs (t_x, t_y, t_w, t_h, t_o, z_1 .. z_C) per box

    Returns:
    box_xy -- (..., S_H, S_W, B, 2) box centres (x, y) as fractions of the image width and height
    box_wh -- (..., S_H, S_W, B, 2) box sizes (w, h) as fractions of the image width and height
    box_confidence -- (..., S_H, S_W, B, 1) probability that the box holds an object
    box_class_probs -- (..., S_H, S_W, B, C) class probabilities (softmax over the last axis)
    """
    g = np.asarray(grid_output, dtype=np.float64)
    S_H, S_W = g.shape[-4], g.shape[-3]
    col = np.arange(S_W).reshape(1, S_W, 1)
    row = np.arange(S_H).reshape(S_H, 1, 1)
    x = (col + sigmoid(g[..., 0])) / S_W
    y = (row + sigmoid(g[..., 1])) / S_H
    box_xy = np.stack([x, y], axis=-1)
    box_wh = sigmoid(g[..., 2:4])
    box_confidence = sigmoid(g[..., 4:5])
    z = g[..., 5:] - g[..., 5:].max(axis=-1, keepdims=True)
    box_class_probs = np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)
    return box_xy, box_wh, box_confidence, box_class_probs


def encode_targets(truth, n_images, image_size=IMAGE_SIZE, grid=S, n_classes=C):
    """Training targets (n_images, grid, grid, 5 + n_classes) float32 from ground truth.

    truth: dict of "boxes" (K, 4) pixel corners (y1, x1, y2, x2), "classes" (K,), "image_ids" (K,).
    The cell holding a box's centre gets (x offset in the cell, y offset, w / image_size,
    h / image_size, 1, one-hot class); every other cell is zero (its objectness target is 0).
    """
    T = np.zeros((n_images, grid, grid, 5 + n_classes), dtype=np.float32)
    boxes = np.asarray(truth["boxes"], dtype=np.float64)
    cy, cx = (boxes[:, 0] + boxes[:, 2]) / 2 / image_size * grid, (boxes[:, 1] + boxes[:, 3]) / 2 / image_size * grid
    i, j = np.floor(cy).astype(int), np.floor(cx).astype(int)
    n = truth["image_ids"]
    T[n, i, j, 0] = cx - j
    T[n, i, j, 1] = cy - i
    T[n, i, j, 2] = (boxes[:, 3] - boxes[:, 1]) / image_size
    T[n, i, j, 3] = (boxes[:, 2] - boxes[:, 0]) / image_size
    T[n, i, j, 4] = 1.0
    T[n, i, j, 5 + np.asarray(truth["classes"])] = 1.0
    return T


def yolo_loss(raw, targets, lambda_coord=LAMBDA_COORD, lambda_noobj=LAMBDA_NOOBJ):
    """The training loss (B = 1) and its gradient with respect to the network's raw output.

    raw: (m, S, S, 5 + C) network output; targets: (m, S, S, 5 + C) from encode_targets.
    With o = targets[..., 4] (1 in a cell holding an object's centre, else 0), p = sigmoid(raw[..., :5]):
      lambda_coord * sum o * ||p[:4] - targets[:4]||^2                    (centre offsets and size)
      + sum o * BCE(p[4], 1) + lambda_noobj * sum (1 - o) * BCE(p[4], 0)   (objectness)
      + sum o * cross-entropy(softmax(raw[5:]), targets[5:])               (class)
    all divided by m. Returns (loss float, d raw (m, S, S, 5 + C) same dtype as raw).
    """
    m = raw.shape[0]
    o = targets[..., 4:5]
    p = sigmoid(raw[..., :5])
    coord_err = p[..., :4] - targets[..., :4]
    eps = 1e-7
    z = raw[..., 5:] - raw[..., 5:].max(axis=-1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    loss = (lambda_coord * np.sum(o * coord_err ** 2)
            - np.sum(o * np.log(p[..., 4:5] + eps)) - lambda_noobj * np.sum((1 - o) * np.log(1 - p[..., 4:5] + eps))
            - np.sum(o * targets[..., 5:] * log_probs)) / m
    d = np.empty_like(raw)
    d[..., :4] = lambda_coord * 2 * o * coord_err * p[..., :4] * (1 - p[..., :4])
    d[..., 4:5] = o * (p[..., 4:5] - 1) + lambda_noobj * (1 - o) * p[..., 4:5]
    d[..., 5:] = o * (np.exp(log_probs) - targets[..., 5:])
    return float(loss), d / m


def load_detector(name=WEIGHTS_FILE, verify=True):
    """The trained network (a Sequential, in evaluation mode) with the committed weights.

    Raises ValueError when the file's SHA-256 is not DETECTOR_SHA256 (verify=True).
    """
    remedy = "copy it again from the assignment folder (instructors: datasets/make_detector.py)"
    path = data.checked_path(name, DETECTOR_SHA256, remedy) if verify else data.path(name)
    model = build_detector()
    with np.load(path) as weights:
        for name_, p, _ in model.named_params():
            p[...] = weights[name_]
    return model.eval()
