"""Make date_translator.npz: the weights of the attention date translator of c5w3a, trained here.

The model is the one the assignment builds (its notebook explains it): a bidirectional LSTM reads
the one-hot characters of a human-written date (utils/dates.py, T_x = 30), then for each of the
T_y = 10 characters of the ISO date, attention weighs the encoder's states with a small network on
[a<t'>; s<t-1>] (tanh, then a scalar), the context they average feeds a post-attention LSTM, and a
softmax over the 11 ISO characters reads its state. Sizes: n_a = 32 per direction, n_s = 64,
N_D = 16 attention units; about 59,000 parameters.

Training: the pairs of dates.date_pairs(M_TRAIN, seed=TRAIN_SEED, formats=PRETRAIN_FORMATS), every
format but HELD_OUT_FORMAT ("d-mon-yy", which the notebook fine-tunes on; it draws its held-out
dates with exclude= these targets), minibatches of BATCH in a seeded order, Adam (learning rate LR,
halved for the last 3 epochs), gradients clipped
to a global norm of CLIP, mean cross-entropy over the T_y output steps; float32. The forward and
backward passes below are the same mathematics as the notebook's (written independently of it);
the encoder uses the framework's seq.lstm_forward / seq.lstm_backward.

Output: float32 arrays under the keys "encoder_fwd/Wf", ..., "attention/W1", ..., "Wy", "by", in a
zip written with fixed timestamps, so that the same machine and library versions give the same
bytes (single-threaded BLAS; float32 sums may round differently on another CPU). After writing, the
script puts the file's SHA-256 into utils/dates.py (TRANSLATOR_SHA256, checked on every load) and
into the file's row of datasets/README.md. Takes a few minutes on one core.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import hashlib  # noqa: E402
import io  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from scipy.special import expit  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "utils"))
import dates  # noqa: E402
import seq  # noqa: E402

OUT = HERE / "date_translator.npz"
LOADER = HERE.parent / "utils" / "dates.py"
README = HERE / "README.md"
N_A, N_S, N_D = 32, 64, 16
M_TRAIN, TRAIN_SEED, INIT_SEED, ORDER_SEED = 20_000, 1, 2, 3
HELD_OUT_FORMAT = "d-mon-yy"            # never seen in training: the notebook fine-tunes on it
PRETRAIN_FORMATS = tuple(f for f in dates.FORMATS if f != HELD_OUT_FORMAT)
BATCH, EPOCHS, LR, CLIP = 100, 8, 4e-3, 5.0
MAX_BYTES = 1_000_000
DTYPE = np.float32
GATES = "fico"


# ------------------------------------------------------------------------ the model (float32)

def init_params(n_x, n_y, seed=INIT_SEED):
    """Glorot-uniform weights; LSTM forget biases 1, other biases 0."""
    rng = np.random.default_rng(seed)

    def glorot(rows, cols):
        limit = np.sqrt(6.0 / (rows + cols))
        return rng.uniform(-limit, limit, (rows, cols)).astype(DTYPE)

    def lstm(n_in, n_h):
        p = {}
        for g in GATES:
            p["W" + g] = glorot(n_h, n_h + n_in)
            p["b" + g] = np.full((n_h, 1), 1.0 if g == "f" else 0.0, DTYPE)
        return p
    return {"encoder_fwd": lstm(n_x, N_A), "encoder_bwd": lstm(n_x, N_A),
            "attention": {"W1": glorot(N_D, 2 * N_A + N_S), "b1": np.zeros((N_D, 1), DTYPE),
                          "W2": glorot(1, N_D)},
            "decoder": lstm(2 * N_A, N_S), "Wy": glorot(n_y, N_S), "by": np.zeros((n_y, 1), DTYPE)}


def attention_forward(a, Wa_a, s_prev, p):
    """context (2 n_a, m) and alphas (1, m, T_x); Wa_a = W1[:, :2 n_a] applied to a, computed once."""
    W1s = p["W1"][:, a.shape[0]:]
    H = np.tanh(Wa_a + (W1s @ s_prev + p["b1"])[:, :, None])          # (n_d, m, T_x)
    e = np.einsum("dk,kmt->mt", p["W2"], H)[None]                      # (1, m, T_x)
    e = np.exp(e - e.max(axis=2, keepdims=True))
    alphas = e / e.sum(axis=2, keepdims=True)
    context = np.einsum("nmt,mt->nm", a, alphas[0])
    return context, alphas, (s_prev, H, alphas)


def attention_backward(dcontext, a, cache, p, grads):
    """Adds to grads["attention"]; returns (da (2 n_a, m, T_x) through this step, ds_prev (n_s, m))."""
    s_prev, H, alphas = cache
    n2 = a.shape[0]
    dalpha = np.einsum("nm,nmt->mt", dcontext, a)[None]
    de = alphas * (dalpha - np.sum(alphas * dalpha, axis=2, keepdims=True))
    g = grads["attention"]
    g["W2"] += np.einsum("omt,dmt->od", de, H)
    dZ = p["W2"].T[:, :, None] * de * (1 - H ** 2)                     # (n_d, m, T_x)
    dZs = dZ.sum(axis=2)
    g["W1"][:, :n2] += np.einsum("dmt,nmt->dn", dZ, a)
    g["W1"][:, n2:] += dZs @ s_prev.T
    g["b1"] += dZs.sum(axis=1, keepdims=True)
    da = dcontext[:, :, None] * alphas + np.einsum("dn,dmt->nmt", p["W1"][:, :n2], dZ)
    return da, p["W1"][:, n2:].T @ dZs


def cell_forward(x, h, c, p):
    hx = np.concatenate([h, x])
    f, i, o = (expit(p["W" + g] @ hx + p["b" + g]) for g in "fio")
    cc = np.tanh(p["Wc"] @ hx + p["bc"])
    c_next = f * c + i * cc
    tc = np.tanh(c_next)
    return o * tc, c_next, (hx, c, f, i, cc, o, tc)


def cell_backward(dh, dc, cache, p, g):
    """Adds to the decoder grads g; returns (dx, dh_prev, dc_prev)."""
    hx, c_prev, f, i, cc, o, tc = cache
    dc = dc + dh * o * (1 - tc ** 2)
    dz = {"o": dh * tc * o * (1 - o), "c": dc * i * (1 - cc ** 2), "i": dc * cc * i * (1 - i),
          "f": dc * c_prev * f * (1 - f)}
    dhx = 0
    for k, d in dz.items():
        g["W" + k] += d @ hx.T
        g["b" + k] += d.sum(axis=1, keepdims=True)
        dhx = dhx + p["W" + k].T @ d
    n_h = dh.shape[0]
    return dhx[n_h:], dhx[:n_h], dc * f


def forward(X, p, T_y):
    """X (n_x, m, T_x) -> (Y_hat (n_y, m, T_y), attention (T_y, m, T_x), cache)."""
    n_x, m, T_x = X.shape
    h0 = np.zeros((N_A, m), DTYPE)
    af, cf = seq.lstm_forward(X, h0, p["encoder_fwd"])
    ab, cb = seq.lstm_forward(np.ascontiguousarray(X[:, :, ::-1]), h0, p["encoder_bwd"])
    a = np.concatenate([af, ab[:, :, ::-1]])
    Wa_a = np.einsum("dn,nmt->dmt", p["attention"]["W1"][:, :2 * N_A], a)
    s = c = np.zeros((N_S, m), DTYPE)
    Y_hat = np.empty((p["Wy"].shape[0], m, T_y), DTYPE)
    attention = np.empty((T_y, m, T_x), DTYPE)
    steps, S = [], []
    for t in range(T_y):
        context, alphas, att_cache = attention_forward(a, Wa_a, s, p["attention"])
        s, c, cell_cache = cell_forward(context, s, c, p["decoder"])
        z = p["Wy"] @ s + p["by"]
        z = np.exp(z - z.max(axis=0, keepdims=True))
        Y_hat[:, :, t] = z / z.sum(axis=0, keepdims=True)
        attention[t] = alphas[0]
        steps.append((att_cache, cell_cache))
        S.append(s)
    return Y_hat, attention, (a, cf, cb, steps, S)


def backward(Y_hat, Y_ids, cache, p):
    """Gradients of the mean cross-entropy over m and T_y (same nesting as p)."""
    a, cf, cb, steps, S = cache
    n_y, m, T_y = Y_hat.shape
    grads = {k: ({kk: np.zeros_like(vv) for kk, vv in v.items()} if isinstance(v, dict) else np.zeros_like(v))
             for k, v in p.items()}
    dZ = Y_hat.copy()
    dZ[Y_ids[None], np.arange(m)[None, :, None], np.arange(T_y)[None, None, :]] -= 1
    dZ /= m * T_y
    da = np.zeros_like(a)
    ds_next = dc_next = np.zeros((N_S, m), DTYPE)
    for t in reversed(range(T_y)):
        att_cache, cell_cache = steps[t]
        grads["Wy"] += dZ[:, :, t] @ S[t].T
        grads["by"] += dZ[:, :, t].sum(axis=1, keepdims=True)
        ds = p["Wy"].T @ dZ[:, :, t] + ds_next
        dcontext, ds_prev, dc_next = cell_backward(ds, dc_next, cell_cache, p["decoder"], grads["decoder"])
        da_t, ds_att = attention_backward(dcontext, a, att_cache, p["attention"], grads)
        da += da_t
        ds_next = ds_prev + ds_att
    _, _, grads["encoder_fwd"] = seq.lstm_backward(np.ascontiguousarray(da[:N_A]), cf)
    _, _, grads["encoder_bwd"] = seq.lstm_backward(np.ascontiguousarray(da[N_A:, :, ::-1]), cb)
    return grads


def flat(tree, prefix=""):
    for k, v in tree.items():
        if isinstance(v, dict):
            yield from flat(v, prefix + k + "/")
        else:
            yield prefix + k, v


def train(log=print):
    sources, targets = dates.date_pairs(M_TRAIN, seed=TRAIN_SEED, formats=PRETRAIN_FORMATS)
    X_ids = dates.encode(sources, dates.HUMAN_VOCAB, dates.T_X)
    Y_ids = dates.encode(targets, dates.MACHINE_VOCAB, dates.T_Y)
    n_x, n_y = len(dates.HUMAN_VOCAB), len(dates.MACHINE_VOCAB)
    p = init_params(n_x, n_y)
    names = [k for k, _ in flat(p)]
    m_adam = {k: np.zeros_like(v) for k, v in flat(p)}
    v_adam = {k: np.zeros_like(v) for k, v in flat(p)}
    order_rng = np.random.default_rng(ORDER_SEED)
    step, started = 0, time.time()
    for epoch in range(EPOCHS):
        perm = order_rng.permutation(M_TRAIN)
        losses, right = [], 0
        for start in range(0, M_TRAIN, BATCH):
            idx = perm[start:start + BATCH]
            X = dates.one_hot(X_ids[idx], n_x).astype(DTYPE)
            Y_hat, _, cache = forward(X, p, dates.T_Y)
            yb = Y_ids[idx]
            losses.append(float(-np.mean(np.log(np.take_along_axis(Y_hat, yb[None], 0) + 1e-12))))
            right += int(np.sum(np.all(Y_hat.argmax(axis=0) == yb, axis=1)))
            grads = dict(flat(backward(Y_hat, yb, cache, p)))
            norm = np.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads.values()))
            scale = DTYPE(min(1.0, CLIP / (norm + 1e-12)))
            step += 1
            lr = LR * (0.5 if epoch >= EPOCHS - 3 else 1.0)
            params = dict(flat(p))
            for k in names:
                g = grads[k] * scale
                m_adam[k] = 0.9 * m_adam[k] + 0.1 * g
                v_adam[k] = 0.999 * v_adam[k] + 0.001 * g * g
                m_hat = m_adam[k] / (1 - 0.9 ** step)
                v_hat = v_adam[k] / (1 - 0.999 ** step)
                params[k] -= (lr * m_hat / (np.sqrt(v_hat) + 1e-8)).astype(DTYPE)
        log(f"epoch {epoch + 1}/{EPOCHS}: loss {np.mean(losses):.4f}, training exact match "
            f"{right / M_TRAIN:.3f} ({time.time() - started:.0f} s)")
    return p


def held_out_accuracy(p, formats, m=1000, seed=99):
    """Exact-match accuracy on m dates in `formats` that the training set does not contain."""
    train_targets = dates.date_pairs(M_TRAIN, seed=TRAIN_SEED, formats=PRETRAIN_FORMATS)[1]
    sources, targets = dates.date_pairs(m, seed=seed, formats=formats, exclude=train_targets)
    X = dates.one_hot(dates.encode(sources, dates.HUMAN_VOCAB, dates.T_X), len(dates.HUMAN_VOCAB)).astype(DTYPE)
    Y_hat = forward(X, p, dates.T_Y)[0]
    guesses = dates.decode(Y_hat.argmax(axis=0), dates.MACHINE_VOCAB)
    return float(np.mean([g == t for g, t in zip(guesses, targets)]))


# ------------------------------------------------------------------------ writing the file

def write_npz(path, arrays):
    """np.load-compatible .npz with fixed timestamps and order (np.savez stamps the current time)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key in sorted(arrays):
            info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            body = io.BytesIO()
            np.lib.format.write_array(body, np.ascontiguousarray(arrays[key]), allow_pickle=False)
            zf.writestr(info, body.getvalue())
    Path(path).write_bytes(buffer.getvalue())


def record_checksum(digest):
    """Write `digest` into utils/dates.py and into date_translator.npz's row of datasets/README.md."""
    source = LOADER.read_text()
    new, n = re.subn(r'^TRANSLATOR_SHA256 = "[^"]*"', f'TRANSLATOR_SHA256 = "{digest}"', source, flags=re.M)
    if n != 1:
        raise SystemExit(f"{LOADER}: no TRANSLATOR_SHA256 line to update")
    if new != source:
        LOADER.write_text(new)
    lines = README.read_text().splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("| `date_translator.npz`"):
            lines[i] = re.sub(r"SHA-256 `[0-9a-f]*`", f"SHA-256 `{digest}`", line)
    README.write_text("".join(lines))


def main():
    params = train()
    print(f"held-out exact match: {held_out_accuracy(params, PRETRAIN_FORMATS):.4f} on the training formats, "
          f"{held_out_accuracy(params, [HELD_OUT_FORMAT]):.4f} on {HELD_OUT_FORMAT!r}")
    write_npz(OUT, {k: v.astype(np.float32) for k, v in flat(params)})
    size = OUT.stat().st_size
    if size >= MAX_BYTES:
        raise SystemExit(f"{OUT.name} has {size} bytes, over the {MAX_BYTES} limit")
    digest = hashlib.sha256(OUT.read_bytes()).hexdigest()
    record_checksum(digest)
    print(f"wrote {OUT.name}: {size} bytes, SHA-256 {digest}")


if __name__ == "__main__":
    main()
