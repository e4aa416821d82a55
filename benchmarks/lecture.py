"""What is timed: the lecture's slow ways and the notebooks' fast ones (Jena windows, GloVe parsing, one-hot)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

LOOKBACK, STEP, DELAY, BATCH = 1440, 6, 144, 128  # Jena: the book's settings (DESIGN.md section 7)
TRAIN_MIN, TRAIN_MAX, VAL_MIN, VAL_MAX = 0, 200000, 200001, 300000
TRAIN_STEPS, VAL_STEPS, ROWS, FEATURES = 500, (VAL_MAX - VAL_MIN - LOOKBACK) // BATCH, 420551, 14


def generator(data, lookback, delay, min_index, max_index, shuffle=False, batch_size=128, step=6):
    """The book's generator (listing 6.33), unchanged: one ``data[indices]`` copy per sample."""
    if max_index is None:
        max_index = len(data) - delay - 1
    i = min_index + lookback
    while 1:
        if shuffle:
            rows = np.random.randint(min_index + lookback, max_index, size=batch_size)
        else:
            if i + batch_size >= max_index:
                i = min_index + lookback
            rows = np.arange(i, min(i + batch_size, max_index))
            i += len(rows)
        samples = np.zeros((len(rows), lookback // step, data.shape[-1]))
        targets = np.zeros((len(rows),))
        for j, _row in enumerate(rows):
            indices = range(rows[j] - lookback, rows[j], step)
            samples[j] = data[indices]
            targets[j] = data[rows[j] + delay][1]
        yield samples, targets


def gather_windows(data, rows):
    """The generator's windows and targets for ``rows`` in one fancy-indexing call (7.3's fast_generator)."""
    rows = np.asarray(rows)
    return data[rows[:, None] + np.arange(-LOOKBACK, 0, STEP)], data[rows + DELAY, 1]


def fast_generator(data, min_index, max_index, shuffle=False, seed=None):
    """The generator's batches (shuffled: rows drawn at random; else in order, wrapping) by gather_windows."""
    rng, i = np.random.default_rng(seed), min_index + LOOKBACK
    while True:
        if shuffle:
            rows = rng.integers(min_index + LOOKBACK, max_index, size=BATCH)
        else:
            i = min_index + LOOKBACK if i + BATCH >= max_index else i
            rows, i = np.arange(i, min(i + BATCH, max_index)), min(i + BATCH, max_index)
        yield gather_windows(data, rows)


def timeseries_dataset(data, min_index, max_index, shuffle, seed=None):
    """timeseries_dataset_from_array on the generator's rows: window k ends at row min_index + LOOKBACK + k."""
    import keras

    return keras.utils.timeseries_dataset_from_array(
        data[min_index:max_index - 1], targets=data[min_index + LOOKBACK + DELAY:max_index + DELAY, 1],
        sequence_length=LOOKBACK // STEP, sampling_rate=STEP, batch_size=BATCH, shuffle=shuffle, seed=seed)


TRICKY = ['"', "'", "null", "nan", "NaN", "n/a", "NA", "#", "1,000", "-", "...", "<unk>", "'s", "true", "None"]


def glove_file(folder: Path, lines: int = 400000, dim: int = 100) -> Path:
    """A glove.6B.<dim>d.txt in the real format, written once, with the real file's tokens that trip CSV parsers."""
    path = Path(folder) / f"glove.synthetic.{lines}x{dim}d.txt"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        words, rng = TRICKY + [f"w{k}" for k in range(lines - len(TRICKY))], np.random.default_rng(400)
        with open(path.with_suffix(".part"), "w", encoding="utf-8") as f:
            for start in range(0, lines, 10000):
                block = rng.normal(0, 0.4, size=(min(10000, lines - start), dim)).astype(np.float32)
                f.writelines(f"{w} {' '.join(f'{v:.5g}' for v in row)}\n" for w, row in zip(words[start:], block))
        path.with_suffix(".part").replace(path)
    return path


def parse_loop(path):
    """The lecture's loop (the book's Python): split each line, one small array per word."""
    embeddings_index = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            values = line.split()
            embeddings_index[values[0]] = np.asarray(values[1:], dtype="float32")
    return embeddings_index


def parse_pandas(path):
    """7.1's parser: pandas' C parser, then float32 rows in a dict."""
    import pandas as pd

    glove = pd.read_csv(path, sep=" ", header=None, index_col=0, dtype={0: str}, quoting=csv.QUOTE_NONE,
                        keep_default_na=False, na_filter=False)
    return dict(zip(glove.index, glove.to_numpy(dtype="float32")))


def make_samples(n: int) -> list[str]:
    """``n`` sentences of 12 words over a vocabulary of 1,000 words."""
    return [" ".join(f"w{k}" for k in row) for row in np.random.default_rng(0).integers(0, 1000, size=(n, 12))]


def word_loop(samples, max_length=10):
    """The lecture's word-level one-hot encoding, as 7.1 writes it."""
    token_index = {}
    for sample in samples:
        for word in sample.split(" "):
            if word not in token_index:
                token_index[word] = len(token_index) + 1
    results = np.zeros((len(samples), max_length, max(token_index.values()) + 1))
    for i, sample in enumerate(samples):
        words = sample.split(" ")[:max_length]
        for j, word in enumerate(words):
            index = token_index[word]
            results[i, j, index] = 1
    return results


def word_vectorized(samples, max_length=10):
    """The loop's array from an index array (dict.fromkeys: the loop's order) and one fancy-indexing assignment."""
    token_index = {w: k + 1 for k, w in enumerate(dict.fromkeys(w for s in samples for w in s.split(" ")))}
    indices = np.zeros((len(samples), max_length), dtype=np.int64)
    for i, sample in enumerate(samples):
        row = [token_index[w] for w in sample.split(" ")[:max_length]]
        indices[i, :len(row)] = row
    results = np.zeros((len(samples), max_length, len(token_index) + 1))
    i, j = np.nonzero(indices)
    results[i, j, indices[i, j]] = 1
    return results
