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
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from test_course import SLUG, grader, make_course
from test_lab_browser import CHROMIUM, CHROMIUM_ARGS, _unavailable

SHOTS = Path(tempfile.gettempdir()) / "formgrader_browser"
TOKEN = "formgrader-browser-test-token"


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory, sandboxed):
    """(base URL, course root, extra grader args) of JupyterLab with formgrader, started in a graded course."""
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -r requirements.txt)")
    tmp = tmp_path_factory.mktemp("formgrader")
    root = make_course(tmp / "course", tmp / "exchange")
    extra = [] if sandboxed else ["--no-sandbox"]
    grader("autograde", SLUG, "--quiet", *extra, cwd=root)

    home = tmp / "jupyter"  # a fresh Jupyter user config: nbgrader's formgrader as installed, no one's settings
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_CONFIG_PATH"}
    env.update(JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), OPENBLAS_NUM_THREADS="1",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    cmd = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={TOKEN}",
           f"--ServerApp.root_dir={root}"] + (["--allow-root"] if os.geteuid() == 0 else [])
    log_path = tmp / "jupyter.log"
    log = open(log_path, "w")
    server = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"jupyter lab did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.3)
        yield base, root, extra
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(course_lab):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


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
