"""Notebook 7.3 (Jena climate, dropout, stacking, bidirectional RNNs): settings and structure.

No training and no network: the settings cell is executed, the rest is read as text.
"""

import re

import pytest
from nbtools import cells, notebook, settings_namespace, text_of

NB = notebook("7.3-")
JENA_STANDIN_ROWS = 60000  # rows of the quick stand-in (utils.data.STANDIN_SIZES)
LOOKBACK, STEP, DELAY, BATCH_SIZE = 1440, 6, 144, 128  # the book's fixed values

BOOK = {  # full mode = the book (DESIGN.md section 7) and the lecture
    "TRAIN_MAX": 200000,
    "VAL_MAX": 300000,
    "TEST_MAX": None,
    "STEPS_PER_EPOCH": 500,
    "EPOCHS_DENSE": 20,
    "EPOCHS_GRU": 20,
    "EPOCHS_DROPOUT": 40,
    "EPOCHS_STACKED": 40,
    "EPOCHS_REVERSED": 20,
    "EPOCHS_BIDIRECTIONAL": 40,
    "IMDB_REVIEWS": None,
    "IMDB_EPOCHS": 10,
}


def source() -> str:
    return text_of(NB)


def code_cells() -> list[str]:
    return ["".join(c["source"]) for c in cells(NB) if c["cell_type"] == "code"]


@pytest.fixture
def full(monkeypatch):
    return settings_namespace(NB, "full", monkeypatch)


@pytest.fixture
def quick(monkeypatch):
    return settings_namespace(NB, "quick", monkeypatch)


def test_full_mode_is_the_book(full):
    for name, value in BOOK.items():
        assert full[name] == value, f"{name}: {full[name]!r} != {value!r}"
    # the book's val_steps = (300000 - 200001 - lookback) // batch_size, with the notebook's formula
    assert (full["VAL_MAX"] - (full["TRAIN_MAX"] + 1) - LOOKBACK) // BATCH_SIZE == 769


def test_quick_mode_is_smaller(quick):
    for name, value in BOOK.items():
        if value is None:  # None = everything: quick must cut
            assert quick[name] is not None, name
        else:
            assert 0 < quick[name] < value, f"{name}: quick {quick[name]} not below full {value}"


def test_quick_boundaries_fit_the_standin(quick):
    train_max, val_max, test_max = quick["TRAIN_MAX"], quick["VAL_MAX"], quick["TEST_MAX"]
    assert LOOKBACK < train_max < val_max < test_max <= JENA_STANDIN_ROWS - DELAY - 1
    val_steps = (val_max - (train_max + 1) - LOOKBACK) // BATCH_SIZE
    test_steps = (test_max - (val_max + 1) - LOOKBACK) // BATCH_SIZE
    assert val_steps >= 1 and test_steps >= 1
    # the formula's property checked in the notebook: a full cycle without the remainder
    for steps, windows in ((val_steps, val_max - train_max - 1 - LOOKBACK),
                           (test_steps, test_max - val_max - 1 - LOOKBACK)):
        assert steps * BATCH_SIZE <= windows < (steps + 1) * BATCH_SIZE
        assert windows % BATCH_SIZE != 0  # otherwise the generator would wrap one batch early


def test_fixed_lecture_values_in_listings():
    text = source()
    for snippet in ("lookback = 1440", "step = 6", "delay = 144", "batch_size = 128",
                    "max_features = 10000", "maxlen = 500"):
        assert snippet in text, snippet


@pytest.mark.parametrize("snippet", [
    'layers.Dense(32, activation="relu")',
    "layers.GRU(32),",
    "layers.GRU(32, dropout=0.2, recurrent_dropout=0.2)",
    "layers.GRU(32, dropout=0.1, recurrent_dropout=0.5, return_sequences=True)",
    'layers.GRU(64, activation="relu", dropout=0.1, recurrent_dropout=0.5)',
    "layers.Embedding(input_dim=max_features, output_dim=128)",
    "layers.LSTM(32)",
    "layers.Embedding(input_dim=max_features, output_dim=32)",
    "layers.Bidirectional(layers.LSTM(32))",
    "layers.Bidirectional(layers.GRU(32))",
    "keras.utils.timeseries_dataset_from_array(",
    "keras.utils.pad_sequences(",
    "x[::-1] for x in x_train",
    "samples[:, ::-1, :]",
    "validation_split=0.2",
    "-9999",
    'format="%d.%m.%Y %H:%M:%S"',
    "evaluate(test_gen, steps=test_steps",
    "data.source_label(",
])
def test_every_listing_is_ported(snippet):
    assert snippet in source()


def test_trainings_use_the_settings_and_report():
    fits = [c for c in code_cells() if ".fit(" in c]
    assert len(fits) == 8  # dense, GRU, dropout, stacked, 2 IMDB, reversed GRU, bidirectional GRU
    for c in fits:
        assert "plot_history(" in c and "print_best(" in c, c[:80]
        assert re.search(r"epochs=(EPOCHS_\w+|IMDB_EPOCHS)", c), c[:80]
        if "steps_per_epoch" in c:
            assert "steps_per_epoch=STEPS_PER_EPOCH" in c and "validation_steps=val_steps" in c


def test_only_the_settings_cell_reads_the_switches():
    for c in cells(NB):
        if c["cell_type"] != "code" or "settings" in c["metadata"].get("tags", []):
            continue
        text = "".join(c["source"])
        assert "DL7_" not in text and "S.quick" not in text and "S.pick" not in text, text[:80]


def test_r_originals_follow_code_cells():
    cs = cells(NB)
    details = [i for i, c in enumerate(cs) if c["cell_type"] == "markdown" and "<details>" in "".join(c["source"])]
    assert len(details) >= 10
    for i in details:
        assert cs[i - 1]["cell_type"] == "code", f"cell {i}: R original not under a code cell"
        assert "```r" in "".join(cs[i]["source"])
