"""Make transfer_base.npz (and transfer_base.sha256): the pretrained base network of c4w2b_transfer_learning.

A small separable ConvNet (architecture in utils/transfer_utils.py) trained on the digits 0-4 of
odd_even_digits.h5 (about 2,000 training images); the assignment then transfers it to the digits
5-9, which it never saw. Training: Adam (lr 2e-3), minibatches of 64, 30 epochs, float32, each
epoch on a freshly augmented copy of the images (a random rotation in [-15, 15] degrees about the
centre, then a random shift of up to 2 pixels). Every random draw comes from a fixed seed, so a
rebuild gives the same weights on the same machine (BLAS rounding may differ between machines).

Writes transfer_base.npz (the weights as float32, a plain .npz written with fixed zip timestamps, so
the same weights give the same bytes) and transfer_base.sha256 (its SHA-256, checked on load by
transfer_utils.load_base). Takes about a minute on one core.
"""
import io
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
from scipy import ndimage

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "utils"))

OUT = HERE / "transfer_base.npz"
CHECKSUM = HERE / "transfer_base.sha256"
EPOCHS, BATCH, LR, SEED = 30, 64, 2e-3, 20261129
MAX_ANGLE, MAX_SHIFT = 15.0, 2


def jitter(images, rng):
    """Rotate each (28, 28) image by a random angle about its centre, then shift it by whole pixels."""
    out = np.empty_like(images)
    angles = rng.uniform(-MAX_ANGLE, MAX_ANGLE, size=len(images))
    shifts = rng.integers(-MAX_SHIFT, MAX_SHIFT + 1, size=(len(images), 2))
    for k, image in enumerate(images):
        rotated = ndimage.rotate(image, angles[k], reshape=False, order=1, mode="constant", cval=0.0)
        out[k] = ndimage.shift(rotated, shifts[k], order=0, mode="constant", cval=0.0)
    return out


def write_npz(path, arrays):
    """np.savez without the current time in the zip headers: same arrays, same bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[key]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue())


def main():
    import data
    from framework import Adam, SoftmaxCrossEntropy, accuracy, one_hot, train_epoch
    from data import sha256
    from transfer_utils import PARAM_NAMES, make_network

    digits = data.load_h5("odd_even_digits.h5")
    train, test = digits["train_digit"] < 5, digits["test_digit"] < 5
    X = (digits["train_x"][train] / 255.0).astype(np.float32)
    Y = one_hot(digits["train_digit"][train], 5).astype(np.float32)
    X_test = (digits["test_x"][test] / 255.0).astype(np.float32)[..., None]
    y_test = digits["test_digit"][test].astype(int)

    model = make_network(seed=1, dtype=np.float32)
    loss_fn, optimiser = SoftmaxCrossEntropy(), Adam(model, lr=LR)
    rng = np.random.default_rng(SEED)
    started = time.time()
    for epoch in range(EPOCHS):
        loss = train_epoch(model, loss_fn, optimiser, jitter(X, rng)[..., None], Y, BATCH,
                           seed=SEED + epoch, x_axis=0)
        if epoch % 5 == 4 or epoch == EPOCHS - 1:
            model.eval()
            print(f"epoch {epoch + 1:2d}: loss {loss:.4f}, test accuracy on 0-4 "
                  f"{accuracy(model.forward(X_test), y_test):.3f} ({time.time() - started:.0f} s)")
    weights = {PARAM_NAMES[name]: p.astype(np.float32) for name, p, _ in model.named_params()}
    write_npz(OUT, weights)
    CHECKSUM.write_text(f"{sha256(OUT)}  {OUT.name}\n")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e3:.0f} kB) and {CHECKSUM.name}")


if __name__ == "__main__":
    main()
