"""Compare a function's output with the expected one, and run a notebook's visible tests.

The same `compare` decides the student's self-check in the notebook and the grader's
verdict on hidden inputs, so a visible test that passes means what the grade means.
"""
import copy
import json
from pathlib import Path

import numpy as np

import plain

VISIBLE_TESTS_FILE = "visible_tests.json"


def _fmt(value, limit=400):
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=6, threshold=40, edgeitems=3)
    else:
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + " ..."


def _number(x):
    """A number as a person writes it: -1.453, not np.float64(-1.4529999999999998)."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    return f"{float(x):.10g}"


def _kind(value):
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "number"
    if isinstance(value, np.ndarray):
        return "array"
    if isinstance(value, (tuple, list)):
        return "sequence"
    return type(value).__name__


def compare(got, expected, rtol=1e-6, atol=1e-9, path="output", names=None):
    """Return None when `got` matches `expected`, else a dict describing the first mismatch.

    names: what the docstring calls the parts of the output (see `return_names`), used in messages.
    """
    return next(mismatches(got, expected, rtol, atol, path, names), None)


def mismatches(got, expected, rtol=1e-6, atol=1e-9, path="output", names=None):
    """Every mismatching part of `got` against `expected`: dicts with kind, path, message and safe.

    Arrays must match in shape and in kind of dtype (float, int, bool) and agree
    elementwise within |got - expected| <= atol + rtol * |expected|. Numbers follow the
    same rule; strings, bools and None must be equal; containers are compared item by item,
    and every mismatching item is reported. `names` renames the top-level parts: one name for
    a single output, or one per item of a returned tuple (dW instead of output[1]).
    """
    if names and isinstance(expected, tuple) and len(names) == len(expected):
        part_paths = list(names)
    else:
        part_paths = None
        if names and len(names) == 1:
            path = names[0]

    def miss(kind, message, safe=None):
        # `safe` says what is wrong without any value: it is what feedback on hidden tests shows
        return {"kind": kind, "path": path, "message": message, "safe": safe or message}

    if got is None and expected is not None:
        yield miss("none", f"{path} is None: the function is not implemented yet (or forgot to return)")
        return
    if expected is None:
        if got is not None:
            yield miss("value", f"{path} should be None", f"{path} should be None")
        return
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            yield miss("type", f"{path} should be a dict, got {type(got).__name__}")
            return
        missing = [k for k in expected if k not in got]
        if missing:
            yield miss("keys", f"{path} lacks the key(s) {missing}")
        for k in expected:
            if k in got:
                yield from mismatches(got[k], expected[k], rtol, atol, f"{path}[{k!r}]")
        return
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            yield miss("type", f"{path} should be a {type(expected).__name__} of {len(expected)} items, "
                               f"got {type(got).__name__}", f"{path} should be a {type(expected).__name__}, "
                               f"got {type(got).__name__}")
            return
        if len(got) != len(expected):
            yield miss("length", f"{path} should have {len(expected)} items, got {len(got)}",
                       f"{path} has the wrong number of items")
            return
        for i, (g, e) in enumerate(zip(got, expected)):
            yield from mismatches(g, e, rtol, atol, part_paths[i] if part_paths else f"{path}[{i}]")
        return
    if isinstance(expected, str):
        if got != expected:
            yield miss("value", f"{path} should be the string {expected!r}", f"{path} is not the expected string")
        return
    if _kind(expected) == "bool":
        if _kind(got) != "bool" or bool(got) != bool(expected):
            yield miss("value", f"{path} should be {bool(expected)}", f"{path} is not the expected truth value")
        return
    exp = np.asarray(expected)
    if isinstance(got, (str, dict, tuple, list)) or got is None or _kind(got) == "bool" and exp.dtype.kind != "b":
        yield miss("type", f"{path} should be {'an array' if isinstance(expected, np.ndarray) else 'a number'}, "
                           f"got {type(got).__name__}")
        return
    try:
        arr = np.asarray(got)
    except Exception:
        yield miss("type", f"{path} could not be read as an array")
        return
    if isinstance(expected, np.ndarray) and not isinstance(got, np.ndarray):
        yield miss("type", f"{path} should be a numpy array, got {type(got).__name__}")
        return
    if arr.shape != exp.shape:
        if arr.ndim != exp.ndim:
            where = f"has {arr.ndim} axes where {exp.ndim} are expected"
        else:
            axes = [i for i, (a, e) in enumerate(zip(arr.shape, exp.shape)) if a != e]
            where = f"has the wrong size along axis {' and '.join(map(str, axes))} (of axes 0..{arr.ndim - 1})"
        yield miss("shape", f"{path} has shape {arr.shape}, expected {exp.shape}",
                   f"{path} {where}: compare with the shapes in the docstring")
        return
    if exp.dtype.kind in "US":                      # arrays of strings: equal, entry by entry
        if arr.dtype.kind not in "US" or not np.array_equal(arr, exp):
            yield miss("value", f"{path} differs from {_fmt(exp, 200)}", f"{path} has the wrong strings")
        return
    if arr.dtype.kind not in "biuf":
        yield miss("dtype", f"{path} has dtype {arr.dtype}, expected numbers")
        return
    if exp.dtype.kind == "f" and arr.dtype.kind != "f" and isinstance(expected, np.ndarray):
        yield miss("dtype", f"{path} has dtype {arr.dtype}, expected floating point ({exp.dtype})")
        return
    if exp.dtype.kind == "b" and arr.dtype.kind != "b":
        yield miss("dtype", f"{path} has dtype {arr.dtype}, expected bool")
        return
    a = arr.astype(np.float64) if arr.dtype.kind != "b" else arr
    e = exp.astype(np.float64) if exp.dtype.kind != "b" else exp
    if exp.dtype.kind == "b":
        bad = a != e
    else:
        # np.isclose's rule, written out (np.isclose costs more than the rest of a small comparison):
        # within atol + rtol * |expected| (finite), or equal (infinities of the same sign), or both NaN
        with np.errstate(invalid="ignore", over="ignore"):
            bad = ~(((np.abs(a - e) <= atol + rtol * np.abs(e)) & np.isfinite(e)) | (a == e)
                    | (np.isnan(a) & np.isnan(e)))
    if np.any(bad):
        idx = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
        where = f" at index {idx}" if idx else ""
        tally = f"{int(np.sum(bad))} of {bad.size} entries outside rtol={rtol:g}, atol={atol:g}"
        yield miss("value", f"{path} differs{where}: got {_number(a[idx])}, expected {_number(e[idx])} ({tally})",
                   f"{path} has wrong values ({tally})")


def return_names(doc):
    """The names a docstring's "Returns:" section gives the outputs, in order ([] when it names none).

    Reads lines of the form `name -- description` (or `a, b -- ...`) after a line starting "Returns".
    """
    names, inside = [], False
    for line in (doc or "").splitlines():
        stripped = line.strip()
        if stripped.lower().startswith("returns"):
            inside = True
            continue
        if not inside:
            continue
        if not stripped and names:
            break
        head, sep, _ = stripped.partition(" -- ")
        if sep and all(part.strip().isidentifier() for part in head.split(",")):
            names += [part.strip() for part in head.split(",")]
    return names


def load_visible_tests(folder="."):
    path = Path(folder) / VISIBLE_TESTS_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: keep the notebook in its assignment folder "
                                f"(instructors: run `python -m grader build`)")
    return plain.decode(json.loads(path.read_text()))


def _student_traceback(exc):
    """The traceback of an exception raised in the student's code, without this module's frames."""
    import traceback
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).name != "checks.py"]
    lines = traceback.format_list(frames) + traceback.format_exception_only(type(exc), exc)
    return "".join(lines).rstrip()


def _indented(text, width=14):
    return text.replace("\n", "\n" + " " * width)


def _inputs(name, k, kwargs):
    shown = ", ".join(f"{key}={_fmt(v, 120)}" for key, v in kwargs.items())
    return (f"{_indented(shown)}\n    to try them yourself: "
            f"`from testCases import {name}_test_case; {name}(**{name}_test_case({k}))`")


def run_visible(name, func, tests):
    """Run the visible cases of graded item `name` on `func`; return a list of failure messages."""
    spec = tests[name]
    names = return_names(func.__doc__)
    failures = []
    for i, case in enumerate(spec["cases"], 1):
        kwargs = copy.deepcopy(case["kwargs"])
        try:
            got = func(**kwargs)
        except NotImplementedError:
            raise
        except Exception as exc:
            trace = _student_traceback(exc).replace("\n", "\n      ")
            failures.append(f"case {i}: raised {type(exc).__name__}: {exc}\n    your code's traceback:\n      {trace}")
            continue
        found = list(mismatches(got, case["expected"], spec["rtol"], spec["atol"], names=names))
        if not found:
            changed = [k for k in kwargs if compare(kwargs[k], case["kwargs"][k], 0, 0) is not None]
            if changed:
                print(f"  note: {name} changed its input(s) {', '.join(changed)} in place (case {i}); the caller's "
                      "arrays change too. Compute new arrays instead (x = x / n, not x /= n).")
            continue
        if found[0]["kind"] == "none":
            failures.append(f"case {i}: {found[0]['message']}")
            break
        parts = "\n    ".join(m["message"] for m in found[:8])
        more = f"\n    ... and {len(found) - 8} more" if len(found) > 8 else ""
        failures.append(f"case {i}: {parts}{more}\n    inputs:   {_inputs(name, i, case['kwargs'])}"
                        f"\n    expected: {_indented(_fmt(case['expected']))}\n    got:      {_indented(_fmt(got))}")
    return failures


class _ShortError(Exception):
    """An error IPython shows as one line: the messages printed above it say the rest."""

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


class NotImplementedYet(_ShortError):
    """Raised by `check` when a graded function still returns its placeholder None."""


class VisibleTestFailed(_ShortError, AssertionError):
    """Raised by `check` when a graded function fails one of its visible tests."""


def check(func, name=None, folder="."):
    """Visible test of a graded function: prints what passed or what is wrong, then raises if anything is.

    Example, in the cell after `# GRADED FUNCTION: sigmoid`:  check(sigmoid)
    """
    name = name or func.__name__
    tests = load_visible_tests(folder)
    failures = run_visible(name, func, tests)
    n = len(tests[name]["cases"])
    if not failures:
        print(f"\u2705 {name}: all {n} visible test(s) passed.")
        return
    if any("not implemented yet" in f for f in failures):
        print(f"\u274c {name} is not implemented yet.")
        raise NotImplementedYet(f"{name} is not implemented yet: fill in the lines between "
                                f"### START CODE HERE ### and ### END CODE HERE ###")
    print(f"\u274c {name}: {len(failures)} of {n} visible test(s) failed.")
    for f in failures:
        print("  " + f)
    raise VisibleTestFailed(f"{name} failed {len(failures)} of {n} visible test(s); the messages above say how")
