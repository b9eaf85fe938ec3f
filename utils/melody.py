"""A small grammar of melodies, their tokens, a piano-roll plot and a NumPy synthesiser.

Every melody is eight bars of 4/4 in C major, written as a list of notes (pitch, duration):
    pitch     MIDI note number (60 = middle C = C4), always in PITCHES = 60..79 (C4..G5)
    duration  in eighth notes, one of DURATIONS = (1, 2, 3, 4): eighth, quarter, dotted quarter, half

The grammar (`random_melody`) builds a "period", the commonest shape of a song's tune:
    bar 1     a motif: a rhythm from RHYTHMS and a contour of scale steps (small leaps now and then),
              starting on a note of the tonic chord (C, E, G or high C)
    bar 2     the motif again, exactly, or moved up or down the scale by a step or two (a "sequence")
    bar 3     a new motif that continues from where bar 2 stopped
    bar 4     a half cadence: the phrase comes to rest on a long note of the dominant chord (G, B or D)
    bars 5-6  bars 1-2 repeated exactly: the listener recognises the opening
    bar 7     a new motif, or bar 3 moved by a scale step
    bar 8     the final cadence: a step onto the tonic C, held for a half note
Every note is in the key, every bar holds exactly 8 eighths, no note crosses a bar line, and no
interval between consecutive notes exceeds a fifth (7 semitones). `rule_report` checks these rules.

Tokens: each note is one token "<name><octave>/<duration>", e.g. "E4/2" is the E above middle C held
for a quarter note. Index 0 is PAD (padding of short melodies), 1 is START, 2 is END, 3 is BAR_LINE (a bar
line "|"); notes follow. The vocabulary holds all 20 chromatic pitches of the range, so a model *can*
play out of the key. A melody is encoded as START, the notes of bar 1, BAR, ..., BAR, the notes of
bar 8, END.

Audio: `synthesize` renders a melody as a float array in [-1, 1] (a few sine harmonics with an
attack-decay envelope), to be played by IPython.display.Audio(wave, rate=RATE).
"""
import numpy as np

PITCHES = tuple(range(60, 80))              # C4 .. G5, chromatic
DURATIONS = (1, 2, 3, 4)                    # eighth notes
NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
SCALE = (0, 2, 4, 5, 7, 9, 11)              # pitch classes of C major
TONIC = 0                                   # pitch class of C
BAR = 8                                     # eighths per bar (4/4)
N_BARS = 8
MAX_LEAP = 7                                # semitones (a perfect fifth)
RATE = 8000                                 # samples per second of `synthesize` (3rd harmonic of G5 < 4 kHz)

PAD, START, END, BAR_LINE = 0, 1, 2, 3
SPECIAL = ("<pad>", "<start>", "<end>", "|")

# scale degrees 0..11 are the in-key pitches C4 D4 E4 F4 G4 A4 B4 C5 D5 E5 F5 G5
DEGREE_PITCH = tuple(60 + 12 * (d // 7) + SCALE[d % 7] for d in range(12))

# rhythms of one bar (eighths, summing to 8); cadence bars end on a half note
RHYTHMS = ((2, 2, 2, 2), (2, 2, 4), (4, 2, 2), (1, 1, 2, 2, 2), (2, 1, 1, 2, 2), (3, 1, 2, 2),
           (2, 2, 1, 1, 2), (3, 1, 4), (1, 1, 1, 1, 2, 2))
CADENCE_RHYTHMS = ((2, 2, 4), (3, 1, 4), (1, 1, 2, 4))


def pitch_name(pitch):
    """MIDI number -> name with octave, e.g. 60 -> "C4", 73 -> "C#5"."""
    return f"{NAMES[pitch % 12]}{pitch // 12 - 1}"


VOCAB = SPECIAL + tuple(f"{pitch_name(p)}/{d}" for p in PITCHES for d in DURATIONS)
VOCAB_SIZE = len(VOCAB)                     # 4 + 20 * 4 = 84
TOKEN_ID = {t: i for i, t in enumerate(VOCAB)}


# ---------------------------------------------------------------------------------------- tokens

def note_token(pitch, duration):
    """(MIDI pitch, duration in eighths) -> token index (an int in 4..VOCAB_SIZE-1)."""
    return len(SPECIAL) + PITCHES.index(int(pitch)) * len(DURATIONS) + DURATIONS.index(int(duration))


def token_note(token):
    """Token index -> (pitch, duration), or None for the special tokens PAD, START, END and BAR_LINE."""
    token = int(token)
    if token < len(SPECIAL):
        return None
    p, d = divmod(token - len(SPECIAL), len(DURATIONS))
    return PITCHES[p], DURATIONS[d]


def encode(melody):
    """A melody [(pitch, duration), ...] -> list of token indices [START, notes, BAR_LINE, notes, ..., END].

    A BAR_LINE goes wherever the running duration reaches a multiple of BAR, except at the very end.
    """
    tokens, t, total = [START], 0, sum(d for _, d in melody)
    for p, d in melody:
        tokens.append(note_token(p, d))
        t += d
        if t % BAR == 0 and t < total:
            tokens.append(BAR_LINE)
    return tokens + [END]


def decode(tokens):
    """Token indices (any 1-D sequence) -> melody [(pitch, duration), ...].

    Reading stops at the first END (or PAD); START and BAR_LINE tokens are skipped, so the output of a
    sampler that keeps going after END can be decoded directly.
    """
    melody = []
    for t in tokens:
        t = int(t)
        if t in (END, PAD):
            break
        if t >= len(SPECIAL):
            melody.append(token_note(t))
    return melody


def token_pitches():
    """Array (VOCAB_SIZE,) of the MIDI pitch of every token, -1 for the special tokens."""
    return np.array([-1] * len(SPECIAL) + [p for p in PITCHES for _ in DURATIONS])


def to_training_arrays(melodies):
    """Pad the encoded melodies into next-token training arrays.

    melodies: list of m melodies. Returns (X_idx, Y_idx), both int arrays of shape (m, T) where T is the
    length of the longest encoded melody minus one: X_idx[i] = START, tokens..., PAD...; Y_idx[i] =
    tokens..., END, PAD... (the encoded melody shifted left by one). The loss must ignore the positions
    where Y_idx == PAD.
    """
    seqs = [encode(mel) for mel in melodies]
    T = max(len(s) for s in seqs) - 1
    X = np.full((len(seqs), T), PAD, dtype=np.int64)
    Y = np.full((len(seqs), T), PAD, dtype=np.int64)
    for i, s in enumerate(seqs):
        X[i, :len(s) - 1] = s[:-1]
        Y[i, :len(s) - 1] = s[1:]
    return X, Y


# --------------------------------------------------------------------------------------- grammar

def _contour(rng, start, n, low=0, high=11):
    """n scale degrees starting at `start`: mostly steps of 1 or 2 degrees, sometimes a leap of 3 or 4."""
    degrees = [start]
    for _ in range(n - 1):
        size = 0 if rng.random() < 0.08 else int(rng.choice([1, 1, 1, 1, 1, 2, 2, 2, 3, 4]))
        step = size * (1 if rng.random() < 0.5 else -1)
        d = degrees[-1] + step
        if not low <= d <= high:
            d = degrees[-1] - step
        degrees.append(d)
    return degrees


def _fits(degrees, shift, low=0, high=11):
    return all(low <= d + shift <= high for d in degrees)


def _leap_ok(a, b):
    return abs(DEGREE_PITCH[a] - DEGREE_PITCH[b]) <= MAX_LEAP


def _motif(rng, start, rhythms=RHYTHMS):
    """A bar: (degrees, rhythm) with the first degree `start`, all in range."""
    rhythm = rhythms[rng.integers(len(rhythms))]
    return _contour(rng, start, len(rhythm)), rhythm


def _continue_from(rng, last):
    """A start degree for the next bar, a step or a third away from the degree `last`."""
    step = int(rng.choice([-2, -1, 1, 2, 0]))
    d = last + step
    return d if 0 <= d <= 11 else last - step


def _cadence(rng, last, target):
    """A cadence bar ending on the long note `target` (a degree), approached by step from above or below.

    The notes before the last walk by step (or stay) towards the note next to the target; the caller
    redraws the melody if the bar's first note is too far from `last`, the previous bar's last degree.
    """
    rhythm = CADENCE_RHYTHMS[rng.integers(len(CADENCE_RHYTHMS))]
    k = len(rhythm)
    side = 1 if target == 0 else (-1 if target == 11 else int(rng.choice([-1, 1])))
    approach = target + side                            # the note just before the target
    degrees = [approach]
    for _ in range(k - 2):                              # walk backwards, away from the target
        d = degrees[0] + side * int(rng.choice([0, 1]))
        degrees.insert(0, min(max(d, 0), 11))
    degrees.append(target)
    return degrees, rhythm


def _bar_ok(degrees, previous_last):
    if previous_last is not None and not _leap_ok(previous_last, degrees[0]):
        return False
    return all(_leap_ok(a, b) for a, b in zip(degrees, degrees[1:]))


def random_melody(rng):
    """One melody of the grammar (see the module docstring), drawn with the numpy Generator `rng`.

    Returns a list of (MIDI pitch, duration in eighths) pairs: eight bars, 64 eighths in total.
    """
    for _ in range(1000):                               # redraw until every junction is a small interval
        start = int(rng.choice([0, 2, 4, 7]))
        bar1 = _motif(rng, start)
        shift = int(rng.choice([0, 1, -1, 2, -2]))
        if not _fits(bar1[0], shift):
            shift = 0
        bar2 = ([d + shift for d in bar1[0]], bar1[1])
        bar3 = _motif(rng, _continue_from(rng, bar2[0][-1]))
        half_targets = [t for t in (1, 4, 6, 8) if _leap_ok(t, start) and abs(t - bar3[0][-1]) <= 4]
        if not half_targets:
            continue
        bar4 = _cadence(rng, bar3[0][-1], int(rng.choice(half_targets)))
        if rng.random() < 0.5:
            step = int(rng.choice([-1, 1]))
            bar7 = ([d + step for d in bar3[0]], bar3[1]) if _fits(bar3[0], step) else bar3
        else:
            bar7 = _motif(rng, _continue_from(rng, bar2[0][-1]))
        final = 7 if bar7[0][-1] >= 5 else 0
        bar8 = _cadence(rng, bar7[0][-1], final)
        bars = [bar1, bar2, bar3, bar4, bar1, bar2, bar7, bar8]
        last, ok = None, True
        for degrees, _ in bars:
            ok = ok and _bar_ok(degrees, last)
            last = degrees[-1]
        if ok:
            return [(DEGREE_PITCH[d], r) for degrees, rhythm in bars for d, r in zip(degrees, rhythm)]
    raise RuntimeError("the grammar could not draw a melody")


def make_corpus(n, seed=0):
    """n melodies of the grammar, reproducibly: the same (n, seed) always gives the same list."""
    rng = np.random.default_rng(seed)
    return [random_melody(rng) for _ in range(n)]


# ----------------------------------------------------------------------------------------- rules

RULES = ("well_formed", "in_key", "whole_bars", "small_leaps", "ends_on_tonic", "repeats_opening")


def rule_report(tokens):
    """Which rules of the grammar one generated token sequence obeys.

    tokens: 1-D sequence of token indices (START optional; reading stops at the first END or PAD).
    Returns a dict {rule: bool} over RULES:
        well_formed      an END comes before the sequence runs out; no START or PAD among the notes;
                         no empty bar (two bar lines in a row, or a bar line first or last)
        in_key           every pitch is in C major
        whole_bars       8 bars (7 bar lines), each holding exactly 8 eighths
        small_leaps      no interval between consecutive notes exceeds MAX_LEAP semitones
        ends_on_tonic    the last note is a C held for a half note
        repeats_opening  bars 5-6 repeat bars 1-2 note for note (needs 6 bars or more)
    A melody that breaks the first rule is still judged on the notes it has.
    """
    tokens = [int(t) for t in tokens]
    if tokens and tokens[0] == START:
        tokens = tokens[1:]
    stop = next((i for i, t in enumerate(tokens) if t in (END, PAD)), None)
    body = tokens if stop is None else tokens[:stop]
    bars, current = [], []
    for t in body:
        if t == BAR_LINE:
            bars.append(current)
            current = []
        elif t >= len(SPECIAL):
            current.append(token_note(t))
    bars.append(current)
    notes = [n for bar in bars for n in bar]
    pitches = [p for p, _ in notes]
    well_formed = (stop is not None and tokens[stop] == END and START not in body
                   and all(len(bar) > 0 for bar in bars))
    return {
        "well_formed": bool(well_formed),
        "in_key": bool(notes) and all(p % 12 in SCALE for p in pitches),
        "whole_bars": len(bars) == N_BARS and all(sum(d for _, d in bar) == BAR for bar in bars),
        "small_leaps": bool(notes) and all(abs(b - a) <= MAX_LEAP for a, b in zip(pitches, pitches[1:])),
        "ends_on_tonic": bool(notes) and notes[-1][0] % 12 == TONIC and notes[-1][1] == 4,
        "repeats_opening": len(bars) >= 6 and bars[4:6] == bars[0:2],
    }


def rule_rates(token_seqs):
    """Fraction of the sequences obeying each rule, and of those obeying all: {rule: float, "all": float}."""
    reports = [rule_report(s) for s in token_seqs]
    rates = {r: float(np.mean([rep[r] for rep in reports])) for r in RULES}
    rates["all"] = float(np.mean([all(rep.values()) for rep in reports]))
    return rates


# -------------------------------------------------------------------------------------- pictures

def plot_piano_roll(melody, ax=None, title=None):
    """Draw a melody [(pitch, duration), ...] as a piano roll: time (eighths) across, pitch up.

    In-key notes are blue bars, out-of-key notes red; dotted lines mark the bar lines and grey
    bands the black keys. Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 2.6))
    lo, hi = PITCHES[0], PITCHES[-1]
    for p in range(lo, hi + 1):
        if p % 12 not in SCALE:
            ax.axhspan(p - 0.5, p + 0.5, color="0.93", zorder=0)
    t = 0
    for p, d in melody:
        colour = "tab:blue" if p % 12 in SCALE else "tab:red"
        ax.add_patch(plt.Rectangle((t + 0.05, p - 0.4), d - 0.1, 0.8, color=colour, zorder=2))
        t += d
    end = max(t, BAR * N_BARS)
    for b in range(0, end + 1, BAR):
        ax.axvline(b, color="0.6", ls=":", lw=0.8, zorder=1)
    ax.set_xlim(0, end)
    ax.set_ylim(lo - 0.7, hi + 0.7)
    ticks = [p for p in range(lo, hi + 1) if p % 12 in (0, 4, 7)]
    ax.set_yticks(ticks)
    ax.set_yticklabels([pitch_name(p) for p in ticks])
    n_bars = -(-end // BAR)
    ax.set_xticks([BAR * k + BAR / 2 for k in range(n_bars)])
    ax.set_xticklabels([str(k + 1) for k in range(n_bars)])
    ax.tick_params(axis="x", length=0)
    ax.set_xlabel("bar")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


# ----------------------------------------------------------------------------------------- sound

def midi_to_hz(pitch):
    """Frequency of a MIDI note: 440 Hz * 2 ** ((pitch - 69) / 12) (A4 = 69). Any shape -> same shape."""
    return 440.0 * 2.0 ** ((np.asarray(pitch, dtype=np.float64) - 69) / 12)


def synthesize(melody, rate=RATE, eighth=0.18, harmonics=(1.0, 0.45, 0.2)):
    """Render a melody [(pitch, duration), ...] as audio.

    Each note is a sum of sine harmonics (amplitudes `harmonics` for 1x, 2x, 3x the note's frequency)
    shaped by an envelope: a 10 ms linear attack, then an exponential decay, and a 20 ms release at
    the end so notes do not click. A duration of 1 lasts `eighth` seconds.
    Returns a float32 array (n_samples,) with peak amplitude 0.9, ready for
    IPython.display.Audio(wave, rate=rate).
    """
    pieces = []
    for pitch, duration in melody:
        n = int(round(duration * eighth * rate))
        t = np.arange(n) / rate
        f = float(midi_to_hz(pitch))
        tone = sum(a * np.sin(2 * np.pi * (k + 1) * f * t) for k, a in enumerate(harmonics))
        env = np.exp(-2.5 * t) * np.minimum(1.0, t / 0.01)
        release = min(n, int(0.02 * rate))
        env[n - release:] *= np.linspace(1.0, 0.0, release)
        pieces.append(tone * env)
    wave = np.concatenate(pieces) if pieces else np.zeros(1)
    peak = np.max(np.abs(wave))
    return (0.9 * wave / peak if peak > 0 else wave).astype(np.float32)
