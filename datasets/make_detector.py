"""Make detector_weights.npz: the trained weights of the tiny grid detector of utils/detector.py (c4w3).

The network (utils/detector.py, `build_detector(seed=0)`, float32) is trained with Adam on images of
utils/shapes.py: every epoch draws EPOCH_IMAGES fresh images (`make_shapes(EPOCH_IMAGES, seed=1000 +
epoch)`), so the detector never sees an image twice; the notebook tests it on other seeds. The loss is
`detector.yolo_loss` (B = 1). Nothing is downloaded; the only source is the generator itself.

Output: datasets/detector_weights.npz, one float32 array per parameter, named as
`model.named_params()` names them ("0.W", "0.b", "3.W", ...), about 130 KB. The script then writes the
file's SHA-256 into utils/detector.py (DETECTOR_SHA256), which `load_detector` checks on every load.

Deterministic: one seeded generator for the data, fixed seeds for the weights and the minibatch
order, single-threaded BLAS (set below). Rebuilding on the same machine gives the same bytes; another
CPU or BLAS library may round float32 sums differently, and so give slightly different weights (and
another checksum). Takes about 10 minutes on one core.
"""
import os
import re
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "utils"))

import data  # noqa: E402
import detector  # noqa: E402
from framework import Adam  # noqa: E402
from shapes import make_shapes  # noqa: E402

OUT = HERE / "detector_weights.npz"
EPOCHS, EPOCH_IMAGES, BATCH, LR = 24, 2000, 32, 2e-3


def train(epochs=EPOCHS, verbose=True):
    model = detector.build_detector(seed=0)
    opt = Adam(model, lr=LR)
    order_rng = np.random.default_rng(7)
    for epoch in range(epochs):
        started = time.time()
        images, truth = make_shapes(EPOCH_IMAGES, seed=1000 + epoch)
        X, T = detector.preprocess(images), detector.encode_targets(truth, EPOCH_IMAGES)
        opt.lr = LR * (0.1 if epoch >= epochs - 4 else 1.0)
        model.train()
        losses = []
        for k in np.array_split(order_rng.permutation(EPOCH_IMAGES), EPOCH_IMAGES // BATCH):
            raw = model.forward(X[k])
            loss, d = detector.yolo_loss(raw, T[k])
            model.backward(d.astype(np.float32))
            opt.step()
            losses.append(loss)
        if verbose:
            print(f"epoch {epoch + 1:2d}: loss {np.mean(losses):.3f} ({time.time() - started:.0f} s)", flush=True)
    return model


def save(model, path=OUT):
    """Write the weights and record their SHA-256 in utils/detector.py."""
    np.savez(path, **{name: p for name, p, _ in model.named_params()})
    digest = data.sha256(path)
    source_path = HERE.parent / "utils" / "detector.py"
    source = source_path.read_text()
    source = re.sub(r'DETECTOR_SHA256 = "[^"]*"', f'DETECTOR_SHA256 = "{digest}"', source)
    source_path.write_text(source)
    return digest


if __name__ == "__main__":
    model = train()
    print(f"wrote {OUT.name}, SHA-256 {save(model)} (recorded in utils/detector.py)")
