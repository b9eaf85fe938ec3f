"""Sequence layers for the course framework (Course 5): RNN, LSTM, GRU, Embedding and friends.

Layout (the course's convention):
    a batch of sequences is (n_x, m, T): features, batch, time; x[:, :, t] is the (n_x, m) column
    batch of time step t, one example per column as in Courses 1-2;
    integer token sequences are (m, T);
    hidden states are (n_a, m, T) for whole sequences and (n_a, m) for one step.

Everything is vectorised over the batch (and over time wherever the recurrence allows: input
projections and weight gradients are single tensor products); the only Python loop is over time.

Recurrences (as in the lectures; [a; x] stacks a<t-1> on top of x<t>, shape (n_a + n_x, m)):
    RNN   a<t> = tanh(Waa a<t-1> + Wax x<t> + ba)
    LSTM  f = sigmoid(Wf [a; x] + bf)      forget gate
          i = sigmoid(Wi [a; x] + bi)      update (input) gate
          c~ = tanh(Wc [a; x] + bc)        candidate
          o = sigmoid(Wo [a; x] + bo)      output gate
          c<t> = f * c<t-1> + i * c~,   a<t> = o * tanh(c<t>),   c<0> = 0
    GRU   z = sigmoid(Wz [a; x] + bz)      update gate
          r = sigmoid(Wr [a; x] + br)      relevance (reset) gate
          h~ = tanh(Wh [r * a<t-1>; x<t>] + bh)
          a<t> = (1 - z) * a<t-1> + z * h~  (z = 1 takes the candidate, z = 0 keeps the old state)

Two levels, as in framework.py:
    functions  rnn_forward / lstm_forward / gru_forward(x, h0, params) -> (h, cache) and
               *_backward(dh, cache) -> (dx, dh0, grads), where dh (n_a, m, T) is the gradient of the
               loss with respect to EVERY hidden state of the output sequence and grads has the same
               keys as params (e.g. grads["Wax"]); embedding_forward / embedding_backward;
               clip_gradients.
    classes    RNN, LSTM, GRU, Embedding, TimeDistributed, Bidirectional (framework.Layer subclasses,
               usable in framework.Sequential and with framework.SGD / Adam), and the loss
               SequenceSoftmaxCrossEntropy.

Typical use (X (n_x, m, T) features, Y (C, m, T) one-hot targets):
    model = Sequential(LSTM(n_x, 64, seed=0), TimeDistributed(Linear(64, C, seed=1)))
    loss_fn, opt = SequenceSoftmaxCrossEntropy(), Adam(model, lr=1e-2)
    loss = loss_fn.forward(model.forward(X), Y); model.backward(loss_fn.backward()); opt.step()

Ship with HELPERS = ["framework", "dnn_utils", "seq"].
"""
import numpy as np
from scipy.special import expit as _sigmoid

from framework import Layer

# ----------------------------------------------------------------------------------------------
# Shape checks
# ----------------------------------------------------------------------------------------------


def _check_seq(x, n, where, name="x", letter="n_x"):
    """Raise ValueError unless x is a 3-D array (n, m, T) (n=None: any n). Returns (m, T)."""
    x = np.asarray(x)
    if x.ndim != 3 or (n is not None and x.shape[0] != n):
        want = f"({letter}={n}, m, T)" if n is not None else f"({letter}, m, T)"
        raise ValueError(f"{where}: {name} must have shape {want}, got {x.shape}")
    return x.shape[1], x.shape[2]


def _check_shape(a, shape, where, name):
    """Raise ValueError unless a.shape == shape."""
    if np.shape(a) != tuple(shape):
        raise ValueError(f"{where}: {name} must have shape {tuple(shape)}, got {np.shape(a)}")


def _check_gate_params(params, keys, n_a, n_x, where):
    for k in keys:
        _check_shape(params["W" + k], (n_a, n_a + n_x), where, f"params['W{k}']")
        _check_shape(params["b" + k], (n_a, 1), where, f"params['b{k}']")


def _project(W, x):
    """W (p, n) applied to every column of x (n, m, T) -> (p, m, T), as one matrix product."""
    n, m, T = x.shape
    return (W @ x.reshape(n, m * T)).reshape(W.shape[0], m, T)


def _outer_sum(d, x):
    """sum over batch and time of d[:, :, t] @ x[:, :, t].T: d (p, m, T), x (n, m, T) -> (p, n)."""
    return d.reshape(d.shape[0], -1) @ x.reshape(x.shape[0], -1).T


def _previous(h0, h):
    """The state before each step: h0 (n_a, m) and h (n_a, m, T) -> (n_a, m, T) = [h0, h<1>, ..., h<T-1>]."""
    return np.concatenate([h0[:, :, None], h[:, :, :-1]], axis=2)


# ----------------------------------------------------------------------------------------------
# Plain RNN
# ----------------------------------------------------------------------------------------------


def rnn_forward(x, h0, params):
    """Plain RNN over a whole sequence: h<t> = tanh(Waa h<t-1> + Wax x<t> + ba), h<0> = h0.

    x: (n_x, m, T); h0: (n_a, m); params: "Wax" (n_a, n_x), "Waa" (n_a, n_a), "ba" (n_a, 1).
    Returns (h (n_a, m, T) every hidden state, cache for rnn_backward).
    """
    Wax, Waa, ba = params["Wax"], params["Waa"], params["ba"]
    n_a, n_x = Wax.shape
    m, T = _check_seq(x, n_x, "rnn_forward")
    _check_shape(h0, (n_a, m), "rnn_forward", "h0")
    _check_shape(Waa, (n_a, n_a), "rnn_forward", "params['Waa']")
    _check_shape(ba, (n_a, 1), "rnn_forward", "params['ba']")
    pre = _project(Wax, x) + ba[:, :, None]           # input part of every step at once
    h = np.empty(pre.shape, dtype=pre.dtype)
    prev = h0
    for t in range(T):
        prev = h[:, :, t] = np.tanh(pre[:, :, t] + Waa @ prev)
    return h, (x, h0, h, params)


def rnn_backward(dh, cache):
    """Backpropagation through time for rnn_forward.

    dh: (n_a, m, T), dLoss/dh<t> for every t coming from ABOVE (outputs), not through the recurrence.
    Returns (dx (n_x, m, T), dh0 (n_a, m), grads {"Wax" (n_a, n_x), "Waa" (n_a, n_a), "ba" (n_a, 1)}).
    """
    x, h0, h, params = cache
    _check_shape(dh, h.shape, "rnn_backward", "dh")
    Waa = params["Waa"]
    dpre = np.empty_like(h)                            # gradient of every pre-activation
    dnext = np.zeros_like(h0)                          # gradient flowing back from step t+1
    for t in reversed(range(h.shape[2])):
        dpre[:, :, t] = (dh[:, :, t] + dnext) * (1 - h[:, :, t] ** 2)
        dnext = Waa.T @ dpre[:, :, t]
    grads = {"Wax": _outer_sum(dpre, x), "Waa": _outer_sum(dpre, _previous(h0, h)),
             "ba": dpre.sum(axis=(1, 2))[:, None]}
    return _project(params["Wax"].T, dpre), dnext, grads


# ----------------------------------------------------------------------------------------------
# LSTM
# ----------------------------------------------------------------------------------------------

_LSTM_GATES = ("f", "i", "c", "o")


def lstm_forward(x, h0, params):
    """LSTM over a whole sequence (c<0> = 0; gates in the module docstring).

    x: (n_x, m, T); h0: (n_a, m); params "Wf", "Wi", "Wc", "Wo" each (n_a, n_a + n_x) acting on the
    stacked [a<t-1>; x<t>] (hidden state on top), and "bf", "bi", "bc", "bo" each (n_a, 1).
    Returns (h (n_a, m, T) every hidden state a<t>, cache for lstm_backward; the cache also holds the
    cell states c (n_a, m, T) as cache[3]).
    """
    n_a = np.shape(h0)[0] if np.ndim(h0) == 2 else None
    if n_a is None:
        raise ValueError(f"lstm_forward: h0 must have shape (n_a, m), got {np.shape(h0)}")
    n_x = params["Wf"].shape[1] - n_a
    m, T = _check_seq(x, n_x, "lstm_forward")
    _check_shape(h0, (n_a, m), "lstm_forward", "h0")
    _check_gate_params(params, _LSTM_GATES, n_a, n_x, "lstm_forward")
    W = np.concatenate([params["W" + k] for k in _LSTM_GATES])      # (4 n_a, n_a + n_x)
    b = np.concatenate([params["b" + k] for k in _LSTM_GATES])      # (4 n_a, 1)
    Wa = W[:, :n_a]
    pre = _project(W[:, n_a:], x) + b[:, :, None]                    # (4 n_a, m, T)
    gates = np.empty_like(pre)                                       # f, i, c~, o stacked
    h, c = np.empty((n_a, m, T), pre.dtype), np.empty((n_a, m, T), pre.dtype)
    h_prev, c_prev = h0, np.zeros_like(h0, dtype=pre.dtype)
    for t in range(T):
        z = pre[:, :, t] + Wa @ h_prev
        g = gates[:, :, t]
        g[:] = _sigmoid(z)
        g[2 * n_a:3 * n_a] = np.tanh(z[2 * n_a:3 * n_a])
        c_prev = c[:, :, t] = g[:n_a] * c_prev + g[n_a:2 * n_a] * g[2 * n_a:3 * n_a]
        h_prev = h[:, :, t] = g[3 * n_a:] * np.tanh(c_prev)
    return h, (x, h0, h, c, gates, W)


def lstm_backward(dh, cache):
    """Backpropagation through time for lstm_forward.

    dh: (n_a, m, T), dLoss/da<t> for every t coming from above (not through the recurrence).
    Returns (dx (n_x, m, T), dh0 (n_a, m), grads with keys "Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo",
    "bo" of the parameters' shapes).
    """
    x, h0, h, c, gates, W = cache
    _check_shape(dh, h.shape, "lstm_backward", "dh")
    n_a, m, T = h.shape
    Wa = W[:, :n_a]
    tc = np.tanh(c)
    c_before = np.concatenate([np.zeros_like(c[:, :, :1]), c[:, :, :-1]], axis=2)
    dz = np.empty_like(gates)                          # gradients of the four pre-activations
    dnext, dc_next = np.zeros_like(h0, dtype=h.dtype), np.zeros_like(h0, dtype=h.dtype)
    for t in reversed(range(T)):
        f, i, cc, o = (gates[k * n_a:(k + 1) * n_a, :, t] for k in range(4))
        da = dh[:, :, t] + dnext
        dc = dc_next + da * o * (1 - tc[:, :, t] ** 2)
        d = dz[:, :, t]
        d[:n_a] = dc * c_before[:, :, t] * f * (1 - f)
        d[n_a:2 * n_a] = dc * cc * i * (1 - i)
        d[2 * n_a:3 * n_a] = dc * i * (1 - cc ** 2)
        d[3 * n_a:] = da * tc[:, :, t] * o * (1 - o)
        dnext, dc_next = Wa.T @ d, dc * f
    dW = np.concatenate([_outer_sum(dz, _previous(h0, h)), _outer_sum(dz, x)], axis=1)
    db = dz.sum(axis=(1, 2))[:, None]
    grads = {}
    for k, g in enumerate(_LSTM_GATES):
        grads["W" + g], grads["b" + g] = dW[k * n_a:(k + 1) * n_a], db[k * n_a:(k + 1) * n_a]
    return _project(W[:, n_a:].T, dz), dnext, grads


# ----------------------------------------------------------------------------------------------
# GRU
# ----------------------------------------------------------------------------------------------

_GRU_GATES = ("z", "r", "h")


def gru_forward(x, h0, params):
    """GRU over a whole sequence: z, r gates; h~ = tanh(Wh [r * h<t-1>; x<t>] + bh);
    h<t> = (1 - z) * h<t-1> + z * h~  (z is the share of the NEW candidate).

    x: (n_x, m, T); h0: (n_a, m); params "Wz", "Wr", "Wh" each (n_a, n_a + n_x) acting on the stacked
    [a<t-1>; x<t>] ([r * a<t-1>; x<t>] for Wh), and "bz", "br", "bh" each (n_a, 1).
    Returns (h (n_a, m, T), cache for gru_backward).
    """
    n_a = np.shape(h0)[0] if np.ndim(h0) == 2 else None
    if n_a is None:
        raise ValueError(f"gru_forward: h0 must have shape (n_a, m), got {np.shape(h0)}")
    n_x = params["Wz"].shape[1] - n_a
    m, T = _check_seq(x, n_x, "gru_forward")
    _check_shape(h0, (n_a, m), "gru_forward", "h0")
    _check_gate_params(params, _GRU_GATES, n_a, n_x, "gru_forward")
    W = np.concatenate([params["W" + k] for k in _GRU_GATES])      # (3 n_a, n_a + n_x)
    b = np.concatenate([params["b" + k] for k in _GRU_GATES])
    Wzr, Wh = W[:2 * n_a, :n_a], W[2 * n_a:, :n_a]
    pre = _project(W[:, n_a:], x) + b[:, :, None]                   # (3 n_a, m, T)
    gates = np.empty_like(pre)                                      # z, r, h~ stacked
    rh = np.empty((n_a, m, T), pre.dtype)                           # r * h<t-1>
    h = np.empty((n_a, m, T), pre.dtype)
    prev = h0
    for t in range(T):
        g = gates[:, :, t]
        g[:2 * n_a] = _sigmoid(pre[:2 * n_a, :, t] + Wzr @ prev)
        rh[:, :, t] = g[n_a:2 * n_a] * prev
        g[2 * n_a:] = np.tanh(pre[2 * n_a:, :, t] + Wh @ rh[:, :, t])
        prev = h[:, :, t] = prev + g[:n_a] * (g[2 * n_a:] - prev)
    return h, (x, h0, h, gates, rh, W)


def gru_backward(dh, cache):
    """Backpropagation through time for gru_forward.

    dh: (n_a, m, T), dLoss/dh<t> for every t coming from above.
    Returns (dx (n_x, m, T), dh0 (n_a, m), grads with keys "Wz", "bz", "Wr", "br", "Wh", "bh").
    """
    x, h0, h, gates, rh, W = cache
    _check_shape(dh, h.shape, "gru_backward", "dh")
    n_a, m, T = h.shape
    Wzr, Wh = W[:2 * n_a, :n_a], W[2 * n_a:, :n_a]
    hprev_all = _previous(h0, h)
    dpre = np.empty_like(gates)
    dnext = np.zeros_like(h0, dtype=h.dtype)
    for t in reversed(range(T)):
        z, r, hh = (gates[k * n_a:(k + 1) * n_a, :, t] for k in range(3))
        prev = hprev_all[:, :, t]
        dht = dh[:, :, t] + dnext
        d = dpre[:, :, t]
        d[2 * n_a:] = dht * z * (1 - hh ** 2)                      # candidate pre-activation
        drh = Wh.T @ d[2 * n_a:]
        d[:n_a] = dht * (hh - prev) * z * (1 - z)
        d[n_a:2 * n_a] = drh * prev * r * (1 - r)
        dnext = dht * (1 - z) + drh * r + Wzr.T @ d[:2 * n_a]
    dWa = np.concatenate([_outer_sum(dpre[:2 * n_a], hprev_all), _outer_sum(dpre[2 * n_a:], rh)])
    dW = np.concatenate([dWa, _outer_sum(dpre, x)], axis=1)
    db = dpre.sum(axis=(1, 2))[:, None]
    grads = {}
    for k, g in enumerate(_GRU_GATES):
        grads["W" + g], grads["b" + g] = dW[k * n_a:(k + 1) * n_a], db[k * n_a:(k + 1) * n_a]
    return _project(W[:, n_a:].T, dpre), dnext, grads


# ----------------------------------------------------------------------------------------------
# Embedding, clipping
# ----------------------------------------------------------------------------------------------


def embedding_forward(idx, E):
    """Look up the rows of E: idx (m, T) integers in 0..vocab-1, E (vocab, n_e) -> (out (n_e, m, T), cache)
    with out[:, i, t] = E[idx[i, t]]."""
    idx = np.asarray(idx)
    if idx.ndim != 2 or not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(f"embedding_forward: idx must be an integer array of shape (m, T), got "
                         f"{idx.dtype} {idx.shape}")
    if np.ndim(E) != 2:
        raise ValueError(f"embedding_forward: E must have shape (vocab, n_e), got {np.shape(E)}")
    if idx.size and (idx.min() < 0 or idx.max() >= E.shape[0]):
        raise ValueError(f"embedding_forward: indices must lie in 0..{E.shape[0] - 1}")
    return E[idx].transpose(2, 0, 1), (idx, E.shape, E.dtype)


def embedding_backward(dout, cache):
    """dout: (n_e, m, T) -> dE (vocab, n_e); a row used several times receives the sum (np.add.at)."""
    idx, shape, dtype = cache
    _check_shape(dout, (shape[1],) + idx.shape, "embedding_backward", "dout")
    dE = np.zeros(shape, dtype=dtype)
    np.add.at(dE, idx, np.asarray(dout).transpose(1, 2, 0))
    return dE


def _grad_arrays(grads):
    if isinstance(grads, dict):
        return [g for g in grads.values() if g is not None]
    if hasattr(grads, "named_params"):
        return [g for _, _, g in grads.named_params() if g is not None]
    if hasattr(grads, "grads"):
        return [g for g in grads.grads.values() if g is not None]
    raise TypeError("clip_gradients: pass a dict of gradient arrays or a model with named_params()")


def clip_gradients(grads, max_value=None, max_norm=None):
    """Clip gradients IN PLACE; returns the global L2 norm (over all arrays) before clipping.

    grads: a dict of arrays (e.g. {"dWax": ...}) or a model/layer (its named_params() gradients).
    max_value: clip every entry to [-max_value, max_value];
    max_norm:  then, if the global norm exceeds max_norm, scale every array by max_norm / norm.
    """
    arrays = _grad_arrays(grads)
    norm = float(np.sqrt(sum(float(np.sum(np.square(g))) for g in arrays)))
    if max_value is not None:
        for g in arrays:
            np.clip(g, -max_value, max_value, out=g)
    if max_norm is not None:
        now = norm if max_value is None else float(np.sqrt(sum(float(np.sum(np.square(g))) for g in arrays)))
        if now > max_norm:
            for g in arrays:
                g *= max_norm / now
    return norm


# ----------------------------------------------------------------------------------------------
# Layers
# ----------------------------------------------------------------------------------------------


def _glorot(rng, shape, dtype):
    limit = np.sqrt(6.0 / (shape[0] + shape[1]))
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


class _Recurrent(Layer):
    """Common part of RNN, LSTM and GRU: x (n_x, m, T) -> h (n_a, m, T), or h<T> (n_a, m) when
    return_sequences is False. Every forward starts from the zero state."""

    _forward = _backward = None

    def __init__(self, n_x, n_a, return_sequences=True):
        super().__init__()
        self.n_x, self.n_a, self.return_sequences = n_x, n_a, return_sequences

    def _dtype(self):
        return next(iter(self.params.values())).dtype

    def forward(self, x):
        m, T = _check_seq(x, self.n_x, type(self).__name__, letter="n_x")
        h, self.cache = type(self)._forward(x, np.zeros((self.n_a, m), self._dtype()), self.params)
        return h if self.return_sequences else h[:, :, -1]

    def backward(self, dout):
        """dout: (n_a, m, T), or (n_a, m) when return_sequences is False. Returns dx (n_x, m, T)."""
        m, T = self.cache[0].shape[1:]
        if self.return_sequences:
            _check_shape(dout, (self.n_a, m, T), type(self).__name__ + ".backward", "dout")
            dh = dout
        else:
            _check_shape(dout, (self.n_a, m), type(self).__name__ + ".backward", "dout")
            dh = np.zeros((self.n_a, m, T), dtype=np.result_type(dout, self._dtype()))
            dh[:, :, -1] = dout
        dx, _, self.grads = type(self)._backward(dh, self.cache)
        return dx

    def named_params(self):
        """Yield (name, parameter, gradient or None before the first backward)."""
        for key, p in self.params.items():
            yield key, p, self.grads.get(key)

    def _check_step(self, x_t):
        if np.ndim(x_t) != 2 or np.shape(x_t)[0] != self.n_x:
            raise ValueError(f"{type(self).__name__}.step: x_t must have shape (n_x={self.n_x}, m), "
                             f"got {np.shape(x_t)}")
        return np.shape(x_t)[1]


class RNN(_Recurrent):
    """Plain tanh RNN layer (see rnn_forward). Parameters "Wax" (n_a, n_x), "Waa" (n_a, n_a), "ba" (n_a, 1);
    Glorot-uniform weights, zero bias, seeded."""

    _forward, _backward = staticmethod(rnn_forward), staticmethod(rnn_backward)

    def __init__(self, n_x, n_a, return_sequences=True, seed=0, dtype=np.float64):
        super().__init__(n_x, n_a, return_sequences)
        rng = np.random.default_rng(seed)
        self.params = {"Wax": _glorot(rng, (n_a, n_x), dtype), "Waa": _glorot(rng, (n_a, n_a), dtype),
                       "ba": np.zeros((n_a, 1), dtype)}

    def step(self, x_t, state=None):
        """One step, no cache: x_t (n_x, m), state h (n_a, m) or None (zeros) -> (h (n_a, m), h)."""
        m = self._check_step(x_t)
        h = np.zeros((self.n_a, m), self._dtype()) if state is None else state
        p = self.params
        h = np.tanh(p["Wax"] @ x_t + p["Waa"] @ h + p["ba"])
        return h, h


class LSTM(_Recurrent):
    """LSTM layer (see lstm_forward). Parameters "Wf", "Wi", "Wc", "Wo" (n_a, n_a + n_x) on [a; x] and
    "bf", "bi", "bc", "bo" (n_a, 1); Glorot-uniform weights, biases 0 except the forget bias bf = 1."""

    _forward, _backward = staticmethod(lstm_forward), staticmethod(lstm_backward)

    def __init__(self, n_x, n_a, return_sequences=True, seed=0, dtype=np.float64):
        super().__init__(n_x, n_a, return_sequences)
        rng = np.random.default_rng(seed)
        for k in _LSTM_GATES:
            self.params["W" + k] = _glorot(rng, (n_a, n_a + n_x), dtype)
            self.params["b" + k] = np.full((n_a, 1), 1.0 if k == "f" else 0.0, dtype)

    def step(self, x_t, state=None):
        """One step, no cache: x_t (n_x, m), state (h, c) each (n_a, m), or None (zeros)
        -> (h (n_a, m), (h, c))."""
        m = self._check_step(x_t)
        if state is None:
            h = c = np.zeros((self.n_a, m), self._dtype())
        else:
            h, c = state
        p = self.params
        hx = np.concatenate([h, x_t])
        f, i, o = (_sigmoid(p["W" + k] @ hx + p["b" + k]) for k in "fio")
        c = f * c + i * np.tanh(p["Wc"] @ hx + p["bc"])
        h = o * np.tanh(c)
        return h, (h, c)


class GRU(_Recurrent):
    """GRU layer (see gru_forward; h<t> = (1 - z) h<t-1> + z h~). Parameters "Wz", "Wr", "Wh"
    (n_a, n_a + n_x) and "bz", "br", "bh" (n_a, 1); Glorot-uniform weights, zero biases."""

    _forward, _backward = staticmethod(gru_forward), staticmethod(gru_backward)

    def __init__(self, n_x, n_a, return_sequences=True, seed=0, dtype=np.float64):
        super().__init__(n_x, n_a, return_sequences)
        rng = np.random.default_rng(seed)
        for k in _GRU_GATES:
            self.params["W" + k] = _glorot(rng, (n_a, n_a + n_x), dtype)
            self.params["b" + k] = np.zeros((n_a, 1), dtype)

    def step(self, x_t, state=None):
        """One step, no cache: x_t (n_x, m), state h (n_a, m) or None (zeros) -> (h (n_a, m), h)."""
        m = self._check_step(x_t)
        h = np.zeros((self.n_a, m), self._dtype()) if state is None else state
        p = self.params
        hx = np.concatenate([h, x_t])
        z, r = (_sigmoid(p["W" + k] @ hx + p["b" + k]) for k in "zr")
        hh = np.tanh(p["Wh"] @ np.concatenate([r * h, x_t]) + p["bh"])
        h = (1 - z) * h + z * hh
        return h, h


class Embedding(Layer):
    """Token ids (m, T) -> vectors (n_e, m, T). Parameter "E" (vocab_size, n_e): `weights` if given
    (copied), else N(0, 0.1^2) seeded. trainable=False freezes it: no gradient, optimisers skip it.
    backward returns None (there is no gradient with respect to integer ids)."""

    def __init__(self, vocab_size, n_e, seed=0, weights=None, trainable=True, dtype=np.float64):
        super().__init__()
        if weights is None:
            E = 0.1 * np.random.default_rng(seed).standard_normal((vocab_size, n_e))
        else:
            E = np.array(weights)
            _check_shape(E, (vocab_size, n_e), "Embedding", "weights")
        self.params["E"] = E.astype(dtype)
        self.trainable = trainable

    def forward(self, idx):
        out, self.cache = embedding_forward(idx, self.params["E"])
        return out

    def backward(self, dout):
        if self.trainable:
            self.grads["E"] = embedding_backward(dout, self.cache)
        return None

    def named_params(self):
        if self.trainable:
            yield "E", self.params["E"], self.grads.get("E")


def _sub_params(prefix, layer):
    if hasattr(layer, "named_params"):
        for name, p, g in layer.named_params():
            yield prefix + name, p, g
    else:
        for key, p in layer.params.items():
            yield prefix + key, p, layer.grads.get(key)


class TimeDistributed(Layer):
    """Apply a column layer (e.g. framework.Linear: (n, m) -> (n_out, m)) to every time step:
    (n, m, T) -> (n_out, m, T), as ONE call on the (n, m * T) reshaped batch (no loop)."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, x):
        n, m, T = x.shape if np.ndim(x) == 3 else (None,) * 3
        if n is None:
            raise ValueError(f"TimeDistributed: x must have shape (n, m, T), got {np.shape(x)}")
        self.cache = (m, T)
        out = self.layer.forward(x.reshape(n, m * T))
        return out.reshape(out.shape[0], m, T)

    def backward(self, dout):
        m, T = self.cache
        _check_seq(dout, None, "TimeDistributed.backward", "dout", "n_out")
        dx = self.layer.backward(dout.reshape(dout.shape[0], m * T))
        return dx.reshape(dx.shape[0], m, T)

    def train(self, training=True):
        self.training = self.layer.training = training
        if hasattr(self.layer, "train"):
            self.layer.train(training)
        return self

    def named_params(self):
        yield from _sub_params("", self.layer)


class Bidirectional(Layer):
    """Run forward_layer on x and backward_layer on x reversed in time; concatenate along features.

    x: (n_x, m, T) -> (n_f + n_b, m, T), the backward layer's states put back in forward time order
    (both layers with return_sequences=True), or (n_f + n_b, m) when both have return_sequences=False
    (the forward layer's last state on top of the backward layer's state after reading x<1>).
    """

    def __init__(self, forward_layer, backward_layer):
        super().__init__()
        self.fwd, self.bwd = forward_layer, backward_layer

    def forward(self, x):
        _check_seq(x, None, "Bidirectional", "x")
        hf = self.fwd.forward(x)
        hb = self.bwd.forward(np.ascontiguousarray(x[:, :, ::-1]))
        if hf.ndim != hb.ndim:
            raise ValueError("Bidirectional: both layers must have the same return_sequences")
        if hb.ndim == 3:
            hb = hb[:, :, ::-1]
        self.cache = (hf.shape[0], hb.ndim == 3)
        return np.concatenate([hf, hb], axis=0)

    def backward(self, dout):
        n_f, seq = self.cache
        dxf = self.fwd.backward(dout[:n_f])
        db = dout[n_f:]
        dxb = self.bwd.backward(np.ascontiguousarray(db[:, :, ::-1]) if seq else db)
        return dxf + dxb[:, :, ::-1]

    def train(self, training=True):
        self.training = training
        for layer in (self.fwd, self.bwd):
            layer.training = training
            if hasattr(layer, "train"):
                layer.train(training)
        return self

    def named_params(self):
        yield from _sub_params("fwd.", self.fwd)
        yield from _sub_params("bwd.", self.bwd)


class SequenceSoftmaxCrossEntropy:
    """Loss over every (unmasked) time step: forward(Z (C, m, T) scores, Y (C, m, T) one-hot, mask (m, T)
    of 0/1 or None) -> mean cross-entropy over the unmasked steps (a float); backward() -> dZ (C, m, T),
    zero at masked steps. Y may also be integer labels (m, T)."""

    def forward(self, Z, Y, mask=None):
        _check_seq(Z, None, "SequenceSoftmaxCrossEntropy", "Z", "C")
        C, m, T = Z.shape
        Y = np.asarray(Y)
        if Y.shape == (m, T) and np.issubdtype(Y.dtype, np.integer):
            Y = (np.arange(C)[:, None, None] == Y[None]).astype(Z.dtype)
        _check_shape(Y, Z.shape, "SequenceSoftmaxCrossEntropy", "Y")
        w = np.ones((m, T), Z.dtype) if mask is None else np.asarray(mask, dtype=Z.dtype)
        _check_shape(w, (m, T), "SequenceSoftmaxCrossEntropy", "mask")
        count = float(np.sum(w))
        if count == 0:
            raise ValueError("SequenceSoftmaxCrossEntropy: the mask leaves no step to average over")
        shifted = Z - np.max(Z, axis=0, keepdims=True)
        E = np.exp(shifted)
        S = np.sum(E, axis=0, keepdims=True)
        logp = shifted - np.log(S)
        loss = float(-np.sum(Y * logp * w) / count)
        self.dZ = (E / S - Y) * (w / count)
        return loss

    def backward(self):
        return self.dZ
