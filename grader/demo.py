"""`make demo`: a sample class for every assignment, graded, with a gradebook table printed.

The class is made from each assignment's own notebooks, so it grows with the course:
  ada   the solution                      (full marks)
  ben   solutions for the first half of the graded functions, stubs for the rest
  cleo  the untouched student notebook    (zero)
  dev   a notebook cut off mid-file       (invalid notebook, still a row with a reason)
  eve   an empty assignment folder        (missing notebook)
"""
import csv
import shutil
from pathlib import Path

import nbformat

from . import autograde, notebook, sandbox, spec as specs
from .paths import NOTEBOOKS, SOLUTIONS

STUDENTS = ["ada", "ben", "cleo", "dev", "eve"]


def partial(solution, student, keep):
    """The student notebook with the graded cells named in `keep` taken from the solution."""
    solved = {notebook.graded_name(c.source): c.source for c in solution.cells if c.cell_type == "code"}
    nb = nbformat.from_dict(student)
    for cell in nb.cells:
        name = notebook.graded_name(cell.source) if cell.cell_type == "code" else None
        if name in keep:
            cell.source = solved[name]
    return nb


def make_class(slug, root):
    """Write the sample submissions of one assignment under root/<student>/<slug>/."""
    solution_path = SOLUTIONS / slug / f"{slug}.ipynb"
    student_path = NOTEBOOKS / slug / f"{slug}.ipynb"
    solution = nbformat.read(solution_path, as_version=4)
    student = nbformat.read(student_path, as_version=4)
    graded = list(notebook.graded_cells(solution))
    folders = {s: Path(root) / s / slug for s in STUDENTS}
    for folder in folders.values():
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    target = f"{slug}.ipynb"
    shutil.copyfile(solution_path, folders["ada"] / target)
    notebook.write(partial(solution, student, set(graded[: len(graded) // 2])), folders["ben"] / target)
    shutil.copyfile(student_path, folders["cleo"] / target)
    text = solution_path.read_text()
    (folders["dev"] / target).write_text(text[: len(text) // 2])
    return graded


def table(csv_path, slugs):
    """A readable gradebook: one block per assignment, students down, graded items across."""
    rows = list(csv.DictReader(open(csv_path)))
    lines = []
    for slug in slugs:
        items = list(dict.fromkeys(r["item"] for r in rows if r["assignment"] == slug))
        score = {(r["student_id"], r["item"]): r for r in rows if r["assignment"] == slug}
        students = sorted({r["student_id"] for r in rows if r["assignment"] == slug})
        width = max(len(i) for i in items)
        lines.append(f"\n{slug}")
        header = " " * width + "  " + "  ".join(f"{s:>6}" for s in students)
        lines.append(header)
        for item in items:
            marks = []
            for s in students:
                r = score[(s, item)]
                marks.append(f"{r['score'] + '/' + r['max_score']:>6}")
            lines.append(f"{item:<{width}}  " + "  ".join(marks))
        totals = []
        for s in students:
            got = sum(float(score[(s, i)]["score"]) for i in items)
            best = sum(float(score[(s, i)]["max_score"]) for i in items)
            totals.append(f"{f'{got:g}/{best:g}':>6}")
        lines.append(f"{'TOTAL':<{width}}  " + "  ".join(totals))
        statuses = sorted({(s, score[(s, i)]["status"]) for s in students for i in items
                           if score[(s, i)]["status"] not in ("passed", "failed", "not-implemented")})
        for s, status in statuses:
            lines.append(f"  {s}: {status}")
    return "\n".join(lines)


def self_check(csv_path):
    """What is wrong with the sample class's grades: ada (the solution) must earn full marks, cleo zero."""
    problems = []
    for row in csv.DictReader(open(csv_path)):
        if row["student_id"] == "ada" and row["score"] != row["max_score"]:
            problems.append(f"{row['assignment']}: the solution lost {row['item']} ({row['status']})")
        if row["student_id"] == "cleo" and float(row["score"]) != 0:
            problems.append(f"{row['assignment']}: the untouched notebook earned {row['item']}")
    return problems


def main(out="demo", sandboxed=None):
    out = Path(out)
    if sandboxed is None:
        sandboxed = sandbox.available_or_notice("grading the sample class")
    submissions, results = out / "submissions", out / "results"
    if results.exists():
        shutil.rmtree(results)
    slugs = specs.slugs()
    for slug in slugs:
        make_class(slug, submissions)
    csv_path = None
    for slug in slugs:
        csv_path = autograde.autograde(slug, submissions, results, sandboxed=sandboxed, quiet=False)
    print(table(csv_path, slugs))
    problems = self_check(csv_path)
    if problems:
        print("\nerror: the grader did not grade the sample class as it must:\n  " + "\n  ".join(problems[:10]))
        return 1
    print(f"\nsample class: {submissions}/<student>/<assignment>/")
    print(f"grades:       {csv_path}")
    print(f"feedback:     {results / 'feedback'}/<student>/<assignment>.html")
    print(f"gradebook:    {results / 'gradebook.db'} (nbgrader format)")
    return 0
