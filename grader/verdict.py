"""Turn what a submission's worker returned into points, a status and a message for the student.

Runs in the trusted process. Messages about hidden cases never quote hidden inputs or
expected values: they say what kind of thing is wrong and point to the visible test.
"""
from dataclasses import asdict, dataclass

from . import catalogue
from .paths import checks

RUN_PROBLEMS = {
    "timeout": "your function ran longer than the time limit on a hidden test (an endless loop?)",
    "crashed": "the Python process running your notebook stopped (os._exit, sys.exit in a thread, "
               "a crash, or too much memory) before this function returned",
    "output-flood": "your notebook sent back far more data than expected",
    "out-of-memory": "your notebook used more memory than the grading limit allows",
}


@dataclass
class ItemResult:
    item: str
    score: float
    max_score: float
    status: str
    message: str

    def as_dict(self):
        return asdict(self)


def _item(test, outcomes, reference, limits, inputs):
    ids = [k for k in reference if k.split("#")[0] == test.name]
    fractions, messages = [], []
    for cid in ids:
        outcome = outcomes.get(cid)
        if outcome is None or outcome.kind in RUN_PROBLEMS:
            kind = outcome.kind if outcome else "crashed"
            message = RUN_PROBLEMS[kind]
            if kind == "timeout":
                message = message.replace("the time limit", f"the time limit ({limits.test_seconds:g} s)")
            return ItemResult(test.name, 0, test.points, kind, message)
        if outcome.kind == "missing":
            return ItemResult(test.name, 0, test.points, "missing",
                              f"`{test.name}` is not defined: is its `# GRADED FUNCTION: {test.name}` cell "
                              "missing, or did that cell fail to run?")
        if outcome.kind == "error":
            exc = outcome.detail.get("type", "an exception")
            if exc == "MemoryError":
                return ItemResult(test.name, 0, test.points, "out-of-memory",
                                  "ran out of memory on a hidden test (the limit protects the grading machine)")
            line = outcome.detail.get("line")
            where = f" (line {line} of its cell)" if line else ""
            hint = " A placeholder `None` left in the code?" if "NoneType" in outcome.detail.get("message", "") else ""
            return ItemResult(test.name, 0, test.points, "error",
                              f"raised {exc}{where} on a hidden test.{hint} Run its visible test to see the error.")
        if outcome.kind == "unplain":
            what = ("your answer is not plain data: write letters as a string such as \"AC\" (or a list of "
                    "letters) and numbers as numbers") if test.kind == "answer" else \
                "returned something other than plain data (numbers, strings, numpy arrays, lists, tuples, dicts)"
            return ItemResult(test.name, 0, test.points, "not-plain", what)
        got, expected = outcome.value, reference[cid]
        if got is None and expected is not None:
            what = "no answer given" if test.kind == "answer" else "returned None: not implemented yet (or a missing `return`)"
            return ItemResult(test.name, 0, test.points, "not-implemented", f"{what}.")
        if test.score is not None:
            fraction, message = test.score(got, expected, inputs.get(cid, {}))
            fraction = min(1.0, max(0.0, float(fraction)))
            placeholder = checks.compare(got, expected, test.rtol, test.atol)
            if fraction == 0 and placeholder and placeholder["kind"] == "none":
                return ItemResult(test.name, 0, test.points, "not-implemented", f"{placeholder['safe']}.")
            fractions.append(fraction)
            messages.append(message)
            continue
        if test.keys is not None and isinstance(expected, dict):
            expected = {k: expected[k] for k in test.keys}
            if isinstance(got, dict):
                got = {k: got[k] for k in test.keys if k in got}
        mismatch = checks.compare(got, expected, test.rtol, test.atol)
        if mismatch:
            if mismatch["kind"] == "none":
                what = "no answer given" if test.kind == "answer" else "returned None: not implemented yet (or a missing `return`)"
                return ItemResult(test.name, 0, test.points, "not-implemented", f"{what}.")
            if test.kind == "answer":
                return ItemResult(test.name, 0, test.points, "failed", f"not the right answer. {test.explanation}".strip())
            return ItemResult(test.name, 0, test.points, "failed",
                              f"wrong answer on a hidden test: {mismatch['safe']}. The visible test shows "
                              f"expected values for its inputs.")
    if fractions:
        worst = min(range(len(fractions)), key=fractions.__getitem__)
        fraction = fractions[worst]
        status = "passed" if fraction == 1 else "partial" if fraction > 0 else "failed"
        message = f"{messages[worst]} {test.explanation}".strip()
        return ItemResult(test.name, round(test.points * fraction, 4), test.points, status, message)
    n = len(ids)
    message = "correct." if test.kind == "answer" else f"passed {n} hidden test{'s' * (n != 1)}."
    return ItemResult(test.name, test.points, test.points, "passed", f"{message} {test.explanation}".strip())


def _diagnose(result, test, outcomes, reference, catalogue_values):
    """Name the catalogued mistake whose outputs a wrong answer reproduces on every hidden case."""
    if result.status not in ("failed", "partial") or not catalogue_values:
        return result
    entries, entry_outcomes = catalogue_values
    ids = [k for k in reference if k.split("#")[0] == test.name]
    if not all(cid in outcomes and outcomes[cid].kind == "result" for cid in ids):
        return result
    found = catalogue.matching_mistake(test, {cid: outcomes[cid].value for cid in ids}, entries,
                                         entry_outcomes)
    if found:
        result.message = f"{result.message} Likely mistake: {found}."
    return result


def judge(spec, outcomes, reference, limits, calls=(), catalogue_values=None):
    """Item results; catalogue_values = (entries, [{case id: Outcome}] per entry) names likely mistakes."""
    inputs = {c["id"]: c.get("kwargs", {}) for c in calls}
    return [_diagnose(_item(test, outcomes, reference, limits, inputs), test, outcomes, reference, catalogue_values)
            for test in spec.tests]


def everything(spec, status, message):
    """The same verdict for every item (a submission that could not be run at all)."""
    return [ItemResult(t.name, 0, t.points, status, message) for t in spec.tests]
