"""`python -m grader release <slug>`: an assignment into an nbgrader course, as generate_assignment would leave it.

nbgrader's tools only know an assignment that has source/<slug>/, release/<slug>/ and rows in the
gradebook (assignment, notebook, grade, solution and source cells with checksums, due date).
This writes all three from solutions/ and notebooks/, with one locked "autograder tests" grade
cell per graded item (grade id = the spec's item name, its points) next to the graded cell, whose
own solution cell is `<item>_code`. Checksums and the gradebook rows come from nbgrader's own
preprocessors (ComputeChecksums, SaveCells, CheckCellMetadata), run on the release notebook as
generate_assignment runs them after clearing solutions. The source notebook marks each solution
region with BEGIN/END SOLUTION inside START/END CODE HERE, so that `nbgrader generate_assignment`
run on it still gives students a notebook with every graded function's signature.
"""
import copy
import re
import shutil
from pathlib import Path

from . import build, notebook, spec as specs
from .paths import NOTEBOOKS, SOLUTIONS

CODE_SUFFIX = "_code"


def solution_id(item):
    """The grade id of the cell holding a graded item's code (its grade cell has the item's own name)."""
    return f"{item}{CODE_SUFFIX}"


def grade_cell(test):
    """The locked "autograder tests" cell of one graded item: nbgrader grade cell `test.name`, its points."""
    import nbformat
    what = "your function" if test.kind == "function" else "your answer"
    source = (f"# Autograder tests: {test.name} ({test.points:g} point{'s' if test.points != 1 else ''})\n"
              f"# The grader checks {what} on hidden inputs against the reference solution, outside this\n"
              "# notebook; its verdict and message appear here in the graded copy. Nothing to run.")
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["deletable"] = False
    cell.metadata["editable"] = False
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": test.name, "locked": True, "points": float(test.points),
                                 "schema_version": 3, "solution": False, "task": False}
    return cell


def _solution_metadata(item):
    return {"grade": False, "grade_id": solution_id(item), "locked": False, "schema_version": 3,
            "solution": True, "task": False}


def with_grade_cells(nb, spec):
    """`nb` with graded cells as solution cells `<item>_code` and a grade cell after each (and its visible tests).

    A graded item with no graded cell in `nb` gets its grade cell at the end.
    """
    tests = {t.name: t for t in spec.tests}
    cells, placed, pending = [], set(), None
    for cell in nb.cells:
        name = notebook.graded_name(cell.source) if cell.cell_type == "code" else None
        if pending and not (cell.cell_type == "code" and notebook.is_visible_test(cell) and not name):
            cells.append(grade_cell(tests[pending]))
            placed.add(pending)
            pending = None
        if name in tests:
            cell.metadata["deletable"] = False
            cell.metadata["nbgrader"] = _solution_metadata(name)
            pending = name if name not in placed else None
        cells.append(cell)
    if pending:
        cells.append(grade_cell(tests[pending]))
        placed.add(pending)
    cells += [grade_cell(t) for t in spec.tests if t.name not in placed]
    nb.cells = cells
    return nb


START = re.compile(r"^(\s*)### START CODE HERE ###")
END = re.compile(r"^(\s*)### END CODE HERE ###")


def mark_solutions(source):
    """Wrap each START/END CODE HERE region in ### BEGIN SOLUTION / ### END SOLUTION (nbgrader's markers)."""
    out = []
    for line in source.split("\n"):
        end = END.match(line)
        if end:
            out.append(f"{end.group(1)}### END SOLUTION")
        out.append(line)
        start = START.match(line)
        if start:
            out.append(f"{start.group(1)}### BEGIN SOLUTION")
    return "\n".join(out)


def source_notebook(spec):
    """The instructor version: the solution notebook with the release's nbgrader cells."""
    import nbformat
    nb = nbformat.read(SOLUTIONS / spec.slug / f"{spec.slug}.ipynb", as_version=4)

    def mark(cell, index, name):
        cell.source = mark_solutions(cell.source)
    return with_grade_cells(build.released_cells(nb, mark), spec)


def release_notebook(spec):
    """The student version of notebooks/<slug>/ with the grade cells nbgrader needs."""
    import nbformat
    nb = nbformat.read(NOTEBOOKS / spec.slug / f"{spec.slug}.ipynb", as_version=4)
    return with_grade_cells(nb, spec)


def _checked(nb, resources):
    from nbgrader.preprocessors import CheckCellMetadata, ComputeChecksums
    nb, resources = CheckCellMetadata().preprocess(nb, resources)
    nb, resources = ComputeChecksums().preprocess(nb, resources)
    return nb


def _write_folder(dest, spec, nb):
    """Replace `dest` with the release's files and `nb` (written next to it first, then swapped in)."""
    dest = Path(dest)
    tmp = dest.with_name(f".{dest.name}.new")
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(NOTEBOOKS / spec.slug, tmp,
                    ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "__pycache__"))
    notebook.write(nb, tmp / f"{spec.slug}.ipynb")
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old")
        if old.exists():
            shutil.rmtree(old)
        dest.rename(old)
        tmp.rename(dest)
        shutil.rmtree(old)
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp.rename(dest)
    return dest


def release(slug, course, due=None, log=print):
    """Write source/<slug>/ and release/<slug>/ of `course` and register the assignment in its gradebook."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import SaveCells
    from nbgrader.utils import parse_utc
    from . import gradebook  # noqa: F401  (in-process alembic head for new gradebooks)
    from .outdir import Refused
    spec = specs.load(slug)
    if not (NOTEBOOKS / slug / f"{slug}.ipynb").is_file():
        raise Refused(f"notebooks/{slug}/{slug}.ipynb is missing: run `python -m grader build {slug}` first")
    try:
        duedate = parse_utc(due) if due else None
    except Exception:
        raise Refused(f'--due {due!r} is not a date nbgrader reads: give "YYYY-MM-DD HH:MM:SS TZ"') from None
    resources = {"nbgrader": {"db_url": course.db_url, "assignment": slug, "notebook": slug}}
    source = _checked(source_notebook(spec), copy.deepcopy(resources))
    student = _checked(release_notebook(spec), copy.deepcopy(resources))
    with Gradebook(course.db_url) as gb:
        fields = {"duedate": duedate} if duedate else {}
        gb.update_or_create_assignment(slug, **fields)
    try:
        SaveCells().preprocess(copy.deepcopy(student), copy.deepcopy(resources))
    except RuntimeError as exc:  # cells added or removed after students submitted
        raise Refused(f"{slug}: {exc}; the gradebook keeps the notebook as first released") from None
    _write_folder(course.path("source", ".", slug), spec, source)
    _write_folder(course.path("release", ".", slug), spec, student)
    log(f"released {slug}: {course.path('source', '.', slug)} and {course.path('release', '.', slug)}; "
        f"{len(spec.tests)} graded items, {sum(t.points for t in spec.tests):g} points"
        + (f", due {duedate} UTC" if duedate else ""))
    return course.path("release", ".", slug)


def released_ids(course, slug):
    """{grade_id: cell metadata} of the released notebook, or {} when it was never released."""
    path = course.path("release", ".", slug) / f"{slug}.ipynb"
    if not path.is_file():
        return {}
    nb, _ = notebook.read(path)
    if nb is None:
        return {}
    return {c["metadata"]["nbgrader"]["grade_id"]: c for c in nb["cells"] if "nbgrader" in c.get("metadata", {})}
