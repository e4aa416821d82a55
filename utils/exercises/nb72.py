"""Checks of the exercises of notebook 7.2 (recurrent neural networks).

- 7.2.1 ``simple_rnn(inputs, kernel, recurrent_kernel, bias)``: the RNN loop with the weights in Keras' layout,
  compared with ``keras.layers.SimpleRNN`` carrying the same random weights;
- 7.2.2 ``zero_state``: the output of the notebook's ``rnn_layer`` after ten zero inputs, computed from its weights;
- 7.2.3 ``shapes``: the output shapes of Embedding -> SimpleRNN(return_sequences=True) -> SimpleRNN for a batch;
- 7.2.4 ``gru_step_v1(...)``: one GRU step of the ``reset_after=False`` variant, compared with ``keras.layers.GRU``;
- 7.2.5 ``rnn_params(layer_type, input_features, units)``: the parameter count of SimpleRNN, LSTM and GRU by the
  formula, compared with ``count_params()`` of the layers built at check time;
- 7.2.6 (reading a result) ``verdict``: does LSTM's lead over SimpleRNN in this run exceed the spread between seeds
  that the notebook prints?  Computed from the same numbers; «нельзя судить» is the right answer where the notebook
  says the seed runs are not comparable (quick scale, stand-in data).

The references come from Keras layers built (never trained) at check time and from the notebook's data.
"""

from __future__ import annotations

import keras
import numpy as np

from utils.exercises import (
    Failed,
    array,
    call,
    check,
    choice,
    is_stub,
    items,
    number,
    right,
    source_uses,
    unsolved,
    wrong,
)


def _close(a: np.ndarray, b: np.ndarray, atol: float) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=0, atol=atol))


def _numpy(x) -> np.ndarray:
    return np.asarray(keras.ops.convert_to_numpy(x), dtype=float)


def _first_match(answer: np.ndarray, reference: np.ndarray, variants, atol: float):
    """The first (mistake, message) whose variant equals the answer and differs from the reference."""
    for mistake, message, value in variants:
        if value is not None and not _close(value, reference, atol) and _close(answer, value, atol):
            return wrong(mistake, message)
    return None


# --- 7.2.1: the SimpleRNN loop with Keras' weights --------------------------------------------------------

RNN_CASES = (None, 8)  # units: None = as many as the input features (a transposed weight is then no shape error)
RNN_STEPS = 10


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _rnn_loop(x, kernel, recurrent, bias, update=True, shift=False, activation=np.tanh, start=0.0):
    state = np.full(recurrent.shape[0], start)
    outputs = []
    for x_t in x:
        new = activation(x_t @ kernel + state @ recurrent + bias)
        outputs.append(state if shift else new)
        if update:
            state = new
    return np.stack(outputs)


@check
def ex_7_2_1(simple_rnn, inputs):
    x = array(inputs, "inputs")[:RNN_STEPS]
    rng = np.random.default_rng(721)
    for units in RNN_CASES:
        units = units or x.shape[1]
        layer = keras.layers.SimpleRNN(units, return_sequences=True)
        layer.build((None, None, x.shape[1]))
        weights = [rng.normal(0, s, w.shape).astype("float32") for w, s in zip(layer.get_weights(), (0.2, 0.3, 0.3))]
        layer.set_weights(weights)
        reference = _numpy(layer(x[None].astype("float32")))[0]
        kernel, recurrent, bias = weights
        answer = array(call(simple_rnn, x, kernel, recurrent, bias, name="simple_rnn"), "результат simple_rnn")
        again = array(call(simple_rnn, x, kernel, recurrent, bias, name="simple_rnn"), "результат simple_rnn")
        if again.shape != answer.shape or not np.allclose(again, answer, rtol=0, atol=1e-9, equal_nan=True):
            return wrong("kept_state", "второй вызов с теми же аргументами дал другой результат: функция помнит "
                                       "состояние между вызовами (глобальная переменная?); каждый вызов "
                                       "начинается с нулевого состояния")
        if answer.shape == (units,):
            return wrong("last_only", "simple_rnn вернула один вектор, а нужны выходы всех шагов: массив "
                                      "(timesteps, units)")
        if answer.shape != reference.shape:
            return wrong("shape", f"форма результата {answer.shape}, а должна быть (timesteps, units) = "
                                  f"{reference.shape}")
        if _close(answer, reference, 1e-4):
            continue
        square = kernel.shape[0] == kernel.shape[1]
        variants = [
            ("transposed", "веса транспонированы: в раскладке Keras x_t @ kernel и h @ recurrent_kernel "
                           "(W слайда = kernel.T)", _rnn_loop(x, kernel.T, recurrent.T, bias) if square else None),
            ("transposed", "kernel транспонирована: в раскладке Keras — x_t @ kernel",
             _rnn_loop(x, kernel.T, recurrent, bias) if square else None),
            ("transposed", "recurrent_kernel транспонирована: в раскладке Keras — h @ recurrent_kernel",
             _rnn_loop(x, kernel, recurrent.T, bias)),
            ("state_not_updated", "состояние не обновляется: выход шага должен становиться состоянием "
                                  "для следующего шага", _rnn_loop(x, kernel, recurrent, bias, update=False)),
            ("shifted", "выходы сдвинуты на шаг: записывается состояние до шага, а нужен выход этого шага",
             _rnn_loop(x, kernel, recurrent, bias, shift=True)),
            ("no_bias", "не прибавлено смещение bias", _rnn_loop(x, kernel, recurrent, 0 * bias)),
            ("sigmoid", "вместо tanh взята сигмоида: у SimpleRNN по умолчанию активация tanh",
             _rnn_loop(x, kernel, recurrent, bias, activation=_sigmoid)),
            ("ones_state", "начальное состояние — единицы, а должно быть нулевым",
             _rnn_loop(x, kernel, recurrent, bias, start=1.0)),
        ]
        found = _first_match(answer, reference, variants, 1e-4)
        if found:
            return found
        linear = np.zeros(units)
        rows = []
        for x_t in x:
            linear = x_t @ kernel + linear @ recurrent + bias
            rows.append(linear)
        if _close(answer, np.stack(rows), 1e-4):
            return wrong("no_tanh", "забыта функция активации tanh")
        return wrong("values", "выходы не совпадают с keras.layers.SimpleRNN с теми же весами; сверьте формулу "
                               "шага с раскладкой весов Keras")
    return right("цикл совпадает с keras.layers.SimpleRNN")


# --- 7.2.2: the state after a run of zero inputs ----------------------------------------------------------

ZERO_STEPS = 10


def _zero_run(recurrent, bias, steps, tanh=True, bias_once=False, activation=np.tanh, start=0.0):
    state = np.full(recurrent.shape[0], start)
    for t in range(steps):
        state = state @ recurrent + (bias if t == 0 or not bias_once else 0)
        if tanh:
            state = activation(state)
    return state


@check
def ex_7_2_2(zero_state, rnn_layer):
    kernel, recurrent, bias = (np.asarray(w, dtype=float) for w in rnn_layer.get_weights())
    units = recurrent.shape[0]
    out = _numpy(rnn_layer(np.zeros((1, ZERO_STEPS, kernel.shape[0]), dtype="float32")))[0]
    reference = out[-1] if out.ndim == 2 else out  # the layer may return the whole sequence
    answer = array(zero_state, "zero_state")
    if answer.size == ZERO_STEPS * units:
        return wrong("sequence", "это выходы всех шагов, а нужен один вектор — выход после последнего шага")
    if answer.size != units:
        return wrong("shape", f"zero_state: форма {answer.shape}, а должен быть вектор ({units},)")
    answer = answer.reshape(units)
    atol = 2e-5
    if _close(answer, reference, atol):
        return right("состояние после нулевых входов не нулевое: его задают смещение и обратная связь")
    if _close(answer, np.zeros(units), atol):
        return wrong("zero", "нулевой вход не даёт нулевого выхода: в формуле шага есть смещение bias")
    variants = [
        ("one_step", "это выход после первого шага; дальше состояние подаётся обратно в формулу на каждом шаге",
         _zero_run(recurrent, bias, 1)),
        ("tanh_once", "tanh применён один раз в конце, а он применяется на каждом шаге",
         np.tanh(_zero_run(recurrent, bias, ZERO_STEPS, tanh=False))),
        ("no_tanh", "забыта функция активации tanh", _zero_run(recurrent, bias, ZERO_STEPS, tanh=False)),
        ("bias_once", "смещение прибавлено только на первом шаге, а оно прибавляется на каждом",
         _zero_run(recurrent, bias, ZERO_STEPS, bias_once=True)),
        ("transposed", "recurrent_kernel транспонирована: в раскладке Keras — h @ recurrent_kernel "
                       "(U слайда = recurrent_kernel.T)", _zero_run(recurrent.T, bias, ZERO_STEPS)),
        ("sigmoid", "вместо tanh взята сигмоида: у SimpleRNN по умолчанию активация tanh",
         _zero_run(recurrent, bias, ZERO_STEPS, activation=_sigmoid)),
        ("ones_state", "начальное состояние — единицы, а должно быть нулевым",
         _zero_run(recurrent, bias, ZERO_STEPS, start=1.0)),
    ]
    variants += [("steps", "это выход после другого числа шагов; пересчитайте шаги цикла",
                  _zero_run(recurrent, bias, steps)) for steps in range(2, 3 * ZERO_STEPS) if steps != ZERO_STEPS]
    found = _first_match(answer, reference, variants, atol)
    return found or wrong("values", "вектор не совпадает с выходом слоя; проверьте формулу шага при нулевом входе")


# --- 7.2.3: the output shapes of a stack ------------------------------------------------------------------

STACK_BATCH = 64
STACK = (("Embedding", dict(input_dim=10000, output_dim=32)),
         ("SimpleRNN", dict(units=16, return_sequences=True)),
         ("SimpleRNN", dict(units=8)))


def _read_shapes(shapes) -> list[tuple]:
    if is_stub(shapes) or (isinstance(shapes, (list, tuple)) and any(is_stub(item) for item in shapes)):
        raise Failed(unsolved())
    if isinstance(shapes, (str, bytes, dict)) or not hasattr(shapes, "__iter__"):
        raise Failed(wrong("type", "shapes — список из трёх кортежей, например [(2, 3), (2, 3), (2,)]"))
    out = []
    for item in items(shapes, "shapes", limit=100):
        if isinstance(item, (str, bytes)) or not hasattr(item, "__iter__"):
            raise Failed(wrong("type", "каждая форма — кортеж чисел, например (2, 3)"))
        dims = []
        for d in items(item, "форма", limit=100):
            if d is not None and (isinstance(d, (str, bytes, bool)) or not isinstance(d, (int, float, np.number))):
                raise Failed(wrong("type", "в формах должны быть целые числа (без кавычек)"))
            if d is not None and d != int(d):
                raise Failed(wrong("not_integer", f"в формах — целые числа, а не {d}"))
            dims.append(None if d is None else int(d))
        out.append(tuple(dims))
    return out


@check
def ex_7_2_3(shapes, maxlen):
    tensor = keras.Input(shape=(int(maxlen),), batch_size=STACK_BATCH)
    reference = []
    for name, kwargs in STACK:
        tensor = getattr(keras.layers, name)(**kwargs)(tensor)
        reference.append(tuple(tensor.shape))
    answer = _read_shapes(shapes)
    if len(answer) != len(reference):
        return wrong("count", f"нужно {len(reference)} формы — по одной на каждый слой, а их {len(answer)}")
    if answer == reference:
        return right()
    if any(a and a[0] is None for a in answer):
        return wrong("none_batch", "размер пакета здесь известен (пакет из 64 отзывов): None вместо него не "
                                   "подходит")
    if any(a == r[1:] for a, r in zip(answer, reference)):
        return wrong("no_batch", "в форме не хватает первой оси — оси пакета")
    if answer[2] == reference[1][:2] + reference[2][1:] or answer[1] == reference[1][:1] + reference[1][2:]:
        return wrong("return_sequences", "перепутано, какой слой что возвращает: с return_sequences=True — выходы "
                                         "всех шагов, без него — только выход последнего шага")
    if any(a != r and sorted(a) == sorted(r) for a, r in zip(answer, reference)):
        return wrong("axes", "оси переставлены: порядок осей — пакет, шаги, признаки")
    if STACK[0][1]["input_dim"] in answer[0]:
        return wrong("embedding", "у Embedding размер словаря (input_dim) не становится осью выхода")
    units = [kwargs.get("units") for _, kwargs in STACK[1:]]
    swapped = [reference[0], reference[1][:2] + (units[1],), reference[2][:1] + (units[0],)]
    if answer == swapped:
        return wrong("units_swapped", "число нейронов перепутано между двумя слоями SimpleRNN: у первого — 16, у "
                                      "второго — 8")
    if (len(answer[0]) == 3 and len(answer[1]) == 3 and answer[0][1] == answer[1][1] != reference[0][1]
            and answer[0][::2] == reference[0][::2] and answer[1][::2] == reference[1][::2]
            and answer[2] == reference[2]):
        return wrong("maxlen", f"длина последовательности — maxlen этого ноутбука ({reference[0][1]}), а не "
                               f"{answer[0][1]}")
    first = next(i for i, (a, r) in enumerate(zip(answer, reference)) if a != r)
    return wrong("values", f"неверна форма выхода слоя {first + 1} ({STACK[first][0]})")


# --- 7.2.4: a GRU step with reset_after=False -------------------------------------------------------------

GRU_UNITS = 6
GRU_STEPS = 12


def _gru_loop(x, kernel, recurrent, bias, swap_z=False, reset_after=False, swap_gates=False, reset=True,
              candidate_activation=np.tanh):
    if swap_gates:  # the blocks read as [r | z | h]
        u = recurrent.shape[0]
        order = np.r_[u:2 * u, 0:u, 2 * u:3 * u]
        kernel, recurrent, bias = kernel[:, order], recurrent[:, order], bias[order]
    state = np.zeros(recurrent.shape[0])
    outputs = []
    u_z, u_r, u_h = np.split(recurrent, 3, axis=1)
    for x_t in x:
        x_z, x_r, x_h = np.split(x_t @ kernel + bias, 3)
        z = _sigmoid(x_z + state @ u_z)
        r = _sigmoid(x_r + state @ u_r) if reset else 1
        candidate = candidate_activation(x_h + (r * (state @ u_h) if reset_after else (r * state) @ u_h))
        state = (1 - z) * state + z * candidate if swap_z else z * state + (1 - z) * candidate
        outputs.append(state)
    return np.stack(outputs)


@check
def ex_7_2_4(gru_step_v1, inputs):
    x = array(inputs, "inputs")[:GRU_STEPS]
    layer = keras.layers.GRU(GRU_UNITS, reset_after=False, return_sequences=True)
    layer.build((None, None, x.shape[1]))
    rng = np.random.default_rng(724)
    weights = [rng.normal(0, 0.3, w.shape).astype("float32") for w in layer.get_weights()]
    layer.set_weights(weights)
    reference = _numpy(layer(x[None].astype("float32")))[0]
    kernel, recurrent, bias = weights
    state, outputs = np.zeros(GRU_UNITS), []
    for x_t in x:
        # call() hands the step copies, and array() keeps a copy: a step that updates state_t in place is fine
        state = array(call(gru_step_v1, x_t, state, kernel, recurrent, bias, name="gru_step_v1"),
                      "результат gru_step_v1")
        if state.shape != (GRU_UNITS,):
            return wrong("shape", f"шаг вернул массив формы {state.shape}, а нужен новый вектор состояния "
                                  f"({GRU_UNITS},)")
        outputs.append(state)
    answer = np.stack(outputs)
    if _close(answer, reference, 1e-4):
        return right("шаг совпадает с keras.layers.GRU(reset_after=False)")
    variants = [
        ("z_swapped", "z и (1 - z) перепутаны: z умножается на прежнее состояние",
         _gru_loop(x, kernel, recurrent, bias, swap_z=True)),
        ("reset_after", "это вариант reset_after=True: здесь вентиль сброса умножается на состояние до "
                        "умножения на матрицу", _gru_loop(x, kernel, recurrent, bias, reset_after=True)),
        ("gates_order", "перепутаны блоки вентилей: порядок блоков в весах — [z | r | h]",
         _gru_loop(x, kernel, recurrent, bias, swap_gates=True)),
        ("no_reset", "вентиль сброса r не использован в кандидате", _gru_loop(x, kernel, recurrent, bias, reset=False)),
        ("no_bias", "не прибавлено смещение bias", _gru_loop(x, kernel, recurrent, 0 * bias)),
        ("candidate_sigmoid", "в кандидате нового состояния сигмоида, а там tanh (сигмоида — у вентилей)",
         _gru_loop(x, kernel, recurrent, bias, candidate_activation=_sigmoid)),
    ]
    found = _first_match(answer, reference, variants, 1e-4)
    return found or wrong("values", "состояния не совпадают с keras.layers.GRU(reset_after=False); сверьте "
                                    "формулы с условием")


# --- 7.2.5: parameter counts ------------------------------------------------------------------------------

PARAM_SIZES = ((10, 4), (6, 20))  # (input_features, units), different, so that swapping them shows
BLOCKS = {"SimpleRNN": (1, 1), "LSTM": (4, 1), "GRU": (3, 2)}  # transformations, bias vectors per transformation


def _formula(blocks, biases, i, u):
    return blocks * u * (i + u + biases)


def _counts(blocks, biases, swap=False, recurrent=True):
    """The parameter counts at PARAM_SIZES by the formula blocks * units * (inputs + units + biases), varied."""
    return [_formula(blocks, biases, u, i) if swap else blocks * u * (i + u * recurrent + biases)
            for i, u in PARAM_SIZES]


@check
def ex_7_2_5(rnn_params):
    if is_stub(rnn_params):
        return unsolved()
    def returns(layer_type, i, u):  # the value, or the Failed to raise when this layer type's turn comes
        try:
            return call(rnn_params, layer_type, i, u, name="rnn_params", none_ok=True)
        except Failed as stop:
            return stop

    returned = {t: [returns(t, i, u) for i, u in PARAM_SIZES] for t in BLOCKS}
    missing = [t for t, values in returned.items() if any(v is None for v in values)]
    if len(missing) == len(BLOCKS):
        return unsolved("rnn_params пока ничего не возвращает (return ...)")
    if missing:
        return wrong("missing_branch", f"для {', '.join(missing)} функция возвращает None: нет ветки (return) "
                                       "для этого типа слоя?")
    for layer_type, (blocks, biases) in BLOCKS.items():
        answers, references = [], []
        for (i, u), value in zip(PARAM_SIZES, returned[layer_type]):
            if isinstance(value, Failed):
                raise value
            layer = getattr(keras.layers, layer_type)(u)
            layer.build((None, None, i))
            references.append(layer.count_params())
            answers.append(number(value, f"rnn_params({layer_type!r}, {i}, {u})"))
        if answers == references:
            continue
        if answers == [r + u + 1 for r, (_, u) in zip(references, PARAM_SIZES)]:
            return wrong("dense_head", f"{layer_type}: к слою прибавлены параметры выходного Dense(1); нужен "
                                       "только рекуррентный слой")
        candidates = [
            ("no_bias", f"{layer_type}: забыто смещение", _counts(blocks, 0)),
            ("gru_one_bias", "GRU: в Keras 3 (reset_after=True) у каждого преобразования два вектора смещений — "
                             "для входа и для состояния", _counts(3, 1) if blocks == 3 else None),
            ("swapped", f"{layer_type}: перепутаны input_features и units", _counts(blocks, biases, swap=True)),
            ("no_recurrent", f"{layer_type}: забыта рекуррентная матрица U (units x units)",
             _counts(blocks, biases, recurrent=False)),
        ]
        candidates += [("gates", f"{layer_type}: неверное число преобразований (блоков весов) — вспомните, "
                                 "сколько их у этого слоя", _counts(b, n))
                       for b, n in ((1, 1), (3, 1), (3, 2), (4, 1)) if b != blocks]
        for mistake, message, counts in candidates:
            if answers == counts:
                return wrong(mistake, message)
        return wrong("values", f"{layer_type}: число параметров не совпадает с count_params() слоя Keras")
    used = source_uses(rnn_params, names=("keras", "layers", "count_params", "SimpleRNN", "LSTM", "GRU"))
    if used:
        return wrong("uses_keras", f"числа верные, но функция использует {used}: задание — по формуле, без "
                                   "создания слоёв")
    return right("формула совпадает с count_params() для SimpleRNN, LSTM и GRU")


# --- 7.2.6: reading a result: LSTM's lead against the spread between seeds --------------------------------

VERDICTS = {
    "LSTM лучше": "разрыв LSTM - SimpleRNN в этом запуске больше разброса",
    "в пределах разброса": "разрыв по модулю не больше разброса",
    "SimpleRNN лучше": "SimpleRNN впереди больше чем на разброс",
    "нельзя судить": "разброс между зёрнами к этому запуску неприменим",
}


PRINTED = 3  # decimals of the gap and the spread in the notebook's printout


def lead_verdict(gap: float, spread: float, comparable: bool) -> str:
    """The right reading: the gap of this run (LSTM - SimpleRNN) against the spread the notebook printed
    (numbers equal at the printed precision count as equal: «not above»)."""
    if not comparable or not np.isfinite(spread):
        return "нельзя судить"
    tolerance = 0.5 * 10.0 ** -(PRINTED + 3)
    if gap > spread + tolerance:
        return "LSTM лучше"
    if gap < -spread - tolerance:
        return "SimpleRNN лучше"
    return "в пределах разброса"


@check
def ex_7_2_6(verdict, best_rnn, best_lstm, spread, comparable, mean_gap=None):
    """``verdict``: a key of ``VERDICTS``; ``best_rnn``, ``best_lstm``: this run's best val_acc (or the notebook's
    (val_acc, epoch) tuples); ``spread``, ``comparable``: as the notebook printed them; ``mean_gap``: the mean gap
    over the seeds (to recognize an answer read from it)."""
    answer = choice(verdict, VERDICTS, "verdict")
    rnn = float(best_rnn[0] if isinstance(best_rnn, (tuple, list)) else best_rnn)
    lstm = float(best_lstm[0] if isinstance(best_lstm, (tuple, list)) else best_lstm)
    # as the notebook prints them (3 decimals): the student compares the printed numbers
    gap, spread = round(lstm - rnn, PRINTED), round(float(spread), PRINTED)
    mean_gap = None if mean_gap is None else round(float(mean_gap), PRINTED)
    expected = lead_verdict(gap, spread, bool(comparable))
    if answer == expected:
        if expected == "нельзя судить":
            return right("разброс между зёрнами измерен в другом масштабе или на других данных: с этим "
                         "запуском его не сравнить")
        return right(f"разрыв этого запуска {gap:+.3f} против разброса {spread:.3f}")
    if expected == "нельзя судить":
        return wrong("not_comparable", "ноутбук напечатал, что разброс между зёрнами здесь неприменим: этот "
                                       "запуск идёт в другом масштабе или на других данных")
    if answer == "нельзя судить":
        return wrong("can_judge", "здесь разброс между зёрнами напечатан и применим: сравните с ним разрыв "
                                  "этого запуска")
    if mean_gap is not None and answer == lead_verdict(mean_gap, spread, True):
        return wrong("mean_gap", "это вывод по среднему разрыву за все зёрна; вопрос — о разрыве в этом "
                                 "запуске (зерно 42)")
    if answer == lead_verdict(-gap, spread, True):
        return wrong("sign", "разрыв взят с обратным знаком: LSTM - SimpleRNN, а не наоборот")
    if answer == ("LSTM лучше" if gap > 0 else "SimpleRNN лучше"):
        return wrong("ignored_spread", "вы смотрите только на знак разрыва; вопрос — больше ли он разброса "
                                       "между запусками")
    return wrong("wrong", "сравните разрыв этого запуска с напечатанным разбросом ещё раз")
