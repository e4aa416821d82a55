"""Section 2: time per epoch of every model of the lecture at full size on the CPU, fed by the
notebooks' input pipeline and by a minimal plain-Keras one; section 6 builds on it.

The data are random arrays of the real shapes (the speed of these models does not depend on
the values: no masking, no early exit).  Measuring whole epochs of every model would take
hours on a laptop, so each variant runs ``warmup`` steps (graph tracing, caches) and then
``steps`` timed steps; the epoch time is the time per step x the steps of a full epoch.
Where a full epoch has no more steps than ``steps`` (the GloVe model: 7 steps of 32 out of
200 samples), whole epochs are timed instead.  The table says which.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import pipelines as P
from .common import Context, Section, fmt_int, fmt_s, md_table


@dataclass(frozen=True)
class Spec:
    key: str
    notebook: str  # "7.1", "7.2", "7.3"
    title: str
    kind: str  # "imdb" or "jena"
    epochs: int  # epochs of the lecture (the book for the models the slides cut short)
    batch: int
    n_train: int = 0  # IMDB: training samples (after validation_split)
    n_val: int = 0  # IMDB: validation samples
    maxlen: int = 0  # IMDB: sequence length
    layers: Callable | None = None  # () -> list of layers after keras.Input
    input_shape: tuple | None = None  # keras.Input as the notebook writes it (None: (None, 14) / (maxlen,))
    input_dtype: str = "float32"
    reversed: bool = False  # Jena: the notebook feeds the windows reversed in time

    @property
    def train_steps(self) -> int:
        return P.TRAIN_STEPS if self.kind == "jena" else math.ceil(self.n_train / self.batch)

    @property
    def val_steps(self) -> int:
        return P.VAL_STEPS if self.kind == "jena" else math.ceil(self.n_val / self.batch)

    def input_text(self) -> str:
        if self.kind == "jena":
            return f"{P.BATCH} x {P.TIMESTEPS} x {P.JENA_FEATURES}"
        return f"{self.n_train:,} x {self.maxlen}, batch {self.batch}"


def _L():
    from keras import layers

    return layers


def _specs() -> list[Spec]:
    L = _L
    # the keras.Input of each notebook: 7.1 (maxlen,), 7.2 (None,), 7.3 (None,) int32
    imdb_rnn = dict(kind="imdb", batch=128, n_train=20000, n_val=5000, maxlen=500, epochs=10)
    imdb_72 = dict(imdb_rnn, input_shape=(None,))
    imdb_73 = dict(imdb_rnn, input_shape=(None,), input_dtype="int32")
    glove = dict(kind="imdb", batch=32, n_train=200, n_val=10000, maxlen=100, epochs=20)
    jena = dict(kind="jena", batch=P.BATCH)
    return [
        Spec("imdb_emb8", "7.1", "Embedding(10000, 8) + Flatten + Dense(1), maxlen 20", "imdb", 10, 32,
             n_train=20000, n_val=5000, maxlen=20,
             layers=lambda: [L().Embedding(10000, 8), L().Flatten(), L().Dense(1, activation="sigmoid")]),
        Spec("glove_frozen", "7.1", "GloVe 100d frozen: Embedding(10000, 100) + Flatten + Dense(32) + Dense(1)",
             **glove,
             layers=lambda: [L().Embedding(10000, 100, trainable=False), L().Flatten(),
                             L().Dense(32, activation="relu"), L().Dense(1, activation="sigmoid")]),
        Spec("glove_trainable", "7.1", "same without GloVe (trainable Embedding(10000, 100))", **glove,
             layers=lambda: [L().Embedding(10000, 100), L().Flatten(),
                             L().Dense(32, activation="relu"), L().Dense(1, activation="sigmoid")]),
        Spec("simple_rnn", "7.2", "Embedding(10000, 32) + SimpleRNN(32) + Dense(1)", **imdb_72,
             layers=lambda: [L().Embedding(10000, 32), L().SimpleRNN(32), L().Dense(1, activation="sigmoid")]),
        Spec("lstm", "7.2", "Embedding(10000, 32) + LSTM(32) + Dense(1)", **imdb_72,
             layers=lambda: [L().Embedding(10000, 32), L().LSTM(32), L().Dense(1, activation="sigmoid")]),
        Spec("jena_dense", "7.3", "Jena: Flatten + Dense(32) + Dense(1)", epochs=20, **jena,
             input_shape=(P.TIMESTEPS, P.JENA_FEATURES),
             layers=lambda: [L().Flatten(), L().Dense(32, activation="relu"), L().Dense(1)]),
        Spec("jena_gru", "7.3", "Jena: GRU(32) + Dense(1)", epochs=20, **jena,
             layers=lambda: [L().GRU(32), L().Dense(1)]),
        Spec("jena_gru_dropout", "7.3", "Jena: GRU(32, dropout 0.2, recurrent_dropout 0.2)", epochs=40, **jena,
             layers=lambda: [L().GRU(32, dropout=0.2, recurrent_dropout=0.2), L().Dense(1)]),
        Spec("jena_stacked", "7.3", "Jena: GRU(32, 0.1/0.5, return_sequences) + GRU(64, relu, 0.1/0.5)", epochs=40,
             **jena,
             layers=lambda: [L().GRU(32, dropout=0.1, recurrent_dropout=0.5, return_sequences=True),
                             L().GRU(64, activation="relu", dropout=0.1, recurrent_dropout=0.5), L().Dense(1)]),
        Spec("jena_gru_reversed", "7.3", "Jena: GRU(32) on windows reversed in time (book)", epochs=20, **jena,
             reversed=True, layers=lambda: [L().GRU(32), L().Dense(1)]),
        Spec("jena_bigru", "7.3", "Jena: Bidirectional(GRU(32)) + Dense(1)", epochs=40, **jena,
             layers=lambda: [L().Bidirectional(L().GRU(32)), L().Dense(1)]),
        Spec("imdb_lstm_reversed", "7.3", "IMDB reversed: Embedding(10000, 128) + LSTM(32) + Dense(1)", **imdb_73,
             layers=lambda: [L().Embedding(10000, 128), L().LSTM(32), L().Dense(1, activation="sigmoid")]),
        Spec("imdb_bilstm", "7.3", "IMDB: Embedding(10000, 32) + Bidirectional(LSTM(32)) + Dense(1)", **imdb_73,
             layers=lambda: [L().Embedding(10000, 32), L().Bidirectional(L().LSTM(32)),
                             L().Dense(1, activation="sigmoid")]),
    ]


SPECS = _specs()
KEYS = tuple(s.key for s in SPECS)
QUICK_KEYS = ("imdb_emb8", "jena_dense")  # the smoke run: the cheapest model of each kind and pipeline


def build(spec: Spec):
    import keras

    keras.utils.set_random_seed(42)
    if spec.kind == "jena":
        shape = spec.input_shape or (None, P.JENA_FEATURES)
        model = keras.Sequential([keras.Input(shape=shape, dtype=spec.input_dtype), *spec.layers()])
        model.compile(optimizer="rmsprop", loss="mae")
    else:
        shape = spec.input_shape or (spec.maxlen,)
        model = keras.Sequential([keras.Input(shape=shape, dtype=spec.input_dtype), *spec.layers()])
        if spec.key == "glove_frozen":  # set_weights + freeze, as the notebook does with the GloVe matrix
            rng = np.random.default_rng(0)
            model.layers[0].set_weights([rng.normal(0, 0.4, (10000, 100)).astype("float32")])
        model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"])
    return model


# --- the inputs: "notebook" (what the notebooks do) and "plain" (a minimal tf.data script) ----------

def imdb_arrays(spec: Spec, seed: int = 0):
    rng = np.random.default_rng(seed)
    n = spec.n_train + spec.n_val
    x = rng.integers(1, 10000, size=(n, spec.maxlen), dtype=np.int32)  # pad_sequences gives int32
    y = rng.integers(0, 2, size=n).astype(np.int64)
    return (x[:spec.n_train], y[:spec.n_train]), (x[spec.n_train:], y[spec.n_train:])


def _dataset(x, y, batch, shuffle: bool):
    import tensorflow as tf

    ds = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle:
        ds = ds.shuffle(len(x), seed=0)
    return ds.batch(batch).prefetch(tf.data.AUTOTUNE)


JENA_PIPELINE = {"notebook": "fast"}  # set from Context.jena_pipeline by section()


def inputs(spec: Spec, variant: str, split: str, n_batches: int, jena_data=None, imdb=None) -> dict:
    """Keyword arguments for fit/evaluate: the input of ``variant`` for ``split`` ("train", "val")."""
    if spec.kind == "imdb":
        (xt, yt), (xv, yv) = imdb
        x, y = (xt, yt) if split == "train" else (xv, yv)
        if variant == "notebook":  # model.fit(x, y, batch_size=..., validation_split=0.2) on NumPy arrays
            return dict(x=x, y=y, batch_size=spec.batch)
        return dict(x=_dataset(x, y, spec.batch, shuffle=split == "train"))
    if variant == "notebook":  # 7.3 feeds model.fit a Python generator: its fast_generator, or the book's one
        lo, hi, shuffle = (P.TRAIN_MIN, P.TRAIN_MAX, True) if split == "train" else (P.VAL_MIN, P.VAL_MAX, False)
        make = P.generator if JENA_PIPELINE["notebook"] == "book" else P.gather_generator
        gen = make(jena_data, P.LOOKBACK, P.DELAY, lo, hi, shuffle=shuffle, batch_size=P.BATCH, step=P.STEP)
        if spec.reversed:  # the book's reverse_order_generator
            gen = ((samples[:, ::-1, :], targets) for samples, targets in gen)
        return dict(x=gen)
    # plain: windows precomputed into arrays (the same windows the generator would give), tf.data on top
    if split == "train":
        rows = np.random.default_rng(1).integers(P.TRAIN_MIN + P.LOOKBACK, P.TRAIN_MAX, size=n_batches * P.BATCH)
    else:
        rows = P.VAL_MIN + P.LOOKBACK + np.arange(n_batches * P.BATCH)
    x, y = P.gather_windows(jena_data, rows)
    if spec.reversed:
        x = np.ascontiguousarray(x[:, ::-1, :])
    return dict(x=_dataset(x, y, P.BATCH, shuffle=False))


# --- timing -------------------------------------------------------------------------------------

def _clock():
    import keras

    class Clock(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.train, self.test, self.epochs, self.tests = [], [], [], []

        def on_train_batch_end(self, batch, logs=None):
            self.train.append(time.perf_counter())

        def on_test_batch_end(self, batch, logs=None):
            self.test.append(time.perf_counter())

        def on_epoch_begin(self, epoch, logs=None):
            self._epoch0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.epochs.append(time.perf_counter() - self._epoch0)

        def on_test_begin(self, logs=None):
            self._test0 = time.perf_counter()

        def on_test_end(self, logs=None):
            self.tests.append(time.perf_counter() - self._test0)

    return Clock()


def time_epoch(model, make_inputs: Callable[[int], dict], full_steps: int, split: str, steps: int, warmup: int):
    """(seconds per full epoch, how it was measured) for training (split="train") or validation."""
    clock = _clock()
    if full_steps <= steps:  # small: time whole epochs after one warm-up epoch
        epochs = max(1, math.ceil(steps / full_steps))
        if split == "train":
            kw = make_inputs(full_steps)
            model.fit(**kw, shuffle="y" in kw, steps_per_epoch=full_steps, epochs=1 + epochs, verbose=0,
                      callbacks=[clock])
            measured = clock.epochs[1:]
        else:
            for _ in range(1 + epochs):
                model.evaluate(**make_inputs(full_steps), steps=full_steps, verbose=0, callbacks=[clock])
            measured = clock.tests[1:]
        return sum(measured) / len(measured), f"{epochs} whole epoch(s) ({epochs * full_steps} steps)"
    total = warmup + steps
    if split == "train":
        kw = make_inputs(total)  # arrays are shuffled by fit (as in the notebooks); generators and datasets not
        model.fit(**kw, shuffle="y" in kw, steps_per_epoch=total, epochs=1, verbose=0, callbacks=[clock])
        stamps = clock.train
    else:
        model.evaluate(**make_inputs(total), steps=total, verbose=0, callbacks=[clock])
        stamps = clock.test
    if len(stamps) < total:
        raise RuntimeError(f"only {len(stamps)} of {total} steps ran: the input ran out of data")
    per_step = (stamps[total - 1] - stamps[warmup - 1]) / steps
    return per_step * full_steps, f"extrapolated from {steps} steps"


def measure(spec: Spec, ctx: Context, jena_data=None, variants=("notebook", "plain"), splits=("train", "val")):
    """Seconds per full epoch of each variant and split: the minimum over ``ctx.repeats`` rounds, the
    variants alternating within each round (so that a load spike on a shared machine hits one round of one
    variant, not a whole variant)."""
    import keras
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")  # "triggered tf.function retracing": one new model per variant, expected

    imdb = imdb_arrays(spec) if spec.kind == "imdb" else None
    built = {v: build(spec) for v in variants}
    runs: dict[tuple[str, str], list[float]] = {(s, v): [] for s in splits for v in variants}
    out = {}
    for r in range(ctx.repeats):
        order = variants if r % 2 == 0 else variants[::-1]
        for split in splits:
            full = spec.train_steps if split == "train" else spec.val_steps
            for variant in order:
                t0 = time.perf_counter()
                seconds, how = time_epoch(built[variant],
                                          lambda n, v=variant, s=split: inputs(spec, v, s, n, jena_data, imdb),
                                          full, split, ctx.steps, ctx.warmup)
                runs[(split, variant)].append(seconds)
                out[f"{split}_how"] = how + (f", best of {ctx.repeats} rounds" if ctx.repeats > 1 else "")
                ctx.log(f"  {spec.key:<20} {variant:<8} {split:<5} round {r + 1}: {fmt_s(seconds)} per epoch "
                        f"({how}; took {time.perf_counter() - t0:.0f} s)")
    for (split, variant), values in runs.items():
        out[f"{split}_{variant}"] = min(values)
        out[f"{split}_{variant}_all"] = values
    del built
    keras.backend.clear_session()
    gc.collect()
    return out


def gru_training_speed(ctx: Context, jena_data) -> dict:
    """Training samples/s of the GRU(32) on precomputed arrays: from section 2 if it ran, else measured."""
    measured = ctx.results.get("models", {})
    done = measured.get("jena_gru")
    if done is None and ctx.quick and "jena_dense" in measured:  # the smoke run has no GRU: not meaningful anyway
        done = measured["jena_dense"]
        return {"samples_per_s": P.TRAIN_STEPS * P.BATCH / done["train_plain"],
                "source": "SMOKE RUN: the Dense model of section 2 stands in for the GRU"}
    if done is None:
        spec = next(s for s in SPECS if s.key == "jena_gru")
        ctx.log("pipelines: measuring the GRU(32)'s training speed (section 2 did not run)")
        done = measure(spec, ctx, jena_data, variants=("plain",), splits=("train",))
        source = f"measured here, plain Keras on arrays, {done['train_how']}"
    else:
        source = f"section 2, plain Keras on arrays, {done['train_how']}"
    return {"samples_per_s": P.TRAIN_STEPS * P.BATCH / done["train_plain"], "source": source}


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f} ({'yes' if a / b <= 1.05 else '**no**'})"


def section(ctx: Context, jena_data=None) -> Section:
    JENA_PIPELINE["notebook"] = ctx.jena_pipeline
    keys = ctx.models or (QUICK_KEYS if ctx.quick else KEYS)
    specs = [s for s in SPECS if s.key in keys]
    if any(s.kind == "jena" for s in specs) and jena_data is None:
        jena_data = P.jena_array()
    ctx.log(f"models: {len(specs)} models x 2 pipelines, {ctx.warmup} warm-up + {ctx.steps} timed steps each")
    results = ctx.results.setdefault("models", {})
    rows = []
    for spec in specs:
        r = measure(spec, ctx, jena_data)
        r["spec"] = spec
        results[spec.key] = r
        rows.append([
            spec.notebook, spec.title, spec.input_text(), f"{spec.train_steps} + {spec.val_steps}",
            fmt_s(r["train_notebook"]), fmt_s(r["train_plain"]), _ratio(r["train_notebook"], r["train_plain"]),
            fmt_s(r["val_notebook"]), fmt_s(r["val_plain"]), _ratio(r["val_notebook"], r["val_plain"]),
            fmt_int(spec.train_steps * spec.batch / r["train_plain"] if spec.kind == "jena"
                    else spec.n_train / r["train_plain"]),
            f"train: {r['train_how']}; validation: {r['val_how']}",
        ])
    table = md_table(
        ["nb", "model", "input", "steps per epoch (train + val)", "train epoch: notebook pipeline",
         "train epoch: plain Keras", "ratio (within 5%?)", "validation: notebook", "validation: plain",
         "ratio (within 5%?)", "training samples/s (plain)", "how measured"], rows)
    notes = [
        "Times are per epoch at the lecture's full size, on the CPU, on random data of the real shapes. "
        f"'Extrapolated from N steps': {ctx.warmup} warm-up steps, then N timed steps; epoch = time per step x steps "
        "per epoch (the last, partial IMDB batch is counted as a full one). 'Whole epochs': timed directly after "
        "one warm-up epoch.",
        "IMDB notebook pipeline: `model.fit(x, y, batch_size=...)` on NumPy int32 arrays, as in the notebooks "
        "(the 80% that `validation_split=0.2` trains on; validation = `evaluate` on the other 20%, or on the 10,000 "
        "validation samples of the GloVe model). Plain Keras: `tf.data.Dataset.from_tensor_slices` + shuffle + "
        "batch + prefetch on the same arrays.",
        f"Jena notebook pipeline (--jena-pipeline {ctx.jena_pipeline}): "
        + ("7.3's `fast_generator` (the book's generator contract, windows by one vectorized NumPy gather)"
           if ctx.jena_pipeline == "fast" else "the book's Python generator (listing 6.33)")
        + " (training rows 0-200,000 shuffled, "
        "validation 200,001-300,000 in order) passed to `model.fit`/`evaluate`. Plain Keras: the same windows "
        "precomputed into float32 arrays (vectorized gather), `tf.data.Dataset.from_tensor_slices` + batch + "
        "prefetch. 500 training steps and 769 validation steps per epoch.",
        "Ratio = notebook / plain: above 1.05 means the notebook's input pipeline costs more than 5%.",
    ]
    if ctx.quick:
        notes.insert(0, f"SMOKE RUN (--quick): {len(specs)} of {len(SPECS)} models, {ctx.steps} timed steps after "
                        f"{ctx.warmup} warm-up: the numbers are not meaningful.")
    elif len(specs) < len(SPECS):
        notes.insert(0, f"Only {len(specs)} of {len(SPECS)} models (--models).")
    return Section("models", "2. Time per epoch of each model at full size (CPU)", table, notes)


# --- section 6 ------------------------------------------------------------------------------------

def fullmode_section(ctx: Context) -> Section:
    from .common import REPO

    results = ctx.results.get("models", {})
    rows = []
    for nb in ("7.1", "7.2", "7.3"):
        found = sorted((REPO / "notebooks").glob(f"{nb}-*.ipynb"))
        name = found[0].name if found else f"{nb} (notebook not written yet)"
        specs = [s for s in SPECS if s.notebook == nb]
        measured = [s for s in specs if s.key in results]
        parts, total_nb, total_plain = [], 0.0, 0.0
        for s in measured:
            r = results[s.key]
            per_epoch = r["train_notebook"] + r["val_notebook"]
            total_nb += s.epochs * per_epoch
            total_plain += s.epochs * (r["train_plain"] + r["val_plain"])
            parts.append(f"{s.key}: {s.epochs} x {fmt_s(per_epoch)}")
        missing = [s.key for s in specs if s.key not in results]
        if missing:
            parts.append(f"NOT MEASURED: {', '.join(missing)}")
        rows.append([name, fmt_s(total_nb) if measured else "-", fmt_s(total_plain) if measured else "-",
                     "; ".join(parts)])
    table = md_table(["notebook", "full mode, training + validation (notebook pipeline)",
                      "same with the plain-Keras pipeline", "models: epochs x (train + validation) per epoch"], rows)
    notes = [
        "Computed from measured epochs (section 2) x the lecture's epochs (the book's where the slides cut the "
        "listing short), not a measured run of the notebooks. Not included: loading and preparing the data, "
        "GloVe parsing (section 4), plots and the other cells (their cost is close to the quick-mode wall time "
        "of section 1 minus its short training).",
        "The models of each notebook as written now: 7.1 Embedding maxlen 20, GloVe frozen and trainable; 7.2 "
        "SimpleRNN, LSTM; 7.3 Jena dense, GRU, GRU with dropout, stacked GRU, GRU on reversed windows, "
        "bidirectional GRU, IMDB LSTM on reversed sequences, IMDB bidirectional LSTM.",
    ]
    return Section("fullmode", "6. Full-mode running time of each notebook on this machine (computed)", table, notes)
