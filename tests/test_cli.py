"""The command-line interface other tools rely on: exit codes and messages."""
import subprocess
import sys

from grader.paths import NOTEBOOKS, ROOT, SOLUTIONS

from conftest import SLUGS


def grader(*args):
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=ROOT, capture_output=True, text=True)


def test_check_passes_the_solution_and_fails_the_stub():
    slug = SLUGS[0]
    ok = grader("check", str(SOLUTIONS / slug / f"{slug}.ipynb"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    stub = grader("check", str(NOTEBOOKS / slug / f"{slug}.ipynb"))
    assert stub.returncode == 1 and "not implemented yet" in stub.stdout


def test_check_explains_a_missing_or_broken_notebook(tmp_path):
    missing = grader("check", str(tmp_path / "nope.ipynb"))
    assert missing.returncode == 2 and "does not exist" in missing.stdout
    broken = tmp_path / "x.ipynb"
    broken.write_text("{not json")
    bad = grader("check", str(broken))
    assert bad.returncode == 2 and "not valid notebook JSON" in bad.stdout


def test_autograde_refuses_unknown_assignment_and_missing_folder(tmp_path):
    r = grader("autograde", "no_such_assignment", "--submissions", str(tmp_path), "--out", str(tmp_path / "o"))
    assert r.returncode != 0 and "no assignment named" in r.stderr
    r = grader("autograde", SLUGS[0], "--submissions", str(tmp_path / "absent"), "--out", str(tmp_path / "o"))
    assert r.returncode != 0 and "does not exist" in r.stderr


def test_autograde_exits_zero_on_a_class_of_bad_submissions(tmp_path):
    slug = SLUGS[0]
    (tmp_path / "s" / "zed" / slug).mkdir(parents=True)
    (tmp_path / "s" / "zed" / slug / f"{slug}.ipynb").write_bytes(b"\x00\xff garbage")
    r = grader("autograde", slug, "--submissions", str(tmp_path / "s"), "--out", str(tmp_path / "o"), "--quiet")
    assert r.returncode == 0, r.stderr
    assert "invalid-notebook" in (tmp_path / "o" / "grades.csv").read_text()


def test_build_check_reports_up_to_date_and_names_drift(tmp_path, monkeypatch):
    """The CLI wiring of `build --check` (test_build checks every assignment for drift)."""
    r = grader("build", "--check", SLUGS[0])
    assert r.returncode == 0, r.stdout
    from grader import build
    fresh = build.build(SLUGS[0], tmp_path)
    (fresh / "checks.py").write_text("# edited by hand\n")
    assert build.drift(fresh, NOTEBOOKS / SLUGS[0]) == ["checks.py"]


def test_check_names_the_visible_tests_file_as_checks_does():
    from grader import check
    from grader.paths import checks
    assert check.VISIBLE_TESTS_FILE == checks.VISIBLE_TESTS_FILE
