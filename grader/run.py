"""Run a notebook's cells and a list of calls in a worker, with time, memory and output limits.

A call that runs past its time limit is recorded as a timeout; the worker is killed and
a fresh one runs the calls that are left, so one endless loop costs one item, not all.
"""
import json
import os
import selectors
import signal
import subprocess
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


class _Worker:
    def __init__(self, scratch, limits, sandboxed):
        argv, env, cwd = sandbox.command(scratch, sandboxed)
        self.proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, start_new_session=True,
                                     preexec_fn=sandbox.limiter(limits))
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.proc.stdout, selectors.EVENT_READ)
        self.buffer = b""
        self.received = 0
        self.limit = limits.output_bytes

    def send(self, message):
        try:
            self.proc.stdin.write((json.dumps(message) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def next_event(self, deadline):
        """The next event, or "timeout", "eof" or "flood"."""
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "timeout"
            if not self.selector.select(remaining):
                return "timeout"
            chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
            if not chunk:
                return "eof"
            self.received += len(chunk)
            if self.received > self.limit:
                return "flood"
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            event = json.loads(line)
        except ValueError:
            return self.next_event(deadline)
        return event if isinstance(event, dict) else self.next_event(deadline)

    def kill(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.kill()
        self.proc.wait()
        self.selector.close()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


def run(scratch, cells, calls, limits, sandboxed=True):
    """Execute `cells` (list of {"index", "source"}) then `calls` in a worker on `scratch`."""
    started = time.monotonic()
    result = Run()
    pending = list(calls)
    first, cells_reported = True, False
    while first or pending:
        first = False
        worker = _Worker(scratch, limits, sandboxed)
        try:
            worker.send({"cells": cells})
            deadline = time.monotonic() + limits.notebook_seconds
            while True:
                event = worker.next_event(deadline)
                if event in ("timeout", "eof", "flood"):
                    result.status = {"timeout": "timeout", "eof": "crashed", "flood": "output-flood"}[event]
                    for call in pending:
                        result.outcomes[call["id"]] = Outcome(result.status)
                    result.seconds = time.monotonic() - started
                    return result
                if event.get("event") == "cell_error" and not cells_reported:
                    result.cell_errors.append(event)
                if event.get("event") == "ready":
                    break
            cells_reported = True
            worker.send({"calls": encode_calls(pending)})
            current = None
            while pending:
                deadline = time.monotonic() + limits.test_seconds
                event = worker.next_event(deadline)
                if event in ("timeout", "eof", "flood"):
                    kind = {"timeout": "timeout", "eof": "crashed", "flood": "output-flood"}[event]
                    if current is None:
                        current = pending[0]["id"]
                    result.outcomes[current] = Outcome(kind)
                    pending = [c for c in pending if c["id"] != current]
                    break
                kind, cid = event.get("event"), event.get("id")
                if kind == "start":
                    current = cid
                elif kind in ("result", "error", "missing", "unplain") and any(c["id"] == cid for c in pending):
                    try:
                        value = plain.decode(event.pop("value", None))
                    except (plain.PlainValueError, ValueError, TypeError, KeyError):
                        kind, value = "unplain", None
                    result.outcomes[cid] = Outcome(kind, value, event)
                    pending = [c for c in pending if c["id"] != cid]
                    current = None
                elif kind == "done":
                    for call in pending:
                        result.outcomes[call["id"]] = Outcome("crashed")
                    pending = []
        finally:
            worker.kill()
    result.seconds = time.monotonic() - started
    return result
