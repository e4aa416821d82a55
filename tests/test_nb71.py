"""Notebook 7.1 (text vectorization, embeddings, GloVe): the lecture's hyperparameters per scale,
the R-like tokenizer of the notebook, checked outputs."""

from __future__ import annotations

import ast
import collections
import functools

import nbtools
import pytest
from nbtools import cells, is_checked, notebook, settings_namespace, text_of

NB = notebook("7.1-")

# Scale-dependent constants: their full-scale values are the lecture's (None = all reviews of the data set).
LECTURE = {
    "EPOCHS_IMDB": 10,               # fit(epochs = 10), Embedding(10000, 8), maxlen = 20
    "IMDB_TRAIN_REVIEWS": None,      # dataset_imdb(): all 25,000 training reviews
    "REVIEWS_PER_CLASS": None,       # every file of aclImdb/train/{neg,pos}
    "VALIDATION_SAMPLES": 10000,     # validation_samples <- 10000
    "EPOCHS_GLOVE": 20,              # fit(epochs = 20), GloVe model and the model without GloVe
    "TEST_REVIEWS_PER_CLASS": None,  # every file of aclImdb/test/{neg,pos}
}
REVIEWS_PER_SPLIT = 25000  # real aclImdb and imdb.npz


# the notebook's code cells, top-level assignments and calls (tests/nbtools.py), bound to this notebook
code_cells = functools.partial(nbtools.code_sources, NB)
assigned = functools.partial(nbtools.assigned, NB)
calls = functools.partial(nbtools.calls, NB)


# --- the lecture's hyperparameters, per scale ---------------------------------------------------

def test_full_scale_uses_the_lecture_values(monkeypatch):
    ns = settings_namespace(NB, "full", monkeypatch)
    assert {name: ns[name] for name in LECTURE} == LECTURE


def test_lesson_scale_is_at_most_the_lecture(monkeypatch):
    lesson = settings_namespace(NB, "lesson", monkeypatch)
    for name, full in LECTURE.items():
        value = lesson[name]
        if full is None:  # "all reviews": lesson may take all of them or fewer
            assert value is None or 0 < value < REVIEWS_PER_SPLIT, name
        else:
            assert 0 < value <= full, name
    # the GloVe comparison needs the 200 training samples and a validation set of at least 1,000
    assert lesson["VALIDATION_SAMPLES"] >= 1000


def test_quick_scale_is_small(monkeypatch):
    quick = settings_namespace(NB, "quick", monkeypatch)
    assert 0 < quick["EPOCHS_IMDB"] <= 2 and 0 < quick["EPOCHS_GLOVE"] <= 2
    assert 0 < quick["VALIDATION_SAMPLES"] < LECTURE["VALIDATION_SAMPLES"]
    assert 0 < quick["IMDB_TRAIN_REVIEWS"] < REVIEWS_PER_SPLIT
    assert 0 < quick["TEST_REVIEWS_PER_CLASS"] < REVIEWS_PER_SPLIT // 2
    # 200 training + the validation samples must fit into the reviews read in quick mode
    assert 200 + quick["VALIDATION_SAMPLES"] <= 2 * quick["REVIEWS_PER_CLASS"] < REVIEWS_PER_SPLIT


@pytest.mark.parametrize("name, values", [
    ("max_length", [10, 50, 10]),   # word one-hot, character one-hot, hashing
    ("dimensionality", [1000]),     # hashing trick
    ("max_features", [10000]),      # IMDB: 10,000 most frequent words
    ("maxlen", [20, 100]),          # IMDB: 20 words; raw reviews: 100 words
    ("training_samples", [200]),
    ("validation_samples", ["VALIDATION_SAMPLES"]),
    ("max_words", [10000]),
])
def test_lecture_constants(name, values):
    assert assigned(name) == values


def test_lecture_layers():
    embeddings = [(e.get("input_dim"), e.get("output_dim")) for e in calls("Embedding")]
    assert embeddings == [(1000, 64), (10000, 8), ("max_words", "embedding_dim"), ("max_words", "embedding_dim")]
    dense = [(d[0], d.get("activation")) for d in calls("Dense")]
    assert dense == [(1, "sigmoid"), (32, "relu"), (1, "sigmoid"), (32, "relu"), (1, "sigmoid")]
    assert len(calls("Flatten")) == 3


def test_lecture_training():
    fits = calls("fit")
    assert [f.get("epochs") for f in fits] == ["EPOCHS_IMDB", "EPOCHS_GLOVE", "EPOCHS_GLOVE"]
    assert all(f.get("batch_size") == 32 for f in fits)
    assert fits[0].get("validation_split") == 0.2  # IMDB, maxlen 20
    assert fits[1].get("validation_data") == fits[2].get("validation_data") == "(x_val, y_val)"
    compiled = calls("compile")
    assert len(compiled) == 3
    assert all((c.get("optimizer"), c.get("loss"), c.get("metrics")) == ("rmsprop", "binary_crossentropy", ["acc"])
               for c in compiled)
    # GloVe: frozen pretrained layer, weights saved and reloaded for the test set
    text = "\n".join(code_cells())
    assert "model.layers[0].set_weights([embedding_matrix])" in text and "model.layers[0].trainable = False" in text
    assert len(calls("save_weights")) == 1 and len(calls("load_weights")) == 1
    assert len(calls("evaluate")) == 2  # with and without GloVe, on aclImdb/test


def test_every_training_logs_one_russian_line_per_epoch():
    """Issue 25: the same log as 7.2 and 7.3 (utils.training.EpochLog), no Keras progress lines."""
    fits = calls("fit")
    assert [(f.get("verbose"), f.get("callbacks")) for f in fits] == [(0, "[EpochLog()]")] * 3
    assert "from utils.training import EpochLog" in "\n".join(code_cells())


def test_summaries_are_plain_text():
    """model.summary() through rich writes ANSI colour codes into the stored text/plain; print_fn=print does not."""
    summaries = calls("summary")
    assert len(summaries) == 2 and all(s.get("print_fn") == "print" for s in summaries)


def test_no_stored_output_of_any_notebook_has_terminal_escape_codes():
    """No ANSI escape sequence (colour, bold) in any stored output: they show as garbage in the HTML export, the
    slides and a text view.  (Stored outputs: the lead's stored run.)"""
    for path in sorted(nbtools.NOTEBOOKS.glob("*.ipynb")):
        for c in cells(path):
            for o in c.get("outputs", []):
                texts = ["".join(o.get("text", ""))] + ["".join(v) for k, v in o.get("data", {}).items()
                                                        if k.startswith("text/")]
                assert not any("\x1b[" in t for t in texts), (path.name, "".join(c["source"])[:80])


def test_the_results_table_names_what_the_book_and_this_run_used():
    """Issue 23: the book's GloVe figures are for 100d (offline this run has 50d), and the arrays of load_imdb are
    not called imdb.npz when they are encoded here: the label is printed from data.source_label."""
    table = next(s for s in code_cells() if "results_table = pd.DataFrame(" in s)
    assert '"0.572 (100d)"' in table and '"~0.54–0.56 (100d)"' in table and '"imdb.npz"' not in table
    assert "data.source_label('IMDB (imdb.npz)')" in table and "книга: imdb.npz из Keras" in table


def test_every_training_is_plotted_and_summarised():
    assert len(calls("fit")) == len(calls("plot_history")) == len(calls("print_best")) == 3
    # plot_history(history, title, source), print_best(history, key, label, source): the source names the scale
    sources = [c.get("source", c.get(2)) for c in calls("plot_history")] + \
              [c.get("source", c.get(3)) for c in calls("print_best")]
    assert all(sources), sources
    assert len(calls("best_epoch")) == 3
    assert len(calls("print_curves")) == 3  # the numbers the overfitting sentences point at


def test_every_lecture_listing_has_its_r_original():
    text = text_of(NB, "markdown")
    for fragment in ("token_index[[word]] <- length(token_index) + 2", "ascii_tokens <- c(\"\", sapply",
                     "spooky.32", "layer_embedding(input_dim = 1000, output_dim = 64)", "dataset_imdb(num_words",
                     "glob2rx", "text_tokenizer(num_words = max_words)", "embedding_matrix[index+1,]",
                     "freeze_weights()", "save_model_weights_hdf5", "load_model_weights_hdf5"):
        assert fragment in text, fragment
    assert text.count("<summary>R (из лекции)</summary>") >= 12


def test_figures_are_on_their_slides():
    for c in cells(NB):
        source = "".join(c["source"])
        if "figures/7.1-" in source:
            assert c["cell_type"] == "markdown"
    markdown = text_of(NB, "markdown")
    assert "](figures/7.1-one-hot-vs-embeddings.svg)" in markdown
    assert "](figures/7.1-embedding-space-geometry.svg)" in markdown


# --- the tokenizer: the notebook's functions, run here ------------------------------------------

TOKENIZER_NAMES = ("R_FILTERS", "standardize_as_in_r", "split_on_spaces", "fit_word_index", "texts_to_sequences")


@pytest.fixture(scope="module")
def tokenizer_ns():
    """The notebook's tokenizer definitions (top-level assignments and functions of those names), executed."""
    tf = pytest.importorskip("tensorflow")
    import re

    from keras import layers

    ns = {"tf": tf, "re": re, "collections": collections, "layers": layers}
    for source in code_cells():
        for node in ast.parse(source).body:
            names = ([node.name] if isinstance(node, ast.FunctionDef) else
                     [t.id for t in node.targets if isinstance(t, ast.Name)] if isinstance(node, ast.Assign) else [])
            if set(names) & set(TOKENIZER_NAMES):
                exec(compile(ast.Module([node], []), NB.name, "exec"), ns)
    missing = [n for n in TOKENIZER_NAMES if n not in ns]
    assert not missing, f"the notebook no longer defines {missing}"
    return ns


def keras2_words(text: str) -> list[str]:
    """The R / Keras 2 tokenizer, from its documented behaviour: lowercase, every default filter
    character becomes a space, split on " ", empty strings dropped."""
    filters = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
    for ch in filters:
        text = text.replace(ch, " ")
    return [w for w in text.lower().split(" ") if w]


REVIEW_LIKE = [
    "A great film.<br /><br />The acting was superb!",
    "Awful.<br /><br />I hated it;the end was dull...",
    "Naïve plot, café scenes(don't laugh)<br />OK-ish.The END",
    "7/10<br /><br />\"Brilliant\" - really.",
    "ÉCOLE\xa0noire\x85 İstanbul\r\nThe end\tof it",  # characters the real files carry: no split there
]


def _words(ns, texts):
    tokens = ns["split_on_spaces"](ns["standardize_as_in_r"](texts))
    return [[w.decode() for w in row] for row in tokens.to_list()]


def test_br_tags_do_not_glue_tokens(tokenizer_ns):
    words = _words(tokenizer_ns, ["film.<br /><br />The", "end.The", "awful.<br />"])
    assert words == [["film", "br", "br", "the"], ["end", "the"], ["awful", "br"]]


def test_standardize_matches_the_r_tokenizer_on_review_like_text(tokenizer_ns):
    words = _words(tokenizer_ns, REVIEW_LIKE)
    assert words == [keras2_words(t) for t in REVIEW_LIKE]
    flat = {w for row in words for w in row}
    assert {"don't", "naïve", "café", "ok", "ish"} <= flat
    assert not {w for w in flat if "br" in w and w not in ("br", "brilliant")}, "tokens glued to br"


def test_the_check_can_fail(tokenizer_ns):
    """Keras 3's default standardization (punctuation deleted) glues tokens: the comparison above would see it."""
    from keras import layers

    default = layers.TextVectorization()
    default.adapt(REVIEW_LIKE)
    vocabulary = set(default.get_vocabulary())
    assert {"filmbr", "awfulbr"} <= vocabulary
    assert vocabulary - {"", "[UNK]"} != {w for t in REVIEW_LIKE for w in keras2_words(t)}


def test_word_index_and_sequences_as_in_r(tokenizer_ns):
    ns = tokenizer_ns
    texts = ["b a a.<br />c", "c c c d, e", "a e!"]
    word_index = ns["fit_word_index"](texts)
    # by descending count (c 4, a 3, e 2); equal counts (b, br, d: 1) in order of first appearance
    counts = collections.Counter(w for t in texts for w in keras2_words(t))
    assert list(word_index) == [w for w, _ in counts.most_common()]
    assert list(word_index.values()) == list(range(1, len(word_index) + 1))
    num_words = 3  # R: words with index >= 3 are dropped, not replaced
    tokenizer = layers_vectorizer(ns, word_index, num_words)
    expected = [[word_index[w] for w in keras2_words(t) if word_index[w] < num_words] for t in texts]
    assert ns["texts_to_sequences"](tokenizer, texts) == expected
    assert all(0 not in s and all(i < num_words for i in s) for s in expected)


def layers_vectorizer(ns, word_index, num_words):
    return ns["layers"].TextVectorization(standardize=ns["standardize_as_in_r"], split=ns["split_on_spaces"],
                                          vocabulary=list(word_index)[:num_words - 1], ragged=True)


# --- stored outputs -------------------------------------------------------------------------------

def checked_outputs() -> list[str]:
    stored = []
    for c in cells(NB):
        if is_checked(c):
            stored.append("".join("".join(o.get("text", "")) for o in c["outputs"]))
    return stored


@pytest.mark.parametrize("fragment", [
    "мешок 2-грамм совпадает со слайдом: True", "мешок 3-грамм совпадает со слайдом: True",
    "{'The': 1, 'cat': 2, 'sat': 3, 'on': 4, 'the': 5, 'mat.': 6, 'dog': 7, 'ate': 8, 'my': 9, 'homework.': 10}",
    "форма results: (2, 10, 11)", "форма results: (2, 50, 96)", "форма results: (2, 10, 1000)",
    "совпадает с циклом: True", "позиций [UNK]: 17 из 21",
    "'cat'        mmh3.hash =  1751422759  ->  индекс 759",
    "вход (2, 3) -> выход (2, 3, 64)",
    "параметров 80,000", "параметров    161", "= 10 000 * 8 + (160 + 1): True",
    # GloVe geometry on the real 50d vectors
    "movie  -> movies 0.932, film 0.931", "king - man + woman -> queen 0.852",
    # the tokenizer as in R
    "'filmbr'", "R: ['naïve', 'plot', 'nice', 'café', 'scenes', 'br', 'br', 'awful', 'ending', 'the', 'end']",
    "word_index совпадает: True", "word_index совпадает с токенизатором R: True",
    "последовательности первых и последних 200 отзывов совпадают: True",
    # the embedding matrix, indices as in R
    "форма = (max_words, embedding_dim): True", "индекс 'the' (самое частое слово): 1",
    "строка 0 (заполнитель) — нули: True", "строка 1 = вектор GloVe слова 'the': True",
    "строка 2 (index + 1, как в R) = 'the': False",
    "слой переводит индекс 'the' в вектор GloVe 'the': True",
    "pandas и построчный цикл дают те же слова и векторы: True",
])
def test_checked_outputs_are_stored(fragment):
    assert any(fragment in s for s in checked_outputs()), fragment


def test_the_r_and_keras_sequences_of_the_snippets_are_equal():
    demo = next(s for s in checked_outputs() if "Keras 3, как в R:" in s)
    lines = {line.split(":", 1)[0].strip(): line.split(":", 1)[1].strip() for line in demo.splitlines() if ":" in line}
    assert lines["R, num_words = 12"] == lines["Keras 3, как в R"]
    assert "[UNK]" not in demo and ", 0" not in lines["Keras 3, как в R"]


def test_no_checked_output_says_false_where_true_is_expected():
    for stored in checked_outputs():
        for line in stored.splitlines():
            if line.rstrip().endswith("False"):
                assert "как в R" in line, line  # the only expected False: the R indexing ported literally


def test_only_the_settings_cells_read_the_scale():
    for c in cells(NB):
        if c["cell_type"] != "code" or "settings" in c["metadata"].get("tags", []):
            continue
        source = "".join(c["source"])
        for word in ("DL7_", "S.quick", "S.pick", "S.scale =="):
            assert word not in source, source
