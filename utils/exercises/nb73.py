"""Checks of the exercises of notebook 7.3 (advanced RNN: Jena weather, bidirectional layers).

- 7.3.1 ``steps_for(min_index, max_index, lookback, batch_size)``: full batches of windows on a stretch of rows
  (the notebook's ``val_steps`` formula);
- 7.3.2 ``baseline(samples)``: a rule without training that beats «завтра = сегодня» (MAE on validation batches
  drawn with the notebook's own ``generator``);
- 7.3.3 ``best_epochs``: {model label: epoch (from 1) of the smallest ``val_loss``} from the stored histories;
- 7.3.4 ``reverse_windows(samples)``: windows reversed in time (``samples[:, ::-1, :]``);
- 7.3.5 ``bidirectional_gru_params(units, n_features)``: parameters of ``Bidirectional(GRU(units))``, compared
  with what Keras counts.

No check trains anything; each takes well under a second (7.3.2 draws at most ``MAX_BATCHES`` batches).
"""

from __future__ import annotations

import numpy as np

from utils.exercises import Failed, array, call, check, is_stub, number, right, shape_is, unsolved, wrong

MAX_BATCHES = 40  # 7.3.2: validation batches scored at most, spread evenly over the stretch


# ---------------------------------------------------------------- 7.3.1
def _steps(min_index, max_index, lookback, batch_size):
    return (max_index - min_index - lookback) // batch_size


STEPS_MISTAKES = [  # (mistake, the wrong formula, message)
    ("forgot_lookback", lambda lo, hi, lb, bs: (hi - lo) // bs,
     "окна начинаются не с min_index: первые lookback строк участка уходят на прошлое первого окна"),
    ("off_by_one", lambda lo, hi, lb, bs: _steps(lo, hi, lb, bs) + 1,
     "на один пакет больше, чем нужно: неполный последний пакет не считается"),
    ("off_by_one", lambda lo, hi, lb, bs: _steps(lo, hi, lb, bs) - 1,
     "на один пакет меньше, чем нужно"),
    ("windows_not_batches", lambda lo, hi, lb, bs: hi - lo - lb,
     "это число окон, а нужно число пакетов по batch_size окон"),
]


@check
def ex_7_3_1(steps_for, min_index, max_index, lookback, batch_size):
    """``steps_for`` on the notebook's validation stretch and on other bounds; reference: the notebook's formula."""
    cases = [(min_index, max_index, lookback, batch_size), (1, 10000, 720, 64), (5000, 25000, 1440, 100),
             (200001, 300000, 1440, 128)]
    answers = [number(call(steps_for, *case, name="steps_for"), f"steps_for{case}") for case in cases]
    expected = [_steps(*case) for case in cases]
    if answers == expected:
        return right("число полных пакетов совпадает с формулой ноутбука на всех участках")
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
    """At most MAX_BATCHES batches of the stretch, spread evenly over it, each from a fresh generator (the
    notebook's val_gen keeps its place)."""
    n_full = (max_index - min_index - lookback) // batch_size
    if n_full < 1:
        raise Failed(wrong("data", "на участке нет ни одного полного пакета окон: проверьте аргументы проверки"))
    starts = np.linspace(min_index + lookback, max_index - batch_size - 1, min(n_full, MAX_BATCHES)).astype(int)
    return [next(generator(float_data, lookback=lookback, delay=delay, min_index=int(start) - lookback,
                           max_index=max_index, step=step, batch_size=batch_size)) for start in starts]


def _predict(baseline, samples):
    """The student's forecast for one batch, as a vector of len(samples), or stop with a message."""
    pred = array(call(baseline, samples.copy(), name="baseline"), "прогноз baseline")
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


@check
def ex_7_3_2(baseline, generator, float_data, *, lookback, delay, step, batch_size, min_index, max_index):
    """MAE of ``baseline`` against the naive «the temperature now» on the same validation batches."""
    if is_stub(baseline):
        return unsolved()
    batches = _batches(generator, float_data, lookback, delay, step, batch_size, min_index, max_index)
    naive = [samples[:, -1, 1] for samples, _ in batches]
    preds = [_predict(baseline, samples) for samples, _ in batches]
    naive_mae = np.mean([np.mean(np.abs(p - t)) for p, (_, t) in zip(naive, batches)])
    mae = np.mean([np.mean(np.abs(p - t)) for p, (_, t) in zip(preds, batches)])
    scores = f"MAE {mae:.4f} против {naive_mae:.4f} у «завтра = сегодня» (пакетов проверки: {len(batches)})"
    if mae < naive_mae:
        return right(scores)
    samples, pred = batches[0][0], preds[0]
    rng = np.random.default_rng(0)
    other = [k for k in range(samples.shape[-1]) if k != 1]
    changed_t, changed_other = samples.copy(), samples.copy()
    changed_t[:, :, 1] += rng.normal(size=changed_t.shape[:2])
    changed_other[:, :, other] += rng.normal(size=(*samples.shape[:2], len(other)))
    if np.allclose(_predict(baseline, changed_t), pred):
        return wrong("wrong_column", "прогноз не меняется, когда меняется температура: температура — столбец 1 "
                                     "(T (degC)), а не другой признак")
    if not np.allclose(_predict(baseline, changed_other), pred):
        return wrong("wrong_axis", "прогноз зависит не только от температуры, но и от других признаков: похоже, "
                                   "усреднение идёт по оси признаков (последней), а не по оси времени (axis=1)")
    spread = np.std(np.concatenate(naive)) + 1e-12
    all_preds, all_naive = np.concatenate(preds), np.concatenate(naive)
    if np.std(all_preds) > 3 * spread or abs(np.mean(all_preds) - np.mean(all_naive)) > 3 * spread:
        return wrong("denormalized", "прогноз в другом масштабе, чем цели: данные нормализованы (и цели тоже), "
                                     "переводить прогноз в °C (× std, + mean) не нужно")
    if all(np.allclose(p, q) for p, q in zip(preds, naive)):
        return wrong("same_as_naive", "это и есть базовая линия «завтра = сегодня»; нужно правило точнее неё")
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
    answer = dict(best_epochs.items())
    missing = [label for label in histories if label not in answer]
    extra = [label for label in answer if label not in histories]
    if missing or extra:
        what = f"нет моделей: {', '.join(map(str, missing))}" if missing else \
            f"лишние ключи: {', '.join(map(str, extra))}"
        return wrong("keys", f"{what}; ключи — подписи моделей из jena_runs")
    epochs = {label: number(answer[label], f"эпоха модели «{label}»") for label in histories}
    if any(e != int(e) for e in epochs.values()):
        return wrong("type", "номер эпохи — целое число")
    if all(e in _epochs_of_min(histories[label]["val_loss"]) for label, e in epochs.items()):
        return right("у каждой модели — эпоха с наименьшей MAE на проверке")
    for mistake, fits, message in EPOCH_MISTAKES:
        if all(fits(e, histories[label]) for label, e in epochs.items()):
            return wrong(mistake, message)
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
]


@check
def ex_7_3_4(reverse_windows, float_data, lookback, step):
    """``reverse_windows`` on windows of the notebook's data and on a small batch with distinct numbers."""
    for batch in (np.arange(3 * 5 * 4, dtype=float).reshape(3, 5, 4), _windows(float_data, lookback, step)):
        given = batch.copy()
        try:
            result = call(reverse_windows, given, name="reverse_windows")
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
        if np.array_equal(result, batch[:, ::-1, :]):
            continue
        for mistake, wrong_result, message in REVERSE_MISTAKES:
            if np.array_equal(result, wrong_result(batch)):
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
]


@check
def ex_7_3_5(bidirectional_gru_params, n_features):
    """The count for the notebook's ``Bidirectional(GRU(32))`` and for other sizes; reference: Keras itself."""
    cases = [(32, int(n_features)), (8, 3), (16, 5)]
    answers = [number(call(bidirectional_gru_params, *case, name="bidirectional_gru_params"),
                      f"bidirectional_gru_params{case}") for case in cases]
    expected = [_keras_params(*case) for case in cases]
    if answers == expected:
        return right("формула совпадает с подсчётом Keras при всех размерах")
    for mistake, formula, message in PARAMS_MISTAKES:
        if all(a == formula(*case) for a, case in zip(answers, cases)):
            return wrong(mistake, message)
    case = next(c for c, a, e in zip(cases, answers, expected) if a != e)
    return wrong("wrong", f"при units={case[0]}, n_features={case[1]} число не совпадает с подсчётом Keras")
