"""Nothing is lost: a batch killed mid-way resumes without gaps or duplicates; re-grading is idempotent."""
import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time

from grader.paths import NOTEBOOKS, ROOT, SOLUTIONS

SLUG = "c1w2_numpy_basics"
N = 10


def make_class(root):
    for i in range(N):
        folder = root / f"s{i:02d}" / SLUG
        folder.mkdir(parents=True)
        source = SOLUTIONS if i % 2 == 0 else NOTEBOOKS
        (folder / f"{SLUG}.ipynb").write_bytes((source / SLUG / f"{SLUG}.ipynb").read_bytes())


def autograde(subs, out, *extra):
    return [sys.executable, "-m", "grader", "autograde", SLUG, "--submissions", str(subs), "--out", str(out),
            "--jobs", "1", *extra]


def db_counts(out):
    db = sqlite3.connect(out / "gradebook.db")
    subs = db.execute("select count(*) from submitted_assignment").fetchone()[0]
    grades = db.execute("select count(*) from grade").fetchone()[0]
    per_student = dict(db.execute(
        "select sa.student_id, sum(g.auto_score) from grade g join submitted_notebook sn on g.notebook_id = sn.id "
        "join submitted_assignment sa on sn.assignment_id = sa.id group by sa.student_id").fetchall())
    db.close()
    return subs, grades, per_student


def check_complete(out):
    rows = list(csv.DictReader(open(out / "grades.csv")))
    keys = [(r["student_id"], r["item"]) for r in rows]
    assert len(keys) == len(set(keys)) == N * 8, "gaps or duplicates in grades.csv"
    totals = {}
    for r in rows:
        totals[r["student_id"]] = totals.get(r["student_id"], 0) + float(r["score"])
    assert totals == {f"s{i:02d}": (8.0 if i % 2 == 0 else 0.0) for i in range(N)}
    subs, grades, per_student = db_counts(out)
    assert (subs, grades) == (N, N * 8), "gaps or duplicates in the gradebook"
    assert per_student == totals
    return rows


def test_killed_batch_resumes_without_gaps_or_duplicates(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    make_class(subs)
    proc = subprocess.Popen(autograde(subs, out, "--quiet"), cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = list((out / "results").glob("*/*.json")) if (out / "results").exists() else []
        if len(done) >= 3:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    graded_before = len(list((out / "results").glob("*/*.json")))
    assert 3 <= graded_before < N, "the kill should land mid-batch"

    again = subprocess.run(autograde(subs, out), cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert f"resuming: {graded_before} of {N} submissions already graded" in again.stdout
    first = check_complete(out)

    regrade = subprocess.run(autograde(subs, out, "--quiet", "--regrade"), cwd=ROOT, capture_output=True, text=True)
    assert regrade.returncode == 0, regrade.stderr
    assert check_complete(out) == first
