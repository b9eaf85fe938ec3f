"""Plain values <-> JSON, with no pickle and no objects.

The grader moves every value between the trusted process and the sandbox through this
codec: None, bools, ints, floats (nan and inf included), strings, lists, tuples, dicts
with string keys, and numpy arrays or scalars of plain dtypes (bool, int, uint, float,
complex, str). Anything else is refused with PlainValueError.
"""
import base64
import json
import math

import numpy as np

PLAIN_KINDS = "biufcU"
TAGS = ("__float__", "__tuple__", "__dict__", "__ndarray__", "__ref__")
MAX_DEPTH = 32


class PlainValueError(ValueError):
    """A value that is not plain data (an object, a function, an object array, ...)."""


def _float(x):
    if math.isfinite(x):
        return x
    return {"__float__": repr(x)}


def encode(value, readable=False, _depth=0):
    """Turn `value` into JSON-ready data. `readable` writes arrays as nested lists."""
    if _depth > MAX_DEPTH:
        raise PlainValueError("value nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        if arr.dtype.kind not in PLAIN_KINDS or arr.dtype.fields is not None:
            raise PlainValueError(f"array of dtype {arr.dtype} is not plain data")
        out = {"dtype": arr.dtype.str, "shape": list(arr.shape), "scalar": isinstance(value, np.generic)}
        if readable and arr.dtype.kind in "biuU":
            out["data"] = arr.tolist()
        elif readable and arr.dtype.kind == "f":
            out["data"] = [_float(float(x)) for x in arr.ravel()]
        else:
            out["b64"] = base64.b64encode(np.ascontiguousarray(arr).tobytes()).decode("ascii")
        return {"__ndarray__": out}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, readable, _depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, readable, _depth + 1) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise PlainValueError("dict keys must be strings")
        body = {k: encode(v, readable, _depth + 1) for k, v in value.items()}
        return {"__dict__": body} if len(body) == 1 and next(iter(body)) in TAGS else body
    raise PlainValueError(f"a value of type {type(value).__name__} is not plain data")


def _dtype(text):
    dt = np.dtype(text)
    if dt.kind not in PLAIN_KINDS or dt.fields is not None or dt.hasobject:
        raise PlainValueError(f"dtype {text!r} is not plain data")
    return dt


def decode(data, _depth=0):
    """Inverse of encode; refuses anything that encode would not produce."""
    if _depth > MAX_DEPTH:
        raise PlainValueError("value nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v, _depth + 1) for v in data]
    if isinstance(data, dict) and len(data) == 1 and next(iter(data)) in TAGS:
        (tag, body), = data.items()
        if tag == "__float__" and body in ("nan", "inf", "-inf"):
            return float(body)
        if tag == "__tuple__" and isinstance(body, list):
            return tuple(decode(v, _depth + 1) for v in body)
        if tag == "__dict__" and isinstance(body, dict):
            return {str(k): decode(v, _depth + 1) for k, v in body.items()}
        if tag == "__ndarray__" and isinstance(body, dict):
            dt = _dtype(body["dtype"])
            shape = tuple(int(n) for n in body["shape"])
            if "b64" in body:
                arr = np.frombuffer(base64.b64decode(body["b64"]), dtype=dt).reshape(shape).copy()
            else:
                items = [decode(x) if isinstance(x, dict) else x for x in np.ravel(np.array(body["data"], dtype=object))] \
                    if dt.kind == "f" else body["data"]
                arr = np.array(items, dtype=dt).reshape(shape)
            return arr[()] if body.get("scalar") else arr
    if isinstance(data, dict):
        return {str(k): decode(v, _depth + 1) for k, v in data.items()}
    raise PlainValueError(f"not a plain value: {str(data)[:80]}")


def dumps(value, readable=False):
    return json.dumps(encode(value, readable), allow_nan=False)


def loads(text):
    return decode(json.loads(text))
