"""The warm pool (grader/pool.py, grader/zygote.py): what forking workers from one warm parent could break.

Each worker must be as confined as a fresh sandbox (tests/test_integrity.py runs the hostile class
through the pool too), and in addition: it cannot see, signal or trace a sibling or the parent,
finds no other student's data in memory or on disk, and nothing it changes reaches the next worker.
"""
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from grader import autograde, pool, run, sandbox
from grader.paths import SOLUTIONS

LIMITS = sandbox.Limits(test_seconds=20, notebook_seconds=20, memory_bytes=2 << 30, processes=32)


@pytest.fixture
def warm(sandboxed, monkeypatch):
    if not sandboxed:
        pytest.skip("the pool needs the sandbox (bubblewrap)")
    monkeypatch.delenv("GRADER_POOL", raising=False)
    with pool.serving():
        served = pool.shared()
        assert served is not None, "the pool did not start"
        yield served


def in_worker(source, func="probe", files=None, kwargs=None, anyhow=False):
    """Run `source` (defining `func`) in a pooled worker and return what `func(**kwargs)` returned
    (`anyhow`: the run.Outcome, whatever it was)."""
    scratch = pool.scratch("pool-test-")
    for name, text in (files or {}).items():
        (scratch / name).write_text(text)
    result = run.run(scratch, [{"index": 0, "source": source}],
                     [{"id": "c", "func": func, "kwargs": kwargs or {}}], LIMITS, True)
    assert result.cell_errors == [], result.cell_errors
    outcome = result.outcomes["c"]
    if anyhow:
        return outcome
    assert outcome.kind == "result", (outcome.kind, outcome.detail)
    return outcome.value


CONFINEMENT = r'''
import ctypes, os, socket
libc = ctypes.CDLL(None, use_errno=True)

def attempt(f):
    try:
        f()
        return "allowed"
    except OSError as exc:
        return "refused"

def probe():
    status = dict(l.split(":", 1) for l in open("/proc/self/status").read().splitlines() if ":" in l)
    caps = {k: int(status[k].strip(), 16) for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")}
    def write(path):
        with open(path, "w") as f:
            f.write("x")
    def connect():
        socket.create_connection(("127.0.0.1", 22), timeout=0.5)
    return {
        "uid": [os.getuid(), os.geteuid(), os.getgid()],
        "caps": caps,
        "no_new_privs": int(status["NoNewPrivs"].strip()),
        "pid": os.getpid(),
        "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
        "hostname": socket.gethostname(),
        "jobs": os.listdir("/jobs") if os.path.isdir("/jobs") else [],
        "unshare_user": libc.unshare(0x10000000),
        "mount": libc.mount(b"none", b"/tmp", b"tmpfs", 0, None),
        "write": {p: attempt(lambda p=p: write(p)) for p in
                  ("/x", "/grader/x", "/grader/worker.py", "/jobs/x", "/usr/x", "/dev/x", "/proc/x",
                   "/submission/staged.txt", "/submission/new.txt", "/tmp/new.txt", "/dev/shm/new.txt")},
        "network": attempt(connect),
        "late_import": attempt(lambda: __import__("tqdm")),   # a library the pool's parent never loaded
        "tmp": sorted(os.listdir("/tmp")),
    }
'''


def test_a_worker_is_as_confined_as_a_fresh_sandbox(warm):
    seen = in_worker(CONFINEMENT, files={"staged.txt": "given"})
    assert seen["uid"] == [65534, 65534, 65534]
    assert seen["caps"] == {"CapInh": 0, "CapPrm": 0, "CapEff": 0, "CapBnd": 0, "CapAmb": 0}
    assert seen["no_new_privs"] == 1
    assert seen["pid"] == 1 and seen["pids"] == [1]     # alone in its PID namespace
    assert seen["hostname"] == "sandbox"
    assert seen["jobs"] == []                           # other students' staged folders are detached
    assert seen["unshare_user"] != 0 and seen["mount"] != 0
    writable = {p for p, verdict in seen["write"].items() if verdict == "allowed"}
    assert writable == {"/submission/new.txt", "/tmp/new.txt", "/dev/shm/new.txt"}
    assert seen["network"] == "refused"
    # what the pool's sandbox bound under /tmp (a Python in a temporary folder, as in CI; matplotlib's
    # font cache) is still there under the worker's own /tmp, and nothing else of the pool's
    assert seen["late_import"] == "allowed"
    assert set(seen["tmp"]) <= {"new.txt", "matplotlib"} | {Path(sys.prefix).parts[2]} if \
        sys.prefix.startswith("/tmp/") else set(seen["tmp"]) <= {"new.txt", "matplotlib"}
    assert warm.spawned >= 1


SIBLING = r'''
import ctypes, os, socket, time
libc = ctypes.CDLL(None, use_errno=True)

def hold(seconds):
    # a sibling's footholds: an abstract socket, a System V shared memory segment, a process
    s = socket.socket(socket.AF_UNIX)
    s.bind("\0grader-pool-test")
    s.listen(1)
    shm = libc.shmget(0x4752, 4096, 0o1666)
    time.sleep(seconds)
    return shm

def look():
    visible = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
    signalled = []
    for pid in range(2, 1 << 15):
        try:
            os.kill(pid, 0)
            signalled.append(pid)
        except OSError:
            pass
    traced = [pid for pid in range(2, 64) if libc.ptrace(16, pid, None, None) == 0]   # PTRACE_ATTACH
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect("\0grader-pool-test")
        reached = True
    except OSError:
        reached = False
    return {"visible": visible, "signalled": signalled, "traced": traced, "socket": reached,
            "shm": libc.shmget(0x4752, 4096, 0o666)}
'''


def test_workers_cannot_see_signal_or_trace_each_other_or_the_parent(warm):
    held = {}
    holder = threading.Thread(target=lambda: held.update(v=in_worker(SIBLING, "hold", kwargs={"seconds": 3})))
    holder.start()
    time.sleep(1.0)
    seen = in_worker(SIBLING, "look")
    holder.join()
    assert held["v"] >= 0, "the sibling could not make its shared memory segment"
    assert seen == {"visible": [1], "signalled": [], "traced": [], "socket": False, "shm": -1}


def _zygote_pid(pool_proc_pid):
    """The pool's parent (zygote.py), a descendant of its bubblewrap process."""
    stack = [pool_proc_pid]
    while stack:
        pid = stack.pop()
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"zygote.py" in cmdline and not cmdline.startswith(b"/usr/bin/bwrap"):
                return child
            stack.append(child)
    raise AssertionError("no zygote under the pool's sandbox")


def _memory_holds(pid, needle):
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for line in maps:
            span, perms = line.split()[:2]
            if "r" not in perms or line.rstrip().endswith(("[vvar]", "[vsyscall]")):
                continue
            start, end = (int(x, 16) for x in span.split("-"))
            try:
                mem.seek(start)
                if needle in mem.read(end - start):
                    return True
            except (OSError, OverflowError, ValueError):
                continue
    return False


SEARCH = r'''
import os

def search(marker):
    found = []
    for top in ("/submission", "/tmp", "/dev/shm", "/grader", "/jobs", "/root", "/home", "/work", "/var"):
        for folder, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if d not in ("site-packages", "include", "share", "lib", ".git")]
            for name in files:
                path = os.path.join(folder, name)
                try:
                    with open(path, "rb") as f:
                        if marker.encode() in name.encode() + f.read(1 << 20):
                            found.append(path)
                except OSError:
                    pass
    return found
'''


def test_no_other_students_data_reaches_the_parent_or_the_next_worker(warm):
    marker = "student-" + os.urandom(8).hex()
    secret_cell = f"SECRET = {marker!r} * 1000\ndef keep():\n    return len(SECRET)\n"
    held = {}
    holder = threading.Thread(target=lambda: held.update(v=in_worker(
        secret_cell + "import time\ndef probe():\n    time.sleep(3)\n    return keep()\n",
        files={f"{marker}.txt": marker * 100})))
    holder.start()
    time.sleep(1.0)
    assert in_worker(SEARCH, "search", kwargs={"marker": marker}) == []      # while it runs
    holder.join()
    assert held["v"] == len(marker) * 1000
    assert in_worker(SEARCH, "search", kwargs={"marker": marker}) == []      # and after
    assert not _memory_holds(_zygote_pid(warm.proc.pid), marker.encode())
    assert not any(marker in p.name for p in warm.jobs.iterdir())


TAMPER = r'''
import builtins, os, signal, sys, threading, time, types
import numpy as np
import matplotlib

def tamper():
    np.sum = lambda *a, **k: 42
    builtins.len = lambda x: 42
    sys.modules["json"] = types.ModuleType("json")
    sys.path.insert(0, "/tmp/evil")
    os.environ["GRADER_TAMPERED"] = "1"
    signal.signal(signal.SIGTERM, lambda *a: None)
    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
    np.seterr(all="raise")
    matplotlib.rcParams["lines.linewidth"] = 42.0
    ip = get_ipython()
    ip.input_transformers_cleanup.append(lambda lines: ["raise SystemExit\n"])
    ip.user_ns_hidden["evil"] = 1
    for path in ("/tmp/evil.txt", "/dev/shm/evil.txt", "/submission/evil.txt"):
        with open(path, "w") as f:
            f.write("evil")
'''

INSPECT = r'''
import builtins, os, signal, sys, threading
import numpy as np
import matplotlib

def inspect():
    return {
        "sum": np.sum(np.arange(4)),
        "len": builtins.len([1, 2]),
        "json": hasattr(sys.modules.get("json"), "dumps"),
        "path": "/tmp/evil" in sys.path,
        "env": os.environ.get("GRADER_TAMPERED"),
        "sigterm": signal.getsignal(signal.SIGTERM) == signal.SIG_DFL,
        "threads": threading.active_count(),
        "seterr": np.geterr()["divide"],
        "rc": float(matplotlib.rcParams["lines.linewidth"]),
        "transformers": len(get_ipython().input_transformers_cleanup),
        "hidden": "evil" in get_ipython().user_ns_hidden,
        "files": [p for p in ("/tmp/evil.txt", "/dev/shm/evil.txt", "/submission/evil.txt") if os.path.exists(p)],
    }
'''


def test_nothing_a_worker_changes_reaches_the_next(warm):
    before = in_worker(INSPECT, "inspect")
    in_worker(TAMPER, "tamper", anyhow=True)   # with len() replaced, its own answer may not get out
    after = in_worker(INSPECT, "inspect")
    assert after == before
    assert before["sum"] == 6 and before["len"] == 2 and before["files"] == [] and before["threads"] == 1


def test_a_pool_killed_from_outside_is_replaced(warm):
    assert in_worker("def probe():\n    return 1\n") == 1
    os.killpg(warm.proc.pid, signal.SIGKILL)
    warm.proc.wait()
    assert in_worker("def probe():\n    return 2\n") == 2
    assert pool.shared() is not warm


def test_where_the_pool_cannot_start_each_job_gets_a_fresh_sandbox(sandboxed, monkeypatch, tmp_path):
    if not sandboxed:
        pytest.skip("needs the sandbox (bubblewrap)")
    monkeypatch.delenv("GRADER_POOL", raising=False)
    monkeypatch.setattr(sandbox, "pool_command", lambda *a, **k: ["/bin/sh", "-c", "echo no namespaces here >&2"])
    notices = []
    with pool.serving(log=notices.append):
        assert pool.shared() is None
        scratch = pool.scratch("pool-test-")
        result = run.run(scratch, [{"index": 0, "source": "def f():\n    return 3\n"}],
                         [{"id": "c", "func": "f", "kwargs": {}}], LIMITS, True)
    assert result.outcomes["c"].value == 3
    assert len(notices) == 1 and "without the warm pool" in notices[0] and "no namespaces here" in notices[0]


def test_a_batch_is_graded_through_the_pool_and_leaves_nothing_running(sandboxed, monkeypatch, tmp_path):
    if not sandboxed:
        pytest.skip("needs the sandbox (bubblewrap)")
    monkeypatch.delenv("GRADER_POOL", raising=False)
    slug = "c1w2_numpy_basics"
    for student in ("ann", "bob", "cid"):
        folder = tmp_path / "subs" / student / slug
        folder.mkdir(parents=True)
        (folder / f"{slug}.ipynb").write_bytes((SOLUTIONS / slug / f"{slug}.ipynb").read_bytes())
    spawned = []
    real_spawn = pool.Pool.spawn

    def counting(self, *a, **k):
        spawned.append(self)
        return real_spawn(self, *a, **k)
    monkeypatch.setattr(pool.Pool, "spawn", counting)
    csv_path = autograde.autograde(slug, tmp_path / "subs", tmp_path / "out", jobs=2, sandboxed=True, quiet=True)
    text = Path(csv_path).read_text()
    assert text.count(",passed") == 3 * 8
    assert len(spawned) >= 3
    served = spawned[0]
    assert served.proc.poll() is not None, "the pool outlived its batch"
    assert not served.jobs.exists()
    assert pool.shared() is None


def test_pool_can_be_turned_off(sandboxed, monkeypatch):
    if not sandboxed:
        pytest.skip("needs the sandbox (bubblewrap)")
    monkeypatch.setenv("GRADER_POOL", "off")
    with pool.serving():
        assert pool.shared() is None
    assert json.loads(json.dumps(pool.enabled())) is False
