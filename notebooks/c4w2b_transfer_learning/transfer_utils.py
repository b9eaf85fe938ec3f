"""The pretrained base network of c4w2b_transfer_learning: its architecture, and its weights loaded
with a checksum check.

The base reads (m, 28, 28, 1) grey images (values in [0, 1]) and was trained on the digits 0-4 by
datasets/make_transfer_base.py. Three blocks, then a linear head:

    block   layers                                              output
    conv1   Conv2D 3x3, 1 -> 16, pad 1;  ReLU;  MaxPool 2        (m, 14, 14, 16)
    sep2    SeparableConv2D 3x3, 16 -> 32, pad 1;  ReLU;  MaxPool 2   (m, 7, 7, 32)
    sep3    SeparableConv2D 3x3, 32 -> 64, pad 1;  ReLU;  MaxPool 2   (m, 3, 3, 64)
    flatten (m, 3, 3, 64) -> columns (576, m)                    the features
    head    Linear 576 -> 5 (scores of the digits 0-4)           (5, m)

A separable block is a depthwise 3x3 convolution without bias followed by a 1x1 convolution with
bias (conv.SeparableConv2D). The weights, as stored in transfer_base.npz (PARAM_NAMES below):
    conv1_W (3, 3, 1, 16)  conv1_b (1, 1, 1, 16)
    sep2_dw_W (3, 3, 16)   sep2_pw_W (1, 1, 16, 32)  sep2_pw_b (1, 1, 1, 32)
    sep3_dw_W (3, 3, 32)   sep3_pw_W (1, 1, 32, 64)  sep3_pw_b (1, 1, 1, 64)
    head_W (5, 576)        head_b (5, 1)

Ship with `HELPERS = ["framework", "dnn_utils", "conv", "data", "transfer_utils"]` and
`DATA = [..., "transfer_base.npz", "transfer_base.sha256"]`.
"""

import numpy as np

import data
from conv import Conv2D, MaxPool2D, SeparableConv2D
from framework import Flatten, Linear, ReLU, Sequential

BASE_FILE = "transfer_base.npz"
CHECKSUM_FILE = "transfer_base.sha256"
CHANNELS = (16, 32, 64)          # output channels of conv1, sep2, sep3

# parameter name in a network made by make_network -> key in transfer_base.npz
PARAM_NAMES = {
    "0.0.W": "conv1_W", "0.0.b": "conv1_b",
    "1.0.depthwise.W": "sep2_dw_W", "1.0.pointwise.W": "sep2_pw_W", "1.0.pointwise.b": "sep2_pw_b",
    "2.0.depthwise.W": "sep3_dw_W", "2.0.pointwise.W": "sep3_pw_W", "2.0.pointwise.b": "sep3_pw_b",
    "4.W": "head_W", "4.b": "head_b",
}


def load_base(name=BASE_FILE, checksum_name=CHECKSUM_FILE):
    """The pretrained weights as {key: float64 array} (keys and shapes: see the module docstring).

    The file's SHA-256 must equal the one written in `checksum_name` when the weights were made;
    otherwise a ValueError says so (a damaged or replaced file would give silently wrong results).
    """
    expected = data.path(checksum_name).read_text().split()[0].strip().lower()
    path = data.checked_path(name, expected, "copy it again from the assignment folder "
                                             "(instructors: `python datasets/make_transfer_base.py`)")
    with np.load(path) as archive:
        return {key: archive[key].astype(np.float64) for key in archive.files}


def make_network(channels=CHANNELS, n_C_in=1, n_features=None, n_classes=5, seed=0, dtype=np.float64):
    """The base architecture with fresh He-initialised weights.

    Returns Sequential(conv1, sep2, sep3, Flatten(), Linear(n_features, n_classes)) where each block is
    a Sequential(convolution, ReLU(), MaxPool2D(2)). n_features = 9 * channels[2] for 28x28 inputs
    (the default when None). layers[:3] + [Flatten()] is the feature extractor; layers[4] is the head.
    """
    c1, c2, c3 = channels
    n_features = 9 * c3 if n_features is None else n_features
    return Sequential(
        Sequential(Conv2D(n_C_in, c1, 3, pad=1, seed=seed, dtype=dtype), ReLU(), MaxPool2D(2)),
        Sequential(SeparableConv2D(c1, c2, 3, pad=1, seed=seed + 10, dtype=dtype), ReLU(), MaxPool2D(2)),
        Sequential(SeparableConv2D(c2, c3, 3, pad=1, seed=seed + 20, dtype=dtype), ReLU(), MaxPool2D(2)),
        Flatten(),
        Linear(n_features, n_classes, seed=seed + 30, dtype=dtype),
    )


def load_into(model, params, head=True):
    """Copy `params` (a dict as load_base returns) into a network made by make_network, in place.

    head=False leaves the model's head (layers[4]) as it is: a new task gets a new head.
    Returns the model.
    """
    for name, p, _ in model.named_params():
        if not head and name.startswith("4."):
            continue
        value = params[PARAM_NAMES[name]]
        if value.shape != p.shape:
            raise ValueError(f"load_into: {PARAM_NAMES[name]} has shape {value.shape}, the network's "
                             f"{name} has {p.shape}")
        p[...] = value
    return model


def network_from(params, dtype=np.float64):
    """A network made by make_network with the sizes of `params`, holding a copy of those weights."""
    model = make_network(channels=(params["conv1_W"].shape[3], params["sep2_pw_W"].shape[3],
                                   params["sep3_pw_W"].shape[3]),
                         n_C_in=params["conv1_W"].shape[2], n_features=params["head_W"].shape[1],
                         n_classes=params["head_W"].shape[0], dtype=dtype)
    return load_into(model, params)
