"""`python -m grader report`: the class page from an autograde --out folder, and similarity.csv."""
import csv
import json
import math
import re
import shutil
import subprocess
import sys

import nbformat

from grader import catalogue, demo, autograde, notebook, report, spec as specs
from grader.paths import NOTEBOOKS, ROOT, SOLUTIONS

SLUG = "c1w2_numpy_basics"


def grader(*args):
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=ROOT, capture_output=True, text=True)


def make_class(root):
    """p1 solves every function but the last (nobody attempts it), p2 is p1's copy, m1 writes the first catalogued
    mistake of each function, s1 leaves the stub; dev's notebook is cut off, eve has none."""
    solution = nbformat.read(SOLUTIONS / SLUG / f"{SLUG}.ipynb", as_version=4)
    stub = nbformat.read(NOTEBOOKS / SLUG / f"{SLUG}.ipynb", as_version=4)
    names = list(notebook.graded_cells(solution))
    first = {}
    for entry in catalogue.load(SLUG):
        if entry.kind == "mistake":
            first.setdefault(entry.item, entry)
    mistaken = nbformat.from_dict(stub)
    for cell in mistaken.cells:
        name = notebook.graded_name(cell.source) if cell.cell_type == "code" else None
        if name in first and name != names[-1]:
            cell.source = f"# GRADED FUNCTION: {name}\n\n{first[name].source}\n"
    notebooks = {"p1": demo.partial(solution, stub, set(names[:-1])), "m1": mistaken, "s1": nbformat.from_dict(stub)}
    for student, nb in notebooks.items():
        (root / student / SLUG).mkdir(parents=True)
        notebook.write(nb, root / student / SLUG / f"{SLUG}.ipynb")
    shutil.copytree(root / "p1", root / "p2")
    (root / "dev" / SLUG).mkdir(parents=True)
    text = (SOLUTIONS / SLUG / f"{SLUG}.ipynb").read_text()
    (root / "dev" / SLUG / f"{SLUG}.ipynb").write_text(text[: len(text) // 2])
    (root / "eve" / SLUG).mkdir(parents=True)
    return names, {n: first[n].description for n in names[:-1] if n in first}


def test_report_of_a_graded_class(tmp_path, sandboxed):
    names, mistakes = make_class(tmp_path / "subs")
    out = tmp_path / "out"
    autograde.autograde(SLUG, tmp_path / "subs", out, sandboxed=sandboxed, quiet=True)
    done = grader("report", SLUG, "--out", str(out))  # submissions: as run.json records them
    assert done.returncode == 0, done.stderr
    assert "report.html" in done.stdout and "similarity.csv" in done.stdout
    page = (out / "report.html").read_text()
    first = page

    # self-contained: no scripts, stylesheets, images or fonts fetched from anywhere
    assert not re.search(r'<script|<link|<img|<iframe|@import|url\((?!#)|\bsrc=|href="(?!#)', page, re.I)
    assert page.count("<svg") == 4  # scores, pass rate, statuses, grading time
    for name in names:  # every graded item, the one nobody attempted included
        assert f"<td><code>{name}</code></td>" in page, name
    table = page.split("Difficulty and discrimination", 1)[1].split("</table>", 1)[0]
    last = re.search(rf"<td><code>{names[-1]}</code></td>.*?</tr>", table, re.S).group(0)
    assert "<td class=n>0%</td>" in last and "not-implemented" in last
    for description in mistakes.values():  # the catalogued mistakes m1 made, parsed from the feedback
        assert description.replace("'", "&#x27;").replace('"', "&quot;") in page or description in page, description
    assert "flag work for a person to review; they accuse nobody" in page

    rows = list(csv.DictReader(open(out / "similarity.csv", encoding="utf-8")))
    assert rows and set(rows[0]) == {"student_a", "student_b", "item", "similarity"}
    assert all((r["student_a"], r["student_b"]) == ("p1", "p2") for r in rows), rows
    assert {r["item"] for r in rows} <= set(names[:-1])
    assert [float(r["similarity"]) for r in rows] == sorted((float(r["similarity"]) for r in rows), reverse=True)

    again = grader("report", SLUG, "--out", str(out), "--submissions", str(tmp_path / "subs"))
    assert again.returncode == 0, again.stderr
    assert (out / "report.html").read_text() == first, "the page is the same byte for byte when made again"


def _fake_results(out, slug, students, score_of):
    spec = specs.load(slug)
    for k, student in enumerate(students):
        items = []
        for i, test in enumerate(spec.tests):
            score = score_of(k, i) * test.points
            status = "passed" if score == test.points else "failed"
            message = "" if status == "passed" else "output differs. Likely mistake: forgets the bias b."
            items.append({"item": test.name, "score": score, "max_score": test.points, "status": status,
                          "message": message})
        data = {"student_id": student, "assignment": slug, "items": items, "notes": [], "seconds": 1.0 + k}
        (out / "results" / student).mkdir(parents=True, exist_ok=True)
        (out / "results" / student / f"{slug}.json").write_text(json.dumps(data))


def test_course_wide_page_without_submissions(tmp_path):
    out = tmp_path / "out"
    students = [f"s{k}" for k in range(6)]
    _fake_results(out, "c1w2_numpy_basics", students, lambda k, i: float(k >= i % 6))
    _fake_results(out, "c2w1a_initialization", students, lambda k, i: float(k % 2))
    (out / "similarity.csv").write_text("stale\n")
    done = grader("report", "--all", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "similarity not computed" in done.stderr
    assert not (out / "similarity.csv").exists(), "no stale pairs left behind"
    page = (out / "report.html").read_text()
    assert "Course report" in page and 'href="#c1w2_numpy_basics"' in page and 'href="#c2w1a_initialization"' in page
    assert page.count("<svg") == 1 + 2 * 4
    assert "forgets the bias b" in page


def test_difficulty_and_item_rest_discrimination():
    cr = report.ClassResults("x", "x", [("a", 1), ("b", 2), ("c", 1)], {
        s: {"items": [{"item": "a", "score": a, "max_score": 1, "status": "passed" if a else "failed", "message": ""},
                      {"item": "b", "score": b, "max_score": 2, "status": "partial", "message": ""}]}
        for s, a, b in [("u", 1, 2), ("v", 1, 1.5), ("w", 0, 0.5), ("z", 0, 0)]})
    stats, totals = report.item_stats(cr)
    by = {s.item: s for s in stats}
    assert totals == {"u": 3, "v": 2.5, "w": 0.5, "z": 0}
    assert by["a"].difficulty == 0.5 and by["a"].pass_rate == 0.5
    assert by["b"].difficulty == 0.5
    # item-rest: a against b's scores, b against a's
    assert abs(by["a"].discrimination - report.pearson([1, 1, 0, 0], [2, 1.5, 0.5, 0])) < 1e-12
    assert by["a"].discrimination > 0.9
    assert math.isnan(by["c"].discrimination) and by["c"].statuses["not-graded"] == 4  # in no result
    assert report.likely_mistake("values differ. Likely mistake: dW is missing the 1/m factor.") == \
        "dW is missing the 1/m factor"
    assert report.likely_mistake("values differ.") is None
