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


class NotImplementedYet(Exception):
    """Raised by `check` when a graded function still returns its placeholder None."""


def _fmt(value, limit=400):
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=6, threshold=40, edgeitems=3)
    else:
        text = repr(value)
    return text if len(text) <= limit else text[:limit] + " ..."


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


def compare(got, expected, rtol=1e-6, atol=1e-9, path="output"):
    """Return None when `got` matches `expected`, else a dict describing the first mismatch.

    Arrays must match in shape and in kind of dtype (float, int, bool) and agree
    elementwise within |got - expected| <= atol + rtol * |expected|. Numbers follow the
    same rule; strings, bools and None must be equal; containers are compared item by item.
    """
    def miss(kind, message, safe=None):
        # `safe` says what is wrong without any value: it is what feedback on hidden tests shows
        return {"kind": kind, "path": path, "message": message, "safe": safe or message}

    if got is None and expected is not None:
        return miss("none", f"{path} is None: the function is not implemented yet (or forgot to return)")
    if expected is None:
        return None if got is None else miss("value", f"{path} should be None", f"{path} should be None")
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return miss("type", f"{path} should be a dict, got {type(got).__name__}")
        missing = [k for k in expected if k not in got]
        if missing:
            return miss("keys", f"{path} lacks the key(s) {missing}")
        for k in expected:
            m = compare(got[k], expected[k], rtol, atol, f"{path}[{k!r}]")
            if m:
                return m
        return None
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return miss("type", f"{path} should be a {type(expected).__name__} of {len(expected)} items, "
                                f"got {type(got).__name__}", f"{path} should be a {type(expected).__name__}, "
                                f"got {type(got).__name__}")
        if len(got) != len(expected):
            return miss("length", f"{path} should have {len(expected)} items, got {len(got)}",
                        f"{path} has the wrong number of items")
        for i, (g, e) in enumerate(zip(got, expected)):
            m = compare(g, e, rtol, atol, f"{path}[{i}]")
            if m:
                return m
        return None
    if isinstance(expected, str):
        if got != expected:
            return miss("value", f"{path} should be the string {expected!r}", f"{path} is not the expected string")
        return None
    if _kind(expected) == "bool":
        if _kind(got) != "bool" or bool(got) != bool(expected):
            return miss("value", f"{path} should be {bool(expected)}", f"{path} is not the expected truth value")
        return None
    exp = np.asarray(expected)
    if isinstance(got, (str, dict, tuple, list)) or got is None or _kind(got) == "bool" and exp.dtype.kind != "b":
        return miss("type", f"{path} should be {'an array' if isinstance(expected, np.ndarray) else 'a number'}, got {type(got).__name__}")
    try:
        arr = np.asarray(got)
    except Exception:
        return miss("type", f"{path} could not be read as an array")
    if isinstance(expected, np.ndarray) and not isinstance(got, np.ndarray):
        return miss("type", f"{path} should be a numpy array, got {type(got).__name__}")
    if arr.shape != exp.shape:
        return miss("shape", f"{path} has shape {arr.shape}, expected {exp.shape}",
                    f"{path} has the wrong shape (compare with the shapes in the docstring)")
    if arr.dtype.kind not in "biuf":
        return miss("dtype", f"{path} has dtype {arr.dtype}, expected numbers")
    if exp.dtype.kind == "f" and arr.dtype.kind != "f" and isinstance(expected, np.ndarray):
        return miss("dtype", f"{path} has dtype {arr.dtype}, expected floating point ({exp.dtype})")
    if exp.dtype.kind == "b" and arr.dtype.kind != "b":
        return miss("dtype", f"{path} has dtype {arr.dtype}, expected bool")
    a = arr.astype(np.float64) if arr.dtype.kind != "b" else arr
    e = exp.astype(np.float64) if exp.dtype.kind != "b" else exp
    if exp.dtype.kind == "b":
        bad = a != e
    else:
        with np.errstate(invalid="ignore", over="ignore"):
            bad = ~(np.isclose(a, e, rtol=rtol, atol=atol) | (np.isnan(a) & np.isnan(e)))
    if np.any(bad):
        idx = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
        where = f" at index {idx}" if idx else ""
        tally = f"{int(np.sum(bad))} of {bad.size} entries outside rtol={rtol:g}, atol={atol:g}"
        return miss("value", f"{path} differs{where}: got {a[idx]!r}, expected {e[idx]!r} ({tally})",
                    f"{path} has wrong values ({tally})")
    return None


def load_visible_tests(folder="."):
    path = Path(folder) / VISIBLE_TESTS_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: keep the notebook in its assignment folder "
                                f"(instructors: run `python -m grader build`)")
    return plain.decode(json.loads(path.read_text()))


def run_visible(name, func, tests):
    """Run the visible cases of graded item `name` on `func`; return a list of failure messages."""
    spec = tests[name]
    failures = []
    for i, case in enumerate(spec["cases"], 1):
        kwargs = copy.deepcopy(case["kwargs"])
        try:
            got = func(**kwargs)
        except NotImplementedError:
            raise
        except Exception as exc:
            failures.append(f"case {i}: raised {type(exc).__name__}: {exc}")
            continue
        m = compare(got, case["expected"], spec["rtol"], spec["atol"])
        if m:
            msg = f"case {i}: {m['message']}"
            if m["kind"] != "none":
                msg += f"\n    inputs:   {', '.join(f'{k}={_fmt(v, 200)}' for k, v in case['kwargs'].items())}" \
                       f"\n    expected: {_fmt(case['expected'])}\n    got:      {_fmt(got)}"
            failures.append(msg)
            if m["kind"] == "none":
                break
    return failures


def check(func, name=None, folder="."):
    """Visible test of a graded function: prints what passed or what is wrong, then asserts.

    Example, in the cell after `# GRADED FUNCTION: sigmoid`:  check(sigmoid)
    """
    name = name or func.__name__
    tests = load_visible_tests(folder)
    failures = run_visible(name, func, tests)
    n = len(tests[name]["cases"])
    if not failures:
        print(f"\u2705 {name}: all {n} visible test(s) passed.")
        return
    print(f"\u274c {name}: {len(failures)} of {n} visible test(s) failed.")
    for f in failures:
        print("  " + f)
    if any("not implemented yet" in f for f in failures):
        raise NotImplementedYet(f"{name} is not implemented yet: fill in the lines between "
                                f"### START CODE HERE ### and ### END CODE HERE ###")
    raise AssertionError(f"{name} failed {len(failures)} visible test(s); see the messages above")
