"""Section 3: the Jena input pipelines alone, and the pipelines that section 2 feeds its models with.

Three ways to cut the (420,551 x 14) weather array into training windows of the book:
the book's Python generator (one ``data[indices]`` copy per sample, in a Python loop),
``keras.utils.timeseries_dataset_from_array`` (tf.data), and a vectorized NumPy gather
(one fancy-indexing call per batch: ``data[rows[:, None] + offsets]``).
"""

from __future__ import annotations

import time

import numpy as np

from .common import Context, Section, fmt_int, md_table

# The book's settings (DESIGN.md section 7)
LOOKBACK, STEP, DELAY, BATCH = 1440, 6, 144, 128
TRAIN_MIN, TRAIN_MAX = 0, 200000
VAL_MIN, VAL_MAX = 200001, 300000
TRAIN_STEPS = 500
VAL_STEPS = (VAL_MAX - VAL_MIN - LOOKBACK) // BATCH  # 769
JENA_ROWS, JENA_FEATURES = 420551, 14
TIMESTEPS = LOOKBACK // STEP  # 240


def jena_array(n_rows: int = JENA_ROWS, seed: int = 0) -> np.ndarray:
    """A stand-in of the normalized Jena array: random float32 of the real shape (timing only)."""
    return np.random.default_rng(seed).standard_normal((n_rows, JENA_FEATURES), dtype=np.float32)


def generator(data, lookback, delay, min_index, max_index, shuffle=False, batch_size=128, step=6):
    """The book's generator (Chollet, Deep Learning with Python, listing 6.33), unchanged."""
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


def gather_windows(data, rows, lookback=LOOKBACK, delay=DELAY, step=STEP):
    """The same windows as the generator for the given rows, in one fancy-indexing call."""
    rows = np.asarray(rows)
    offsets = np.arange(-lookback, 0, step)
    return data[rows[:, None] + offsets], data[rows + delay, 1]


def gather_generator(data, lookback, delay, min_index, max_index, shuffle=False, batch_size=128, step=6,
                     seed=None):
    """The generator's contract (same arguments, same batches) with the vectorized gather."""
    if max_index is None:
        max_index = len(data) - delay - 1
    rng = np.random.default_rng(seed)
    i = min_index + lookback
    while True:
        if shuffle:
            rows = rng.integers(min_index + lookback, max_index, size=batch_size)
        else:
            if i + batch_size >= max_index:
                i = min_index + lookback
            rows = np.arange(i, min(i + batch_size, max_index))
            i += len(rows)
        yield gather_windows(data, rows, lookback, delay, step)


def timeseries_dataset(data, min_index, max_index, shuffle, batch_size=BATCH, seed=None):
    """``keras.utils.timeseries_dataset_from_array`` cut to the generator's rows: window k ends at
    row r = min_index + lookback + k (exclusive) and its target is ``data[r + delay, 1]``."""
    import keras

    if max_index is None:
        max_index = len(data) - DELAY - 1
    # the targets array has exactly one entry per window: max_index - (min_index + lookback) windows
    return keras.utils.timeseries_dataset_from_array(
        data[min_index:max_index - 1], targets=data[min_index + LOOKBACK + DELAY:max_index + DELAY, 1],
        sequence_length=TIMESTEPS, sampling_rate=STEP, batch_size=batch_size, shuffle=shuffle, seed=seed,
    )


def check_generator_vs_gather(data, seed: int = 7, batches: int = 2) -> bool:
    """The book's generator and the vectorized gather give identical windows for the same rows."""
    ok = True
    for b in range(batches):
        np.random.seed(seed + b)
        samples, targets = next(generator(data, LOOKBACK, DELAY, TRAIN_MIN, TRAIN_MAX, shuffle=True,
                                          batch_size=BATCH, step=STEP))
        np.random.seed(seed + b)
        rows = np.random.randint(TRAIN_MIN + LOOKBACK, TRAIN_MAX, size=BATCH)  # the rows the generator drew
        x, y = gather_windows(data, rows)
        ok &= np.array_equal(samples, x) and np.array_equal(targets, y)
    # and in order (validation): the first batches of both generators
    g1 = generator(data, LOOKBACK, DELAY, VAL_MIN, VAL_MAX, batch_size=BATCH, step=STEP)
    g2 = gather_generator(data, LOOKBACK, DELAY, VAL_MIN, VAL_MAX, batch_size=BATCH, step=STEP)
    for _ in range(batches):
        (s1, t1), (s2, t2) = next(g1), next(g2)
        ok &= np.array_equal(s1, s2) and np.array_equal(t1, t2)
    return bool(ok)


def check_generator_vs_timeseries(data, batches: int = 2) -> bool:
    """In order (no shuffling), timeseries_dataset_from_array gives the generator's windows."""
    g = generator(data, LOOKBACK, DELAY, VAL_MIN, VAL_MAX, batch_size=BATCH, step=STEP)
    ds = iter(timeseries_dataset(data, VAL_MIN, VAL_MAX, shuffle=False))
    ok = True
    for _ in range(batches):
        (s1, t1), (s2, t2) = next(g), next(ds)
        ok &= np.array_equal(s1, s2.numpy()) and np.array_equal(t1, t2.numpy())
    return bool(ok)


def _throughput(batches_iter, n_batches: int, warmup: int = 1, rounds: int = 1) -> float:
    """Samples per second of pulling n_batches from an iterator after warm-up batches (best of ``rounds``)."""
    for _ in range(warmup):
        next(batches_iter)
    best = 0.0
    for _ in range(rounds):
        t0 = time.perf_counter()
        n = 0
        for _ in range(n_batches):
            x, _y = next(batches_iter)
            n += len(x)
        best = max(best, n / (time.perf_counter() - t0))
    return best


def section(ctx: Context, data: np.ndarray | None = None) -> Section:
    from . import models  # the GRU's training speed (section 2, or measured here)

    if data is None:
        data = jena_array()
    n = 3 if ctx.quick else ctx.batches
    rounds = ctx.repeats
    ctx.log(f"pipelines: {n} batches of {BATCH} windows each, 3 pipelines")
    pipelines = [
        ("book's Python generator (listing 6.33)",
         lambda: generator(data, LOOKBACK, DELAY, TRAIN_MIN, TRAIN_MAX, shuffle=True, batch_size=BATCH, step=STEP),
         "identical (reference)"),
        ("keras.utils.timeseries_dataset_from_array (shuffle=True)",
         lambda: iter(timeseries_dataset(data, TRAIN_MIN, TRAIN_MAX, shuffle=True, seed=1).repeat()),
         "identical" if check_generator_vs_timeseries(data) else "DIFFERENT"),
        ("vectorized NumPy gather: data[rows[:, None] + offsets]",
         lambda: gather_generator(data, LOOKBACK, DELAY, TRAIN_MIN, TRAIN_MAX, shuffle=True, seed=1),
         "identical" if check_generator_vs_gather(data) else "DIFFERENT"),
    ]
    gru = models.gru_training_speed(ctx, data)
    rows, speeds = [], {}
    for name, make, same in pipelines:
        sps = _throughput(make(), n, rounds=rounds)
        speeds[name] = sps
        ratio = sps / gru["samples_per_s"]
        rows.append([name, fmt_int(sps), f"{ratio:.1f}x", "yes" if ratio >= 1 else "**no: the model waits**", same])
    ctx.results["pipelines"] = speeds
    table = md_table(["pipeline", "samples/s", "vs GRU(32) training", "keeps up with GRU(32)?",
                      "windows vs the generator's (same rows)"], rows)
    notes = [
        f"Array {data.shape[0]:,} x {data.shape[1]} float32; windows of {TIMESTEPS} x {JENA_FEATURES} "
        f"(lookback {LOOKBACK}, step {STEP}, delay {DELAY}), batches of {BATCH}, training rows "
        f"{TRAIN_MIN}..{TRAIN_MAX} shuffled; {n} batches timed after 1 warm-up batch, best of {rounds} round(s), "
        "single consumer.",
        f"GRU(32) training speed: {fmt_int(gru['samples_per_s'])} samples/s ({gru['source']}).",
        "The book's generator yields float64 batches (np.zeros default); Keras casts them to float32.",
        "Inside model.fit the pipeline shares the CPU cores with the model, so a pipeline needs a clear "
        "margin over 1x, not just 1x, to never make the model wait.",
        "'Identical': the book's generator and this pipeline give the same windows and targets for the same rows "
        "(checked on 2 shuffled and 2 in-order batches for the gather, 2 in-order batches for tf.data).",
    ]
    return Section("pipelines", "3. Jena input pipelines alone (samples per second)", table, notes)
