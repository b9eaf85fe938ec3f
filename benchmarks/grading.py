"""Grading speed: this grader against stock `nbgrader autograde`, on the same submissions, in one run.

For each assignment it builds a class of N submissions (a third correct, a third half solved,
a third untouched), grades it with `python -m grader autograde` and with stock nbgrader 0.9
(a course made from the same solution notebook: graded cells as solution cells, visible-test
cells as autograder test cells), and prints wall time, notebooks per second, peak memory
(resident, summed over the whole process tree) and the ratio. It also times single-notebook
verdicts (`python -m grader check`) and a one-submission autograde.

    python benchmarks/grading.py                               # the README's figures (N = 40 and 200)
    python benchmarks/grading.py -n 10 --assignments c1w2_numpy_basics --skip-stock
    python benchmarks/grading.py --stock-max-n 40              # stock nbgrader at N = 200 extrapolated (~)

CPU seconds per notebook are those of the whole command (the grader, its sandboxes, nbgrader's
kernels), from a cgroup where one can be made: the machine's other load does not count in them.
Peak memory is the proportional set size of the whole process tree (pages shared by the pool's
workers counted once); "pool MiB" is the pool's parent's resident memory + the largest private
memory of one worker, i.e. what one more slot costs.
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader import demo, notebook  # noqa: E402
from grader.paths import NOTEBOOKS, SOLUTIONS  # noqa: E402

DEFAULT_ASSIGNMENTS = ["c1w4a_deep_nn_step_by_step", "c1w2_logistic_regression"]


def make_class(slug, root, n):
    """n submissions under root/<student>/<slug>/: correct, half solved, untouched, in turn (the demo's kinds)."""
    with tempfile.TemporaryDirectory() as tmp:
        demo.make_class(slug, tmp)
        kinds = [(Path(tmp) / s / slug / f"{slug}.ipynb").read_bytes() for s in ("ada", "ben", "cleo")]
    for i in range(n):
        folder = root / f"s{i:03d}" / slug
        folder.mkdir(parents=True)
        (folder / f"{slug}.ipynb").write_bytes(kinds[i % 3])


def _nbgrader_metadata(nb, graded_only=False):
    """Mark graded cells as nbgrader solution cells and visible-test cells as autograder tests."""
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        name = notebook.graded_name(source)
        meta = cell.setdefault("metadata", {})
        if name:
            meta["nbgrader"] = {"grade": False, "grade_id": name, "locked": False, "schema_version": 3,
                                "solution": True, "task": False}
        elif not graded_only and notebook.is_visible_test({"cell_type": "code", "metadata": meta, "source": source}):
            test_id = "test_" + source.split("(")[1].split(")")[0].strip().replace('"', "").replace("'", "")
            meta["nbgrader"] = {"grade": True, "grade_id": test_id[:60], "locked": True, "points": 1,
                                "schema_version": 3, "solution": False, "task": False}
    return nb


def stock_course(slug, course, subs):
    """An nbgrader course for the same assignment, with the same submissions collected into it."""
    (course / "source" / slug).mkdir(parents=True)
    shutil.copytree(NOTEBOOKS / slug, course / "source" / slug, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.ipynb"))
    source = _nbgrader_metadata(json.loads((SOLUTIONS / slug / f"{slug}.ipynb").read_text()))
    (course / "source" / slug / f"{slug}.ipynb").write_text(json.dumps(source))
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{course}/gradebook.db'\n"
        "c.ExecutePreprocessor.timeout = 600\n")
    subprocess.run(["nbgrader", "generate_assignment", slug, "--force"], cwd=course, check=True,
                   capture_output=True, env=_env())
    for folder in sorted(subs.iterdir()):
        target = course / "submitted" / folder.name / slug
        shutil.copytree(NOTEBOOKS / slug, target, ignore=shutil.ignore_patterns("*.ipynb"))
        nb = _nbgrader_metadata(json.loads((folder / slug / f"{slug}.ipynb").read_text()))
        (target / f"{slug}.ipynb").write_text(json.dumps(nb))


def _env():
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    env["MPLBACKEND"] = "Agg"
    return env


def _tree(pid):
    """pid and all its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    found, stack = [], [pid]
    while stack:
        p = stack.pop()
        found.append(p)
        stack += children.get(p, [])
    return found


def _rollup(pid):
    """{Pss, Rss, Private_Clean, Private_Dirty, ...} in bytes from /proc/<pid>/smaps_rollup, or {}."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            lines = f.read().splitlines()[1:]
    except OSError:
        return {}
    return {k: int(v.split()[0]) * 1024 for k, v in (line.split(":", 1) for line in lines)}


def _pool_role(pid):
    """"parent" for the pool's zygote, "worker" for a worker forked from it, else None."""
    try:
        args = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
        if b"/grader/zygote.py" not in args or args[0].endswith(b"bwrap"):
            return None
        levels = next(line for line in open(f"/proc/{pid}/status") if line.startswith("NSpid:")).split()[1:]
    except (OSError, StopIteration, IndexError):
        return None
    return "parent" if len(levels) == 2 else "worker" if len(levels) == 3 else None


def tree_memory(pid):
    """Memory of a process tree now: proportional set size of all of it (shared pages counted once,
    split between their sharers), the pool's parent's, and the largest private memory of a pool worker."""
    total, parent, worker = 0, 0, 0
    for p in _tree(pid):
        roll = _rollup(p)
        total += roll.get("Pss", 0)
        role = _pool_role(p)
        if role == "parent":
            parent = roll.get("Rss", 0)
        elif role == "worker":
            worker = max(worker, roll.get("Private_Clean", 0) + roll.get("Private_Dirty", 0))
    return total, parent, worker


class CpuMeter:
    """CPU seconds of a command and everything it starts, sandboxes included.

    A cpuacct cgroup (v1) or a cgroup v2 folder with cpu.stat, where we may make one (root): the
    sandboxed workers are killed, never waited for, so their time never reaches RUSAGE_CHILDREN.
    Without a cgroup, RUSAGE_CHILDREN is the fallback (it undercounts those workers; `exact` says).
    """

    def __init__(self):
        self.path, self.exact = None, False
        name = f"grading-bench-{os.getpid()}-{time.monotonic_ns()}"
        for base, knob in ((Path("/sys/fs/cgroup/cpuacct"), "cpuacct.usage"), (Path("/sys/fs/cgroup"), "cpu.stat")):
            if (base / "cgroup.procs").exists() and os.access(base, os.W_OK):
                try:
                    (base / name).mkdir()
                except OSError:
                    continue
                if (base / name / knob).exists():
                    self.path, self.knob, self.exact = base / name, knob, True
                    break
        self.start = resource.getrusage(resource.RUSAGE_CHILDREN)

    def join(self):
        """preexec_fn of the measured command."""
        if self.path is not None:
            (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def seconds(self):
        if self.path is not None:
            text = (self.path / self.knob).read_text()
            if self.knob == "cpuacct.usage":
                return int(text) / 1e9
            return int(dict(line.split() for line in text.splitlines())["usage_usec"]) / 1e6
        end = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (end.ru_utime + end.ru_stime) - (self.start.ru_utime + self.start.ru_stime)

    def close(self):
        if self.path is not None:
            for _ in range(50):
                try:
                    self.path.rmdir()
                    return
                except OSError:
                    time.sleep(0.1)


def measure(argv, cwd):
    """(wall seconds, peak MiB of the process tree, CPU seconds, pool parent MiB, largest pool worker MiB).

    Memory is the proportional set size (PSS) summed over the tree, sampled every 50 ms; the pool's
    figures are its parent's resident memory and the largest private memory of one of its workers
    (what each more slot costs). Raises if the command fails.
    """
    meter = CpuMeter()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=meter.join)
    peak = [0, 0, 0]

    def sample():
        while proc.poll() is None:
            peak[:] = [max(a, b) for a, b in zip(peak, tree_memory(proc.pid))]
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    time.sleep(0.2)  # the sandboxes' last processes leave the cgroup
    cpu = meter.seconds()
    meter.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:4])} failed:\n{err.decode()[-2000:]}")
    return seconds, peak[0] / 2**20, cpu, peak[1] / 2**20, peak[2] / 2**20


def run(slug, n, jobs, skip_stock, work):
    subs = work / slug / f"submissions-{n}"
    make_class(slug, subs, n)
    grader = [sys.executable, "-m", "grader", "autograde", slug, "--submissions", str(subs),
              "--out", str(work / slug / f"out-{n}"), "--quiet"] + (["--jobs", str(jobs)] if jobs else [])
    rows = {"ours": measure(grader, ROOT)}
    if not skip_stock:
        course = work / slug / f"stock-{n}"
        stock_course(slug, course, subs)
        rows["stock"] = measure(["nbgrader", "autograde", slug, "--create", "--force"], course)
    return rows


def latency(slug, work, repeats=3):
    """Median seconds of `grader check` on one solution notebook, and of autograde on one submission."""
    check = [sys.executable, "-m", "grader", "check", str(SOLUTIONS / slug / f"{slug}.ipynb")]
    checks = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(check, cwd=ROOT, capture_output=True, env=_env())
        checks.append(time.perf_counter() - start)
    one = work / f"{slug}-one"
    make_class(slug, one / "subs", 1)
    grades = []
    for k in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "grader", "autograde", slug, "--submissions", str(one / "subs"),
                        "--out", str(one / f"out{k}"), "--quiet"], cwd=ROOT, capture_output=True, env=_env())
        grades.append(time.perf_counter() - start)
    return statistics.median(checks), statistics.median(grades)


def report_targets(ratios, latencies):
    """Issue 17's targets against what was measured, one line each."""
    lines = []
    for slug, n, ratio, mib in ratios:
        goal = 20 if n <= 40 else 40
        lines.append((f"{slug} N = {n}: {ratio:.1f}x stock nbgrader (target >= {goal}x)", ratio >= goal))
        if n >= 200:
            lines.append((f"{slug} N = {n}: peak {mib:.0f} MiB (target < 1536)", mib < 1536))
    for slug, check_s, one_s in latencies:
        lines.append((f"{slug}: grader check {check_s:.2f} s (target < 0.5)", check_s < 0.5))
        lines.append((f"{slug}: one-submission autograde {one_s:.2f} s (target < 1.5)", one_s < 1.5))
    if lines:
        print("\ntargets (issue 17):")
        for text, met in lines:
            print(f"  {'met    ' if met else 'NOT MET'}  {text}")


def load_average():
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignments", nargs="+", default=DEFAULT_ASSIGNMENTS)
    parser.add_argument("-n", type=int, nargs="+", default=[40, 200],
                        help="class sizes to grade (default 40 and 200)")
    parser.add_argument("--stock-max-n", type=int, default=None,
                        help="run stock nbgrader only for classes up to this size; larger ones print its "
                             "time extrapolated from the largest measured one (marked ~)")
    parser.add_argument("--jobs", type=int, default=None, help="our grader's --jobs (default: all cores)")
    parser.add_argument("--skip-stock", action="store_true", help="measure only this grader")
    parser.add_argument("--skip-latency", action="store_true", help="skip the single-notebook timings")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="grading-bench-"))
    probe = CpuMeter()
    probe.close()
    print(f"{os.cpu_count()} cores; N = {', '.join(map(str, args.n))} submissions per assignment; "
          f"load average at start {load_average()}; CPU meter: "
          f"{'cgroup (exact)' if probe.exact else 'RUSAGE_CHILDREN (undercounts sandboxes)'}; work folder {work}\n")
    header = (f"{'assignment':<30} {'N':>4} {'grader':<7} {'wall s':>8} {'nb/s':>7} {'CPU s/nb':>9} "
              f"{'peak MiB':>9} {'pool MiB':>9} {'speed-up':>9} {'load':>15}")
    print(header + "\n" + "-" * len(header))
    ratios, latencies = [], []
    try:
        for slug in args.assignments:
            stock_rate = None  # (fixed s, s per notebook) of the largest measured stock run
            for n in args.n:
                skip = args.skip_stock or (args.stock_max_n is not None and n > args.stock_max_n)
                rows = run(slug, n, args.jobs, skip, work)
                rows = {k: (*v, "") for k, v in rows.items()}
                if "stock" in rows:
                    stock_rate = (3.0, (rows["stock"][0] - 3.0) / n)
                elif not args.skip_stock and stock_rate:
                    rows["stock"] = (stock_rate[0] + stock_rate[1] * n, float("nan"), float("nan"), 0, 0, "~")
                for name, (seconds, mib, cpu, parent, worker, mark) in rows.items():
                    ratio = (f"{mark or rows['stock'][5]}{rows['stock'][0] / seconds:.1f}x"
                             if name == "ours" and "stock" in rows else "")
                    if ratio:
                        ratios.append((slug, n, rows["stock"][0] / seconds, mib))
                    slot = f"{parent:.0f}+{worker:.0f}" if parent else ""
                    print(f"{slug:<30} {n:>4} {name:<7} {mark}{seconds:7.1f} {n / seconds:7.2f} {cpu / n:9.3f} "
                          f"{mib:9.0f} {slot:>9} {ratio:>9} {load_average():>15}", flush=True)
        if not args.skip_latency:
            print(f"\nsingle notebook (median of 3), load average {load_average()}:")
            for slug in args.assignments:
                check_s, one_s = latency(slug, work)
                latencies.append((slug, check_s, one_s))
                print(f"  {slug:<30} grader check {check_s:5.2f} s   autograde of 1 submission {one_s:5.2f} s")
        report_targets(ratios, latencies)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
