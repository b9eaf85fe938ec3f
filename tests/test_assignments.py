"""Every assignment: its solution runs top to bottom, and the grader gives the sample class exact marks."""
import csv
import os
import time

import nbformat
import pytest
from nbclient import NotebookClient

from grader import autograde, build, demo, notebook, spec as specs
from grader.paths import NOTEBOOKS, SOLUTIONS
from grader.stage import stage

from conftest import SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_solution_notebook_runs_top_to_bottom(slug, tmp_path):
    path = stage(NOTEBOOKS / slug, SOLUTIONS / slug / f"{slug}.ipynb", tmp_path)
    nb = nbformat.read(path, as_version=4)
    started = time.monotonic()
    env_before = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "Agg"
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        if env_before is None:
            os.environ.pop("MPLBACKEND", None)
    seconds = time.monotonic() - started
    print(f"{slug}: solution ran in {seconds:.1f} s")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any(o.get("name") == "stdout" and "\u2705" in o.get("text", "") for o in outputs), "no visible test ran"


@pytest.mark.parametrize("slug", SLUGS)
def test_grader_marks_the_sample_class_exactly(slug, tmp_path, sandboxed):
    graded = demo.make_class(slug, tmp_path / "subs")
    spec = specs.load(slug)
    csv_path = autograde.autograde(slug, tmp_path / "subs", tmp_path / "out", sandboxed=sandboxed, quiet=True)
    rows = {(r["student_id"], r["item"]): r for r in csv.DictReader(open(csv_path))}
    half = set(graded[: len(graded) // 2])
    for test in spec.tests:
        ada, ben = rows[("ada", test.name)], rows[("ben", test.name)]
        assert float(ada["score"]) == test.points and ada["status"] == "passed", ada
        assert (float(ben["score"]) == test.points) == (test.name in half), ben
        assert rows[("cleo", test.name)]["score"] == "0", rows[("cleo", test.name)]
        assert rows[("dev", test.name)]["status"] == "invalid-notebook"
        assert rows[("eve", test.name)]["status"] == "missing-notebook"
    assert len(rows) == 5 * len(spec.tests)


@pytest.mark.parametrize("slug", SLUGS)
def test_untouched_student_notebook_fails_clearly(slug, tmp_path):
    """Running the stub's visible tests raises our 'not implemented' error, not a confusing one."""
    path = stage(NOTEBOOKS / slug, NOTEBOOKS / slug / f"{slug}.ipynb", tmp_path)
    nb = nbformat.read(path, as_version=4)
    first_test = next(i for i, c in enumerate(nb.cells) if notebook.is_visible_test(c))
    nb.cells = nb.cells[: first_test + 1]
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for o in nb.cells[first_test].outputs if o.output_type == "error"]
    assert errors and errors[0].ename in ("NotImplementedYet", "NotImplementedError"), errors
