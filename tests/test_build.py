import json
import re
import shutil

import nbformat
import pytest

from grader import build, notebook
from grader.paths import NOTEBOOKS, SOLUTIONS

from conftest import SLUGS


def test_placeholders_name_what_to_compute():
    src = ("# GRADED FUNCTION: f\ndef f(x):\n    ### START CODE HERE ###\n    z = x + 1\n    a, cache = g(z), z\n"
           "    d['k'] = 3  # why\n    print(a)\n    ### END CODE HERE ###\n    return a\n")
    out = build.strip_solution(src, "test")
    assert "### START CODE HERE ### (\u2248 4 lines of code)" in out
    assert "    z = None\n    a, cache = None, None\n    d['k'] = None\n    ### END CODE HERE ###" in out
    assert "x + 1" not in out and "print" not in out
    compile(out, "student", "exec")


def test_region_without_assignments_stays_valid_python():
    src = "def f(x):\n    for i in x:\n        ### START CODE HERE ### (\u2248 1 line)\n        x.append(i)\n" \
          "        ### END CODE HERE ###\n    return x\n"
    out = build.strip_solution(src, "test")
    assert "### START CODE HERE ### (\u2248 1 line)\n        pass\n" in out
    compile(out, "student", "exec")


@pytest.mark.parametrize("bad", ["### START CODE HERE ###\nx = 1\n", "x = 1\n### END CODE HERE ###\n",
                                 "### START CODE HERE ###\nif x:\n### END CODE HERE ###\n"])
def test_malformed_regions_are_build_errors(bad):
    with pytest.raises(build.BuildError):
        build.strip_solution(bad, "test")


@pytest.mark.parametrize("slug", SLUGS)
def test_student_notebook_holds_no_solution_code(slug):
    solution = nbformat.read(SOLUTIONS / slug / f"{slug}.ipynb", as_version=4)
    student = nbformat.read(NOTEBOOKS / slug / f"{slug}.ipynb", as_version=4)
    graded = {notebook.graded_name(c.source): c for c in student.cells if c.cell_type == "code"}
    graded.pop(None, None)
    assert graded, "no graded cells found"
    for cell in solution.cells:
        name = notebook.graded_name(cell.source) if cell.cell_type == "code" else None
        if not name:
            continue
        student_src = graded[name].source
        regions = re.findall(r"### START CODE HERE ###.*?\n(.*?)### END CODE HERE ###", cell.source, re.S)
        for region in regions:
            for line in region.strip().split("\n"):
                code = line.strip()
                if code and not code.startswith("#") and not code.endswith("= None") and code != "pass":
                    assert code not in student_src, f"{slug}/{name}: solution line leaked: {code}"
        assert graded[name].metadata["nbgrader"]["grade_id"] == name


@pytest.mark.parametrize("slug", SLUGS)
def test_visible_tests_are_nbgrader_test_cells_worth_nothing(slug):
    """So that nbgrader's Validate button runs them (and fails when they fail) in `make lab`."""
    from nbgrader.nbgraderformat import MetadataValidator
    student = nbformat.read(NOTEBOOKS / slug / f"{slug}.ipynb", as_version=4)
    MetadataValidator().validate_nb(student)  # what nbgrader's Validate checks first
    tests = [c for c in student.cells if notebook.is_visible_test(c)]
    assert tests
    for cell in tests:
        meta = cell.metadata["nbgrader"]
        assert meta["grade"] and meta["locked"] and meta["points"] == 0 and not meta["solution"], cell.source
    assert not any(c.metadata.get("nbgrader", {}).get("grade") for c in student.cells if c not in tests)


def test_committed_release_matches_a_fresh_build(tmp_path):
    for slug in SLUGS:
        fresh = build.build(slug, tmp_path)
        assert build.drift(fresh, NOTEBOOKS / slug) == [], f"{slug}: run `python -m grader build`"


def test_building_twice_gives_identical_files(tmp_path):
    slug = SLUGS[0]
    a = build.build(slug, tmp_path / "a")
    b = build.build(slug, tmp_path / "b")
    for f in a.rglob("*"):
        if f.is_file():
            assert f.read_bytes() == (b / f.relative_to(a)).read_bytes(), f


def test_every_released_folder_is_built_from_a_solution():
    assert sorted(p.name for p in NOTEBOOKS.iterdir() if p.is_dir()) == SLUGS


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_committed_notebooks_have_no_outputs(folder):
    root = SOLUTIONS.parent / folder
    for path in root.glob("*/*.ipynb"):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            assert not cell.get("outputs"), f"{path} has outputs"
            assert cell.get("execution_count") is None, f"{path} has execution counts"
