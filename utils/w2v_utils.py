"""Load the course's GloVe word vectors (datasets/glove_50d.h5) and index them.

The file holds the 40,000 most frequent words of GloVe 6B (50 dimensions, lower-cased), plus a few
rarer words the assignments use, in GloVe's frequency order; datasets/make_glove.py makes it and
datasets/README.md gives its source (GloVe, Pennington, Socher and Manning, 2014; PDDL licence).
Every load checks the file's SHA-256 against GLOVE_SHA256 below (make_glove.py keeps it current).

    words, word_to_vec_map = read_glove_vecs()     # list of n str; {word: (50,) float64}
    word_to_index, index_to_word = index_maps(words)  # 1 .. n; 0 is kept for padding
    E = embedding_matrix(words, word_to_vec_map)   # (n + 1, 50), row 0 all zeros
"""

import h5py
import numpy as np

import data

GLOVE_FILE = "glove_50d.h5"
GLOVE_SHA256 = "689e4d138747924b104c1307a6fab6ab43c647557f27ad91437414a4429275e2"


def read_glove_vecs(name=GLOVE_FILE, verify=True):
    """Read the word vectors.

    Returns:
    words -- list of n str, most frequent first (n = 40,000 + the extra words)
    word_to_vec_map -- dict {word (str): vector, numpy array of shape (50,), float64}
    Raises ValueError when the file's SHA-256 is not the recorded one (verify=True).
    """
    remedy = "copy it again from the assignment folder (instructors: datasets/make_glove.py)"
    path = data.checked_path(name, GLOVE_SHA256, remedy) if verify else data.path(name)
    with h5py.File(path, "r") as f:
        words = [w.decode("utf-8") if isinstance(w, bytes) else str(w) for w in f["words"][()]]
        vectors = f["vectors"][()].astype(np.float64)
    word_to_vec_map = dict(zip(words, vectors))
    return words, word_to_vec_map


def index_maps(words):
    """Integer ids for `words` (list of n str): ({word: 1..n}, {1..n: word}); id 0 is kept for padding."""
    word_to_index = {w: i + 1 for i, w in enumerate(words)}
    index_to_word = {i + 1: w for i, w in enumerate(words)}
    return word_to_index, index_to_word


def embedding_matrix(words, word_to_vec_map):
    """Stack the vectors in id order: array of shape (n + 1, 50), row i = vector of id i, row 0 zeros."""
    dim = len(next(iter(word_to_vec_map.values())))
    E = np.zeros((len(words) + 1, dim))
    for i, w in enumerate(words):
        E[i + 1] = word_to_vec_map[w]
    return E
