"""The instructor's side in a browser: formgrader (in JupyterLab, headless Debian Chromium) shows our grades.

A small course (test_course.make_course: released by `grader release`, one student through
nbgrader's exchange, the sample class placed in submitted/ with timestamps, one late) is graded by
`python -m grader autograde <slug>`. Then in formgrader: Manage Assignments lists the assignment;
Manage Submissions shows every submission graded, with its score, none "needs autograding"; one
submission opens with our verdicts in its grade cells; a manual score typed there is saved in the
gradebook, and the next `grader autograde` run puts it in item_scores.csv. Screenshots go to
/tmp/formgrader_browser/.
"""
import csv
import tempfile
import time
from pathlib import Path

import pytest

from test_course import SLUG, grader, make_course
from browser import chromium, jupyter_lab, require_browser

SHOTS = Path(tempfile.gettempdir()) / "formgrader_browser"
TOKEN = "formgrader-browser-test-token"


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory, sandboxed):
    """(base URL, course root, extra grader args) of JupyterLab with formgrader, started in a graded course."""
    require_browser()
    tmp = tmp_path_factory.mktemp("formgrader")
    root = make_course(tmp / "course", tmp / "exchange")
    extra = [] if sandboxed else ["--no-sandbox"]
    grader("autograde", SLUG, "--quiet", *extra, cwd=root)
    # a fresh Jupyter user config: nbgrader's formgrader as installed, no one's settings
    with jupyter_lab(root, tmp / "jupyter", TOKEN) as base:
        yield base, root, extra


@pytest.fixture(scope="module")
def browser(course_lab):
    with chromium() as b:
        yield b


def submission_id(root, student):
    from grader import gradebook as _  # noqa: F401
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return gb.find_submission_notebook(SLUG, SLUG, student).id


def manual_score(root, student, item):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return gb.find_grade(item, SLUG, SLUG, student).manual_score


def test_formgrader_shows_our_grades_and_keeps_manual_scores(course_lab, browser):
    base, root, extra = course_lab
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 900})

    page.goto(f"{base}/formgrader/manage_assignments?token={TOKEN}")
    row = page.locator("tr", has_text=SLUG).first
    row.wait_for(timeout=60_000)
    page.screenshot(path=SHOTS / "1_manage_assignments.png")
    assert "2026-01-10 12:00:00" in row.inner_text()

    page.goto(f"{base}/formgrader/manage_submissions/{SLUG}?token={TOKEN}")
    page.locator("tr", has_text="ada").first.wait_for(timeout=60_000)
    page.locator("td", has_text="8 / 8").first.wait_for(timeout=30_000)
    page.screenshot(path=SHOTS / "2_manage_submissions.png", full_page=True)
    body = page.locator("body").inner_text()
    assert "needs autograding" not in body and "needs manual grading" not in body, body
    rows = {s: page.locator("tr", has_text=s).first.inner_text() for s in ("ada", "ben", "cleo", "fay")}
    assert "8 / 8" in rows["ada"] and "graded" in rows["ada"], rows
    assert "0 / 8" in rows["cleo"], rows

    page.goto(f"{base}/formgrader/submissions/{submission_id(root, 'cleo')}/?token={TOKEN}")
    score = page.locator("input.score#sigmoid[placeholder]")  # the placeholder (auto score) is set once loaded
    score.wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("not-implemented: 0 / 1 points").count() >= 1
    score.scroll_into_view_if_needed()
    score.fill("0.5")
    score.press("Tab")
    deadline = time.monotonic() + 20
    while manual_score(root, "cleo", "sigmoid") != 0.5 and time.monotonic() < deadline:
        time.sleep(0.3)
    page.screenshot(path=SHOTS / "3_submission_manual_score.png")
    assert manual_score(root, "cleo", "sigmoid") == 0.5
    page.close()

    grader("autograde", SLUG, "--quiet", *extra, cwd=root)
    rows = {(r["student_id"], r["item"]): r["score"]
            for r in csv.DictReader(open(root / "grader_results" / "item_scores.csv"))}
    assert rows[("cleo", "sigmoid")] == "0.5"
