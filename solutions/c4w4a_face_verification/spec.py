"""Grading spec for c4w4a_face_verification. Visible cases ship with the notebook; hidden draws stay here.

Encodings are columns: a batch of m encodings of dimension d is (d, m). Hidden cases vary d and m (always
d != m, m >= 2), the margin alpha, the encoder's sizes (non-square photos, 1-3 channels, odd sizes whose
pools drop a row or column, non-zero biases), the database (3-6 people, dict order random) and the
thresholds. Every hidden triplet has |l_i| >= KINK_MARGIN (l_i the value inside the hinge) and each batch
has active and inactive triplets, so the hinge matters and centred differences are well defined.
triplet_loss_backward is scored by `_gradient_score`: it must match the reference solution AND centred
finite differences (float64) of a triplet loss written here. Hidden thresholds sit at least 10% away from
the distances they are compared with (no ties). verify claims someone other than the nearest person and draws a
match or a non-match with probability 1/2; who_is_it draws a known or an "unknown" answer with probability 1/2
(8 cases: both kinds occur in a grading run except with probability 2/256); the visible cases of both have both. best_threshold's
hidden pairs have a unique best candidate, and are redrawn until the catalogued wrong rules (balanced
accuracy, threshold on the wrong side, distances instead of midpoints) pick another answer.
"""
import numpy as np

import conv                        # utils/ is on sys.path (grader.paths): an encoder for building databases
from grader.paths import checks
from grader.spec import Test

TITLE = "Face verification with a triplet-loss embedding"
HELPERS = ["framework", "dnn_utils", "conv", "faces"]
DATA = []

RTOL, ATOL = 1e-6, 1e-9            # against the reference solution
KINK_MARGIN = 0.05                 # hidden triplets: |l_i| >= this
FD_STEP = 1e-6
FD_RTOL, FD_ATOL = 1e-5, 1e-7      # against centred differences (their error is ~1e-10 here)
NAMES = ["Kalo", "Mira", "Tesu", "Bendo", "Luri", "Zana", "Orin", "Fenja", "Davo", "Isel"]


# ---------------------------------------------------------------- an encoder and a triplet loss of our own

def _encode(images, p):
    """The notebook's encoder, written again: images (m, n_H, n_W, n_C) -> unit columns (d, m)."""
    Z, _ = conv.conv2d_forward(images, p["W1"], p["b1"], stride=1, pad=1)
    P, _ = conv.pool2d_forward(np.maximum(Z, 0), 2, stride=2, mode="max")
    Z, _ = conv.conv2d_forward(P, p["W2"], p["b2"], stride=1, pad=1)
    P, _ = conv.pool2d_forward(np.maximum(Z, 0), 2, stride=2, mode="max")
    Z = p["W3"] @ P.reshape(P.shape[0], -1).T + p["b3"]
    return Z / np.linalg.norm(Z, axis=0, keepdims=True)


def _hinge_inputs(a, p, n, alpha):
    """l_i = ||a_i - p_i||^2 - ||a_i - n_i||^2 + alpha, shape (m,)."""
    return np.sum((a - p) ** 2, axis=0) - np.sum((a - n) ** 2, axis=0) + alpha


def _numeric(f, x):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + FD_STEP
        up = f()
        x[idx] = old - FD_STEP
        down = f()
        x[idx] = old
        grad[idx] = (up - down) / (2 * FD_STEP)
    return grad


def _fd_triplet_gradients(anchor, positive, negative, alpha):
    a, p, n = (np.array(x, dtype=np.float64) for x in (anchor, positive, negative))
    J = lambda: float(np.sum(np.maximum(_hinge_inputs(a, p, n, alpha), 0.0)))
    return _numeric(J, a), _numeric(J, p), _numeric(J, n)


def _gradient_score(got, expected, kwargs):
    """A Test.score: (d_anchor, d_positive, d_negative) must match the reference, then centred differences."""
    names = ("d_anchor", "d_positive", "d_negative")
    if got is None or (isinstance(got, (tuple, list)) and all(g is None for g in got)):
        return 0.0, "returned None: not implemented yet (or a missing `return`)."
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return 0.0, "should return a tuple of 3 arrays (d_anchor, d_positive, d_negative)."
    for name, g, e in zip(names, got, expected):
        m = checks.compare(g, e, RTOL, ATOL, path=name)
        if m:
            return 0.0, f"wrong answer on a hidden test: {m['safe']}. The visible test shows expected values."
    for name, g, n in zip(names, got, _fd_triplet_gradients(**kwargs)):
        if checks.compare(g, n, FD_RTOL, FD_ATOL, path=name):
            return 0.0, f"{name} matches the reference but not centred finite differences: please tell your " \
                        "instructor (a grader problem, not yours)."
    return 1.0, "passed; the three gradients agree with centred finite differences."


# ---------------------------------------------------------------- hidden draws

def _dm(rng, d_range=(2, 7), m_range=(2, 9)):
    while True:
        d, m = int(rng.integers(*d_range, endpoint=True)), int(rng.integers(*m_range, endpoint=True))
        if d != m:
            return d, m


def _hidden_l2_normalize(rng):
    d, m = _dm(rng)
    Z = rng.normal(size=(d, m)) * rng.uniform(0.2, 3.0, size=(1, m)) + rng.normal(0, 0.5, size=(d, 1))
    return {"Z": Z}


def _triplets(rng):
    """Anchor, positive, negative (d, m) and alpha: some triplets active, some not, all away from the kink."""
    for _ in range(10_000):
        d, m = _dm(rng)
        alpha = float(rng.uniform(0.05, 0.6))
        scale = float(rng.uniform(0.3, 1.5))
        a = rng.normal(0, scale, size=(d, m))
        p = a + rng.normal(0, scale * rng.uniform(0.2, 0.9), size=(d, m))
        n = a + rng.normal(0, scale * rng.uniform(0.2, 0.9), size=(d, m))
        if rng.uniform() < 0.5:                     # unit-length encodings, as the notebook's network makes
            a, p, n = (x / np.linalg.norm(x, axis=0, keepdims=True) for x in (a, p, n))
        ell = _hinge_inputs(a, p, n, alpha)
        if np.min(np.abs(ell)) >= KINK_MARGIN and 0 < np.sum(ell > 0) < m:
            return {"anchor": a, "positive": p, "negative": n, "alpha": alpha}
    raise RuntimeError("no triplet batch away from the kink")


def _network(rng, m_images, d=None):
    """Random encoder params and photos (m_images, n_H, n_W, n_C): non-square, 1-3 channels, non-zero biases."""
    n_H, n_W = (int(v) for v in rng.choice(np.arange(4, 12), size=2, replace=False))
    n_C, F1, F2 = int(rng.integers(1, 4)), int(rng.integers(2, 6)), int(rng.integers(2, 6))
    d = d or int(rng.integers(3, 8))
    n_flat = (n_H // 4) * (n_W // 4) * F2
    params = {"W1": rng.normal(size=(3, 3, n_C, F1)) / np.sqrt(9 * n_C), "b1": rng.normal(0, 0.3, size=(1, 1, 1, F1)),
              "W2": rng.normal(size=(3, 3, F1, F2)) / np.sqrt(9 * F1), "b2": rng.normal(0, 0.3, size=(1, 1, 1, F2)),
              "W3": rng.normal(size=(d, n_flat)) / np.sqrt(n_flat), "b3": rng.normal(0, 0.3, size=(d, 1))}
    images = rng.normal(size=(m_images, n_H, n_W, n_C))
    return params, images


def _hidden_img_to_encoding(rng):
    m = int(rng.integers(2, 5))
    params, images = _network(rng, m)
    while params["W3"].shape[0] == m:
        params, images = _network(rng, m)
    return {"images": images, "params": params}


def _database(rng):
    """params, a database of 3-6 people (random order), a query photo near person j, and every distance."""
    for _ in range(1000):
        K = int(rng.integers(3, 7))
        params, faces = _network(rng, K)
        encodings = _encode(faces, params)
        names = [str(s) for s in rng.choice(NAMES, size=K, replace=False)]
        j = int(rng.integers(K))
        image = faces[j:j + 1] + rng.normal(0, 0.3, size=faces[j:j + 1].shape)
        query = _encode(image, params)
        dists = np.linalg.norm(encodings - query, axis=0)
        s = np.sort(dists)
        if s[0] > 1e-3 and s[1] - s[0] > 0.02 * s[1]:           # a clear nearest person
            database = {name: encodings[:, [k]] for k, name in enumerate(names)}
            return params, database, image, names, dists
    raise RuntimeError("no database with a clear nearest person")


def _hidden_verify(rng):
    params, database, image, names, dists = _database(rng)
    k = int(rng.choice(np.argsort(dists)[1:]))      # never the nearest person: "compares with the nearest" must fail
    dist = dists[k]
    threshold = dist * (rng.uniform(1.1, 1.6) if rng.uniform() < 0.5 else rng.uniform(0.5, 0.9))
    return {"image": image, "identity": names[k], "database": database, "params": params,
            "threshold": float(threshold)}


def _hidden_who_is_it(rng):
    params, database, image, names, dists = _database(rng)
    threshold = dists.min() * (rng.uniform(1.1, 1.6) if rng.uniform() < 0.5 else rng.uniform(0.5, 0.9))
    return {"image": image, "database": database, "params": params, "threshold": float(threshold)}


def _pairs(rng, N):
    """Distances (N,) of overlapping same / different pairs, and same (N,) bool, both classes present."""
    while True:
        same = rng.uniform(size=N) < rng.uniform(0.2, 0.8)
        if 2 <= same.sum() <= N - 2:
            break
    centre, spread = rng.uniform(0.5, 1.0), rng.uniform(0.15, 0.35)
    distances = np.where(same, rng.normal(centre, spread, N), rng.normal(centre + rng.uniform(0.2, 0.6), spread, N))
    return np.abs(distances) + 0.01, same


def _hidden_roc_curve(rng):
    distances, same = _pairs(rng, int(rng.integers(12, 41)))
    T = int(rng.integers(4, 11))
    thresholds = rng.uniform(distances.min() - 0.05, distances.max() + 0.05, size=T)
    if rng.uniform() < 0.5:
        thresholds = np.sort(thresholds)
    return {"distances": distances, "same": same, "thresholds": thresholds}


def _accuracies(distances, same, candidates, side=1):
    """Correct decisions of "same when side * (distance - c) < 0" for each candidate c -> int array."""
    accept = side * (distances[None, :] - candidates[:, None]) < 0
    return np.sum(accept == same[None, :], axis=1)


def _hidden_best_threshold(rng):
    for _ in range(10_000):
        distances, same = _pairs(rng, int(rng.integers(10, 41)))
        s = np.sort(distances)
        if np.min(np.diff(s)) < 1e-6:
            continue
        mids = (s[:-1] + s[1:]) / 2
        correct = _accuracies(distances, same, mids)
        best = np.flatnonzero(correct == correct.max())
        if best.size != 1:
            continue                                            # a unique best threshold
        k = int(best[0])
        tpr = np.array([np.sum((distances < c) & same) for c in mids]) / same.sum()
        tnr = np.array([np.sum((distances >= c) & ~same) for c in mids]) / (~same).sum()
        balanced = int(np.argmax(tpr + tnr))
        wrong_side = int(np.argmax(_accuracies(distances, same, mids, side=-1)))
        if balanced != k and wrong_side != k and 2 * correct[k] != same.size:
            return {"distances": distances, "same": same}
    raise RuntimeError("no pairs with a unique best threshold")


# ---------------------------------------------------------------- visible cases (fixed, shown to students)

def _visible_network():
    rng = np.random.default_rng(41)
    params = {"W1": np.round(rng.normal(size=(3, 3, 1, 2)) / 3, 2), "b1": np.array([[[[0.1, -0.2]]]]),
              "W2": np.round(rng.normal(size=(3, 3, 2, 3)) / 4, 2), "b2": np.array([[[[0.05, 0.0, -0.1]]]]),
              "W3": np.round(rng.normal(size=(4, 12)) / 3, 2), "b3": np.array([[0.1], [-0.1], [0.2], [0.0]])}
    images = np.round(rng.uniform(0, 1, size=(5, 8, 8, 1)), 2)
    return params, images


_VP, _VIMG = _visible_network()
_VDB_NAMES = ["Kalo", "Mira", "Tesu"]
_VDB = {name: _encode(_VIMG[k:k + 1], _VP) for k, name in enumerate(_VDB_NAMES)}
_VQUERY = np.round(np.clip(_VIMG[1:2] + np.random.default_rng(5).normal(0, 0.1, size=(1, 8, 8, 1)), 0, 1), 2)
_VDISTS = {n: float(np.linalg.norm(_encode(_VQUERY, _VP) - e)) for n, e in _VDB.items()}
_VNEAR = min(_VDISTS, key=_VDISTS.get)
_VFAR = max(_VDISTS, key=_VDISTS.get)
assert _VNEAR != _VDB_NAMES[-1], "visible who_is_it: the nearest person should not come last in the dict"

_VA = np.array([[0.5, -0.2, 0.1, 0.9], [0.1, 0.4, -0.6, 0.0], [-0.3, 0.8, 0.2, -0.4]])
_VPOS = np.array([[0.4, 0.1, 0.3, 0.2], [0.3, 0.5, -0.1, 0.5], [-0.2, 0.3, 0.1, 0.2]])
_VNEG = np.array([[-1.5, -0.3, 0.2, 0.8], [1.2, 0.9, -0.5, 0.1], [1.0, 0.7, 0.1, -0.6]])
_VTRIPLET = {"anchor": _VA, "positive": _VPOS, "negative": _VNEG, "alpha": 0.2}
assert np.min(np.abs(_hinge_inputs(_VA, _VPOS, _VNEG, 0.2))) >= KINK_MARGIN
assert 0 < np.sum(_hinge_inputs(_VA, _VPOS, _VNEG, 0.2) > 0) < 4
assert np.sum(_hinge_inputs(_VA, _VPOS, _VNEG, 0.2)) < 0     # so that "hinge after the sum" and "no hinge" differ

_VDIST = np.array([0.42, 1.31, 0.77, 0.95, 0.28, 1.12, 0.61, 0.88, 1.45])
_VSAME = np.array([True, False, True, False, True, False, False, True, False])

TESTS = [
    Test("l2_normalize", points=1,
         visible=[{"Z": np.array([[3.0, 1.0, -2.0, 0.5], [4.0, -1.0, 2.0, 0.0], [0.0, 1.0, 1.0, -1.2]])}],
         hidden=_hidden_l2_normalize, n_hidden=4, rtol=RTOL, atol=ATOL),
    Test("img_to_encoding", points=2,
         visible=[{"images": _VIMG[:2], "params": _VP}],
         hidden=_hidden_img_to_encoding, n_hidden=4, rtol=RTOL, atol=ATOL),
    Test("triplet_loss", points=2,
         visible=[_VTRIPLET],
         hidden=lambda rng: _triplets(rng), n_hidden=5, rtol=RTOL, atol=ATOL),
    Test("triplet_loss_backward", points=2,
         visible=[_VTRIPLET],
         hidden=lambda rng: _triplets(rng), n_hidden=5, rtol=RTOL, atol=ATOL, score=_gradient_score),
    Test("roc_curve", points=2,
         visible=[{"distances": _VDIST, "same": _VSAME, "thresholds": np.array([0.5, 0.8, 1.0, 1.3])}],
         hidden=_hidden_roc_curve, n_hidden=4, rtol=RTOL, atol=ATOL),
    Test("best_threshold", points=2,
         visible=[{"distances": _VDIST, "same": _VSAME}],
         hidden=_hidden_best_threshold, n_hidden=4, rtol=RTOL, atol=ATOL),
    Test("verify", points=2,
         visible=[{"image": _VQUERY, "identity": _VNEAR, "database": _VDB, "params": _VP,
                   "threshold": round(_VDISTS[_VNEAR] * 1.3, 3)},
                  {"image": _VQUERY, "identity": _VFAR, "database": _VDB, "params": _VP,
                   "threshold": round(_VDISTS[_VFAR] * 0.8, 3)}],
         hidden=_hidden_verify, n_hidden=6, rtol=RTOL, atol=ATOL),
    Test("who_is_it", points=2,
         visible=[{"image": _VQUERY, "database": _VDB, "params": _VP, "threshold": round(_VDISTS[_VNEAR] * 1.3, 3)},
                  {"image": _VQUERY, "database": _VDB, "params": _VP, "threshold": round(_VDISTS[_VNEAR] * 0.7, 3)}],
         hidden=_hidden_who_is_it, n_hidden=8, rtol=RTOL, atol=ATOL),
]
