"""The checks of notebook 7.2's exercises (utils/exercises/nb72.py): each reference solution passes, each typical
mistake gets its own key, an unsolved stub gives «не решено», a wrong type a message and no exception."""

import keras
import numpy as np
import pytest

from utils.exercises import UNSOLVED
from utils.exercises import nb72 as check


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


@pytest.fixture(scope="module")
def inputs():
    return np.random.default_rng(0).random((100, 32))  # as the notebook's inputs: uniform on [0, 1)


@pytest.fixture(scope="module")
def rnn_layer(inputs):
    layer = keras.layers.SimpleRNN(64, return_sequences=True, bias_initializer="random_normal")
    layer(inputs[None, :3].astype("float32"))  # built as in the notebook
    return layer


def returns_none(*args):
    return None


def fails(*args):
    raise ValueError("что-то не так")


def assert_unsolved_and_type(ex, *data, func=True):
    for stub in (None, Ellipsis) + ((returns_none,) if func else ()):
        assert ex(stub, *data).status == UNSOLVED
    result = ex("не то", *data)
    assert result.status == "ошибка" and result.mistake in ("type", "shape"), result
    if func:
        assert ex(fails, *data).mistake == "error"


# --- 7.2.1 -------------------------------------------------------------------------------------------------

def simple_rnn(inputs, kernel, recurrent_kernel, bias):  # the reference solution
    state_t = np.zeros(recurrent_kernel.shape[0])
    outputs = []
    for input_t in inputs:
        state_t = np.tanh(input_t @ kernel + state_t @ recurrent_kernel + bias)
        outputs.append(state_t)
    return np.stack(outputs)


def slide_layout(inputs, kernel, recurrent_kernel, bias):  # W = kernel, U = recurrent_kernel: not transposed
    state_t, outputs = np.zeros(recurrent_kernel.shape[0]), []
    for input_t in inputs:
        state_t = np.tanh(kernel @ input_t + recurrent_kernel @ state_t + bias)
        outputs.append(state_t)
    return np.array(outputs)


def state_not_updated(inputs, kernel, recurrent_kernel, bias):
    state_t = np.zeros(recurrent_kernel.shape[0])
    return [np.tanh(x @ kernel + state_t @ recurrent_kernel + bias) for x in inputs]


def last_only(inputs, kernel, recurrent_kernel, bias):
    return simple_rnn(inputs, kernel, recurrent_kernel, bias)[-1]


def shifted(inputs, kernel, recurrent_kernel, bias):
    state_t, outputs = np.zeros(recurrent_kernel.shape[0]), []
    for input_t in inputs:
        outputs.append(state_t)
        state_t = np.tanh(input_t @ kernel + state_t @ recurrent_kernel + bias)
    return np.stack(outputs)


def no_bias(inputs, kernel, recurrent_kernel, bias):
    return simple_rnn(inputs, kernel, recurrent_kernel, 0 * bias)


def no_tanh(inputs, kernel, recurrent_kernel, bias):
    state_t, outputs = np.zeros(recurrent_kernel.shape[0]), []
    for input_t in inputs:
        state_t = input_t @ kernel + state_t @ recurrent_kernel + bias
        outputs.append(state_t)
    return np.stack(outputs)


def test_7_2_1(inputs):
    assert check.ex_7_2_1(simple_rnn, inputs).ok
    assert check.ex_7_2_1(lambda *a: keras.ops.convert_to_tensor(simple_rnn(*a)), inputs).ok  # a tensor is fine
    for func, mistake in [(slide_layout, "transposed"), (state_not_updated, "state_not_updated"),
                          (last_only, "last_only"), (shifted, "shifted"), (no_bias, "no_bias"), (no_tanh, "no_tanh"),
                          (lambda *a: simple_rnn(*a)[None], "shape"), (lambda *a: simple_rnn(*a) * 0.9, "values")]:
        assert check.ex_7_2_1(func, inputs).mistake == mistake, mistake
    assert_unsolved_and_type(check.ex_7_2_1, inputs)


# --- 7.2.2 -------------------------------------------------------------------------------------------------

def zero_run(rnn_layer, steps=10, transpose=False, tanh=True, tanh_at_end=False, bias_once=False):
    _, recurrent, bias = rnn_layer.get_weights()
    recurrent = recurrent.T if transpose else recurrent
    state = np.zeros(recurrent.shape[0])
    for t in range(steps):
        state = state @ recurrent + (bias if t == 0 or not bias_once else 0)
        state = np.tanh(state) if tanh else state
    return np.tanh(state) if tanh_at_end else state


def test_7_2_2(rnn_layer):
    assert check.ex_7_2_2(zero_run(rnn_layer), rnn_layer).ok
    assert check.ex_7_2_2(list(zero_run(rnn_layer)), rnn_layer).ok
    by_layer = keras.ops.convert_to_numpy(rnn_layer(np.zeros((1, 10, 32), "float32")))[:, -1]  # (1, 64): fine
    assert check.ex_7_2_2(by_layer, rnn_layer).ok
    cases = [(np.zeros(64), "zero"), (zero_run(rnn_layer, steps=1), "one_step"),
             (zero_run(rnn_layer, tanh=False, tanh_at_end=True), "tanh_once"),
             (zero_run(rnn_layer, tanh=False), "no_tanh"), (zero_run(rnn_layer, bias_once=True), "bias_once"),
             (zero_run(rnn_layer, transpose=True), "transposed"), (zero_run(rnn_layer, steps=9), "steps"),
             (np.zeros((10, 64)), "sequence"), (np.zeros(32), "shape"), (zero_run(rnn_layer) + 0.01, "values")]
    for answer, mistake in cases:
        assert check.ex_7_2_2(answer, rnn_layer).mistake == mistake, mistake
    assert_unsolved_and_type(check.ex_7_2_2, rnn_layer, func=False)


# --- 7.2.3 -------------------------------------------------------------------------------------------------

def test_7_2_3():
    maxlen = 500
    assert check.ex_7_2_3([(64, 500, 32), (64, 500, 16), (64, 8)], maxlen).ok
    assert check.ex_7_2_3(((64, 500, 32), [64, 500, 16], np.array([64, 8])), maxlen).ok
    assert check.ex_7_2_3([(64, 100, 32), (64, 100, 16), (64, 8)], 100).ok  # the reference follows maxlen
    cases = [([(None, 500, 32), (None, 500, 16), (None, 8)], "none_batch"),
             ([(500, 32), (500, 16), (8,)], "no_batch"),
             ([(64, 500, 32), (64, 500, 16), (64, 500, 8)], "return_sequences"),
             ([(64, 500, 32), (64, 16), (64, 8)], "return_sequences"),
             ([(64, 32, 500), (64, 16, 500), (64, 8)], "axes"),
             ([(64, 500, 10000), (64, 500, 16), (64, 8)], "embedding"),
             ([(64, 500, 16), (64, 8)], "count"),
             ([(64, 500, 32), (64, 500, 32), (64, 8)], "values")]
    for answer, mistake in cases:
        assert check.ex_7_2_3(answer, maxlen).mistake == mistake, mistake
    for stub in (None, Ellipsis, [..., ..., ...]):
        assert check.ex_7_2_3(stub, maxlen).status == UNSOLVED
    for bad in ("(64, 8)", 64, [1, 2, 3], [("a",), (1,), (2,)]):
        assert check.ex_7_2_3(bad, maxlen).mistake == "type", bad


# --- 7.2.4 -------------------------------------------------------------------------------------------------

def gru_step_v1(input_t, state_t, kernel, recurrent_kernel, bias):  # the reference solution
    x_z, x_r, x_h = np.split(input_t @ kernel + bias, 3)
    u_z, u_r, u_h = np.split(recurrent_kernel, 3, axis=1)
    z_t = sigmoid(x_z + state_t @ u_z)
    r_t = sigmoid(x_r + state_t @ u_r)
    candidate = np.tanh(x_h + (r_t * state_t) @ u_h)
    return z_t * state_t + (1 - z_t) * candidate


def gru_variant(swap_z=False, reset_after=False, gates_order="zrh", reset=True, use_bias=True):
    def step(input_t, state_t, kernel, recurrent_kernel, bias):
        x = dict(zip(gates_order, np.split(input_t @ kernel + bias * use_bias, 3)))
        u = dict(zip(gates_order, np.split(recurrent_kernel, 3, axis=1)))
        z_t = sigmoid(x["z"] + state_t @ u["z"])
        r_t = sigmoid(x["r"] + state_t @ u["r"]) if reset else 1
        recurrent = r_t * (state_t @ u["h"]) if reset_after else (r_t * state_t) @ u["h"]
        candidate = np.tanh(x["h"] + recurrent)
        return (1 - z_t) * state_t + z_t * candidate if swap_z else z_t * state_t + (1 - z_t) * candidate
    return step


def test_7_2_4(inputs):
    assert check.ex_7_2_4(gru_step_v1, inputs).ok
    assert check.ex_7_2_4(gru_variant(), inputs).ok
    cases = [(gru_variant(swap_z=True), "z_swapped"), (gru_variant(reset_after=True), "reset_after"),
             (gru_variant(gates_order="rzh"), "gates_order"), (gru_variant(reset=False), "no_reset"),
             (gru_variant(use_bias=False), "no_bias"),
             (lambda *a: np.stack([gru_step_v1(*a)] * 2), "shape"), (lambda *a: gru_step_v1(*a) + 0.01, "values")]
    for func, mistake in cases:
        assert check.ex_7_2_4(func, inputs).mistake == mistake, mistake
    assert_unsolved_and_type(check.ex_7_2_4, inputs)


# --- 7.2.5 -------------------------------------------------------------------------------------------------

def rnn_params(layer_type, input_features, units):  # the reference solution
    blocks, biases = {"SimpleRNN": (1, 1), "LSTM": (4, 1), "GRU": (3, 2)}[layer_type]
    return blocks * units * (input_features + units + biases)


def params_variant(layer=None, blocks=None, biases=None, swap=False, recurrent=True):
    def count(layer_type, input_features, units):
        b, n = {"SimpleRNN": (1, 1), "LSTM": (4, 1), "GRU": (3, 2)}[layer_type]
        if layer_type == layer:
            b, n = blocks if blocks is not None else b, biases if biases is not None else n
            if swap:
                input_features, units = units, input_features
            if not recurrent:
                return b * units * (input_features + n)
        return b * units * (input_features + units + n)
    return count


def test_7_2_5():
    assert check.ex_7_2_5(rnn_params).ok
    assert check.ex_7_2_5(lambda *a: float(rnn_params(*a))).ok
    assert check.ex_7_2_5(lambda *a: np.array([rnn_params(*a)])).ok
    cases = [(params_variant("SimpleRNN", biases=0), "no_bias"), (params_variant("LSTM", biases=0), "no_bias"),
             (params_variant("GRU", biases=1), "gru_one_bias"), (params_variant("LSTM", blocks=3), "gates"),
             (params_variant("GRU", blocks=4, biases=1), "gates"), (params_variant("SimpleRNN", swap=True), "swapped"),
             (params_variant("GRU", swap=True), "swapped"), (params_variant("LSTM", recurrent=False), "no_recurrent"),
             (lambda *a: rnn_params(*a) + 1, "values")]
    for func, mistake in cases:
        assert check.ex_7_2_5(func, ).mistake == mistake, mistake
    assert check.ex_7_2_5(lambda t, i, u: {"SimpleRNN": 1}[t]).mistake == "values"
    assert check.ex_7_2_5(lambda t, i, u: {"SimpleRNN": rnn_params(t, i, u)}[t]).mistake == "error"
    assert check.ex_7_2_5(lambda *a: [1, 2]).mistake == "shape"
    assert_unsolved_and_type(check.ex_7_2_5)
