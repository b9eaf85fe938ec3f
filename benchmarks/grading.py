"""Grading speed: this grader against stock `nbgrader autograde`, on the same submissions, in one run.

For each assignment it builds a class of N submissions (a third correct, a third half solved,
a third untouched), grades it with `python -m grader autograde` and with stock nbgrader 0.9
(a course made from the same solution notebook: graded cells as solution cells, visible-test
cells as autograder test cells), and prints wall time, notebooks per second, peak memory
(resident, summed over the whole process tree) and the ratio. It also times single-notebook
verdicts (`python -m grader check`) and a one-submission autograde.

    python benchmarks/grading.py                               # the README's figures
    python benchmarks/grading.py -n 10 --assignments c1w2_numpy_basics --skip-stock
"""
import argparse
import json
import os
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


def _tree_rss(pid):
    """Resident memory (bytes) of pid and all its descendants."""
    children, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack += children.get(p, [])
    return total


def measure(argv, cwd):
    """(wall seconds, peak resident MiB of the process tree) of a command; raises if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:4])} failed:\n{err.decode()[-2000:]}")
    return seconds, peak[0] / 2**20


def run(slug, n, jobs, skip_stock, work):
    subs = work / slug / "submissions"
    make_class(slug, subs, n)
    grader = [sys.executable, "-m", "grader", "autograde", slug, "--submissions", str(subs),
              "--out", str(work / slug / "out"), "--quiet"] + (["--jobs", str(jobs)] if jobs else [])
    rows = {"ours": measure(grader, ROOT)}
    if not skip_stock:
        course = work / slug / "stock"
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignments", nargs="+", default=DEFAULT_ASSIGNMENTS)
    parser.add_argument("-n", type=int, default=40, help="submissions per assignment (default 40)")
    parser.add_argument("--jobs", type=int, default=None, help="our grader's --jobs (default: all cores)")
    parser.add_argument("--skip-stock", action="store_true", help="measure only this grader")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="grading-bench-"))
    print(f"{os.cpu_count()} cores; N = {args.n} submissions per assignment; work folder {work}\n")
    header = f"{'assignment':<30} {'grader':<7} {'wall s':>8} {'nb/s':>7} {'peak MiB':>9} {'speed-up':>9}"
    print(header + "\n" + "-" * len(header))
    try:
        for slug in args.assignments:
            rows = run(slug, args.n, args.jobs, args.skip_stock, work)
            for name, (seconds, mib) in rows.items():
                ratio = f"{rows['stock'][0] / seconds:8.1f}x" if name == "ours" and "stock" in rows else ""
                print(f"{slug:<30} {name:<7} {seconds:8.1f} {args.n / seconds:7.2f} {mib:9.0f} {ratio:>9}")
        print("\nsingle notebook (median of 3):")
        for slug in args.assignments:
            check_s, one_s = latency(slug, work)
            print(f"  {slug:<30} grader check {check_s:5.2f} s   autograde of 1 submission {one_s:5.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
