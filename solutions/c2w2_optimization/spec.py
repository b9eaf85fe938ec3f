"""Grading spec for c2w2_optimization. Visible cases ship with the notebook; hidden draws stay here.

Hidden cases draw networks of 1 to 3 layers with random sizes, random data sizes, batch sizes
and seeds, and random hyperparameters. Adam's hidden cases use epsilon between 1e-3 and 1e-1,
where adding it inside the square root instead of after it changes the result well beyond rtol.
"""
import numpy as np

from grader.spec import Test

TITLE = "Optimisation methods"
HELPERS = ["dnn_utils", "deep_nn", "three_layer_net", "planar_utils", "opt_utils"]
DATA = []


def _dims(rng):
    return [int(rng.integers(1, 6)) for _ in range(int(rng.integers(2, 5)))]


def _params(rng, dims, prefix="", positive=False):
    out = {}
    for l in range(1, len(dims)):
        for name, shape in ((f"W{l}", (dims[l], dims[l - 1])), (f"b{l}", (dims[l], 1))):
            value = rng.normal(size=shape)
            out[prefix + name] = np.abs(value) * 0.1 if positive else value
    return out


def _fixed(dims, seed):
    return _params(np.random.default_rng(seed), dims)


def _gd(rng):
    dims = _dims(rng)
    return {"parameters": _params(rng, dims), "grads": _params(rng, dims, "d"),
            "learning_rate": float(rng.uniform(0.001, 1.0))}


def _batches(rng, k):
    """Cases 0-2 have at least one full batch and a smaller last batch (m is not a multiple of the
    size); case 3 has no leftover. m >= 9, so that a Y shuffled with its own permutation differs
    from the right one."""
    n_x, size = int(rng.integers(1, 5)), int(rng.choice([4, 8, 16, 32, 64]))
    if k < 3:
        m = size * int(rng.integers(1, 6)) + int(rng.integers(1, size))   # full batches and a smaller last one
        m += size * (1 + (9 - m) // size) if m < 9 else 0
    else:
        m = size * int(rng.integers(max(1, -(-9 // size)), 6))           # no leftover batch
    return {"X": rng.normal(size=(n_x, m)), "Y": (rng.uniform(size=(1, m)) < 0.5).astype(float),
            "mini_batch_size": size, "seed": int(rng.integers(0, 10_000))}


def _init(rng):
    return {"parameters": _params(rng, _dims(rng))}


def _momentum(rng):
    dims = _dims(rng)
    return {"parameters": _params(rng, dims), "grads": _params(rng, dims, "d"), "v": _params(rng, dims, "d"),
            "beta": float(rng.uniform(0.6, 0.99)), "learning_rate": float(rng.uniform(0.001, 0.5))}


def _adam(rng):
    dims = _dims(rng)
    return {"parameters": _params(rng, dims), "grads": _params(rng, dims, "d"),
            "v": _params(rng, dims, "d"), "s": _params(rng, dims, "d", positive=True),
            "t": int(rng.integers(1, 21)), "learning_rate": float(rng.uniform(0.001, 0.1)),
            "beta1": float(rng.uniform(0.8, 0.95)), "beta2": float(rng.uniform(0.99, 0.9999)),
            "epsilon": float(10 ** rng.uniform(-3, -1))}


def _update_lr(rng):
    # epoch_num >= 1: at epoch 0 every schedule returns learning_rate0
    return {"learning_rate0": float(rng.uniform(0.01, 1.0)), "epoch_num": int(rng.integers(1, 1000)),
            "decay_rate": float(rng.uniform(0.01, 2.0))}


def _schedule(rng, k):
    """Cases 0 and 1 pass a time_interval other than the default; case 2 uses the default 1000
    (passed or not). epoch_num is never a multiple of the interval (where floor(epoch / interval)
    = epoch / interval) and lies in the upper half of an interval (where rounding to the nearest
    integer differs from rounding down)."""
    interval = int(rng.choice([7, 10, 50, 100, 250])) if k < 2 else 1000
    # cases 0 and 1 span at least one whole interval, so that floor(epoch / 1000) differs
    epoch = interval * int(rng.integers(1 if k < 2 else 0, 6)) + int(rng.integers(interval // 2 + 1, interval))
    case = {"learning_rate0": float(rng.uniform(0.01, 1.0)), "epoch_num": epoch,
            "decay_rate": float(rng.uniform(0.05, 2.0))}
    if k < 2 or rng.uniform() < 0.5:
        case["time_interval"] = interval
    return case


_P = _fixed([3, 2, 1], 1)
_G = {"d" + k: v for k, v in _fixed([3, 2, 1], 2).items()}
_V = {"d" + k: v for k, v in _fixed([3, 2, 1], 3).items()}
_S = {"d" + k: np.abs(v) * 0.1 for k, v in _fixed([3, 2, 1], 4).items()}
_X = np.arange(24, dtype=float).reshape(2, 12) / 10
_Y = (np.arange(12) % 2).astype(float).reshape(1, 12)

TESTS = [
    Test("update_parameters_with_gd",
         visible=[{"parameters": _P, "grads": _G, "learning_rate": 0.1}],
         hidden=_gd),
    Test("random_mini_batches",
         visible=[{"X": _X, "Y": _Y, "mini_batch_size": 5, "seed": 3},
                  {"X": _X, "Y": _Y, "mini_batch_size": 4, "seed": 0}],
         hidden=_batches, n_hidden=4),
    Test("initialize_velocity",
         visible=[{"parameters": _P}],
         hidden=_init),
    Test("update_parameters_with_momentum",
         visible=[{"parameters": _P, "grads": _G, "v": _V, "beta": 0.9, "learning_rate": 0.1}],
         hidden=_momentum),
    Test("initialize_adam",
         visible=[{"parameters": _P}],
         hidden=_init),
    Test("update_parameters_with_adam", points=2,
         visible=[{"parameters": _P, "grads": _G, "v": _V, "s": _S, "t": 2},
                  {"parameters": _P, "grads": _G, "v": _V, "s": _S, "t": 5, "learning_rate": 0.05,
                   "beta1": 0.8, "beta2": 0.99, "epsilon": 0.01}],
         hidden=_adam),
    Test("update_lr",
         visible=[{"learning_rate0": 0.5, "epoch_num": 2, "decay_rate": 1.0},
                  {"learning_rate0": 0.3, "epoch_num": 10, "decay_rate": 0.25}],
         hidden=_update_lr),
    Test("schedule_lr_decay",
         visible=[{"learning_rate0": 0.5, "epoch_num": 100, "decay_rate": 0.3},
                  {"learning_rate0": 0.5, "epoch_num": 2500, "decay_rate": 0.3},
                  {"learning_rate0": 0.2, "epoch_num": 149, "decay_rate": 1.0, "time_interval": 50}],
         hidden=_schedule),
]
