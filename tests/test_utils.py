"""The shared helpers in utils/: gradients by centred finite differences in float64."""
import numpy as np
import pytest

from grader.paths import UTILS  # noqa: F401  (puts utils/ on sys.path)
import dnn_utils


@pytest.mark.parametrize("name", ["sigmoid", "relu", "tanh"])
def test_activation_backward_matches_centred_differences(name):
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(4, 5))
    Z[np.abs(Z) < 1e-3] = 0.5  # keep away from relu's kink
    forward, backward = getattr(dnn_utils, name), getattr(dnn_utils, f"{name}_backward")
    dA = rng.normal(size=Z.shape)
    A, cache = forward(Z)
    assert A.shape == Z.shape and cache is Z
    h = 1e-6
    numeric = np.zeros_like(Z)
    for idx in np.ndindex(Z.shape):
        Zp, Zm = Z.copy(), Z.copy()
        Zp[idx] += h
        Zm[idx] -= h
        numeric[idx] = np.sum(dA * (forward(Zp)[0] - forward(Zm)[0])) / (2 * h)
    np.testing.assert_allclose(backward(dA, cache), numeric, rtol=1e-6, atol=1e-8)


def test_sigmoid_is_stable_for_large_inputs():
    with np.errstate(over="raise", invalid="raise"):
        A, _ = dnn_utils.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(A, [0.0, 0.5, 1.0])
