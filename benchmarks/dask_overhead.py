"""Overhead of grading through a Dask scheduler (`--scheduler`) against local in-process grading.

Makes a class of N submissions of c1w2_numpy_basics (half solved, half stubs), grades it with
`--jobs 2` in-process and through a scheduler with two single-thread workers on 127.0.0.1 (started
here, warm before timing), with the same seed, for two class sizes; prints wall times and the
per-submission cost (slope between the two sizes) of each route. Usage: python benchmarks/dask_overhead.py [N1 N2]
"""
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from grader.paths import NOTEBOOKS, SOLUTIONS  # noqa: E402

SLUG = "c1w2_numpy_basics"
BIN = Path(sys.executable).parent
ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def make_class(root, n):
    solved = (SOLUTIONS / SLUG / f"{SLUG}.ipynb").read_bytes()
    stub = (NOTEBOOKS / SLUG / f"{SLUG}.ipynb").read_bytes()
    for i in range(n):
        folder = root / f"s{i:04d}" / SLUG
        folder.mkdir(parents=True)
        (folder / f"{SLUG}.ipynb").write_bytes(solved if i % 2 == 0 else stub)


def timed(*args):
    """(wall seconds, CPU seconds of the command as rusage sees it: with --scheduler, the writer's alone)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "grader", "autograde", SLUG, *args, "--seed", "5", "--quiet"],
                   cwd=ROOT, env=ENV, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - t, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main(sizes):
    tmp = Path(tempfile.mkdtemp(prefix="dask-bench-"))
    procs = []
    try:
        sf = tmp / "scheduler.json"
        procs.append(subprocess.Popen([BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                                       "--no-dashboard", "--scheduler-file", sf], env=ENV, start_new_session=True,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        while not sf.exists():
            time.sleep(0.1)
        address = json.loads(sf.read_text())["address"]
        for _ in range(2):
            procs.append(subprocess.Popen([BIN / "dask", "worker", "--preload", "grader.daskworker", "--nthreads",
                                           "1", "--no-dashboard", address], env=ENV, start_new_session=True,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from distributed import Client
        with Client(address) as c:
            c.wait_for_workers(2, timeout=60)
        warm = tmp / "warm"
        make_class(warm, 4)
        timed("--submissions", str(warm), "--out", str(tmp / "warm-out"), "--scheduler", address)  # workers warm
        rows = {}
        for n in sizes:
            subs = tmp / f"class{n}"
            make_class(subs, n)
            (local, local_cpu) = timed("--submissions", str(subs), "--out", str(tmp / f"local{n}"), "--jobs", "2")
            (dask, dask_cpu) = timed("--submissions", str(subs), "--out", str(tmp / f"dask{n}"), "--scheduler", address)
            same = (tmp / f"local{n}" / "grades.csv").read_text() == (tmp / f"dask{n}" / "grades.csv").read_text()
            rows[n] = (local, dask, local_cpu, dask_cpu)
            print(f"N={n:4d}  local --jobs 2: {local:6.2f} s   --scheduler (2 workers): "
                  f"{dask:6.2f} s (writer {dask_cpu:5.1f} CPU s)   same grades.csv: {same}")
        a, b = sizes
        for i, name in enumerate(("local --jobs 2", "--scheduler, 2 workers")):
            slope = (rows[b][i] - rows[a][i]) / (b - a)
            print(f"{name}: {slope * 1000:.0f} ms per submission (wall, 2 at a time), "
                  f"fixed {rows[a][i] - slope * a:.2f} s")
        print(f"the writer (the autograde process, with --scheduler): "
              f"{(rows[b][3] - rows[a][3]) / (b - a) * 1000:.0f} ms CPU per result")
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            p.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:3]] if len(sys.argv) > 2 else [20, 80])
