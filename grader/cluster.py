"""Grading through a Dask cluster: `python -m grader autograde ... --scheduler tcp://HOST:PORT` (or `local`).

Each submission goes to the cluster as one task that carries the student's notebooks as bytes (no
shared filesystem): the worker, which has the project checkout and its environment, lays them out
as <tmp>/<student>/<slug>/<name>.ipynb, grades them with `autograde.grade_submission` in its own
sandbox with the limits the task names, and returns the plain result dict. The one process that runs
`autograde` is the only writer: it records results (gradebook, results JSON, feedback; then the CSV)
as they stream back (`distributed.as_completed`).

Tasks are pure: their key is made from the student, the assignment, the notebooks' hash, the seed and
the limits, so a retried or duplicated task is the same task, and the writer ignores a second result
for a student. A worker that dies is replaced (its nanny) and its task run elsewhere by the scheduler;
a submission that kills workers `distributed.scheduler.allowed-failures` times (KilledWorker) is
recorded as `crashed`, not as the grader's failure.
"""
import functools
import hashlib
import shutil
import tempfile
import time
from pathlib import Path

from . import provenance, spec as specs, verdict

LOCAL = "local"


def payload(folder):
    """{name: bytes} of the notebooks directly in a student's assignment folder, or None when it is absent."""
    folder = Path(folder)
    if not folder.is_dir():
        return None
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.suffix == ".ipynb"}


def task_key(slug, student, files, seed, limits, sandboxed):
    """A deterministic Dask key for grading these bytes with this seed and these limits."""
    h = hashlib.sha256()
    for name, data in sorted((files or {}).items()):
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    h.update(repr((files is None, seed, sorted(vars(limits).items()), bool(sandboxed))).encode())
    return f"grade-{slug}-{student}-{h.hexdigest()[:24]}"


@functools.lru_cache(maxsize=8)
def _prepared(slug, seed):
    """(spec, calls, reference, diagnose, assignment fingerprint), once per worker process and (slug, seed)."""
    from . import build, catalogue
    spec = specs.load(slug)
    calls = specs.hidden_calls(spec, seed)
    entries = catalogue.load(slug)
    reference, entry_values = build.reference_outcomes(spec, calls, entries=entries)
    return spec, calls, reference, (entries, entry_values) if entries else None, provenance.assignment(slug)


def grade_remote(slug, student, files, seed, limits, sandboxed, assignment_hash):
    """The task run on a worker: grade one student's notebooks (bytes) and return the plain result dict."""
    from .autograde import grade_submission
    spec, calls, reference, diagnose, here = _prepared(slug, seed)
    if assignment_hash != here:
        raise RuntimeError(f"this worker's checkout grades {slug} differently (assignment fingerprint {here[:12]}, "
                           f"the scheduler's client has {assignment_hash[:12]}): update it to the same commit")
    scratch = Path(tempfile.mkdtemp(prefix="dask-submission-"))
    try:
        folder = scratch / student / slug  # student ids are folder names on the client's side
        if files is not None:
            folder.mkdir(parents=True)
            for name, data in files.items():
                if "/" in name or name in ("", ".", ".."):
                    continue
                (folder / name).write_bytes(data)
        return grade_submission(spec, folder, calls, reference, limits, sandboxed, diagnose)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _stop_sandboxes():
    """On a LocalCluster's worker that is about to close: kill its live sandboxes (run.stop_all)."""
    from . import run
    run.stop_all()


def connect(scheduler, jobs=None):
    """(client, cleanup) for `scheduler`: an address (tcp://HOST:PORT, or a scheduler file's path) or `local`."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - installed by `make setup`
        raise SystemExit("error: --scheduler needs dask and distributed (make setup, or pip install -r "
                         "requirements.txt)")
    if scheduler == LOCAL:
        import os
        cluster = LocalCluster(n_workers=max(1, jobs or os.cpu_count() or 1), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)

        def cleanup():
            try:   # an interrupted batch: end the sandboxes still running, so the workers close at once
                client.run(_stop_sandboxes, wait=True)
            except Exception:
                pass
            client.close()
            cluster.close()
        return client, cleanup
    if "://" not in scheduler and Path(scheduler).is_file():
        client = Client(scheduler_file=scheduler, timeout="30s")
    else:
        client = Client(scheduler, timeout="30s")
    return client, client.close


def grade_all(client, spec, students, folders, seed, limits, sandboxed, stop, window=None):
    """Yield (student, result dict) as results come back, each student once; stop early when `stop()`.

    `folders` maps student -> the assignment folder holding their notebooks (read here, sent as bytes).
    At most `window` tasks are in flight (default: four per worker thread, at least 64), so a large class's
    notebooks are not all held by the scheduler at once. An exception from a task becomes a grader-error
    result, a KilledWorker a crashed one.
    """
    from distributed import as_completed
    from distributed.scheduler import KilledWorker
    assignment_hash = provenance.assignment(spec.slug)
    if window is None:
        try:
            threads = sum(client.nthreads().values())
        except Exception:
            threads = 0
        window = max(64, 4 * threads)
    queue = list(students)
    futures = {}

    def submit():
        s = queue.pop(0)
        files = payload(folders[s])
        key = task_key(spec.slug, s, files, seed, limits, sandboxed)
        future = client.submit(grade_remote, spec.slug, s, files, seed, limits, sandboxed, assignment_hash,
                               key=key, pure=True, retries=1)
        futures[future] = s
        return future

    seen = set()
    done = as_completed([submit() for _ in range(min(window, len(queue)))])
    try:
        while not done.is_empty():
            if stop():
                return
            if not done.has_ready():
                time.sleep(0.05)
                continue
            for future in done.next_batch(block=False):
                if queue:
                    done.add(submit())
                student = futures.pop(future, None)
                if student is None or student in seen:   # a duplicate: the first result stands
                    continue
                seen.add(student)
                try:
                    result = future.result()
                except KilledWorker:
                    result = {"items": [i.as_dict() for i in verdict.everything(
                        spec, "crashed", "your notebook stopped the grading machine repeatedly, so it could "
                                         "not be graded")], "notes": []}
                except Exception as exc:
                    result = {"items": [i.as_dict() for i in verdict.everything(
                        spec, "grader-error", f"the grader failed on this submission ({type(exc).__name__}); "
                                              "ask your instructor")], "notes": []}
                future.release()   # the scheduler may forget it (and its notebook bytes)
                yield student, result
    finally:
        pending = [f for f in futures if not f.done()]
        if pending:
            client.cancel(pending)
