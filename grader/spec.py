"""How an assignment says what to grade: one `Test` per graded item, listed in solutions/<slug>/spec.py."""
import ast
import importlib.util
import inspect
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from .paths import ROOT, checks


@dataclass(frozen=True)
class Ref:
    """A keyword argument that is a function or value of the notebook itself, looked up by name."""
    name: str


@dataclass
class Test:
    """A graded item.

    name     the graded function (kind "function") or answer variable (kind "answer")
    points   what the item is worth; it is earned only when every hidden case passes
    visible  keyword-argument dicts shown to the student; expected outputs come from the solution
    hidden   rng -> keyword-argument dict; drawn afresh for each grading run (never released);
             or (rng, k) -> dict (the parameter named k), k the case number 0..n_hidden-1, to plan
             which case exposes what
    n_hidden how many hidden cases to draw
    rtol, atol  tolerances of `checks.compare`, the same for visible and hidden cases
    keys     for functions returning a dict: compare only these keys
    kind     "function": called on hidden inputs; "answer": a variable compared with the solution's value
    score    optional (got, expected, kwargs) -> (fraction of points in [0, 1], message safe to show),
             called in the trusted process for each hidden case (kwargs: that case's inputs; {} for
             answers); replaces `checks.compare`: partial credit for multiple-choice answers, or a
             centred finite-difference check of a gradient. The item scores its lowest case.
    explanation  shown in the feedback after grading (answers: the idea behind the question)
    keeps_inputs the docstring promises the inputs are left alone: a function that changes an input
             array in place loses the item (otherwise it only gets a note)
    """
    name: str
    points: float = 1.0
    visible: list = field(default_factory=list)
    hidden: Optional[Callable] = None
    n_hidden: int = 3
    rtol: float = 1e-6
    atol: float = 1e-9
    keys: Optional[tuple] = None
    kind: str = "function"
    score: Optional[Callable] = None
    explanation: str = ""
    keeps_inputs: bool = False


@dataclass
class Spec:
    slug: str
    tests: list
    helpers: list
    data: list
    title: str
    uses: dict = field(default_factory=dict)     # graded function -> the graded functions its solution calls
    returns: dict = field(default_factory=dict)  # graded function -> its outputs' names, from its docstring

    @property
    def max_score(self):
        return sum(t.points for t in self.tests)


def once_per_case(numeric):
    """`numeric(**kwargs)` as a function of the kwargs dict, computed once per hidden case.

    For a Test.score that checks a result against finite differences: every submission of a batch
    is scored on the same kwargs object, and the differences cost more than the rest of its grading.
    """
    memo = {}

    def of(kwargs):
        found = memo.get(id(kwargs))
        if found is None or found[0] is not kwargs:
            found = memo[id(kwargs)] = (kwargs, numeric(**kwargs))   # holding kwargs keeps its id unique
        return found[1]
    return of


def slugs():
    return sorted(p.name for p in (ROOT / "solutions").iterdir() if (p / "spec.py").exists())


def load(slug):
    path = ROOT / "solutions" / slug / "spec.py"
    if not path.exists():
        known = ", ".join(slugs()) or "none"
        raise SystemExit(f"error: no assignment named {slug!r} (known: {known})")
    module_spec = importlib.util.spec_from_file_location(f"spec_{slug}", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    tests = list(module.TESTS)
    names = [t.name for t in tests]
    if len(set(names)) != len(names):
        raise SystemExit(f"error: {path} names an item twice")
    return Spec(slug, tests, list(getattr(module, "HELPERS", [])), list(getattr(module, "DATA", [])),
                getattr(module, "TITLE", slug), *_read_solution(ROOT / "solutions" / slug / f"{slug}.ipynb", set(names)))


def _read_solution(solution_path, names):
    """From the solution notebook: which graded functions each graded function calls, and its outputs' names."""
    import json
    try:
        nb = json.loads(solution_path.read_text())
    except (OSError, ValueError):
        return {}, {}
    uses, returns = {}, {}
    for node in graded_functions(nb, names):
        called = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in names}
        uses[node.name] = sorted(called - {node.name})
        returns[node.name] = checks.return_names(ast.get_docstring(node))
    return uses, returns


def graded_functions(nb, names=None):
    """The ast.FunctionDef of every graded function defined in a notebook's graded cells (those in `names`)."""
    for cell in nb.get("cells", []):
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") != "code" or "# GRADED FUNCTION:" not in source:
            continue
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and (names is None or node.name in names):
                yield node


def hidden_calls(spec, seed):
    """The cases of one grading run: the visible ones 'name#vk', then hidden ones 'name#k' drawn from `seed`.

    The visible cases are graded too, so a visible test that fails cannot coexist with full marks.
    """
    calls = []
    for i, test in enumerate(spec.tests):
        if test.kind != "function":
            calls.append({"id": f"{test.name}#0", "var": test.name})
            continue
        # visible cases run first: an error there is reported as theirs, with the inputs the student has
        calls += [{"id": f"{test.name}#v{k}", "func": test.name, "kwargs": kwargs}
                  for k, kwargs in enumerate(test.visible)]
        for k in range(test.n_hidden):
            rng = np.random.default_rng(np.random.SeedSequence([seed, i, k]))
            kwargs = test.hidden(rng, k) if _takes_case_number(test.hidden) else test.hidden(rng)
            calls.append({"id": f"{test.name}#{k}", "func": test.name, "kwargs": kwargs})
    return calls


def _takes_case_number(hidden):
    """hidden(rng, k): a second parameter named k (other optional parameters are not the case number)."""
    try:
        return list(inspect.signature(hidden).parameters)[1:2] == ["k"]
    except (TypeError, ValueError):
        return False


def is_visible(case_id):
    return case_id.partition("#")[2].startswith("v")


def visible_number(case_id):
    """The visible case's number as the notebook's check prints it (from 1): 'name#v0' -> 1."""
    digits = case_id.partition("#v")[2]
    return int(digits[:len(digits) - len(digits.lstrip("0123456789"))] or 0) + 1
