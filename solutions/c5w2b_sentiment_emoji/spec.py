"""Grading spec for c5w2b_sentiment_emoji. Visible cases ship with the notebook; hidden draws stay here.

Word maps are small and made up here (random vectors for ordinary English words), so hidden tests
vary the vocabulary, the vector size n_e, sentence lengths, max_len, n_a, C and m, and run fast.
Every hidden sentence has a capitalised word (a missing lower-casing fails) and at least three
words with a repeat (sum vs mean, a set of words); padded id rows always hold a sentence shorter
than T and one of at least two words (first / final / mean state vs the last real word).
avg_model_step's gradients are also scored against centred finite differences in float64.
"""
import numpy as np

from grader.paths import checks
from grader.spec import Test

TITLE = "Sentences to emoji: averaging word vectors, then an LSTM"
HELPERS = ["framework", "dnn_utils", "seq", "data", "w2v_utils"]
DATA = ["emoji_sentences.csv", "glove_50d.h5"]

RTOL, ATOL = 1e-6, 1e-9
FD_TOL, FD_ATOL = 1e-6, 1e-8

POOL = ("apple ball bread cake cat chair cloud dance dinner dog door dream eat field friend game garden "
        "goal happy heart home joy kiss laugh love lunch match meal milk moon music night play rain river "
        "run sad score smile soup song star storm sun swim table team tear tired win world").split()


# ------------------------------------------------------------------ helpers for the inputs

def _vocab(rng, k, n_e):
    """k distinct pool words (list) and a map {word: (n_e,) vector} whose keys are in another order."""
    words = [str(w) for w in rng.choice(POOL, size=k, replace=False)]
    vecs = {w: rng.normal(size=n_e) for w in words}
    shuffled = [words[i] for i in rng.permutation(k)]
    return words, {w: vecs[w] for w in shuffled}


def _sentence(rng, words, n):
    """n >= 3 words from `words`, with a repeated word and a capitalised word, single spaces."""
    picks = [str(w) for w in rng.choice(words, size=n)]
    picks[int(rng.integers(1, n))] = picks[0]                     # a repeat
    j = int(rng.integers(0, n))
    picks[j] = picks[j].capitalize() if rng.random() < 0.7 else picks[j].upper()
    return " ".join(picks)


def _index(rng, words):
    """{word: id} with ids a random permutation of 1..len(words)."""
    ids = rng.permutation(len(words)) + 1
    return {w: int(i) for w, i in zip(words, ids)}


def _one_hot(rng, C, m):
    """(C, m) one-hot columns of random labels."""
    return np.eye(C)[:, rng.integers(0, C, size=m)]


# ------------------------------------------------------------------ gradient score for avg_model_step

def _numeric(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = f()
        x[idx] = old - h
        minus = f()
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def _cost(X, Y, W, b):
    Z = W @ X + b
    s = Z - Z.max(axis=0, keepdims=True)
    log_a = s - np.log(np.exp(s).sum(axis=0, keepdims=True))
    return -np.sum(Y * log_a) / X.shape[1]


def _step_score(got, expected, kwargs):
    """The answer must equal the reference's, then dW and db their centred finite differences."""
    mismatch = checks.compare(got, expected, RTOL, ATOL)
    if mismatch:
        if mismatch["kind"] == "none":
            return 0.0, "returned None: not implemented yet (or a missing `return`)."
        return 0.0, f"wrong answer on a hidden test: {mismatch['safe']}. The visible test shows expected values."
    X, Y = kwargs["X_avg"], kwargs["Y"]
    W, b = np.array(kwargs["W"], dtype=np.float64), np.array(kwargs["b"], dtype=np.float64)
    J = lambda: _cost(X, Y, W, b)
    for name, numeric in (("dW", _numeric(J, W)), ("db", _numeric(J, b))):
        value = np.asarray(got[3][name], dtype=np.float64)
        if not np.linalg.norm(value - numeric) <= FD_TOL * (np.linalg.norm(value) + np.linalg.norm(numeric)) + FD_ATOL:
            return 0.0, f"grads['{name}'] disagrees with a centred finite-difference gradient of the cost."
    return 1.0, "passed; the gradients agree with centred finite differences."


# ------------------------------------------------------------------ hidden inputs

def _hidden_sentence_to_avg(rng):
    n_e = int(rng.integers(3, 9))
    words, w2v = _vocab(rng, int(rng.integers(4, 10)), n_e)
    n = int(rng.choice([k for k in range(3, 10) if k != n_e]))
    return {"sentence": _sentence(rng, words, n), "word_to_vec_map": w2v}


def _hidden_avg_forward(rng):
    n_e, C = int(rng.integers(3, 9)), int(rng.integers(2, 7))
    m = int(rng.choice([k for k in range(2, 8) if k != C]))
    X, W = rng.normal(size=(n_e, m)), rng.normal(size=(C, n_e))
    z = W @ X[:, 0]
    k = int(np.argmax(np.abs(z)))
    X[:, 0] *= rng.uniform(750, 900) / z[k]   # a column whose top score is ~800: exp overflows without the max shift
    return {"X_avg": X, "W": W, "b": rng.normal(size=(C, 1))}


def _hidden_avg_step(rng):
    C = int(rng.integers(2, 6))
    n_e = int(rng.choice([k for k in range(2, 8) if k != C]))
    m = int(rng.integers(2, 9))
    return {"X_avg": rng.normal(size=(n_e, m)), "Y": _one_hot(rng, C, m),
            "W": rng.normal(size=(C, n_e)) * 0.7, "b": rng.normal(size=(C, 1)),
            "learning_rate": float(rng.uniform(0.05, 1.0))}


def _hidden_model(rng):
    n_e = int(rng.integers(3, 7))
    words, w2v = _vocab(rng, int(rng.integers(5, 12)), n_e)
    m = int(rng.integers(4, 10))
    n_classes = int(rng.integers(3, 6))
    Y = rng.integers(0, n_classes - 1, size=m)          # the top class never appears
    Y[0] = 0
    X = np.array([_sentence(rng, words, int(rng.integers(3, 8))) for _ in range(m)])
    return {"X": X, "Y": Y, "word_to_vec_map": w2v, "n_classes": n_classes,
            "learning_rate": float(rng.uniform(0.1, 1.0)), "num_iterations": int(rng.integers(3, 15)),
            "seed": int(rng.integers(0, 1000))}


def _hidden_sentences_to_indices(rng):
    words, _ = _vocab(rng, int(rng.integers(6, 14)), 2)
    word_to_index = _index(rng, words)
    max_len = int(rng.integers(4, 9))
    m = int(rng.integers(3, 7))
    lengths = rng.integers(3, max_len + 3, size=m)
    lengths[0] = int(rng.integers(3, max_len))          # shorter than max_len: where the padding goes
    lengths[1] = max_len + int(rng.integers(1, 3))      # longer: truncated
    X = np.array([_sentence(rng, words, int(n)) for n in lengths])
    return {"X": X, "word_to_index": word_to_index, "max_len": max_len}


def _hidden_embedding(rng):
    n_e = int(rng.integers(2, 7))
    words, w2v = _vocab(rng, int(rng.integers(4, 12)), n_e)
    word_to_index = _index(rng, words)
    if list(w2v) == sorted(word_to_index, key=word_to_index.get):   # the map must not list words in id order
        w2v = dict(reversed(list(w2v.items())))
    return {"word_to_vec_map": w2v, "word_to_index": word_to_index}


def _lstm_case(rng, V, n_e, n_a, C, m, T):
    E = rng.normal(size=(V + 1, n_e))
    E[0] = 0.0
    params = {"E": E}
    for k in "fico":
        params["W" + k] = rng.normal(size=(n_a, n_a + n_e)) * rng.uniform(0.5, 1.0)
        params["b" + k] = rng.normal(size=(n_a, 1)) * 0.5
    params["Wy"] = rng.normal(size=(C, n_a))
    params["by"] = rng.normal(size=(C, 1))
    lengths = rng.integers(1, T + 1, size=m)
    lengths[0] = int(rng.integers(2, T))                 # at least two words and some padding
    idx = np.zeros((m, T), dtype=int)
    for i, n in enumerate(lengths):
        idx[i, :n] = rng.integers(1, V + 1, size=n)
    return {"X_indices": idx, "params": params}


def _hidden_lstm(rng):
    return _lstm_case(rng, V=int(rng.integers(5, 15)), n_e=int(rng.integers(2, 6)), n_a=int(rng.integers(2, 7)),
                      C=int(rng.integers(2, 6)), m=int(rng.integers(2, 7)), T=int(rng.integers(3, 8)))


# ------------------------------------------------------------------ visible cases (fixed, shown to students)

_W2V = {"i": np.array([1.0, 0.0, 2.0, -1.0]), "love": np.array([0.5, 1.0, -1.0, 2.0]),
        "you": np.array([2.0, 2.0, 0.0, 1.0]), "pizza": np.array([-1.0, 0.5, 3.0, 0.0]),
        "so": np.array([0.0, 1.0, 1.0, 1.0]), "much": np.array([1.5, -0.5, 0.5, 0.0])}
_W2I = {"love": 1, "pizza": 2, "i": 3, "so": 4, "you": 5, "much": 6}
_Xv = np.array([[1.0, -0.5, 0.2], [0.5, 0.3, -1.0], [-0.2, 0.8, 0.4], [0.0, 1.0, -0.3]])
_Wv = np.array([[0.2, -0.1, 0.4, 0.3], [-0.3, 0.5, 0.1, -0.2], [0.1, 0.2, -0.4, 0.5]])
_bv = np.array([[0.1], [-0.2], [0.3]])

TESTS = [
    Test("sentence_to_avg", points=1,
         visible=[{"sentence": "I love you", "word_to_vec_map": _W2V},
                  {"sentence": "Pizza so so MUCH", "word_to_vec_map": _W2V}],
         hidden=_hidden_sentence_to_avg, rtol=RTOL, atol=ATOL),
    Test("avg_model_forward", points=1,
         visible=[{"X_avg": _Xv, "W": _Wv, "b": _bv},
                  {"X_avg": _Xv * np.array([[1.0, 400.0, 1.0]]), "W": _Wv, "b": _bv}],
         hidden=_hidden_avg_forward, rtol=RTOL, atol=ATOL),
    Test("avg_model_step", points=2,
         visible=[{"X_avg": _Xv, "Y": np.eye(3)[:, [2, 0, 1]], "W": _Wv, "b": _bv, "learning_rate": 0.5}],
         hidden=_hidden_avg_step, rtol=RTOL, atol=ATOL, score=_step_score),
    Test("model", points=2,
         visible=[{"X": np.array(["I love you", "pizza so much", "I love pizza", "so much love", "you love pizza"]),
                   "Y": np.array([0, 1, 1, 0, 2]), "word_to_vec_map": _W2V, "n_classes": 3,
                   "learning_rate": 0.5, "num_iterations": 4, "seed": 0}],
         hidden=_hidden_model, rtol=RTOL, atol=ATOL),
    Test("sentences_to_indices", points=2,
         visible=[{"X": np.array(["I love you", "Pizza", "i love pizza so so much"]), "word_to_index": _W2I, "max_len": 4}],
         hidden=_hidden_sentences_to_indices, rtol=RTOL, atol=ATOL),
    Test("pretrained_embedding_matrix", points=1,
         visible=[{"word_to_vec_map": _W2V, "word_to_index": _W2I}],
         hidden=_hidden_embedding, rtol=RTOL, atol=ATOL),
    Test("lstm_classifier_forward", points=2,
         visible=[_lstm_case(np.random.default_rng(3), V=6, n_e=3, n_a=2, C=3, m=3, T=4)],
         hidden=_hidden_lstm, rtol=RTOL, atol=ATOL),
]
