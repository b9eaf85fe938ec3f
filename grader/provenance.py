"""What a stored result was made from, so that a batch reuses only results that are still true.

A result in <out>/results/ is kept by a later run only when it was made from the same
submission (its notebooks and nbgrader's timestamp.txt), the same solution and spec (every
file of solutions/<slug>/ and the release's visible_tests.json), the same limits and sandbox
setting, and the same seed. Anything else changed, and the submission is graded again.
"""
import dataclasses
import hashlib
from pathlib import Path

from .paths import NOTEBOOKS, SOLUTIONS

_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints"}


def _digest(files, root):
    """sha256 over the names (relative to root) and contents of `files`, in a stable order."""
    h = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return "sha256:" + h.hexdigest()


def submission(folder):
    """The fingerprint of a student's assignment folder: its notebooks and timestamp.txt.

    Every notebook directly in the folder counts (which one is graded depends on what is
    there); scratch files, data and checkpoints do not.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return "absent"
    files = [p for p in folder.iterdir() if p.is_file() and (p.suffix == ".ipynb" or p.name == "timestamp.txt")]
    return _digest(files, folder)


def assignment(slug, solutions=SOLUTIONS, notebooks=NOTEBOOKS):
    """The fingerprint of what grades an assignment: solutions/<slug>/ and the release's visible tests."""
    root = Path(solutions) / slug
    files = [p for p in root.rglob("*") if p.is_file() and not _SKIP_DIRS & set(p.relative_to(root).parts)
             and p.suffix != ".pyc"]
    visible = Path(notebooks) / slug / "visible_tests.json"
    h = hashlib.sha256(_digest(files, root).encode())
    if visible.is_file():
        h.update(visible.read_bytes())
    return "sha256:" + h.hexdigest()


def made_from(submission_hash, assignment_hash, limits, sandboxed, seed):
    """The record stored in a result (and compared with the next run's) as plain JSON data."""
    return {"submission": submission_hash, "assignment": assignment_hash,
            "limits": {**dataclasses.asdict(limits), "sandboxed": bool(sandboxed)}, "seed": seed}
