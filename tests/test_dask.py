"""Grading through a Dask cluster (`--scheduler`): a scheduler and two workers started here on 127.0.0.1,
the same grades as a local run with the same seed, and a worker killed mid-run that loses and duplicates
nothing. Every process started here is stopped at the end (their whole process groups)."""
import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from grader import cluster, daskworker
from grader.paths import NOTEBOOKS, ROOT, SOLUTIONS

distributed = pytest.importorskip("distributed")

SLUG = "c1w2_numpy_basics"
SOLVED = SOLUTIONS / SLUG / f"{SLUG}.ipynb"
STUB = NOTEBOOKS / SLUG / f"{SLUG}.ipynb"
ITEMS = 8
DASK = str(Path(sys.executable).parent / "dask")
ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
       "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def sleeper(seconds):
    nb = json.loads(SOLVED.read_text())
    nb["cells"].insert(1, {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                           "source": f"import time\ntime.sleep({seconds})"})
    return json.dumps(nb).encode()


def put(root, student, data, name=None):
    folder = root / student / SLUG
    folder.mkdir(parents=True, exist_ok=True)
    (folder / (name or f"{SLUG}.ipynb")).write_bytes(data)


def grade(*args, **kw):
    return subprocess.run([sys.executable, "-m", "grader", "autograde", SLUG, *args], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=120, **kw)


def rows(csv_path):
    return sorted(tuple(r) for r in csv.reader(open(csv_path)))[:-1]   # without the header (sorts last)


def gradebook_students(db):
    with sqlite3.connect(db) as con:
        return Counter(r[0] for r in con.execute(
            "select student.id from submitted_assignment join student on student.id = submitted_assignment.student_id"))


def _stop(procs):
    for p in procs:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 10
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for p in procs:   # whatever is left of each group (the nanny's worker, its sandboxes)
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory, sandboxed):
    """(scheduler address, client): `dask scheduler` and two `dask worker --preload grader.daskworker`."""
    tmp = tmp_path_factory.mktemp("dask")
    scheduler_file = tmp / "scheduler.json"
    procs = []
    env = ENV if sandboxed else {**ENV, "GRADER_WORKER_NO_SANDBOX": "1"}
    logs = []
    try:
        def start(*argv, name):
            log = open(tmp / f"{name}.log", "wb")
            logs.append(log)
            procs.append(subprocess.Popen([DASK, *argv], cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT,
                                          start_new_session=True))
        start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
              str(scheduler_file), name="scheduler")
        deadline = time.monotonic() + 30
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for i in range(2):
            start("worker", "--preload", "grader.daskworker", "--nthreads", "1", "--no-dashboard",
                  "--host", "127.0.0.1", "--name", f"w{i}", address, name=f"worker{i}")
        client = distributed.Client(address, timeout="30s")
        try:
            client.wait_for_workers(2, timeout=60)
            yield address, client
        finally:
            client.close()
    finally:
        _stop(procs)
        for log in logs:
            log.close()


def test_worker_preload_refuses_without_the_sandbox_and_names_the_fix(monkeypatch):
    from grader import sandbox

    def broken():
        raise sandbox.SandboxUnavailable("bubblewrap cannot create namespaces here")
    monkeypatch.setattr(sandbox, "check_available", broken)
    monkeypatch.delenv("GRADER_WORKER_NO_SANDBOX", raising=False)
    with pytest.raises(daskworker.SandboxMissing) as info:
        daskworker.dask_setup(None)
    assert "bubblewrap" in str(info.value) and "user namespaces" in str(info.value)


def test_a_worker_without_bubblewrap_exits_naming_the_fix(dask_cluster, tmp_path):
    address, client = dask_cluster
    no_bwrap = {**ENV, "PATH": str(Path(sys.executable).parent)}   # no /usr/bin: bubblewrap is not found
    no_bwrap.pop("GRADER_WORKER_NO_SANDBOX", None)
    r = subprocess.run([DASK, "worker", "--preload", "grader.daskworker", "--no-dashboard", "--host", "127.0.0.1",
                        address], cwd=tmp_path, env=no_bwrap, capture_output=True, text=True, timeout=60,
                       start_new_session=True)
    assert r.returncode != 0
    assert "grader worker cannot start" in r.stderr and "apt-get install bubblewrap" in r.stderr
    assert "user namespaces" in r.stderr
    assert len(client.scheduler_info()["workers"]) == 2     # it never joined


def test_task_keys_are_pure():
    from grader.sandbox import Limits
    files = {f"{SLUG}.ipynb": b"{}"}
    key = cluster.task_key(SLUG, "ada", files, 7, Limits(), True)
    assert key == cluster.task_key(SLUG, "ada", dict(files), 7, Limits(), True)
    assert key != cluster.task_key(SLUG, "ada", files, 8, Limits(), True)
    assert key != cluster.task_key(SLUG, "ada", {f"{SLUG}.ipynb": b"{ }"}, 7, Limits(), True)
    assert key != cluster.task_key(SLUG, "ada", None, 7, Limits(), True)


def test_cluster_grades_equal_a_local_run(tmp_path, dask_cluster, sandboxed):
    address, _ = dask_cluster
    subs = tmp_path / "subs"
    for i in range(5):
        put(subs, f"s{i}", SOLVED.read_bytes() if i % 2 == 0 else STUB.read_bytes())
    put(subs, "renamed", SOLVED.read_bytes(), name="my_copy.ipynb")
    put(subs, "broken", b"{not json")
    (subs / "absent").mkdir()
    flags = ["--seed", "1234", "--quiet"] + ([] if sandboxed else ["--no-sandbox"])
    local = grade("--submissions", str(subs), "--out", str(tmp_path / "local"), *flags)
    assert local.returncode == 0, local.stderr
    remote = grade("--submissions", str(subs), "--out", str(tmp_path / "remote"), "--scheduler", address, *flags)
    assert remote.returncode == 0, remote.stderr
    assert rows(tmp_path / "remote" / "grades.csv") == rows(tmp_path / "local" / "grades.csv")
    assert len(rows(tmp_path / "remote" / "grades.csv")) == 8 * ITEMS
    assert gradebook_students(tmp_path / "remote" / "gradebook.db") == Counter({s: 1 for s in [
        "s0", "s1", "s2", "s3", "s4", "renamed", "broken", "absent"]})
    # a second run through the cluster reuses every stored result, like a local one
    again = grade("--submissions", str(subs), "--out", str(tmp_path / "remote"), "--scheduler", address, *flags)
    assert again.returncode == 0, again.stderr
    assert rows(tmp_path / "remote" / "grades.csv") == rows(tmp_path / "local" / "grades.csv")


def test_scheduler_local_grades_equal_a_local_run(tmp_path, sandboxed):
    subs = tmp_path / "subs"
    put(subs, "ada", SOLVED.read_bytes())
    put(subs, "bob", STUB.read_bytes())
    (subs / "cy").mkdir()
    flags = ["--seed", "42", "--quiet"] + ([] if sandboxed else ["--no-sandbox"])
    local = grade("--submissions", str(subs), "--out", str(tmp_path / "local"), *flags)
    assert local.returncode == 0, local.stderr
    lc = grade("--submissions", str(subs), "--out", str(tmp_path / "lc"), "--scheduler", "local", "--jobs", "2", *flags)
    assert lc.returncode == 0, lc.stderr
    assert rows(tmp_path / "lc" / "grades.csv") == rows(tmp_path / "local" / "grades.csv")
    assert len(rows(tmp_path / "lc" / "grades.csv")) == 3 * ITEMS


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(tmp_path, dask_cluster, sandboxed):
    address, client = dask_cluster
    subs = tmp_path / "subs"
    students = [f"s{i:02d}" for i in range(8)]
    for i, s in enumerate(students):
        put(subs, s, sleeper(3) if i % 2 == 0 else STUB.read_bytes())
    flags = ["--seed", "99", "--quiet"] + ([] if sandboxed else ["--no-sandbox"])
    run = subprocess.Popen([sys.executable, "-m", "grader", "autograde", SLUG, "--submissions", str(subs),
                            "--out", str(tmp_path / "out"), "--scheduler", address, *flags],
                           cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           start_new_session=True)
    try:
        victim = None
        deadline = time.monotonic() + 60
        while victim is None and time.monotonic() < deadline and run.poll() is None:
            busy = [w for w, keys in client.processing().items() if any(str(k).startswith("grade-") for k in keys)]
            if busy:
                time.sleep(0.5)   # well inside a task (sleepers take 3 s)
                victim = busy[0]
            else:
                time.sleep(0.05)
        assert victim is not None, "no grading task ever ran"
        pid = client.run(os.getpid, workers=[victim])[victim]
        os.kill(pid, signal.SIGKILL)
        out, err = run.communicate(timeout=90)
        assert run.returncode == 0, err
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    graded = rows(tmp_path / "out" / "grades.csv")
    assert Counter((r[0], r[2]) for r in graded) == Counter({(s, i): 1 for s in students for i in
                                                             {r[2] for r in graded}})
    assert len(graded) == len(students) * ITEMS
    totals = Counter()
    for r in graded:
        totals[r[0]] += float(r[3])
    assert totals == Counter({s: (ITEMS if i % 2 == 0 else 0) for i, s in enumerate(students)}) + Counter()
    assert all(r[5] != "grader-error" for r in graded)
    assert gradebook_students(tmp_path / "out" / "gradebook.db") == Counter({s: 1 for s in students})
    assert len(list((tmp_path / "out" / "results").glob(f"*/{SLUG}.json"))) == len(students)
    # the nanny replaced the dead worker
    client.wait_for_workers(2, timeout=30)


def test_a_submission_that_kills_workers_is_crashed_and_a_failing_task_a_grader_error(monkeypatch, tmp_path):
    """KilledWorker (the scheduler gave up after allowed-failures deaths) is the submission's crash; any
    other exception is the grader's own failure; a second result for a student is ignored."""
    from distributed.scheduler import KilledWorker
    from grader import spec as specs
    from grader.sandbox import Limits

    class Future:
        def __init__(self, outcome):
            self.outcome = outcome

        def done(self):
            return True

        def release(self):
            pass

        def result(self):
            if isinstance(self.outcome, BaseException):
                raise self.outcome
            return self.outcome

    outcomes = iter([KilledWorker("grade-x", "tcp://127.0.0.1:1", 3), RuntimeError("disk full"),
                     {"items": [], "notes": []}])

    class Client:
        def submit(self, *args, **kw):
            assert kw["pure"] and kw["key"].startswith(f"grade-{SLUG}-")
            return Future(next(outcomes))

        def cancel(self, futures):
            pass

    class AsCompleted:
        def __init__(self, futures):
            self.futures = futures + futures[-1:]   # the last one arrives twice

        def add(self, future):
            self.futures.append(future)

        def is_empty(self):
            return not self.futures

        def has_ready(self):
            return True

        def next_batch(self, block=True):
            batch, self.futures = self.futures, []
            return batch

    monkeypatch.setattr(distributed, "as_completed", AsCompleted)
    spec = specs.load(SLUG)
    folders = {s: tmp_path / s / SLUG for s in ("a", "b", "c")}
    got = list(cluster.grade_all(Client(), spec, ["a", "b", "c"], folders, 1, Limits(), True, stop=lambda: False,
                                 window=2))   # two in flight, the third submitted as the first comes back
    assert [s for s, _ in got] == ["a", "b", "c"]
    assert {i["status"] for i in got[0][1]["items"]} == {"crashed"}
    assert {i["status"] for i in got[1][1]["items"]} == {"grader-error"}


def test_ctrl_c_with_a_local_cluster_stops_at_once_and_keeps_what_is_done(tmp_path, sandboxed):
    subs = tmp_path / "subs"
    put(subs, "fast0", SOLVED.read_bytes())
    put(subs, "fast1", STUB.read_bytes())
    for i in range(2):
        put(subs, f"slow{i}", sleeper(60))
    out = tmp_path / "out"
    flags = ["--seed", "3", "--quiet"] + ([] if sandboxed else ["--no-sandbox"])
    run = subprocess.Popen([sys.executable, "-m", "grader", "autograde", SLUG, "--submissions", str(subs), "--out",
                            str(out), "--scheduler", "local", "--jobs", "2", *flags], cwd=ROOT, env=ENV,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(list((out / "results").glob(f"*/{SLUG}.json"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        started = time.monotonic()
        run.send_signal(signal.SIGINT)
        _, err = run.communicate(timeout=30)
        assert time.monotonic() - started < 5
        assert run.returncode == 130, err
        assert "To resume" in err
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    assert {r[0] for r in rows(out / "grades.csv")} == {"fast0", "fast1"}
