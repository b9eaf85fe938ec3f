"""The --out folder of a batch: one grading run at a time, one class per folder, and a log of every run.

- `locked(out)`: an exclusive `fcntl.flock` on <out>/.lock, holding the run's pid; a second run
  on the same folder is refused at once instead of interleaving with the first.
- `check_class(out, submissions, force)`: refuses a folder made for another class, recognised by
  the submissions folder its last run recorded, or by results for students absent from this one.
- `RunLog`: <out>/run.json, a list with one entry per run (seed, grader commit, limits,
  submissions folder, counts, times). The last run's seed of an assignment is reused by default,
  so that a resumed batch draws the same hidden inputs.
"""
import json
import os
import subprocess
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from .paths import ROOT


class Refused(Exception):
    """The grader will not run as asked; the message says what to do instead (exit code 2)."""
    code = 2


def _write(path, text):
    from .autograde import _atomic_write
    _atomic_write(path, text)


@contextmanager
def locked(out):
    """Hold <out>/.lock for the duration of a run, or raise Refused naming the run that holds it."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no locking, as before
        yield
        return
    path = Path(out) / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise Refused(f"another grading run (pid {holder}) holds {out}: wait for it to finish, or stop it, "
                      "then run this command again (or grade into another --out)") from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        try:
            os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # closing the descriptor releases the lock


def grader_commit():
    """The grader's git commit, or "unknown" outside a git checkout."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "unknown"


class RunLog:
    """<out>/run.json: every run, oldest first. Reads the older {slug: {"seed": n}} form too."""

    def __init__(self, out):
        self.path = Path(out) / "run.json"
        self.runs = []
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except ValueError:
                self.path.replace(self.path.with_name("run.json.unreadable"))
                data = []
            if isinstance(data, dict):
                data = [{"assignment": slug, **(v if isinstance(v, dict) else {})} for slug, v in data.items()]
            self.runs = [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []
        self.entry = None

    def last(self, **match):
        for run in reversed(self.runs):
            if all(run.get(k) == v for k, v in match.items()):
                return run
        return None

    def start(self, **fields):
        """Record a run that is starting (outcome "running" until `finish`)."""
        self._started = time.monotonic()
        self.entry = {"assignment": None, "seed": None, "started": datetime.now(timezone.utc).isoformat(
            timespec="seconds"), "grader_commit": grader_commit(), **fields, "outcome": "running"}
        self.runs.append(self.entry)
        self.save()
        return self.entry

    def finish(self, outcome, **fields):
        self.entry.update(fields, outcome=outcome, wall_seconds=round(time.monotonic() - self._started, 1))
        self.save()

    def save(self):
        _write(self.path, json.dumps(self.runs, indent=1) + "\n")


def check_class(out, submissions, students, runs, force=False):
    """Refuse an --out made for another class unless `force`: the submissions folder differs from the
    one its last run recorded, or it holds results for students with no folder in `submissions`."""
    if force:
        return
    submissions = str(Path(submissions).resolve())
    recorded = next((r.get("submissions") for r in reversed(runs) if r.get("submissions")), None)
    how = ("To grade this class, use a new --out; to grade into this folder anyway, add --force "
           "(results already in it are kept).")
    if recorded and recorded != submissions:
        raise Refused(f"{out} holds the results of another submissions folder ({recorded}), not {submissions}. "
                      + how)
    results = Path(out) / "results"
    others = sorted(p.name for p in results.iterdir() if p.is_dir() and p.name not in students) \
        if results.is_dir() else []
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        raise Refused(f"{out} holds results for students with no folder in {submissions} ({shown}): "
                      "it was made for another class. " + how)
