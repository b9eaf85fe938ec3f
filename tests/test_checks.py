"""Visible tests that help: parts named as the docstring names them, every mismatching part listed, plain
numbers, the student's own traceback, one short error at the end, and testCases for the visible inputs."""
import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from grader.paths import NOTEBOOKS, checks
from grader.stage import stage


def test_return_names_come_from_the_docstring():
    doc = """Adam step.

    Returns:
    parameters -- dict, updated
    v, s -- dicts, the moment estimates
    """
    assert checks.return_names(doc) == ["parameters", "v", "s"]
    assert checks.return_names("no returns section") == []


def test_every_mismatching_part_is_listed_by_its_name_with_plain_numbers():
    expected = (np.array([1.0, 2.0]), {"W1": np.ones(2)}, 3.0)
    got = (np.array([1.0, 2.5]), {"W1": np.ones(2)}, np.float64(-1.4529999999999998))
    found = list(checks.mismatches(got, expected, names=["A", "cache", "cost"]))
    assert [m["path"] for m in found] == ["A", "cost"]
    assert "got -1.453, expected 3" in found[1]["message"] and "np.float64" not in found[1]["message"]


def test_a_shape_mismatch_names_the_axis_without_the_expected_size():
    m = checks.compare(np.zeros((2, 5, 4, 3)), np.zeros((2, 4, 4, 3)), names=["Z"])
    assert m["safe"].startswith("Z has the wrong size along axis 1") and "(2, 4, 4, 3)" not in m["safe"]


def _run(tmp_path, extra_cells):
    slug = "c1w2_numpy_basics"
    path = stage(NOTEBOOKS / slug, NOTEBOOKS / slug / f"{slug}.ipynb", tmp_path)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in ["import numpy as np\nfrom checks import check", *extra_cells]]
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb.cells


def test_a_failing_check_shows_the_students_traceback_and_ends_with_one_line(tmp_path):
    cells = _run(tmp_path, ["def L1(yhat, y):\n    return helper(yhat, y)\n\ndef helper(a, b):\n    return a[9]\n",
                            "check(L1)",
                            "from testCases import L1_test_case\nkw = L1_test_case(1)\nprint(sorted(kw))"])
    outputs = cells[2].outputs
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "raised IndexError" in text and "return a[9]" in text and "in helper" in text
    assert "checks.py" not in text
    [error] = [o for o in outputs if o.output_type == "error"]
    assert error.ename == "VisibleTestFailed" and len(error.traceback) == 1, error.traceback
    assert "['y', 'yhat']" in "".join(o.get("text", "") for o in cells[3].outputs)


def test_a_wrong_answer_lists_parts_and_says_how_to_rerun_the_case(tmp_path):
    cells = _run(tmp_path, ["def L2(yhat, y):\n    '''Returns:\n    loss -- float\n    '''\n    return 0.5\n",
                            "check(L2)"])
    text = "".join(o.get("text", "") for o in cells[2].outputs if o.output_type == "stream")
    assert "1 of 1 visible test(s) failed" in text and "loss differs: got 0.5, expected" in text
    assert "L2(**L2_test_case(1))" in text


def test_test_cases_are_fresh_copies_and_bad_names_say_what_exists(tmp_path, monkeypatch):
    stage(NOTEBOOKS / "c1w2_numpy_basics", NOTEBOOKS / "c1w2_numpy_basics" / "c1w2_numpy_basics.ipynb", tmp_path)
    monkeypatch.chdir(tmp_path)
    import testCases
    first = testCases.softmax_test_case()
    first["x"][0, 0] = 1e9
    assert testCases.softmax_test_case()["x"][0, 0] != 1e9
    with pytest.raises(AttributeError, match="grades basic_sigmoid"):
        testCases.nothing_test_case
    with pytest.raises(IndexError):
        testCases.sigmoid_test_case(5)


def test_the_tolerance_rule_is_np_isclose_written_out():
    """checks.mismatches compares without np.isclose (for speed): the verdicts must be the same."""
    rng = np.random.default_rng(17)
    agree = disagree = 0
    for _ in range(4000):
        e = rng.standard_normal(5) * 10.0 ** rng.integers(-8, 8)
        a = e * (1 + rng.standard_normal(5) * 10.0 ** rng.integers(-10, -4)) + \
            rng.standard_normal(5) * 10.0 ** rng.integers(-13, -7)
        for arr in (a, e):
            special = rng.integers(0, 8)
            if special < 4:
                arr[rng.integers(5)] = (np.nan, np.inf, -np.inf, 0.0)[special]
        with np.errstate(invalid="ignore"):
            expected = bool(np.any(~(np.isclose(a, e, rtol=1e-6, atol=1e-9) | (np.isnan(a) & np.isnan(e)))))
        assert bool(list(checks.mismatches(a, e, 1e-6, 1e-9))) == expected, (a, e)
        agree += not expected
        disagree += expected
    assert agree > 500 and disagree > 500   # both verdicts were exercised
