"""Run a notebook's cells and a list of calls in a worker, with time, memory and output limits.

A call that runs past its time limit is recorded as a timeout; the worker is killed and
a fresh one runs the calls that are left, so one endless loop costs one item, not all.
"""
import json
import os
import selectors
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field

from . import sandbox
from .paths import plain
from .spec import Ref


@dataclass
class Outcome:
    """What one call came back with: kind is result, error, missing, unplain, timeout or crashed."""
    kind: str
    value: object = None
    detail: dict = field(default_factory=dict)


@dataclass
class Run:
    status: str = "ok"            # ok, timeout (cells), crashed, output-flood
    cell_errors: list = field(default_factory=list)
    outcomes: dict = field(default_factory=dict)
    seconds: float = 0.0


def encode_calls(calls):
    """Calls with their keyword arguments as plain JSON; a spec.Ref names a notebook global."""
    def arg(value):
        return {"__ref__": value.name} if isinstance(value, Ref) else plain.encode(value)
    return [{**c, "kwargs": {k: arg(v) for k, v in c.get("kwargs", {}).items()}} for c in calls]


class Stopped(Exception):
    """A worker was asked for after `stop_all()`: the batch is being interrupted."""


_live_lock = threading.Lock()
_live = set()         # workers running now, so that an interrupted batch can kill them at once
_stopping = threading.Event()


def stop_all():
    """Refuse new workers and kill the live ones (their own threads then see end-of-file and clean up)."""
    _stopping.set()
    with _live_lock:
        live = list(_live)
    for worker in live:
        worker.signal_kill()


def allow_workers():
    """Undo `stop_all` (a new batch in the same process)."""
    _stopping.clear()


class _Worker:
    def __init__(self, scratch, limits, sandboxed):
        if _stopping.is_set():
            raise Stopped("the batch was interrupted")
        argv, env, cwd = sandbox.command(scratch, sandboxed, limits)
        self.cap = sandbox.Cgroups(limits)
        self.proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, start_new_session=True,
                                     preexec_fn=sandbox.limiter(limits, self.cap))
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.proc.stdout, selectors.EVENT_READ)
        self.buffer = bytearray()
        self.scanned = 0
        self.received = 0
        self.limit = limits.output_bytes
        with _live_lock:
            _live.add(self)
        if _stopping.is_set():       # stopped while this one was starting
            self.signal_kill()

    def send(self, message):
        self.send_raw((json.dumps(message) + "\n").encode())

    def send_raw(self, data):
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def next_event(self, deadline):
        """The next event, or "timeout", "eof" or "flood"."""
        while True:
            newline = self.buffer.find(b"\n", self.scanned)
            if newline >= 0:
                line = bytes(self.buffer[:newline])
                del self.buffer[:newline + 1]
                self.scanned = 0
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if isinstance(event, dict):
                    return event
                continue
            self.scanned = len(self.buffer)
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self.selector.select(remaining):
                return "timeout"
            chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not chunk:
                return "eof"
            self.received += len(chunk)
            if self.received > self.limit:
                return "flood"
            self.buffer += chunk

    def failure(self, event):
        """The status for a worker that stopped answering: "timeout", "eof" or "flood" from next_event."""
        if event == "eof" and self.cap.oom_killed():
            return "out-of-memory"
        return {"timeout": "timeout", "eof": "crashed", "flood": "output-flood"}[event]

    def signal_kill(self):
        """Kill the worker's processes only; the thread that owns it cleans up (cgroups, pipes)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.kill()
        except OSError:
            pass

    def kill(self):
        with _live_lock:
            _live.discard(self)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.kill()
        self.proc.wait()
        self.cap.kill_all()
        self.selector.close()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


def run(scratch, cells, calls, limits, sandboxed=True):
    """Execute `cells` (list of {"index", "source"}) then `calls` in a worker on `scratch`.

    Calls go one at a time. When a call times out, crashes the worker or raises, the other
    cases of the same item are skipped (the item has failed anyway) and get the same outcome;
    a worker that died is replaced by a fresh one for the calls that are left.
    """
    started = time.monotonic()
    result = Run()
    pending = list(calls)
    first, cells_reported = True, False

    def settle(call, outcome):
        """Record `outcome` for `call` and, if it failed, for the item's other pending cases."""
        nonlocal pending
        item = call.get("func") or call.get("var")
        result.outcomes[call["id"]] = outcome
        if outcome.kind == "result":
            pending = [c for c in pending if c["id"] != call["id"]]
            return
        for other in pending:
            if (other.get("func") or other.get("var")) == item:
                result.outcomes.setdefault(other["id"], outcome)
        pending = [c for c in pending if (c.get("func") or c.get("var")) != item]

    while first or pending:
        first = False
        worker = _Worker(scratch, limits, sandboxed)
        try:
            worker.send({"cells": cells})
            deadline = time.monotonic() + limits.notebook_seconds
            while True:
                event = worker.next_event(deadline)
                if event in ("timeout", "eof", "flood"):
                    result.status = worker.failure(event)
                    for call in pending:
                        result.outcomes[call["id"]] = Outcome(result.status)
                    result.seconds = time.monotonic() - started
                    return result
                if event.get("event") == "cell_error" and not cells_reported:
                    result.cell_errors.append(event)
                if event.get("event") == "ready":
                    break
            cells_reported = True
            while pending:
                call = pending[0]
                worker.send(encode_calls([call])[0])
                deadline = time.monotonic() + limits.test_seconds
                event = worker.next_event(deadline)
                while isinstance(event, dict) and event.get("id") != call["id"]:
                    event = worker.next_event(deadline)  # stray lines (forged or stale): ignore
                if event in ("timeout", "eof", "flood"):
                    settle(call, Outcome(worker.failure(event)))
                    break
                kind = event.get("event")
                if kind not in ("result", "error", "missing", "unplain"):
                    kind = "unplain"
                value = None
                if kind == "result":
                    try:
                        value = plain.decode(event.pop("value", None))
                    except (plain.PlainValueError, ValueError, TypeError, KeyError):
                        kind = "unplain"
                settle(call, Outcome(kind, value, event))
            else:
                worker.send_raw(b"\n")
        finally:
            worker.kill()
    result.seconds = time.monotonic() - started
    return result
