"""Find and load the course's data files, wherever the assignment folder has been copied.

A released assignment keeps its data in ./datasets/ next to the notebook; in the repository
the files live in datasets/ at the top. `path` looks in both places.
"""
from pathlib import Path

import hashlib

import h5py
import numpy as np

HERE = Path(__file__).resolve().parent


def path(name):
    """The path of data file `name` (e.g. "odd_even_digits.h5"); FileNotFoundError says where it looked."""
    places = [Path.cwd() / "datasets", HERE / "datasets", HERE.parent / "datasets"]
    for place in places:
        if (place / name).is_file():
            return place / name
    raise FileNotFoundError(f"data file {name!r} not found in " + ", ".join(str(p) for p in places)
                            + ": keep the notebook in its assignment folder")


def sha256(file):
    """Hexadecimal SHA-256 digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(file, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checked_path(name, expected_sha256, remedy):
    """The path of data file `name`, after checking that its SHA-256 is `expected_sha256`.

    Committed weights and vectors are checked on load: a damaged or replaced file would otherwise
    give silently wrong results. `remedy` says how to get the right file back (ValueError otherwise).
    """
    file = path(name)
    actual = sha256(file)
    if actual != expected_sha256:
        raise ValueError(f"{file}: SHA-256 {actual} differs from the recorded {expected_sha256}; the file is "
                         f"damaged or was replaced: {remedy}")
    return file


def load_h5(name):
    """Every dataset of an HDF5 file as {name: numpy array} (strings decoded)."""
    out = {}
    with h5py.File(path(name), "r") as f:
        for key, ds in f.items():
            value = ds[()]
            if isinstance(value, bytes):
                value = value.decode()
            elif isinstance(value, np.ndarray) and value.dtype.kind in "OS":
                value = np.array([v.decode() if isinstance(v, bytes) else v for v in value.ravel()]).reshape(value.shape)
            out[key] = value
    return out
