"""How an assignment says what to grade: one `Test` per graded item, listed in solutions/<slug>/spec.py."""
import importlib.util
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from .paths import ROOT


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
    hidden   rng -> keyword-argument dict; drawn afresh for each grading run (never released)
    n_hidden how many hidden cases to draw
    rtol, atol  tolerances of `checks.compare`, the same for visible and hidden cases
    keys     for functions returning a dict: compare only these keys
    kind     "function": called on hidden inputs; "answer": a variable compared with the solution's value
    score    optional (got, expected, kwargs) -> (fraction of points in [0, 1], message safe to show),
             called in the trusted process for each hidden case (kwargs: that case's inputs; {} for
             answers); replaces `checks.compare`: partial credit for multiple-choice answers, or a
             centred finite-difference check of a gradient. The item scores its lowest case.
    explanation  shown in the feedback after grading (answers: the idea behind the question)
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


@dataclass
class Spec:
    slug: str
    tests: list
    helpers: list
    data: list
    title: str

    @property
    def max_score(self):
        return sum(t.points for t in self.tests)


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
                getattr(module, "TITLE", slug))


def hidden_calls(spec, seed):
    """The hidden cases of one grading run: ids 'name#k' with their keyword arguments."""
    calls = []
    for i, test in enumerate(spec.tests):
        if test.kind != "function":
            calls.append({"id": f"{test.name}#0", "var": test.name})
            continue
        for k in range(test.n_hidden):
            rng = np.random.default_rng(np.random.SeedSequence([seed, i, k]))
            calls.append({"id": f"{test.name}#{k}", "func": test.name, "kwargs": test.hidden(rng)})
    return calls
