"""Make trigger_detector.npz: the trained weights of the keyword detector of utils/trigger_utils.py (c5w3b).

The detector (`trigger_utils.build_detector(mean, std, seed=0)`, float32): per-frequency standardisation,
a 1-D convolution over time (15 steps, stride 2, 32 filters) and ReLU, a GRU of 32 units, and one
sigmoid output per step. It is trained with Adam on a weighted binary cross-entropy (`pos_weight`
below) over every output step, on 5 s examples mixed here from datasets/trigger_audio.h5: a training
background (scaled by a random gain), 0 to 4 keyword clips and 0 to 3 distractor clips at random
non-overlapping places (random gains too), labelled 1 for the 50 output steps after each keyword
ends. Every step draws a fresh batch from one seeded generator, so no example is seen twice. Only the
clips and backgrounds marked "train" are used; the notebook measures the detector on the "test" ones.

Output: datasets/trigger_detector.npz, one float32 array per parameter, named as
`model.named_params()` names them ("1.W", "1.b", "3.Wz", ..., "4.W", "4.b"), plus "mean" and "std"
(n_freq, 1), the standardisation computed on 512 training examples; about 140 KB. The zip entries
carry a fixed date, so the same arrays give the same bytes. The script then writes the file's SHA-256
into utils/trigger_utils.py (DETECTOR_SHA256), which `load_detector_params` checks on every load.

Deterministic on one machine (seeded data, weights and order; single-threaded BLAS, set below);
another CPU or BLAS library may round float32 sums differently (and so give another checksum).
Takes about 4 minutes of CPU time on one core.
"""
import io
import os
import re
import sys
import time
import zipfile
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "utils"))

import trigger_utils as tu  # noqa: E402
from framework import Adam  # noqa: E402
from seq import clip_gradients  # noqa: E402

OUT = HERE / "trigger_detector.npz"
UTILS = HERE.parent / "utils" / "trigger_utils.py"
STEPS, BATCH, LR, POS_WEIGHT, MAX_NORM = 1200, 32, 3e-3, 2.0, 5.0


# ------------------------------------------------------------------ training examples (the script's own)

def _place(rng, length_ms, background_ms, taken, tries=5):
    """A random (start, end) in ms (inclusive end) not overlapping `taken`, or None after `tries` draws."""
    for _ in range(tries):
        start = int(rng.integers(0, background_ms - length_ms + 1))
        end = start + length_ms - 1
        if all(end < s or start > e for s, e in taken):
            return start, end
    return None


def make_example(rng, audio, split="train", augment=True):
    """One 5 s mixture: (log spectrogram (n_freq, T_x), labels (T_y,)) and the audio."""
    sr = audio["sample_rate"]
    backgrounds = audio["backgrounds"][split]
    x = backgrounds[rng.integers(len(backgrounds))] * (rng.uniform(0.4, 1.8) if augment else 1.0)
    background_ms = tu.duration_ms(x, sr)
    y = np.zeros(tu.TY)
    taken = []
    for kind, most in (("activates", 4), ("negatives", 3)):
        clips = audio[kind][split]
        for i in rng.integers(0, len(clips), size=rng.integers(0, most + 1)):
            clip = clips[i] * (rng.uniform(0.5, 1.3) if augment else 1.0)
            segment = _place(rng, tu.duration_ms(clip, sr), background_ms, taken)
            if segment is None:
                continue
            taken.append(segment)
            start = tu.ms_to_sample(segment[0], sr)
            x[start:start + len(clip)] += clip         # x is a new array (the gain made a copy) or a copy below
            if kind == "activates":
                step = int(segment[1] * tu.TY / background_ms)
                y[step + 1:step + 1 + tu.ONES_AFTER] = 1
    return tu.log_spectrogram(x, sr), y


def make_batch(rng, audio, m, split="train", augment=True):
    xs, ys = zip(*(make_example(rng, audio, split, augment) for _ in range(m)))
    return np.stack(xs, axis=1), np.stack(ys)[None]          # (n_freq, m, T_x), (1, m, T_y)


def frame_scores(model, X, Y):
    p = 1 / (1 + np.exp(-model.forward(X.astype(np.float32))))
    pred = p > 0.5
    tp, fp, fn = np.sum(pred & (Y == 1)), np.sum(pred & (Y == 0)), np.sum(~pred & (Y == 1))
    return float(np.mean(pred == (Y == 1))), float(2 * tp / max(2 * tp + fp + fn, 1))


# ------------------------------------------------------------------ training and saving

def train(steps=STEPS, verbose=True):
    audio = tu.load_trigger_audio()
    rng = np.random.default_rng(31)
    X, _ = make_batch(rng, audio, 512)
    mean, std = X.mean(axis=(1, 2))[:, None], X.std(axis=(1, 2))[:, None]
    model = tu.build_detector(mean.astype(np.float32), std.astype(np.float32), seed=0)
    loss_fn, opt = tu.SigmoidBinaryCrossEntropy(POS_WEIGHT), Adam(model, lr=LR)
    X_dev, Y_dev = make_batch(np.random.default_rng(77), audio, 128, "test", augment=False)
    started, losses = time.time(), []
    for step in range(steps):
        opt.lr = LR * (0.1 if step >= 0.85 * steps else 1.0)
        Xb, Yb = make_batch(rng, audio, BATCH)
        model.train()
        losses.append(loss_fn.forward(model.forward(Xb.astype(np.float32)), Yb))
        model.backward(loss_fn.backward().astype(np.float32))
        clip_gradients(model, max_norm=MAX_NORM)
        opt.step()
        if verbose and (step + 1) % 50 == 0:
            acc, f1 = frame_scores(model, X_dev, Y_dev)
            print(f"step {step + 1:4d}: loss {np.mean(losses[-50:]):.4f}, held-out frame accuracy {acc:.3f}, "
                  f"F1 {f1:.3f} ({time.time() - started:.0f} s)", flush=True)
    return model, mean, std


def save(model, mean, std, path=OUT):
    arrays = {name: np.asarray(p, dtype=np.float32) for name, p, _ in model.named_params()}
    arrays["mean"], arrays["std"] = mean.astype(np.float32), std.astype(np.float32)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, value in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, value, allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, buffer.getvalue())
    digest = tu.data.sha256(path)
    source = UTILS.read_text()
    UTILS.write_text(re.sub(r'DETECTOR_SHA256 = "[0-9a-f]{64}"', f'DETECTOR_SHA256 = "{digest}"', source))
    print(f"wrote {path.name} ({path.stat().st_size / 1e3:.0f} KB), SHA-256 {digest} (recorded in {UTILS.name})")


if __name__ == "__main__":
    save(*train(int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else STEPS))
