"""Feedback that teaches: where an exception was raised (cell and line as JupyterLab numbers them, in the
function that raised), which failing function to fix first, visible cases graded too, and arrays changed
in place named."""
import json

import nbformat
import pytest

from grader import autograde
from grader.paths import SOLUTIONS


def _grade(tmp_path, slug, edits, sandboxed, student="sam"):
    """Grade the solution of `slug` with the graded cells in `edits` (name -> (old, new)) changed."""
    nb = nbformat.read(SOLUTIONS / slug / f"{slug}.ipynb", as_version=4)
    cells = {}
    for index, cell in enumerate(nb.cells):
        for name, (old, new) in edits.items():
            if cell.cell_type == "code" and cell.source.lstrip().startswith(f"# GRADED FUNCTION: {name}\n"):
                assert old in cell.source, (name, old)
                cell.source = cell.source.replace(old, new)
                cells[name] = index
    folder = tmp_path / "subs" / student / slug
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{slug}.ipynb")
    autograde.autograde(slug, tmp_path / "subs", tmp_path / "out", sandboxed=sandboxed, quiet=True, seed=3)
    result = json.loads((tmp_path / "out" / "results" / student / f"{slug}.json").read_text())
    return {i["item"]: i for i in result["items"]}, cells


def test_an_error_in_a_called_function_is_placed_there_and_fixed_first(tmp_path, sandboxed):
    slug = "c1w4a_deep_nn_step_by_step"
    items, cells = _grade(tmp_path, slug, {"linear_forward": ("Z = W @ A_prev + b", "Z = W.T @ A_prev + b")},
                          sandboxed)
    forward = items["L_model_forward"]
    assert forward["status"] == "error", forward
    source = nbformat.read(SOLUTIONS / slug / f"{slug}.ipynb", as_version=4).cells[cells["linear_forward"]].source
    line = source.splitlines().index("    Z = W @ A_prev + b") + 1
    assert f"in `linear_forward` (cell {cells['linear_forward'] + 1}, line {line})" in forward["message"], forward
    assert "fix `linear_forward` first" in forward["message"]
    assert items["linear_forward"]["status"] in ("error", "failed")
    assert items["linear_backward"]["status"] == "passed"


def test_a_wrong_value_upstream_is_named_as_the_function_to_fix_first(tmp_path, sandboxed):
    slug = "c1w4a_deep_nn_step_by_step"
    items, _ = _grade(tmp_path, slug, {"linear_forward": ("Z = W @ A_prev + b", "Z = W @ A_prev + 2 * b")}, sandboxed)
    for name in ("linear_activation_forward", "L_model_forward"):
        assert items[name]["status"] == "failed" and "`linear_forward`" in items[name]["message"], items[name]
        assert "fix that first" in items[name]["message"]
    assert "first" not in items["linear_forward"]["message"]


def test_a_visible_case_is_graded_and_explained_with_its_values(tmp_path, sandboxed):
    slug = "c1w2_numpy_basics"
    items, _ = _grade(tmp_path, slug, {"L1": ("loss = float(np.sum(np.abs(y - yhat)))",
                                             "loss = float(np.sum(np.abs(y - yhat))) if len(y) != 5 else 0.0")},
                      sandboxed)
    assert items["L1"]["score"] == 0
    assert items["L1"]["message"].startswith("fails visible test case 1: loss differs: got 0, expected 1.1"), items["L1"]


def test_an_array_changed_in_place_is_noted_and_loses_the_item_where_the_docstring_promises_otherwise(
        tmp_path, sandboxed):
    slug = "c1w2_numpy_basics"
    items, _ = _grade(tmp_path, slug, {"normalize_rows": ("x = x / x_norm", "x /= x_norm"),
                                       "L1": ("loss = float(np.sum(np.abs(y - yhat)))",
                                              "yhat -= y\n    loss = float(np.sum(np.abs(yhat)))")}, sandboxed)
    assert items["L1"]["status"] == "passed"                      # L1 promises nothing: a note only
    assert "changes its input yhat in place" in items["L1"]["message"], items["L1"]
    assert items["normalize_rows"]["status"] == "failed" and items["normalize_rows"]["score"] == 0
    assert "promises to leave the inputs alone" in items["normalize_rows"]["message"], items["normalize_rows"]
    assert "Likely mistake: divides in place" in items["normalize_rows"]["message"]
    assert "changes its input x in place" in items["normalize_rows"]["message"]
    assert "in place" not in items["softmax"]["message"]


@pytest.mark.parametrize("bad", ["raise ValueError('no')", "return undefined_name"])
def test_an_error_only_on_hidden_inputs_says_the_visible_tests_pass(tmp_path, sandboxed, bad):
    slug = "c1w2_numpy_basics"
    new = f"if x.shape != (2, 3):\n        {bad}\n    x_norm = np.linalg.norm(x, axis=1, keepdims=True)"
    items, _ = _grade(tmp_path, slug, {"normalize_rows": ("x_norm = np.linalg.norm(x, axis=1, keepdims=True)", new)},
                      sandboxed)
    message = items["normalize_rows"]["message"]
    assert items["normalize_rows"]["status"] == "error" and "though its visible tests pass" in message, message
    assert "in `normalize_rows` (cell" in message
