"""``python -m benchmarks.run [--quick] [--only SECTIONS] [--out FILE.md]``: sections 1 models, 2 pipelines,
3 glove, 4 onehot (benchmarks/README.md); a full run records the computed full-mode times in timings.json."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np

from utils.settings import get_settings, machine, record_times, speed_probe

from . import lecture as L

SECTIONS = ("models", "pipelines", "glove", "onehot")
# input: (maxlen or Jena, batch, training and validation steps of an epoch); IMDB: 20,000 training and 5,000
# validation samples (validation_split=0.2), the GloVe model: 200 and 10,000; Jena: the book's steps
IMDB_RNN, GLOVE, JENA = (500, 128, 157, 40), (100, 32, 7, 313), ("jena", L.BATCH, L.TRAIN_STEPS, L.VAL_STEPS)
SIGMOID, RELU32 = "Dense(1, activation='sigmoid')", "Dense(32, activation='relu')"
MODELS = {  # key: (notebook, the lecture's epochs, input, layers after keras.Input)
    "imdb_emb8": ("7.1", 10, (20, 32, 625, 157), f"Embedding(10000, 8), Flatten(), {SIGMOID}"),
    "glove_frozen": ("7.1", 20, GLOVE, f"Embedding(10000, 100, trainable=False), Flatten(), {RELU32}, {SIGMOID}"),
    "glove_trainable": ("7.1", 20, GLOVE, f"Embedding(10000, 100), Flatten(), {RELU32}, {SIGMOID}"),
    "simple_rnn": ("7.2", 10, IMDB_RNN, f"Embedding(10000, 32), SimpleRNN(32), {SIGMOID}"),
    "lstm": ("7.2", 10, IMDB_RNN, f"Embedding(10000, 32), LSTM(32), {SIGMOID}"),
    "jena_dense": ("7.3", 20, JENA, f"Flatten(), {RELU32}, Dense(1)"),
    "jena_gru": ("7.3", 20, JENA, "GRU(32), Dense(1)"),
    "jena_gru_dropout": ("7.3", 40, JENA, "GRU(32, dropout=0.2, recurrent_dropout=0.2), Dense(1)"),
    "jena_stacked": ("7.3", 40, JENA, "GRU(32, dropout=0.1, recurrent_dropout=0.5, return_sequences=True), "
                                      "GRU(64, activation='relu', dropout=0.1, recurrent_dropout=0.5), Dense(1)"),
    "jena_gru_reversed": ("7.3", 20, ("jena reversed", *JENA[1:]), "GRU(32), Dense(1)"),
    "jena_bigru": ("7.3", 40, JENA, "Bidirectional(GRU(32)), Dense(1)"),
    "imdb_lstm_reversed": ("7.3", 10, IMDB_RNN, f"Embedding(10000, 128), LSTM(32), {SIGMOID}"),
    "imdb_bilstm": ("7.3", 10, IMDB_RNN, f"Embedding(10000, 32), Bidirectional(LSTM(32)), {SIGMOID}"),
}


def table(headers: list[str], rows: list[list]) -> str:
    return "\n".join("| " + " | ".join(map(str, row)) + " |" for row in [headers, ["---"] * len(headers), *rows])


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s" if seconds < 120 else \
        f"{seconds:.0f} s ({seconds / 60:.1f} min)"


def same(ok: bool) -> str:
    return "identical" if ok else "DIFFERENT"


def feed(key: str, variant: str, train: bool, n: int, jena, book: bool) -> dict:
    """fit/evaluate arguments for ``n`` batches: as the notebooks feed the model, or by plain tf.data."""
    import tensorflow as tf

    shape, rng = MODELS[key][2], np.random.default_rng(1)
    rev = shape[0] == "jena reversed"
    if str(shape[0]).startswith("jena"):
        lo, hi = (L.TRAIN_MIN, L.TRAIN_MAX) if train else (L.VAL_MIN, L.VAL_MAX)
        if variant == "notebook":  # a Python generator: the book's, or 7.3's fast_generator
            gen = L.generator(jena, L.LOOKBACK, L.DELAY, lo, hi, train) if book else L.fast_generator(jena, lo, hi,
                                                                                                       train)
            return {"x": ((x[:, ::-1], y) for x, y in gen) if rev else gen}
        rows = rng.integers(lo + L.LOOKBACK, hi, n * L.BATCH) if train else lo + L.LOOKBACK + np.arange(n * L.BATCH)
        x, y = L.gather_windows(jena, rows)
        ds, batch = tf.data.Dataset.from_tensor_slices((np.ascontiguousarray(x[:, ::-1] if rev else x), y)), L.BATCH
    else:
        batch = shape[1]
        x, y = rng.integers(1, 10000, (n * batch, shape[0]), dtype=np.int32), rng.integers(0, 2, n * batch)
        if variant == "notebook":  # model.fit(x, y, batch_size=...) on NumPy arrays
            return {"x": x, "y": y, "batch_size": batch}
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=0)
    return {"x": ds.batch(batch).prefetch(tf.data.AUTOTUNE)}


def measure(key: str, args, jena, variants=("notebook", "plain"), splits=("train", "val")) -> dict:
    """Seconds per full epoch {(split, variant): best round}: (time per step after the warm-up steps) x steps per
    epoch; the variants alternate within each round, so that a load spike hits one round, not one variant."""
    import keras

    shape, n, best, stamps = MODELS[key][2], args.warmup + args.steps, {}, []
    jena_model = str(shape[0]).startswith("jena")
    keras.utils.set_random_seed(42)
    inputs = keras.Input((240, 14)) if jena_model else keras.Input((shape[0],), dtype="int32")
    model = keras.Sequential([inputs, *eval(f"[{MODELS[key][3]}]", {}, vars(keras.layers))])
    model.compile(optimizer="rmsprop", loss="mae" if jena_model else "binary_crossentropy")
    tick = lambda batch, logs: stamps.append(time.perf_counter())  # noqa: E731
    clock = keras.callbacks.LambdaCallback(on_train_batch_end=tick, on_test_batch_end=tick)
    for r in range(args.repeats):
        for split, variant in ((s, v) for s in splits for v in (variants[::-1] if r % 2 else variants)):
            stamps.clear()
            kwargs = feed(key, variant, split == "train", n, jena, args.jena_feed == "book")
            if split == "train":
                model.fit(**kwargs, steps_per_epoch=n, epochs=1, verbose=0, callbacks=[clock])
            else:
                model.evaluate(**kwargs, steps=n, verbose=0, callbacks=[clock])
            epoch = (stamps[n - 1] - stamps[args.warmup - 1]) / args.steps * shape[2 + (split == "val")]
            best[split, variant] = min(epoch, best.get((split, variant), epoch))
            print(f"[bench] {key} {variant} {split}: {fmt(epoch)} per epoch", file=sys.stderr, flush=True)
    keras.backend.clear_session()
    return best


def models_section(args, jena, results: dict) -> str:
    rows = []
    for key in args.models:
        r = results[key] = measure(key, args, jena)
        rows.append([MODELS[key][0], key, MODELS[key][3], f"{MODELS[key][2][2]}+{MODELS[key][2][3]}",
                     *(f"{fmt(r[s, 'notebook'])} / {fmt(r[s, 'plain'])} = {r[s, 'notebook'] / r[s, 'plain']:.2f}"
                       for s in ("train", "val"))])
    by_nb = {nb: [k for k in MODELS if MODELS[k][0] == nb] for nb in ("7.1", "7.2", "7.3")}
    full = {nb: sum(MODELS[k][1] * (results[k]["train", "notebook"] + results[k]["val", "notebook"]) for k in keys)
            for nb, keys in by_nb.items() if all(k in results for k in keys)}  # notebooks with all models measured
    text = table(["nb", "key", "layers", "steps per epoch", "training epoch: notebook / plain = ratio",
                  "validation: notebook / plain = ratio"], rows) + (
        f"\n\n{args.warmup} warm-up + {args.steps} timed steps x steps per epoch, best of {args.repeats}; random "
        f"data of the real shapes; Jena notebook feed: {args.jena_feed} generator.  Ratio above 1.05: the "
        "notebook's feed costs more than 5%.\n\nFull mode, training + validation, computed (the lecture's epochs):\n\n")
    text += table(["notebook", "time"], [[nb, fmt(s)] for nb, s in full.items()] or [["-", "not all measured"]])
    if full and not args.quick:
        record_times(full, "full", speed_probe(), computed=True)
        text += "\n\nRecorded in notebooks/timings.json: seconds[nb].full, computed."
    return text


def timed(fn, *args):
    t0 = time.perf_counter()
    return fn(*args), time.perf_counter() - t0


def pipelines_section(args, jena) -> str:
    np.random.seed(7)
    book = next(L.generator(jena, L.LOOKBACK, L.DELAY, L.TRAIN_MIN, L.TRAIN_MAX, shuffle=True))
    np.random.seed(7)  # the rows the book's generator drew, gathered
    gathered = L.gather_windows(jena, np.random.randint(L.TRAIN_MIN + L.LOOKBACK, L.TRAIN_MAX, size=L.BATCH))
    in_order = zip(next(L.generator(jena, L.LOOKBACK, L.DELAY, L.VAL_MIN, L.VAL_MAX)),
                   next(iter(L.timeseries_dataset(jena, L.VAL_MIN, L.VAL_MAX, False))))
    pipelines = [("book's generator (listing 6.33)", "reference",
                  L.generator(jena, L.LOOKBACK, L.DELAY, L.TRAIN_MIN, L.TRAIN_MAX, shuffle=True)),
                 ("timeseries_dataset_from_array", same(all(np.array_equal(a, b) for a, b in in_order)),
                  iter(L.timeseries_dataset(jena, L.TRAIN_MIN, L.TRAIN_MAX, True, seed=1).repeat())),
                 ("vectorized gather (7.3's fast_generator)", same(all(map(np.array_equal, book, gathered))),
                  L.fast_generator(jena, L.TRAIN_MIN, L.TRAIN_MAX, shuffle=True, seed=1))]
    out, pull = [], (lambda batches, n: [next(batches) for _ in range(n)])
    for name, ok, batches in pipelines:
        next(batches)  # warm-up
        seconds = min(timed(pull, batches, args.batches)[1] for _ in range(args.repeats))
        out.append([name, f"{args.batches * L.BATCH / seconds:,.0f}", ok])
    return table(["pipeline", "windows/s", "windows vs the generator's (same rows)"], out) + (
        f"\n\n{args.batches} batches of {L.BATCH} after 1 warm-up batch, best of {args.repeats}; compare with the "
        "training speed of GRU(32) in section 1 (500 x 128 windows per epoch): below it, the model waits.")


def glove_section(args) -> str:
    path = L.glove_file(get_settings().data_dir / "benchmarks", 2000 if args.quick else 400000)
    (ref, t_ref), (fast, t_fast) = timed(L.parse_loop, path), timed(L.parse_pandas, path)
    ok = list(fast) == list(ref) and all(np.array_equal(v, ref[w]) and v.dtype == "float32" for w, v in fast.items())
    return table(["parser", "time", "< 10 s", "words", "vs the loop: words and float32 vectors"], [
        ["the lecture's line loop", fmt(t_ref), t_ref < 10, f"{len(ref):,}", "reference"],
        ["pandas.read_csv (7.1)", fmt(t_fast), t_fast < 10, f"{len(fast):,}", f"{same(ok)}, {t_ref / t_fast:.1f}x"]
    ]) + f"\n\n{path.name}: {path.stat().st_size / 2**20:,.0f} MB, in the real file's format."


def onehot_section(args) -> str:
    import psutil

    fits = int(0.6 * psutil.virtual_memory().available / (2.5 * 10 * 1001 * 8)) // 1000 * 1000  # two arrays + slack
    samples = L.make_samples(min(500 if args.quick else 25000, max(1000, fits)))
    (loop, t_loop), (vectorized, t_vec) = timed(L.word_loop, samples), timed(L.word_vectorized, samples)
    return table(["version", "time", "vs the loop"], [["the lecture's loop", fmt(t_loop), "reference"], [
        "index array + one assignment", fmt(t_vec), same(np.array_equal(loop, vectorized))]]) + (
        f"\n\n{len(samples):,} samples x 10 words, vocabulary 1,000: float64 {loop.shape}, "
        f"{loop.nbytes / 2**30:.2f} GB (allocating it is much of either time).")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    p.add_argument("--quick", action="store_true", help="tiny smoke run: its numbers mean nothing, nothing recorded")
    p.add_argument("--only", default=",".join(SECTIONS), help=f"{', '.join(SECTIONS)} or 1-4, comma-separated")
    p.add_argument("--models", default=None, help="section 1 only for these models: " + ", ".join(MODELS))
    p.add_argument("--steps", type=int, default=30, help="timed steps per model (after 3 warm-up steps)")
    p.add_argument("--repeats", type=int, default=3, help="rounds per measurement; the best counts")
    p.add_argument("--jena-feed", choices=("fast", "book"), default="fast", help="section 1: the Jena generator")
    p.add_argument("--out", type=Path, help="also write the report to this Markdown file")
    args = p.parse_args(argv)
    names = [dict(zip("1234", SECTIONS)).get(x.strip(), x.strip()) for x in args.only.split(",")]
    args.models = args.models.split(",") if args.models else ["imdb_emb8", "jena_dense"] if args.quick else list(MODELS)
    if set(names) - set(SECTIONS) or set(args.models) - set(MODELS):
        p.error(f"sections: {', '.join(SECTIONS)} or 1-4; models: {', '.join(MODELS)}")
    args.sections = [s for s in SECTIONS if s in names]
    args.steps, args.warmup, args.repeats, args.batches = (2, 1, 1, 3) if args.quick else (args.steps, 3,
                                                                                          args.repeats, 100)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    versions = ", ".join(f"{n} {version(n)}" for n in ("keras", "numpy", "pandas"))
    report = [f"# Benchmark of the lecture 2.7 notebooks{' (SMOKE RUN, --quick: not meaningful)' * args.quick}\n\n"
              f"{datetime.datetime.now():%Y-%m-%d %H:%M} · {machine()}, {versions} · load average {load}"]
    jena, results = np.random.default_rng(0).standard_normal((L.ROWS, L.FEATURES), dtype=np.float32), {}
    sections = {"models": lambda: models_section(args, jena, results), "pipelines": lambda: pipelines_section(
        args, jena), "glove": lambda: glove_section(args), "onehot": lambda: onehot_section(args)}
    print(report[0], flush=True)
    for number, name in enumerate(SECTIONS, 1):
        if name in args.sections:
            text, seconds = timed(sections[name])
            report.append(f"## {number}. {name}\n\n{text}\n\nSection time: {seconds:.0f} s.")
            print(report[-1], flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n\n".join(report) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
