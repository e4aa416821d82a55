"""The checks of notebook 7.3's exercises (utils/exercises/nb73.py) on small made-up inputs: the reference
solution passes; typical wrong answers fail, each with its own mistake; a stub is «не решено»; a wrong type gives
a message, never an exception."""

from __future__ import annotations

import numpy as np
import pytest

from utils.exercises import UNSOLVED
from utils.exercises import nb73 as check

LOOKBACK, STEP, DELAY, BATCH = 1440, 6, 144, 128


def stub(*args):  # a function whose body is still `...`
    return None


def assert_mistake(result, mistake):
    assert result.status == "ошибка" and result.mistake == mistake, result
    assert result.message


def assert_unsolved(result):
    assert result.status == UNSOLVED, result


# ---------------------------------------------------------------- 7.3.1
def ex1(func):
    return check.ex_7_3_1(func, 30001, 37000, LOOKBACK, BATCH)


def test_7_3_1_steps_for():
    assert ex1(lambda lo, hi, lb, bs: (hi - lo - lb) // bs).ok
    assert ex1(lambda lo, hi, lb, bs: float((hi - lo - lb) // bs)).ok  # an integer-valued float will do
    assert_mistake(ex1(lambda lo, hi, lb, bs: (hi - lo) // bs), "forgot_lookback")
    assert_mistake(ex1(lambda lo, hi, lb, bs: (hi - lo - lb) // bs + 1), "off_by_one")
    assert_mistake(ex1(lambda lo, hi, lb, bs: -(-(hi - lo - lb) // bs)), "off_by_one")  # rounded up
    assert_mistake(ex1(lambda lo, hi, lb, bs: (hi - lo - lb) / bs), "float_division")
    assert_mistake(ex1(lambda lo, hi, lb, bs: hi - lo - lb), "windows_not_batches")
    assert_mistake(ex1(lambda lo, hi, lb, bs: (hi - lo - lb) // 128), "wrong")  # batch size hard-coded
    assert "полных пакетов" in ex1(lambda lo, hi, lb, bs: 7).message


def test_7_3_1_stub_and_wrong_types():
    assert_unsolved(ex1(None))
    assert_unsolved(ex1(...))
    assert_unsolved(ex1(stub))
    assert_mistake(ex1(42), "type")  # a number, not a function
    assert_mistake(ex1(lambda lo, hi, lb, bs: "много"), "type")
    assert_mistake(ex1(lambda lo, hi, lb, bs: [1, 2]), "shape")
    assert_mistake(ex1(lambda lo, hi: 1), "error")  # wrong signature: TypeError inside the call


# ---------------------------------------------------------------- 7.3.2
def generator(data, lookback, delay, min_index, max_index, shuffle=False, batch_size=128, step=6):
    """The notebook's (the book's) generator, ordered windows only."""
    if max_index is None:
        max_index = len(data) - delay - 1
    i = min_index + lookback
    while True:
        if i + batch_size >= max_index:
            i = min_index + lookback
        rows = np.arange(i, min(i + batch_size, max_index))
        i += len(rows)
        samples = np.zeros((len(rows), lookback // step, data.shape[-1]))
        targets = np.zeros((len(rows),))
        for j, row in enumerate(rows):
            samples[j] = data[range(row - lookback, row, step)]
            targets[j] = data[row + delay][1]
        yield samples, targets


@pytest.fixture(scope="module")
def weather():
    """Normalized made-up weather, 10-minute rows: a daily cycle plus an anomaly that fades over days (column 1:
    temperature; the other columns are noise and a pressure-like signal)."""
    rng = np.random.default_rng(7)
    n = 12000
    a = np.exp(-1 / 432)  # anomaly fades over ~3 days
    anomaly = np.zeros(n)
    noise = rng.normal(0, np.sqrt(1 - a * a), n)
    for t in range(1, n):
        anomaly[t] = a * anomaly[t - 1] + noise[t]
    day = np.arange(n) / 144
    data = rng.normal(size=(n, 5))
    data[:, 0] = -anomaly + 0.1 * rng.normal(size=n)
    data[:, 1] = np.cos(2 * np.pi * day) + 0.8 * anomaly + 0.15 * rng.normal(size=n)
    return (data - data[:6000].mean(axis=0)) / data[:6000].std(axis=0)


def ex2(func, data):
    return check.ex_7_3_2(func, generator, data, lookback=LOOKBACK, delay=DELAY, step=STEP, batch_size=BATCH,
                          min_index=6001, max_index=11700)


def solution_baseline(samples):
    return 0.8 * samples[:, -1, 1] + 0.2 * samples[:, -1::-24, 1].mean(axis=1)


def test_7_3_2_the_reference_rule_beats_the_naive_one(weather):
    result = ex2(solution_baseline, weather)
    assert result.ok and "MAE" in result.message, result
    assert ex2(lambda s: solution_baseline(s)[:, None], weather).ok  # (batch, 1) will do


def test_7_3_2_typical_mistakes(weather):
    assert_mistake(ex2(lambda s: s[:, -24:, 1], weather), "shape")  # forgot to reduce the time axis
    assert_mistake(ex2(lambda s: s, weather), "shape")
    assert_mistake(ex2(lambda s: s[:, -1, 1].mean(), weather), "shape")  # one number for the batch
    assert_mistake(ex2(lambda s: s[:, -24:, 1].mean(axis=0), weather), "batch_axis")
    assert_mistake(ex2(lambda s: 0.8 * s[:, -1, 0] + 0.2 * s[:, -1::-24, 0].mean(axis=1), weather),
                   "wrong_column")
    assert_mistake(ex2(lambda s: s[:, -1, :].mean(axis=-1), weather), "wrong_axis")  # mean over the features
    assert_mistake(ex2(lambda s: solution_baseline(s) * 8.5 + 9.4, weather), "denormalized")
    assert_mistake(ex2(lambda s: s[:, -1, 1], weather), "same_as_naive")
    result = ex2(lambda s: s[:, -24:, 1].mean(axis=1), weather)  # the mean of the last day: loses the hour
    assert_mistake(result, "not_better")
    assert "MAE" in result.message
    assert_mistake(ex2(lambda s: np.full(len(s), np.nan), weather), "nan")


def test_7_3_2_stub_errors_and_the_notebook_state(weather):
    assert_unsolved(ex2(None, weather))
    assert_unsolved(ex2(stub, weather))
    assert_mistake(ex2("0.8 * now", weather), "type")
    assert_mistake(ex2(lambda s: s[:, -1, 99], weather), "error")
    assert_mistake(ex2(lambda s: {"прогноз": 1}, weather), "type")

    def spoils(samples):  # changes the batch it is given: the check must not be fooled by it
        samples[:, :, 1] = 0.0
        return samples[:, -1, 1]

    before = weather.copy()
    assert not ex2(spoils, weather).ok
    assert np.array_equal(weather, before)


# ---------------------------------------------------------------- 7.3.3
HISTORIES = {
    "A": {"loss": [0.5, 0.4, 0.3, 0.2, 0.1], "val_loss": [0.50, 0.45, 0.40, 0.42, 0.47]},  # best: epoch 3
    "B": {"loss": [0.6, 0.5, 0.38, 0.40], "val_loss": [0.60, 0.48, 0.55, 0.58]},  # best: epoch 2
    "C": {"loss": [0.7], "val_loss": [0.65]},  # one epoch (quick scale)
}


def best_by(key, shift=1, pick=np.argmin):
    return {label: int(pick(h[key])) + shift for label, h in HISTORIES.items()}


def test_7_3_3_best_epochs():
    assert check.ex_7_3_3(best_by("val_loss"), HISTORIES).ok
    assert check.ex_7_3_3({k: np.int64(v) for k, v in best_by("val_loss").items()}, HISTORIES).ok
    assert_mistake(check.ex_7_3_3(best_by("val_loss", shift=0), HISTORIES), "zero_based")
    assert_mistake(check.ex_7_3_3(best_by("loss"), HISTORIES), "train_loss")
    assert_mistake(check.ex_7_3_3({k: len(h["val_loss"]) for k, h in HISTORIES.items()}, HISTORIES),
                   "last_epoch")
    assert_mistake(check.ex_7_3_3(best_by("val_loss", pick=np.argmax), HISTORIES), "max_instead_of_min")
    assert_mistake(check.ex_7_3_3({**best_by("val_loss"), "B": 1}, HISTORIES), "wrong")
    assert_mistake(check.ex_7_3_3({"A": 3, "B": 2}, HISTORIES), "keys")
    assert_mistake(check.ex_7_3_3({**best_by("val_loss"), "D": 1}, HISTORIES), "keys")


def test_7_3_3_stub_and_wrong_types():
    assert_unsolved(check.ex_7_3_3(..., HISTORIES))
    assert_unsolved(check.ex_7_3_3(None, HISTORIES))
    assert_mistake(check.ex_7_3_3([3, 2, 1], HISTORIES), "type")
    assert_mistake(check.ex_7_3_3({"A": 2.5, "B": 2, "C": 1}, HISTORIES), "type")
    assert_mistake(check.ex_7_3_3({"A": "третья", "B": 2, "C": 1}, HISTORIES), "type")
    assert_unsolved(check.ex_7_3_3({"A": ..., "B": 2, "C": 1}, HISTORIES))


# ---------------------------------------------------------------- 7.3.4
@pytest.fixture(scope="module")
def float_data():
    return np.random.default_rng(3).normal(size=(2000, 6))


def ex4(func, data):
    return check.ex_7_3_4(func, data, LOOKBACK, STEP)


def test_7_3_4_reverse_windows(float_data):
    assert ex4(lambda s: s[:, ::-1, :], float_data).ok
    assert ex4(lambda s: np.flip(s, axis=1), float_data).ok
    assert ex4(lambda s: [w[::-1] for w in s], float_data).ok  # a list of windows will do
    assert_mistake(ex4(lambda s: s[::-1], float_data), "batch_axis")
    assert_mistake(ex4(lambda s: list(reversed(s)), float_data), "batch_axis")
    assert_mistake(ex4(lambda s: s[:, :, ::-1], float_data), "feature_axis")
    assert_mistake(ex4(np.flip, float_data), "all_axes")
    assert_mistake(ex4(lambda s: s.copy(), float_data), "not_reversed")
    assert_mistake(ex4(lambda s: s[:, ::-1, 1], float_data), "shape")
    assert_mistake(ex4(lambda s: np.roll(s, 1, axis=1), float_data), "wrong")


def test_7_3_4_in_place_and_stub(float_data):
    def in_place(samples):
        samples[:] = samples[:, ::-1, :].copy()

    def in_place_returned(samples):
        samples[:] = samples[:, ::-1, :].copy()
        return samples

    assert_mistake(ex4(in_place, float_data), "in_place")
    assert_mistake(ex4(in_place_returned, float_data), "in_place")
    assert_unsolved(ex4(None, float_data))
    assert_unsolved(ex4(stub, float_data))
    assert_mistake(ex4("samples[:, ::-1, :]", float_data), "type")
    assert_mistake(ex4(lambda s: s.reverse(), float_data), "error")  # ndarray has no .reverse()


# ---------------------------------------------------------------- 7.3.5
def solution_params(units, n_features):
    return 2 * 3 * (n_features * units + units * units + 2 * units)


def test_7_3_5_bidirectional_gru_params():
    assert check.ex_7_3_5(solution_params, 14).ok
    assert_mistake(check.ex_7_3_5(lambda u, f: solution_params(u, f) // 2, 14), "one_direction")
    assert_mistake(check.ex_7_3_5(lambda u, f: 2 * 3 * (u * (f + u) + u), 14), "one_bias")
    assert_mistake(check.ex_7_3_5(lambda u, f: 2 * 4 * (u * (f + u) + u), 14), "lstm_formula")
    assert_mistake(check.ex_7_3_5(lambda u, f: 2 * 3 * (u * f + 2 * u), 14), "no_recurrent")
    assert_mistake(check.ex_7_3_5(lambda u, f: 9216, 14), "wrong")  # the printed number, hard-coded
    assert_unsolved(check.ex_7_3_5(None, 14))
    assert_unsolved(check.ex_7_3_5(stub, 14))
    assert_mistake(check.ex_7_3_5(9216, 14), "type")
    assert_mistake(check.ex_7_3_5(lambda u, f: [u, f], 14), "shape")
