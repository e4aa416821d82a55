"""Notebook 7.2 (recurrent neural networks): settings, ported listings, checked outputs."""

import pytest
from nbtools import cells, notebook, settings_namespace, text_of

NB = notebook("7.2-")


def code_text() -> str:
    return text_of(NB, "code")


def test_full_mode_uses_the_lecture_values(monkeypatch):
    ns = settings_namespace(NB, "full", monkeypatch)
    assert ns["EPOCHS"] == 10  # fit(epochs = 10)
    assert ns["TRAIN_SAMPLES"] == 25000  # all training reviews of IMDB


def test_quick_mode_is_smaller(monkeypatch):
    full = settings_namespace(NB, "full", monkeypatch)
    quick = settings_namespace(NB, "quick", monkeypatch)
    for name in ("EPOCHS", "TRAIN_SAMPLES"):
        assert 0 < quick[name] < full[name], name


@pytest.mark.parametrize("fragment", [
    # the NumPy RNN loop of the slide
    "timesteps = 100", "input_features = 32", "output_features = 64", "np.tanh(W @ input_t + U @ state_t + b)",
    # SimpleRNN == the loop, LSTM/GRU steps checked against Keras
    "keras.layers.SimpleRNN(output_features, return_sequences=True", "W=kernel.T, U=recurrent_kernel.T",
    "c_next = i_t * k_t + c_t * f_t", "keras.layers.LSTM(output_features, return_sequences=True)",
    "keras.layers.GRU(output_features, return_sequences=True)", "assert max_diff < 1e-5",
    # the recurrent layer in Keras and the book's variants
    "keras.layers.Embedding(input_dim=10000, output_dim=32)", "keras.layers.SimpleRNN(units=32)",
    "keras.layers.SimpleRNN(units=32, return_sequences=True)",
    # IMDB: the lecture's hyperparameters
    "max_features = 10000", "maxlen = 500", "data.load_imdb(num_words=max_features)",
    "keras.utils.pad_sequences(input_train, maxlen=maxlen)", "keras.utils.pad_sequences(input_test, maxlen=maxlen)",
    'keras.layers.Dense(units=1, activation="sigmoid")', 'optimizer="rmsprop"', 'loss="binary_crossentropy"',
    'metrics=["acc"]', "epochs=EPOCHS", "batch_size=128", "validation_split=0.2", "keras.layers.LSTM(units=32)",
])
def test_listing_is_ported(fragment):
    assert fragment in code_text()


def test_every_training_is_plotted_and_summarised():
    text = code_text()
    assert text.count("model.fit(") == 2
    assert text.count("plot_history(history") == 2
    assert text.count('print_best(history, "val_acc"') == 2
    assert 'data.source_label("IMDB (imdb.npz)")' in text


def test_only_the_settings_cell_reads_the_mode():
    for c in cells(NB):
        if c["cell_type"] != "code" or "settings" in c["metadata"].get("tags", []):
            continue
        source = "".join(c["source"])
        for word in ("DL7_", "S.quick", "S.pick", "os.environ"):
            assert word not in source, source


def _checked_output() -> str:
    out = []
    for c in cells(NB):
        if c["cell_type"] == "code" and "NBVAL_CHECK_OUTPUT" in "".join(c["source"]):
            for o in c["outputs"]:
                assert o.get("name") != "stderr", o
                out.append("".join(o.get("text", "")))
    return "".join(out)


@pytest.mark.parametrize("expected", [
    "output_sequence: (100, 64)",
    "max |NumPy - Keras| < 1e-5: True", "LSTM: max |NumPy - Keras| < 1e-5: True",
    "GRU: max |NumPy - Keras| < 1e-5: True",
    "320,000", "2,080", "Всего параметров: 322,080", "Всего параметров: 328,320",
    "Всего параметров: 8,320", "Всего параметров: 6,336",
])
def test_checked_outputs_are_stored(expected):
    assert expected in _checked_output()
