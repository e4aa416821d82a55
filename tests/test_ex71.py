"""The checks of notebook 7.1's exercises (utils/exercises/nb71.py) on small inputs built here: the reference
solution passes, each typical mistake is named by its own key, a stub is «не решено», a wrong type is a Result."""

from __future__ import annotations

import collections

import mmh3
import numpy as np
import pytest

from utils.exercises import UNSOLVED, nb71

STUBS = [None, Ellipsis, lambda *args: None]


def assert_unsolved_and_typed(checker, *data, wrong_type="строка вместо ответа"):
    for stub in STUBS:
        assert checker(stub, *data).status == UNSOLVED
    result = checker(wrong_type, *data)
    assert result.status == "ошибка" and result.mistake in ("type", "shape"), result
    result = checker(lambda *args: 1 / 0, *data)
    assert result.status == "ошибка" and result.mistake == "error" and "ZeroDivisionError" in result.message


# --- 7.1.1 ------------------------------------------------------------------------------------------

def bag_of_ngrams(tokens, n):  # the notebook's function
    return {" ".join(tokens[i:i + k]) for k in range(1, n + 1) for i in range(len(tokens) - k + 1)}


TOKENS = "The cat sat on the mat".split()


def bigrams(tokens):
    return {" ".join(pair) for pair in zip(tokens, tokens[1:])}


def test_7_1_1_the_solution_passes_in_any_container():
    assert nb71.ex_7_1_1(bigrams, TOKENS, bag_of_ngrams).ok
    assert nb71.ex_7_1_1(lambda t: sorted(bigrams(t)), TOKENS, bag_of_ngrams).ok
    assert nb71.ex_7_1_1(lambda t: tuple(bigrams(t)), TOKENS, bag_of_ngrams).ok


@pytest.mark.parametrize("mistake, answer", [
    ("unigrams", lambda t: bag_of_ngrams(t, 2)),
    ("unigrams", lambda t: {" ".join(t[i:i + 2]) for i in range(len(t))}),
    ("off_by_one", lambda t: {" ".join(t[i:i + 2]) for i in range(len(t) - 2)}),
    ("duplicates", lambda t: [" ".join(pair) for pair in zip(t, t[1:])]),
    ("tuples", lambda t: set(zip(t, t[1:]))),
    ("case", lambda t: {b.lower() for b in bigrams(t)}),
    ("format", lambda t: {a + b for a, b in zip(t, t[1:])}),
    ("trigrams", lambda t: bigrams(t) | (bag_of_ngrams(t, 3) - bag_of_ngrams(t, 2))),
    ("wrong", lambda t: {f"{a} {b}" for a in t for b in t if a != b}),
])
def test_7_1_1_typical_mistakes_are_named(mistake, answer):
    result = nb71.ex_7_1_1(answer, TOKENS, bag_of_ngrams)
    assert result.status == "ошибка" and result.mistake == mistake, result
    assert result.message


def test_7_1_1_stubs_and_types():
    assert_unsolved_and_typed(nb71.ex_7_1_1, TOKENS, bag_of_ngrams)
    assert nb71.ex_7_1_1(lambda t: "The cat", TOKENS, bag_of_ngrams).mistake == "type"
    assert nb71.ex_7_1_1(lambda t: [1, 2], TOKENS, bag_of_ngrams).mistake == "type"


# --- 7.1.2 ------------------------------------------------------------------------------------------

SAMPLES = ["The cat sat on the mat.", "The dog ate my homework."]
ASCII_TOKENS = [""] + [chr(code) for code in range(32, 127)]
TOKEN_INDEX = {character: i for i, character in enumerate(ASCII_TOKENS)}


def one_hot_chars(text, max_length):
    indices = [TOKEN_INDEX[c] for c in text[:max_length]]
    encoded = np.zeros((max_length, len(TOKEN_INDEX)))
    encoded[np.arange(len(indices)), indices] = 1
    return encoded


def eye_of_padded(text, max_length, shift=0):
    indices = [TOKEN_INDEX[c] + shift for c in text[:max_length]]
    indices += [0] * (max_length - len(indices))
    return np.eye(len(TOKEN_INDEX))[indices]


def not_truncated(text, max_length):
    encoded = np.zeros((max(max_length, len(text)), len(TOKEN_INDEX)))
    encoded[np.arange(len(text)), [TOKEN_INDEX[c] for c in text]] = 1
    return encoded


def test_7_1_2_the_solution_passes_as_any_array_like():
    assert nb71.ex_7_1_2(one_hot_chars, SAMPLES, TOKEN_INDEX).ok
    assert nb71.ex_7_1_2(lambda t, m: one_hot_chars(t, m).astype(bool).tolist(), SAMPLES, TOKEN_INDEX).ok
    assert nb71.ex_7_1_2(lambda t, m: eye_of_padded(t, m) * (np.arange(m) < len(t))[:, None],
                         SAMPLES, TOKEN_INDEX).ok


@pytest.mark.parametrize("mistake, answer", [
    ("padding", eye_of_padded),
    ("off_by_one", lambda t, m: eye_of_padded(t, m, shift=-1) * (np.arange(m) < len(t))[:, None]),
    ("transposed", lambda t, m: one_hot_chars(t, m).T),
    ("not_padded", lambda t, m: np.eye(len(TOKEN_INDEX))[[TOKEN_INDEX[c] for c in t[:m]]]),
    ("not_truncated", not_truncated),
    ("not_binary", lambda t, m: one_hot_chars(t, m) * 2),
    ("shape", lambda t, m: np.zeros((m, len(TOKEN_INDEX) + 1))),
    ("not_one_hot", lambda t, m: np.maximum(one_hot_chars(t, m), (np.arange(m) < len(t))[:, None]
                                            * (np.arange(len(TOKEN_INDEX)) == 1))),
    ("wrong", lambda t, m: one_hot_chars(t[::-1], m)),
])
def test_7_1_2_typical_mistakes_are_named(mistake, answer):
    result = nb71.ex_7_1_2(answer, SAMPLES, TOKEN_INDEX)
    assert result.status == "ошибка" and result.mistake == mistake, result


def test_7_1_2_stubs_and_types():
    assert_unsolved_and_typed(nb71.ex_7_1_2, SAMPLES, TOKEN_INDEX)
    assert nb71.ex_7_1_2(lambda t, m: "ab", SAMPLES, TOKEN_INDEX).mistake == "type"
    assert nb71.ex_7_1_2(lambda t, m: {1: 2}, SAMPLES, TOKEN_INDEX).status == "ошибка"


# --- 7.1.3 ------------------------------------------------------------------------------------------

TOP_WORDS = [f"word{i}" for i in range(10000)]
D = 20000


def counts_of(positions):
    return [c for c in collections.Counter(positions).values() if c > 1]


def collision_answers():
    positions = [abs(mmh3.hash(w)) % D for w in TOP_WORDS]
    counts = counts_of(positions)
    return {"ok": sum(counts), "pairs": sum(c * (c - 1) // 2 for c in counts),
            "first_not_counted": sum(c - 1 for c in counts), "positions": len(counts), "all_words": len(TOP_WORDS),
            "sign": sum(counts_of([mmh3.hash(w) % D for w in TOP_WORDS])),
            "no_modulo": sum(counts_of([abs(mmh3.hash(w)) for w in TOP_WORDS]))}


def test_7_1_3_the_answer_passes_as_any_number():
    answers = collision_answers()
    assert len(set(answers.values())) == len(answers)  # the mistakes are told apart on these words
    for value in (answers["ok"], float(answers["ok"]), np.int64(answers["ok"]), np.array([answers["ok"]])):
        assert nb71.ex_7_1_3(value, TOP_WORDS, D).ok


@pytest.mark.parametrize("mistake", ["pairs", "first_not_counted", "positions", "all_words", "sign", "no_modulo"])
def test_7_1_3_typical_mistakes_are_named(mistake):
    result = nb71.ex_7_1_3(collision_answers()[mistake], TOP_WORDS, D)
    assert result.status == "ошибка" and result.mistake == mistake, result


def test_7_1_3_off_by_one_and_other_numbers():
    ok = collision_answers()["ok"]
    assert nb71.ex_7_1_3(ok + 1, TOP_WORDS, D).mistake == "off_by_one"
    assert nb71.ex_7_1_3(ok + 57, TOP_WORDS, D).mistake == "wrong"
    unsigned = sum(counts_of([mmh3.hash(w, signed=False) % D for w in TOP_WORDS]))
    assert nb71.ex_7_1_3(unsigned, TOP_WORDS, D).mistake == "sign"


def test_7_1_3_stubs_and_types():
    for stub in (None, Ellipsis):
        assert nb71.ex_7_1_3(stub, TOP_WORDS, D).status == UNSOLVED
    assert nb71.ex_7_1_3("много", TOP_WORDS, D).mistake == "type"
    assert nb71.ex_7_1_3([1, 2], TOP_WORDS, D).mistake == "shape"
    assert nb71.ex_7_1_3(lambda: 3, TOP_WORDS, D).status == "ошибка"


# --- 7.1.4 ------------------------------------------------------------------------------------------

def fake_embeddings(n=400, dim=8, seed=0):
    rng = np.random.default_rng(seed)
    words = ["the", "movie", "king", "good"] + [f"w{i}" for i in range(n - 4)]
    vectors = rng.normal(size=(n, dim)) * rng.lognormal(0, 0.7, size=(n, 1))
    return {w: v.astype("float32") for w, v in zip(words, vectors)}


EMBEDDINGS = fake_embeddings()
WORDS = list(EMBEDDINGS)
VECTORS = np.stack(list(EMBEDDINGS.values()))
UNITS = VECTORS / np.linalg.norm(VECTORS, axis=1, keepdims=True)


def ranked(word, scores, k, largest=True, keep_self=False):
    order = np.argsort(-scores if largest else scores)
    return [WORDS[i] for i in order[:k + 1] if keep_self or WORDS[i] != word][:k]


def neighbours(word, k=5):
    return ranked(word, UNITS @ (EMBEDDINGS[word] / np.linalg.norm(EMBEDDINGS[word])), k)


@pytest.mark.parametrize("mistake, answer", [
    ("includes_self", lambda w, k: ranked(w, UNITS @ UNITS[WORDS.index(w)], k, keep_self=True)),
    ("includes_self", lambda w, k: [w] + neighbours(w, k)),
    ("not_normalized", lambda w, k: ranked(w, VECTORS @ EMBEDDINGS[w], k)),
    ("euclidean", lambda w, k: ranked(w, np.linalg.norm(VECTORS - EMBEDDINGS[w], axis=1), k, largest=False)),
    ("farthest", lambda w, k: ranked(w, UNITS @ UNITS[WORDS.index(w)], k, largest=False)),
    ("order", lambda w, k: neighbours(w, k)[::-1]),
    ("wrong_k", lambda w, k: neighbours(w, 5)),
    ("duplicates", lambda w, k: neighbours(w, k)[:1] * k),
    ("indices", lambda w, k: [WORDS.index(x) for x in neighbours(w, k)]),
    ("unknown", lambda w, k: neighbours(w, k)[:-1] + ["нет-такого"]),
    ("wrong", lambda w, k: WORDS[-k:]),
])
def test_7_1_4_typical_mistakes_are_named(mistake, answer):
    result = nb71.ex_7_1_4(answer, EMBEDDINGS)
    assert result.status == "ошибка" and result.mistake == mistake, result


def test_7_1_4_neighbours_among_the_frequent_words_only(monkeypatch):
    monkeypatch.setattr(nb71, "FREQUENT", 50)
    result = nb71.ex_7_1_4(lambda w, k: ranked(w, np.r_[UNITS[:50] @ UNITS[WORDS.index(w)], -np.ones(350)], k),
                           EMBEDDINGS)
    assert result.mistake == "frequent_only", result


def test_7_1_4_the_solution_passes_ties_and_containers_accepted():
    assert nb71.ex_7_1_4(neighbours, EMBEDDINGS).ok
    assert nb71.ex_7_1_4(lambda w, k: tuple(neighbours(w, k)), EMBEDDINGS).ok
    assert nb71.ex_7_1_4(lambda w, k: np.array(neighbours(w, k)), EMBEDDINGS).ok
    # two words with the same direction: either may come first
    twins = dict(EMBEDDINGS)
    best = neighbours("movie", 1)[0]
    twins["twin"] = twins[best] * 3
    first = nb71.ex_7_1_4(lambda w, k: ["twin", best, *neighbours(w, k)[1:k - 1]] if w == "movie"
                          else neighbours(w, k), twins)
    assert first.ok, first


def test_7_1_4_works_without_the_lecture_words():
    other = {f"x{i}": v for i, v in enumerate(EMBEDDINGS.values())}
    words, units = list(other), UNITS

    def mine(word, k):
        scores = units @ units[words.index(word)]
        return [words[i] for i in np.argsort(-scores)[:k + 1] if words[i] != word][:k]

    assert nb71.ex_7_1_4(mine, other).ok


def test_7_1_4_stubs_and_types():
    assert_unsolved_and_typed(nb71.ex_7_1_4, EMBEDDINGS)
    assert nb71.ex_7_1_4(lambda w, k: "movies, films", EMBEDDINGS).mistake == "type"
    assert nb71.ex_7_1_4(lambda w, k: 5, EMBEDDINGS).mistake == "type"


# --- 7.1.5 ------------------------------------------------------------------------------------------

def pad_sequences(sequences, maxlen, padding="pre", truncating="pre", value=0):
    """keras.utils.pad_sequences for lists of ints (compared with Keras itself below)."""
    result = np.full((len(sequences), maxlen), value, dtype="int32")
    for i, seq in enumerate(sequences):
        kept = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        if kept:
            if padding == "pre":
                result[i, -len(kept):] = kept
            else:
                result[i, :len(kept)] = kept
    return result


RNG = np.random.default_rng(1)
SEQUENCES = [RNG.integers(1, 10000, size=n).tolist() for n in RNG.integers(0, 160, size=120)]
MAXLEN = 100


def pad_pre(sequences, maxlen):
    result = np.zeros((len(sequences), maxlen), dtype="int32")
    for i, seq in enumerate(sequences):
        last = seq[-maxlen:]
        if len(last):
            result[i, -len(last):] = last
    return result


def test_7_1_5_the_local_pad_sequences_is_keras_one():
    keras = pytest.importorskip("keras")
    small = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10, 11], [], [12, 13, 14, 15]]
    for seqs, maxlen in ((SEQUENCES, MAXLEN), (small, 4)):
        for padding in ("pre", "post"):
            for truncating in ("pre", "post"):
                assert np.array_equal(pad_sequences(seqs, maxlen, padding, truncating),
                                      keras.utils.pad_sequences(seqs, maxlen=maxlen, padding=padding,
                                                                truncating=truncating))
        assert np.array_equal(pad_sequences(seqs, maxlen, value=-1),
                              keras.utils.pad_sequences(seqs, maxlen=maxlen, value=-1))


def test_7_1_5_the_solution_passes():
    assert nb71.ex_7_1_5(pad_pre, SEQUENCES, MAXLEN, pad_sequences).ok
    assert nb71.ex_7_1_5(lambda s, m: pad_pre(s, m).astype(float).tolist(), SEQUENCES, MAXLEN, pad_sequences).ok


def pad_to_longest(sequences, maxlen):
    longest = max(len(s) for s in sequences)
    return np.array([[0] * (longest - len(s)) + list(s) for s in sequences])


@pytest.mark.parametrize("mistake, answer", [
    ("kept_first", lambda s, m: pad_sequences(s, m, truncating="post")),
    ("padded_end", lambda s, m: pad_sequences(s, m, padding="post")),
    ("both_post", lambda s, m: pad_sequences(s, m, padding="post", truncating="post")),
    ("no_truncation", pad_to_longest),
    ("length", lambda s, m: pad_pre(s, m + 1)),
    ("shape", lambda s, m: pad_pre(s[1:], m)),
    ("wrong", lambda s, m: pad_pre(s, m)[::-1]),
])
def test_7_1_5_typical_mistakes_are_named(mistake, answer):
    result = nb71.ex_7_1_5(answer, SEQUENCES, MAXLEN, pad_sequences)
    assert result.status == "ошибка" and result.mistake == mistake, result


def test_7_1_5_stubs_and_types():
    assert_unsolved_and_typed(nb71.ex_7_1_5, SEQUENCES, MAXLEN, pad_sequences)
    assert nb71.ex_7_1_5(lambda s, m: [list(x) for x in s], SEQUENCES, MAXLEN, pad_sequences).mistake == "type"
    assert nb71.ex_7_1_5(lambda s, m: "нули", SEQUENCES, MAXLEN, pad_sequences).mistake == "type"


# --- round 2 (issue 24): containers, strings, rules of the statement, new mistakes -------------------

class Endless(list):
    """A list whose iteration never ends: a check must stop reading it, not hang."""

    def __iter__(self):
        while True:
            yield "The cat"


def test_7_1_1_any_container_of_the_right_strings_passes():
    pd = pytest.importorskip("pandas")
    assert nb71.ex_7_1_1(lambda t: collections.Counter(" ".join(p) for p in zip(t, t[1:])).keys(),
                         TOKENS, bag_of_ngrams).ok
    assert nb71.ex_7_1_1(lambda t: pd.Index(sorted(bigrams(t))), TOKENS, bag_of_ngrams).ok
    assert nb71.ex_7_1_1(lambda t: (b for b in bigrams(t)), TOKENS, bag_of_ngrams).ok


def test_7_1_1_reversed_pairs_and_an_endless_answer():
    result = nb71.ex_7_1_1(lambda t: {f"{b} {a}" for a, b in zip(t, t[1:])}, TOKENS, bag_of_ngrams)
    assert result.mistake == "reversed_pairs", result
    result = nb71.ex_7_1_1(lambda t: Endless(), TOKENS, bag_of_ngrams)
    assert result.status == "ошибка" and result.mistake == "too_long", result


def test_7_1_2_pre_padding_is_named_as_such():
    def pre_padded(text, max_length):
        return np.roll(one_hot_chars(text, max_length), max_length - min(len(text), max_length), axis=0)

    result = nb71.ex_7_1_2(pre_padded, SAMPLES, TOKEN_INDEX)
    assert result.mistake == "pre_padded", result
    assert "ровно одна" not in result.message  # every row of it does hold one 1


def test_7_1_2_a_loop_breaks_the_rule_a_comprehension_does_not():
    def with_loop(text, max_length):
        encoded = np.zeros((max_length, len(TOKEN_INDEX)))
        for j, c in enumerate(text[:max_length]):
            encoded[j, TOKEN_INDEX[c]] = 1
        return encoded

    def with_comprehension(text, max_length):
        indices = [TOKEN_INDEX[c] for c in text[:max_length]]
        encoded = np.zeros((max_length, len(TOKEN_INDEX)))
        encoded[np.arange(len(indices)), indices] = 1
        return encoded

    assert nb71.ex_7_1_2(with_loop, SAMPLES, TOKEN_INDEX).mistake == "loop"
    assert nb71.ex_7_1_2(with_comprehension, SAMPLES, TOKEN_INDEX).ok


def test_7_1_3_a_string_of_digits_is_not_a_number():
    ok = collision_answers()["ok"]
    assert nb71.ex_7_1_3(str(ok), TOP_WORDS, D).mistake == "type"
    assert nb71.ex_7_1_3([str(ok)], TOP_WORDS, D).mistake == "type"


VOCABULARY = TOP_WORDS + [f"rare{i}" for i in range(30000)]


@pytest.mark.parametrize("mistake, answer", [
    ("python_hash", lambda: sum(counts_of([abs(hash(w)) % D for w in TOP_WORDS]))),
    ("old_dimensionality", lambda: sum(counts_of([abs(mmh3.hash(w)) % 15000 for w in TOP_WORDS]))),
    ("whole_vocabulary", lambda: sum(counts_of([abs(mmh3.hash(w)) % D for w in VOCABULARY]))),
    ("fraction", lambda: collision_answers()["ok"] / len(TOP_WORDS)),
    ("fraction", lambda: 100 * collision_answers()["ok"] / len(TOP_WORDS)),
])
def test_7_1_3_new_mistakes_are_named(mistake, answer):
    result = nb71.ex_7_1_3(answer(), TOP_WORDS, D, vocabulary=VOCABULARY, dimensionality=15000)
    assert result.mistake == mistake, result


def test_7_1_3_all_words_and_the_small_dimensionality_coincide():
    # with the notebook's dimensionality = 1000, every one of 10,000 words collides: the message names both
    assert sum(counts_of([abs(mmh3.hash(w)) % 1000 for w in TOP_WORDS])) == len(TOP_WORDS)
    result = nb71.ex_7_1_3(len(TOP_WORDS), TOP_WORDS, D, dimensionality=1000)
    assert result.mistake == "all_words" and "dimensionality = 1000" in result.message
    assert "dimensionality" not in nb71.ex_7_1_3(len(TOP_WORDS), TOP_WORDS, D, dimensionality=19000).message


def test_7_1_4_a_pandas_index_of_words_passes():
    pd = pytest.importorskip("pandas")
    assert nb71.ex_7_1_4(lambda w, k: pd.Index(neighbours(w, k)), EMBEDDINGS).ok
    assert nb71.ex_7_1_4(lambda w, k: pd.Series(neighbours(w, k)), EMBEDDINGS).ok


@pytest.mark.parametrize("mistake, answer", [
    ("pad_value", lambda s, m: pad_sequences(s, m, value=-1)),
    ("kept_maxlen_minus_1", lambda s, m: np.c_[np.zeros(len(s), int), pad_pre(s, m - 1)]),
])
def test_7_1_5_new_mistakes_are_named(mistake, answer):
    result = nb71.ex_7_1_5(answer, SEQUENCES, MAXLEN, pad_sequences)
    assert result.mistake == mistake, result


def test_7_1_5_keras_breaks_the_rule():
    keras = pytest.importorskip("keras")

    def with_keras(sequences, maxlen):
        return keras.utils.pad_sequences(sequences, maxlen=maxlen)

    assert nb71.ex_7_1_5(with_keras, SEQUENCES, MAXLEN, pad_sequences).mistake == "uses_keras"
    assert nb71.ex_7_1_5(pad_pre, SEQUENCES, MAXLEN, pad_sequences).ok


def test_a_function_that_exits_or_spoils_its_input_gives_one_line():
    import sys

    result = nb71.ex_7_1_5(lambda s, m: sys.exit(1), SEQUENCES, MAXLEN, pad_sequences)
    assert result.mistake == "error" and "sys.exit" in result.message
    before = [list(s) for s in SEQUENCES]

    def spoils(sequences, maxlen):
        sequences[0].clear()
        return pad_pre(sequences, maxlen)

    nb71.ex_7_1_5(spoils, SEQUENCES, MAXLEN, pad_sequences)
    assert SEQUENCES == before


# --- 7.1.6: reading the curves -------------------------------------------------------------------------

def history(val_loss, loss=None, val_acc=None):
    n = len(val_loss)
    loss = loss if loss is not None else list(np.linspace(0.7, 0.1, n))
    h = {"loss": loss, "val_loss": val_loss}
    if val_acc is not None:
        h["val_acc"] = val_acc
    return h


OVERFITS = history([0.69, 0.62, 0.58, 0.60, 0.59, 0.66, 0.72, 0.80],  # best 3; rises, dips at 5, rises again
                   val_acc=[0.5, 0.55, 0.57, 0.56, 0.60, 0.58, 0.57, 0.56])  # best val_acc: epoch 5
STILL_LEARNING = history([0.69, 0.65, 0.61, 0.60, 0.58, 0.57])  # best: the last epoch
STALLED = history([0.69, 0.62, 0.60, 0.61, 0.63], loss=[0.7, 0.65, 0.60, 0.62, 0.64])  # loss stops falling too


def test_7_1_6_the_right_reading_for_each_kind_of_run():
    assert nb71.ex_7_1_6(3, "а", OVERFITS).ok
    assert nb71.ex_7_1_6(np.int64(3), " А ", OVERFITS).ok
    assert nb71.ex_7_1_6(None, ..., STILL_LEARNING).ok
    assert nb71.ex_7_1_6(None, "а", STILL_LEARNING).ok  # the sign does not matter without overfitting
    assert nb71.ex_7_1_6(None, ..., STALLED).ok
    assert nb71.overfit_reading(OVERFITS) == (3, "а")
    assert nb71.overfit_reading(STILL_LEARNING) == (None, None)
    assert nb71.overfit_reading(STALLED) == (None, None)


def test_7_1_6_a_keras_history_object_is_read_too():
    class History:
        history = OVERFITS

    assert nb71.ex_7_1_6(3, "а", History()).ok


def test_7_1_6_a_quick_run_cannot_judge():
    for answer in ((1, "а"), (None, ...), (2, "б")):
        result = nb71.ex_7_1_6(*answer, history([0.69, 0.66]))
        assert result.status == "нельзя судить" and not result.ok, result
        assert "эпох всего 2" in result.message


@pytest.mark.parametrize("mistake, epoch, sign, h", [
    ("zero_based", 2, "а", OVERFITS),
    ("after_best", 4, "а", OVERFITS),
    ("by_accuracy", 5, "а", OVERFITS),
    ("last_epoch", 8, "а", OVERFITS),
    ("train_loss", 6, "а", history([0.69, 0.62, 0.58, 0.60, 0.70, 0.72, 0.80],
                                   loss=[0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.25])),
    ("first_rise", 2, "а", history([0.69, 0.60, 0.62, 0.55, 0.58, 0.61, 0.70])),
    ("missed", None, ..., OVERFITS),
    ("none_seen", 6, "а", STILL_LEARNING),
    ("none_seen", 3, "а", STALLED),
    ("sign_train", 3, "б", OVERFITS),
    ("sign_gap", 3, "в", OVERFITS),
    ("range", 9, "а", OVERFITS),
    ("choice", 3, "да", OVERFITS),
    ("not_integer", 3.5, "а", OVERFITS),
    ("type", "3", "а", OVERFITS),
    ("wrong", 7, "а", OVERFITS),
])
def test_7_1_6_mistakes_are_named(mistake, epoch, sign, h):
    result = nb71.ex_7_1_6(epoch, sign, h)
    assert result.status == "ошибка" and result.mistake == mistake, result


def test_7_1_6_stubs():
    assert nb71.ex_7_1_6(..., ..., OVERFITS).status == UNSOLVED
    assert nb71.ex_7_1_6(None, ..., OVERFITS).status == "ошибка"  # None is an answer: «no overfitting»
    assert nb71.ex_7_1_6(3, ..., OVERFITS).status == UNSOLVED
