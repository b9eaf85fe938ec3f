"""Run a notebook's cells and a list of calls in a worker, with time, memory and output limits.

A call that runs past its time limit is recorded as a timeout; the worker is killed and
a fresh one runs the calls that are left, so one endless loop costs one item, not all.
"""
import collections
import json
import os
import select
import selectors
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field

from . import pool, sandbox


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
    from .paths import plain
    from .spec import Ref

    def arg(value):
        return {"__ref__": value.name} if isinstance(value, Ref) else plain.encode(value)
    return [{**c, "kwargs": {k: arg(v) for k, v in c.get("kwargs", {}).items()}} for c in calls]


PIPELINE_BYTES = 32 << 10   # calls in flight at once: well under a pipe's 64 KiB


_lines = {}   # id(call) -> (call, its JSON line): a batch sends the same calls to every submission


def _line(call):
    found = _lines.get(id(call))
    if found is None or found[0] is not call:
        if len(_lines) > 100_000:
            _lines.clear()
        found = _lines[id(call)] = (call, (json.dumps(encode_calls([call])[0]) + "\n").encode())
    return found[1]


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
    """One sandboxed (or bare) worker process: forked by the warm pool where it serves, else a fresh one."""

    def __init__(self, scratch, limits, sandboxed):
        if _stopping.is_set():
            raise Stopped("the batch was interrupted")
        self.cap = sandbox.Cgroups(limits)
        self.proc = self.pidfd = None
        warm = pool.shared() if sandboxed else None
        if warm is not None and warm.holds(scratch):
            try:
                self.stdin, self.stdout, self.pidfd = warm.spawn(scratch, limits, self.cap)
            except pool.PoolError:   # the pool broke (it is restarted for the next job): a fresh sandbox
                self.cap.kill_all()
                self.cap = sandbox.Cgroups(limits)
            except BaseException:
                self.cap.kill_all()
                raise
        if self.pidfd is None:
            argv, env, cwd = sandbox.command(scratch, sandboxed, limits)
            self.proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, start_new_session=True,
                                         preexec_fn=sandbox.limiter(limits, self.cap))
            self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.stdout, selectors.EVENT_READ)
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
            self.stdin.write(data)
            self.stdin.flush()
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
            chunk = os.read(self.stdout.fileno(), 1 << 20)
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
        if self.pidfd is not None:   # PID 1 of its namespace: the rest of it dies with it
            pool.kill(self.pidfd)
            return
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
        self.signal_kill()
        if self.proc is not None:
            self.proc.wait()
        else:   # not our child: its pidfd turns readable when it has exited (then its cgroup empties at once)
            select.select([self.pidfd], [], [], 1.0)
        self.cap.kill_all()
        self.selector.close()
        for stream in (self.stdin, self.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None


def start(scratch, limits, sandboxed=True):
    """A worker on `scratch`, started now: pass it to run() as `started` (it imports meanwhile)."""
    return _Worker(scratch, limits, sandboxed)


def run(scratch, cells, calls, limits, sandboxed=True, started=None):
    """Execute `cells` (list of {"index", "source"}) then `calls` in a worker on `scratch`.

    Calls run one at a time, each with its own time limit, but are sent ahead of their answers.
    When a call times out, crashes the worker or raises, the other cases of the same item get the
    same outcome (the item has failed anyway; answers already on their way are not counted); a
    worker that died is replaced by a fresh one for the calls that are left.
    """
    from .paths import plain   # here, not at the top: see paths.py
    began = time.monotonic()
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
        worker = started if first and started is not None else _Worker(scratch, limits, sandboxed)
        first = False
        try:
            worker.send({"cells": cells})
            deadline = time.monotonic() + limits.notebook_seconds
            while True:
                event = worker.next_event(deadline)
                if event in ("timeout", "eof", "flood"):
                    result.status = worker.failure(event)
                    for call in pending:
                        result.outcomes[call["id"]] = Outcome(result.status)
                    result.seconds = time.monotonic() - began
                    return result
                if event.get("event") == "cell_error" and not cells_reported:
                    result.cell_errors.append(event)
                if event.get("event") == "ready":
                    break
            cells_reported = True
            to_send = list(pending)
            in_flight = collections.deque()   # (call, bytes) sent and not answered yet, in order
            in_flight_bytes = 0
            deadline = time.monotonic() + limits.test_seconds
            while True:
                # Calls go ahead of their answers while the pipe surely has room for them (no write can
                # block while the worker is blocked writing an answer): no round trip per call.
                while to_send:
                    if to_send[0]["id"] in result.outcomes:   # settled with its item's failure
                        to_send.pop(0)
                        continue
                    line = _line(to_send[0])
                    if in_flight and in_flight_bytes + len(line) > PIPELINE_BYTES:
                        break
                    worker.send_raw(line)
                    in_flight.append((to_send.pop(0), len(line)))
                    in_flight_bytes += len(line)
                if not in_flight:
                    worker.send_raw(b"\n")
                    break
                call, size = in_flight[0]
                event = worker.next_event(deadline)
                while isinstance(event, dict) and event.get("id") != call["id"]:
                    event = worker.next_event(deadline)  # stray lines (forged or stale): ignore
                if event in ("timeout", "eof", "flood"):
                    if call["id"] not in result.outcomes:
                        settle(call, Outcome(worker.failure(event)))
                    break   # the calls behind it are still pending: a fresh worker runs them
                in_flight.popleft()
                in_flight_bytes -= size
                deadline = time.monotonic() + limits.test_seconds   # the next call starts now
                if call["id"] in result.outcomes:
                    continue   # its item failed on an earlier case: this answer does not count
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
        finally:
            worker.kill()
    result.seconds = time.monotonic() - began
    return result
