"""Grading spec for c5w2a_word_vectors. Visible cases ship with the notebook; hidden draws stay here.

Every case passes a small word_to_vec_map (tens of words), so hidden calls are fast. Analogy maps mix
real GloVe vectors (read from datasets/glove_50d.h5) with made-up "words" whose vectors are random
and of varied lengths; each drawn analogy is kept only when the catalogued wrong variants (no
exclusion of the input words, flipped signs, dot product for cosine, ...) all give another word than
the right one, so none can pass by luck. Bias axes never have unit length (a projection missing its
division by ||g||^2, or dividing by ||g||, must show), vector sizes vary, and equalize gets the unit
vectors its docstring promises.
"""
import h5py
import numpy as np

from grader.paths import DATASETS
from grader.spec import Test

TITLE = "Word vectors: similarity, analogies and debiasing"
HELPERS = ["data", "w2v_utils"]
DATA = ["glove_50d.h5"]

RTOL, ATOL = 1e-6, 1e-9


def _glove(n_top=40_000):
    """The n_top most frequent words of the course's GloVe file, as (list of str, (n_top, 50) float64)."""
    with h5py.File(DATASETS / "glove_50d.h5", "r") as f:
        words = [w.decode() if isinstance(w, bytes) else str(w) for w in f["words"][:n_top]]
        vectors = f["vectors"][:n_top].astype(np.float64)
    return words, vectors


_WORDS, _VECS = _glove()
_ROW = {w: i for i, w in enumerate(_WORDS)}


def _vec(word):
    return _VECS[_ROW[word]].copy()


# analogy seeds for hidden cases (a : b :: c : d); all are among the 40,000 most frequent words
_QUADS = [
    ("husband", "wife", "nephew", "niece"), ("waiter", "waitress", "host", "hostess"),
    ("king", "queen", "prince", "princess"), ("brother", "sister", "son", "daughter"),
    ("london", "england", "madrid", "spain"), ("tokyo", "japan", "cairo", "egypt"),
    ("berlin", "germany", "lisbon", "portugal"), ("canada", "canadian", "mexico", "mexican"),
    ("france", "french", "sweden", "swedish"), ("walk", "walked", "jump", "jumped"),
    ("write", "wrote", "speak", "spoke"), ("cold", "colder", "warm", "warmer"),
    ("deep", "deeper", "tall", "taller"), ("apple", "apples", "cow", "cows"),
    ("coin", "coins", "lake", "lakes"), ("slow", "slowly", "loud", "loudly"),
    ("yen", "japan", "euro", "europe"), ("piano", "pianist", "guitar", "guitarist"),
    ("dollar", "dollars", "pound", "pounds"), ("small", "smallest", "large", "largest"),
]


assert all(w in _ROW for quad in _QUADS for w in quad), [w for q in _QUADS for w in q if w not in _ROW]


def _unit(v):
    return v / np.linalg.norm(v)


def _best(target, vocab, skip, use_dot=False, lowest=False):
    """The word of vocab (dict) best aligned with target, skipping the words in skip."""
    best_word, best_score = None, None
    for w, e in vocab.items():
        if w in skip:
            continue
        score = e @ target if use_dot else (e @ target) / (np.linalg.norm(e) * np.linalg.norm(target))
        if best_score is None or (score < best_score if lowest else score > best_score):
            best_word, best_score = w, score
    return best_word


def _analogy_variants(a, b, c, vocab):
    """The right answer and the answers of the catalogued wrong variants, for filtering hidden draws."""
    ea, eb, ec = vocab[a], vocab[b], vocab[c]
    right = _best(eb - ea + ec, vocab, {a, b, c})
    wrong = [_best(eb - ea + ec, vocab, set()),             # input words not excluded
             _best(eb - ea + ec, vocab, {c}),               # only word_c excluded
             _best(ea - eb + ec, vocab, {a, b, c}),         # offset reversed
             _best(eb - ea - ec, vocab, {a, b, c}),         # e_c subtracted
             _best(eb - ea + ec, vocab, {a, b, c}, use_dot=True),
             _best(eb - ea + ec, vocab, {a, b, c}, lowest=True)]
    return right, wrong


def _random_name(rng, taken):
    letters = np.array(list("bcdfghjklmnpqrstvwxz"))
    while True:
        name = "".join(rng.choice(letters, size=int(rng.integers(4, 8))))
        if name not in taken and name not in _ROW:
            return name


def _decoy(rng, target, cos, length):
    """A made-up word's vector: cosine `cos` with target, length `length` (long: it wins on dot products only)."""
    u = _unit(target)
    r = rng.normal(size=target.shape)
    r = _unit(r - (r @ u) * u)
    return length * (cos * u + np.sqrt(1 - cos ** 2) * r)


def _hidden_analogy(rng):
    """A real analogy question in a small vocabulary: real words, random made-up words, and long decoys.

    The expected answer d is left out of half of the vocabularies, so that the question's own words are
    the closest to the target (which the variants that do not skip them must then return).
    """
    for _ in range(200):
        a, b, c, d = _QUADS[int(rng.integers(len(_QUADS)))]
        vocab = {w: _vec(w) for w in (a, b, c) + ((d,) if rng.random() < 0.5 else ())}
        for i in rng.choice(np.arange(50, 20_000), size=int(rng.integers(15, 40)), replace=False):
            vocab.setdefault(_WORDS[i], _VECS[i].copy())
        for _ in range(int(rng.integers(3, 9))):
            vocab[_random_name(rng, vocab)] = rng.normal(size=50) * rng.uniform(0.3, 1.0)
        target = vocab[b] - vocab[a] + vocab[c]
        right = _best(target, vocab, {a, b, c})
        longest = max(np.linalg.norm(e) for e in vocab.values())
        for _ in range(int(rng.integers(1, 3))):
            cos = rng.uniform(0.4, 0.7) * (vocab[right] @ target) / (np.linalg.norm(vocab[right]) * np.linalg.norm(target))
            vocab[_random_name(rng, vocab)] = _decoy(rng, target, cos, rng.uniform(3.0, 5.0) * longest)
        keys = list(vocab)
        vocab = {keys[i]: vocab[keys[i]] for i in rng.permutation(len(keys))}
        right, wrong = _analogy_variants(a, b, c, vocab)
        if all(w != right for w in wrong):
            return {"word_a": a, "word_b": b, "word_c": c, "word_to_vec_map": vocab}
    raise RuntimeError("could not draw an analogy that tells the variants apart")


def _norm_not_one(rng):
    return float(rng.choice([rng.uniform(0.25, 0.75), rng.uniform(1.4, 4.0)]))


def _hidden_cosine(rng):
    n = int(rng.integers(2, 60))
    u = rng.normal(size=n) * rng.uniform(0.2, 5.0)
    v = rng.normal(size=n) * rng.uniform(0.2, 5.0) + 0.5 * u
    return {"u": u, "v": v}


def _hidden_neutralize(rng):
    if rng.random() < 0.5:
        word, x, y = (str(w) for w in rng.choice(_WORDS[100:5000], size=3, replace=False))
        vocab = {w: _vec(w) for w in (word, x, y)}
        g = vocab[x] - vocab[y]
        g *= _norm_not_one(rng) / np.linalg.norm(g)
    else:
        n = int(rng.integers(3, 40))
        word = _random_name(rng, set())
        vocab = {word: rng.normal(size=n) * rng.uniform(0.3, 3.0)}
        for _ in range(int(rng.integers(1, 4))):
            vocab[_random_name(rng, vocab)] = rng.normal(size=n)
        g = rng.normal(size=n)
        g *= _norm_not_one(rng) / np.linalg.norm(g)
        vocab[word] += rng.uniform(-1.5, 1.5) * g      # a clear component along g
    return {"word": word, "g": g, "word_to_vec_map": vocab}


def _hidden_equalize(rng):
    if rng.random() < 0.5:
        w1, w2, x, y = (str(w) for w in rng.choice(_WORDS[100:5000], size=4, replace=False))
        vocab = {w: _unit(_vec(w)) for w in (w1, w2, x, y)}
        g = vocab[x] - vocab[y]
    else:
        n = int(rng.integers(3, 40))
        g = rng.normal(size=n)
        names = []
        vocab = {}
        for _ in range(int(rng.integers(2, 5))):
            names.append(_random_name(rng, vocab))
            vocab[names[-1]] = _unit(rng.normal(size=n))
        w1, w2 = names[:2]
        vocab[w1] = _unit(vocab[w1] + 0.8 * _unit(g))
        vocab[w2] = _unit(vocab[w2] - 0.5 * _unit(g))
    g = g * _norm_not_one(rng) / np.linalg.norm(g)
    pair = (w1, w2) if rng.random() < 0.5 else (w2, w1)
    return {"pair": pair, "bias_axis": g, "word_to_vec_map": vocab}


# ---------------------------------------------------------------------------------- visible cases

_VIS_ANALOGY_WORDS = ["man", "woman", "king", "queen", "prince", "princess", "boy", "girl", "throne",
                      "italy", "italian", "spain", "spanish", "french", "madrid", "rome", "wine",
                      "small", "smaller", "large", "larger", "big", "tiny", "city", "river"]
_VIS_MAP = {w: _vec(w) for w in _VIS_ANALOGY_WORDS}

_VIS_UNIT = {w: _unit(_vec(w)) for w in ["actor", "actress", "doctor", "nurse", "woman", "man"]}
_VIS_G = _VIS_UNIT["woman"] - _VIS_UNIT["man"]

_VIS_SMALL = {"ann": np.array([1.0, 2.0, -1.0]), "bob": np.array([0.5, -1.0, 2.0]),
              "cat": np.array([2.0, 0.0, 1.0])}
_VIS_SMALL_UNIT = {k: _unit(v) for k, v in _VIS_SMALL.items()}

TESTS = [
    Test("cosine_similarity", points=1,
         visible=[{"u": np.array([1.0, 2.0, 2.0]), "v": np.array([3.0, 0.0, 4.0])},
                  {"u": np.array([1.0, -1.0]), "v": np.array([-2.0, 2.0])},
                  {"u": _vec("father"), "v": _vec("mother")}],
         hidden=_hidden_cosine, n_hidden=4),
    Test("complete_analogy", points=2,
         visible=[{"word_a": "man", "word_b": "woman", "word_c": "king", "word_to_vec_map": _VIS_MAP},
                  {"word_a": "italy", "word_b": "italian", "word_c": "spain", "word_to_vec_map": _VIS_MAP},
                  {"word_a": "small", "word_b": "smaller", "word_c": "large", "word_to_vec_map": _VIS_MAP}],
         hidden=_hidden_analogy, n_hidden=4),
    Test("neutralize", points=1,
         visible=[{"word": "ann", "g": np.array([0.0, 2.0, 0.0]), "word_to_vec_map": _VIS_SMALL},
                  {"word": "doctor", "g": _VIS_G, "word_to_vec_map": _VIS_UNIT}],
         hidden=_hidden_neutralize, n_hidden=4),
    Test("equalize", points=2,
         visible=[{"pair": ("ann", "bob"), "bias_axis": np.array([0.0, 0.0, 3.0]),
                   "word_to_vec_map": _VIS_SMALL_UNIT},
                  {"pair": ("actor", "actress"), "bias_axis": _VIS_G, "word_to_vec_map": _VIS_UNIT}],
         hidden=_hidden_equalize, n_hidden=4),
]
