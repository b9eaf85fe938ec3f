"""Time and peak memory of every solution notebook, run top to bottom in its student folder.

The budget of an assignment (issues of Courses 4 and 5): under 60 s on the 2-core machine and
under 2 GiB. Each notebook runs in a fresh process (nbclient and its kernel); the peak resident
memory is the largest single process among them (the kernel, in practice). Run on demand, on an
otherwise idle machine:

    python benchmarks/notebooks.py                 # every assignment
    python benchmarks/notebooks.py c4w1b_convnet_application c5w4_transformer
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import spec as specs  # noqa: E402
from grader.paths import NOTEBOOKS, SOLUTIONS  # noqa: E402
from grader.stage import stage  # noqa: E402

BUDGET_SECONDS, BUDGET_GIB = 60, 2.0

RUNNER = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": sys.argv[2]}}).execute()
"""


def measure(slug):
    """(seconds, peak GiB) of one solution notebook run in a staged copy of its release."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{slug}-") as tmp:
        path = stage(NOTEBOOKS / slug, SOLUTIONS / slug / f"{slug}.ipynb", tmp)
        env = {**os.environ, "MPLBACKEND": "Agg"}
        started = time.monotonic()
        # a fresh child per notebook, so that RUSAGE_CHILDREN's peak is this notebook's alone
        pid = os.fork()
        if pid == 0:
            code = subprocess.run([sys.executable, "-c", RUNNER, str(path), tmp], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            os._exit(code)
        _, status, usage = os.wait4(pid, 0)
        seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{slug}: the solution notebook failed")
    return seconds, usage.ru_maxrss / 2 ** 20     # ru_maxrss is in KiB on Linux


def main(slugs):
    print(f"cores: {os.cpu_count()}, load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'assignment':36} {'seconds':>8} {'peak GiB':>9}  budget ({BUDGET_SECONDS} s, {BUDGET_GIB:g} GiB)")
    over = 0
    for slug in slugs:
        seconds, gib = measure(slug)
        ok = seconds < BUDGET_SECONDS and gib < BUDGET_GIB
        over += not ok
        print(f"{slug:36} {seconds:8.1f} {gib:9.2f}  {'ok' if ok else 'OVER'}", flush=True)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or specs.slugs()))
