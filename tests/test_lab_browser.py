"""`make lab` as a student sees it: JupyterLab in headless Chromium (Debian's, driven by Playwright).

One assignment release is staged in a temporary folder, with the untouched notebook and a solved
copy. JupyterLab runs there with the same configuration as `make lab` (lab_config/). In the
browser: Run All on the untouched notebook shows "not implemented yet" at the first check;
nbgrader's Validate button fails it; Run All on the solved copy shows a ✅ line per graded
function and Validate says "Success!"; no panel shows an error (nbgrader's course panels are
hidden, so no "Error fetching courses!"). Screenshots go to /tmp/lab_browser/.
"""
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from grader import demo, notebook
from grader.paths import NOTEBOOKS, ROOT, SOLUTIONS
from grader.stage import stage

from browser import chromium, jupyter_lab, require_browser

SLUG = "c1w2_numpy_basics"
SHOTS = Path(tempfile.gettempdir()) / "lab_browser"
TOKEN = "lab-browser-test-token"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """(base URL, folder) of a JupyterLab started as `make lab` does, on a staged copy of one assignment."""
    require_browser()
    folder = tmp_path_factory.mktemp("lab") / SLUG
    student = stage(NOTEBOOKS / SLUG, NOTEBOOKS / SLUG / f"{SLUG}.ipynb", folder)
    solution = nbformat.read(SOLUTIONS / SLUG / f"{SLUG}.ipynb", as_version=4)
    solved = demo.partial(solution, nbformat.read(student, as_version=4), set(notebook.graded_cells(solution)))
    notebook.write(solved, folder / "solved.ipynb")
    with jupyter_lab(folder, folder.parent / "jupyter", TOKEN,
                     {"JUPYTER_CONFIG_PATH": str(ROOT / "lab_config")}, timeout=60) as base:
        yield base, folder


@pytest.fixture(scope="module")
def browser(lab):
    with chromium() as b:
        yield b


def open_notebook(browser, base, name):
    """A page showing JupyterLab with only `name` open (its own workspace), its kernel idle."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{base}/lab/workspaces/{Path(name).stem}/tree/{name}?reset&token={TOKEN}")
    page.locator(".jp-NotebookPanel .jp-Cell").nth(2).wait_for(timeout=60_000)
    kernel_idle(page)
    news = page.locator(".jp-toast-button", has_text="No")  # JupyterLab asks whether to fetch its news
    if news.count():
        news.first.click()
    return page


def kernel_idle(page, timeout=60_000):
    """Wait for the status bar to say "Python 3 (ipykernel) | Idle"."""
    page.locator(".jp-StatusBar-TextItem", has_text="(ipykernel) | Idle").wait_for(timeout=timeout)


def run_all(page, done):
    """Run > Run All Cells, then wait for `done` (a locator) to appear and the kernel to be idle."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    done.wait_for(state="attached", timeout=60_000)
    kernel_idle(page)


def validate(page):
    """Click nbgrader's Validate button; the text of the results dialog (which is then closed)."""
    page.locator(".jp-NotebookPanel-toolbar .validate-button").click()
    dialog = page.locator(".jp-Dialog", has_text="Validation Results")
    dialog.wait_for(timeout=60_000)
    dialog.locator(".jp-Dialog-content").wait_for()
    text = dialog.inner_text()
    return text, dialog


def close(dialog):
    dialog.get_by_role("button", name="Ok").click()
    dialog.wait_for(state="detached")


def no_error_on_screen(page):
    assert "Error fetching courses" not in page.locator("body").inner_text()
    dialogs = page.locator(".jp-Dialog")
    assert dialogs.count() == 0, f"a dialog is open: {dialogs.all_inner_texts()}"
    # nbgrader's course panels (Assignment List, Course List, Formgrader, Create Assignment) and their
    # menu are hidden by lab_config/; Validate is there
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert "Nbgrader" not in menus, f"nbgrader's menu is shown: is lab_config/ applied? {menus}"
    assert page.get_by_text("Create Assignment").count() == 0, "nbgrader's Create Assignment panel is shown"
    assert page.locator(".jp-NotebookPanel-toolbar .validate-button").count() == 1, "no Validate button"


def test_lab_as_a_student_sees_it(lab, browser):
    base, folder = lab
    graded = list(notebook.graded_cells(nbformat.read(folder / f"{SLUG}.ipynb", as_version=4)))
    SHOTS.mkdir(exist_ok=True)
    start = time.monotonic()

    page = open_notebook(browser, base, f"{SLUG}.ipynb")
    page.wait_for_timeout(1000)  # let every extension load: an error dialog would come now
    no_error_on_screen(page)
    first = page.locator(".jp-OutputArea-output", has_text="not implemented yet").first
    run_all(page, first)
    first.scroll_into_view_if_needed()
    assert f"{graded[0]} is not implemented yet" in first.text_content()
    assert page.locator(".jp-OutputArea-output", has_text="\u2705").count() == 0
    page.screenshot(path=SHOTS / "1_untouched_run_all.png")
    text, dialog = validate(page)
    page.screenshot(path=SHOTS / "2_untouched_validate.png")
    assert "Success" not in text and "The following cell failed" in text, text
    assert "not implemented yet" in text and f"check({graded[0]})" in text, text
    close(dialog)
    no_error_on_screen(page)
    page.close()

    page = open_notebook(browser, base, "solved.ipynb")
    passed = page.locator(".jp-OutputArea-output", has_text="\u2705")
    run_all(page, passed.nth(len(graded) - 1))
    lines = [line for t in passed.all_text_contents() for line in t.splitlines() if line.startswith("\u2705")]
    assert len(lines) == len(graded), lines
    assert page.locator(".jp-OutputArea-output", has_text="\u274c").count() == 0
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    passed.last.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "3_solved_run_all.png")
    text, dialog = validate(page)
    page.screenshot(path=SHOTS / "4_solved_validate.png")
    assert "Success! Your notebook passes all the tests." in text, text
    close(dialog)
    no_error_on_screen(page)
    page.close()
    print(f"browser part: {time.monotonic() - start:.1f} s; screenshots in {SHOTS}")
