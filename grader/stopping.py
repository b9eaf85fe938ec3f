"""Stopping a batch promptly on Ctrl-C (SIGINT) or SIGTERM, without losing what is graded.

While a batch grades, the signals only set a flag (`requested`); the batch loop sees it within
a fraction of a second, stops recording results and calls `stop()`. That kills the worker of
every submission still being graded and makes any attempt to start another worker raise
`Stopped`, so the grading threads unwind at once instead of finishing notebooks whose results
would be thrown away (run.py keeps the set of live workers for this).
"""
import signal
import threading
from contextlib import contextmanager

from . import run


class Interrupted(Exception):
    """The batch was stopped (Ctrl-C, SIGTERM); every result finished before that is kept."""

    def __init__(self, slug, out, done, total):
        super().__init__(f"interrupted: {done} of {total} submissions of {slug} are graded and kept in {out}")
        self.slug, self.out, self.done, self.total = slug, out, done, total


Stopped = run.Stopped
requested = threading.Event()


def stop():
    """Refuse new workers and kill the live ones."""
    run.stop_all()


def reset():
    """Ready for a new batch (in the same process)."""
    run.allow_workers()
    requested.clear()


@contextmanager
def signals_set_flag():
    """During the block, SIGINT and SIGTERM set `requested` instead of raising (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, lambda signum, frame: requested.set())
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
