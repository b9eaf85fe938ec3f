"""Build the student release of each assignment from its solution notebook.

solutions/<slug>/<slug>.ipynb  -> notebooks/<slug>/<slug>.ipynb   (solutions replaced by placeholders)
utils/<helper>.py, datasets/*  -> notebooks/<slug>/                (what the notebook imports and loads)
solution on the visible cases  -> notebooks/<slug>/visible_tests.json
"""
import ast
import json
import re
import shutil
import tempfile
import textwrap
from pathlib import Path

from . import catalogue, notebook, pool, refcache, run, sandbox, spec as specs
from .stage import stage
from .paths import DATASETS, NOTEBOOKS, SOLUTIONS, UTILS, checks, plain

START = re.compile(r"^(?P<indent>\s*)### START CODE HERE ###(?P<hint>.*)$")
END = re.compile(r"^\s*### END CODE HERE ###\s*$")
ALWAYS_SHIPPED = ["plain", "checks", "testCases"]


class BuildError(Exception):
    pass


def _placeholders(region, where):
    """Placeholder lines for a solution region: each top-level assignment becomes `target = None`."""
    code = textwrap.dedent("\n".join(region))
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        raise BuildError(f"{where}: the code between the markers must be whole statements ({exc.msg})")
    lines = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            names = [ast.unparse(t) for t in target.elts] if isinstance(target, ast.Tuple) else [ast.unparse(target)]
            lines.append(f"{', '.join(names)} = {', '.join(['None'] * len(names))}")
    return lines or ["pass"]


def _count(region):
    return sum(1 for line in region if line.strip() and not line.strip().startswith("#"))


def strip_solution(source, where):
    """Replace every START/END CODE HERE region of a graded cell with placeholders and a size hint."""
    out, lines, i = [], source.split("\n"), 0
    while i < len(lines):
        m = START.match(lines[i])
        if not m:
            if END.match(lines[i]):
                raise BuildError(f"{where}: '### END CODE HERE ###' without a START")
            out.append(lines[i])
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not END.match(lines[j]):
            if START.match(lines[j]):
                raise BuildError(f"{where}: START CODE HERE inside another region")
            j += 1
        if j == len(lines):
            raise BuildError(f"{where}: '### START CODE HERE ###' without an END")
        region = lines[i + 1:j]
        n = _count(region)
        hint = m["hint"].strip() or f"(\u2248 {n} line{'s' if n != 1 else ''} of code)"
        out.append(f"{m['indent']}### START CODE HERE ### {hint}")
        out += [m["indent"] + p for p in _placeholders(region, where)]
        out.append(lines[j])
        i = j + 1
    return "\n".join(out)


def released_cells(solution, edit_graded):
    """A copy of a solution notebook made for release (the student's, or an nbgrader course's source/).

    Cells tagged solution-only are dropped, outputs cleared, visible tests locked and marked for
    nbgrader's Validate; each graded cell is handed to edit_graded(cell, index, name).
    """
    import nbformat
    nb = nbformat.from_dict(json.loads(json.dumps(solution)))
    cells = []
    for index, cell in enumerate(nb.cells):
        if "solution-only" in cell.metadata.get("tags", []):
            continue
        cell.metadata.pop("jupyter", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            name = notebook.graded_name(cell.source)
            if name:
                edit_graded(cell, index, name)
            elif notebook.is_visible_test(cell):
                cell.metadata["deletable"] = False
                cell.metadata["editable"] = False
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("jupytext", None)
    return mark_visible_tests(nb)


def student_notebook(solution):
    """The student version of a solution notebook (a new NotebookNode): solutions become placeholders."""
    def strip(cell, index, name):
        cell.source = strip_solution(cell.source, f"cell {index} ({name})")
        cell.metadata["deletable"] = False
        cell.metadata["nbgrader"] = {"grade": False, "grade_id": name, "locked": False,
                                     "schema_version": 3, "solution": True, "task": False}
    return released_cells(solution, strip)


def mark_visible_tests(nb):
    """Make each visible-test cell a read-only nbgrader test cell worth 0 points ("test_<function>").

    nbgrader's Validate button in JupyterLab (and `nbgrader validate`) runs the notebook and fails
    on a test cell that raised, which `check` does when a visible test fails: so Validate reports
    the visible tests' failures instead of "Success!" on an untouched notebook. Points stay in spec.py.
    """
    taken = {c.metadata["nbgrader"].get("grade_id") for c in nb.cells if "nbgrader" in c.metadata}
    last = "visible"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        name = notebook.graded_name(cell.source)
        if name:
            last = name
        elif notebook.is_visible_test(cell) and "nbgrader" not in cell.metadata:
            grade_id, k = f"test_{last}", 2
            while grade_id in taken:
                grade_id, k = f"test_{last}_{k}", k + 1
            taken.add(grade_id)
            cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True, "points": 0,
                                         "schema_version": 3, "solution": False, "task": False}
    return nb


def released_files(spec):
    """(source, name in the release folder) for every helper module and data file the assignment ships."""
    files = [(UTILS / f"{m}.py", f"{m}.py") for m in ALWAYS_SHIPPED + spec.helpers]
    files += [(DATASETS / d, f"datasets/{d}") for d in spec.data]
    for src, _ in files:
        if not src.exists():
            raise BuildError(f"{spec.slug}: {src} is listed in spec.py but does not exist")
    return files


def reference_outcomes(spec, calls, limits=None, entries=(), solution_calls=True):
    """Run the solution notebook on `calls`: ({id: value}, per-entry outcomes).

    It is trusted: it runs outside the sandbox, or in a worker of the warm pool while a batch runs one.

    The same run calls each catalogue entry on its item's cases: the second part of the answer is
    [{id: run.Outcome}], one per entry ([] without entries). With solution_calls=False it makes only
    the entries' calls (the first part is then {}).
    """
    extra_cells, extra_calls = catalogue.cells_and_calls(entries, calls)
    warm = pool.shared()   # a batch's warm pool runs it fastest (sandboxed, though the solution is trusted)
    with tempfile.TemporaryDirectory(prefix=f"ref-{spec.slug}-", dir=warm.jobs if warm else None) as tmp:
        nb_path = stage(NOTEBOOKS / spec.slug, SOLUTIONS / spec.slug / f"{spec.slug}.ipynb", tmp)
        nb, reason = notebook.read(nb_path)
        if nb is None:
            raise BuildError(f"{spec.slug}: solution notebook: {reason}")
        cells = notebook.cells_to_run(nb) + extra_cells
        all_calls = (list(calls) if solution_calls else []) + extra_calls
        digest = refcache.key(tmp, cells, run.encode_calls(all_calls), sandbox.DRIVER_FILES)
        cached = refcache.load(digest, [c["id"] for c in all_calls])
        if cached is None:
            result = run.run(tmp, cells, all_calls, limits or sandbox.Limits(notebook_seconds=300, test_seconds=120),
                             sandboxed=warm is not None)
            all_outcomes, cell_errors = result.outcomes, result.cell_errors
        else:
            all_outcomes, cell_errors = cached, []
    outcomes, per_entry = catalogue.split(all_outcomes, len(entries))
    bad = {k: o for k, o in outcomes.items() if o.kind != "result"}
    cell_errors = [e for e in cell_errors if not str(e["index"]).startswith("catalogue")]
    if cell_errors or bad:
        raise BuildError(f"{spec.slug}: the solution notebook failed when run for grading: "
                         f"cell errors {cell_errors}, calls {[(k, o.kind, o.detail) for k, o in bad.items()]}")
    if cached is None:
        refcache.store(digest, all_outcomes)
    return {k: o.value for k, o in outcomes.items()}, per_entry


def visible_tests(spec):
    calls = [{"id": f"{t.name}#{k}", "func": t.name, "kwargs": kw}
             for t in spec.tests if t.kind == "function" for k, kw in enumerate(t.visible)]
    expected, _ = reference_outcomes(spec, calls)
    tests = {}
    for t in spec.tests:
        if t.kind != "function":
            continue
        cases = [{"kwargs": kw, "expected": expected[f"{t.name}#{k}"]} for k, kw in enumerate(t.visible)]
        tests[t.name] = {"rtol": t.rtol, "atol": t.atol, "cases": cases}
    return json.dumps(plain.encode(tests, readable=True), indent=1) + "\n"


def build(slug, out_root=NOTEBOOKS):
    import nbformat
    spec = specs.load(slug)
    solution = nbformat.read(SOLUTIONS / slug / f"{slug}.ipynb", as_version=4)
    out = Path(out_root) / slug
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    notebook.write(student_notebook(solution), out / f"{slug}.ipynb")
    for src, name in released_files(spec):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, out / name)
    (out / "visible_tests.json").write_text(visible_tests(spec))
    return out


def main(slugs=None, check_only=False):
    """Build the given assignments (default: all); with check_only, report drift instead of writing."""
    import filecmp
    slugs = slugs or specs.slugs()
    stale = []
    for slug in slugs:
        if not check_only:
            print(f"built {build(slug).relative_to(NOTEBOOKS.parent)}")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            fresh = build(slug, tmp)
            stale += [f"{slug}/{d}" for d in drift(fresh, NOTEBOOKS / slug)]
    if stale:
        print("out of date (run `python -m grader build`):\n  " + "\n  ".join(stale))
        return 1
    return 0


def drift(fresh, committed):
    """Files that differ between a fresh build and the committed release (JSON numbers within 1e-9)."""
    fresh, committed = Path(fresh), Path(committed)
    names = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
    if committed.exists():
        names |= {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()
                  and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts}
    out = []
    for name in sorted(names):
        a, b = fresh / name, committed / name
        if not (a.exists() and b.exists()):
            out.append(str(name))
        elif name.name == "visible_tests.json":
            va, vb = plain.decode(json.loads(a.read_text())), plain.decode(json.loads(b.read_text()))
            if va.keys() != vb.keys() or any(
                    # an item's own atol: a finite-difference error of 2e-9 varies with the machine's BLAS
                    checks.compare(va[k], vb[k], rtol=1e-9, atol=min(1e-12 + va[k]["atol"], 1e-9)) is not None
                    for k in va):
                out.append(str(name))
        elif a.read_bytes() != b.read_bytes():
            out.append(str(name))
    return out
