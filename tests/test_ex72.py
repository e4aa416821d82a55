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


# --- round 2 (issue 24) -------------------------------------------------------------------------------------

def test_7_2_1_state_kept_between_calls_is_caught(inputs):
    memory = {}

    def global_state(inputs, kernel, recurrent_kernel, bias):
        state_t = memory.get("state", np.zeros(recurrent_kernel.shape[0]))
        if state_t.shape != (recurrent_kernel.shape[0],):
            state_t = np.zeros(recurrent_kernel.shape[0])
        outputs = []
        for input_t in inputs:
            state_t = np.tanh(input_t @ kernel + state_t @ recurrent_kernel + bias)
            outputs.append(state_t)
        memory["state"] = state_t
        return np.stack(outputs)

    assert check.ex_7_2_1(global_state, inputs).mistake == "kept_state"


def test_7_2_1_sigmoid_and_a_state_of_ones(inputs):
    def variant(activation=np.tanh, start=0.0):
        def run(inputs, kernel, recurrent_kernel, bias):
            state_t, outputs = np.full(recurrent_kernel.shape[0], start), []
            for input_t in inputs:
                state_t = activation(input_t @ kernel + state_t @ recurrent_kernel + bias)
                outputs.append(state_t)
            return np.stack(outputs)
        return run

    assert check.ex_7_2_1(variant(activation=sigmoid), inputs).mistake == "sigmoid"
    assert check.ex_7_2_1(variant(start=1.0), inputs).mistake == "ones_state"


def test_7_2_1_and_7_2_4_do_not_let_the_function_change_the_notebook_inputs(inputs):
    before = inputs.copy()

    def spoils(inputs, kernel, recurrent_kernel, bias):
        inputs -= 0.5
        return simple_rnn(inputs, kernel, recurrent_kernel, bias)

    def spoils_step(input_t, state_t, kernel, recurrent_kernel, bias):
        input_t -= 0.5
        return gru_step_v1(input_t, state_t, kernel, recurrent_kernel, bias)

    assert not check.ex_7_2_1(spoils, inputs).ok
    assert not check.ex_7_2_4(spoils_step, inputs).ok
    assert np.array_equal(inputs, before)
    assert check.ex_7_2_1(simple_rnn, inputs).ok  # a later check sees the data unchanged


def test_7_2_2_sigmoid_ones_and_strings(rnn_layer):
    assert check.ex_7_2_2(zero_run(rnn_layer, tanh=False).__class__([0]), rnn_layer).mistake == "shape"
    _, recurrent, bias = rnn_layer.get_weights()
    state = np.zeros(64)
    for _ in range(10):
        state = sigmoid(state @ recurrent + bias)
    assert check.ex_7_2_2(state, rnn_layer).mistake == "sigmoid"
    state = np.ones(64)
    for _ in range(10):
        state = np.tanh(state @ recurrent + bias)
    assert check.ex_7_2_2(state, rnn_layer).mistake == "ones_state"
    assert check.ex_7_2_2([str(x) for x in zero_run(rnn_layer)], rnn_layer).mistake == "type"


def test_7_2_3_integers_only_and_bounded():
    import itertools

    assert check.ex_7_2_3([(64.7, 500, 32), (64, 500, 16), (64, 8)], 500).mistake == "not_integer"
    assert check.ex_7_2_3([(64.0, 500, 32), (64, 500, 16), (64, 8)], 500).ok
    assert check.ex_7_2_3([("64", "500", "32"), (64, 500, 16), (64, 8)], 500).mistake == "type"
    assert check.ex_7_2_3([itertools.count(), (64, 500, 16), (64, 8)], 500).mistake == "too_long"
    assert check.ex_7_2_3(itertools.repeat((64, 8)), 500).mistake == "too_long"
    assert check.ex_7_2_3([(64, 500, 32), (64, 500, 8), (64, 16)], 500).mistake == "units_swapped"
    assert check.ex_7_2_3([(64, 100, 32), (64, 100, 16), (64, 8)], 500).mistake == "maxlen"


def test_7_2_4_a_step_that_updates_its_state_in_place_passes(inputs):
    def in_place(input_t, state_t, kernel, recurrent_kernel, bias):
        state_t[:] = gru_step_v1(input_t, state_t, kernel, recurrent_kernel, bias)
        return state_t

    assert check.ex_7_2_4(in_place, inputs).ok


def test_7_2_4_a_sigmoid_candidate(inputs):
    def step(input_t, state_t, kernel, recurrent_kernel, bias):
        x_z, x_r, x_h = np.split(input_t @ kernel + bias, 3)
        u_z, u_r, u_h = np.split(recurrent_kernel, 3, axis=1)
        z_t, r_t = sigmoid(x_z + state_t @ u_z), sigmoid(x_r + state_t @ u_r)
        return z_t * state_t + (1 - z_t) * sigmoid(x_h + (r_t * state_t) @ u_h)

    assert check.ex_7_2_4(step, inputs).mistake == "candidate_sigmoid"


def test_7_2_5_a_missing_branch_a_dense_head_strings_and_keras():
    def no_gru(layer_type, input_features, units):
        if layer_type == "SimpleRNN":
            return units * (input_features + units + 1)
        if layer_type == "LSTM":
            return 4 * units * (input_features + units + 1)

    result = check.ex_7_2_5(no_gru)
    assert result.mistake == "missing_branch" and "GRU" in result.message, result
    assert check.ex_7_2_5(lambda t, i, u: rnn_params(t, i, u) + u + 1).mistake == "dense_head"
    assert check.ex_7_2_5(lambda t, i, u: str(rnn_params(t, i, u))).mistake == "type"

    def by_keras(layer_type, input_features, units):
        layer = getattr(keras.layers, layer_type)(units)
        layer.build((None, None, input_features))
        return layer.count_params()

    assert check.ex_7_2_5(by_keras).mistake == "uses_keras"
    assert check.ex_7_2_5(rnn_params).ok


# --- 7.2.6: reading a result ----------------------------------------------------------------------------------

@pytest.mark.parametrize("rnn, lstm, spread, comparable, expected", [
    (0.866, 0.871, 0.016, True, "в пределах разброса"),   # the stored run: +0.005 against 0.016
    (0.846, 0.893, 0.016, True, "LSTM лучше"),            # the book's gap
    (0.880, 0.850, 0.016, True, "SimpleRNN лучше"),
    (0.870, 0.886, 0.016, True, "в пределах разброса"),   # equal to the spread: not above it
    (0.600, 0.700, 0.016, False, "нельзя судить"),        # quick or stand-in: not comparable
])
def test_7_2_6_each_answer_on_numbers_built_for_it(rnn, lstm, spread, comparable, expected):
    assert check.lead_verdict(round(lstm - rnn, 3), spread, comparable) == expected
    assert check.ex_7_2_6(expected, (rnn, 3), (lstm, 4), spread, comparable).ok
    assert check.ex_7_2_6(expected.upper() + " ", rnn, lstm, spread, comparable).ok
    for other in check.VERDICTS:
        if other != expected:
            result = check.ex_7_2_6(other, rnn, lstm, spread, comparable, 0.020)
            assert result.status == "ошибка" and result.mistake, (other, result)


@pytest.mark.parametrize("answer, rnn, lstm, spread, comparable, mean_gap, mistake", [
    ("LSTM лучше", 0.866, 0.871, 0.016, True, 0.020, "mean_gap"),
    ("SimpleRNN лучше", 0.846, 0.893, 0.016, True, None, "sign"),
    ("нельзя судить", 0.866, 0.871, 0.016, True, None, "can_judge"),
    ("LSTM лучше", 0.6, 0.7, 0.016, False, None, "not_comparable"),
    ("LSTM лучше", 0.866, 0.871, 0.016, True, None, "ignored_spread"),
    ("в пределах разброса", 0.866, 0.886, 0.016, True, 0.010, "mean_gap"),
    ("LSTM лучше", 0.866, 0.880, 0.016, True, None, "ignored_spread"),
    ("да", 0.866, 0.871, 0.016, True, None, "choice"),
    (1, 0.866, 0.871, 0.016, True, None, "type"),
])
def test_7_2_6_mistakes_are_named(answer, rnn, lstm, spread, comparable, mean_gap, mistake):
    result = check.ex_7_2_6(answer, rnn, lstm, spread, comparable, mean_gap)
    assert result.status == "ошибка" and result.mistake == mistake, result


def test_7_2_6_stub():
    assert check.ex_7_2_6(..., 0.8, 0.9, 0.01, True).status == UNSOLVED
    assert check.ex_7_2_6(None, 0.8, 0.9, 0.01, True).status == UNSOLVED
