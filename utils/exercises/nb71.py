"""Checks of the exercises of notebook 7.1 (text vectorization and embeddings).

- ``ex_7_1_1``: ``bigrams(tokens)``, the set of word bigrams of a token list (the notebook's ``bag_of_ngrams``);
- ``ex_7_1_2``: ``one_hot_chars(text, max_length)``, character one-hot encoding by the notebook's ``token_index``
  without loops over positions;
- ``ex_7_1_3``: ``n_colliding`` (a value), how many of the notebook's ``top_words`` share their position
  ``abs(mmh3.hash(word)) % d`` with another word (as the notebook's ``colliding_words`` counts them);
- ``ex_7_1_4``: ``neighbours(word, k)``, the k nearest GloVe words by cosine in the notebook's ``embeddings_index``;
- ``ex_7_1_5``: ``pad_pre(sequences, maxlen)``, what ``pad_sequences(..., maxlen=...)`` does, without Keras,
  compared with ``keras.utils.pad_sequences`` on the notebook's sequences;
- ``ex_7_1_6`` (reading a result): from the history of the model trained without GloVe, the epoch after which it
  overfits (or None when this run shows no overfitting) and the sign that tells it; the check reads the same
  history; a run of fewer than ``MIN_EPOCHS`` epochs (quick) cannot judge, and the check says so.
"""

from __future__ import annotations

import collections
import itertools

import numpy as np

from utils.exercises import (
    Failed,
    array,
    call,
    cannot_judge,
    check,
    choice,
    integer,
    is_stub,
    items,
    number,
    right,
    shape_is,
    source_uses,
    unsolved,
    wrong,
)

__all__ = ["ex_7_1_1", "ex_7_1_2", "ex_7_1_3", "ex_7_1_4", "ex_7_1_5", "ex_7_1_6"]


# --- 7.1.1: bigrams -------------------------------------------------------------------------------

def _as_strings(value, what: str) -> list:
    """Strings of any container (a set, a list, ``dict_keys``, a pandas Index, ...) as a list (duplicates kept),
    or stop with a message."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise Failed(wrong("type", f"{what}: ожидается множество (set) или список строк, "
                                   f"а получен объект типа {type(value).__name__}"))
    items_ = items(value, what)
    if any(isinstance(x, (tuple, list)) for x in items_):
        raise Failed(wrong("tuples", f"{what}: биграмма должна быть одной строкой из двух слов через пробел "
                                     "(как в bag_of_ngrams), а не кортежем или списком слов"))
    if not all(isinstance(x, (str, np.str_)) for x in items_):
        raise Failed(wrong("type", f"{what}: элементы должны быть строками"))
    return [str(x) for x in items_]


def _bigram_mistake(got: set, expected: set, tokens: list, bag_of_ngrams) -> tuple[str, str]:
    words = set(tokens)
    extra, missing = got - expected, expected - got
    if not missing and extra and extra <= words:
        return "unigrams", "в ответе есть отдельные слова (1-граммы), а нужны только пары соседних слов"
    if not missing and extra and extra <= bag_of_ngrams(tokens, 3) - bag_of_ngrams(tokens, 2):
        return "trigrams", "в ответе есть тройки слов: нужны только пары соседних слов"
    if got == {f"{b} {a}" for a, b in zip(tokens, tokens[1:])}:
        return "reversed_pairs", "слова в каждой паре переставлены: первым идёт то слово, что раньше в тексте"
    last = " ".join(tokens[-2:])
    if not extra and missing == {last}:
        return "off_by_one", "не хватает последней биграммы: проверьте, до какого номера идёт цикл"
    if {x.lower() for x in expected} == got and got != expected:
        return "case", "регистр менять не нужно: «The» и «the» здесь разные слова, как на слайде"
    if any(len(x.split(" ")) != 2 or "" in x.split(" ") for x in extra):
        return "format", "каждая биграмма — два соседних слова, соединённые одним пробелом"
    if not extra and missing:
        return "missing", "найдены не все биграммы"
    return "wrong", "это не множество биграмм (пар соседних слов) списка tokens"


@check
def ex_7_1_1(bigrams, tokens, bag_of_ngrams):
    """``bigrams(tokens)``: the set of strings "w1 w2" of neighbouring words (any container, no repeats)."""
    cases = [list(tokens), ["the", "cat", "and", "the", "cat"], ["alone"]]
    for toks in cases:
        where = "" if toks == list(tokens) else f" (для tokens = {toks})"
        strings = _as_strings(call(bigrams, list(toks), name="bigrams"), "bigrams" + where)
        expected = bag_of_ngrams(toks, 2) - bag_of_ngrams(toks, 1)
        got = set(strings)
        if got != expected:
            mistake, message = _bigram_mistake(got, expected, toks, bag_of_ngrams)
            return wrong(mistake, message + where)
        if len(strings) != len(got):
            return wrong("duplicates", "в ответе есть повторы: в «мешке» каждая биграмма встречается один раз" + where)
    return right("биграммы найдены, и на списке с повторами тоже")


# --- 7.1.2: character one-hot without loops --------------------------------------------------------

def _one_hot_loop(text: str, max_length: int, token_index: dict) -> np.ndarray:
    encoded = np.zeros((max_length, len(token_index)))
    for j, character in enumerate(list(text)[:max_length]):
        encoded[j, token_index[character]] = 1
    return encoded


def _one_hot_mistake(a: np.ndarray, expected: np.ndarray, text: str, max_length: int) -> tuple[str, str]:
    n = min(len(text), max_length)
    width = expected.shape[1]
    if a.shape == expected.shape[::-1] and a.shape != expected.shape:
        return "transposed", "оси перепутаны: строки — позиции символов (max_length), столбцы — алфавит"
    if a.ndim == 2 and a.shape[0] == len(text) != max_length and a.shape[1] == width:
        if len(text) > max_length:
            return "not_truncated", "символы после первых max_length нужно отбросить"
        return "not_padded", "строк должно быть max_length: после конца текста — нулевые строки"
    if a.shape != expected.shape:
        return "shape", f"форма {a.shape}, а должна быть (max_length, len(token_index)) = {expected.shape}"
    if not np.isin(a, (0, 1)).all():
        return "not_binary", "в прямом кодировании только нули и единицы"
    if n < max_length and np.array_equal(a, np.roll(expected, max_length - n, axis=0)):
        return "pre_padded", ("символы стоят в последних строках, а нулевые строки — в начале: строка j — это "
                              "символ text[j], нули — после конца текста")
    head, tail = a[:n], a[n:]
    if np.array_equal(head, expected[:n]) and tail.any():
        if tail[:, 0].all() and not tail[:, 1:].any():
            return "padding", ("строки после конца текста должны быть нулевыми: единица в столбце 0 "
                               "(заполнитель) лишняя")
        return "padding", "строки после конца текста должны быть нулевыми"
    for shift in (1, -1):
        if np.array_equal(head, np.roll(expected[:n], shift, axis=1)):
            return "off_by_one", "единицы сдвинуты на один столбец: номер столбца — ровно token_index[символ]"
    bad = np.flatnonzero(head.sum(axis=1) != 1)
    if bad.size:
        return "not_one_hot", (f"в строке {bad[0]} (символ {text[bad[0]]!r}) единиц {int(head[bad[0]].sum())}, "
                               "а в строке символа должна быть ровно одна")
    return "wrong", "единицы стоят не в тех столбцах: сравните с циклом из ячейки символов"


@check
def ex_7_1_2(one_hot_chars, samples, token_index):
    """``one_hot_chars(text, max_length)``: (max_length, len(token_index)) of 0/1 as the notebook's loop does."""
    cases = [(samples[0], 50), (samples[-1], 10), (" ".join(samples) * 2, 60)]
    for text, max_length in cases:
        where = f"one_hot_chars({text[:12]!r}..., {max_length})"
        value = call(one_hot_chars, text, max_length, name="one_hot_chars")
        a = array(value, where)
        expected = _one_hot_loop(text, max_length, token_index)
        if a.shape != expected.shape or not np.array_equal(a, expected):
            mistake, message = _one_hot_mistake(a, expected, text, max_length)
            return wrong(mistake, f"{where}: {message}")
    loop = source_uses(one_hot_chars, loops=True)
    if loop:
        return wrong("loop", f"результат верный, но в функции {loop}: задание — без цикла по позициям (индексы "
                             "символов — списком, единицы — одной операцией NumPy)")
    return right("кодирование совпадает с циклом из ноутбука, и с обрезкой, и с дополнением")


# --- 7.1.3: hash collisions ------------------------------------------------------------------------

def _collisions(positions) -> tuple[int, int, int, int]:
    """Words in collisions, pairs of colliding words, words beyond the first at their position, positions
    holding two words or more."""
    counts = np.array([c for c in collections.Counter(positions).values() if c > 1], dtype=np.int64)
    return int(counts.sum()), int((counts * (counts - 1) // 2).sum()), int((counts - 1).sum()), len(counts)


@check
def ex_7_1_3(n_colliding, top_words, d, *, vocabulary=(), dimensionality=None):
    """``n_colliding``: how many words of ``top_words`` share ``abs(mmh3.hash(w)) % d`` with another word.
    ``vocabulary`` (the notebook's whole word index) and ``dimensionality`` (its earlier hashing size) let the check
    recognize an answer counted on them."""
    import mmh3

    if is_stub(n_colliding):
        return unsolved()
    answer = number(n_colliding, "n_colliding")
    if 0 < answer < 1 or (answer != int(answer) and 0 < answer < 100):
        words = list(dict.fromkeys(top_words))
        share = _collisions([abs(mmh3.hash(w)) % d for w in words])[0] / len(words)
        if np.isclose(answer, share, rtol=1e-3) or np.isclose(answer, 100 * share, rtol=1e-3):
            return wrong("fraction", "это доля слов в коллизиях, а нужно их число")
        return wrong("not_integer", "число слов — целое число")
    words = list(dict.fromkeys(top_words))
    signed = [mmh3.hash(w) for w in words]
    expected, pairs, beyond_first, positions = _collisions([abs(h) % d for h in signed])
    if answer == expected:
        return right(f"число слов в коллизиях (из {len(words)}) посчитано верно")
    if answer == pairs:
        return wrong("pairs", "посчитаны пары сталкивающихся слов, а нужно число слов")
    if answer == beyond_first:
        return wrong("first_not_counted", "первое слово на занятой позиции тоже участвует в коллизии: "
                                          "считайте все слова таких позиций")
    if answer == positions:
        return wrong("positions", "посчитаны позиции (индексы) с коллизиями, а нужно число слов на них")
    old_d = (_collisions([abs(h) % dimensionality for h in signed])[0]
             if dimensionality and dimensionality != d else None)
    if answer == len(words):
        also = (f" (столько же выходит и с остатком по dimensionality = {dimensionality} из примера выше: "
                f"здесь размерность d = {d})" if old_d == answer else "")
        return wrong("all_words", "посчитаны все слова, а нужны только те, чья позиция занята ещё кем-то" + also)
    if answer in (_collisions([h % d for h in signed])[0],
                  _collisions([mmh3.hash(w, signed=False) % d for w in words])[0]):
        return wrong("sign", "позиция слова — abs(mmh3.hash(слово)) % d, как в ноутбуке: сначала abs, потом остаток")
    if answer == _collisions([abs(h) for h in signed])[0]:
        return wrong("no_modulo", "забыт остаток от деления на d: позиции должны быть от 0 до d - 1")
    if answer == _collisions([abs(hash(w)) % d for w in words])[0]:
        return wrong("python_hash", "это позиции встроенной hash() Python, а в ноутбуке — mmh3.hash (hash() "
                                    "к тому же меняется от запуска к запуску)")
    if answer == old_d:
        return wrong("old_dimensionality", f"остаток взят по модулю dimensionality = {dimensionality} из "
                                           f"примера выше, а здесь размерность d = {d}")
    everything = list(dict.fromkeys(vocabulary))
    if len(everything) > len(words) and answer == _collisions([abs(mmh3.hash(w)) % d for w in everything])[0]:
        return wrong("whole_vocabulary", "посчитаны слова всего словаря, а нужны только top_words")
    if abs(answer - expected) == 1:
        return wrong("off_by_one", "ответ отличается на единицу: проверьте условие «на позиции больше одного слова»")
    return wrong("wrong", "число не совпадает с коллизиями abs(mmh3.hash(слово)) % d для слов top_words")


# --- 7.1.4: nearest GloVe neighbours ---------------------------------------------------------------

FREQUENT = 5000  # the notebook's `nearest` searches the first 5,000 words of the GloVe file

def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, np.finfo(matrix.dtype).tiny)


def _top(scores: np.ndarray, k: int, skip: int, largest: bool = True) -> list[int]:
    """Rows of the k best scores but ``skip``, best first (argpartition: 400,000 rows in milliseconds)."""
    keys = -scores if largest else scores
    m = min(k + 1, len(keys))
    head = np.argpartition(keys, m - 1)[:m] if m < len(keys) else np.arange(len(keys))
    order = head[np.argsort(keys[head], kind="stable")]
    return [int(i) for i in order if i != skip][:k]


def _neighbour_words(value, word, k: int, vocabulary: dict, where: str) -> list[str]:
    if isinstance(value, (str, bytes, set, frozenset, dict)) or not hasattr(value, "__iter__"):
        raise Failed(wrong("type", f"{where}: ожидается список слов (по порядку), а получен объект типа "
                                   f"{type(value).__name__}"))
    items_ = items(value, where)
    if items_ and all(isinstance(x, (int, np.integer)) for x in items_):
        raise Failed(wrong("indices", f"{where}: нужны сами слова (строки), а не их номера"))
    if not all(isinstance(x, (str, np.str_)) for x in items_):
        raise Failed(wrong("type", f"{where}: элементы списка должны быть словами (строками)"))
    words = [str(x) for x in items_]
    if word in words:
        raise Failed(wrong("includes_self", f"{where}: само слово в ответ не входит (его косинус с собой равен 1)"))
    if len(words) != k:
        raise Failed(wrong("wrong_k", f"{where}: слов {len(words)}, а нужно ровно k"))
    if len(set(words)) != k:
        raise Failed(wrong("duplicates", f"{where}: слова в ответе повторяются"))
    unknown = [x for x in words if x not in vocabulary]
    if unknown:
        raise Failed(wrong("unknown", f"{where}: слов {unknown[:3]} нет в embeddings_index"))
    return words


@check
def ex_7_1_4(neighbours, embeddings_index):
    """``neighbours(word, k)``: the k words nearest to ``word`` by cosine, nearest first, without ``word``;
    ties in any order."""
    if is_stub(neighbours):
        return unsolved()
    vocabulary = {w: i for i, w in enumerate(embeddings_index)}
    # in the real GloVe both lie beyond the first 5,000 words, and so do some of their neighbours
    queries = [w for w in ("awful", "brilliant", "movie", "king") if w in vocabulary][:2]
    queries += [w for w in itertools.islice(vocabulary, 3) if w not in queries][:2 - len(queries)]
    results = [(word, k, call(neighbours, word, k, name="neighbours")) for word, k in zip(queries, (5, 3))]
    vectors = np.stack(list(embeddings_index.values())).astype(np.float32, copy=False)
    units = _unit_rows(vectors)
    for word, k, value in results:
        where = f"neighbours({word!r}, {k})"
        words = _neighbour_words(value, word, k, vocabulary, where)
        row = vocabulary[word]
        cosines = units @ units[row]
        best = _top(cosines, k, row)
        got = [vocabulary[x] for x in words]
        if np.allclose(cosines[got], cosines[best], atol=1e-5):
            continue
        if np.allclose(np.sort(cosines[got])[::-1], cosines[best], atol=1e-5):
            return wrong("order", f"{where}: слова верные, но порядок другой: от самого близкого к менее близкому")
        if set(got) == set(_top(vectors @ vectors[row], k, row)):
            return wrong("not_normalized", f"{where}: это ближайшие по скалярному произведению; для косинуса "
                                           "векторы нужно разделить на их длины")
        distances = np.linalg.norm(vectors - vectors[row], axis=1)
        if set(got) == set(_top(distances, k, row, largest=False)):
            return wrong("euclidean", f"{where}: это ближайшие по евклидову расстоянию между исходными "
                                      "векторами, а нужен косинус")
        if set(got) == set(_top(cosines, k, row, largest=False)):
            return wrong("farthest", f"{where}: это самые далёкие слова: нужны наибольшие косинусы")
        if len(cosines) > FREQUENT and set(got) == set(_top(cosines[:FREQUENT], k, row)):
            return wrong("frequent_only", f"{where}: соседи найдены только среди первых {FREQUENT} слов, "
                                          "а нужно искать во всём embeddings_index")
        return wrong("wrong", f"{where}: это не k ближайших к слову по косинусу")
    return right("соседи по косинусу найдены верно")


# --- 7.1.5: pad_sequences without Keras ----------------------------------------------------------

@check
def ex_7_1_5(pad_pre, sequences, maxlen, pad_sequences):
    """``pad_pre(sequences, maxlen)``: as ``pad_sequences(sequences, maxlen=maxlen)`` (pre-padding with 0,
    pre-truncation: the last ``maxlen`` words), compared with Keras' function itself."""
    some = [list(s) for s in list(sequences)[:300]]
    small = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10, 11], [], [12, 13, 14, 15]]
    cases = [(some, maxlen, "sequences"), (some, 20, "sequences"), (small, 4, str(small))]
    for seqs, length, name in cases:
        where = f"pad_pre({name}, {length})"
        a = array(call(pad_pre, [list(s) for s in seqs], length, name="pad_pre"), where)
        expected = np.asarray(pad_sequences(seqs, maxlen=length))
        if a.shape == expected.shape and np.array_equal(a, expected):
            continue
        longest = max(len(s) for s in seqs)
        if a.ndim == 2 and a.shape[0] == len(seqs) and a.shape[1] != length:
            if a.shape[1] == longest > length:
                return wrong("no_truncation", f"{where}: длина строк {longest}, а должна быть maxlen: "
                                              "длинные последовательности нужно обрезать")
            return wrong("length", f"{where}: длина строк {a.shape[1]}, а должна быть maxlen")
        shape_is(a, expected.shape, where)
        variants = {"padding": pad_sequences(seqs, maxlen=length, padding="post"),
                    "truncating": pad_sequences(seqs, maxlen=length, truncating="post"),
                    "both": pad_sequences(seqs, maxlen=length, padding="post", truncating="post")}
        same = {key: np.array_equal(a, np.asarray(v)) for key, v in variants.items()}
        fill = np.asarray(pad_sequences(seqs, maxlen=length, value=-1))
        if np.array_equal(a, fill) and (fill == -1).any():
            return wrong("pad_value", f"{where}: короткие последовательности дополнены числом -1, а "
                                      "pad_sequences дополняет нулями (0 — индекс-заполнитель)")
        shorter = np.asarray(pad_sequences(seqs, maxlen=length - 1)) if length > 1 else None
        if shorter is not None and np.array_equal(a[:, 1:], shorter) and not a[:, 0].any():
            return wrong("kept_maxlen_minus_1", f"{where}: от длинных последовательностей осталось maxlen - 1 "
                                                "слов: проверьте границу среза")
        if same["both"]:
            return wrong("both_post", f"{where}: оставлено начало и нули дописаны в конец; по умолчанию "
                                      "pad_sequences делает иначе")
        if same["truncating"]:
            return wrong("kept_first", f"{where}: оставлены первые слова длинных последовательностей, а "
                                       "pad_sequences по умолчанию оставляет другой конец")
        if same["padding"]:
            return wrong("padded_end", f"{where}: нули дописаны в конец коротких последовательностей, а "
                                       "pad_sequences по умолчанию ставит их с другой стороны")
        return wrong("wrong", f"{where}: результат не совпадает с keras.utils.pad_sequences")
    used = source_uses(pad_pre, names=("pad_sequences", "keras"))
    if used:
        return wrong("uses_keras", f"результат верный, но функция берёт {used} из Keras, а задание — сделать то "
                                   "же без Keras")
    return right("совпадает с keras.utils.pad_sequences, и с обрезкой, и с дополнением")


# --- 7.1.6: reading the curves: when does the model overfit? ---------------------------------------

MIN_EPOCHS = 4  # fewer epochs (quick): too few points to see overfitting
OVERFIT_SIGNS = {
    "а": "после неё потеря на проверке (val_loss) растёт, а на обучении (loss) продолжает падать",
    "б": "после неё потеря на обучении (loss) перестаёт падать",
    "в": "после неё точность на обучении (acc) выше точности на проверке (val_acc)",
}


def overfit_reading(history) -> tuple[int | None, str | None]:
    """The right reading of ``history``: (the epoch from 1 with the smallest val_loss, "а") when the training loss
    still falls after it; (None, None) when the run shows no overfitting (the best epoch is the last one, or the
    training loss does not fall after it)."""
    val_loss = np.asarray(history["val_loss"], dtype=float)
    loss = np.asarray(history["loss"], dtype=float)
    best = int(np.nanargmin(val_loss)) + 1
    if best < len(val_loss) and np.nanmin(loss[best:]) < loss[best - 1]:
        return best, "а"
    return None, None


def _history_dict(history) -> dict:
    history = getattr(history, "history", history)  # a keras History or its dict
    return {key: [float(x) for x in history[key]] for key in history}


@check
def ex_7_1_6(overfit_epoch, sign, history):
    """``overfit_epoch``: the epoch after which the model overfits, or None; ``sign``: the key of the sign in
    ``OVERFIT_SIGNS``.  The reference is ``overfit_reading(history)`` of the notebook's own run."""
    if overfit_epoch is Ellipsis or overfit_epoch is not None and is_stub(sign):
        return unsolved()
    h = _history_dict(history)
    n = len(h["val_loss"])
    epoch = None if overfit_epoch is None else integer(overfit_epoch, "overfit_epoch")
    if epoch is not None and not 1 <= epoch <= n:
        return wrong("range", f"overfit_epoch = {epoch}: в этом прогоне эпохи с 1 по {n}")
    if epoch is not None:
        sign = choice(sign, OVERFIT_SIGNS, "sign")
    if n < MIN_EPOCHS:
        return cannot_judge(f"эпох всего {n}: по стольким точкам переобучение не увидеть; ответ проверится "
                            "после прогона в масштабе lesson (10–20 эпох)")
    best, right_sign = overfit_reading(h)
    val_loss, loss = np.asarray(h["val_loss"]), np.asarray(h["loss"])
    if best is None:
        if epoch is None:
            return right("в этом прогоне val_loss не начинает расти при падающей loss: переобучения не видно")
        last_best = int(np.nanargmin(val_loss)) + 1 == n
        return wrong("none_seen", "в этом прогоне переобучения не видно: " + (
            "val_loss наименьшая на последней эпохе" if last_best else
            "после эпохи наименьшей val_loss потеря на обучении (loss) тоже не падает"))
    if epoch is None:
        return wrong("missed", "переобучение в этом прогоне есть: найдите эпоху, после которой val_loss "
                               "больше не опускается до своего наименьшего значения")
    if epoch != best:
        candidates = [
            ("zero_based", epoch == best - 1, "номер на единицу меньше: эпохи считаются с 1, индексы списка — с 0"),
            ("after_best", epoch == best + 1, "это первая эпоха, где val_loss уже выше лучшей; нужна последняя "
                                              "хорошая эпоха — та, после которой начинается рост"),
            ("by_accuracy", "val_acc" in h and epoch == int(np.nanargmax(h["val_acc"])) + 1,
             "это эпоха наибольшей val_acc; в задании — по потере на проверке (val_loss)"),
            ("last_epoch", epoch == n, "это последняя эпоха обучения, а не та, после которой начинается рост "
                                       "val_loss"),
            ("train_loss", epoch == int(np.nanargmin(loss)) + 1, "это эпоха наименьшей потери на обучении (loss): "
                                                                 "переобучение видно по проверке"),
            ("first_rise", epoch < best and val_loss[epoch] > val_loss[epoch - 1],
             "после этой эпохи val_loss выросла, но потом опустилась ещё ниже: ищите наименьшую val_loss"),
        ]
        for mistake, fits, message in candidates:
            if fits:
                return wrong(mistake, message)
        return wrong("wrong", f"после эпохи {epoch} проверочная потеря ещё не начинает расти окончательно: "
                              "смотрите на кривую val_loss")
    if sign != right_sign:
        messages = {"б": "loss после этой эпохи продолжает падать: посмотрите на кривую обучения ещё раз",
                    "в": "acc выше val_acc почти с первых эпох: сама разница ещё не переобучение; смотрите, "
                         "куда идёт val_loss"}
        return wrong(f"sign_{'train' if sign == 'б' else 'gap'}", messages[sign])
    return right(f"после эпохи {best} из {n} val_loss растёт, а loss падает: модель запоминает обучающие "
                 "примеры")
