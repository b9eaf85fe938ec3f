"""The course-directory mode: `grader release` and `grader autograde <slug>` leave what nbgrader's tools need.

A small course (nbgrader_config.py with a late-penalty policy), the assignment released by us,
published and fetched through nbgrader's exchange, the sample class placed in submitted/ with
timestamps (one late), graded by us; then nbgrader's own commands run on the result.
"""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader import demo
from grader.paths import ROOT

SLUG = "c1w2_numpy_basics"
DUE = "2026-01-10 12:00:00 UTC"
CONFIG = """c = get_config()
c.CourseDirectory.course_id = "dlcourse"
c.Exchange.root = {exchange!r}
c.Exchange.path_includes_course = True
c.LateSubmissionPlugin.penalty_method = "zero"
"""


def env():
    bindir = Path(sys.executable).parent
    return {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def run(args, cwd, ok=True):
    done = subprocess.run(args, cwd=cwd, env=env(), capture_output=True, text=True)
    if ok:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def grader(*args, cwd, ok=True):
    return run([sys.executable, "-m", "grader", *args], cwd, ok)


def through_exchange(root, home, user):
    """`user` fetches the released assignment, submits it as fetched and the instructor collects it."""
    home.mkdir(parents=True)
    (home / "nbgrader_config.py").write_text((root / "nbgrader_config.py").read_text())
    run(["nbgrader", "fetch_assignment", SLUG, "--course", "dlcourse"], home)
    run(["nbgrader", "submit", SLUG, "--course", "dlcourse", "--student", user], home)
    run(["nbgrader", "collect", SLUG], root)
    return home / "dlcourse" / SLUG


def make_course(root, exchange):
    """A course with SLUG released by us and published through nbgrader's exchange, fay's submission
    collected from it, the sample class placed in submitted/ (ben late, by a day)."""
    root.mkdir(parents=True)
    exchange.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(CONFIG.format(exchange=str(exchange)))
    grader("release", SLUG, "--due", DUE, cwd=root)
    run(["nbgrader", "release_assignment", SLUG], root)
    through_exchange(root, root.parent / "fay", "fay")
    demo.make_class(SLUG, root / "submitted")
    late = {"ada": "2026-01-09 10:00:00.000000 UTC", "ben": "2026-01-11 12:00:00.000000 UTC"}
    for student in demo.STUDENTS:
        stamp = late.get(student, "2026-01-10 11:59:00.000000 UTC")
        (root / "submitted" / student / SLUG / "timestamp.txt").write_text(stamp)
    return root


@pytest.fixture(scope="module")
def course(tmp_path_factory, sandboxed):
    tmp = tmp_path_factory.mktemp("course")
    root = make_course(tmp / "course", tmp / "exchange")
    extra = [] if sandboxed else ["--no-sandbox"]
    grader("autograde", SLUG, "--quiet", *extra, cwd=root)
    return root, extra


def gradebook(root):
    from grader import gradebook as gbmod  # noqa: F401
    from nbgrader.api import Gradebook
    return Gradebook(f"sqlite:///{root / 'gradebook.db'}")


def test_release_writes_source_release_and_the_gradebook(course):
    root, _ = course
    from grader import spec as specs
    spec = specs.load(SLUG)
    for step in ("source", "release"):
        nb = json.loads((root / step / SLUG / f"{SLUG}.ipynb").read_text())
        meta = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]
                for c in nb["cells"] if "nbgrader" in c["metadata"]}
        for test in spec.tests:
            assert meta[test.name]["grade"] and meta[test.name]["points"] == test.points
            assert meta[f"{test.name}_code"]["solution"]
            assert "checksum" in meta[test.name]
        assert (root / step / SLUG / "visible_tests.json").is_file()
    source = (root / "source" / SLUG / f"{SLUG}.ipynb").read_text()
    assert "### BEGIN SOLUTION" in source and "BEGIN SOLUTION" not in (root / "release" / SLUG / f"{SLUG}.ipynb").read_text()
    with gradebook(root) as gb:
        assignment = gb.find_assignment(SLUG)
        assert str(assignment.duedate) == "2026-01-10 12:00:00"
        cells = {c.name: c.max_score for c in gb.find_notebook(SLUG, SLUG).grade_cells}
        assert all(cells[t.name] == t.points for t in spec.tests)
        assert assignment.max_score == sum(t.points for t in spec.tests)


def test_nbgrader_exchange_publishes_our_release(course):
    root, _ = course
    fetched = root.parent / "fay" / "dlcourse" / SLUG
    assert (fetched / f"{SLUG}.ipynb").read_text() == (root / "release" / SLUG / f"{SLUG}.ipynb").read_text()
    assert (fetched / "visible_tests.json").is_file()
    assert (root / "submitted" / "fay" / SLUG / "submission_secret.txt").is_file()
    nb = json.loads((root / "autograded" / "fay" / SLUG / f"{SLUG}.ipynb").read_text())
    assert sum(1 for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "sigmoid") == 1


def test_autograde_leaves_what_nbgrader_leaves(course):
    root, _ = course
    for student in demo.STUDENTS + ["fay"]:
        folder = root / "autograded" / student / SLUG
        assert (folder / "timestamp.txt").is_file()
        nb = json.loads((folder / f"{SLUG}.ipynb").read_text())
        outputs = {c["metadata"]["nbgrader"]["grade_id"]: c["outputs"] for c in nb["cells"]
                   if c["metadata"].get("nbgrader", {}).get("grade")}
        assert "sigmoid" in outputs and outputs["sigmoid"], student
    text = outputs_of(root, "ada")["sigmoid"]
    assert text.startswith("passed: 1 / 1 points")
    assert not (root / "grader_results" / "grades.csv").exists()
    rows = list(csv.DictReader(open(root / "grader_results" / "item_scores.csv")))
    assert {r["student_id"] for r in rows} == set(demo.STUDENTS) | {"fay"}
    assert (root / "grader_results" / "feedback" / "ada" / f"{SLUG}.html").is_file()
    with gradebook(root) as gb:
        ada = gb.find_submission(SLUG, "ada")
        assert str(ada.timestamp) == "2026-01-09 10:00:00"
        assert ada.score == 8.0 and not ada.needs_manual_grade
        for snb in ada.notebooks:
            assert all(g.auto_score is not None and not g.needs_manual_grade for g in snb.grades)
        ben = gb.find_submission(SLUG, "ben")
        assert ben.total_seconds_late == 86400
        assert ben.late_submission_penalty == ben.score > 0  # penalty_method "zero"
    assert any(r["student_id"] == "ben" and r["item"] == "late_penalty" for r in rows)


def outputs_of(root, student):
    nb = json.loads((root / "autograded" / student / SLUG / f"{SLUG}.ipynb").read_text())
    return {c["metadata"]["nbgrader"]["grade_id"]: "".join(o.get("text", "") for o in c["outputs"])
            for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")}


def test_nbgrader_feedback_and_export_work_on_our_results(course):
    root, _ = course
    run(["nbgrader", "generate_feedback", SLUG, "--force"], root)
    page = (root / "feedback" / "ada" / SLUG / f"{SLUG}.html").read_text()
    assert "passed: 1 / 1 points" in page
    run(["nbgrader", "release_feedback", SLUG, "--student", "fay"], root)
    assert any((root.parent / "exchange" / "dlcourse" / "feedback").iterdir())
    run(["nbgrader", "fetch_feedback", SLUG, "--course", "dlcourse", "--student", "fay"], root.parent / "fay")
    assert list((root.parent / "fay" / "dlcourse" / SLUG / "feedback").glob("*/*.html"))
    run(["nbgrader", "export"], root)
    exported = {r["student_id"]: r for r in csv.DictReader(open(root / "grades.csv"))}
    assert float(exported["ada"]["score"]) == 8.0
    assert float(exported["ben"]["score"]) == 0.0 and float(exported["ben"]["late_submission_penalty"]) > 0


def test_manual_scores_survive_resume_and_regrade(course):
    root, extra = course
    with gradebook(root) as gb:
        grade = gb.find_grade("sigmoid", SLUG, SLUG, "cleo")
        grade.manual_score = 0.5
        gb.db.commit()
    grader("autograde", SLUG, "--quiet", *extra, cwd=root)  # resumed: nothing to grade, files rewritten
    rows = {(r["student_id"], r["item"]): r["score"]
            for r in csv.DictReader(open(root / "grader_results" / "item_scores.csv"))}
    assert rows[("cleo", "sigmoid")] == "0.5"
    assert "0.5 / 1 points" in outputs_of(root, "cleo")["sigmoid"]
    assert "0.5 / 1" in (root / "grader_results" / "feedback" / "cleo" / f"{SLUG}.html").read_text()
    grader("autograde", SLUG, "--quiet", "--regrade", "--student", "cleo", *extra, cwd=root)
    with gradebook(root) as gb:
        grade = gb.find_grade("sigmoid", SLUG, SLUG, "cleo")
        assert grade.manual_score == 0.5 and grade.auto_score == 0.0 and grade.score == 0.5


def test_report_in_a_course(course):
    """In a course, the report of an assignment is reports/<slug>.html (beside its similarity CSV)."""
    root, _ = course
    grader("report", SLUG, cwd=root)
    page = (root / "reports" / f"{SLUG}.html").read_text()
    assert SLUG in page and "<svg" in page
    assert (root / "reports" / f"{SLUG}-similarity.csv").read_text().startswith("student_a,student_b,item,similarity")
    assert not (root / "grader_results" / "report.html").exists()


def test_course_mode_refusals(tmp_path):
    r = grader("autograde", SLUG, cwd=tmp_path, ok=False)
    assert r.returncode == 2 and "not an nbgrader course" in r.stderr
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    (tmp_path / "submitted").mkdir()
    r = grader("autograde", SLUG, cwd=tmp_path, ok=False)
    assert r.returncode == 2 and "grader release" in r.stderr
    r = grader("autograde", SLUG, "--out", str(tmp_path / "o"), cwd=tmp_path, ok=False)
    assert r.returncode == 2 and "both --submissions and --out" in r.stderr
    r = grader("release", SLUG, "--due", "next tuesday", cwd=tmp_path, ok=False)
    assert r.returncode == 2 and "--due" in r.stderr


def test_graded_copy_puts_back_the_release_ids(course):
    """A deleted grade cell comes back after its graded cell, a duplicated graded cell keeps its id once
    (on the last copy), an id the release does not know is dropped; nbformat accepts the result."""
    import copy

    import nbformat
    from grader import autograded, course as coursemod, notebook, release
    root, _ = course
    released = release.released_ids(coursemod.Course(root), SLUG)
    nb, _ = notebook.read(root / "release" / SLUG / f"{SLUG}.ipynb")
    cells = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") != "sigmoid"]
    graded = next(c for c in cells if c["metadata"].get("nbgrader", {}).get("grade_id") == "sigmoid_code")
    twin = copy.deepcopy(graded)
    twin["id"] = "twin0001"
    cells.insert(cells.index(graded) + 1, twin)
    cells[0]["metadata"]["nbgrader"] = {"grade_id": "made_up", "grade": True, "points": 5, "solution": False,
                                        "locked": False, "schema_version": 3, "task": False}
    nb["cells"] = cells
    result = {"items": [{"item": "sigmoid", "score": 1, "max_score": 1, "status": "passed", "message": ""}]}
    out = autograded.graded_copy(nb, released, result, {"sigmoid": 0.5})
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in out["cells"]]
    assert ids.count("sigmoid") == 1 and ids.count("sigmoid_code") == 1 and "made_up" not in ids
    assert ids.index("sigmoid") == ids.index("sigmoid_code") + 1
    assert out["cells"][ids.index("sigmoid_code")]["id"] == "twin0001"
    text = out["cells"][ids.index("sigmoid")]["outputs"][0]["text"]
    assert text.startswith("passed: 0.5 / 1 points (autograder: 1; adjusted by the instructor)")
    nbformat.validate(nbformat.from_dict(out))
