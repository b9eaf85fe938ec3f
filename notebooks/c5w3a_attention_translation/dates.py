"""Dates as people write them, and as machines write them: the data of the date-translation task.

A seeded generator draws calendar days between 1 January 1950 and 31 December 2049 (the standard
library's `datetime.date`) and writes each in one of the human formats of `FORMATS` ("3 May 1998",
"Sunday, May 3, 1998", "03/05/98", ...); the target is always the ISO date "1998-05-03". The task
is read at character level: a string becomes a row of token ids, and the ids become one-hot columns.

Conventions (fixed, so that every model trained on this task reads the same data):
    numeric formats put the DAY before the month ("03/05/98" is 3 May 1998);
    a two-digit year yy means 19yy when yy >= 50 and 20yy otherwise (so 1950 ... 2049);
    month and weekday names are English (written out here, not taken from the locale);
    letter case is kept ("MAY 03, 1998" and "may 3rd 98" use different characters).

Vocabularies are lists of tokens; a token's id is its position in the list:
    HUMAN_VOCAB    ["<pad>", "<unk>", " ", ",", "-", ".", "/", "0", ..., "9", "A", ..., "z"]: id 0 pads
                   short strings, id 1 stands for any character outside the list; the characters
                   are exactly those that the formats can produce, sorted.
    MACHINE_VOCAB  ["-", "0", ..., "9"]: the 11 characters of an ISO date (no padding needed: every
                   ISO date has T_Y = 10 characters).
    T_X = 30       the input length: the longest human date ("Wednesday, September 24, 1969",
                   29 characters) fits, with room for one more.

API (small and stable; shapes use the course's conventions, token ids (m, T), one-hot (n, m, T)):
    FORMATS, HUMAN_VOCAB, MACHINE_VOCAB, PAD = 0, UNK = 1, T_X = 30, T_Y = 10   (constants)
    format_date(day, fmt)                       -> str
    date_pairs(m, seed=0, formats=None, exclude=()) -> (sources: list of m str, targets: list of m str)
    encode(strings, vocab, length)              -> ids (m, length) int64, padded with 0 / truncated
    decode(ids, vocab)                          -> list of m str (padding dropped)
    one_hot(ids, n)                             -> (n, m, T) float64
    load_translator()                           -> the pretrained date translator's parameters (c5w3a)
"""
import datetime

import numpy as np

FIRST_DAY, LAST_DAY = datetime.date(1950, 1, 1), datetime.date(2049, 12, 31)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _ordinal(n):
    """1 -> '1st', 2 -> '2nd', 3 -> '3rd', 11 -> '11th', 22 -> '22nd', ..."""
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _parts(d):
    """The pieces every format is made of, for one datetime.date."""
    month, weekday = MONTHS[d.month - 1], WEEKDAYS[d.weekday()]
    return {"d": d.day, "dd": f"{d.day:02d}", "m": d.month, "mm": f"{d.month:02d}", "yyyy": f"{d.year:04d}",
            "yy": f"{d.year % 100:02d}", "month": month, "mon": month[:3], "weekday": weekday,
            "wkd": weekday[:3], "dth": _ordinal(d.day)}


# name -> template over the pieces of _parts (str.format); the name says what a human would type
_TEMPLATES = {
    "d month yyyy": "{d} {month} {yyyy}",                       # 3 May 1998
    "weekday, month d, yyyy": "{weekday}, {month} {d}, {yyyy}",  # Sunday, May 3, 1998
    "dd/mm/yy": "{dd}/{mm}/{yy}",                               # 03/05/98
    "yyyy-m-d": "{yyyy}-{m}-{d}",                               # 1998-5-3
    "month dth yy (lower case)": "{month_lower} {dth} {yy}",    # may 3rd 98
    "d.m.yyyy": "{d}.{m}.{yyyy}",                               # 3.5.1998
    "the dth of month yyyy": "the {dth} of {month} {yyyy}",     # the 3rd of May 1998
    "MONTH dd, yyyy (upper case)": "{month_upper} {dd}, {yyyy}",  # MAY 03, 1998
    "wkd d mon yyyy": "{wkd} {d} {mon} {yyyy}",                 # Sun 3 May 1998
    "d-mon-yy": "{d}-{mon}-{yy}",                               # 3-May-98
    "month d yyyy": "{month} {d} {yyyy}",                       # May 3 1998
    "dd.mm.yyyy": "{dd}.{mm}.{yyyy}",                           # 03.05.1998
    "yyyymmdd": "{yyyy}{mm}{dd}",                               # 19980503
}
FORMATS = tuple(_TEMPLATES)


def format_date(day, fmt):
    """Write `day` (a datetime.date in 1950 ... 2049) in the human format `fmt` (a name in FORMATS)."""
    if fmt not in _TEMPLATES:
        raise ValueError(f"format_date: unknown format {fmt!r}; choose one of {FORMATS}")
    parts = _parts(day)
    parts.update(month_lower=parts["month"].lower(), month_upper=parts["month"].upper())
    return _TEMPLATES[fmt].format(**parts)


def _all_characters():
    """Every character the formats can produce, sorted: formats every day of 1999 and 2000 (all
    months, weekdays and day numbers) and adds the ten digits (every year's digits)."""
    chars, day = set("0123456789"), datetime.date(1999, 1, 1)
    while day.year < 2001:
        for fmt in FORMATS:
            chars |= set(format_date(day, fmt))
        day += datetime.timedelta(days=1)
    return sorted(chars)


PAD, UNK = 0, 1
HUMAN_VOCAB = ["<pad>", "<unk>"] + _all_characters()
MACHINE_VOCAB = list("-0123456789")
T_X, T_Y = 30, 10


def date_pairs(m, seed=0, formats=None, exclude=()):
    """m (human, ISO) pairs drawn with numpy's default_rng(seed): uniform days in 1950 ... 2049 and,
    for each, a uniform format among `formats` (default: all of FORMATS).

    exclude: ISO dates ("1998-05-03") never drawn, e.g. the training targets, to make a held-out set.
    Returns (sources, targets): two lists of m str, sources[i] the human date, targets[i] its ISO form.
    """
    formats = FORMATS if formats is None else tuple(formats)
    unknown = [f for f in formats if f not in _TEMPLATES]
    if unknown or not formats:
        raise ValueError(f"date_pairs: unknown formats {unknown}; choose among {FORMATS}")
    rng = np.random.default_rng(seed)
    n_days = (LAST_DAY - FIRST_DAY).days + 1
    exclude = set(exclude)
    if len(exclude) >= n_days:
        raise ValueError("date_pairs: every day is excluded")
    sources, targets = [], []
    while len(targets) < m:
        day = FIRST_DAY + datetime.timedelta(days=int(rng.integers(n_days)))
        fmt = formats[int(rng.integers(len(formats)))]
        iso = day.isoformat()
        if iso in exclude:
            continue
        sources.append(format_date(day, fmt))
        targets.append(iso)
    return sources, targets


def encode(strings, vocab, length):
    """Token ids of m strings, one character per token.

    strings: list of m str; vocab: list of tokens (id = position; vocab[0] pads; "<unk>", when the
    vocabulary has it, replaces unknown characters, else an unknown character raises ValueError);
    length: T. Returns ids (m, T) int64: each string cut to its first T characters, then padded on
    the right with id 0.
    """
    index = {tok: i for i, tok in enumerate(vocab)}
    unk = index.get("<unk>")
    ids = np.zeros((len(strings), length), dtype=np.int64)
    for i, s in enumerate(strings):
        for t, ch in enumerate(s[:length]):
            if ch in index:
                ids[i, t] = index[ch]
            elif unk is not None:
                ids[i, t] = unk
            else:
                raise ValueError(f"encode: character {ch!r} of {s!r} is not in the vocabulary")
    return ids


def decode(ids, vocab):
    """The strings of token ids (m, T) (or one row (T,)): tokens joined, "<pad>" tokens dropped.
    Returns a list of m str (one str for a single row)."""
    ids = np.asarray(ids)
    if ids.ndim == 1:
        return decode(ids[None, :], vocab)[0]
    return ["".join(vocab[int(k)] for k in row if vocab[int(k)] != "<pad>") for row in ids]


def one_hot(ids, n):
    """ids (m, T) integers in 0 .. n-1 -> X (n, m, T) float64 with X[ids[i, t], i, t] = 1, zeros elsewhere."""
    ids = np.asarray(ids)
    if ids.ndim != 2:
        raise ValueError(f"one_hot: ids must have shape (m, T), got {ids.shape}")
    return (np.arange(n)[:, None, None] == ids[None]).astype(np.float64)


# ---------------------------------------------------------------- pretrained translator (c5w3a)

TRANSLATOR_FILE = "date_translator.npz"
TRANSLATOR_SHA256 = "0634df77de7775ddeacc0d28a37e97f02bf7c604d3156e1cb5575439211b9936"


def load_translator(name=TRANSLATOR_FILE, sha256=TRANSLATOR_SHA256):
    """The parameters of the attention translator trained by datasets/make_date_translator.py.

    Checks the file's SHA-256 first (ValueError on a mismatch). Returns the nested dict of float64
    arrays that c5w3a's model_forward takes: "encoder_fwd", "encoder_bwd", "decoder" (LSTM
    parameters as in seq.lstm_forward), "attention" ("W1", "b1", "W2") and "Wy", "by"; the npz keys
    are the paths "encoder_fwd/Wf", ..., "Wy".
    """
    from data import checked_path
    file = checked_path(name, sha256, "copy it again from the assignment folder "
                                      "(instructors: datasets/make_date_translator.py)")
    params = {}
    with np.load(file) as arrays:
        for key in arrays.files:
            *group, leaf = key.split("/")
            target = params.setdefault(group[0], {}) if group else params
            target[leaf] = arrays[key].astype(np.float64)
    return params
