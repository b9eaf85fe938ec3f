"""`python -m grader check NOTEBOOK`: run a notebook's graded functions against its visible tests.

For students checking their own work and instructors checking a notebook. It uses the
visible tests next to the notebook (visible_tests.json), prints one line per graded
function, and explains failures with the visible inputs and expected values.
"""
import ast
import json
import shutil
import tempfile
from pathlib import Path

from . import notebook, run, sandbox
from .paths import NOTEBOOKS
from .stage import stage

# utils/checks.py's VISIBLE_TESTS_FILE (tests/test_cli.py checks they agree): this module reads it
# before importing checks, which brings NumPy, so that the worker starts first
VISIBLE_TESTS_FILE = "visible_tests.json"


def release_folder(path):
    """The folder holding visible_tests.json for this notebook (its own, or the built release)."""
    if (path.parent / VISIBLE_TESTS_FILE).exists():
        return path.parent
    built = NOTEBOOKS / path.parent.name
    if (built / VISIBLE_TESTS_FILE).exists():
        return built
    return None


def check(path, sandboxed=None, limits=None, log=print):
    """Print the verdicts; return 0 when every visible test passes, 1 otherwise, 2 if it cannot run."""
    path = Path(path)
    if not path.is_file():
        log(f"error: {path} does not exist")
        return 2
    nb, reason = notebook.read(path)
    if nb is None:
        log(f"error: {path}: {reason}")
        return 2
    release = release_folder(path)
    if release is None:
        log(f"error: no {VISIBLE_TESTS_FILE} next to {path.name}: keep the notebook in its assignment "
            "folder (instructors: run `python -m grader build`)")
        return 2
    if sandboxed is None:
        sandboxed = sandbox.available_or_notice("checking", log)
    limits = limits or sandbox.Limits()
    scratch = Path(tempfile.mkdtemp(prefix="check-"))
    try:
        stage(release, path, scratch, name=path.name)
        worker = run.start(scratch, limits, sandboxed)   # its Python and NumPy load while this one reads the tests
        from . import spec as specs
        from .paths import checks, plain
        try:
            tests = plain.decode(json.loads((release / VISIBLE_TESTS_FILE).read_text()))
        except BaseException:
            worker.kill()
            raise
        calls = [{"id": f"{name}#{k}", "func": name, "kwargs": case["kwargs"]}
                 for name, t in tests.items() for k, case in enumerate(t["cases"])]
        result = run.run(scratch, notebook.cells_to_run(nb), calls, limits, sandboxed, started=worker)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for err in result.cell_errors:
        log(f"note: cell {notebook.cell_number(err.get('index'))} raised {err['type']}: {err['message'][:200]}")
    returns = {f.name: checks.return_names(ast.get_docstring(f)) for f in specs.graded_functions(nb, set(tests))}
    passed = 0
    for name, t in tests.items():
        problems = []
        for k, case in enumerate(t["cases"]):
            o = result.outcomes.get(f"{name}#{k}")
            if o is None or o.kind != "result":
                kind = o.kind if o else "crashed"
                extra = f" {o.detail.get('type')}: {o.detail.get('message')}" if o and o.kind == "error" else ""
                problems.append(f"case {k + 1}: {kind}{extra}")
                continue
            m = checks.compare(o.value, case["expected"], t["rtol"], t["atol"], names=returns.get(name))
            if m:
                problems.append(f"case {k + 1}: {m['message']}")
        if problems:
            log(f"\u274c {name}: " + "; ".join(problems))
        else:
            passed += 1
            log(f"\u2705 {name}: {len(t['cases'])} visible test(s) passed")
    if not tests:
        log("this notebook has no graded functions with visible tests (quiz answers are checked for "
            "format by the cell after each answer, and graded only by the instructor's grader)")
        return 0
    log(f"{passed} of {len(tests)} graded functions pass their visible tests.")
    return 0 if passed == len(tests) else 1
