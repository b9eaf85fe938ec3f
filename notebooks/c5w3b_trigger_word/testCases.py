"""The inputs of this assignment's visible tests, to call a graded function on them in a scratch cell.

    from testCases import sigmoid_test_case
    sigmoid(**sigmoid_test_case())        # the inputs of visible case 1; sigmoid_test_case(2) for case 2

`<function>_test_case(k)` returns a fresh copy of the keyword arguments of visible case k (from 1),
read from visible_tests.json next to the notebook, so changing them changes nothing for the tests.
"""
import copy

import checks

_SUFFIX = "_test_case"


def _cases(name):
    tests = checks.load_visible_tests()
    if name not in tests:
        raise AttributeError(f"no visible tests for {name!r}: this assignment grades {', '.join(tests)}")
    return tests[name]["cases"]


def __getattr__(attribute):
    if not attribute.endswith(_SUFFIX) or attribute.startswith("__"):
        raise AttributeError(attribute)
    name = attribute[: -len(_SUFFIX)]
    cases = _cases(name)

    def test_case(k=1):
        if not 1 <= k <= len(cases):
            raise IndexError(f"{name} has {len(cases)} visible case(s): ask for 1 to {len(cases)}")
        return copy.deepcopy(cases[k - 1]["kwargs"])

    test_case.__name__ = attribute
    test_case.__doc__ = f"Keyword arguments of visible case k (1 to {len(cases)}) of {name}."
    return test_case


def __dir__():
    return [f"{name}{_SUFFIX}" for name in checks.load_visible_tests()]
