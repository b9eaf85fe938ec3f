"""utils/seq.py: every backward against centred finite differences in float64, clipping, step, shapes,
and a small LSTM model that learns."""
import numpy as np
import pytest

from grader.paths import UTILS  # noqa: F401  (puts utils/ on sys.path)
import framework
import seq

RTOL, ATOL = 1e-6, 1e-8
N_X, N_A, M, T = 3, 4, 2, 5          # small, and n_a != n_x so that a transpose cannot hide


def _params(kind, n_x, n_a, rng):
    if kind == "rnn":
        return {"Wax": rng.normal(0, 0.6, (n_a, n_x)), "Waa": rng.normal(0, 0.6, (n_a, n_a)),
                "ba": rng.normal(0, 0.3, (n_a, 1))}
    gates = "fico" if kind == "lstm" else "zrh"
    p = {}
    for g in gates:
        p["W" + g] = rng.normal(0, 0.6, (n_a, n_a + n_x))
        p["b" + g] = rng.normal(0, 0.3, (n_a, 1))
    return p


def _assert_close(got, numeric, what):
    np.testing.assert_allclose(got, numeric, rtol=RTOL, atol=ATOL, err_msg=what)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_recurrent_backward_matches_centred_differences(kind):
    rng = np.random.default_rng({"rnn": 1, "lstm": 2, "gru": 3}[kind])
    fwd, bwd = getattr(seq, f"{kind}_forward"), getattr(seq, f"{kind}_backward")
    x, h0 = rng.normal(size=(N_X, M, T)), rng.normal(size=(N_A, M))
    params = _params(kind, N_X, N_A, rng)
    dh = rng.normal(size=(N_A, M, T))

    def J():
        return float(np.sum(dh * fwd(x, h0, params)[0]))

    h, cache = fwd(x, h0, params)
    assert h.shape == (N_A, M, T)
    dx, dh0, grads = bwd(dh, cache)
    assert set(grads) == set(params)
    _assert_close(dx, framework.numerical_gradient(J, x), "dx")
    _assert_close(dh0, framework.numerical_gradient(J, h0), "dh0")
    for key in params:
        assert grads[key].shape == params[key].shape
        _assert_close(grads[key], framework.numerical_gradient(J, params[key]), key)


def test_rnn_forward_is_the_lecture_recurrence():
    rng = np.random.default_rng(4)
    x, h0, p = rng.normal(size=(N_X, M, T)), rng.normal(size=(N_A, M)), _params("rnn", N_X, N_A, rng)
    h, _ = seq.rnn_forward(x, h0, p)
    a = h0
    for t in range(T):
        a = np.tanh(p["Waa"] @ a + p["Wax"] @ x[:, :, t] + p["ba"])
        np.testing.assert_allclose(h[:, :, t], a, rtol=1e-12)


def _layer_gradient_check(layer, x, dout, forward=None):
    """Compare layer.backward with centred differences of J = sum(dout * layer.forward(x))."""
    forward = forward or layer.forward

    def J():
        return float(np.sum(dout * forward(x)))
    layer.forward(x)
    dx = layer.backward(dout)
    if dx is not None:
        _assert_close(dx, framework.numerical_gradient(J, x), "dx")
    named = list(layer.named_params())
    assert named
    for name, p, g in named:
        _assert_close(g, framework.numerical_gradient(J, p), name)


@pytest.mark.parametrize("cls", [seq.RNN, seq.LSTM, seq.GRU])
def test_return_sequences_false_backward(cls):
    rng = np.random.default_rng(5)
    layer = cls(N_X, N_A, return_sequences=False, seed=3)
    for p in layer.params.values():
        p += rng.normal(0, 0.2, p.shape)          # non-zero biases too
    x = rng.normal(size=(N_X, M, T))
    out = layer.forward(x)
    assert out.shape == (N_A, M)
    _layer_gradient_check(layer, x, rng.normal(size=(N_A, M)))


def test_return_sequences_false_is_the_last_state():
    x = np.random.default_rng(6).normal(size=(N_X, M, T))
    full, last = seq.LSTM(N_X, N_A, seed=2), seq.LSTM(N_X, N_A, return_sequences=False, seed=2)
    np.testing.assert_allclose(last.forward(x), full.forward(x)[:, :, -1])


def test_embedding_backward_with_repeated_indices():
    rng = np.random.default_rng(7)
    vocab, n_e = 6, 3
    idx = np.array([[0, 2, 2, 5], [2, 0, 1, 2]])          # 2 appears four times, 0 twice, 3 and 4 never
    layer = seq.Embedding(vocab, n_e, seed=1)
    out = layer.forward(idx)
    assert out.shape == (n_e, 2, 4)
    np.testing.assert_array_equal(out[:, 1, 3], layer.params["E"][2])
    dout = rng.normal(size=out.shape)
    assert layer.backward(dout) is None
    E = layer.params["E"]
    numeric = framework.numerical_gradient(lambda: float(np.sum(dout * seq.embedding_forward(idx, E)[0])), E)
    _assert_close(layer.grads["E"], numeric, "dE")
    assert np.all(layer.grads["E"][[3, 4]] == 0)


def test_frozen_embedding_has_no_parameters_for_the_optimiser():
    weights = np.arange(12.0).reshape(4, 3)
    layer = seq.Embedding(4, 3, weights=weights, trainable=False)
    model = framework.Sequential(layer, seq.TimeDistributed(framework.Linear(3, 2, seed=0)))
    Y = model.forward(np.array([[1, 3]]))
    model.backward(np.ones_like(Y))
    framework.Adam(model, lr=0.1).step()
    np.testing.assert_array_equal(layer.params["E"], weights)
    assert [n for n, _, _ in model.named_params()] == ["1.W", "1.b"]


def test_time_distributed_backward():
    rng = np.random.default_rng(8)
    lin = framework.Linear(N_X, 2, seed=0)
    lin.params["b"] += rng.normal(size=(2, 1))
    layer = seq.TimeDistributed(lin)
    x = rng.normal(size=(N_X, M, T))
    out = layer.forward(x)
    np.testing.assert_allclose(out[:, 1, 3], lin.params["W"] @ x[:, 1, 3] + lin.params["b"][:, 0])
    _layer_gradient_check(layer, x, rng.normal(size=out.shape))


@pytest.mark.parametrize("return_sequences", [True, False])
def test_bidirectional_backward(return_sequences):
    rng = np.random.default_rng(9)
    layer = seq.Bidirectional(seq.LSTM(N_X, N_A, return_sequences, seed=1),
                              seq.GRU(N_X, 2, return_sequences, seed=2))
    x = rng.normal(size=(N_X, M, T))
    out = layer.forward(x)
    assert out.shape == ((N_A + 2, M, T) if return_sequences else (N_A + 2, M))
    if return_sequences:      # the backward half, read at step t, has seen x<t>..x<T>
        back = seq.GRU(N_X, 2, seed=2).forward(x[:, :, ::-1].copy())
        np.testing.assert_allclose(out[N_A:, :, 0], back[:, :, -1])
    _layer_gradient_check(layer, x, rng.normal(size=out.shape))


def test_sequence_cross_entropy_with_mask():
    rng = np.random.default_rng(10)
    C = 4
    Z = rng.normal(size=(C, M, T))
    labels = rng.integers(0, C, size=(M, T))
    Y = (np.arange(C)[:, None, None] == labels).astype(float)
    mask = np.ones((M, T))
    mask[0, 3:] = 0
    mask[1, 4:] = 0
    loss_fn = seq.SequenceSoftmaxCrossEntropy()
    loss = loss_fn.forward(Z, Y, mask)
    logp = Z - np.log(np.sum(np.exp(Z), axis=0))
    expected = -sum(logp[labels[i, t], i, t] for i in range(M) for t in range(T) if mask[i, t]) / mask.sum()
    assert loss == pytest.approx(expected, rel=1e-12)
    assert loss_fn.forward(Z, labels, mask) == pytest.approx(loss, rel=1e-12)   # integer labels too
    dZ = loss_fn.backward()
    _assert_close(dZ, framework.numerical_gradient(lambda: loss_fn.forward(Z, Y, mask), Z), "dZ")
    assert np.all(dZ[:, 0, 3:] == 0)


def test_clip_by_value_and_by_norm():
    grads = {"a": np.array([[3.0, -4.0]]), "b": np.array([[0.5], [-12.0]])}
    norm = seq.clip_gradients(grads, max_value=2.0)
    assert norm == pytest.approx(np.sqrt(9 + 16 + 0.25 + 144))
    np.testing.assert_array_equal(grads["a"], [[2.0, -2.0]])
    np.testing.assert_array_equal(grads["b"], [[0.5], [-2.0]])

    grads = {"a": np.array([[3.0, -4.0]]), "b": np.array([[0.0], [12.0]])}   # norm 13
    assert seq.clip_gradients(grads, max_norm=6.5) == pytest.approx(13.0)
    np.testing.assert_allclose(grads["a"], [[1.5, -2.0]])
    np.testing.assert_allclose(grads["b"], [[0.0], [6.0]])
    assert seq.clip_gradients(grads, max_norm=100.0) == pytest.approx(6.5)   # below: unchanged
    np.testing.assert_allclose(grads["a"], [[1.5, -2.0]])


def test_clip_a_model_in_place():
    model = framework.Sequential(seq.RNN(N_X, N_A, seed=0), seq.TimeDistributed(framework.Linear(N_A, 2)))
    out = model.forward(np.random.default_rng(11).normal(size=(N_X, M, T)))
    model.backward(100 * np.ones_like(out))
    before = seq.clip_gradients(model, max_norm=1.0)
    assert before > 1.0
    after = np.sqrt(sum(np.sum(g ** 2) for _, _, g in model.named_params()))
    assert after == pytest.approx(1.0)


@pytest.mark.parametrize("cls", [seq.RNN, seq.LSTM, seq.GRU])
def test_step_equals_one_column_of_forward(cls):
    rng = np.random.default_rng(12)
    layer = cls(N_X, N_A, seed=4)
    for p in layer.params.values():
        p += rng.normal(0, 0.2, p.shape)
    x = rng.normal(size=(N_X, M, T))
    h = layer.forward(x)
    state = None
    for t in range(T):
        h_t, state = layer.step(x[:, :, t], state)
        np.testing.assert_allclose(h_t, h[:, :, t], rtol=1e-12, atol=1e-14)


def test_wrong_shapes_raise_value_error():
    rng = np.random.default_rng(13)
    with pytest.raises(ValueError, match=r"n_x=3"):
        seq.LSTM(3, 4).forward(rng.normal(size=(4, 2, 5)))
    with pytest.raises(ValueError, match=r"\(n_x"):
        seq.RNN(3, 4).forward(rng.normal(size=(3, 2)))
    with pytest.raises(ValueError, match="h0"):
        seq.rnn_forward(rng.normal(size=(3, 2, 5)), np.zeros((4, 3)), _params("rnn", 3, 4, rng))
    with pytest.raises(ValueError, match="dout"):
        layer = seq.GRU(3, 4, return_sequences=False)
        layer.forward(rng.normal(size=(3, 2, 5)))
        layer.backward(np.zeros((4, 2, 5)))
    with pytest.raises(ValueError, match=r"\(m, T\)"):
        seq.Embedding(5, 2).forward(np.array([1, 2, 3]))
    with pytest.raises(ValueError):
        seq.Embedding(5, 2).forward(np.array([[1, 5]]))
    with pytest.raises(ValueError, match="x_t"):
        seq.LSTM(3, 4).step(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="mask"):
        seq.SequenceSoftmaxCrossEntropy().forward(np.zeros((2, 3, 4)), np.zeros((2, 3, 4)), np.ones((4, 3)))


def test_lstm_model_learns_with_adam():
    """Predict, at every step, whether the running sum of the inputs so far is positive: needs memory."""
    rng = np.random.default_rng(14)
    m, T = 64, 8
    X = rng.normal(size=(1, m, T))
    labels = (np.cumsum(X[0], axis=1) > 0).astype(int)
    Y = (np.arange(2)[:, None, None] == labels).astype(float)
    model = framework.Sequential(seq.LSTM(1, 8, seed=0), seq.TimeDistributed(framework.Linear(8, 2, seed=1)))
    loss_fn, opt = seq.SequenceSoftmaxCrossEntropy(), framework.Adam(model, lr=0.03)
    losses = []
    for _ in range(60):
        losses.append(loss_fn.forward(model.forward(X), Y))
        model.backward(loss_fn.backward())
        opt.step()
    assert len(list(model.named_params())) == 10
    assert losses[-1] < 0.5 * losses[0]
