"""Reference answers cached by what made them: the solution's run on one run's hidden inputs.

Computing the reference answers means running the solution notebook (about a second); a batch,
a resumed batch and a one-submission autograde with the same seed would each pay it again. The
key is a SHA-256 of everything that decides the answers: the staged folder's files (the solution
notebook, helper modules, data), the cells that run, the calls with their encoded inputs (hence
the seed and the spec's input generators), the driver files, and the Python, NumPy and SciPy
versions. A changed solution, spec, helper or seed is a different key, so a stale entry is never
used. Only successful runs are stored. Entries live in `~/.cache/dl-course-grader/reference/`
(or `$GRADER_REFERENCE_CACHE`), outside anything the sandbox binds, written atomically;
`GRADER_REFERENCE_CACHE=off` turns the cache off; the least recently used entries are removed
beyond `GRADER_REFERENCE_CACHE_MIB` (256 MiB). An entry that cannot be read, or does not hold
exactly this run's call ids, is recomputed. The folder (0700) and its files (0600) are the grading
user's, as trusted as solutions/: whoever may write them may as well edit the solutions.
"""
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from . import sandbox
from .paths import plain


def folder():
    """The cache folder, or None when turned off."""
    setting = os.environ.get("GRADER_REFERENCE_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    if setting:
        return Path(setting)
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return home / "dl-course-grader" / "reference"


def _versions():
    out = [sys.version]
    for name in ("numpy", "scipy"):
        out.append(f"{name}={sandbox.installed_version(name) or '?'}")
    return out


def key(staged, cells, encoded_calls, driver_files):
    """The hash of everything that decides the reference answers."""
    h = hashlib.sha256()

    def feed(label, data):
        h.update(label.encode() + b"\0" + len(data).to_bytes(8, "big") + data)

    for path in sorted(p for p in Path(staged).rglob("*") if p.is_file()):
        feed("file:" + path.relative_to(staged).as_posix(), path.read_bytes())
    for path in driver_files:
        feed("driver:" + Path(path).name, Path(path).read_bytes())
    feed("cells", json.dumps(cells, sort_keys=True).encode())
    feed("calls", json.dumps(encoded_calls, sort_keys=True).encode())
    feed("versions", json.dumps(_versions()).encode())
    return h.hexdigest()


def load(digest, ids):
    """{call id: run.Outcome} stored under `digest` for exactly the call ids `ids`, or None."""
    from .run import Outcome
    base = folder()
    if base is None:
        return None
    try:
        stored = json.loads((base / f"{digest}.json").read_text())
        if stored.get("key") != digest or set(stored["outcomes"]) != set(ids):
            return None
        outcomes = {cid: Outcome(o["kind"], plain.decode(o["value"]), o.get("detail") or {})
                    for cid, o in stored["outcomes"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError, plain.PlainValueError):
        return None
    try:
        os.utime(base / f"{digest}.json")   # recently used: pruned last
    except OSError:
        pass
    return outcomes


def prune(base, limit_bytes):
    """Remove the least recently used entries until the folder holds at most limit_bytes."""
    try:
        entries = [(p.stat().st_mtime, p.stat().st_size, p) for p in base.glob("*.json")]
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries, key=lambda e: e[0]):
        if total <= limit_bytes:
            break
        try:
            path.unlink()
            total -= size
        except OSError:
            pass


def _limit_bytes():
    try:
        return int(float(os.environ.get("GRADER_REFERENCE_CACHE_MIB", "256")) * 2**20)
    except ValueError:
        return 256 << 20


def store(digest, outcomes):
    """Write {call id: run.Outcome} under `digest` (atomically); a failure to write is not an error."""
    base = folder()
    if base is None:
        return
    try:
        data = {"key": digest, "outcomes": {cid: {"kind": o.kind, "value": plain.encode(o.value),
                                                  "detail": o.detail} for cid, o in outcomes.items()}}
        text = json.dumps(data)
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=base, prefix=".tmp-")
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, base / f"{digest}.json")
        prune(base, _limit_bytes())
    except (OSError, ValueError, TypeError, plain.PlainValueError):
        try:
            os.unlink(tmp)
        except (OSError, NameError):
            pass
