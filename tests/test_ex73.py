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


def ex1(func, with_generator=True):
    return check.ex_7_3_1(func, 30001, 37000, LOOKBACK, BATCH, generator=generator if with_generator else None)


def right_steps(lo, hi, lb, bs):  # the reference solution: a batch must end before max_index
    return (hi - lo - lb - 1) // bs


def test_7_3_1_the_generator_is_the_reference():
    assert check.generator_steps(generator, 0, 1696, 1440, 128) == 1  # 256 windows: one batch, not two
    assert check.generator_steps(generator, 0, 1697, 1440, 128) == 2
    for case in [(30001, 37000, 1440, 128), (1, 10000, 720, 64), (0, 1696, 1440, 128)]:
        assert check.generator_steps(generator, *case) == right_steps(*case)


def test_7_3_1_steps_for():
    assert ex1(right_steps).ok
    assert ex1(right_steps, with_generator=False).ok
    assert ex1(lambda lo, hi, lb, bs: float(right_steps(lo, hi, lb, bs))).ok  # an integer-valued float will do
    # the notebook's val_steps formula is one batch too many where the windows fill whole batches
    assert_mistake(ex1(lambda lo, hi, lb, bs: (hi - lo - lb) // bs), "formula_edge")
    assert_mistake(ex1(lambda lo, hi, lb, bs: (hi - lo) // bs), "forgot_lookback")
    assert_mistake(ex1(lambda lo, hi, lb, bs: (hi - lo - lb) // bs + 1), "off_by_one")
    assert_mistake(ex1(lambda lo, hi, lb, bs: -(-(hi - lo - lb) // bs)), "off_by_one")  # rounded up
    assert_mistake(ex1(lambda lo, hi, lb, bs: (hi - lo - lb) / bs), "float_division")
    assert_mistake(ex1(lambda lo, hi, lb, bs: hi - lo - lb), "windows_not_batches")
    assert_mistake(ex1(lambda lo, hi, lb, bs: (hi - lo - lb - 1) // 128), "wrong")  # batch size hard-coded
    assert "полных пакетов" in ex1(lambda lo, hi, lb, bs: 7).message


def test_7_3_1_stub_and_wrong_types():
    assert_unsolved(ex1(None))
    assert_unsolved(ex1(...))
    assert_unsolved(ex1(stub))
    assert_mistake(ex1(42), "type")  # a number, not a function
    assert_mistake(ex1(lambda lo, hi, lb, bs: "много"), "type")
    assert_mistake(ex1(lambda lo, hi, lb, bs: str(right_steps(lo, hi, lb, bs))), "type")  # digits: no number
    assert_mistake(ex1(lambda lo, hi, lb, bs: [1, 2]), "shape")
    assert_mistake(ex1(lambda lo, hi: 1), "error")  # wrong signature: TypeError inside the call


# ---------------------------------------------------------------- 7.3.2
SPLITS = {"lesson": (30000, 37000), "quick": (30000, 32600)}  # the notebook's TRAIN_MAX, VAL_MAX


@pytest.fixture(scope="module")
def weather():
    """Normalized made-up weather, 10-minute rows, as long as the notebook's lesson split needs: a daily cycle plus
    an anomaly that fades in about 17 hours (column 1: temperature; column 0 follows the anomaly, the other
    columns are noise).  Made here, not the project's stand-in, so that these numbers stay put."""
    rng = np.random.default_rng(7)
    n = 40000
    a = np.exp(-1 / (144 * 0.7))
    noise = rng.normal(0, np.sqrt(1 - a * a), n)
    anomaly = np.zeros(n)
    for t in range(1, n):
        anomaly[t] = a * anomaly[t - 1] + noise[t]
    day = np.arange(n) / 144
    data = rng.normal(size=(n, 6))
    data[:, 0] = -anomaly + 0.1 * rng.normal(size=n)
    data[:, 1] = np.cos(2 * np.pi * day) + anomaly + 0.1 * rng.normal(size=n)
    train = SPLITS["lesson"][0]
    return (data - data[:train].mean(axis=0)) / data[:train].std(axis=0)


def ex2(func, data, scale="lesson"):
    train, val = SPLITS[scale]
    return check.ex_7_3_2(func, generator, data, lookback=LOOKBACK, delay=DELAY, step=STEP, batch_size=BATCH,
                          min_index=train + 1, max_index=val)


def solution_baseline(samples):
    return 0.8 * samples[:, -1, 1] + 0.2 * samples[:, -1::-24, 1].mean(axis=1)


def test_7_3_2_the_reference_rule_beats_the_naive_one_beyond_the_noise(weather):
    for scale in SPLITS:
        result = ex2(solution_baseline, weather, scale)
        assert result.ok and "шум" in result.message, (scale, result)
    assert ex2(lambda s: solution_baseline(s)[:, None], weather).ok  # (batch, 1) will do
    assert ex2(lambda s: solution_baseline(s).astype("float32"), weather).ok


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
    assert_mistake(ex2(lambda s: s[:, -24:, 1].mean(axis=1), weather), "day_mean")
    assert_mistake(ex2(lambda s: np.full(len(s), np.nan), weather), "nan")


@pytest.mark.parametrize("scale", SPLITS)
def test_7_3_2_no_message_names_a_mistake_the_answer_does_not_have(weather, scale):
    # issue 24: a constant was told «wrong column», a trend extrapolation «another scale»
    result = ex2(lambda s: np.zeros(len(s)), weather, scale)
    assert_mistake(result, "constant")
    result = ex2(lambda s: 2 * s[:, -1, 1] - s[:, -25, 1], weather, scale)  # the last day's trend, continued
    assert_mistake(result, "not_better")
    assert "MAE" in result.message


@pytest.mark.parametrize("scale", SPLITS)
def test_7_3_2_the_window_start_and_the_window_mean_never_pass(weather, scale):
    # issue 24: at quick, 2 batches let them «beat» the naive rule by chance
    assert_mistake(ex2(lambda s: s[:, 0, 1], weather, scale), "first_point")
    assert_mistake(ex2(lambda s: s[:, :, 1].mean(axis=1), weather, scale), "window_mean")


def test_7_3_2_a_gain_within_the_noise(weather):
    # the reference rule spoilt by a made-up jitter: still better on average, but within the noise; not enough
    # on the lesson stretch (38 days), and the quick one (8 days) cannot judge it
    def jittered(samples):
        return solution_baseline(samples) + 0.4 * np.sin(50 * samples[:, -1, 3])

    for scale in SPLITS:
        diff, noise, days = check.paired(*_errors(jittered, weather, scale))
        assert -noise <= diff < 0, (scale, diff, noise)
    assert_mistake(ex2(jittered, weather, "lesson"), "within_noise")
    result = ex2(jittered, weather, "quick")
    assert result.status == "нельзя судить" and not result.ok and "8 суток" in result.message, result


def _errors(rule, data, scale):
    train, val = SPLITS[scale]
    windows = generator(data, LOOKBACK, DELAY, train + 1, val, batch_size=BATCH, step=STEP)
    batches = [next(windows) for _ in range((val - train - 1 - LOOKBACK - 1) // BATCH)]
    targets = np.concatenate([t for _, t in batches])
    return (np.abs(np.concatenate([rule(s) for s, _ in batches]) - targets),
            np.abs(np.concatenate([s[:, -1, 1] for s, _ in batches]) - targets))


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
    assert_mistake(ex4(lambda s: np.roll(s, 1, axis=1), float_data), "rolled")
    assert_mistake(ex4(lambda s: np.roll(s, 2, axis=1)[:, ::-1], float_data), "wrong")


def test_7_3_4_float32_and_the_extra_axes(float_data):
    # issue 24: the right reversal cast to float32 (the models' dtype) was told the order is wrong
    assert ex4(lambda s: s[:, ::-1, :].astype("float32"), float_data).ok
    assert ex4(lambda s: np.ascontiguousarray(np.flip(s, 1), dtype=np.float32).tolist(), float_data).ok
    assert_mistake(ex4(lambda s: s[::-1, ::-1], float_data), "time_and_batch")
    assert_mistake(ex4(lambda s: s[:, ::-1, ::-1].astype("float32"), float_data), "time_and_features")


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


# ---------------------------------------------------------------- round 2 (issue 24): 7.3.3, 7.3.5, 7.3.6
QUICK_HISTORIES = {label: {"loss": [0.7], "val_loss": [0.6]} for label in ("A", "B")}  # one epoch each


def test_7_3_3_one_epoch_histories_cannot_judge():
    result = check.ex_7_3_3({"A": 1, "B": 1}, QUICK_HISTORIES)
    assert result.status == "нельзя судить" and not result.ok, result
    assert_mistake(check.ex_7_3_3({"A": 0, "B": 0}, QUICK_HISTORIES), "zero_based")
    assert_mistake(check.ex_7_3_3({"A": 2, "B": 1}, QUICK_HISTORIES), "range")


def test_7_3_3_range_strings_and_endless_answers():
    assert_mistake(check.ex_7_3_3({**best_by("val_loss"), "A": 9}, HISTORIES), "range")
    assert_mistake(check.ex_7_3_3({"A": "3", "B": "2", "C": "1"}, HISTORIES), "type")

    class EndlessItems(dict):
        def items(self):
            import itertools
            return zip(itertools.count(), itertools.count())

    assert_mistake(check.ex_7_3_3(EndlessItems(), HISTORIES), "too_long")


def test_7_3_5_new_mistakes_and_the_rule():
    def with_head(u, f):
        return solution_params(u, f) + 2 * u + 1

    assert_mistake(check.ex_7_3_5(with_head, 14), "dense_head")
    assert_mistake(check.ex_7_3_5(lambda u, f: 3 * (2 * u * (f + 2 * u) + 4 * u), 14), "doubled_units")
    assert_mistake(check.ex_7_3_5(lambda u, f: 2 * 3 * (u * (2 * f + u) + 2 * u), 14), "doubled_input")
    assert_mistake(check.ex_7_3_5(lambda u, f: str(solution_params(u, f)), 14), "type")

    def by_keras(units, n_features):
        from keras import layers

        layer = layers.Bidirectional(layers.GRU(units))
        layer.build((None, None, n_features))
        return layer.count_params()

    assert_mistake(check.ex_7_3_5(by_keras, 14), "uses_keras")
    assert check.ex_7_3_5(solution_params, 14).ok


# ---------------------------------------------------------------- 7.3.6: reading the verdict against the baseline
@pytest.mark.parametrize("diff, noise, expected", [
    (-0.040, 0.012, "лучше"),
    (0.030, 0.012, "хуже"),
    (-0.005, 0.012, "в пределах шума"),
    (0.012, 0.012, "в пределах шума"),  # on the edge: not beyond
    (0.300, 0.500, "в пределах шума"),  # quick: a wide noise
])
def test_7_3_6_each_answer_on_numbers_built_for_it(diff, noise, expected):
    table = {"Dense": (0.2, 0.05), "GRU(32)": (diff, noise)}
    assert check.baseline_verdict(diff, noise) == expected
    assert check.ex_7_3_6(expected, table).ok
    assert check.ex_7_3_6(f"  {expected.upper()} ", table).ok
    for other in check.BASELINE_VERDICTS:
        if other != expected:
            result = check.ex_7_3_6(other, table)
            assert result.status == "ошибка" and result.mistake, (other, result)


@pytest.mark.parametrize("answer, diff, noise, mistake", [
    ("хуже", -0.040, 0.012, "sign"),
    ("лучше", 0.030, 0.012, "sign"),
    ("лучше", -0.005, 0.012, "ignored_noise"),
    ("хуже", 0.005, 0.012, "ignored_noise"),
    ("в пределах шума", -0.040, 0.012, "beyond_noise"),
    ("да", -0.040, 0.012, "choice"),
    (True, -0.040, 0.012, "type"),
])
def test_7_3_6_mistakes_are_named(answer, diff, noise, mistake):
    assert_mistake(check.ex_7_3_6(answer, {"GRU(32)": (diff, noise)}), mistake)


def test_7_3_6_stub_missing_model_and_no_noise():
    assert_unsolved(check.ex_7_3_6(..., {"GRU(32)": (-0.04, 0.01)}))
    assert_mistake(check.ex_7_3_6("лучше", {"Dense": (0.2, 0.05)}), "data")
    result = check.ex_7_3_6("лучше", {"GRU(32)": (-0.04, float("inf"))})
    assert result.status == "нельзя судить", result
    assert check.ex_7_3_6("хуже", {"Dense": (0.2, 0.05)}, label="Dense").ok
