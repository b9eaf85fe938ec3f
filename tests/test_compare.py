import numpy as np

from grader.paths import checks


def test_equal_within_tolerance_passes():
    assert checks.compare(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]), rtol=1e-6) is None
    assert checks.compare({"w": (1.0, [2])}, {"w": (1.0 + 1e-12, [2])}) is None


def test_each_kind_of_mismatch_is_named():
    assert checks.compare(None, np.zeros(2))["kind"] == "none"
    assert checks.compare(np.zeros((2, 3)), np.zeros((3, 2)))["kind"] == "shape"
    assert checks.compare(np.zeros(3, dtype=int), np.zeros(3))["kind"] == "dtype"
    assert checks.compare(np.array([1.0, 2.1]), np.array([1.0, 2.0]))["kind"] == "value"
    assert checks.compare(5.0, (1.0, 2.0))["kind"] == "type"
    assert checks.compare([1.0], (1.0, 2.0))["kind"] == "length"
    assert checks.compare({"a": 1}, {"a": 1, "b": 2})["kind"] == "keys"
    assert checks.compare("yes", "no")["kind"] == "value"
    assert checks.compare(0, True)["kind"] == "value"


def test_safe_message_never_shows_expected_values():
    m = checks.compare(np.array([[0.123456]]), np.array([[0.987654]]))
    assert "0.98" in m["message"] and "0.98" not in m["safe"]
    m = checks.compare(np.zeros((7, 5)), np.zeros((5, 7)))
    assert "(5, 7)" in m["message"] and "(5, 7)" not in m["safe"]
    m = checks.compare([1, 2, 3], [1, 2, 3, 4])
    assert "4" in m["message"] and "4" not in m["safe"]


def test_nan_matches_only_nan():
    assert checks.compare(np.array([np.nan]), np.array([np.nan])) is None
    assert checks.compare(np.array([0.0]), np.array([np.nan]))["kind"] == "value"


def test_placeholder_inside_a_result_reads_not_implemented_even_with_a_custom_score():
    from grader import sandbox, verdict
    from grader.run import Outcome
    from grader.spec import Spec, Test
    import numpy as np
    zero = lambda got, expected, kwargs: (0.0, "gradients differ")  # noqa: E731
    half = lambda got, expected, kwargs: (0.5, "half right")  # noqa: E731
    spec = Spec("x", [Test("f", score=zero), Test("g", score=half)], [], [], "x")
    reference = {"f#0": {"dW": np.ones(2)}, "g#0": {"dW": np.ones(2)}}
    outcomes = {"f#0": Outcome("result", {"dW": None}), "g#0": Outcome("result", {"dW": None})}
    f, g = verdict.judge(spec, outcomes, reference, sandbox.Limits())
    assert (f.status, f.score) == ("not-implemented", 0) and "None" in f.message
    assert (g.status, g.score) == ("partial", 0.5)


def test_arrays_of_strings_compare_by_value():
    assert checks.compare(np.array(["a", "bc"]), np.array(["a", "bc"])) is None
    m = checks.compare(np.array(["a", "b"]), np.array(["a", "secret"]))
    assert m["kind"] == "value" and "secret" in m["message"] and "secret" not in m["safe"]
    assert checks.compare(np.array([1.0, 2.0]), np.array(["a", "b"]))["kind"] == "value"

