"""Notebook 7.1 (text vectorization, embeddings, GloVe): settings, ported listings, checked outputs."""

import pytest
from nbtools import cells, notebook, settings_namespace, text_of

NB = notebook("7.1-")

# Scale-dependent constants: their full-mode values are the lecture's (None = all reviews of the data set).
LECTURE = {
    "EPOCHS_IMDB": 10,            # fit(epochs = 10), Embedding(10000, 8), maxlen = 20
    "IMDB_TRAIN_REVIEWS": None,   # dataset_imdb(): all 25,000 training reviews
    "REVIEWS_PER_CLASS": None,    # every file of aclImdb/train/{neg,pos}
    "VALIDATION_SAMPLES": 10000,  # validation_samples <- 10000
    "EPOCHS_GLOVE": 20,           # fit(epochs = 20), GloVe model and the model without GloVe
    "TEST_REVIEWS_PER_CLASS": None,  # every file of aclImdb/test/{neg,pos}
}


def code_text() -> str:
    return text_of(NB, "code")


def markdown_text() -> str:
    return text_of(NB, "markdown")


def test_full_mode_uses_the_lecture_values(monkeypatch):
    ns = settings_namespace(NB, "full", monkeypatch)
    for name, value in LECTURE.items():
        assert ns[name] == value, name


def test_quick_mode_is_smaller(monkeypatch):
    quick = settings_namespace(NB, "quick", monkeypatch)
    assert 0 < quick["EPOCHS_IMDB"] <= 2 and 0 < quick["EPOCHS_GLOVE"] <= 2
    assert 0 < quick["VALIDATION_SAMPLES"] < LECTURE["VALIDATION_SAMPLES"]
    # None means "all" in full mode; quick mode cuts the real data sets (25,000 reviews per split)
    assert 0 < quick["IMDB_TRAIN_REVIEWS"] < 25000
    assert 0 < quick["TEST_REVIEWS_PER_CLASS"] < 12500
    # 200 training + the validation samples must fit into the reviews read in quick mode
    assert 200 + quick["VALIDATION_SAMPLES"] <= 2 * quick["REVIEWS_PER_CLASS"] < 25000


@pytest.mark.parametrize("fragment", [
    # n-grams of the slide
    '"The cat sat on the mat."', "bag_of_ngrams(tokens, 2)", "bag_of_ngrams(tokens, 3)", "ngrams=3",
    # word-level one-hot: the loop, NumPy, TextVectorization
    'samples = ["The cat sat on the mat.", "The dog ate my homework."]', "token_index[word] = len(token_index) + 1",
    "max_length = 10", "results[i, j, index] = 1", "np.eye(depth)[indices]", 'output_mode="multi_hot"',
    'output_mode="int"',
    # character level
    "[chr(code) for code in range(32, 127)]", "max_length = 50", "char_index.get(character, oov_index)",
    # hashing trick
    "import mmh3", "dimensionality = 1000", "abs(mmh3.hash(word)) % dimensionality", "PYTHONHASHSEED",
    "data.load_imdb_word_index()",
    # Embedding layer
    "layers.Embedding(input_dim=1000, output_dim=64)",
    # IMDB, maxlen 20
    "max_features = 10000", "maxlen = 20", "data.load_imdb(num_words=max_features)",
    "keras.utils.pad_sequences(x_train, maxlen=maxlen)", "layers.Embedding(input_dim=10000, output_dim=8)",
    "layers.Flatten()", 'layers.Dense(1, activation="sigmoid")', 'optimizer="rmsprop"',
    'loss="binary_crossentropy"', 'metrics=["acc"]', "epochs=EPOCHS_IMDB", "batch_size=32", "validation_split=0.2",
    "model.summary()",
    # raw IMDB + GloVe
    "data.aclimdb_dir()", 'for label_type in ("neg", "pos"):', "maxlen = 100", "training_samples = 200",
    "validation_samples = VALIDATION_SAMPLES", "max_words = 10000", "layers.TextVectorization(",
    '"Found", len(vocabulary) - 2, "unique tokens."', "keras.utils.pad_sequences(sequences, maxlen=maxlen)",
    "data.glove_path(100)", '"Found", len(embeddings_index), "word vectors."', "quoting=csv.QUOTE_NONE",
    "embedding_dim = len(values) - 1", "np.zeros((max_words, embedding_dim)",
    "embedding_matrix[index] = embedding_vector",
    "layers.Embedding(input_dim=max_words, output_dim=embedding_dim)", 'layers.Dense(32, activation="relu")',
    "model.layers[0].set_weights([embedding_matrix])", "model.layers[0].trainable = False",
    "epochs=EPOCHS_GLOVE", "validation_data=(x_val, y_val)",
    'S.data_dir / "models" / "pre_trained_glove_model.weights.h5"', "model.save_weights(weights_path)",
    # the book: without GloVe, test set
    'imdb_dir / "test"', "model.load_weights(weights_path)", "model.evaluate(x_test, y_test",
    "model_no_glove.evaluate(x_test, y_test",
    # closing table with the published figures and the data source
    '"0.759"', '"0.572"', '"0.528"', 'data.source_label("aclImdb")', 'data.source_label("GloVe")',
    'data.source_label("IMDB (imdb.npz)")',
])
def test_listing_is_ported(fragment):
    assert fragment in code_text()


def test_every_training_is_plotted_and_summarised():
    text = code_text()
    assert text.count(".fit(") == 3
    assert text.count("plot_history(history)") == 3
    assert text.count('print_best(history, "val_acc"') == 3


def test_every_lecture_listing_has_its_r_original():
    text = markdown_text()
    for fragment in ("token_index[[word]] <- length(token_index) + 2", "ascii_tokens <- c(\"\", sapply",
                     "spooky.32", "layer_embedding(input_dim = 1000, output_dim = 64)", "dataset_imdb(num_words",
                     "glob2rx", "text_tokenizer(num_words = max_words)", "embedding_matrix[index+1,]",
                     "freeze_weights()", "save_model_weights_hdf5", "load_model_weights_hdf5"):
        assert fragment in text, fragment
    assert text.count("<summary>R (из лекции)</summary>") >= 12


@pytest.mark.parametrize("fragment", [
    "мешок 2-грамм совпадает со слайдом: True", "мешок 3-грамм совпадает со слайдом: True",
    "{'The': 1, 'cat': 2, 'sat': 3, 'on': 4, 'the': 5, 'mat.': 6, 'dog': 7, 'ate': 8, 'my': 9, 'homework.': 10}",
    "форма results: (2, 10, 11)", "форма results: (2, 50, 96)", "форма results: (2, 10, 1000)",
    "совпадает с циклом: True", "позиций [UNK]: 17 из 21",
    "'cat'        mmh3.hash =  1751422759  ->  индекс 759",
    "вход (2, 3) -> выход (2, 3, 64)",
    "параметров 80,000", "параметров    161", "= 10 000 * 8 + (160 + 1): True",
    "форма = (max_words, embedding_dim): True", "строка 0 (заполнитель) — нули: True",
    "строка 2 = вектор GloVe слова 'the': True", "строка 3 (index + 1, как в R) = 'the': False",
    "слой переводит индекс 'the' в вектор GloVe 'the': True",
])
def test_checked_outputs_are_stored(fragment):
    stored = []
    for c in cells(NB):
        if c["cell_type"] == "code" and "NBVAL_CHECK_OUTPUT" in "".join(c["source"]):
            stored += ["".join(o.get("text", "")) for o in c["outputs"]]
    assert any(fragment in s for s in stored), fragment


def test_no_checked_output_says_false_where_true_is_expected():
    for c in cells(NB):
        if c["cell_type"] != "code" or "NBVAL_CHECK_OUTPUT" not in "".join(c["source"]):
            continue
        for line in "".join("".join(o.get("text", "")) for o in c["outputs"]).splitlines():
            if line.rstrip().endswith("False"):
                assert "как в R" in line, line  # the only expected False: the R indexing ported literally


def test_only_the_settings_cell_reads_the_mode():
    for c in cells(NB):
        if c["cell_type"] != "code" or "settings" in c["metadata"].get("tags", []):
            continue
        source = "".join(c["source"])
        for word in ("DL7_", "S.quick", "S.pick", "S.scale =="):
            assert word not in source, source
