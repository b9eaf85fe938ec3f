"""Mistake catalogue for c5w3b_trigger_word: wrong variants (each must lose its item) and rewrites (full marks)."""
from grader.catalogue import mistake, rewrite

# ---------------------------------------------------------------------------------- get_random_time_segment


@mistake("get_random_time_segment", "draws the start up to background_ms, so the clip can run past the end")
def get_random_time_segment(segment_ms, background_ms, seed):
    rng = np.random.default_rng(seed)
    segment_start = int(rng.integers(0, background_ms))
    return (segment_start, segment_start + segment_ms - 1)


@mistake("get_random_time_segment", "excludes the last possible start (high bound background_ms - segment_ms)")
def get_random_time_segment(segment_ms, background_ms, seed):
    rng = np.random.default_rng(seed)
    segment_start = int(rng.integers(0, background_ms - segment_ms))
    return (segment_start, segment_start + segment_ms - 1)


@mistake("get_random_time_segment", "makes the end exclusive (segment_start + segment_ms)")
def get_random_time_segment(segment_ms, background_ms, seed):
    rng = np.random.default_rng(seed)
    segment_start = int(rng.integers(0, background_ms - segment_ms + 1))
    return (segment_start, segment_start + segment_ms)


@mistake("get_random_time_segment", "uses the legacy np.random.seed / np.random.randint instead of default_rng(seed)")
def get_random_time_segment(segment_ms, background_ms, seed):
    np.random.seed(seed)
    segment_start = int(np.random.randint(0, background_ms - segment_ms + 1))
    return (segment_start, segment_start + segment_ms - 1)


@rewrite("get_random_time_segment", "uses rng.integers(..., endpoint=True)")
def get_random_time_segment(segment_ms, background_ms, seed):
    rng = np.random.default_rng(seed)
    start = rng.integers(0, background_ms - segment_ms, endpoint=True)
    return int(start), int(start + segment_ms - 1)


@rewrite("get_random_time_segment", "passes only the upper bound and returns a list")
def get_random_time_segment(segment_ms, background_ms, seed):
    start = int(np.random.default_rng(seed).integers(background_ms - segment_ms + 1))
    return [start, start + segment_ms - 1]


# ---------------------------------------------------------------------------------- is_overlapping


@mistake("is_overlapping", "uses strict comparisons, so segments touching at an endpoint do not overlap")
def is_overlapping(segment_time, previous_segments):
    segment_start, segment_end = segment_time
    return any(segment_start < pe and ps < segment_end for ps, pe in previous_segments)


@mistake("is_overlapping", "only checks whether the new segment's start lies inside a previous segment")
def is_overlapping(segment_time, previous_segments):
    segment_start, segment_end = segment_time
    return any(ps <= segment_start <= pe for ps, pe in previous_segments)


@mistake("is_overlapping", "only checks whether the new segment's end lies inside a previous segment")
def is_overlapping(segment_time, previous_segments):
    segment_start, segment_end = segment_time
    return any(ps <= segment_end <= pe for ps, pe in previous_segments)


@mistake("is_overlapping", "checks whether either end lies inside a previous segment, missing a segment that contains one")
def is_overlapping(segment_time, previous_segments):
    segment_start, segment_end = segment_time
    return any(ps <= segment_start <= pe or ps <= segment_end <= pe for ps, pe in previous_segments)


@mistake("is_overlapping", "returns False as soon as one previous segment does not overlap")
def is_overlapping(segment_time, previous_segments):
    segment_start, segment_end = segment_time
    for ps, pe in previous_segments:
        if segment_start <= pe and ps <= segment_end:
            return True
        else:
            return False
    return False


@rewrite("is_overlapping", "tests the negation: not (ends before or starts after)")
def is_overlapping(segment_time, previous_segments):
    s, e = segment_time
    for ps, pe in previous_segments:
        if not (e < ps or s > pe):
            return True
    return False


@rewrite("is_overlapping", "compares max of the starts with min of the ends")
def is_overlapping(segment_time, previous_segments):
    return bool(any(max(segment_time[0], p[0]) <= min(segment_time[1], p[1]) for p in previous_segments))


# ---------------------------------------------------------------------------------- insert_audio_clip


@mistake("insert_audio_clip", "overwrites the background's samples with the clip instead of adding the clip")
def insert_audio_clip(background, audio_clip, previous_segments, seed, sample_rate=8000):
    rng = np.random.default_rng(seed)
    background_ms, segment_ms = duration_ms(background, sample_rate), duration_ms(audio_clip, sample_rate)
    for _ in range(5):
        segment_time = get_random_time_segment(segment_ms, background_ms, rng)
        if not is_overlapping(segment_time, previous_segments):
            new = np.array(background, dtype=float)
            start = ms_to_sample(segment_time[0], sample_rate)
            new[start:start + len(audio_clip)] = audio_clip
            return new, segment_time, list(previous_segments) + [segment_time]
    return np.array(background, dtype=float), None, list(previous_segments)


@mistake("insert_audio_clip", "does not add the new segment to the list of segments")
def insert_audio_clip(background, audio_clip, previous_segments, seed, sample_rate=8000):
    rng = np.random.default_rng(seed)
    background_ms, segment_ms = duration_ms(background, sample_rate), duration_ms(audio_clip, sample_rate)
    for _ in range(5):
        segment_time = get_random_time_segment(segment_ms, background_ms, rng)
        if not is_overlapping(segment_time, previous_segments):
            new = np.array(background, dtype=float)
            start = ms_to_sample(segment_time[0], sample_rate)
            new[start:start + len(audio_clip)] += audio_clip
            return new, segment_time, list(previous_segments)
    return np.array(background, dtype=float), None, list(previous_segments)


@mistake("insert_audio_clip", "uses the start in milliseconds as a sample index (no conversion to samples)")
def insert_audio_clip(background, audio_clip, previous_segments, seed, sample_rate=8000):
    rng = np.random.default_rng(seed)
    background_ms, segment_ms = duration_ms(background, sample_rate), duration_ms(audio_clip, sample_rate)
    for _ in range(5):
        segment_time = get_random_time_segment(segment_ms, background_ms, rng)
        if not is_overlapping(segment_time, previous_segments):
            new = np.array(background, dtype=float)
            start = segment_time[0]
            new[start:start + len(audio_clip)] += audio_clip
            return new, segment_time, list(previous_segments) + [segment_time]
    return np.array(background, dtype=float), None, list(previous_segments)


@mistake("insert_audio_clip", "measures the clip and the background in samples instead of milliseconds")
def insert_audio_clip(background, audio_clip, previous_segments, seed, sample_rate=8000):
    rng = np.random.default_rng(seed)
    background_ms, segment_ms = len(background), len(audio_clip)
    for _ in range(5):
        segment_time = get_random_time_segment(segment_ms, background_ms, rng)
        if not is_overlapping(segment_time, previous_segments):
            new = np.array(background, dtype=float)
            start = segment_time[0]
            new[start:start + len(audio_clip)] += audio_clip
            return new, segment_time, list(previous_segments) + [segment_time]
    return np.array(background, dtype=float), None, list(previous_segments)


@mistake("insert_audio_clip", "passes the integer seed to every draw, so each retry repeats the first segment")
def insert_audio_clip(background, audio_clip, previous_segments, seed, sample_rate=8000):
    background_ms, segment_ms = duration_ms(background, sample_rate), duration_ms(audio_clip, sample_rate)
    for _ in range(5):
        segment_time = get_random_time_segment(segment_ms, background_ms, seed)
        if not is_overlapping(segment_time, previous_segments):
            new = np.array(background, dtype=float)
            start = ms_to_sample(segment_time[0], sample_rate)
            new[start:start + len(audio_clip)] += audio_clip
            return new, segment_time, list(previous_segments) + [segment_time]
    return np.array(background, dtype=float), None, list(previous_segments)


@mistake("insert_audio_clip", "inserts the clip at the first draw without checking for overlaps")
def insert_audio_clip(background, audio_clip, previous_segments, seed, sample_rate=8000):
    rng = np.random.default_rng(seed)
    background_ms, segment_ms = duration_ms(background, sample_rate), duration_ms(audio_clip, sample_rate)
    segment_time = get_random_time_segment(segment_ms, background_ms, rng)
    new = np.array(background, dtype=float)
    start = ms_to_sample(segment_time[0], sample_rate)
    new[start:start + len(audio_clip)] += audio_clip
    return new, segment_time, list(previous_segments) + [segment_time]


@mistake("insert_audio_clip", "draws only 4 times before giving up")
def insert_audio_clip(background, audio_clip, previous_segments, seed, sample_rate=8000):
    rng = np.random.default_rng(seed)
    background_ms, segment_ms = duration_ms(background, sample_rate), duration_ms(audio_clip, sample_rate)
    for _ in range(4):
        segment_time = get_random_time_segment(segment_ms, background_ms, rng)
        if not is_overlapping(segment_time, previous_segments):
            new = np.array(background, dtype=float)
            start = ms_to_sample(segment_time[0], sample_rate)
            new[start:start + len(audio_clip)] += audio_clip
            return new, segment_time, list(previous_segments) + [segment_time]
    return np.array(background, dtype=float), None, list(previous_segments)


@mistake("insert_audio_clip", "keeps drawing past 5 tries until a free place turns up")
def insert_audio_clip(background, audio_clip, previous_segments, seed, sample_rate=8000):
    rng = np.random.default_rng(seed)
    background_ms, segment_ms = duration_ms(background, sample_rate), duration_ms(audio_clip, sample_rate)
    for _ in range(1000):
        segment_time = get_random_time_segment(segment_ms, background_ms, rng)
        if not is_overlapping(segment_time, previous_segments):
            new = np.array(background, dtype=float)
            start = ms_to_sample(segment_time[0], sample_rate)
            new[start:start + len(audio_clip)] += audio_clip
            return new, segment_time, list(previous_segments) + [segment_time]
    return np.array(background, dtype=float), None, list(previous_segments)


@rewrite("insert_audio_clip", "uses a while loop with a counter and pads the clip to the background's length")
def insert_audio_clip(background, audio_clip, previous_segments, seed, sample_rate=8000):
    rng = np.random.default_rng(seed)
    background_ms = len(background) * 1000 // sample_rate
    segment_ms = len(audio_clip) * 1000 // sample_rate
    tries, segment_time = 0, None
    while tries < 5:
        tries += 1
        candidate = get_random_time_segment(segment_ms, background_ms, rng)
        if not any(candidate[0] <= pe and ps <= candidate[1] for ps, pe in previous_segments):
            segment_time = candidate
            break
    if segment_time is None:
        return background.copy(), None, [tuple(s) for s in previous_segments]
    start = segment_time[0] * sample_rate // 1000
    padded = np.zeros(len(background))
    padded[start:start + len(audio_clip)] = audio_clip
    return background + padded, segment_time, [tuple(s) for s in previous_segments] + [segment_time]


# ---------------------------------------------------------------------------------- insert_ones


@mistake("insert_ones", "writes the 50 ones starting at the end step instead of the step after it")
def insert_ones(y, segment_end_ms, Ty, background_ms):
    y_new = np.array(y, dtype=np.float64)
    t = int(segment_end_ms * Ty / background_ms)
    y_new[0, t:t + 50] = 1.0
    return y_new


@mistake("insert_ones", "writes 49 ones (the range stops one step short)")
def insert_ones(y, segment_end_ms, Ty, background_ms):
    y_new = np.array(y, dtype=np.float64)
    t = int(segment_end_ms * Ty / background_ms)
    y_new[0, t + 1:t + 50] = 1.0
    return y_new


@mistake("insert_ones", "runs past the last step Ty - 1 (no bound in the loop)")
def insert_ones(y, segment_end_ms, Ty, background_ms):
    y_new = np.array(y, dtype=np.float64)
    t = int(segment_end_ms * Ty / background_ms)
    for i in range(t + 1, t + 51):
        y_new[0, i] = 1.0
    return y_new


@mistake("insert_ones", "rounds the end step to the nearest integer instead of down")
def insert_ones(y, segment_end_ms, Ty, background_ms):
    y_new = np.array(y, dtype=np.float64)
    t = int(round(segment_end_ms * Ty / background_ms))
    y_new[0, t + 1:t + 51] = 1.0
    return y_new


@mistake("insert_ones", "rounds the end step up (ceil) instead of down")
def insert_ones(y, segment_end_ms, Ty, background_ms):
    y_new = np.array(y, dtype=np.float64)
    t = int(np.ceil(segment_end_ms * Ty / background_ms))
    y_new[0, t + 1:t + 51] = 1.0
    return y_new


@mistake("insert_ones", "keeps the step as a float (segment_end_ms * Ty / background_ms without int)")
def insert_ones(y, segment_end_ms, Ty, background_ms):
    y_new = np.array(y, dtype=np.float64)
    t = segment_end_ms * Ty / background_ms
    y_new[0, t + 1:t + 51] = 1.0
    return y_new


@mistake("insert_ones", "uses the end in milliseconds as the output step (no conversion)")
def insert_ones(y, segment_end_ms, Ty, background_ms):
    y_new = np.array(y, dtype=np.float64)
    y_new[0, segment_end_ms + 1:segment_end_ms + 51] = 1.0
    return y_new


@mistake("insert_ones", "divides with // before multiplying by Ty (the step is always 0)")
def insert_ones(y, segment_end_ms, Ty, background_ms):
    y_new = np.array(y, dtype=np.float64)
    t = segment_end_ms // background_ms * Ty
    y_new[0, t + 1:t + 51] = 1.0
    return y_new


@mistake("insert_ones", "starts from zeros, erasing the ones already in y")
def insert_ones(y, segment_end_ms, Ty, background_ms):
    y_new = np.zeros((1, Ty))
    t = int(segment_end_ms * Ty / background_ms)
    y_new[0, t + 1:t + 51] = 1.0
    return y_new


@rewrite("insert_ones", "loops over the 50 steps with a bound check, integer arithmetic")
def insert_ones(y, segment_end_ms, Ty, background_ms):
    y_new = y.copy()
    end = segment_end_ms * Ty // background_ms
    for i in range(end + 1, end + 51):
        if i < Ty:
            y_new[0, i] = 1
    return y_new


@rewrite("insert_ones", "builds a mask from np.arange and takes the maximum with y")
def insert_ones(y, segment_end_ms, Ty, background_ms):
    t = np.arange(Ty)
    end = int(np.floor(segment_end_ms * Ty / background_ms))
    return np.maximum(y, ((t > end) & (t <= end + 50)).astype(float)[None, :])


# ---------------------------------------------------------------------------------- create_training_example


@mistake("create_training_example", "labels the distractor words too")
def create_training_example(background, activates, negatives, seed, sample_rate=8000, Ty=492):
    rng = np.random.default_rng(seed)
    background_ms = duration_ms(background, sample_rate)
    y, segments = np.zeros((1, Ty)), []
    for clips, high in ((activates, 5), (negatives, 3)):
        for i in rng.integers(0, len(clips), size=rng.integers(0, high)):
            background, segment_time, segments = insert_audio_clip(background, clips[i], segments, rng, sample_rate)
            if segment_time is not None:
                y = insert_ones(y, segment_time[1], Ty, background_ms)
    return log_spectrogram(background, sample_rate), y


@mistake("create_training_example", "passes the integer seed (not the shared generator) to insert_audio_clip")
def create_training_example(background, activates, negatives, seed, sample_rate=8000, Ty=492):
    rng = np.random.default_rng(seed)
    background_ms = duration_ms(background, sample_rate)
    y, segments = np.zeros((1, Ty)), []
    for clips, high, label in ((activates, 5, True), (negatives, 3, False)):
        for i in rng.integers(0, len(clips), size=rng.integers(0, high)):
            background, segment_time, segments = insert_audio_clip(background, clips[i], segments, seed, sample_rate)
            if label and segment_time is not None:
                y = insert_ones(y, segment_time[1], Ty, background_ms)
    return log_spectrogram(background, sample_rate), y


@mistake("create_training_example", "does not carry the list of segments from one insertion to the next")
def create_training_example(background, activates, negatives, seed, sample_rate=8000, Ty=492):
    rng = np.random.default_rng(seed)
    background_ms = duration_ms(background, sample_rate)
    y, previous_segments = np.zeros((1, Ty)), []
    for clips, high, label in ((activates, 5, True), (negatives, 3, False)):
        for i in rng.integers(0, len(clips), size=rng.integers(0, high)):
            background, segment_time, _ = insert_audio_clip(background, clips[i], previous_segments, rng, sample_rate)
            if label and segment_time is not None:
                y = insert_ones(y, segment_time[1], Ty, background_ms)
    return log_spectrogram(background, sample_rate), y


@mistake("create_training_example", "computes the spectrogram of the background without the inserted clips")
def create_training_example(background, activates, negatives, seed, sample_rate=8000, Ty=492):
    rng = np.random.default_rng(seed)
    background_ms = duration_ms(background, sample_rate)
    y, segments, mixed = np.zeros((1, Ty)), [], background
    for clips, high, label in ((activates, 5, True), (negatives, 3, False)):
        for i in rng.integers(0, len(clips), size=rng.integers(0, high)):
            mixed, segment_time, segments = insert_audio_clip(mixed, clips[i], segments, rng, sample_rate)
            if label and segment_time is not None:
                y = insert_ones(y, segment_time[1], Ty, background_ms)
    return log_spectrogram(background, sample_rate), y


@mistake("create_training_example", "labels from the keyword's start instead of its end")
def create_training_example(background, activates, negatives, seed, sample_rate=8000, Ty=492):
    rng = np.random.default_rng(seed)
    background_ms = duration_ms(background, sample_rate)
    y, segments = np.zeros((1, Ty)), []
    for clips, high, label in ((activates, 5, True), (negatives, 3, False)):
        for i in rng.integers(0, len(clips), size=rng.integers(0, high)):
            background, segment_time, segments = insert_audio_clip(background, clips[i], segments, rng, sample_rate)
            if label and segment_time is not None:
                y = insert_ones(y, segment_time[0], Ty, background_ms)
    return log_spectrogram(background, sample_rate), y


@mistake("create_training_example", "draws 0 to 3 keywords (rng.integers(0, 4)) instead of 0 to 4")
def create_training_example(background, activates, negatives, seed, sample_rate=8000, Ty=492):
    rng = np.random.default_rng(seed)
    background_ms = duration_ms(background, sample_rate)
    y, segments = np.zeros((1, Ty)), []
    for clips, high, label in ((activates, 4, True), (negatives, 3, False)):
        for i in rng.integers(0, len(clips), size=rng.integers(0, high)):
            background, segment_time, segments = insert_audio_clip(background, clips[i], segments, rng, sample_rate)
            if label and segment_time is not None:
                y = insert_ones(y, segment_time[1], Ty, background_ms)
    return log_spectrogram(background, sample_rate), y


@mistake("create_training_example", "inserts the distractors before the keywords")
def create_training_example(background, activates, negatives, seed, sample_rate=8000, Ty=492):
    rng = np.random.default_rng(seed)
    background_ms = duration_ms(background, sample_rate)
    y, segments = np.zeros((1, Ty)), []
    for clips, high, label in ((negatives, 3, False), (activates, 5, True)):
        for i in rng.integers(0, len(clips), size=rng.integers(0, high)):
            background, segment_time, segments = insert_audio_clip(background, clips[i], segments, rng, sample_rate)
            if label and segment_time is not None:
                y = insert_ones(y, segment_time[1], Ty, background_ms)
    return log_spectrogram(background, sample_rate), y


@rewrite("create_training_example", "makes the generator as Generator(PCG64(seed)) and uses while loops")
def create_training_example(background, activates, negatives, seed, sample_rate=8000, Ty=492):
    rng = seed if isinstance(seed, np.random.Generator) else np.random.Generator(np.random.PCG64(seed))
    background_ms = duration_ms(background, sample_rate)
    labels, taken, mixed = np.zeros((1, Ty)), [], np.asarray(background, dtype=float)
    n = int(rng.integers(0, 5))
    chosen = list(rng.integers(0, len(activates), size=n))
    while chosen:
        mixed, seg, taken = insert_audio_clip(mixed, activates[chosen.pop(0)], taken, rng, sample_rate)
        if seg is not None:
            labels = insert_ones(labels, seg[1], Ty, background_ms)
    n = int(rng.integers(0, 3))
    for j in list(rng.integers(0, len(negatives), size=n)):
        mixed, _, taken = insert_audio_clip(mixed, negatives[j], taken, rng, sample_rate)
    return log_spectrogram(mixed, sample_rate), labels


# ---------------------------------------------------------------------------------- detector_forward


@mistake("detector_forward", "ignores the stride (moves the filters one step at a time)")
def detector_forward(X, params, stride):
    n_C, f, n_freq = params["Wconv"].shape
    n_a, (m, T_x) = params["Wy"].shape[1], X.shape[1:]
    T_y = T_x - f + 1
    Z = params["bconv"][:, :, None] + sum(np.einsum("cj,jmt->cmt", params["Wconv"][:, k, :], X[:, :, k:k + T_y])
                                          for k in range(f))
    H, _ = gru_forward(np.maximum(Z, 0), np.zeros((n_a, m)), params)
    return sigmoid(np.einsum("oa,amt->omt", params["Wy"], H) + params["by"][:, :, None])


@mistake("detector_forward", "leaves out the ReLU after the convolution")
def detector_forward(X, params, stride):
    n_C, f, n_freq = params["Wconv"].shape
    n_a, (m, T_x) = params["Wy"].shape[1], X.shape[1:]
    T_y = (T_x - f) // stride + 1
    Z = params["bconv"][:, :, None] + sum(np.einsum("cj,jmt->cmt", params["Wconv"][:, k, :],
                                                    X[:, :, k:k + stride * (T_y - 1) + 1:stride]) for k in range(f))
    H, _ = gru_forward(Z, np.zeros((n_a, m)), params)
    return sigmoid(np.einsum("oa,amt->omt", params["Wy"], H) + params["by"][:, :, None])


@mistake("detector_forward", "forgets the convolution's bias bconv")
def detector_forward(X, params, stride):
    n_C, f, n_freq = params["Wconv"].shape
    n_a, (m, T_x) = params["Wy"].shape[1], X.shape[1:]
    T_y = (T_x - f) // stride + 1
    Z = sum(np.einsum("cj,jmt->cmt", params["Wconv"][:, k, :], X[:, :, k:k + stride * (T_y - 1) + 1:stride])
            for k in range(f))
    H, _ = gru_forward(np.maximum(Z, 0), np.zeros((n_a, m)), params)
    return sigmoid(np.einsum("oa,amt->omt", params["Wy"], H) + params["by"][:, :, None])


@mistake("detector_forward", "flips the kernel in time (uses Wconv[:, f - 1 - k] at offset k)")
def detector_forward(X, params, stride):
    n_C, f, n_freq = params["Wconv"].shape
    n_a, (m, T_x) = params["Wy"].shape[1], X.shape[1:]
    T_y = (T_x - f) // stride + 1
    Z = params["bconv"][:, :, None] + sum(np.einsum("cj,jmt->cmt", params["Wconv"][:, f - 1 - k, :],
                                                    X[:, :, k:k + stride * (T_y - 1) + 1:stride]) for k in range(f))
    H, _ = gru_forward(np.maximum(Z, 0), np.zeros((n_a, m)), params)
    return sigmoid(np.einsum("oa,amt->omt", params["Wy"], H) + params["by"][:, :, None])


@mistake("detector_forward", "returns the scores without the sigmoid")
def detector_forward(X, params, stride):
    n_C, f, n_freq = params["Wconv"].shape
    n_a, (m, T_x) = params["Wy"].shape[1], X.shape[1:]
    T_y = (T_x - f) // stride + 1
    Z = params["bconv"][:, :, None] + sum(np.einsum("cj,jmt->cmt", params["Wconv"][:, k, :],
                                                    X[:, :, k:k + stride * (T_y - 1) + 1:stride]) for k in range(f))
    H, _ = gru_forward(np.maximum(Z, 0), np.zeros((n_a, m)), params)
    return np.einsum("oa,amt->omt", params["Wy"], H) + params["by"][:, :, None]


@mistake("detector_forward", "computes T_y as (T_x - f) // stride, one step short")
def detector_forward(X, params, stride):
    n_C, f, n_freq = params["Wconv"].shape
    n_a, (m, T_x) = params["Wy"].shape[1], X.shape[1:]
    T_y = (T_x - f) // stride
    Z = params["bconv"][:, :, None] + sum(np.einsum("cj,jmt->cmt", params["Wconv"][:, k, :],
                                                    X[:, :, k:k + stride * (T_y - 1) + 1:stride]) for k in range(f))
    H, _ = gru_forward(np.maximum(Z, 0), np.zeros((n_a, m)), params)
    return sigmoid(np.einsum("oa,amt->omt", params["Wy"], H) + params["by"][:, :, None])


@rewrite("detector_forward", "builds all windows with sliding_window_view and one einsum, output layer by matmul")
def detector_forward(X, params, stride):
    from numpy.lib.stride_tricks import sliding_window_view
    W = params["Wconv"]
    f = W.shape[1]
    windows = sliding_window_view(X, f, axis=2)[:, :, ::stride, :]          # (n_freq, m, T_y, f)
    Z = np.einsum("ckj,jmtk->cmt", W, windows) + params["bconv"][:, :, None]
    n_a, m = params["Wy"].shape[1], X.shape[1]
    H, _ = gru_forward(np.maximum(Z, 0), np.zeros((n_a, m)), params)
    scores = (params["Wy"] @ H.reshape(n_a, -1)).reshape(1, m, -1) + params["by"][0, 0]
    return 1 / (1 + np.exp(-scores))


@rewrite("detector_forward", "loops over output steps and writes the GRU step by step")
def detector_forward(X, params, stride):
    W, b = params["Wconv"], params["bconv"]
    n_C, f, n_freq = W.shape
    m, T_x = X.shape[1:]
    T_y = (T_x - f) // stride + 1
    n_a = params["Wy"].shape[1]
    h = np.zeros((n_a, m))
    out = np.zeros((1, m, T_y))
    for t in range(T_y):
        window = X[:, :, t * stride:t * stride + f]                          # (n_freq, m, f)
        a = np.maximum(np.einsum("ckj,jmk->cm", W, window) + b, 0)
        hx = np.concatenate([h, a])
        z = sigmoid(params["Wz"] @ hx + params["bz"])
        r = sigmoid(params["Wr"] @ hx + params["br"])
        hh = np.tanh(params["Wh"] @ np.concatenate([r * h, a]) + params["bh"])
        h = (1 - z) * h + z * hh
        out[:, :, t] = sigmoid(params["Wy"] @ h + params["by"])
    return out
