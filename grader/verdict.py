"""Turn what a submission's worker returned into points, a status and a message for the student.

Runs in the trusted process. Messages about hidden cases never quote hidden inputs or
expected values: they say what kind of thing is wrong and point to the visible test.
"""
from concurrent.futures import Future
from dataclasses import asdict, dataclass

from . import catalogue, spec as specs
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


def _where(detail):
    """'in `f` (cell 12, line 5)' from a worker's error detail (untrusted: only its own feedback shows it)."""
    function, cell, line = detail.get("function"), detail.get("cell"), detail.get("line")
    name = f" in `{str(function)[:60]}`" if function and function != "<module>" else ""
    place = ", ".join(f"{k} {v}" for k, v in (("cell", cell), ("line", line)) if isinstance(v, int))
    return f"{name} ({place})" if place else name


def _error_message(test, outcome, cid, graded):
    detail = outcome.detail
    exc = str(detail.get("type", "an exception"))[:60]
    hint = " A placeholder `None` left in the code?" if "NoneType" in str(detail.get("message", "")) else ""
    function = detail.get("function")
    if function and function != test.name and function in graded:
        return f"raised {exc}{_where(detail)}, which `{test.name}` calls: fix `{function}` first.{hint}"
    if specs.is_visible(cid):
        return (f"raised {exc}{_where(detail)} on visible test case {specs.visible_number(cid)}.{hint} "
                "Run its visible test cell to see the traceback.")
    return (f"raised {exc}{_where(detail)} on a hidden test, though its visible tests pass.{hint} Check that "
            "it works for every shape and size the docstring allows, not only the visible example.")


def _case_ids(test, reference):
    """The ids of one item's cases ('name#k', 'name#vk') among a run's reference answers."""
    return [k for k in reference if k.split("#")[0] == test.name]


def _item(test, outcomes, reference, limits, inputs, graded=(), names=None):
    # visible cases first: when one fails, its message may show inputs and expected values
    ids = sorted(_case_ids(test, reference), key=lambda k: not specs.is_visible(k))
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
            return ItemResult(test.name, 0, test.points, "error", _error_message(test, outcome, cid, graded))
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
            placeholder = checks.compare(got, expected, test.rtol, test.atol, names=names)
            if fraction == 0 and placeholder and placeholder["kind"] == "none":
                return ItemResult(test.name, 0, test.points, "not-implemented", f"{placeholder['safe']}.")
            if fraction < 1 and specs.is_visible(cid):
                # a visible case may be explained with its values; the hook's words are about hidden ones
                why = placeholder["message"] if placeholder else message.replace("on a hidden test", "").strip()
                message = f"fails visible test case {specs.visible_number(cid)}: {why.rstrip('.')}."
            fractions.append(fraction)
            messages.append(message)
            continue
        if test.keys is not None and isinstance(expected, dict):
            expected = {k: expected[k] for k in test.keys}
            if isinstance(got, dict):
                got = {k: got[k] for k in test.keys if k in got}
        found = list(checks.mismatches(got, expected, test.rtol, test.atol, names=names))
        if found:
            mismatch = found[0]
            if mismatch["kind"] == "none":
                what = "no answer given" if test.kind == "answer" else "returned None: not implemented yet (or a missing `return`)"
                return ItemResult(test.name, 0, test.points, "not-implemented", f"{what}.")
            if test.kind == "answer":
                return ItemResult(test.name, 0, test.points, "failed", f"not the right answer. {test.explanation}".strip())
            key = "message" if specs.is_visible(cid) else "safe"    # hidden cases: never a value
            parts = "; ".join(m[key] for m in found[:6]) + ("; ..." if len(found) > 6 else "")
            if specs.is_visible(cid):
                return ItemResult(test.name, 0, test.points, "failed",
                                  f"fails visible test case {specs.visible_number(cid)}: {parts}.")
            return ItemResult(test.name, 0, test.points, "failed",
                              f"wrong answer on a hidden test: {parts}. The visible test shows "
                              f"expected values for its inputs.")
    if fractions:
        worst = min(range(len(fractions)), key=fractions.__getitem__)
        fraction = fractions[worst]
        status = "passed" if fraction == 1 else "partial" if fraction > 0 else "failed"
        message = f"{messages[worst]} {test.explanation}".strip()
        return ItemResult(test.name, round(test.points * fraction, 4), test.points, status, message)
    n = sum(not specs.is_visible(k) for k in ids)
    message = "correct." if test.kind == "answer" else f"passed {n} hidden test{'s' * (n != 1)}" + \
        (" and its visible tests." if n < len(ids) else ".")
    return ItemResult(test.name, test.points, test.points, "passed", f"{message} {test.explanation}".strip())


def _diagnose(result, test, outcomes, reference, catalogue_values):
    """Name the catalogued mistake whose outputs a wrong answer reproduces on every hidden case."""
    if result.status not in ("failed", "partial") or not catalogue_values:
        return result
    if isinstance(catalogue_values, Future):   # still being computed when the batch began
        if catalogue_values.exception() is not None:
            return result                       # the batch reports that error when it ends
        catalogue_values = catalogue_values.result()
        if not catalogue_values:
            return result
    entries, entry_outcomes = catalogue_values
    ids = _case_ids(test, reference)
    if not all(cid in outcomes and outcomes[cid].kind == "result" for cid in ids):
        return result
    found = catalogue.matching_mistake(test, {cid: outcomes[cid].value for cid in ids}, entries,
                                         entry_outcomes)
    if found:
        result.message = f"{result.message} Likely mistake: {found}."
    return result


def _changed_inputs(test, outcomes, reference):
    """A note when the function changed the caller's arrays in place (reported by the worker per call)."""
    changed = sorted({str(p)[:80] for k in _case_ids(test, reference) if k in outcomes
                      for p in (outcomes[k].detail.get("changed") or [])[:5]})
    if not changed:
        return ""
    return (f" Note: it changes its input{'s' * (len(changed) > 1)} {', '.join(changed)} in place, so the "
            "caller's arrays change too; compute a new array instead (x = x / norm, not x /= norm).")


def _blame_callees(results, uses):
    """Point a failing item at the graded functions it calls (directly or not) whose failure is their own."""
    failed = {r.item for r in results if r.score < r.max_score}

    def reachable(name):
        seen, todo = set(), list(uses.get(name, ()))
        while todo:
            callee = todo.pop(0)
            if callee not in seen:
                seen.add(callee)
                todo += uses.get(callee, ())
        return seen - {name}

    for r in results:
        if r.item not in failed or "first." in r.message:
            continue
        # root causes: failing callees none of whose own callees fail
        culprits = sorted(c for c in reachable(r.item) & failed if not reachable(c) & failed)
        if culprits:
            names = ", ".join(f"`{c}`" for c in culprits)
            r.message += (f" It calls {names}, which fail{'s' * (len(culprits) == 1)} too: fix "
                          f"{'that' if len(culprits) == 1 else 'those'} first, then check this one again.")
    return results


def judge(spec, outcomes, reference, limits, calls=(), catalogue_values=None):
    """Item results; catalogue_values = (entries, [{case id: Outcome}] per entry), or a Future of it,
    names likely mistakes."""
    inputs = {c["id"]: c.get("kwargs", {}) for c in calls}
    graded = {t.name for t in spec.tests}
    results = []
    for test in spec.tests:
        result = _item(test, outcomes, reference, limits, inputs, graded, spec.returns.get(test.name))
        note = _changed_inputs(test, outcomes, reference)
        if note and test.keeps_inputs and result.score > 0:
            result = ItemResult(test.name, 0, test.points, "failed",
                                "its docstring promises to leave the inputs alone.")
        result = _diagnose(result, test, outcomes, reference, catalogue_values)
        result.message += note
        results.append(result)
    return _blame_callees(results, spec.uses)


def everything(spec, status, message):
    """The same verdict for every item (a submission that could not be run at all)."""
    return [ItemResult(t.name, 0, t.points, status, message) for t in spec.tests]
