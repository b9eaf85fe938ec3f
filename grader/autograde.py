"""Grade every submission of one assignment: sandboxed runs, trusted verdicts, gradebook, CSV, feedback.

Layout: <submissions>/<student_id>/<assignment>/<assignment>.ipynb. Results per student are
kept in <out>/results/<student>/<assignment>.json once the gradebook holds them, so an
interrupted batch resumes where it stopped and a finished one is not graded twice.
"""
import csv
import json
import os
import random
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from tqdm import tqdm

from .paths import NOTEBOOKS
from .stage import stage
from . import build, catalogue, feedback, notebook, run, sandbox, spec as specs, verdict

CSV_FIELDS = ["student_id", "assignment", "item", "score", "max_score", "status"]


def _atomic_write(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def find_notebook(folder, slug):
    """(path or None, notes, problem or None) for a student's assignment folder."""
    expected = folder / f"{slug}.ipynb"
    if expected.is_file():
        return expected, [], None
    if not folder.is_dir():
        return None, [], ("missing-notebook", f"no folder {slug}/ in your submission")
    others = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    if len(others) == 1:
        return others[0], [f"your notebook is named {others[0].name}, not {slug}.ipynb; it was graded anyway"], None
    if others:
        names = ", ".join(p.name for p in others)
        return None, [], ("missing-notebook", f"no {slug}.ipynb, and several other notebooks ({names}): "
                                              "rename the one to grade")
    return None, [], ("missing-notebook", f"no {slug}.ipynb in your submission")


def grade_submission(spec, folder, calls, reference, limits, sandboxed, diagnose=None):
    """Grade one student's assignment folder; returns {"items": [...], "notes": [...]} (plain data)."""
    path, notes, problem = find_notebook(folder, spec.slug)
    if problem:
        return {"items": [i.as_dict() for i in verdict.everything(spec, *problem)], "notes": notes}
    nb, reason = notebook.read(path)
    if nb is None:
        return {"items": [i.as_dict() for i in verdict.everything(spec, "invalid-notebook", reason)], "notes": notes}
    found = notebook.graded_cells(nb)
    for test in spec.tests:
        if test.name not in found:
            notes.append(f"the graded cell for '{test.name}' is missing")
        elif len(found.get(test.name, [])) > 1:
            notes.append(f"'# GRADED FUNCTION: {test.name}' appears in {len(found[test.name])} cells; "
                         "the last one to run was graded")
    scratch = Path(tempfile.mkdtemp(prefix="submission-"))
    try:
        stage(NOTEBOOKS / spec.slug, path, scratch)
        outcome = run.run(scratch, notebook.cells_to_run(nb), calls, limits, sandboxed)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if outcome.status == "timeout" and not any(o.kind == "result" for o in outcome.outcomes.values()):
        items = verdict.everything(spec, "timeout", f"your notebook's cells took longer than "
                                   f"{limits.notebook_seconds:g} s to run, so no function could be graded")
    else:
        items = verdict.judge(spec, outcome.outcomes, reference, limits, calls, diagnose)
    for err in outcome.cell_errors[:10]:
        notes.append(f"cell {notebook.cell_number(err.get('index'))} raised {err['type']}: {err['message'][:200]}")
    return {"items": [i.as_dict() for i in items], "notes": notes, "seconds": round(outcome.seconds, 2)}


def _seed(out, slug, seed):
    path = out / "run.json"
    runs = json.loads(path.read_text()) if path.exists() else {}
    if seed is None:
        seed = runs.get(slug, {}).get("seed", random.SystemRandom().randrange(2**31))
    runs[slug] = {"seed": seed}
    _atomic_write(path, json.dumps(runs, indent=1) + "\n")
    return seed


def write_csv(out):
    rows = []
    for result_file in sorted((out / "results").glob("*/*.json")):
        data = json.loads(result_file.read_text())
        for item in data["items"]:
            rows.append([data["student_id"], data["assignment"], item["item"], f"{item['score']:g}",
                         f"{item['max_score']:g}", item["status"]])
    fd, tmp = tempfile.mkstemp(dir=out, prefix=".grades.csv.")
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_FIELDS)
        writer.writerows(rows)
    os.replace(tmp, out / "grades.csv")
    return out / "grades.csv"


def autograde(slug, submissions, out, jobs=None, db_url=None, sandboxed=True, limits=None, seed=None,
              quiet=False, regrade=False, log=print):
    spec = specs.load(slug)
    submissions, out = Path(submissions), Path(out)
    if not submissions.is_dir():
        raise SystemExit(f"error: submissions folder {submissions} does not exist")
    if sandboxed:
        try:
            sandbox.check_available()
        except sandbox.SandboxUnavailable as exc:
            raise SystemExit(f"error: cannot grade safely: {exc}.\nInstall bubblewrap, or pass --no-sandbox "
                             "to run student code unconfined (only for code you trust).")
    elif not quiet:
        log("notice: grading WITHOUT the sandbox: student code runs with your permissions.")
    limits = limits or sandbox.Limits()
    out.mkdir(parents=True, exist_ok=True)
    db_url = db_url or f"sqlite:///{(out / 'gradebook.db').resolve()}"
    seed = _seed(out, slug, seed)
    calls = specs.hidden_calls(spec, seed)
    entries = catalogue.load(slug)
    reference, entry_values = build.reference_outcomes(spec, calls, entries=entries)
    diagnose = (entries, entry_values) if entries else None
    students = sorted(p.name for p in submissions.iterdir() if p.is_dir() and not p.name.startswith("."))
    result_path = {s: out / "results" / s / f"{slug}.json" for s in students}
    todo = [s for s in students if regrade or not result_path[s].exists()]
    if not quiet and len(todo) < len(students):
        log(f"resuming: {len(students) - len(todo)} of {len(students)} submissions already graded")
    from . import gradebook  # nbgrader's database layer: only a batch needs it
    with gradebook.opened(db_url) as gb:
        gradebook.ensure_assignment(gb, spec)
        jobs = max(1, jobs or os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=jobs) as pool, \
                tqdm(total=len(todo), desc=f"grading {slug}", unit="nb", disable=quiet, file=sys.stderr) as bar:
            futures = {pool.submit(grade_submission, spec, submissions / s / slug, calls, reference, limits,
                                   sandboxed, diagnose): s for s in todo}
            for future in as_completed(futures):
                student = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # the grader's own failure on one submission: record it, go on
                    result = {"items": [i.as_dict() for i in verdict.everything(
                        spec, "grader-error", f"the grader failed on this submission ({type(exc).__name__}); "
                                              "ask your instructor")], "notes": []}
                result.update(student_id=student, assignment=slug)
                gradebook.record(gb, spec, student, {i["item"]: i["score"] for i in result["items"]})
                _atomic_write(result_path[student], json.dumps(result, indent=1) + "\n")
                _atomic_write(out / "feedback" / student / f"{slug}.html", feedback.page(student, spec, result))
                bar.update(1)
    return write_csv(out)
