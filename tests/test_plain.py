import json

import numpy as np
import pytest

from grader.paths import plain


@pytest.mark.parametrize("readable", [False, True])
def test_round_trip_keeps_values_types_and_dtypes(readable):
    value = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "t": (1, 2.5, float("nan"), float("-inf")),
             "l": [np.int64(3), np.bool_(True), "s", None], "e": np.zeros((0, 4)), "__tuple__": {"x": 1}}
    back = plain.loads(plain.dumps(value, readable=readable))
    assert back["a"].dtype == np.float32 and back["a"].shape == (2, 3)
    np.testing.assert_array_equal(back["a"], value["a"])
    assert isinstance(back["t"], tuple) and back["t"][:2] == (1, 2.5)
    assert np.isnan(back["t"][2]) and back["t"][3] == float("-inf")
    assert back["l"][0] == 3 and back["l"][0].dtype == np.int64 and back["l"][1] is not None
    assert back["e"].shape == (0, 4)
    assert back["__tuple__"] == {"x": 1}


@pytest.mark.parametrize("bad", [object(), np.array([1, None], dtype=object), {1: 2}, lambda: 0, {1, 2}])
def test_objects_are_refused(bad):
    with pytest.raises(plain.PlainValueError):
        plain.encode(bad)


def test_decoding_refuses_object_dtype_and_unknown_shapes():
    with pytest.raises(plain.PlainValueError):
        plain.decode({"__ndarray__": {"dtype": "|O", "shape": [1], "b64": ""}})
    hostile = json.loads('{"__ndarray__": {"dtype": "<f8", "shape": [3], "b64": "AAAA"}}')
    with pytest.raises(ValueError):
        plain.decode(hostile)
