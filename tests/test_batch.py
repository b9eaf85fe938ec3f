"""An instructor's batch: installable grader, fresh results only, one run per --out, Ctrl-C that keeps
what is done, and clear answers to the usual mistakes (a course root, an empty folder, a stray copy)."""
import csv
import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import nbformat

from grader import autograde, notebook, outdir, provenance, sandbox
from grader.paths import NOTEBOOKS, ROOT, SOLUTIONS

SLUG = "c1w2_numpy_basics"
SOLVED = SOLUTIONS / SLUG / f"{SLUG}.ipynb"
STUB = NOTEBOOKS / SLUG / f"{SLUG}.ipynb"
ITEMS = 8


def cli(*args, cwd=ROOT, **kw):
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True, **kw)


def put(root, student, source, name=None):
    folder = root / student / SLUG
    folder.mkdir(parents=True, exist_ok=True)
    data = source.read_bytes() if hasattr(source, "read_bytes") else source
    (folder / (name or f"{SLUG}.ipynb")).write_bytes(data)
    return folder


def totals(csv_path):
    out = {}
    for row in csv.DictReader(open(csv_path)):
        out[row["student_id"]] = out.get(row["student_id"], 0.0) + float(row["score"])
    return out


def test_grader_runs_from_any_folder(tmp_path):
    """`make setup` installs the project editable: `python -m grader` works outside the checkout."""
    r = cli("--help", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "autograde" in r.stdout


def test_read_tolerates_a_byte_order_mark_and_converts_nbformat_3(tmp_path):
    bom = tmp_path / "bom.ipynb"
    bom.write_bytes(b"\xef\xbb\xbf" + SOLVED.read_bytes())
    nb, reason = notebook.read(bom)
    assert reason is None and notebook.graded_cells(nb)
    v3 = tmp_path / "v3.ipynb"
    old = nbformat.convert(nbformat.read(SOLVED, as_version=4), 3)
    v3.write_text(nbformat.writes(old, version=3))
    assert json.loads(v3.read_text())["nbformat"] == 3
    nb, reason = notebook.read(v3)
    assert reason is None and nb["converted_from"] == 3
    assert notebook.graded_cells(nb) == notebook.graded_cells(notebook.read(SOLVED)[0])


def test_usual_mistakes_are_explained(tmp_path):
    course = tmp_path / "course"
    (course / "submitted" / "ada" / SLUG).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    r = cli("autograde", SLUG, "--submissions", str(course), "--out", str(tmp_path / "o"))
    assert r.returncode == 2, r.stderr
    assert "looks like an nbgrader course" in r.stderr and f"--submissions {course / 'submitted'}" in r.stderr
    assert "Traceback" not in r.stderr

    empty = tmp_path / "empty"
    empty.mkdir()
    r = cli("autograde", SLUG, "--submissions", str(empty), "--out", str(tmp_path / "o"), "--quiet", "--no-sandbox")
    assert r.returncode == 0, r.stderr
    assert f"no submissions found in {empty}" in r.stdout + r.stderr
    assert list(csv.reader(open(tmp_path / "o" / "grades.csv"))) == [autograde.CSV_FIELDS]

    put(empty, "ada", SOLVED)
    r = cli("autograde", SLUG, "--submissions", str(empty), "--out", str(tmp_path / "o2"), "--student", "nobody")
    assert r.returncode == 2 and "no folder for student nobody" in r.stderr


def test_a_second_run_on_the_same_out_is_refused_at_once(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    put(subs, "ada", SOLVED)
    out.mkdir()
    with open(out / ".lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write(f"{os.getpid()}\n")
        held.flush()
        started = time.monotonic()
        r = cli("autograde", SLUG, "--submissions", str(subs), "--out", str(out), "--no-sandbox", timeout=60)
        assert time.monotonic() - started < 15, "the second run must not wait for the first"
    assert r.returncode == 2, r.stderr
    assert "another grading run" in r.stderr and f"pid {os.getpid()}" in r.stderr
    assert not (out / "results").exists()


def test_an_out_made_for_another_class_is_refused(tmp_path):
    subs, other, out = tmp_path / "subs", tmp_path / "other", tmp_path / "out"
    put(subs, "ada", SOLVED)
    put(other, "ada", SOLVED)
    out.mkdir()
    (out / "run.json").write_text(json.dumps([{"assignment": SLUG, "seed": 1, "submissions": str(other.resolve())}]))
    r = cli("autograde", SLUG, "--submissions", str(subs), "--out", str(out), "--no-sandbox")
    assert r.returncode == 2 and str(other.resolve()) in r.stderr
    assert "new --out" in r.stderr and "--force" in r.stderr

    (out / "run.json").unlink()  # an older --out, without the record: results name students of another class
    (out / "results" / "zed").mkdir(parents=True)
    r = cli("autograde", SLUG, "--submissions", str(subs), "--out", str(out), "--no-sandbox")
    assert r.returncode == 2 and "zed" in r.stderr and "--force" in r.stderr
    outdir.check_class(out, subs, {"ada"}, [], force=True)  # --force lets it through


def test_assignment_fingerprint_follows_solution_spec_and_visible_tests(tmp_path):
    import shutil
    shutil.copytree(SOLUTIONS / SLUG, tmp_path / "solutions" / SLUG)
    (tmp_path / "notebooks" / SLUG).mkdir(parents=True)
    shutil.copy(NOTEBOOKS / SLUG / "visible_tests.json", tmp_path / "notebooks" / SLUG)
    fingerprint = lambda: provenance.assignment(SLUG, tmp_path / "solutions", tmp_path / "notebooks")  # noqa: E731
    first = fingerprint()
    assert fingerprint() == first
    (tmp_path / "solutions" / SLUG / "__pycache__").mkdir()
    (tmp_path / "solutions" / SLUG / "__pycache__" / "x.pyc").write_bytes(b"noise")
    assert fingerprint() == first
    spec_file = tmp_path / "solutions" / SLUG / "spec.py"
    spec_file.write_text(spec_file.read_text() + "\n# tolerance changed\n")
    second = fingerprint()
    assert second != first
    visible = tmp_path / "notebooks" / SLUG / "visible_tests.json"
    visible.write_text(visible.read_text() + " ")
    assert fingerprint() != second


def test_stored_results_are_reused_only_while_they_are_fresh(tmp_path, sandboxed):
    subs, out, db = tmp_path / "subs", tmp_path / "out", tmp_path / "elsewhere" / "book.db"
    for student, source in (("ana", SOLVED), ("bob", STUB), ("cyd", SOLVED)):
        put(subs, student, source)
    said = []

    def grade(**kw):
        said.clear()
        return autograde.autograde(SLUG, subs, out, jobs=2, db_url=str(db), sandboxed=sandboxed, log=said.append,
                                   **kw)

    def stamps():
        return {s: (out / "results" / s / f"{SLUG}.json").stat().st_mtime_ns for s in ("ana", "bob", "cyd")}

    csv_path = grade()
    assert totals(csv_path) == {"ana": 8.0, "bob": 0.0, "cyd": 8.0}
    assert db.exists() and not (out / "gradebook.db").exists(), "--db given as a file path is SQLite there"
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from submitted_assignment").fetchone()[0] == 3
    assert any("score (out of 8): mean 5.33, median 8" in line for line in said), said
    before = stamps()

    grade()
    assert stamps() == before and any("resuming: 3 of 3" in line for line in said)

    put(subs, "bob", SOLVED)                                   # bob resubmits
    (subs / "ana" / SLUG / "timestamp.txt").write_text("2031-01-01 10:00:00.000000 UTC")  # a newer collection
    (subs / "cyd" / SLUG / "timestamp.txt").write_text("2031-01-01 10:00:00.000000 UTC")
    grade(students=["bob", "ana"])
    now = stamps()
    assert now["bob"] != before["bob"] and now["ana"] != before["ana"], "changed submissions are graded again"
    assert now["cyd"] == before["cyd"], "--student grades only the students named"
    assert totals(out / "grades.csv")["bob"] == 8.0

    result = json.loads((out / "results" / "cyd" / f"{SLUG}.json").read_text())
    result["made_from"]["assignment"] = "sha256:an-older-solution"
    (out / "results" / "cyd" / f"{SLUG}.json").write_text(json.dumps(result))
    grade(students=["cyd", "ana"])
    after = stamps()
    assert after["cyd"] != now["cyd"] and after["ana"] == now["ana"], "a result of another solution is regraded"

    grade(limits=sandbox.Limits(test_seconds=9.0))
    assert all(after[s] != t for s, t in stamps().items()), "other limits: everyone is graded again"

    runs = json.loads((out / "run.json").read_text())
    assert isinstance(runs, list) and len(runs) == 5
    assert len({r["seed"] for r in runs}) == 1, "the seed of an --out is kept from run to run"
    for r in runs:
        assert {"seed", "grader_commit", "limits", "submissions", "items_by_status", "wall_seconds", "started"} <= set(r)
        assert r["outcome"] == "completed" and r["submissions"] == str(subs.resolve())
    assert runs[0]["items_by_status"] == {"passed": 16, "not-implemented": 8}
    assert runs[-1]["limits"]["test_seconds"] == 9.0 and runs[-1]["graded"] == 3


def test_stray_copies_old_formats_and_byte_order_marks_are_graded(tmp_path, sandboxed):
    subs, out = tmp_path / "subs", tmp_path / "out"
    folder = put(subs, "copy", STUB)
    put(subs, "copy", SOLVED, name=f"{SLUG}-Copy1.ipynb")   # a solved copy next to the expected notebook
    put(subs, "bom", b"\xef\xbb\xbf" + SOLVED.read_bytes())
    put(subs, "old", nbformat.writes(nbformat.convert(nbformat.read(SOLVED, as_version=4), 3), version=3).encode())
    csv_path = autograde.autograde(SLUG, subs, out, sandboxed=sandboxed, quiet=True)
    assert totals(csv_path) == {"copy": 0.0, "bom": 8.0, "old": 8.0}
    notes = json.loads((out / "results" / "copy" / f"{SLUG}.json").read_text())["notes"]
    assert any(f"{SLUG}-Copy1.ipynb" in n and "not graded" in n for n in notes), notes
    assert f"{SLUG}-Copy1.ipynb" in (out / "feedback" / "copy" / f"{SLUG}.html").read_text()
    notes = json.loads((out / "results" / "old" / f"{SLUG}.json").read_text())["notes"]
    assert any("nbformat 3" in n for n in notes), notes
    assert folder.exists()


def test_ctrl_c_stops_within_two_seconds_keeps_results_and_resumes(tmp_path, sandboxed):
    subs, out = tmp_path / "subs", tmp_path / "out"
    sleeper = json.loads(SOLVED.read_text())
    sleeper["cells"].insert(1, {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                                "source": "import time\ntime.sleep(120)"})
    for i in range(8):   # s01 is still running its cells when Ctrl-C comes: it must be killed, not awaited
        source = json.dumps(sleeper).encode() if i == 1 else (SOLVED if i % 2 == 0 else STUB)
        put(subs, f"s{i:02d}", source)
    cmd = ["autograde", SLUG, "--submissions", str(subs), "--out", str(out), "--jobs", "2",
           "--notebook-seconds", "4", *([] if sandboxed else ["--no-sandbox"])]
    scratch = tmp_path / "tmp"  # where the grader stages submissions: empty again once every thread unwound
    scratch.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "grader", *cmd, "--quiet"], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "TMPDIR": str(scratch)})
    deadline = time.monotonic() + 120
    while not list(out.glob("results/*/*.json")):
        assert time.monotonic() < deadline and proc.poll() is None, "no result appeared"
        time.sleep(0.02)
    signalled = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        stdout, stderr = proc.communicate(timeout=10)
    finally:
        proc.kill()
    took = time.monotonic() - signalled
    assert took < 2.0, f"took {took:.2f} s to stop"
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert list(scratch.glob("submission-*")) == [], "a submission still being graded was not stopped"
    assert "To resume, run the same command again" in stderr and f"--out {out}" in stderr
    finished = {p.parent.name for p in out.glob("results/*/*.json")}
    assert 1 <= len(finished) < 8 and "s01" not in finished
    rows = list(csv.DictReader(open(out / "grades.csv")))
    assert {r["student_id"] for r in rows} == finished and len(rows) == ITEMS * len(finished)
    assert json.loads((out / "run.json").read_text())[-1]["outcome"] == "interrupted"

    again = cli(*cmd)
    assert again.returncode == 0, again.stderr
    assert f"resuming: {len(finished)} of 8 submissions already graded" in again.stdout
    for line in ("items by status:", "score (out of 8): mean", "median", "slowest: s01"):
        assert line in again.stdout, again.stdout
    rows = list(csv.DictReader(open(out / "grades.csv")))
    assert len(rows) == 8 * ITEMS and len({(r["student_id"], r["item"]) for r in rows}) == 8 * ITEMS
    assert totals(out / "grades.csv") == {f"s{i:02d}": (8.0 if i % 2 == 0 else 0.0) for i in range(8)}
    assert {r["status"] for r in rows if r["student_id"] == "s01"} == {"timeout"}
