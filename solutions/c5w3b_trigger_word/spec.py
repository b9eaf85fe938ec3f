"""Grading spec for c5w3b_trigger_word. Visible cases ship with the notebook; hidden draws stay here.

Hidden cases vary clip and background lengths, sample rates (never 1000 Hz, where a millisecond is one
sample and mixing the two units would go unnoticed), the label length Ty (for insert_ones never a divisor
of background_ms, nor more than a third of it), the number and layout of previous segments, and the
detector's sizes (n_freq, m, T_x, f, stride >= 2, n_C, n_a pairwise different where they meet; non-zero
biases).

Each hidden case is planned by its number k so that it exposes named mistakes, and is checked against
small re-implementations below (a draw on which a catalogued mistake would give the right answer is drawn
again):
- get_random_time_segment: every case's seed makes the start differ under a high bound of background_ms
  (clip may run past the end), of background_ms - segment_ms (last start excluded) and under the legacy
  np.random.randint; case 0 has segment_ms == background_ms (a single possible start).
- is_overlapping: 0 segments touching at an endpoint, 1 a new segment containing an old one, 2 / 3 an
  overlap over the old segment's start / end, 4 a segment squeezed between two (touching neither), 5 no
  previous segment; the overlapped segment is never the first of the list.
- insert_audio_clip: 0 the first draw is free (at a start > 0), 1 the first draw overlaps and a later
  one is free, 2 all five draws overlap but a sixth would be free (answer None), 3 only the fifth is free.
- insert_ones: the end step's fraction is at least 0.5 (round != floor, ceil != floor); case 0 ends
  within 50 steps of Ty (clipping); cases 1+ start from labels that already hold a block of ones.
- create_training_example: at least two keywords and one distractor are inserted, one insertion needed
  a retry, and the mistakes re-implemented below (label the distractors, pass the integer seed on, forget
  the segments, label at the start, 0-3 keywords, distractors first) all change the mixed audio or y.
"""
import numpy as np

from grader.spec import Test

TITLE = "Trigger word detection"
HELPERS = ["framework", "dnn_utils", "seq", "data", "trigger_utils"]
DATA = ["trigger_audio.h5", "trigger_detector.npz"]

RATES = (2000, 4000, 8000)


def _seed(rng):
    return int(rng.integers(0, 2 ** 31 - 1))


# ------------------------------------------------------------------ small references (for vetting draws)

def _draw(rng, segment_ms, background_ms):
    start = int(rng.integers(0, background_ms - segment_ms + 1))
    return start, start + segment_ms - 1


def _overlaps(segment, previous):
    return any(segment[0] <= e and s <= segment[1] for s, e in previous)


def _insert(background, clip, segments, rng, sr):
    """Reference insert_audio_clip: (new background, segment or None, segments, number of draws)."""
    background_ms, segment_ms = len(background) * 1000 // sr, len(clip) * 1000 // sr
    chosen, draws = None, 0
    for _ in range(5):
        draws += 1
        candidate = _draw(rng, segment_ms, background_ms)
        if not _overlaps(candidate, segments):
            chosen = candidate
            break
    out = np.array(background, dtype=np.float64)
    if chosen is None:
        return out, None, list(segments), draws
    start = chosen[0] * sr // 1000
    out[start:start + len(clip)] += clip
    return out, chosen, list(segments) + [chosen], draws


def _ones(y, end_ms, Ty, background_ms):
    y = np.array(y, dtype=np.float64)
    t = int(end_ms * Ty / background_ms)
    y[0, t + 1:t + 51] = 1
    return y


def _example(background, activates, negatives, seed, sr, Ty, mistake=None):
    """Reference create_training_example without the spectrogram: (mixed audio, y, stats)."""
    rng = np.random.default_rng(seed)
    background_ms = len(background) * 1000 // sr
    y = np.zeros((1, Ty))
    segments, stats = [], {"activates": 0, "negatives": 0, "retries": 0}
    order = [(negatives, 3, False), (activates, 5, True)] if mistake == "negatives first" else \
            [(activates, 4 if mistake == "max3" else 5, True), (negatives, 3, False)]
    for clips, high, label in order:
        for i in rng.integers(0, len(clips), size=rng.integers(0, high)):
            sub = np.random.default_rng(seed) if mistake == "int seed" else rng
            previous = [] if mistake == "forget segments" else segments
            background, segment, segments, draws = _insert(background, clips[i], previous, sub, sr)
            stats["retries"] += draws > 1
            if segment is not None:
                stats["activates" if label else "negatives"] += 1
                if label or mistake == "label negatives":
                    y = _ones(y, segment[0] if mistake == "start label" else segment[1], Ty, background_ms)
    return background, y, stats


# ------------------------------------------------------------------ get_random_time_segment

def _hidden_segment(rng, k):
    for _ in range(10000):
        if k == 0:
            background_ms = int(rng.integers(20, 400))
            segment_ms = background_ms
        else:
            background_ms = int(rng.integers(300, 20000))
            segment_ms = int(rng.integers(10, background_ms // 2))
        seed = _seed(rng)
        right = int(np.random.default_rng(seed).integers(0, background_ms - segment_ms + 1))
        past_end = int(np.random.default_rng(seed).integers(0, background_ms))
        legacy = int(np.random.RandomState(seed).randint(0, background_ms - segment_ms + 1))
        if past_end == right:
            continue
        if k > 0:
            excluded = int(np.random.default_rng(seed).integers(0, background_ms - segment_ms))
            if excluded == right or legacy == right:
                continue
        return {"segment_ms": segment_ms, "background_ms": background_ms, "seed": seed}
    raise RuntimeError("no suitable draw")


# ------------------------------------------------------------------ is_overlapping

def _layout(rng, n, total=10000, min_gap=12):
    """n disjoint segments (start, end) in increasing order with gaps of at least min_gap ms between them."""
    while True:
        cuts = np.sort(rng.choice(np.arange(1, total), size=2 * n, replace=False))
        segs = [(int(cuts[2 * i]), int(cuts[2 * i + 1])) for i in range(n)]
        gaps = [segs[i + 1][0] - segs[i][1] for i in range(n - 1)]
        if all(g >= min_gap for g in gaps) and segs[0][0] >= min_gap and total - segs[-1][1] >= min_gap:
            return segs


def _hidden_overlap(rng, k):
    if k == 5:
        start = int(rng.integers(0, 5000))
        return {"segment_time": (start, start + int(rng.integers(1, 800))), "previous_segments": []}
    n = int(rng.integers(3, 7))
    segs = _layout(rng, n)
    j = int(rng.integers(1, n - 1)) if k == 4 else int(rng.integers(0, n))
    ps, pe = segs[j]
    room_before = ps - (segs[j - 1][1] if j > 0 else 0) - 1           # free ms just before segment j
    room_after = (segs[j + 1][0] if j < n - 1 else 10000) - pe - 1     # free ms just after it
    if k == 0:                                  # touching at an endpoint (shares exactly one ms)
        if rng.random() < 0.5:
            new = (pe, pe + int(rng.integers(1, room_after + 1)))
        else:
            new = (ps - int(rng.integers(1, room_before + 1)), ps)
    elif k == 1:                                # contains segment j
        new = (ps - int(rng.integers(1, room_before + 1)), pe + int(rng.integers(1, room_after + 1)))
    elif k == 2:                                # over j's start
        new = (ps - int(rng.integers(1, room_before + 1)), int(rng.integers(ps, pe)))
    elif k == 3:                                # over j's end
        new = (int(rng.integers(ps + 1, pe + 1)), pe + int(rng.integers(1, room_after + 1)))
    else:                                       # squeezed between j and j + 1, touching neither
        new = (pe + 1, segs[j + 1][0] - 1)
    others = [s for i, s in enumerate(segs) if i != j]
    order = list(rng.permutation(len(others)))
    previous = [others[i] for i in order]
    previous.insert(int(rng.integers(1, len(previous) + 1)), segs[j])   # never first
    if k == 4:
        rng.shuffle(previous)
    return {"segment_time": new, "previous_segments": previous}


# ------------------------------------------------------------------ insert_audio_clip

def _plan_insert(rng, k):
    """A background, a clip, previous segments and a seed whose draws follow case k's pattern."""
    for _ in range(200):
        sr = int(rng.choice(RATES))
        background_ms = int(rng.integers(600, 2500))
        segment_ms = int(rng.integers(background_ms // 12, background_ms // 5))
        n = int(rng.integers(2, 6))
        segs = _layout(rng, n, total=background_ms, min_gap=2)
        starts = np.arange(background_ms - segment_ms + 1)
        free = np.array([not _overlaps((s, s + segment_ms - 1), segs) for s in starts])
        if free.mean() < 0.1 or free.mean() > 0.7:
            continue
        for _ in range(3000):
            seed = _seed(rng)
            g = np.random.default_rng(seed)
            ok = [bool(free[int(g.integers(0, len(starts)))]) for _ in range(6)]
            first_start = int(np.random.default_rng(seed).integers(0, len(starts)))
            if (k == 0 and ok[0] and first_start > 0) or (k == 1 and not ok[0] and any(ok[1:4])) \
                    or (k == 2 and not any(ok[:5]) and ok[5]) or (k == 3 and not any(ok[:4]) and ok[4]):
                background = rng.normal(0, 0.1, size=background_ms * sr // 1000)
                clip = rng.normal(0, 0.3, size=segment_ms * sr // 1000)
                rng.shuffle(segs)
                return {"background": background, "audio_clip": clip, "previous_segments": segs,
                        "seed": seed, "sample_rate": sr}
    raise RuntimeError("no suitable draw")


# ------------------------------------------------------------------ insert_ones

def _hidden_ones(rng, k):
    while True:
        Ty = int(rng.integers(80, 1500))
        background_ms = int(rng.integers(3 * Ty + 7, 12000))
        if background_ms % Ty == 0:
            continue
        ends = np.arange(background_ms)
        exact = ends * Ty / background_ms
        frac = exact - np.floor(exact)
        step = np.floor(exact).astype(int)
        good = (frac >= 0.5) & (frac < 0.999)
        good &= (step >= Ty - 45) & (step <= Ty - 2) if k == 0 else (step >= 60) & (step <= Ty - 60)
        if not good.any():
            continue
        end = int(rng.choice(ends[good]))
        y = np.zeros((1, Ty))
        if k > 0:                                   # an earlier keyword's block, away from this one
            t = int(end * Ty / background_ms)
            choices = [s for s in range(0, Ty - 50) if s + 50 < t - 5 or s > t + 56]
            if not choices:
                continue
            s = int(rng.choice(choices))
            y[0, s:s + 50] = 1
        return {"y": y, "segment_end_ms": end, "Ty": Ty, "background_ms": background_ms}


# ------------------------------------------------------------------ create_training_example

MISTAKES = ("label negatives", "int seed", "forget segments", "start label", "max3", "negatives first")


def _hidden_example(rng):
    for _ in range(500):
        sr = int(rng.choice(RATES))
        background_ms = int(rng.integers(1000, 2500))
        background = rng.normal(0, 0.05, size=background_ms * sr // 1000)
        clip = lambda: rng.normal(0, 0.3, size=int(rng.integers(background_ms // 12, background_ms // 5)) * sr // 1000)
        activates = [clip() for _ in range(int(rng.integers(2, 5)))]
        negatives = [clip() for _ in range(int(rng.integers(2, 4)))]
        Ty = int(rng.integers(50, 400))
        for _ in range(300):
            seed = _seed(rng)
            audio, y, stats = _example(background, activates, negatives, seed, sr, Ty)
            if stats["activates"] < 2 or stats["negatives"] < 1 or stats["retries"] < 1:
                continue
            if all(not (np.array_equal(a, audio) and np.array_equal(b, y))
                   for a, b, _ in (_example(background, activates, negatives, seed, sr, Ty, m) for m in MISTAKES)):
                return {"background": background, "activates": activates, "negatives": negatives,
                        "seed": seed, "sample_rate": sr, "Ty": Ty}
    raise RuntimeError("no suitable draw")


# ------------------------------------------------------------------ detector_forward

def _detector_case(rng, n_freq, m, T_x, f, n_C, n_a, stride):
    params = {"Wconv": rng.normal(0, 0.4, size=(n_C, f, n_freq)), "bconv": rng.normal(0, 0.3, size=(n_C, 1)),
              "Wy": rng.normal(0, 0.8, size=(1, n_a)), "by": rng.normal(0, 0.3, size=(1, 1))}
    for g in "zrh":
        params["W" + g] = rng.normal(0, 0.6, size=(n_a, n_a + n_C))
        params["b" + g] = rng.normal(0, 0.3, size=(n_a, 1))
    return {"X": rng.normal(size=(n_freq, m, T_x)), "params": params, "stride": stride}


def _hidden_detector(rng):
    while True:
        n_freq, n_C, n_a = (int(v) for v in rng.choice(np.arange(3, 11), size=3, replace=False))
        m, f, stride = int(rng.integers(2, 5)), int(rng.integers(2, 7)), int(rng.integers(2, 4))
        T_x = int(rng.integers(20, 46))
        if len({m, f, stride}) == 3 and (T_x - f) % stride != 0:
            return _detector_case(rng, n_freq, m, T_x, f, n_C, n_a, stride)


# ------------------------------------------------------------------ visible cases

_V = np.random.default_rng(2024)
_V_BACKGROUND = np.round(_V.normal(0, 0.05, size=1200), 4)            # 600 ms at 2000 Hz
_V_ACTIVATES = [np.round(_V.normal(0, 0.3, size=n), 4) for n in (160, 200)]
_V_NEGATIVES = [np.round(_V.normal(0, 0.3, size=n), 4) for n in (120, 180)]
_V_Y = np.zeros((1, 40))
_V_Y[0, 3:10] = 1.0

TESTS = [
    Test("get_random_time_segment", points=1,
         visible=[{"segment_ms": 600, "background_ms": 5000, "seed": 1},
                  {"segment_ms": 250, "background_ms": 250, "seed": 3}],
         hidden=_hidden_segment, n_hidden=4),
    Test("is_overlapping", points=1,
         visible=[{"segment_time": (950, 1430), "previous_segments": [(2000, 2550), (1430, 1700)]},
                  {"segment_time": (100, 199), "previous_segments": [(200, 300), (0, 99)]},
                  {"segment_time": (500, 900), "previous_segments": [(0, 50), (600, 700)]}],
         hidden=_hidden_overlap, n_hidden=6),
    Test("insert_audio_clip", points=2,
         visible=[{"background": np.zeros(40), "audio_clip": np.array([0.5, -0.5, 0.25, 1.0]),
                   "previous_segments": [(0, 3)], "seed": 5, "sample_rate": 2000},
                  {"background": np.zeros(40), "audio_clip": np.array([0.5, -0.5, 0.25, 1.0]),
                   "previous_segments": [(0, 7), (9, 19)], "seed": 0, "sample_rate": 2000}],
         hidden=_plan_insert, n_hidden=4),
    Test("insert_ones", points=1,
         visible=[{"y": np.zeros((1, 60)), "segment_end_ms": 317, "Ty": 60, "background_ms": 1000},
                  {"y": _V_Y, "segment_end_ms": 75, "Ty": 40, "background_ms": 600}],
         hidden=_hidden_ones, n_hidden=5),
    Test("create_training_example", points=2,
         visible=[{"background": _V_BACKGROUND, "activates": _V_ACTIVATES, "negatives": _V_NEGATIVES,
                   "seed": 4, "sample_rate": 2000, "Ty": 40}],
         hidden=_hidden_example, n_hidden=3, rtol=1e-6, atol=1e-8),
    Test("detector_forward", points=2,
         visible=[_detector_case(np.random.default_rng(7), n_freq=4, m=2, T_x=11, f=3, n_C=3, n_a=2, stride=2)],
         hidden=_hidden_detector, n_hidden=3),
]
