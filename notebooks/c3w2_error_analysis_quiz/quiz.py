"""Quiz answers: the student's format check, the grader's scoring rules, and one teaching plot.

Answers are plain data, so the grader can ship them out of the sandbox:

  kind "single"    one capital letter, e.g. "B"
  kind "multiple"  every option that applies: a string of capital letters such as "ACD" (any
                   order) or a list of letters such as ["A", "C", "D"]; sets are not plain data
  kind "numeric"   a number (int or float) in the unit the question states

`check_answer` (student side, in the cell after each answer) validates the FORMAT only, never
correctness. `single`, `multiple` and `numeric` (grader side, used in spec.py) make scoring
functions score(got, expected, kwargs) -> (fraction in [0, 1], message). They never raise and
their messages never state the key.

Partial credit for "all that apply" questions (MULTIPLE_RULE):
    fraction = max(0, (right options picked - wrong options picked) / number of right options)
"""
import math
import numbers

import numpy as np

from checks import NotImplementedYet

MULTIPLE_RULE = ("each right option picked earns 1/k of the point and each wrong option picked "
                 "costs 1/k, where k is the number of right options; the total is never below 0")


def _letters_list(choices):
    return ", ".join(choices)


def _single_problem(value, choices):
    if not isinstance(value, str):
        return (f"write one capital letter in quotes, e.g. \"{choices[0]}\", "
                f"not a value of type {type(value).__name__}")
    if value != value.strip():
        return "remove the spaces around the letter"
    if len(value) != 1:
        return f"this question has exactly one answer: write a single letter among {_letters_list(choices)}"
    if value.upper() in choices and value not in choices:
        return f"use a capital letter: \"{value.upper()}\""
    if value not in choices:
        return f"choose one of {_letters_list(choices)}"
    return None


def _picked(value, choices):
    """(list of picked letters, None) or (None, what is wrong with the format)."""
    if isinstance(value, (set, frozenset)):
        return None, "sets cannot be graded: write a string such as \"AC\" or a list such as [\"A\", \"C\"]"
    if isinstance(value, str):
        items = list(value)
        if any(not c.isalpha() for c in items):
            return None, "letters only, with no spaces or commas: e.g. \"AC\""
    elif isinstance(value, (list, tuple)):
        items = list(value)
        if not all(isinstance(c, str) and len(c) == 1 for c in items):
            return None, "each item of the list must be one letter in quotes, e.g. [\"A\", \"C\"]"
    else:
        return None, f"write a string of letters such as \"AC\", not a value of type {type(value).__name__}"
    if not items:
        return None, "pick at least one option"
    lower = [c for c in items if c not in choices and c.upper() in choices]
    if lower:
        return None, "use capital letters, e.g. \"" + "".join(c.upper() for c in items) + "\""
    unknown = [c for c in items if c not in choices]
    if unknown:
        return None, f"not among the options: {', '.join(sorted(set(unknown)))} (choose among {_letters_list(choices)})"
    if len(set(items)) != len(items):
        return None, "each letter at most once"
    return items, None


def _number_problem(value):
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, str):
            return "write a number, not a string (e.g. 7.5, not \"7.5\" or \"7.5%\")"
        return f"write a number such as 7.5, not a value of type {type(value).__name__}"
    if not math.isfinite(float(value)):
        return "write a finite number"
    return None


def format_problem(value, kind, choices="ABCD"):
    """What is wrong with the format of `value` for a question of this kind, or None if nothing."""
    if kind == "single":
        return _single_problem(value, choices)
    if kind == "multiple":
        return _picked(value, choices)[1]
    if kind == "numeric":
        return _number_problem(value)
    raise ValueError(f"unknown question kind {kind!r}: use 'single', 'multiple' or 'numeric'")


def check_answer(name, value, kind, choices="ABCD", unit=""):
    """Visible check of one answer: its FORMAT only, never whether it is right.

    name    the answer variable's name, e.g. "q1"
    value   its value
    kind    "single", "multiple" or "numeric"
    choices the option letters of the question, e.g. "ABCD" (ignored for numeric questions)
    unit    what a numeric answer is measured in, e.g. "percent" (only echoed back)
    Raises NotImplementedYet while the answer is still None, AssertionError on a format problem.
    """
    if value is None:
        print(f"\u274c {name}: not answered yet.")
        raise NotImplementedYet(f"{name} is not answered yet: replace None between "
                                "### START CODE HERE ### and ### END CODE HERE ###")
    problem = format_problem(value, kind, choices)
    if problem:
        print(f"\u274c {name}: {problem}.")
        raise AssertionError(f"{name}: the answer is not in the expected format ({problem})")
    if kind == "numeric":
        shown = repr(float(value)) + (f" {unit}" if unit else "")
    else:
        shown = repr(str(value)) if isinstance(value, str) else repr([str(c) for c in value])
    print(f"\u2705 {name}: answer recorded (format OK): {shown}")


def _safe(score):
    """A scorer that never raises: anything unexpected scores 0 with a message."""
    def guarded(got, expected, kwargs=None):
        try:
            return score(got, expected)
        except Exception:  # a malformed answer must never crash grading
            return 0.0, "the answer could not be read; run its check cell to see the expected format."
    return guarded


def single(choices="ABCD"):
    """Scorer for a one-letter answer: 1 if it equals the key, else 0."""
    def score(got, expected):
        if got is None:
            return 0.0, "no answer given."
        problem = _single_problem(got, choices)
        if problem:
            return 0.0, f"not in the expected format ({problem})."
        if str(got) == str(expected):
            return 1.0, "correct."
        return 0.0, "not the right answer."
    return _safe(score)


def multiple(choices="ABCDE"):
    """Scorer for an "all that apply" answer, with partial credit by MULTIPLE_RULE."""
    def score(got, expected):
        if got is None:
            return 0.0, "no answer given."
        picked, problem = _picked(got, choices)
        if problem:
            return 0.0, f"not in the expected format ({problem})."
        key, _ = _picked(expected, choices)
        right = len(set(picked) & set(key))
        wrong = len(set(picked) - set(key))
        fraction = max(0.0, (right - wrong) / len(key))
        if fraction == 1.0 and set(picked) == set(key):
            return 1.0, "correct."
        rule = f"(partial credit: {MULTIPLE_RULE})"
        if fraction > 0:
            return fraction, f"partly right: {fraction:.2f} of the point {rule}."
        return 0.0, f"not the right set of options {rule}."
    return _safe(score)


def numeric(tol, unit=""):
    """Scorer for a number: 1 if |got - key| <= tol, else 0."""
    unit_text = f" {unit}" if unit else ""

    def score(got, expected):
        if got is None:
            return 0.0, "no answer given."
        problem = _number_problem(got)
        if problem:
            return 0.0, f"not in the expected format ({problem})."
        if abs(float(got) - float(expected)) <= tol:
            return 1.0, "correct."
        return 0.0, f"not the right value (answers within \u00b1{tol:g}{unit_text} of the key count as right)."
    return _safe(score)


def plot_error_ladder(levels, ax=None, title=""):
    """Bar chart of error rates with the gap between each pair of neighbouring bars named.

    levels  list of (label, error in percent, name of the gap to the previous bar or "")
    ax      a matplotlib Axes (a new figure when None); returns the Axes
    """
    import matplotlib.pyplot as plt
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.6))
    labels = [lab for lab, _, _ in levels]
    errors = [err for _, err, _ in levels]
    xs = range(len(levels))
    ax.bar(xs, errors, color="#9ecae1", edgecolor="#3182bd", width=0.55)
    for x, err in zip(xs, errors):
        ax.text(x, err + 0.15, f"{err:g}%", ha="center", va="bottom", fontsize=9)
    top = max(errors)
    for x in range(1, len(levels)):
        gap_name = levels[x][2]
        if not gap_name:
            continue
        lo, hi = errors[x - 1], errors[x]
        ax.annotate("", xy=(x - 0.5, hi), xytext=(x - 0.5, lo),
                    arrowprops=dict(arrowstyle="<->", color="#d62728"))
        ax.plot([x - 1 + 0.28, x - 0.5], [lo, lo], color="#d62728", lw=0.8, ls=":")
        ax.plot([x - 0.5, x - 0.28], [hi, hi], color="#d62728", lw=0.8, ls=":")
        small = abs(hi - lo) < 0.25 * top
        label = f"{gap_name}\n{hi - lo:g} point" + ("" if hi - lo == 1 else "s")
        ax.text(x - 0.5, max(lo, hi) + 0.1 * top if small else (lo + hi) / 2, label, color="#d62728",
                fontsize=8, ha="center", va="bottom" if small else "center",
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1))
    ax.set_xticks(list(xs))
    ax.set_xticklabels(labels)
    ax.set_ylabel("error (%)")
    ax.set_ylim(0, top * 1.3 + 0.5)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
