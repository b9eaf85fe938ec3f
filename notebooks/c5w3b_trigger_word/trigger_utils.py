"""Audio helpers for the trigger-word assignment (c5w3b): the data, spectrograms, the detector's layers.

Audio is a 1-D float64 array of samples in [-1, 1] at `sample_rate` samples per second (8000 for the
committed data). Every clip and background lasts a whole number of milliseconds, so that
    duration in ms = len(audio) * 1000 // sample_rate,   sample index of ms t = t * sample_rate // 1000
are both exact.

Spectrograms are (n_freq, T_x): `log_spectrogram` uses scipy.signal.spectrogram with a Hann window of
NPERSEG = 128 samples moved by HOP = 40 samples (16 ms windows every 5 ms at 8 kHz), power in decibels;
n_freq = NPERSEG // 2 + 1 = 65. A batch of spectrograms is (n_freq, m, T_x) (Course 5's (n_x, m, T)).

The detector (see `build_detector`): a 1-D convolution over time (FILTER_SIZE steps, stride STRIDE,
N_FILTERS filters) and ReLU, a GRU (utils/seq.py) of N_A units, and a sigmoid output per step:
(n_freq, m, T_x) -> probabilities (1, m, T_y) with T_y = (T_x - FILTER_SIZE) // STRIDE + 1 (492 for 5 s).
Its trained weights (datasets/trigger_detector.npz, made by datasets/make_trigger_detector.py) are
checked against DETECTOR_SHA256 by `load_detector_params`.
"""

import numpy as np
from scipy import signal
from scipy.special import expit

import data
from framework import Layer, Linear, ReLU, Sequential
from seq import GRU, TimeDistributed

AUDIO_FILE = "trigger_audio.h5"
WEIGHTS_FILE = "trigger_detector.npz"
DETECTOR_SHA256 = "8c6e5261b31a4d17c7e00b4681c3c8a303eed58214ebe508be8270783cadb69d"

SAMPLE_RATE = 8000
BACKGROUND_MS = 5000
NPERSEG, HOP = 128, 40
N_FREQ = NPERSEG // 2 + 1
FILTER_SIZE, STRIDE, N_FILTERS, N_A = 15, 2, 32, 32
ONES_AFTER = 50                      # output steps labelled 1 after the keyword ends


def duration_ms(audio, sample_rate=SAMPLE_RATE):
    """Length of `audio` (1-D array) in whole milliseconds: len(audio) * 1000 // sample_rate."""
    return len(audio) * 1000 // sample_rate


def ms_to_sample(ms, sample_rate=SAMPLE_RATE):
    """Index of the first sample of millisecond `ms` (an int): ms * sample_rate // 1000."""
    return int(ms) * sample_rate // 1000


def spectrogram_steps(n_samples):
    """T_x, the number of spectrogram columns of `n_samples` samples."""
    return (n_samples - NPERSEG) // HOP + 1


def output_steps(T_x):
    """T_y, the number of detector outputs for a spectrogram of T_x columns."""
    return (T_x - FILTER_SIZE) // STRIDE + 1


TX = spectrogram_steps(SAMPLE_RATE * BACKGROUND_MS // 1000)    # 997 for 5 s at 8 kHz
TY = output_steps(TX)                                          # 492


def log_spectrogram(audio, sample_rate=SAMPLE_RATE):
    """Power spectrogram in decibels of 1-D audio: (n_freq = 65, T_x) float64, T_x = spectrogram_steps(len(audio)).

    scipy.signal.spectrogram(audio, fs=sample_rate, window="hann", nperseg=128, noverlap=88); then
    10 * log10(power + 1e-12), so silence is -120 dB rather than minus infinity.
    """
    _, _, power = signal.spectrogram(np.asarray(audio, dtype=np.float64), fs=sample_rate, window="hann",
                                     nperseg=NPERSEG, noverlap=NPERSEG - HOP)
    return 10 * np.log10(power + 1e-12)


def load_trigger_audio():
    """The committed audio as float64 arrays in [-1, 1].

    Returns a dict: "sample_rate" (int), "keyword" (str), "backgrounds" {"train": [...], "test": [...]}
    (lists of 5 s arrays), "background_names" (list of str), "activates" and "negatives" {"train": [...],
    "test": [...]} (lists of 1-D arrays of different lengths), "negative_words" {"train": [...], "test": [...]}.
    """
    d = data.load_h5(AUDIO_FILE)
    out = {"sample_rate": int(d["sample_rate"][0]), "keyword": str(d["keyword"][0]),
           "background_names": [str(s) for s in d["background_names"]],
           "backgrounds": {s: [b / 32768.0 for b in d[f"backgrounds_{s}"]] for s in ("train", "test")}}
    for name in ("activate", "negative"):
        clips = np.split(d[f"{name}_audio"] / 32768.0, np.cumsum(d[f"{name}_lengths"])[:-1])
        split = d[f"{name}_split"]
        out[name + "s"] = {s: [c for c, k in zip(clips, split) if k == s] for s in ("train", "test")}
    out["negative_words"] = {s: [str(w) for w, k in zip(d["negative_word"], d["negative_split"]) if k == s]
                             for s in ("train", "test")}
    return out


def chime(sample_rate=SAMPLE_RATE, ms=180, frequency=1320.0):
    """A short synthesised bell: two sine partials with an exponential decay, 1-D float64, peak 0.5."""
    t = np.arange(sample_rate * ms // 1000) / sample_rate
    tone = np.sin(2 * np.pi * frequency * t) + 0.4 * np.sin(2 * np.pi * 2.01 * frequency * t)
    tone *= np.exp(-t / 0.05) * np.minimum(1, t / 0.003)
    return 0.5 * tone / np.max(np.abs(tone))


# ------------------------------------------------------------------ the detector's layers

def conv1d_forward(x, W, b, stride):
    """1-D convolution over time (no padding). x: (n_freq, m, T_x); W: (n_C, f, n_freq); b: (n_C, 1).

    out[c, i, t] = b[c] + sum_k sum_j W[c, k, j] * x[j, i, t * stride + k];
    returns (out (n_C, m, T_y) with T_y = (T_x - f) // stride + 1, cache).
    """
    n_C, f, n_freq = W.shape
    if x.ndim != 3 or x.shape[0] != n_freq or x.shape[2] < f:
        raise ValueError(f"conv1d_forward: x must be (n_freq={n_freq}, m, T_x >= {f}), got {x.shape}")
    m, T_x = x.shape[1:]
    T_y = (T_x - f) // stride + 1
    out = np.empty((n_C, m * T_y), dtype=np.result_type(x, W))
    out[...] = b
    for k in range(f):                                # one matrix product per kernel offset
        out += W[:, k, :] @ x[:, :, k:k + stride * (T_y - 1) + 1:stride].reshape(n_freq, m * T_y)
    return out.reshape(n_C, m, T_y), (x, W, stride)


def conv1d_backward(dout, cache, input_grad=True):
    """Gradients of conv1d_forward. dout: (n_C, m, T_y).

    Returns (dx (n_freq, m, T_x), dW (n_C, f, n_freq), db (n_C, 1)); dx is None when input_grad is False.
    """
    x, W, stride = cache
    n_C, f, n_freq = W.shape
    m, T_y = dout.shape[1:]
    d = dout.reshape(n_C, m * T_y)
    dW = np.empty_like(W, dtype=np.result_type(dout, W))
    dx = np.zeros(x.shape, dtype=np.result_type(dout, x)) if input_grad else None
    for k in range(f):
        window = slice(k, k + stride * (T_y - 1) + 1, stride)
        dW[:, k, :] = d @ x[:, :, window].reshape(n_freq, m * T_y).T
        if input_grad:
            dx[:, :, window] += (W[:, k, :].T @ d).reshape(n_freq, m, T_y)
    return dx, dW, d.sum(axis=1, keepdims=True)


class Conv1D(Layer):
    """x (n_freq, m, T_x) -> (n_C, m, T_y), see conv1d_forward. Parameters "W" (n_C, f, n_freq) (He), "b" (n_C, 1).

    input_grad=False: backward fills the gradients but returns None instead of dx (a first layer,
    where dx is not needed, saves half of its backward pass).
    """

    def __init__(self, n_freq, n_C, f, stride=1, seed=0, dtype=np.float64, input_grad=True):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.stride, self.input_grad = stride, input_grad
        self.params["W"] = (rng.standard_normal((n_C, f, n_freq)) * np.sqrt(2.0 / (f * n_freq))).astype(dtype)
        self.params["b"] = np.zeros((n_C, 1), dtype=dtype)

    def forward(self, x):
        out, self.cache = conv1d_forward(x, self.params["W"], self.params["b"], self.stride)
        return out

    def backward(self, dout):
        dx, self.grads["W"], self.grads["b"] = conv1d_backward(dout, self.cache, self.input_grad)
        return dx


class Standardise(Layer):
    """Fixed per-frequency scaling (no parameters): x (n_freq, m, T) -> (x - mean) / std, mean and std (n_freq, 1)."""

    def __init__(self, mean, std):
        super().__init__()
        self.mean, self.std = np.asarray(mean)[:, :, None], np.asarray(std)[:, :, None]

    def forward(self, x):
        return ((x - self.mean) / self.std).astype(x.dtype, copy=False)

    def backward(self, dout):
        return None if dout is None else (dout / self.std).astype(dout.dtype, copy=False)


class SigmoidBinaryCrossEntropy:
    """Loss on scores Z (1, m, T) (before the sigmoid) against labels Y (1, m, T) in {0, 1}:
    mean over every step of -[w Y log s + (1 - Y) log(1 - s)], s = sigmoid(Z), w = pos_weight.
    backward() -> dZ (1, m, T)."""

    def __init__(self, pos_weight=1.0):
        self.pos_weight = pos_weight

    def forward(self, Z, Y):
        w = np.where(Y > 0.5, self.pos_weight, 1.0)
        # log sigmoid(z) = -logaddexp(0, -z); log(1 - sigmoid(z)) = -logaddexp(0, z)
        loss = np.mean(w * (Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z)))
        self.dZ = w * (expit(Z) - Y) / Z.size
        return float(loss)

    def backward(self):
        return self.dZ


def build_detector(mean, std, seed=0, dtype=np.float32):
    """The detector as a framework Sequential: Standardise, Conv1D, ReLU, GRU, TimeDistributed(Linear).

    Its forward gives the scores Z (1, m, T_y); probabilities are sigmoid(Z). Parameter names:
    "1.W", "1.b" (convolution), "3.Wz", "3.bz", "3.Wr", "3.br", "3.Wh", "3.bh" (GRU), "4.W", "4.b" (output).
    """
    return Sequential(Standardise(mean, std),
                      Conv1D(N_FREQ, N_FILTERS, FILTER_SIZE, STRIDE, seed=seed, dtype=dtype, input_grad=False),
                      ReLU(),
                      GRU(N_FILTERS, N_A, seed=seed + 1, dtype=dtype),
                      TimeDistributed(Linear(N_A, 1, seed=seed + 2, dtype=dtype)))


# names of the plain parameter dict used by the notebook's detector_forward
PARAM_NAMES = {"1.W": "Wconv", "1.b": "bconv", "3.Wz": "Wz", "3.bz": "bz", "3.Wr": "Wr", "3.br": "br",
               "3.Wh": "Wh", "3.bh": "bh", "4.W": "Wy", "4.b": "by"}


def load_detector_params(name=WEIGHTS_FILE, verify=True):
    """The trained detector: (params, mean, std), float64.

    params: {"Wconv" (n_C, f, n_freq), "bconv" (n_C, 1), "Wz", "Wr", "Wh" (n_a, n_a + n_C), "bz", "br", "bh"
    (n_a, 1), "Wy" (1, n_a), "by" (1, 1)}; mean, std (n_freq, 1) standardise the log spectrograms.
    Raises ValueError when the file's SHA-256 is not DETECTOR_SHA256 (verify=True).
    """
    remedy = "copy it again from the assignment folder (instructors: datasets/make_trigger_detector.py)"
    path = data.checked_path(name, DETECTOR_SHA256, remedy) if verify else data.path(name)
    with np.load(path) as w:
        params = {PARAM_NAMES[k]: w[k].astype(np.float64) for k in PARAM_NAMES}
        return params, w["mean"].astype(np.float64), w["std"].astype(np.float64)


def params_into(model, params):
    """Copy a plain params dict (names as in load_detector_params) into a build_detector model, in place."""
    for name, p, _ in model.named_params():
        p[...] = params[PARAM_NAMES[name]]
    return model


def params_of(model):
    """The model's parameters as a plain float64 dict (names as in load_detector_params)."""
    return {PARAM_NAMES[name]: np.array(p, dtype=np.float64) for name, p, _ in model.named_params()}
