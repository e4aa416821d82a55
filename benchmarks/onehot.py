"""Section 5: one-hot encoding at the IMDB scale, the lecture's loops against vectorized NumPy.

Word level: 25,000 samples, the first ``max_length`` = 10 words of each, a vocabulary of 1,000
words; character level: the first 50 characters, the 95 printable ASCII characters + "".
The loops are the 7.1 notebook's ports of the lecture (``results[i, j, index] = 1``); the
vectorized versions build an index array once and set all ones in one assignment.
"""

from __future__ import annotations

import gc
import time

import numpy as np

from .common import Context, Section, available_memory_bytes, fmt_s, md_table

VOCABULARY = 1000
WORD_MAX_LENGTH = 10
CHAR_MAX_LENGTH = 50
N_SAMPLES = 25000


def make_samples(n: int, words_per_sample: int = 12, vocabulary: int = VOCABULARY, seed: int = 0) -> list[str]:
    """n sentences of real English-looking words from a vocabulary of ``vocabulary`` words."""
    from utils import standins

    words = list(dict.fromkeys(standins.FILLER + standins.NOUNS + standins.POSITIVE + standins.NEGATIVE))
    words += [f"{a}{b}" for a in standins.SYLLABLES for b in standins.SYLLABLES]
    words = list(dict.fromkeys(words))[:vocabulary]
    words[0] = "The"  # capitals and punctuation, as in the lecture's samples
    words[1] = "mat."
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(words), size=(n, words_per_sample))
    picks[:, 0] = np.arange(n) % len(words)  # every word of the vocabulary occurs
    return [" ".join(words[k] for k in row) for row in picks]


# --- word level ---------------------------------------------------------------------------------

def word_loop(samples, max_length=WORD_MAX_LENGTH, dtype="float64"):
    """The lecture's word-level one-hot encoding (7.1 notebook), index building included."""
    token_index = {}
    for sample in samples:
        for word in sample.split(" "):
            if word not in token_index:
                token_index[word] = len(token_index) + 1

    results = np.zeros((len(samples), max_length, max(token_index.values()) + 1), dtype=dtype)
    for i, sample in enumerate(samples):
        words = sample.split(" ")[:max_length]
        for j, word in enumerate(words):
            index = token_index[word]
            results[i, j, index] = 1
    return results


def word_indices(samples, max_length=WORD_MAX_LENGTH):
    """(index array (n, max_length) with 0 = no word, depth): the same token index as the loop."""
    token_index = {}
    for sample in samples:  # dict.fromkeys keeps first-seen order: the loop's indices
        token_index.update(dict.fromkeys(sample.split(" ")))
    token_index = {w: k + 1 for k, w in enumerate(token_index)}
    indices = np.zeros((len(samples), max_length), dtype=np.int64)
    for i, sample in enumerate(samples):
        row = [token_index[w] for w in sample.split(" ")[:max_length]]
        indices[i, :len(row)] = row
    return indices, len(token_index) + 1


def one_hot_fill(indices, depth, dtype="float64"):
    """The one-hot array of an index array (0 = no token: an all-zero row), in one assignment."""
    results = np.zeros((*indices.shape, depth), dtype=dtype)
    i, j = np.nonzero(indices)
    results[i, j, indices[i, j]] = 1
    return results


def word_vectorized(samples, max_length=WORD_MAX_LENGTH, dtype="float64"):
    """Vectorized: the index array, then one fancy-indexing assignment for all the ones."""
    indices, depth = word_indices(samples, max_length)
    return one_hot_fill(indices, depth, dtype)


def word_eye(samples, max_length=WORD_MAX_LENGTH, dtype="float64"):
    """Vectorized like the 7.1 notebook's small example: rows of an identity matrix, padding masked."""
    indices, depth = word_indices(samples, max_length)
    return np.eye(depth, dtype=dtype)[indices] * (indices > 0)[..., np.newaxis]


# --- character level ----------------------------------------------------------------------------

ASCII_TOKENS = [""] + [chr(code) for code in range(32, 127)]


def char_loop(samples, max_length=CHAR_MAX_LENGTH, dtype="float64"):
    """The lecture's character-level one-hot encoding (7.1 notebook)."""
    token_index = {character: i for i, character in enumerate(ASCII_TOKENS)}
    results = np.zeros((len(samples), max_length, len(token_index)), dtype=dtype)
    for i, sample in enumerate(samples):
        characters = list(sample)[:max_length]
        for j, character in enumerate(characters):
            results[i, j, token_index[character]] = 1
    return results


def char_vectorized(samples, max_length=CHAR_MAX_LENGTH, dtype="float64"):
    """Vectorized: the bytes of each (ASCII) sample are their own indices, shifted by 31."""
    codes = np.zeros((len(samples), max_length), dtype=np.int64)
    for i, sample in enumerate(samples):
        b = np.frombuffer(sample[:max_length].encode("ascii"), dtype=np.uint8)
        codes[i, :len(b)] = b.astype(np.int64) - 31  # " " (32) -> 1, ..., "~" (126) -> 95; 0 = nothing
    return one_hot_fill(codes, len(ASCII_TOKENS), dtype)


def _timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def section(ctx: Context) -> Section:
    n = 500 if ctx.quick else N_SAMPLES
    word_bytes = n * WORD_MAX_LENGTH * (VOCABULARY + 1) * 8
    available = available_memory_bytes()
    notes = []
    if available is not None and 3.5 * word_bytes > 0.6 * available:  # np.eye: result + temporary + the loop's
        n_fit = int(n * 0.6 * available / (3.5 * word_bytes)) // 1000 * 1000
        notes.append(f"Only {n_fit:,} samples instead of {n:,}: not enough free memory for three arrays of "
                     f"{word_bytes / 2**30:.1f} GB.")
        n = max(1000, n_fit)
    ctx.log(f"one-hot: {n:,} samples")
    samples = make_samples(n, words_per_sample=12)
    rows = []

    reference, t_loop = _timed(word_loop, samples)
    shape = reference.shape
    rows.append(["word", "lecture's loop `results[i, j, index] = 1`", f"{shape}", fmt_s(t_loop), "1x", "reference"])
    (indices, depth), t_index = _timed(word_indices, samples)
    out, t_fill = _timed(one_hot_fill, indices, depth)
    t = t_index + t_fill
    rows.append(["word", "vectorized: index array + one fancy-indexing assignment", f"{out.shape}", fmt_s(t),
                 f"{t_loop / t:.1f}x", "identical" if np.array_equal(out, reference) else "DIFFERENT"])
    del out
    gc.collect()
    out, t = _timed(word_eye, samples)
    rows.append(["word", "vectorized: `np.eye(depth)[indices] * mask` (7.1's small example)", f"{out.shape}",
                 fmt_s(t), f"{t_loop / t:.1f}x", "identical" if np.array_equal(out, reference) else "DIFFERENT"])
    del out
    gc.collect()
    same = np.array_equal(reference.argmax(axis=2), indices)  # padding: an all-zero row, argmax 0 = index 0
    rows.append(["word", "index array only, no one-hot array (what Embedding, or keras.ops.one_hot per batch, "
                 "takes)", f"{indices.shape}", fmt_s(t_index), f"{t_loop / t_index:.1f}x",
                 "same information (= argmax of the loop's array)" if same else "DIFFERENT"])
    notes.append(f"Word level, vectorized: {fmt_s(t_index)} to build the index array in Python, {fmt_s(t_fill)} "
                 f"to allocate the {reference.nbytes / 2**30:.2f} GB array and set the ones (fresh memory: its page "
                 f"faults are paid by every version; the loop takes {fmt_s(t_loop)} in all).")
    del reference
    gc.collect()

    char_samples = make_samples(n, words_per_sample=14, seed=1)  # > 50 characters each
    reference, t_loop = _timed(char_loop, char_samples)
    rows.append(["character", "lecture's loop `results[i, j, token_index[character]] = 1`", f"{reference.shape}",
                 fmt_s(t_loop), "1x", "reference"])
    out, t = _timed(char_vectorized, char_samples)
    same = np.array_equal(out, reference)
    rows.append(["character", "vectorized: bytes as indices + one fancy-indexing assignment", f"{out.shape}",
                 fmt_s(t), f"{t_loop / t:.1f}x", "identical" if same else "DIFFERENT"])
    del out, reference
    gc.collect()

    ctx.results["onehot"] = rows
    notes[:0] = [
        f"{n:,} samples (IMDB's training set has 25,000), vocabulary {VOCABULARY:,} words; float64 arrays "
        "(NumPy's default, as in the notebook), word level (samples, 10, 1001) = "
        f"{word_bytes / 2**30:.2f} GB each.",
        "Times include tokenizing (split on spaces) and building the token index, for every version: "
        "the vectorized ones still split the strings in Python, they only replace the per-element assignments.",
        "'Identical': `np.array_equal` with the loop's array.",
    ]
    table = md_table(["level", "version", "shape", "time", "speed-up", "result vs the loop"], rows)
    return Section("onehot", "5. One-hot encoding at the IMDB scale", table, notes)
