"""Checks of the exercises of notebook 7.3 (advanced RNN: Jena weather, bidirectional layers).

- 7.3.1 ``steps_for(min_index, max_index, lookback, batch_size)``: the full batches of windows the notebook's
  ``generator`` gives on a stretch of rows before it starts over (the reference is the generator itself);
- 7.3.2 ``baseline(samples)``: a rule without training that beats «завтра = сегодня» beyond the noise (MAE on the
  same validation windows, paired, two standard errors of day means, as the notebook's verdicts); a stretch too
  short to tell says so;
- 7.3.3 ``best_epochs``: {model label: epoch (from 1) of the smallest ``val_loss``} from the stored histories;
  one-epoch histories (quick) cannot tell, and the check says so;
- 7.3.4 ``reverse_windows(samples)``: windows reversed in time (``samples[:, ::-1, :]``), any float dtype;
- 7.3.5 ``bidirectional_gru_params(units, n_features)``: parameters of ``Bidirectional(GRU(units))``, compared
  with what Keras counts;
- 7.3.6 (reading a result) ``verdict``: does a Jena model beat the naive baseline beyond the noise that the
  notebook's verdict cell printed?  Computed from the notebook's ``jena_vs_baseline`` {label: (diff, noise)}.

No check trains anything; each takes about a second at most.
"""

from __future__ import annotations

import numpy as np

from utils.exercises import (
    Failed,
    array,
    call,
    cannot_judge,
    check,
    choice,
    is_stub,
    items,
    number,
    right,
    shape_is,
    source_uses,
    unsolved,
    wrong,
)

MAX_BATCHES = 120  # 7.3.2: the first batches of the validation stretch scored at most (whole days of windows)
DAY = 144  # rows (10 minutes each) in a day: the block of the paired comparison
MIN_DAYS = 20  # 7.3.2: a stretch with fewer days cannot show a small gain beyond the noise
MAX_GENERATOR_BATCHES = 20000  # 7.3.1: a generator that never starts over is read this far at most


# ---------------------------------------------------------------- 7.3.1
def _steps(min_index, max_index, lookback, batch_size):
    """The notebook's val_steps formula: the number of windows divided by batch_size."""
    return (max_index - min_index - lookback) // batch_size


def generator_steps(generator, min_index, max_index, lookback, batch_size) -> int:
    """Full batches that ``generator`` (the notebook's, ordered) gives on the stretch before it starts over: read
    from the generator itself on rows that carry their own number (one point per window: step = lookback)."""
    delay = 1
    data = np.zeros((max_index + delay + 2, 2))
    data[:, 0] = np.arange(len(data))
    batches = generator(data, lookback=lookback, delay=delay, min_index=min_index, max_index=max_index,
                        batch_size=batch_size, step=lookback)
    first = None
    full = 0
    for _ in range(MAX_GENERATOR_BATCHES):
        samples, _ = next(batches)
        start = samples[0, 0, 0]
        if start == first:
            return full
        first = start if first is None else first
        full += len(samples) == batch_size
    return full


STEPS_MISTAKES = [  # (mistake, the wrong formula, message)
    ("formula_edge", _steps,
     "почти везде верно, но на участке, где число окон делится на batch_size нацело, генератор даёт на один "
     "пакет меньше: посмотрите, при каком условии он начинает участок сначала"),
    ("forgot_lookback", lambda lo, hi, lb, bs: (hi - lo) // bs,
     "окна начинаются не с min_index: первые lookback строк участка уходят на прошлое первого окна"),
    ("off_by_one", lambda lo, hi, lb, bs: _steps(lo, hi, lb, bs) + 1,
     "на один пакет больше, чем нужно: неполный последний пакет не считается"),
    ("off_by_one", lambda lo, hi, lb, bs: -(-(hi - lo - lb) // bs),
     "на один пакет больше, чем нужно: неполный последний пакет не считается"),
    ("off_by_one", lambda lo, hi, lb, bs: _steps(lo, hi, lb, bs) - 1,
     "на один пакет меньше, чем нужно"),
    ("windows_not_batches", lambda lo, hi, lb, bs: hi - lo - lb,
     "это число окон, а нужно число пакетов по batch_size окон"),
]
EDGE_CASE = (0, 1696, 1440, 128)  # 256 windows = 2 batches exactly: the generator gives one


@check
def ex_7_3_1(steps_for, min_index, max_index, lookback, batch_size, generator=None):
    """``steps_for`` on the notebook's validation stretch and on other bounds, the edge case among them; the
    reference is the notebook's ``generator`` (without it: the same count by formula)."""
    cases = [(min_index, max_index, lookback, batch_size), (1, 10000, 720, 64), (5000, 25000, 1440, 100),
             EDGE_CASE, (200001, 300000, 1440, 128)]
    cases = [tuple(int(x) for x in case) for case in cases]
    answers = [number(call(steps_for, *case, name="steps_for"), f"steps_for{case}") for case in cases]
    if generator is not None:
        expected = [generator_steps(generator, *case) for case in cases]
    else:
        expected = [(hi - lo - lb - 1) // bs for lo, hi, lb, bs in cases]
    if answers == expected:
        return right("число полных пакетов совпадает с генератором на всех участках, и на краевом тоже")
    if any(a != int(a) for a in answers):
        if all(np.isclose(a, (hi - lo - lb) / bs) for a, (lo, hi, lb, bs) in zip(answers, cases)):
            return wrong("float_division", "получилось дробное число: / даёт дробь, а пакетов — целое число "
                                           "(какая операция делит нацело?)")
        return wrong("not_integer", "число пакетов должно быть целым")
    for mistake, formula, message in STEPS_MISTAKES:
        if all(a == formula(*case) for a, case in zip(answers, cases)):
            return wrong(mistake, message)
    case, got = next((c, a) for c, a, e in zip(cases, answers, expected) if a != e)
    return wrong("wrong", f"steps_for{case} = {got:g}: это не число полных пакетов окон на участке "
                          "(сколько окон даёт участок, если каждому нужно lookback строк прошлого?)")


# ---------------------------------------------------------------- 7.3.2
def _batches(generator, float_data, lookback, delay, step, batch_size, min_index, max_index):
    """The first full batches of the stretch, in order (at most MAX_BATCHES), from a fresh generator (the notebook's
    val_gen keeps its place): consecutive windows, so that whole days make the blocks of the comparison."""
    n_full = (max_index - min_index - lookback - 1) // batch_size
    if n_full < 1:
        raise Failed(wrong("data", "на участке нет ни одного полного пакета окон: проверьте аргументы проверки"))
    windows = generator(float_data, lookback=lookback, delay=delay, min_index=min_index, max_index=max_index,
                        step=step, batch_size=batch_size)
    return [next(windows) for _ in range(min(n_full, MAX_BATCHES))]


def paired(errors_a, errors_b, block: int = DAY) -> tuple[float, float, int]:
    """Mean of (a - b) over the windows, the noise (two standard errors of the day means of the difference; inf
    with fewer than 5 days), and the number of days: the notebook's comparison."""
    d = np.asarray(errors_a) - np.asarray(errors_b)
    days = d[:len(d) // block * block].reshape(-1, block).mean(axis=1)
    noise = 2 * days.std(ddof=1) / np.sqrt(len(days)) if len(days) >= 5 else np.inf
    return float(d.mean()), float(noise), len(days)


def _predict(baseline, samples):
    """The student's forecast for one batch, as a vector of len(samples), or stop with a message."""
    pred = array(call(baseline, samples, name="baseline"), "прогноз baseline")
    n = len(samples)
    if pred.shape == (n, 1):
        pred = pred[:, 0]
    if pred.ndim == 0:
        raise Failed(wrong("shape", "baseline вернула одно число на весь пакет, а нужен прогноз для каждого окна"))
    if pred.ndim > 1:
        raise Failed(wrong("shape", f"прогноз формы {pred.shape}, а нужен вектор ({n},) — одно число на окно: "
                                    "ось времени нужно свести (выбрать точку или усреднить)"))
    if pred.shape != (n,):
        raise Failed(wrong("batch_axis", f"прогноз длины {len(pred)}, а окон в пакете {n}: похоже, усреднение "
                                         "идёт по оси пакета (axis=0)"))
    if not np.all(np.isfinite(pred)):
        raise Failed(wrong("nan", "в прогнозе есть nan или inf"))
    return pred


def _same(a, b) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


@check
def ex_7_3_2(baseline, generator, float_data, *, lookback, delay, step, batch_size, min_index, max_index):
    """MAE of ``baseline`` against the naive «the temperature now» on the same validation windows, paired."""
    if is_stub(baseline):
        return unsolved()
    batches = _batches(generator, float_data, lookback, delay, step, batch_size, min_index, max_index)
    naive = [samples[:, -1, 1] for samples, _ in batches]
    preds = [_predict(baseline, samples) for samples, _ in batches]
    targets = np.concatenate([t for _, t in batches])
    all_preds, all_naive = np.concatenate(preds), np.concatenate(naive)
    errors, naive_errors = np.abs(all_preds - targets), np.abs(all_naive - targets)
    diff, noise, days = paired(errors, naive_errors)
    scores = (f"MAE {errors.mean():.4f} против {naive_errors.mean():.4f} у «завтра = сегодня», разница "
              f"{diff:+.4f}, шум ±{noise:.4f} (окон: {len(targets)}, суток: {days})")
    if diff < -noise:
        return right(scores)
    samples, pred = batches[0][0], preds[0]
    series = samples[:, :, 1]
    named = [
        ("same_as_naive", series[:, -1], "это и есть базовая линия «завтра = сегодня»; нужно правило точнее неё"),
        ("first_point", series[:, 0], "это температура в первой точке окна — в тот же час 10 суток назад: за "
                                      "10 суток погода уходит дальше, чем за одни"),
        ("window_mean", series.mean(axis=1), "среднее за всё окно (10 суток) теряет и время суток, и погоду "
                                             "последних дней"),
        ("day_mean", series[:, -24:].mean(axis=1), "среднее за последние сутки теряет время суток: прогноз — на "
                                                   "тот же час завтра"),
    ]
    for mistake, variant, message in named:
        if _same(pred, variant):
            return wrong(mistake, f"{message} ({scores})")
    if np.ptp(all_preds) == 0:
        return wrong("constant", f"прогноз одинаков для всех окон: правило не смотрит на окно ({scores})")
    if diff < 0:
        if days < MIN_DAYS:
            return cannot_judge(f"правило лучше, но на этом коротком участке ({days} суток) разница в пределах "
                                f"шума: {scores}. Проверьте его после прогона в масштабе lesson")
        return wrong("within_noise", f"правило лучше лишь в пределах шума: {scores}")
    rng = np.random.default_rng(0)
    other = [k for k in range(samples.shape[-1]) if k != 1]
    changed_t, changed_other = samples.copy(), samples.copy()
    changed_t[:, :, 1] += rng.normal(size=changed_t.shape[:2])
    changed_other[:, :, other] += rng.normal(size=(*samples.shape[:2], len(other)))
    moves_with_t = not np.allclose(_predict(baseline, changed_t), pred)
    moves_with_other = not np.allclose(_predict(baseline, changed_other), pred)
    if not moves_with_t and moves_with_other:
        return wrong("wrong_column", "прогноз меняется с другими признаками, но не с температурой: температура — "
                                     "столбец 1 (T (degC))")
    if moves_with_t and moves_with_other and _same(pred, samples[:, -1, :].mean(axis=-1)):
        return wrong("wrong_axis", "прогноз — среднее по признакам в последней точке: усреднение идёт по оси "
                                   "признаков (последней), а не по оси времени (axis=1)")
    spread = np.std(all_naive) + 1e-12
    slope = np.polyfit(all_naive, all_preds, 1)[0] if np.ptp(all_naive) > 0 else 0.0
    if abs(np.mean(all_preds) - np.mean(all_naive)) > 3 * spread and slope > 2:
        return wrong("denormalized", "прогноз в другом масштабе, чем цели: данные нормализованы (и цели тоже), "
                                     "переводить прогноз в °C (× std, + mean) не нужно")
    return wrong("not_better", f"правило пока не лучше базовой линии: {scores}")


# ---------------------------------------------------------------- 7.3.3
def _epochs_of_min(values) -> set[int]:
    values = np.asarray(values, dtype=float)
    return {int(i) + 1 for i in np.flatnonzero(values == np.nanmin(values))}


def _epochs_of_max(values) -> set[int]:
    values = np.asarray(values, dtype=float)
    return {int(i) + 1 for i in np.flatnonzero(values == np.nanmax(values))}


EPOCH_MISTAKES = [  # (mistake, does the answer for one history fit this mistake, message)
    ("zero_based", lambda e, h: e + 1 in _epochs_of_min(h["val_loss"]),
     "номера эпох на единицу меньше: ноутбук (и журнал обучения) считает эпохи с 1, а индексы списка — с 0"),
    ("train_loss", lambda e, h: e in _epochs_of_min(h["loss"]),
     "это эпохи наименьшей потери на обучении (loss); лучшую эпоху выбирают по проверке (val_loss)"),
    ("last_epoch", lambda e, h: e == len(h["val_loss"]),
     "это последняя эпоха каждой модели, а не эпоха с наименьшей val_loss"),
    ("max_instead_of_min", lambda e, h: e in _epochs_of_max(h["val_loss"]),
     "это эпохи наибольшей val_loss: потеря (MAE) чем меньше, тем лучше"),
]


@check
def ex_7_3_3(best_epochs, histories):
    """``best_epochs``: {label: epoch} for every history in ``histories`` ({label: {"loss": [...], ...}})."""
    if is_stub(best_epochs):
        return unsolved()
    if not hasattr(best_epochs, "items"):
        return wrong("type", f"ожидается словарь {{подпись модели: номер эпохи}}, а получен "
                             f"{type(best_epochs).__name__}")
    answer = dict(items(best_epochs.items(), "best_epochs", limit=1000))
    missing = [label for label in histories if label not in answer]
    extra = [label for label in answer if label not in histories]
    if missing or extra:
        what = f"нет моделей: {', '.join(map(str, missing))}" if missing else \
            f"лишние ключи: {', '.join(map(str, extra))}"
        return wrong("keys", f"{what}; ключи — подписи моделей из jena_runs")
    epochs = {label: number(answer[label], f"эпоха модели «{label}»") for label in histories}
    if any(e != int(e) for e in epochs.values()):
        return wrong("type", "номер эпохи — целое число")
    lengths = {label: len(h["val_loss"]) for label, h in histories.items()}
    if max(lengths.values()) < 2 and all(e == 1 for e in epochs.values()):
        return cannot_judge("у каждой модели одна эпоха: лучшей может быть только она, и ответ ничего не "
                            "показывает; проверьте его после прогона в масштабе lesson")
    if all(e in _epochs_of_min(histories[label]["val_loss"]) for label, e in epochs.items()):
        return right("у каждой модели — эпоха с наименьшей MAE на проверке")
    for mistake, fits, message in EPOCH_MISTAKES:
        if all(fits(e, histories[label]) for label, e in epochs.items()):
            return wrong(mistake, message)
    outside = [label for label, e in epochs.items() if not 1 <= e <= lengths[label]]
    if outside:
        label = outside[0]
        return wrong("range", f"у модели «{label}» эпохи с 1 по {lengths[label]}, а в ответе {epochs[label]:g}")
    label = next(label for label, e in epochs.items() if e not in _epochs_of_min(histories[label]["val_loss"]))
    return wrong("wrong", f"у модели «{label}» это не эпоха с наименьшей val_loss")


# ---------------------------------------------------------------- 7.3.4
def _windows(float_data, lookback, step, n=8):
    """``n`` windows of the notebook's data, as the notebook's generator builds them."""
    rows = lookback + np.arange(n) * 50
    return float_data[rows[:, None] + np.arange(-lookback, 0, step)]


REVERSE_MISTAKES = [  # (mistake, the wrong result, message)
    ("not_reversed", lambda a: a, "окна не изменились: порядок шагов времени не обращён"),
    ("batch_axis", lambda a: a[::-1], "обращён порядок окон в пакете (ось 0), а нужен порядок шагов времени"),
    ("feature_axis", lambda a: a[:, :, ::-1], "обращён порядок признаков (последняя ось), а нужен порядок шагов "
                                              "времени"),
    ("all_axes", lambda a: a[::-1, ::-1, ::-1], "обращены все оси сразу (np.flip без axis?), а нужна только ось "
                                                "времени"),
    ("time_and_batch", lambda a: a[::-1, ::-1], "обращены и время, и порядок окон в пакете (ось 0): порядок окон "
                                                "менять не нужно"),
    ("time_and_features", lambda a: a[:, ::-1, ::-1], "обращены и время, и порядок признаков (последняя ось): "
                                                      "признаки должны остаться на своих местах"),
    ("rolled", lambda a: np.roll(a, 1, axis=1), "шаги сдвинуты по кругу (np.roll), а нужно прочитать окно от "
                                                "конца к началу"),
]


def _close(a, b) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-6))


@check
def ex_7_3_4(reverse_windows, float_data, lookback, step):
    """``reverse_windows`` on windows of the notebook's data and on a small batch with distinct numbers."""
    for batch in (np.arange(3 * 5 * 4, dtype=float).reshape(3, 5, 4), _windows(float_data, lookback, step)):
        given = batch.copy()
        try:
            result = call(reverse_windows, given, name="reverse_windows", copy_args=False)  # given: a copy
        except Failed as stop:
            if stop.result.mistake == "unsolved" and not np.array_equal(given, batch):
                return wrong("in_place", "функция меняет переданный пакет на месте и ничего не возвращает: верните "
                                         "новый массив (return ...)")
            raise
        if not np.array_equal(given, batch):
            return wrong("in_place", "функция меняет переданный пакет: генератор и другие модели увидели бы "
                                     "испорченные окна; верните новый массив, не трогая входной")
        result = array(result, "результат reverse_windows")
        shape_is(result, batch.shape, "результат reverse_windows")
        if _close(result, batch[:, ::-1, :]):  # float32, the models' dtype, will do
            continue
        for mistake, wrong_result, message in REVERSE_MISTAKES:
            if _close(result, wrong_result(batch)):
                return wrong(mistake, message)
        return wrong("wrong", "результат не совпадает с окнами, прочитанными от конца к началу")
    return right("окна обращены во времени, пакет и признаки на месте")


# ---------------------------------------------------------------- 7.3.5
def _keras_params(units, n_features):
    from keras import layers

    layer = layers.Bidirectional(layers.GRU(units))
    layer.build((None, None, n_features))
    return layer.count_params()


PARAMS_MISTAKES = [  # (mistake, the wrong formula, message)
    ("one_direction", lambda u, f: 3 * (u * (f + u) + 2 * u),
     "это параметры одного GRU: Bidirectional содержит две копии слоя (прямую и обратную)"),
    ("one_bias", lambda u, f: 2 * 3 * (u * (f + u) + u),
     "не хватает смещений: у GRU в Keras 3 (reset_after=True) у каждого из трёх блоков два вектора смещений"),
    ("lstm_formula", lambda u, f: 2 * 4 * (u * (f + u) + u),
     "это формула LSTM (четыре блока весов), а у GRU их три"),
    ("no_recurrent", lambda u, f: 2 * 3 * (u * f + 2 * u),
     "не учтены рекуррентные веса: каждый блок GRU получает и вход, и предыдущее состояние (units × units)"),
    ("dense_head", lambda u, f: 2 * 3 * (u * (f + u) + 2 * u) + 2 * u + 1,
     "прибавлены параметры выходного Dense(1); нужен только слой Bidirectional(GRU)"),
    ("doubled_units", lambda u, f: 3 * (2 * u * (f + 2 * u) + 2 * 2 * u),
     "это один GRU из 2·units нейронов: Bidirectional — две копии GRU(units), и удваивается их выход "
     "(конкатенация), а не число нейронов в каждой"),
    ("doubled_input", lambda u, f: 2 * 3 * (u * (2 * f + u) + 2 * u),
     "удвоено число входов: конкатенация удваивает выход слоя, а каждая копия GRU получает те же n_features"),
]


@check
def ex_7_3_5(bidirectional_gru_params, n_features):
    """The count for the notebook's ``Bidirectional(GRU(32))`` and for other sizes; reference: Keras itself."""
    cases = [(32, int(n_features)), (8, 3), (16, 5)]
    answers = [number(call(bidirectional_gru_params, *case, name="bidirectional_gru_params"),
                      f"bidirectional_gru_params{case}") for case in cases]
    expected = [_keras_params(*case) for case in cases]
    if answers == expected:
        used = source_uses(bidirectional_gru_params, names=("keras", "layers", "count_params", "Bidirectional",
                                                            "GRU"))
        if used:
            return wrong("uses_keras", f"числа верные, но функция использует {used}: задание — по формуле, без "
                                       "Keras")
        return right("формула совпадает с подсчётом Keras при всех размерах")
    for mistake, formula, message in PARAMS_MISTAKES:
        if all(a == formula(*case) for a, case in zip(answers, cases)):
            return wrong(mistake, message)
    case = next(c for c, a, e in zip(cases, answers, expected) if a != e)
    return wrong("wrong", f"при units={case[0]}, n_features={case[1]} число не совпадает с подсчётом Keras")


# ---------------------------------------------------------------- 7.3.6
BASELINE_VERDICTS = {
    "лучше": "MAE модели меньше MAE базовой линии больше чем на шум",
    "хуже": "MAE модели больше MAE базовой линии больше чем на шум",
    "в пределах шума": "разница по модулю не больше шума",
}


def baseline_verdict(diff: float, noise: float) -> str | None:
    """The notebook's rule: diff < -noise: better; diff > noise: worse; else within the noise.  None when the
    noise could not be estimated (inf or nan)."""
    if not np.isfinite(noise):
        return None
    return "лучше" if diff < -noise else "хуже" if diff > noise else "в пределах шума"


@check
def ex_7_3_6(verdict, jena_vs_baseline, label="GRU(32)"):
    """``verdict``: a key of ``BASELINE_VERDICTS`` for the model ``label``; ``jena_vs_baseline``: the notebook's
    {label: (diff, noise)}, diff = the model's validation MAE at its best epoch minus the baseline's on the same
    windows, noise = the half-width the verdict cell printed."""
    answer = choice(verdict, BASELINE_VERDICTS, "verdict")
    if label not in jena_vs_baseline:
        known = ", ".join(map(str, jena_vs_baseline)) or "нет ни одной"
        return wrong("data", f"в jena_vs_baseline нет модели «{label}» (есть: {known}): выполните ноутбук целиком")
    diff, noise = (float(x) for x in jena_vs_baseline[label])
    expected = baseline_verdict(diff, noise)
    if expected is None:
        return cannot_judge("шум этого сравнения не оценить (меньше 5 суток окон): прогон слишком короткий, "
                            "чтобы судить")
    if answer == expected:
        return right(f"«{label}»: разница {diff:+.3f}, шум ±{noise:.3f}")
    if answer == baseline_verdict(-diff, noise):
        return wrong("sign", "разница — MAE модели минус MAE базовой линии: отрицательная разница значит, что "
                             "модель ошибается меньше")
    if expected == "в пределах шума":
        return wrong("ignored_noise", "вы смотрите только на знак разницы; вопрос — больше ли она шума, "
                                      "напечатанного рядом")
    if answer == "в пределах шума":
        return wrong("beyond_noise", "сравните модуль разницы с напечатанным шумом ещё раз")
    return wrong("wrong", "сравните разницу с шумом ещё раз")
