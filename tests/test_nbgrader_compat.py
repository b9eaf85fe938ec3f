"""nbgrader's own tools read the gradebook we write: `nbgrader export` gives the same totals as grades.csv."""
import csv
import os
import subprocess
import sys
from pathlib import Path

from grader import autograde, demo

SLUG = "c1w2_numpy_basics"


def test_nbgrader_export_matches_grades_csv(tmp_path, sandboxed):
    demo.make_class(SLUG, tmp_path / "subs")
    csv_path = autograde.autograde(SLUG, tmp_path / "subs", tmp_path / "out", sandboxed=sandboxed, quiet=True)
    totals = {}
    for row in csv.DictReader(open(csv_path)):
        totals[row["student_id"]] = totals.get(row["student_id"], 0.0) + float(row["score"])
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(["nbgrader", "export", "--db", f"sqlite:///{tmp_path / 'out' / 'gradebook.db'}"],
                          cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    exported = {r["student_id"]: float(r["score"]) for r in csv.DictReader(open(tmp_path / "grades.csv"))
                if r["assignment"] == SLUG}
    assert exported == totals
    assert exported["ada"] == 8.0 and exported["cleo"] == 0.0
